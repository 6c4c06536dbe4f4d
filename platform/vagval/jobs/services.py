"""Writes of vagval.jobs: ingest, deduplicate into clusters, quarantine, expire.

Everything is bulk: per batch of ~1,000 ads the writer makes a fixed, small number of queries
(existing rows, exact-hash lookup, LSH band lookup, candidate fetch, inserts, band inserts,
cluster refresh), never one per ad.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import psycopg
from django.db import connection, models, transaction
from django.utils import timezone

from vagval.jobs import copyrows, dedup
from vagval.jobs.models import (
    SOURCE_RANK,
    ExpiryReason,
    IngestRun,
    JobAd,
    JobCluster,
    LshBand,
    QuarantinedRecord,
    QuarantineReason,
)
from vagval.jobs.normalise import parse_datetime
from vagval.jobs.pipeline import (
    CONTENT_COLUMNS,
    WRITE_BATCH,
    NormalisedAd,
    Result,
    ad_with_texts,
    default_workers,
    prepare_context,
    run,
)
from vagval.jobs.sources import RawRecord, Rejection, Removal, get_adapter
from vagval.jobs.sources.base import raw_text
from vagval.jobs.sources.readers import iter_input_files

logger = logging.getLogger(__name__)

BAND_MEMORY_AFTER = 5  # batches looked up in the table before the run reads it into memory
# Bytes of input per ad at most (JobTech's ad objects, the most verbose, are ~10 KB): an input
# of more bytes than this times the ads of BAND_MEMORY_AFTER batches is a long run for sure.
INPUT_BYTES_PER_AD_MAX = 12_000
KNOWN_MAX = 100_000  # candidate ads whose keys a run keeps (~1 KB each)
IN_CHUNK = 2000  # values per SQL IN list (SQLite's default limit is 32,766 parameters)
AD_TABLE = JobAd._meta.db_table
CLUSTER_TABLE = JobCluster._meta.db_table


class TaxonomyMissingError(RuntimeError):
    """The taxonomy is not loaded, so places and concepts cannot be resolved."""


@dataclass(slots=True)
class IngestSummary:
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    removed: int = 0
    quarantined: int = 0
    seconds: float = 0.0
    run_id: int | None = None
    timings: dict[str, Any] = field(default_factory=dict)

    def as_cli_dict(self) -> dict[str, Any]:
        """The exact summary the `ingest` command prints last."""
        return {
            "read": self.read,
            "new": self.new,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
            "seconds": round(self.seconds, 3),
        }


def _chunked(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


# The hot queries of the writer are plain SQL: Django compiles a 2,000-value `__in` list at
# ~50 us per value, which would cost more than the query itself. On PostgreSQL a list is one
# array parameter (`= ANY(%s)`); elsewhere an `IN (%s, ...)` list in chunks.


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _pg_any(values: Sequence[Any]) -> tuple[str, Any]:
    """The `= ANY(...)` test and its one parameter for `values` on PostgreSQL. Integer ids go
    as one text literal cast to bigint[]: psycopg adapts a list of Python ints element by
    element (~4 us each), and the writer sends tens of thousands per batch."""
    if all(type(v) is int for v in values):
        return "= ANY(%s::bigint[])", "{" + ",".join(map(str, values)) + "}"
    return "= ANY(%s)", list(values)


def _fetch_in(sql: str, values: Sequence[Any], params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of `sql`, whose `{in}` is replaced by the membership test against `values`."""
    rows: list[tuple[Any, ...]] = []
    if not values:
        return rows
    with connection.cursor() as cursor:
        if _pg():
            for part in _chunked(values, 20_000):
                member, value = _pg_any(part)
                cursor.execute(sql.format(**{"in": member}), [*params, value])
                rows.extend(cursor.fetchall())
        else:
            for part in _chunked(values):
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(sql.format(**{"in": f"IN ({marks})"}), [*params, *part])
                rows.extend(cursor.fetchall())
    return rows


def _execute_in(sql: str, values: Sequence[Any], params: Sequence[Any] = ()) -> None:
    """Run a statement (UPDATE/DELETE) with `{in}` against `values`, chunked."""
    if not values:
        return
    with connection.cursor() as cursor:
        if _pg():
            for part in _chunked(values, 20_000):
                member, value = _pg_any(part)
                cursor.execute(sql.format(**{"in": member}), [*params, value])
        else:
            for part in _chunked(values):
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(sql.format(**{"in": f"IN ({marks})"}), [*params, *part])


def _bulk_set(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """UPDATE table SET columns[1:] = ... WHERE columns[0] = ..., for many rows in one statement
    per 500 rows (a VALUES list joined with UPDATE ... FROM; PostgreSQL and SQLite >= 3.33)."""
    if not rows:
        return
    key, *rest = columns
    assignments = ", ".join(f"{c} = v.{c}" for c in rest)
    names = ", ".join(columns)
    arrays = _pg_arrays(rows) if _pg() else None
    with connection.cursor() as cursor:
        if arrays is not None:
            # Integer and boolean columns go as one array literal each, unnested: a VALUES
            # list of 2,000 placeholders cost psycopg ~20 ms to split and quote per statement.
            unnest = ", ".join(f"%s::{sql_type}[]" for sql_type, _literal in arrays)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM unnest({unnest}) AS v ({names}) "  # noqa: S608 - names are ours
                f"WHERE {table}.{key} = v.{key}",
                [literal for _sql_type, literal in arrays],
            )
            return
        for part in _chunked(rows, 500):
            values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(part))
            cursor.execute(
                f"WITH v ({names}) AS (VALUES {values}) "  # noqa: S608 - names are ours
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{key} = v.{key}",
                [value for row in part for value in row],
            )


def _pg_arrays(rows: Sequence[Sequence[Any]]) -> list[tuple[str, str]] | None:
    """Each column of `rows` (at least one) as (SQL array type, array literal) when every
    column is all integers or all booleans, else None."""
    arrays = []
    for column in zip(*rows, strict=True):
        if all(type(v) is bool for v in column):
            arrays.append(("boolean", "{" + ",".join("t" if v else "f" for v in column) + "}"))
        elif all(type(v) is int for v in column):
            arrays.append(("bigint", "{" + ",".join(map(str, column)) + "}"))
        else:
            return None
    return arrays


# --- quarantine -------------------------------------------------------------------------------


def _quarantine_row(rej: Rejection, *, run: IngestRun | None, batch: int) -> QuarantinedRecord:
    text = raw_text(rej.raw)
    size = len(text)
    limit = QuarantinedRecord.RAW_LIMIT
    fingerprint = hashlib.sha256(
        f"{rej.source}\x1f{rej.reason}\x1f{rej.source_id}\x1f".encode()
        + text.encode("utf-8", "surrogatepass")
    ).hexdigest()
    return QuarantinedRecord(
        source=rej.source,
        source_id=rej.source_id.replace("\x00", "")[:255],
        reason=rej.reason,
        message=rej.message.replace("\x00", "")[:5000],
        raw_payload=text[:limit] if size > limit else text,
        raw_truncated=size > limit,
        raw_size=size,
        origin=rej.origin[:1000],
        run=run,
        batch=batch,
        fingerprint=fingerprint,
    )


def quarantine_write(
    *, rejections: Iterable[Rejection], run: IngestRun | None = None, batch: int = 0
) -> int:
    """Store rejected records; the same record rejected again adds no row. Returns the count."""
    rows = [_quarantine_row(r, run=run, batch=batch) for r in rejections]
    if rows:
        QuarantinedRecord.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


# --- band index -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _BandRows:
    """(key, ad id) rows of the band table as two arrays, in key order (so the B-tree takes
    them leaf after leaf, and `_BandMemory` can search them)."""

    keys: np.ndarray
    ads: np.ndarray

    @classmethod
    def of(cls, ad_ids: Sequence[int], band_keys: Sequence[Sequence[int]]) -> _BandRows:
        """The rows of ads given by id and their band keys (a key repeated in one ad: once)."""
        counts = np.fromiter(map(len, band_keys), dtype=np.int64, count=len(band_keys))
        keys = np.fromiter(chain.from_iterable(band_keys), dtype=np.int64, count=int(counts.sum()))
        ads = np.repeat(np.asarray(ad_ids, dtype=np.int64), counts)
        rows = cls.sorted(keys, ads)
        # Sorted by key, a repeated (key, ad) pair is adjacent (the key order is stable).
        repeated = (rows.keys[1:] == rows.keys[:-1]) & (rows.ads[1:] == rows.ads[:-1])
        if repeated.any():
            keep = np.concatenate(([True], ~repeated))
            return cls(rows.keys[keep], rows.ads[keep])
        return rows

    @classmethod
    def from_pairs(cls, rows: Sequence[tuple[int, int]]) -> _BandRows:
        pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
        return cls.sorted(pairs[:, 0], pairs[:, 1])

    @classmethod
    def sorted(cls, keys: np.ndarray, ads: np.ndarray) -> _BandRows:
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], ads[order])

    def plus(self, other: _BandRows) -> _BandRows:
        return _BandRows.sorted(
            np.concatenate([self.keys, other.keys]), np.concatenate([self.ads, other.ads])
        )

    def __len__(self) -> int:
        return len(self.keys)


def _bands_insert(rows: _BandRows) -> None:
    """Insert band rows: binary COPY on PostgreSQL, executemany elsewhere."""
    if not len(rows):
        return
    table = LshBand._meta.db_table
    if _pg():
        # Binary COPY built by numpy in one piece: 26 rows per ad, and a Python-level
        # `write_row` for each cost more than everything else the writer does per ad.
        body = np.empty(len(rows), dtype=_PGCOPY_BAND_ROW)
        body["n"], body["l1"], body["l2"] = 2, 8, 8
        body["key"], body["ad"] = rows.keys, rows.ads
        sql = f"COPY {table} (key, ad_id) FROM STDIN (FORMAT binary)"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:  # type: ignore[attr-defined]
            copy.write(_PGCOPY_HEADER + body.tobytes() + _PGCOPY_TRAILER)
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (key, ad_id) VALUES (%s, %s)",  # noqa: S608
            list(zip(rows.keys.tolist(), rows.ads.tolist(), strict=True)),
        )


_PGCOPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" * 2  # signature, flags, ext.
# One band row of binary COPY: field count, then each field's length and big-endian value.
_PGCOPY_BAND_ROW = np.dtype(
    [("n", ">i2"), ("l1", ">i4"), ("key", ">i8"), ("l2", ">i4"), ("ad", ">i8")]
)
_PGCOPY_TRAILER = b"\xff\xff"


def _bands_delete(rows: list[tuple[int, int]]) -> None:
    """Delete (key, ad_id) rows through the primary key."""
    table = LshBand._meta.db_table
    with connection.cursor() as cursor:
        for part in _chunked(rows, 500):
            pairs = ", ".join(["(%s, %s)"] * len(part))
            cursor.execute(
                f"DELETE FROM {table} WHERE (key, ad_id) IN (VALUES {pairs})",  # noqa: S608
                [value for row in part for value in row],
            )


def _bands_lookup(keys: list[int]) -> dedup.StoredBands:
    table = LshBand._meta.db_table
    wanted = sorted(set(keys))  # in index order: each B-tree page is visited once, in turn
    if _pg():
        # A batch asks for ~25,000 keys. With `key = ANY(array)` the planner expects too many
        # rows and scans the whole table (0.15-0.3 s at 100,000 ads); joined to the unnested
        # array it probes the primary key once per key (~0.05 s). The array goes as one text
        # literal: psycopg adapts a list of Python ints element by element, ~4 us each.
        sql = (
            f"SELECT b.key, b.ad_id FROM unnest(%s::bigint[]) AS k(key) "  # noqa: S608
            f"JOIN {table} b ON b.key = k.key"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, ["{" + ",".join(map(str, wanted)) + "}"])
            rows = cursor.fetchall()
    else:
        rows = _fetch_in(f"SELECT key, ad_id FROM {table} WHERE key {{in}}", wanted)  # noqa: S608
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    return dedup.StoredBands.of_pairs(*_by_key_then_ad(pairs[:, 0], pairs[:, 1]))


def _by_key_then_ad(keys: np.ndarray, ads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Band rows sorted by key, a key's ads by id (the order they were stored in).

    Rows come from the database in whatever order its plan gives; the decision looks at a
    key's ads in order and keeps the first of equally similar ones, so that order must not
    depend on the plan for a run to decide the same way twice. Most keys have one ad: only
    the runs of a repeated key are sorted by ad."""
    order = np.argsort(keys, kind="stable")
    keys, ads = keys[order], ads[order]
    repeated = keys[1:] == keys[:-1]
    if repeated.any():
        in_run = np.zeros(len(keys), dtype=bool)
        in_run[1:] |= repeated
        in_run[:-1] |= repeated
        at = np.flatnonzero(in_run)
        ads[at] = ads[at][np.lexsort((ads[at], keys[at]))]  # keys[at] is sorted already
    return keys, ads


class _BandMemory:
    """The stored LSH band index held in memory, for long runs (PostgreSQL).

    Looking up a batch's ~26,000 band keys in the table costs ~0.2 s at 100,000 stored ads and
    grows with the table; after a few batches it is cheaper to read the whole table once into
    sorted numpy arrays and search those. It is read as a few bytea values of packed 16-byte
    rows, one per slice of the key space (`_SLICE_SHIFT`; each far below bytea's 1 GB limit):
    0.5 s for 2 million rows, where COPY TO, one message and one Python-level read per row,
    took 1.9 s of the writer's time. Keys written later in the run are added as sorted
    segments, merged while they are small, so a lookup searches a handful of arrays. Bands
    deleted during the run may still be found here: harmless, since every candidate is
    compared by its stored signature before it counts.
    Runs hold the ingest lock, so no other ingest adds bands meanwhile.
    """

    _PACKED = np.dtype([("key", ">i8"), ("ad", ">i8")])  # int8send(key) || int8send(ad_id)
    _SLICE_SHIFT = 59  # 32 slices of the signed 64-bit key space

    def __init__(self) -> None:
        table = LshBand._meta.db_table
        sql = (
            "SELECT string_agg(int8send(key) || int8send(ad_id), ''::bytea) "  # noqa: S608
            f"FROM {table} GROUP BY key >> {self._SLICE_SHIFT}"
        )
        # Binary results: each bytea arrives as its bytes, not as hex text to decode.
        # (Django's cursors bind parameters client-side, which rules binary results out.)
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, binary=True)
            parts = [np.frombuffer(packed, dtype=self._PACKED) for (packed,) in cursor]
        rows = np.concatenate(parts) if parts else np.zeros(0, dtype=self._PACKED)
        self.segments: list[tuple[np.ndarray, np.ndarray]] = [
            _by_key_then_ad(rows["key"].astype(np.int64), rows["ad"].astype(np.int64))
        ]

    def add(self, rows: _BandRows) -> None:
        if not len(rows):
            return
        self.segments.append((rows.keys, rows.ads))
        # Merge the newest segments while the last is at least as large as the one before it:
        # log-many segments, each row merged log-many times.
        while len(self.segments) > 1 and len(self.segments[-1][0]) >= len(self.segments[-2][0]):
            (k2, a2), (k1, a1) = self.segments.pop(), self.segments.pop()
            keys, ads = np.concatenate([k1, k2]), np.concatenate([a1, a2])
            order = np.argsort(keys, kind="stable")
            self.segments.append((keys[order], ads[order]))

    def lookup(self, keys: list[int]) -> dedup.StoredBands:
        """The ads under `keys` (a key's ads: older segments first), for the keys that have any."""
        none = dedup.StoredBands.of_pairs(np.zeros(0, np.int64), np.zeros(0, np.int64))
        if not keys:
            return none
        wanted = np.unique(np.array(keys, dtype=np.int64))
        found_keys, found_ads = [], []
        for seg_keys, seg_ads in self.segments:
            if not len(seg_keys):
                continue
            lo = np.searchsorted(seg_keys, wanted, side="left")
            hit = seg_keys[np.minimum(lo, len(seg_keys) - 1)] == wanted
            if not hit.any():
                continue
            # the run's end only for the keys present (most wanted keys are not)
            lo = lo[hit]
            counts = np.searchsorted(seg_keys, wanted[hit], side="right") - lo
            # each hit key's run lo .. lo + count - 1, all runs in one gather
            runs = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
            found_keys.append(np.repeat(wanted[hit], counts))
            found_ads.append(seg_ads[runs])
        if not found_keys:
            return none
        # sorted stably by key: a key's ads stay in segment order
        return dedup.StoredBands.of_pairs(np.concatenate(found_keys), np.concatenate(found_ads))


_INSERT_FIELDS = [f for f in JobAd._meta.concrete_fields if f.column != "id"]
_JSON_ATTNAMES = frozenset(f.attname for f in _INSERT_FIELDS if isinstance(f, models.JSONField))


def _ids_reserve(table: str, count: int) -> list[int] | None:
    """`count` fresh ids from the table's sequence (PostgreSQL), or None (elsewhere: the
    database assigns them on insert)."""
    if not _pg() or count == 0:
        return None if not _pg() else []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608
            "FROM generate_series(1, %s)",
            [count],
        )
        return [r[0] for r in cursor.fetchall()]


def _copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows into a table (PostgreSQL only)."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row(row)


def _ads_insert(rows: list[dict[str, Any]], ids: list[int] | None) -> list[int]:
    """Insert new ads (column values by attname) and return their ids: COPY with the reserved
    `ids` on PostgreSQL (several times faster than a multi-row INSERT of wide rows, and no
    model instances to build), bulk_create elsewhere (`ids` None)."""
    if not rows:
        return []
    if ids is None:
        return [obj.pk for obj in JobAd.objects.bulk_create([JobAd(**r) for r in rows], 500)]
    now = timezone.now()
    defaults = {f.attname: f.get_default() for f in _INSERT_FIELDS if f.attname not in rows[0]}
    defaults["first_seen_at"] = defaults["updated_at"] = now
    attnames = [f.attname for f in _INSERT_FIELDS]
    json_at = [at for at, name in enumerate(attnames, start=1) if name in _JSON_ATTNAMES]
    dumps = orjson.dumps

    def values() -> Iterator[list[Any]]:
        # Every row has the same keys (one code path builds them), so one lookup per column.
        for ad_id, row in zip(ids, rows, strict=True):
            full = defaults | row
            out: list[Any] = [ad_id, *map(full.__getitem__, attnames)]
            for at in json_at:
                out[at] = dumps(out[at]).decode()
            yield out

    _copy_rows(AD_TABLE, ["id", *(str(f.column) for f in _INSERT_FIELDS)], values())
    return ids


# The columns the writer decides, before an ad's `copy_fields` (`CONTENT_COLUMNS`) in a line.
_WRITER_COLUMNS = (
    "id",
    "source",
    "source_id",
    "cluster_id",
    "is_active",
    "expired_at",
    "expired_reason",
    "is_canonical",
    "removed_at",
    "first_seen_at",
    "updated_at",
)
assert {f.attname for f in JobAd._meta.concrete_fields} == {
    *_WRITER_COLUMNS,
    *CONTENT_COLUMNS,
}, "every JobAd column is the writer's or the content's"


def _ads_copy(
    ads: list[NormalisedAd],
    ids: list[int],
    decided: list[tuple[int, bool, dt.datetime | None, str]],
    canonical: set[int],
) -> list[int]:
    """Insert new ads by COPY from the lines the workers began (`NormalisedAd.copy_fields`):
    here only the writer's columns are encoded, from (cluster id, active, expired at, expiry
    reason) per ad and the indexes of the ads their cluster shows."""
    now = copyrows.field(timezone.now())
    field = copyrows.field
    lines = [
        "\t".join(
            (
                str(ad_id),
                field(ad.source),
                field(ad.source_id),
                str(cluster_id),
                "t" if active else "f",
                field(expired_at),
                field(reason),
                "t" if i in canonical else "f",
                copyrows.NULL,
                now,
                now,
                "",
            )
        ).encode()
        + ad.copy_fields
        + b"\n"
        for i, (ad_id, ad, (cluster_id, active, expired_at, reason)) in enumerate(
            zip(ids, ads, decided, strict=True)
        )
    ]
    sql = f"COPY {AD_TABLE} ({', '.join((*_WRITER_COLUMNS, *CONTENT_COLUMNS))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:  # type: ignore[attr-defined]
        copy.write(b"".join(lines))
    return ids


def _clusters_create(rows: list[tuple[int | None, int, bool]], ids: list[int] | None) -> list[int]:
    """New clusters from (canonical ad id or None, member count, active); returns their ids.
    With reserved `ids` (PostgreSQL) one COPY; the canonical ads may be inserted after it, in
    the same transaction, as Django's foreign keys are deferred."""
    if ids is None:
        created = JobCluster.objects.bulk_create(
            [JobCluster(canonical_id=c, member_count=n, is_active=a) for c, n, a in rows], 500
        )
        return [c.pk for c in created]
    now = timezone.now()
    _copy_rows(
        CLUSTER_TABLE,
        ("id", "canonical_id", "member_count", "is_active", "created_at", "updated_at"),
        ((cid, c, n, a, now, now) for cid, (c, n, a) in zip(ids, rows, strict=True)),
    )
    return ids


# --- clusters ---------------------------------------------------------------------------------


def _canonical_rank(row: dict[str, Any]) -> tuple[int, int, int]:
    return (0 if row["is_active"] else 1, SOURCE_RANK.get(row["source"], 99), row["id"])


def clusters_refresh(*, cluster_ids: Iterable[int]) -> None:
    """Recompute member count, shown ad and activity of the given clusters; drop empty ones."""
    ids = sorted(set(cluster_ids))
    if not ids:
        return
    members: dict[int, list[Any]] = defaultdict(list)
    sql = (
        f"SELECT id, cluster_id, source, is_active, is_canonical FROM {AD_TABLE} "  # noqa: S608
        "WHERE cluster_id {in}"
    )
    for ad_id, cid, source, active, canonical in _fetch_in(sql, ids):
        members[cid].append(
            {
                "id": ad_id,
                "source": source,
                "is_active": bool(active),
                "is_canonical": bool(canonical),
            }
        )
    updates: list[tuple[int, int, int, bool]] = []
    empty: list[int] = []
    canonical_on: list[int] = []
    canonical_off: list[int] = []
    for cid in ids:
        rows = members.get(cid)
        if not rows:
            empty.append(cid)
            continue
        best = min(rows, key=_canonical_rank)
        updates.append((cid, best["id"], len(rows), any(r["is_active"] for r in rows)))
        for r in rows:
            if r["id"] == best["id"] and not r["is_canonical"]:
                canonical_on.append(r["id"])
            elif r["id"] != best["id"] and r["is_canonical"]:
                canonical_off.append(r["id"])
    _bulk_set(CLUSTER_TABLE, ("id", "canonical_id", "member_count", "is_active"), updates)
    _execute_in(f"UPDATE {AD_TABLE} SET is_canonical = %s WHERE id {{in}}", canonical_on, [True])  # noqa: S608
    _execute_in(f"UPDATE {AD_TABLE} SET is_canonical = %s WHERE id {{in}}", canonical_off, [False])  # noqa: S608
    _execute_in(f"DELETE FROM {CLUSTER_TABLE} WHERE id {{in}}", empty)  # noqa: S608


# --- the batch writer -------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    cluster_id: int | None  # None: a new cluster founded earlier in this batch (see slot)
    slot: int | None
    keys: dedup.DedupKeys


class AdBatchWriter:
    """Writes pipeline results batch by batch; keeps the run's counters."""

    def __init__(
        self, *, source: str, run: IngestRun | None, now: dt.datetime, expected_ads: int = 0
    ) -> None:
        """`expected_ads`: how many ads the run will write at least, if known (0: unknown)."""
        self.source = source
        self.expected_ads = expected_ads
        self.run = run
        self.now = now
        self.summary = IngestSummary(run_id=run.pk if run else None)
        self.seen_ids: set[str] = set()
        self.batch_no = 0
        self.bands: _BandMemory | None = None  # loaded after BAND_MEMORY_AFTER batches
        # What matching needs of candidate ads (their cluster and keys), kept for the run: the
        # ads it inserted, and stored ads read as candidates, which come back batch after
        # batch (an employer's boilerplate puts its ads in one band). An ad changes during a
        # run only through this writer (the ingest lock; an id repeated in one run is
        # quarantined), which forgets the ads it updates. Bounded: cleared at KNOWN_MAX.
        self.known: dict[int, tuple[int | None, dedup.DedupKeys]] = {}
        self.codes = dedup.KeyCodes()  # candidates as arrays of ints, kept by id like `known`

    # The one public method the pipeline calls.
    def write(self, results: list[Result]) -> None:
        self.batch_no += 1
        rejections: list[Rejection] = []
        removals: dict[str, Removal] = {}
        ads: list[NormalisedAd] = []
        for item in results:
            if isinstance(item, NormalisedAd):
                if item.source_id in self.seen_ids:
                    rejections.append(
                        Rejection(
                            item.source,
                            item.source_id,
                            str(QuarantineReason.DUPLICATE_ID),
                            f"Id {item.source_id!r} förekommer redan tidigare i samma "
                            "inläsning; den första förekomsten lästes in.",
                            item.raw,
                            item.origin,
                        )
                    )
                    continue
                self.seen_ids.add(item.source_id)
                ads.append(item)
            elif isinstance(item, Removal):
                removals[item.source_id] = item
            else:
                rejections.append(item)
        with transaction.atomic():
            touched: set[int] = set()
            if ads:
                touched |= self._write_ads(ads)
            if removals:
                touched |= self._apply_removals(list(removals.values()))
            clusters_refresh(cluster_ids=touched)
            self.summary.quarantined += quarantine_write(
                rejections=rejections, run=self.run, batch=self.batch_no
            )
        for ad in ads:
            ad.raw = ad.record = None

    def _write_ads(self, ads: list[NormalisedAd]) -> set[int]:
        existing: dict[str, dict[str, Any]] = {}
        columns = (
            "id, source_id, record_hash, content_hash, minhash, cluster_id, title_key, "
            "employer_key, removed_at"
        )
        source_ids = [a.source_id for a in ads]
        if _pg():
            # One probe of the (source, source_id) key per id. With `source_id = ANY(...)`
            # the planner, its statistics taken before the run, expects one ad of this source
            # and filters all of them instead (~25 ms a batch at 35,000).
            sql = (
                f"SELECT a.* FROM unnest(%s::text[]) AS k(sid) CROSS JOIN LATERAL "  # noqa: S608
                f"(SELECT {columns} FROM {AD_TABLE} WHERE source = %s AND source_id = k.sid "
                "LIMIT 1) a"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [sorted(source_ids), self.source])
                stored = cursor.fetchall()
        else:
            sql = f"SELECT {columns} FROM {AD_TABLE} WHERE source = %s AND source_id {{in}}"  # noqa: S608
            stored = _fetch_in(sql, source_ids, [self.source])
        for ad_id, sid, record_hash, content_hash, minhash, cid, t_key, e_key, removed in stored:
            existing[sid] = {
                "id": ad_id,
                # An ad removed at its source that arrives again is published again: never
                # "unchanged", so it is rewritten, active unless past its deadline.
                "record_hash": record_hash if removed is None else "",
                "content_hash": content_hash,
                "minhash": bytes(minhash),
                "cluster_id": cid,
                "title_key": t_key,
                "employer_key": e_key,
            }
        new_ads = [a for a in ads if a.source_id not in existing]
        changed = [
            a
            for a in ads
            if a.source_id in existing and existing[a.source_id]["record_hash"] != a.record_hash
        ]
        self.summary.unchanged += len(ads) - len(new_ads) - len(changed)
        self.summary.new += len(new_ads)
        self.summary.updated += len(changed)
        # Ads whose text changed are matched again; metadata-only changes keep their cluster.
        rematch = [
            a
            for a in changed
            if bytes(existing[a.source_id]["minhash"]) != a.minhash
            or existing[a.source_id]["content_hash"] != a.content_hash
        ]
        to_match = new_ads + rematch
        exclude = {existing[a.source_id]["id"] for a in rematch}
        assignment, founders, keys_of = self._match(to_match, exclude)
        touched: set[int] = set()

        # Each ad's cluster: an existing one, or one founded in this batch (by its slot).
        slot_of = [
            None if cid is not None else (slot if slot is not None else i)
            for i, (cid, slot) in enumerate(assignment)
        ]
        activity = [self._activity(ad) for ad in new_ads]
        ad_ids = _ids_reserve(AD_TABLE, len(new_ads))
        # With the new ads' ids known (PostgreSQL), a cluster founded here whose members are all
        # new ads is written complete: its shown ad, size and activity, and the ads' canonical
        # flag, instead of being inserted empty and then refreshed, which would update every
        # freshly inserted ad row again. Others (or without ids) are refreshed below.
        members: dict[int, list[int]] = defaultdict(list)
        for i, slot in enumerate(slot_of):
            if slot is not None:
                members[slot].append(i)
        complete: dict[int, tuple[int, int, bool]] = {}  # slot -> (canonical index, n, active)
        if ad_ids is not None:
            n_new = len(new_ads)
            for slot in founders:
                group = members[slot]
                if all(i < n_new for i in group):
                    best = min(
                        group,
                        key=lambda i: (
                            0 if activity[i][0] else 1,
                            SOURCE_RANK.get(new_ads[i].source, 99),
                            i,
                        ),
                    )
                    complete[slot] = (best, len(group), any(activity[i][0] for i in group))
        cluster_rows: list[tuple[int | None, int, bool]] = []
        for slot in founders:
            if slot in complete:
                best, n, active = complete[slot]
                cluster_rows.append((ad_ids[best] if ad_ids else None, n, active))
            else:
                cluster_rows.append((None, 0, True))
        cluster_ids = _clusters_create(
            cluster_rows, _ids_reserve(CLUSTER_TABLE, len(founders)) if ad_ids is not None else None
        )
        slot_cluster = dict(zip(founders, cluster_ids, strict=True))
        canonical_rows = {best for best, _n, _a in complete.values()}
        cluster_of: list[int] = []
        for i, (cid, _slot) in enumerate(assignment):
            if cid is not None:
                cluster_of.append(cid)
                touched.add(cid)
            else:
                slot = slot_of[i]
                assert slot is not None
                cluster_of.append(slot_cluster[slot])
                if slot not in complete:
                    touched.add(slot_cluster[slot])
        self.summary.duplicates += sum(1 for i in range(len(new_ads)) if i not in slot_cluster)

        if ad_ids is not None and all(ad.copy_fields for ad in new_ads):
            # The workers encoded the content columns for COPY: add the writer's own.
            created_ids = _ads_copy(
                new_ads,
                ad_ids,
                [
                    (cluster_of[i], active, self.now if not active else None, reason)
                    for i, (active, reason) in enumerate(activity)
                ],
                canonical_rows,
            )
        else:
            rows = []
            for i, ad in enumerate(new_ads):
                active, reason = activity[i]
                row = ad_with_texts(ad).model_fields()
                row.update(
                    source=ad.source,
                    source_id=ad.source_id,
                    cluster_id=cluster_of[i],
                    is_active=active,
                    expired_at=self.now if not active else None,
                    expired_reason=reason,
                    is_canonical=i in canonical_rows,
                )
                rows.append(row)
            created_ids = _ads_insert(rows, ad_ids)
        n_new = len(new_ads)  # the first ones matched; the rematched changed ads follow
        if len(self.known) > KNOWN_MAX:
            self.known.clear()
        self.known.update(
            zip(created_ids, zip(cluster_of[:n_new], keys_of[:n_new], strict=True), strict=True)
        )
        band_rows = _BandRows.of(created_ids, [ad.band_keys for ad in new_ads])

        if changed:
            # with every field (the workers send new ads without the texts the COPY holds)
            changed = [ad_with_texts(ad) for ad in changed]
            offset = len(new_ads)
            new_cluster_for = {
                existing[a.source_id]["id"]: cluster_of[offset + j] for j, a in enumerate(rematch)
            }
            update_rows = []
            fields = [
                *changed[0].model_fields().keys(),
                "is_active",
                "expired_at",
                "expired_reason",
                "removed_at",
                "cluster",
                "updated_at",
            ]
            for ad in changed:
                old = existing[ad.source_id]
                active, reason = self._activity(ad)
                obj = JobAd(
                    id=old["id"], source=ad.source, source_id=ad.source_id, **ad.model_fields()
                )
                obj.is_active = active
                obj.expired_at = self.now if not active else None
                obj.expired_reason = reason
                obj.removed_at = None
                obj.cluster_id = new_cluster_for.get(old["id"], old["cluster_id"])
                obj.updated_at = self.now
                if old["cluster_id"]:
                    touched.add(old["cluster_id"])
                touched.add(obj.cluster_id)  # type: ignore[arg-type]
                update_rows.append(obj)
            JobAd.objects.bulk_update(update_rows, fields, batch_size=500)
            for obj in update_rows:
                self.known.pop(obj.id, None)
            self.codes.forget(obj.id for obj in update_rows)
            old_bands = [
                (key, old["id"])
                for old in (existing[a.source_id] for a in rematch)
                for key in set(
                    dedup.band_keys(
                        dedup.signature_from_bytes(old["minhash"]),
                        employer_key=old["employer_key"],
                        title_key=old["title_key"],
                    )
                )
            ]
            _bands_delete(old_bands)
            band_rows = band_rows.plus(
                _BandRows.of(
                    [existing[a.source_id]["id"] for a in rematch], [a.band_keys for a in rematch]
                )
            )
        _bands_insert(band_rows)
        if self.bands is not None:
            self.bands.add(band_rows)
        return touched

    def _activity(self, ad: NormalisedAd) -> tuple[bool, str]:
        if ad.application_deadline and ad.application_deadline < self.now:
            return False, ExpiryReason.DEADLINE
        return True, ""

    def _match(
        self, ads: list[NormalisedAd], exclude: set[int]
    ) -> tuple[list[tuple[int | None, int | None]], list[int], list[dedup.DedupKeys]]:
        """For each ad, (existing cluster id, or None and the batch slot of its new cluster).

        Returns the assignment and the slots (indexes into `ads`) that found a new cluster.
        """
        if not ads:
            return [], [], []
        # 1. Exact duplicates by content hash, against stored ads.
        exact: dict[str, int] = {}
        hashes = list({a.content_hash for a in ads})
        sql = f"SELECT content_hash, cluster_id, id FROM {AD_TABLE} WHERE content_hash {{in}}"  # noqa: S608
        # By id, so that of stored ads with the same text in different clusters the oldest's
        # is taken whatever order the database returns them in.
        for h, cid, ad_id in sorted(_fetch_in(sql, hashes), key=lambda row: row[2]):
            if cid is not None and ad_id not in exclude:
                exact.setdefault(h, cid)
        # 2. Near-duplicate candidates from the stored band index.
        wanted = [k for a in ads if a.content_hash not in exact for k in a.band_keys]
        # A run known to be long reads the index at its first batch: the workers are still
        # filling the first batches then, so the reading overlaps their work, and the table
        # is not queried for the batches before.
        long_run = self.expected_ads > BAND_MEMORY_AFTER * WRITE_BATCH
        if self.bands is None and _pg() and (long_run or self.batch_no > BAND_MEMORY_AFTER):
            self.bands = _BandMemory()
        stored = self.bands.lookup(wanted) if self.bands is not None else _bands_lookup(wanted)
        candidate_ids = set(stored.ad_ids().tolist()) - exclude
        known = self.known
        info = {ad_id: known[ad_id] for ad_id in candidate_ids if ad_id in known}
        sql = (
            "SELECT id, cluster_id, minhash, title_key, employer_key, employer_org_number "  # noqa: S608
            f"FROM {AD_TABLE} WHERE id {{in}}"
        )
        unread = sorted(candidate_ids.difference(info))
        for ad_id, cid, minhash, t_key, e_key, org in _fetch_in(sql, unread):
            info[ad_id] = known[ad_id] = (
                cid,
                dedup.DedupKeys(dedup.signature_from_bytes(minhash), t_key, e_key, org),
            )
        # 3. Decide, in input order, also against earlier ads of this batch.
        batch = [
            dedup.BatchAd(
                ad.content_hash,
                ad.band_keys,
                dedup.DedupKeys(
                    dedup.signature_from_bytes(ad.minhash),
                    ad.title_key,
                    ad.employer_key,
                    ad.employer_org_number,
                ),
            )
            for ad in ads
        ]
        assignment, founders = dedup.assign_batch(
            batch, exact=exact, stored=stored, candidates=info, codes=self.codes
        )
        return assignment, founders, [ad.keys for ad in batch]

    def _apply_removals(self, removals: list[Removal]) -> set[int]:
        rows: dict[str, JobAd] = {}
        for part in _chunked([r.source_id for r in removals]):
            for ad in JobAd.objects.filter(source=self.source, source_id__in=part).only(
                "id", "source_id", "cluster_id", "is_active", "removed_at"
            ):
                rows[ad.source_id] = ad
        changed = []
        for removal in removals:
            target = rows.get(removal.source_id)
            if target is None or target.removed_at is not None:
                continue  # unknown or already removed: nothing to do (idempotent)
            target.removed_at = parse_datetime(removal.removed_at) or self.now
            target.is_active = False
            target.expired_at = self.now
            target.expired_reason = ExpiryReason.REMOVED
            changed.append(target)
        JobAd.objects.bulk_update(
            changed, ["removed_at", "is_active", "expired_at", "expired_reason"], batch_size=500
        )
        self.summary.removed += len(changed)
        self.summary.updated += len(changed)
        return {ad.cluster_id for ad in changed if ad.cluster_id}


# --- entry points -----------------------------------------------------------------------------


def _check_taxonomy() -> None:
    from vagval.jobs.places import get_place_resolver

    if not get_place_resolver().loaded:
        raise TaxonomyMissingError(
            "Taxonomin är inte inläst (inga kommuner finns). "
            "Kör först: python manage.py load_taxonomy"
        )


INGEST_LOCK_ID = 0x7661677661_6A6F6273 & 0x7FFFFFFFFFFFFFFF  # "vagval" "jobs"


@contextmanager
def ingest_lock() -> Iterator[None]:
    """One ingest at a time on PostgreSQL (a session advisory lock): two concurrent runs could
    each miss the other's new ads when matching, and make two clusters of one job. SQLite
    serialises writers by itself."""
    if not _pg():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [INGEST_LOCK_ID])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [INGEST_LOCK_ID])


def ads_ingest_records(
    *,
    source: str,
    records: Iterable[RawRecord | Rejection],
    inputs: list[str] | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    now: dt.datetime | None = None,
    expected_ads: int = 0,
) -> IngestSummary:
    """Run raw records of one source through the whole pipeline into the database.

    `expected_ads`: how many ads the records hold at least, if known (0: unknown)."""
    get_adapter(source)  # fail early on an unknown source
    _check_taxonomy()
    now = now or timezone.now()
    prepare_context(now=now, copy_rows=_pg())
    ingest_run = IngestRun.objects.create(source=source, inputs=inputs or [])
    writer = AdBatchWriter(source=source, run=ingest_run, now=now, expected_ads=expected_ads)
    with ingest_lock():
        stats = run(
            records,
            writer,
            workers=default_workers() if workers is None else workers,
            progress=progress,
        )
    summary = writer.summary
    summary.read = stats.read
    summary.timings = stats.timings
    summary.seconds = stats.timings.get("total", 0.0)
    for name in ("read", "new", "updated", "unchanged", "duplicates", "removed", "quarantined"):
        setattr(ingest_run, name, getattr(summary, name))
    ingest_run.seconds = summary.seconds
    ingest_run.timings = summary.timings
    ingest_run.finished_at = timezone.now()
    ingest_run.save()
    return summary


def ads_ingest(
    *,
    source: str,
    paths: Sequence[Path],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    now: dt.datetime | None = None,
) -> IngestSummary:
    """Ingest files or folders of one source. Raises `InputError` for a missing/unreadable path."""
    adapter = get_adapter(source)
    path_list = [Path(p) for p in paths]
    # Every path checked (and folders listed) once, before anything is written.
    files = iter_input_files(path_list, adapter.extensions)

    def records() -> Iterator[RawRecord | Rejection]:
        for path in files:
            yield from adapter.records(path)

    # A lower bound on the ads, from the input's size (compressed files count low: safe).
    size = sum(path.stat().st_size for path in files)

    return ads_ingest_records(
        source=source,
        records=records(),
        inputs=[str(p) for p in path_list],
        workers=workers,
        progress=progress,
        now=now,
        expected_ads=size // INPUT_BYTES_PER_AD_MAX,
    )


def ads_expire(*, now: dt.datetime | None = None, batch_size: int = 5000) -> int:
    """Expire active ads whose application deadline has passed. Returns how many."""
    now = now or timezone.now()
    total = 0
    while True:
        rows = list(
            JobAd.objects.filter(is_active=True, application_deadline__lt=now).values_list(
                "id", "cluster_id"
            )[:batch_size]
        )
        if not rows:
            return total
        ids = [r[0] for r in rows]
        with transaction.atomic():
            JobAd.objects.filter(id__in=ids).update(
                is_active=False, expired_at=now, expired_reason=ExpiryReason.DEADLINE
            )
            clusters_refresh(cluster_ids={r[1] for r in rows if r[1]})
        total += len(ids)


def ads_remove(*, source: str, source_ids: Sequence[str], now: dt.datetime | None = None) -> int:
    """Mark ads as removed at their source (used by live sources that report removals)."""
    writer = AdBatchWriter(source=source, run=None, now=now or timezone.now())
    with transaction.atomic():
        touched = writer._apply_removals([Removal(source, sid, None, "api") for sid in source_ids])
        clusters_refresh(cluster_ids=touched)
    return writer.summary.removed


def quarantine_purge(*, older_than: dt.datetime) -> int:
    """Delete quarantine rows created before `older_than` (retention)."""
    deleted, _ = QuarantinedRecord.objects.filter(created_at__lt=older_than).delete()
    return deleted


__all__ = [
    "AdBatchWriter",
    "IngestSummary",
    "TaxonomyMissingError",
    "ads_expire",
    "ads_ingest",
    "ads_ingest_records",
    "ads_remove",
    "clusters_refresh",
    "quarantine_purge",
    "quarantine_write",
]


# --- live JobStream -----------------------------------------------------------------------------


def jobstream_sync(
    *,
    client: Any = None,
    now: dt.datetime | None = None,
    workers: int = 1,
) -> IngestSummary:
    """Fetch what changed at JobStream since the cursor (a snapshot the first time) and ingest it.

    The cursor moves to the end of the window only after the batch is written, so a failed run
    is simply repeated by the next one.
    """
    from vagval.jobs.models import SourceCursor
    from vagval.jobs.sources.jobstream import (
        CURSOR_NAME,
        OVERLAP,
        client_from_settings,
        iter_ads,
    )

    client = client or client_from_settings()
    now = now or timezone.now()
    cursor, _ = SourceCursor.objects.get_or_create(source=CURSOR_NAME)
    if cursor.last_timestamp is None:
        body = client.snapshot()
        origin = "jobstream:/v2/snapshot"
    else:
        body = client.stream(updated_after=cursor.last_timestamp - OVERLAP, updated_before=now)
        origin = "jobstream:/v2/stream"
    with body:
        summary = ads_ingest_records(
            source="jobtech",
            records=iter_ads(body, origin),
            inputs=[origin],
            workers=workers,
            now=now,
        )
    cursor.last_timestamp = now
    cursor.save(update_fields=["last_timestamp", "updated_at"])
    return summary


def ads_demo_dates_set(
    *, source: str, source_ids: Sequence[str], today: dt.date | None = None
) -> int:
    """DEMO ONLY: make old sample ads look current. Each ad gets a publication date spread
    (stably, by its id) over the 14 days before today and a deadline 30 days after it, and is active
    again. Real ingestion never calls this; `load_demo` does, because the committed and scraped
    ads are from 2019-2023 and have no or past dates. Returns how many rows changed (0 when run
    twice on the same day)."""
    today = today or timezone.localdate()
    midnight = dt.datetime.combine(today, dt.time(8, 0), tzinfo=timezone.get_current_timezone())
    changed: list[JobAd] = []
    clusters: set[int] = set()
    rows = JobAd.objects.filter(
        source=source, source_id__in=list(source_ids), removed_at__isnull=True
    ).only("id", "source_id", "published_at", "application_deadline", "is_active", "cluster_id")
    for ad in rows.iterator(chunk_size=1000):
        offset = int(hashlib.sha256(ad.source_id.encode()).hexdigest()[:8], 16) % 14 + 1
        published = midnight - dt.timedelta(days=offset)
        deadline = published + dt.timedelta(days=30)
        if (ad.published_at, ad.application_deadline, ad.is_active) == (published, deadline, True):
            continue
        ad.published_at, ad.application_deadline, ad.is_active = published, deadline, True
        ad.expired_at, ad.expired_reason = None, ""
        changed.append(ad)
        if ad.cluster_id:
            clusters.add(ad.cluster_id)
    with transaction.atomic():
        JobAd.objects.bulk_update(
            changed,
            ["published_at", "application_deadline", "is_active", "expired_at", "expired_reason"],
            batch_size=500,
        )
        clusters_refresh(cluster_ids=clusters)
    return len(changed)
