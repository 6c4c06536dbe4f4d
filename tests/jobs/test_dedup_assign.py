"""The batch writer's duplicate decision (`dedup.assign_batch`): the compiled loop must decide
exactly as the Python reference, candidate order and ties included."""

from __future__ import annotations

import random

import numpy as np
import pytest

from vagval import native
from vagval.jobs import dedup

TITLES = ["", "java developer", "senior java developer", "python developer", "developer"]
EMPLOYERS = ["", "acme", "globex", "initech"]
ORGS = ["", "5560000001", "5560000002"]


def _keys(rng: random.Random, base: np.ndarray) -> dedup.DedupKeys:
    """A variant of a job's signature: a random share of its values replaced."""
    sig = base.copy()
    changed = rng.choice([0, 0, 10, 30, 45, 70, 128])
    for at in rng.sample(range(dedup.NUM_PERM), changed):
        sig[at] = rng.getrandbits(32)
    return dedup.DedupKeys(sig, rng.choice(TITLES), rng.choice(EMPLOYERS), rng.choice(ORGS))


def _band_keys(rng: random.Random, keys: dedup.DedupKeys, shared: list[int]) -> list[int]:
    band_keys = dedup.band_keys(keys.sig, employer_key=keys.employer_key, title_key=keys.title_key)
    if rng.random() < 0.3:  # an employer's boilerplate: one key many ads share
        band_keys.append(rng.choice(shared))
    if rng.random() < 0.05:  # a key repeated within one ad
        band_keys.append(band_keys[0])
    return band_keys


def _random_case(
    seed: int, first_id: int = 1
) -> tuple[
    list[dedup.BatchAd],
    dict[str, int],
    dedup.StoredBands,
    dict[int, tuple[int | None, dedup.DedupKeys]],
]:
    rng = random.Random(seed)
    jobs = [
        np.array([rng.getrandbits(32) for _ in range(dedup.NUM_PERM)], dtype=np.uint32)
        for _ in range(6)
    ]
    shared = [rng.getrandbits(63) for _ in range(3)]
    candidates: dict[int, tuple[int | None, dedup.DedupKeys]] = {}
    pair_keys: list[int] = []
    pair_ads: list[int] = []
    for ad_id in rng.sample(range(first_id, first_id + 10_000), 40):
        keys = _keys(rng, rng.choice(jobs))
        for key in _band_keys(rng, keys, shared):
            pair_keys.append(key)
            pair_ads.append(ad_id)
        if rng.random() < 0.85:  # the others: stored bands of ads no longer candidates
            cluster = None if rng.random() < 0.1 else rng.randrange(1, 12)
            candidates[ad_id] = (cluster, keys)
    stored = dedup.StoredBands.of_pairs(np.array(pair_keys), np.array(pair_ads))
    hashes = [f"h{rng.randrange(60)}" for _ in range(120)]
    exact = {h: rng.randrange(1, 12) for h in rng.sample(sorted(set(hashes)), 5)}
    ads = []
    for content_hash in hashes:
        keys = _keys(rng, rng.choice(jobs))
        ads.append(dedup.BatchAd(content_hash, _band_keys(rng, keys, shared), keys))
    return ads, exact, stored, candidates


@pytest.mark.skipif(not native.AVAILABLE, reason="vagval.native is not built")
@pytest.mark.parametrize("seed", range(40))
def test_compiled_decision_is_the_python_reference(seed: int) -> None:
    ads, exact, stored, candidates = _random_case(seed)
    reference = dedup.assign_batch(
        ads, exact=exact, stored=stored, candidates=candidates, compiled=False
    )
    compiled = dedup.assign_batch(
        ads, exact=exact, stored=stored, candidates=candidates, compiled=True
    )
    assert compiled == reference
    # the cases decide something worth comparing: joins of stored and of new clusters
    assignment, founders = reference
    assert founders and len(founders) < len(ads)
    assert any(cluster is not None for cluster, _slot in assignment)


def _ad(
    sig: np.ndarray, content_hash: str, band_keys: list[int], title: str = "dev"
) -> dedup.BatchAd:
    return dedup.BatchAd(content_hash, band_keys, dedup.DedupKeys(sig, title, "acme", ""))


@pytest.mark.parametrize(
    "compiled",
    [False, pytest.param(True, marks=pytest.mark.skipif(not native.AVAILABLE, reason="not built"))],
)
def test_each_ad_joins_its_best_duplicate_or_founds_a_cluster(compiled: bool) -> None:
    base = np.arange(dedup.NUM_PERM, dtype=np.uint32)
    near = base.copy()
    near[:20] += 1000  # 108 of 128 values shared: a duplicate at the same employer
    far = base + 5000  # nothing shared
    candidates: dict[int, tuple[int | None, dedup.DedupKeys]] = {
        7: (70, dedup.DedupKeys(near, "dev", "acme", "")),  # seen first, less similar
        8: (80, dedup.DedupKeys(base, "dev", "acme", "")),  # the same text
        9: (90, dedup.DedupKeys(base, "dev", "acme", "")),  # as similar, seen later: loses
    }
    stored = dedup.StoredBands.of_pairs(np.array([1, 1, 2]), np.array([7, 8, 9]))
    ads = [
        _ad(base, "a", [1, 2]),  # -> 80
        _ad(far, "b", [3]),  # founds a cluster
        _ad(far, "c", [3]),  # joins the new cluster of ad 1
        _ad(base, "d", [1], title="nurse"),  # another title: founds a cluster
        _ad(far, "b", [99]),  # ad 1's content: its cluster
        _ad(far, "x", [4]),  # an exact copy of a stored ad
    ]
    assignment, founders = dedup.assign_batch(
        ads, exact={"x": 55}, stored=stored, candidates=candidates, compiled=compiled
    )
    assert assignment == [(80, None), (None, 1), (None, 1), (None, 3), (None, 1), (55, None)]
    assert founders == [1, 3]


@pytest.mark.skipif(not native.AVAILABLE, reason="vagval.native is not built")
def test_codes_kept_for_a_run_decide_as_fresh_ones() -> None:
    codes = dedup.KeyCodes()  # one for the run, as the writer keeps it
    for seed in range(40, 60):
        ads, exact, stored, candidates = _random_case(seed, first_id=1 + 10_000 * (seed % 3))
        if seed >= 43:  # these ids had other keys two batches ago: the writer forgets them
            codes.forget(candidates)
        reference = dedup.assign_batch(
            ads, exact=exact, stored=stored, candidates=candidates, compiled=False
        )
        for _again in range(2):  # the second time, the same candidates: their kept columns
            kept = dedup.assign_batch(
                ads, exact=exact, stored=stored, candidates=candidates, codes=codes, compiled=True
            )
            assert kept == reference
    assert len(codes.titles) == len(dedup.KeyCodes().titles) + len(TITLES) - 1
    assert set(candidates) <= set(codes.rows)  # kept for the batches to come


@pytest.mark.skipif(not native.AVAILABLE, reason="vagval.native is not built")
def test_codes_hold_a_bounded_number_of_stored_ads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup.KeyCodes, "ROWS_MAX", 50)
    codes = dedup.KeyCodes()
    for seed in range(60, 66):  # more candidates than it holds in each batch, or in two
        ads, exact, stored, candidates = _random_case(seed, first_id=1 + 10_000 * seed)
        if seed == 63:
            candidates.update(_random_case(seed + 100, first_id=1 + 10_000 * seed)[3])
        reference = dedup.assign_batch(
            ads, exact=exact, stored=stored, candidates=candidates, compiled=False
        )
        kept = dedup.assign_batch(
            ads, exact=exact, stored=stored, candidates=candidates, codes=codes, compiled=True
        )
        assert kept == reference
        assert len(codes.rows) <= 50
