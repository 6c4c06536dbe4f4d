"""The interface every ad source implements, and the values that flow through the pipeline.

A source adapter does two things:

- `records(path)` reads one input file and yields `RawRecord`s (or a `Rejection` for input that
  cannot even be split into records, such as a truncated JSON file). It runs in the main process
  and streams: a 1 GB JSONL file is read line by line.
- `parse(raw)` turns one raw record into a `ParsedAd` (fields as the source gave them, not yet
  cleaned), a `Removal` (the source says the ad is gone) or a `Rejection`. It runs in worker
  processes, so it must be a pure function of the record.

`vagval.jobs.pipeline` then normalises, deduplicates, enriches and writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson

from vagval.jobs.models import QuarantineReason


@dataclass(slots=True)
class RawRecord:
    """One record as read: `payload` is JSON text, a decoded JSON value, or XML/HTML text."""

    source: str
    source_id: str | None
    payload: Any
    origin: str


@dataclass(slots=True)
class Rejection:
    """A record that cannot be ingested; it goes to the quarantine with the raw payload."""

    source: str
    source_id: str
    reason: str
    message: str
    raw: Any
    origin: str


@dataclass(slots=True)
class Removal:
    """The source says this ad is no longer published."""

    source: str
    source_id: str
    removed_at: Any
    origin: str


@dataclass(slots=True)
class ParsedAd:
    """An ad's fields as the source gave them; `pipeline.normalise` cleans and checks them."""

    source: str
    source_id: str
    origin: str
    raw: Any
    headline: Any
    description_html: Any = ""  # HTML from the source (sanitised later), or
    description_text: Any = ""  # plain text from the source
    url: Any = ""
    apply_url: Any = ""
    employer_name: Any = ""
    employer_org_number: Any = ""
    municipality_id: Any = ""
    municipality_code: Any = ""
    municipality_name: Any = ""
    region_id: Any = ""
    region_code: Any = ""
    region_name: Any = ""
    country_code: Any = ""
    location_label: Any = ""
    # True when a municipality name or code that cannot be resolved is an error (structured
    # sources); False for free-text places of career pages and feeds, which may be anything.
    strict_location: bool = True
    occupation_id: Any = ""
    skill_ids: Any = ()  # skill concept ids the source states itself (e.g. HR's choice)
    occupation_group_id: Any = ""
    occupation_field_id: Any = ""
    employment_type: Any = ""
    working_hours: Any = ""
    duration: Any = ""
    remote_work: Any = ""  # "full" / "hybrid" when the source says so; else read from the text
    published_at: Any = None
    application_deadline: Any = None
    removed_at: Any = None


ParseResult = ParsedAd | Removal | Rejection


class SourceAdapter(Protocol):
    """What the pipeline needs of a source."""

    name: str
    extensions: tuple[str, ...]

    def records(self, path: Path) -> Iterator[RawRecord | Rejection]: ...

    def parse(self, raw: RawRecord) -> ParseResult: ...


def raw_text(raw: Any) -> str:
    """The payload as text for the quarantine (JSON values are serialised)."""
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, bytes):
        text = raw.decode("utf-8", "replace")
    else:
        try:
            text = orjson.dumps(raw, default=str).decode()
        except TypeError:
            text = repr(raw)
    # A raw NUL (broken input) cannot be stored in PostgreSQL text: show it as JSON would.
    return text.replace("\x00", "\\u0000") if "\x00" in text else text


def reject(
    raw: RawRecord, reason: QuarantineReason | str, message: str, source_id: str = ""
) -> Rejection:
    return Rejection(
        source=raw.source,
        source_id=source_id or raw.source_id or "",
        reason=str(reason),
        message=message,
        raw=raw.payload,
        origin=raw.origin,
    )


def load_json(raw: RawRecord) -> Any | Rejection:
    """Decode a JSON text payload (already decoded values pass through)."""
    if isinstance(raw.payload, str | bytes):
        payload = raw.payload
        # PostgreSQL text cannot hold NUL; JSON can ("\u0000"), and a value with one would
        # fail the whole batch's write. It carries nothing: drop it before decoding.
        if isinstance(payload, str) and "\\u0000" in payload:
            payload = payload.replace("\\u0000", "")
        elif isinstance(payload, bytes) and b"\\u0000" in payload:
            payload = payload.replace(b"\\u0000", b"")
        try:
            return orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            if isinstance(payload, bytes):  # a line of a JSON-lines file, maybe not UTF-8
                try:
                    payload.decode("utf-8")
                except UnicodeDecodeError as bad:
                    return reject(raw, QuarantineReason.MALFORMED, f"Raden är inte UTF-8: {bad}")
            return reject(raw, QuarantineReason.MALFORMED, f"Ogiltig JSON: {exc}")
    return raw.payload


def text_field(value: Any, name: str) -> str:
    """A text field; raises TypeError naming the field when it has another type."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"fältet {name} ska vara text, inte {type(value).__name__}")


def get_path(obj: Any, *keys: str) -> Any:
    """obj[k1][k2]... or None when a level is missing or not an object."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
