"""The benchmark corpus is deterministic and its ground truth is sound.

These are correctness tests of the generator, not timings (those live in the benchmarks).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.bench.bench_ingest import Truth, dedup_quality
from tests.bench.corpus import (
    build_corpus,
    load_real_ads,
    read_truth,
    real_ad_id,
    real_duplicate_groups,
    titles_compatible,
)


@pytest.fixture(scope="module")
def real_ads(real_data_dir: Path) -> list[dict]:
    return load_real_ads(real_data_dir / "jobads/platsbanken_web_2023-08_stockholm_it.jsonl.gz")


def _group_of(ads: list[dict], groups: list[int], ad_id: str) -> int:
    return next(g for ad, g in zip(ads, groups, strict=True) if real_ad_id(ad) == ad_id)


def test_real_duplicates_follow_text_and_title(real_ads: list[dict]) -> None:
    groups = real_duplicate_groups(real_ads)
    # Castra posted one job twice, once with "till Castra!" in the title.
    assert _group_of(real_ads, groups, "27909225") == _group_of(real_ads, groups, "27769426")
    # A recruiter (Ants) reposted PhenixID's ad: "Java Developer" = "Java-utvecklare".
    assert _group_of(real_ads, groups, "27484018") == _group_of(real_ads, groups, "27481443")
    assert titles_compatible("Java Developer", "Java-utvecklare")
    assert not titles_compatible("Java Developer", "Python Developer")
    # PRESIS: the same text for different roles is a hard negative, not a duplicate.
    assert _group_of(real_ads, groups, "27830573") != _group_of(real_ads, groups, "27830572")
    # PersonalExpressen's one job posted in 25 municipalities is one job.
    assert max(Counter(groups).values()) == 25


def test_corpus_is_deterministic_and_truth_covers_every_ad(tmp_path: Path) -> None:
    first = build_corpus(tmp_path / "a", n=2_000, delta=300, seed=7)
    second = build_corpus(tmp_path / "b", n=2_000, delta=300, seed=7, reference_date=None)
    assert first.truth_path.read_bytes() == second.truth_path.read_bytes()
    truth = list(read_truth(first.truth_path))
    assert len(truth) == 2_300
    assert len({(t["source"], t["source_id"]) for t in truth}) == 2_300
    assert sum(first.counts["base"].values()) == 2_000
    assert set(first.counts["delta"]) == {"jobtech"}
    for part, files in first.files.items():
        for source, path in files.items():
            lines = path.read_text(encoding="utf-8").splitlines()
            assert len(lines) == first.counts[part][source]
            json.loads(lines[0])
    variants = Counter(t["variant"].split("+")[0] for t in truth)
    assert variants["real"] == 790
    for kind in ("repost", "reorder", "boilerplate", "trim", "append", "typo"):
        assert variants[kind] > 0, kind


def test_quality_scoring_counts_pairs() -> None:
    rows = [
        {"source": "jobtech", "source_id": str(i), "url": f"u{i}", "job": job, "variant": v}
        for i, (job, v) in enumerate(
            [("A", "original"), ("A", "repost"), ("A", "trim"), ("B", "original"), ("C", "new")]
        )
    ]
    truth = Truth(rows)
    # One cluster finds A's original and repost but not the trimmed copy, and wrongly adds B.
    clusters = [[{"source": "jobtech", "source_id": s, "url": ""} for s in ("0", "1", "3")]]
    q = dedup_quality(truth, clusters)
    assert q["pairs_true"] == 3
    assert q["pairs_predicted"] == 3
    assert q["pairs_correct"] == 1
    assert q["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert q["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert q["recall_by_variant"]["trim"] == 0.0
