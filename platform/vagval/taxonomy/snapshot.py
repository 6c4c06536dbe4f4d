"""Reading, writing and hashing the committed taxonomy snapshot file.

The snapshot is one gzipped JSON document with three sorted tables of plain lists (concepts,
relations, terms). Its `version` is a hash of those tables only, so two builds from the same inputs
give the same version, and `load_taxonomy` can tell in one comparison whether anything changed.
Pure Python, no Django: the build script uses it too.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "vagval-taxonomy-snapshot/1"
DEFAULT_SNAPSHOT_PATH = Path(__file__).resolve().parent / "data" / "taxonomy-snapshot.json.gz"

# Column order of each table row in the file.
CONCEPT_COLUMNS = (
    "concept_id",
    "type",
    "label_sv",
    "label_en",
    "code",
    "parent",
    "deprecated",
    "extra",
)
RELATION_COLUMNS = ("source", "target", "kind", "weight")
TERM_COLUMNS = ("concept_id", "term", "kind", "lang", "matchable")


class SnapshotError(ValueError):
    """The snapshot file is missing, unreadable or inconsistent."""


@dataclass
class Snapshot:
    """The tables of a snapshot plus its identity and provenance."""

    concepts: list[list[Any]]
    relations: list[list[Any]]
    terms: list[list[Any]]
    sources: list[dict[str, str]] = field(default_factory=list)
    version: str = ""

    def content_hash(self) -> str:
        return content_hash(self.concepts, self.relations, self.terms)


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def content_hash(
    concepts: list[list[Any]], relations: list[list[Any]], terms: list[list[Any]]
) -> str:
    """sha256 over the canonical JSON of the three tables (sources and metadata excluded)."""
    digest = hashlib.sha256()
    for table in (concepts, relations, terms):
        digest.update(_canonical(table))
        digest.update(b"\n")
    return digest.hexdigest()


def snapshot_write(snapshot: Snapshot, path: Path) -> str:
    """Write the snapshot deterministically (sorted tables, gzip mtime 0); return its version."""
    snapshot.concepts.sort(key=lambda r: r[0])
    snapshot.relations.sort(key=lambda r: (r[0], r[1], r[2]))
    snapshot.terms.sort(key=lambda r: (r[0], r[1]))
    snapshot.version = snapshot.content_hash()[:16]
    document = {
        "format": FORMAT,
        "version": snapshot.version,
        "sha256": snapshot.content_hash(),
        "columns": {
            "concepts": CONCEPT_COLUMNS,
            "relations": RELATION_COLUMNS,
            "terms": TERM_COLUMNS,
        },
        "counts": {
            "concepts": len(snapshot.concepts),
            "relations": len(snapshot.relations),
            "terms": len(snapshot.terms),
        },
        "sources": snapshot.sources,
        "concepts": snapshot.concepts,
        "relations": snapshot.relations,
        "terms": snapshot.terms,
    }
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    buffer = io.BytesIO()
    # mtime=0 and no file name in the header: the same content always gives the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return snapshot.version


def snapshot_read(path: Path) -> Snapshot:
    """Read and verify a snapshot file; raise SnapshotError with a clear reason if it is bad."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            document = json.load(handle)
    except FileNotFoundError as exc:
        raise SnapshotError(f"taxonomy snapshot not found: {path}") from exc
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SnapshotError(f"taxonomy snapshot {path} is not gzipped JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SnapshotError(f"taxonomy snapshot {path} is not in format {FORMAT}")
    snapshot = Snapshot(
        concepts=document.get("concepts") or [],
        relations=document.get("relations") or [],
        terms=document.get("terms") or [],
        sources=document.get("sources") or [],
        version=str(document.get("version", "")),
    )
    if snapshot.content_hash() != document.get("sha256"):
        raise SnapshotError(f"taxonomy snapshot {path} is corrupt: its content hash does not match")
    widths = (
        (snapshot.concepts, len(CONCEPT_COLUMNS)),
        (snapshot.relations, len(RELATION_COLUMNS)),
        (snapshot.terms, len(TERM_COLUMNS)),
    )
    for table, width in widths:
        if any(not isinstance(row, list) or len(row) != width for row in table):
            raise SnapshotError(f"taxonomy snapshot {path} has a malformed row")
    return snapshot
