"""The live-figures block: real job-ad counts from vagval.jobs, never a group below the
suppression threshold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from cms.livedata import live_figures, suppress_and_rank
from tests.cms.builders import Tree, make_article

PLATSBANKEN = "jobads/platsbanken_web_2023-08_stockholm_it.jsonl.gz"
AURANEST = "jobads/jobtech_auranest_search_response_2019.json"
NOW = dt.datetime(2023, 8, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def real_ads(db: Any, cms_taxonomy: None, real_data_dir: Path) -> dict[tuple[str, str], int]:
    from vagval.jobs import selectors
    from vagval.jobs.services import ads_ingest

    ads_ingest(source="platsbanken-web", paths=[real_data_dir / PLATSBANKEN], workers=1, now=NOW)
    counts = selectors.ads_count_by_occupation_field_and_region()
    assert sum(counts.values()) > 100
    return counts


def test_suppression_drops_small_groups_and_ranks_the_rest() -> None:
    figures = suppress_and_rank(
        {"IT": 40, "HR": 4, "Ekonomi": 5, "Juridik": 1}, view="region", limit=10, threshold=5
    )
    assert [(r.label, r.count) for r in figures.rows] == [("IT", 40), ("Ekonomi", 5)]
    assert figures.suppressed_groups == 2
    assert figures.rows[0].percent == 100


def test_regions_from_real_ads(real_ads: dict[tuple[str, str], int], settings: Any) -> None:
    settings.VAGVAL_SUPPRESSION_THRESHOLD = 5
    per_region: dict[str, int] = {}
    for (_field, region), n in real_ads.items():
        per_region[region] = per_region.get(region, 0) + n
    with translation.override("sv"):
        figures = live_figures(view="region", limit=25)
    assert figures.available
    assert all(row.count >= 5 for row in figures.rows)
    assert sorted(r.count for r in figures.rows) == sorted(n for n in per_region.values() if n >= 5)
    assert figures.suppressed_groups == sum(1 for n in per_region.values() if n < 5)
    assert "Stockholms län" in [row.label for row in figures.rows]


def test_a_higher_threshold_hides_more(real_ads: dict[tuple[str, str], int], settings: Any) -> None:
    per_field: dict[str, int] = {}
    for (field, _region), n in real_ads.items():
        per_field[field] = per_field.get(field, 0) + n
    threshold = sorted(per_field.values())[-1]  # only the largest field is big enough
    settings.VAGVAL_SUPPRESSION_THRESHOLD = threshold
    figures = live_figures(view="occupation_field", limit=10)
    assert [row.count for row in figures.rows] == [threshold]
    assert figures.suppressed_groups == len(per_field) - 1


def test_trend_by_week(
    real_ads: dict[tuple[str, str], int], real_data_dir: Path, settings: Any
) -> None:
    from django.core.cache import cache

    from vagval.jobs import selectors
    from vagval.jobs.services import ads_ingest

    # The Platsbanken scrape has no publication dates; the JobTech search response does.
    ads_ingest(source="jobtech", paths=[real_data_dir / AURANEST], workers=1, now=NOW)
    dated = selectors.ads_active().exclude(published_at=None).count()
    assert dated > 0

    settings.VAGVAL_SUPPRESSION_THRESHOLD = 1
    figures = live_figures(view="trend", limit=52)
    labels = [row.label for row in figures.rows]
    assert labels == sorted(labels)  # oldest first
    assert sum(row.count for row in figures.rows) == dated

    cache.clear()
    settings.VAGVAL_SUPPRESSION_THRESHOLD = 5
    strict = live_figures(view="trend", limit=52)
    assert all(row.count >= 5 for row in strict.rows)
    assert strict.suppressed_groups == sum(1 for row in figures.rows if row.count < 5)


def test_block_on_a_page_shows_only_allowed_groups(
    client: Client, tree: Tree, real_ads: dict[tuple[str, str], int], settings: Any
) -> None:
    settings.VAGVAL_SUPPRESSION_THRESHOLD = 5
    article = make_article(
        tree,
        body=[("live_figures", {"title": "Annonser per län", "view": "region", "limit": 10})],
    )
    html = client.get(article.url).content.decode()
    assert "Annonser per län" in html
    assert '<th scope="row">Stockholms län</th>' in html
    assert "färre än 5 annonser" in html
