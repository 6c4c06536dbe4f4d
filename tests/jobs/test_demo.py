"""The jobs demo loader: real ads (or the invented sample) ingested once and made current."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from vagval.jobs import demo
from vagval.jobs.models import JobAd, JobCluster
from vagval.jobs.selectors import ads_active

pytestmark = pytest.mark.django_db


def _dates_current() -> None:
    now = timezone.now()
    for published, deadline in JobAd.objects.values_list("published_at", "application_deadline"):
        assert published is not None and deadline is not None
        assert now - dt.timedelta(days=15) < published <= now
        assert deadline > now


def test_demo_ingests_the_real_ads_once_and_makes_them_current(jobs_db: None) -> None:
    out = io.StringIO()
    assert demo.load_demo_data(stdout=out) == []
    count = JobAd.objects.count()
    assert count > 700  # the 790 Platsbanken ads (a few duplicates) and the Auranest hits
    assert set(JobAd.objects.values_list("source", flat=True)) == {"platsbanken-web", "jobtech"}
    assert ads_active().count() == JobCluster.objects.filter(is_active=True).count() > 600
    _dates_current()
    assert "demoannonser" in out.getvalue() and len(out.getvalue().splitlines()) == 1

    snapshot = list(JobAd.objects.order_by("id").values())
    demo.load_demo_data(stdout=io.StringIO())
    assert list(JobAd.objects.order_by("id").values()) == snapshot


def test_demo_falls_back_to_the_invented_sample(
    jobs_db: None, settings: Any, tmp_path: Path
) -> None:
    settings.VAGVAL_DATA_DIR = tmp_path
    out = io.StringIO()
    demo.load_demo_data(stdout=out)
    assert "sample_ads.jsonl" in out.getvalue()
    ads = JobAd.objects.filter(source="jobtech")
    assert ads.count() == len(demo.SAMPLE_ADS.read_text().splitlines()) >= 20
    # every sample ad resolves to a real municipality and region of the taxonomy
    assert not ads.filter(municipality_concept_id="").exists()
    assert ads.values("region_concept_id").distinct().count() >= 10
    # the invented near-duplicate reposts land in the clusters of their originals
    assert JobCluster.objects.filter(member_count=2).count() >= 3
    _dates_current()
    assert ads_active().count() == JobCluster.objects.count()

    demo.load_demo_data(stdout=io.StringIO())
    assert JobAd.objects.count() == ads.count()
