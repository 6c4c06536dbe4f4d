"""The ranking engine reads the real jobs app: ingested ads become a rankable index."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from django.core.management import call_command

from vagval.matching.adsource import ad_records, ads_version
from vagval.matching.feed import feed_rank, get_ad_index
from vagval.matching.types import MatchProfile


@pytest.fixture
def ingested(db: None, taxonomy_loaded: str, real_data_dir: Path, tmp_path: Path) -> None:
    import gzip

    source = real_data_dir / "jobads" / "platsbanken_web_2023-08_stockholm_it.jsonl.gz"
    sample = tmp_path / "sample.jsonl"
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        sample.write_text("".join(itertools.islice(fh, 120)), encoding="utf-8")
    call_command("ingest", "--source", "platsbanken-web", str(sample), stdout=io.StringIO())


def test_ingested_ads_are_read_into_the_ranking_index(ingested: None) -> None:
    records = ad_records()
    assert len(records) > 50
    assert all(r.ad_id for r in records)
    assert sum(1 for r in records if r.skill_ids) > len(records) // 2

    version = ads_version()
    index = get_ad_index()
    top_skill = next(s for r in records for s in r.skill_ids)
    ranked = feed_rank(MatchProfile.from_dict({"skills": {top_skill: 1.0}}), k=10, index=index)
    assert ranked, "a profile with a skill that real ads ask for gets a feed"
    assert ranked[0].reasons
    assert ads_version() == version
