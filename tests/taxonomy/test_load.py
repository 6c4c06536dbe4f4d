"""load_taxonomy: idempotent import of the committed snapshot, and clear errors for bad files."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from vagval.taxonomy.cache import taxonomy_version_reset
from vagval.taxonomy.models import Concept, ConceptRelation, ConceptTerm, TaxonomyRelease
from vagval.taxonomy.services import taxonomy_load
from vagval.taxonomy.snapshot import (
    DEFAULT_SNAPSHOT_PATH,
    SnapshotError,
    snapshot_read,
    snapshot_write,
)


@pytest.fixture
def _reset_version() -> Iterator[None]:
    """Tests that load other snapshots roll back; forget the version they left in memory."""
    yield
    taxonomy_version_reset()


def _counts() -> tuple[int, int, int]:
    return (Concept.objects.count(), ConceptRelation.objects.count(), ConceptTerm.objects.count())


def test_the_snapshot_is_loaded_with_all_its_rows() -> None:
    snapshot = snapshot_read(DEFAULT_SNAPSHOT_PATH)
    assert _counts() == (len(snapshot.concepts), len(snapshot.relations), len(snapshot.terms))
    assert TaxonomyRelease.objects.latest().version == snapshot.version
    assert Concept.objects.filter(type="occupation-name", deprecated=False).count() == 2412
    assert Concept.objects.filter(type="ssyk-level-4").count() == 400
    assert Concept.objects.filter(type="municipality").count() == 290


def test_a_second_load_is_skipped_and_changes_nothing() -> None:
    before = _counts()
    result = taxonomy_load()
    assert result.skipped
    assert result.changed == 0
    assert _counts() == before
    assert result.totals == dict(zip(("concepts", "relations", "terms"), before, strict=True))


@pytest.mark.usefixtures("_reset_version")
def test_a_forced_load_compares_every_row_and_writes_none() -> None:
    before = _counts()
    result = taxonomy_load(force=True)
    assert not result.skipped
    assert result.changed == 0, (result.created, result.updated, result.deleted)
    assert _counts() == before


def test_the_command_prints_counts_and_skips_a_loaded_version() -> None:
    out = StringIO()
    call_command("load_taxonomy", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert "already loaded" in lines[0]
    summary = json.loads(lines[-1])
    assert summary["skipped"] is True
    assert summary["concepts"] == Concept.objects.count()


@pytest.mark.usefixtures("_reset_version")
def test_a_changed_snapshot_updates_only_what_changed(tmp_path: Path) -> None:
    snapshot = snapshot_read(DEFAULT_SNAPSHOT_PATH)
    by_id = {row[0]: row for row in snapshot.concepts}
    by_id["AvNB_uwa_6n6"][2] = "Stockholms stad"  # a renamed municipality
    dropped = "XWKY_c49_5nv"  # Upplands Väsby leaves the snapshot
    snapshot.concepts = [row for row in snapshot.concepts if row[0] != dropped]
    snapshot.terms = [row for row in snapshot.terms if row[0] != dropped]
    snapshot.relations = [r for r in snapshot.relations if dropped not in (r[0], r[1])]
    path = tmp_path / "changed.json.gz"
    snapshot_write(snapshot, path)

    result = taxonomy_load(path=path)

    assert result.updated["concepts"] == 1
    assert result.created == {"concepts": 0, "relations": 0, "terms": 0}
    # A concept is never deleted (other apps point at it): it is marked deprecated.
    assert result.deprecated == 1
    assert Concept.objects.get(pk=dropped).deprecated
    assert result.deleted["terms"] > 0
    assert not ConceptTerm.objects.filter(concept_id=dropped).exists()
    assert Concept.objects.get(pk="AvNB_uwa_6n6").label_sv == "Stockholms stad"
    assert (
        TaxonomyRelease.objects.latest().version
        == result.version
        != snapshot_read(DEFAULT_SNAPSHOT_PATH).version
    )


def test_a_missing_snapshot_is_a_clear_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not found"):
        call_command("load_taxonomy", snapshot=tmp_path / "nope.json.gz", stdout=StringIO())


def test_a_corrupt_snapshot_is_refused_and_the_taxonomy_stays(tmp_path: Path) -> None:
    before = _counts()
    with gzip.open(DEFAULT_SNAPSHOT_PATH, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    document["concepts"][0][2] = "Tampered"  # content no longer matches its hash
    path = tmp_path / "tampered.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(document, handle)
    with pytest.raises(SnapshotError, match="corrupt"):
        taxonomy_load(path=path, force=True)
    (tmp_path / "garbage.json.gz").write_bytes(b"not gzip at all")
    with pytest.raises(SnapshotError, match="not gzipped JSON"):
        taxonomy_load(path=tmp_path / "garbage.json.gz")
    assert _counts() == before
