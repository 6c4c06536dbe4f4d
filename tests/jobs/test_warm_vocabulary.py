"""A run keeps the vocabulary its workers learned, and the next run's workers start with it:
the same ads come out, and the kept file is refused when it does not fit."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.jobs.conftest import NOW
from vagval.jobs import pipeline
from vagval.jobs.models import JobAd, JobCluster
from vagval.jobs.services import ads_ingest
from vagval.taxonomy import textmatch, vocab

pytestmark = pytest.mark.usefixtures("jobs_db")

COLUMNS = ("content_hash", "record_hash", "minhash", "occupation_ids", "skill_ids", "language")


@pytest.fixture
def new_process(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Iterator[Path]:
    """A cache folder of its own, and the vocabulary a new process has (nothing learned).

    Whatever registered its terms in the test's vocabularies (the process-wide matcher, the
    pipeline's context) is dropped afterwards: its ids mean other tokens in the process's own
    vocabulary, which comes back."""
    settings.VAGVAL_CACHE_DIR = tmp_path
    textmatch._matcher_cache.clear()
    monkeypatch.setattr(vocab, "_current", vocab.Vocabulary())
    monkeypatch.setattr(pipeline, "_CONTEXT", None)
    yield tmp_path
    textmatch._matcher_cache.clear()


def _stored() -> dict[str, tuple[Any, ...]]:
    return {
        row[0]: tuple(bytes(v) if isinstance(v, memoryview) else v for v in row[1:])
        for row in JobAd.objects.values_list("source_id", *COLUMNS)
    }


def test_the_next_run_starts_with_the_words_the_last_one_learned(
    new_process: Path, platsbanken_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ads_ingest(source="platsbanken-web", paths=[platsbanken_path], workers=2, now=NOW)
    kept = list(new_process.glob("jobs-vocabulary-*.pickle"))
    assert len(kept) == 1, "one snapshot: the larger of the two workers' vocabularies"
    assert not list(new_process.glob("*.tmp"))
    with kept[0].open("rb") as fh:
        learned = len(pickle.load(fh)["tokens"])  # noqa: S301 - written by the run above
    pinned = vocab.current().pinned
    assert learned > pinned + pipeline.VOCABULARY_SAVE_MIN_GROWTH
    cold = _stored()

    # A new process: its context starts from the snapshot, and the same ads come out.
    monkeypatch.setattr(vocab, "_current", vocab.Vocabulary())
    JobAd.objects.all().delete()
    JobCluster.objects.all().delete()
    pipeline.prepare_context(now=NOW)
    assert len(vocab.current()) >= learned
    result = ads_ingest(source="platsbanken-web", paths=[platsbanken_path], workers=2, now=NOW)
    assert result.new == 790
    assert _stored() == cold


def test_a_snapshot_that_does_not_fit_is_not_used(
    new_process: Path, platsbanken_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline.prepare_context(now=NOW)
    path = pipeline.vocabulary_snapshot_path()
    path.write_bytes(b"not a pickle")
    monkeypatch.setattr(vocab, "_current", vocab.Vocabulary())
    pipeline.prepare_context(now=NOW)  # a broken file: a cold start, no error
    assert len(vocab.current()) - vocab.current().pinned < 50

    # Another taxonomy (other pinned terms) gives another key: the file is not even looked at.
    other = vocab.Vocabulary()
    other.tokenise("helt andra termer", lower=True)
    other.pin()
    assert vocab.snapshot_key(other, salt=b"s") != vocab.snapshot_key(vocab.current(), salt=b"s")
