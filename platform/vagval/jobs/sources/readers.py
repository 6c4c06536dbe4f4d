"""Streaming readers for input files: folders, gzip, JSON, JSON arrays and JSON lines.

Nothing here loads a large file into memory: JSONL is read line by line, a top-level JSON array
item by item (ijson). A JSON object file (a search response, one ad) is read whole; such files
are small by nature.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import ijson
import orjson

from vagval.jobs.models import QuarantineReason
from vagval.jobs.sources.base import RawRecord, Rejection

# How much of an unreadable file the quarantine keeps.
PREVIEW_BYTES = 64 * 1024


class InputError(Exception):
    """An input path that cannot be read at all (missing, unreadable, not a supported file)."""


def iter_input_files(paths: list[Path], extensions: tuple[str, ...]) -> list[Path]:
    """The files to read, in a stable order: each file given, and matching files in folders."""
    out: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"Hittar inte {path}")
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and _base_suffix(p) in extensions
            )
            out.extend(found)
        else:
            try:
                with path.open("rb") as fh:
                    fh.read(1)
            except OSError as exc:
                raise InputError(f"Kan inte läsa {path}: {exc.strerror or exc}") from exc
            out.append(path)
    return out


def _base_suffix(path: Path) -> str:
    suffixes = path.suffixes
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1].lower() if suffixes else ""


def base_suffix(path: Path) -> str:
    """ ".jsonl" for "ads.jsonl.gz"."""
    return _base_suffix(path)


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed if it is gzip (by magic number, not only by name)."""
    fh = path.open("rb")
    magic = fh.read(2)
    fh.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]
    return fh


def read_text(path: Path) -> str:
    with open_binary(path) as fh:
        return fh.read().decode("utf-8-sig", "replace")


def _first_char(fh: IO[bytes]) -> bytes:
    """Peek at the first non-space byte (BOM skipped) of a seekable stream."""
    head = fh.read(4096)
    fh.seek(0)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped[:1]


def iter_json_values(path: Path, source: str) -> Iterator[tuple[Any, str] | Rejection]:
    """Yield (value, origin) for each top-level JSON value of a .json/.jsonl file.

    JSONL yields each line's *text* (decoded later, in a worker); a JSON array yields each item;
    a JSON object file yields the object. Lines or files that are not JSON become rejections.
    """
    try:
        fh = open_binary(path)
    except OSError as exc:
        raise InputError(f"Kan inte läsa {path}: {exc.strerror or exc}") from exc
    with fh:
        try:
            first = _first_char(fh)
        except (OSError, EOFError) as exc:
            raise InputError(f"Kan inte läsa {path}: {exc}") from exc
        if base_suffix(path) == ".jsonl" or first not in (b"[", b"{"):
            yield from _iter_lines(fh, path, source)
            return
        if first == b"[":
            yield from _iter_array(fh, path, source)
            return
        data = fh.read()
    try:
        yield orjson.loads(data), f"{path}"
    except orjson.JSONDecodeError as exc:
        if b"\n{" in data:  # JSON lines in a file named .json
            yield from _iter_lines(io.BytesIO(data), path, source)
            return
        yield Rejection(
            source=source,
            source_id="",
            reason=str(QuarantineReason.MALFORMED),
            message=f"Filen är inte giltig JSON: {exc}",
            raw=data[:PREVIEW_BYTES].decode("utf-8", "replace"),
            origin=str(path),
        )


def _iter_lines(fh: IO[bytes], path: Path, source: str) -> Iterator[tuple[Any, str] | Rejection]:
    # Each line as bytes: a worker decodes it with the JSON (`base.load_json`, which also says
    # when a line is not UTF-8). Decoded here, the text was encoded again to cross to the
    # worker and decoded there once more: ~15 us per 10 KB ad, a third of it on the serial
    # process.
    for lineno, line in enumerate(fh, 1):
        text = line.strip()
        if text:
            yield text, f"{path}:{lineno}"


def _iter_array(fh: IO[bytes], path: Path, source: str) -> Iterator[tuple[Any, str] | Rejection]:
    index = 0
    try:
        for index, item in enumerate(ijson.items(fh, "item", use_float=True)):
            yield item, f"{path}#{index}"
    except ijson.JSONError as exc:
        yield Rejection(
            source=source,
            source_id="",
            reason=str(QuarantineReason.MALFORMED),
            message=f"JSON-listan bryts efter post {index}: {exc}; resten av filen lästes inte",
            raw=f"(fil {path}, fel efter post {index})",
            origin=f"{path}#{index + 1}",
        )


def raw_records_from_values(
    values: Iterator[tuple[Any, str] | Rejection], source: str
) -> Iterator[RawRecord | Rejection]:
    for item in values:
        if isinstance(item, Rejection):
            yield item
        else:
            payload, origin = item
            yield RawRecord(source=source, source_id=None, payload=payload, origin=origin)
