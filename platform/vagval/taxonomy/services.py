"""Writes of vagval.taxonomy: loading the committed snapshot into the database.

`taxonomy_load` is idempotent. It compares the snapshot's version with the one loaded last and does
nothing if they are equal (unless forced). Otherwise it diffs the snapshot against the rows in the
database and writes only what differs, in bulk, inside one transaction, so a re-run changes
nothing and a failed run leaves the previous taxonomy intact. Plain ORM only: SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from vagval.taxonomy.cache import taxonomy_version_reset
from vagval.taxonomy.models import Concept, ConceptRelation, ConceptTerm, TaxonomyRelease
from vagval.taxonomy.normalize import normalize_term
from vagval.taxonomy.snapshot import DEFAULT_SNAPSHOT_PATH, Snapshot, SnapshotError, snapshot_read

BATCH = 2000


@dataclass
class LoadResult:
    """What a load did. `skipped` means the same version was already loaded."""

    version: str
    skipped: bool
    seconds: float = 0.0
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    deprecated: int = 0
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return (
            sum(self.created.values())
            + sum(self.updated.values())
            + sum(self.deleted.values())
            + self.deprecated
        )


def taxonomy_load(*, path: Path | None = None, force: bool = False) -> LoadResult:
    """Load the taxonomy snapshot at `path` (default: the committed one) into the database.

    Raises SnapshotError (a ValueError) with the reason if the file is missing or corrupt; the
    database is then left as it was.
    """
    started = time.perf_counter()
    snapshot_path = Path(path) if path else DEFAULT_SNAPSHOT_PATH
    snapshot = snapshot_read(snapshot_path)
    _check_references(snapshot)
    latest = TaxonomyRelease.objects.order_by("-loaded_at", "-id").first()
    if latest is not None and latest.version == snapshot.version and not force:
        return LoadResult(
            version=snapshot.version,
            skipped=True,
            seconds=time.perf_counter() - started,
            totals=_totals(),
        )
    result = LoadResult(version=snapshot.version, skipped=False)
    with transaction.atomic():
        _load_concepts(snapshot, result)
        _load_relations(snapshot, result)
        _load_terms(snapshot, result)
        result.totals = _totals()
        release, _created = TaxonomyRelease.objects.get_or_create(version=snapshot.version)
        release.source = str(snapshot_path)[-500:]
        release.counts = result.totals
        release.save()  # auto_now: the release loaded last is the one in force
    taxonomy_version_reset()
    result.seconds = time.perf_counter() - started
    return result


def _check_references(snapshot: Snapshot) -> None:
    ids = {row[0] for row in snapshot.concepts}
    for row in snapshot.concepts:
        if row[5] is not None and row[5] not in ids:
            raise SnapshotError(f"concept {row[0]} has an unknown parent {row[5]}")
    for row in snapshot.relations:
        if row[0] not in ids or row[1] not in ids:
            raise SnapshotError(f"relation {row[0]} -> {row[1]} names an unknown concept")
    for row in snapshot.terms:
        if row[0] not in ids:
            raise SnapshotError(f"term {row[1]!r} names an unknown concept {row[0]}")


def _totals() -> dict[str, int]:
    return {
        "concepts": Concept.objects.count(),
        "relations": ConceptRelation.objects.count(),
        "terms": ConceptTerm.objects.count(),
    }


def _load_concepts(snapshot: Snapshot, result: LoadResult) -> None:
    existing: dict[str, tuple[Any, ...]] = {
        row[0]: row[1:]
        for row in Concept.objects.values_list("concept_id", *_CONCEPT_FIELDS).iterator(
            chunk_size=BATCH
        )
    }
    wanted: dict[str, tuple[Any, ...]] = {
        cid: (ctype, label_sv, label_en, code or "", parent, bool(deprecated), extra or {})
        for cid, ctype, label_sv, label_en, code, parent, deprecated, extra in snapshot.concepts
    }

    def build(cid: str, values: tuple[Any, ...]) -> Concept:
        return Concept(concept_id=cid, **dict(zip(_CONCEPT_FIELDS, values, strict=True)))

    new = [build(cid, v) for cid, v in wanted.items() if cid not in existing]
    changed = [build(cid, v) for cid, v in wanted.items() if cid in existing and existing[cid] != v]
    # Concepts are referenced from other apps: one that is no longer in the snapshot is kept
    # and marked deprecated, never deleted.
    gone = [cid for cid, v in existing.items() if cid not in wanted and not v[5]]
    # Foreign keys are deferred to commit on SQLite and PostgreSQL alike, so a child may be
    # inserted before its parent within this transaction.
    Concept.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        fields = [f.removesuffix("_id") for f in _CONCEPT_FIELDS]
        Concept.objects.bulk_update(changed, fields, batch_size=BATCH)
    for start in range(0, len(gone), BATCH):
        Concept.objects.filter(concept_id__in=gone[start : start + BATCH]).update(deprecated=True)
    result.created["concepts"] = len(new)
    result.updated["concepts"] = len(changed)
    result.deprecated = len(gone)


_CONCEPT_FIELDS = ("type", "label_sv", "label_en", "code", "parent_id", "deprecated", "extra")


def _load_relations(snapshot: Snapshot, result: LoadResult) -> None:
    existing = {
        (s, t, k): (pk, w)
        for pk, s, t, k, w in ConceptRelation.objects.values_list(
            "pk", "source_id", "target_id", "kind", "weight"
        ).iterator(chunk_size=BATCH)
    }
    wanted = {(s, t, k): (float(w) if w is not None else None) for s, t, k, w in snapshot.relations}
    new = [
        ConceptRelation(source_id=s, target_id=t, kind=k, weight=w)
        for (s, t, k), w in wanted.items()
        if (s, t, k) not in existing
    ]
    changed = [
        ConceptRelation(
            pk=existing[key][0], source_id=key[0], target_id=key[1], kind=key[2], weight=w
        )
        for key, w in wanted.items()
        if key in existing and existing[key][1] != w
    ]
    stale = [pk for key, (pk, _w) in existing.items() if key not in wanted]
    ConceptRelation.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        ConceptRelation.objects.bulk_update(changed, ["weight"], batch_size=BATCH)
    for start in range(0, len(stale), BATCH):
        ConceptRelation.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    result.created["relations"] = len(new)
    result.updated["relations"] = len(changed)
    result.deleted["relations"] = len(stale)


def _load_terms(snapshot: Snapshot, result: LoadResult) -> None:
    existing = {
        (c, t): (pk, n, k, lang, m)
        for pk, c, t, n, k, lang, m in ConceptTerm.objects.values_list(
            "pk", "concept_id", "term", "norm", "kind", "lang", "matchable"
        ).iterator(chunk_size=BATCH)
    }
    wanted = {
        (c, t): (normalize_term(t)[:255], k, lang, bool(m)) for c, t, k, lang, m in snapshot.terms
    }
    new = [
        ConceptTerm(concept_id=c, term=t, norm=v[0], kind=v[1], lang=v[2], matchable=v[3])
        for (c, t), v in wanted.items()
        if (c, t) not in existing
    ]
    changed = [
        ConceptTerm(
            pk=existing[key][0],
            concept_id=key[0],
            term=key[1],
            norm=v[0],
            kind=v[1],
            lang=v[2],
            matchable=v[3],
        )
        for key, v in wanted.items()
        if key in existing and existing[key][1:] != v
    ]
    stale = [pk for key, (pk, *_rest) in existing.items() if key not in wanted]
    ConceptTerm.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        ConceptTerm.objects.bulk_update(
            changed, ["norm", "kind", "lang", "matchable"], batch_size=BATCH
        )
    for start in range(0, len(stale), BATCH):
        ConceptTerm.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    result.created["terms"] = len(new)
    result.updated["terms"] = len(changed)
    result.deleted["terms"] = len(stale)
