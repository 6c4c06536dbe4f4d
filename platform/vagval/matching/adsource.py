"""Reads the active ads for ranking from `vagval.jobs` (its selectors only) as `AdRecord`s.

The jobs app owns `JobAd`; matching only needs a few columns of the ads that
`selectors.ads_for_matching()` returns, read with one `values()` query. Fields that a given
JobAd version lacks (remote, working hours, employment type) are read when present and
otherwise left unknown, so ranking degrades gracefully instead of failing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from vagval.matching.feed import AdRecord
from vagval.matching.types import Hours

logger = logging.getLogger(__name__)

FULL_TIME_WORDS = ("heltid", "full time", "full-time", "6YE1_gAC_R2G")
PART_TIME_WORDS = ("deltid", "part time", "part-time", "947z_JGS_Uk2")

# Column name in JobAd -> AdRecord attribute. The first existing column of each tuple is used.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "ad_id": ("id",),
    "occupation": ("occupation_concept_id",),
    "occupations": ("occupation_ids",),
    "skills": ("skill_ids",),
    "municipality": ("municipality_concept_id",),
    "region": ("region_concept_id",),
    "published": ("published_at",),
    "deadline": ("application_deadline",),
    "headline": ("headline",),
    "text": ("description_text",),
    "remote": ("remote", "is_remote", "remote_work"),
    "hours": ("working_hours_type", "working_hours", "worktime_extent", "working_hours_label"),
    "employment": ("employment_type_concept_id", "employment_type"),
}


def ads_version() -> str:
    """A key that changes whenever the set of matchable ads changes."""
    from django.db.models import Count, Max

    from vagval.jobs import selectors

    agg = selectors.ads_active().aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    return f"{agg['n']}:{agg['top']}:{agg['last']}"


def ad_records() -> list[AdRecord]:
    """Every ad from `vagval.jobs.selectors.ads_for_matching()` as an AdRecord (streamed)."""
    from vagval.jobs import selectors

    return [ad_record_from_row(row) for row in selectors.ads_for_matching()]


def ad_record_from_row(row: Mapping[str, Any]) -> AdRecord:
    """One `ads_for_matching()` row as an AdRecord; missing columns degrade to unknown."""
    cols = {key: next((c for c in options if c in row), None) for key, options in _COLUMNS.items()}
    return _record(row, cols)


def _ids(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return tuple(v for v in value.replace(",", " ").split() if v)
    if isinstance(value, Iterable):
        out = []
        for v in value:
            if isinstance(v, dict):
                v = v.get("concept_id") or v.get("id")
            if v:
                out.append(str(v))
        return tuple(out)
    return ()


def _hours(value: Any) -> Hours:
    text = str(value or "").lower()
    if any(w.lower() in text for w in PART_TIME_WORDS):
        return Hours.PART_TIME
    if any(w.lower() in text for w in FULL_TIME_WORDS):
        return Hours.FULL_TIME
    return Hours.ANY


def _record(row: Mapping[str, Any], cols: dict[str, str | None]) -> AdRecord:
    def get(key: str) -> Any:
        col = cols.get(key)
        return row.get(col) if col else None

    primary = get("occupation")
    occupations = _ids(get("occupations"))
    if primary:
        occupations = (str(primary), *[o for o in occupations if o != primary])
    published = get("published")
    deadline = get("deadline")
    if isinstance(deadline, dt.date) and not isinstance(deadline, dt.datetime):
        # A deadline date means the whole day is still open.
        deadline = dt.datetime.combine(deadline, dt.time(23, 59, 59), tzinfo=dt.UTC)
    return AdRecord(
        ad_id=str(get("ad_id")),
        occupation_ids=occupations,
        skill_ids=_ids(get("skills")),
        municipality_id=str(get("municipality") or ""),
        region_id=str(get("region") or ""),
        published_at=published,
        deadline=deadline,
        headline=str(get("headline") or ""),
        text=str(get("text") or ""),
        remote=_remote(get("remote")) != "",
        remote_partly=_remote(get("remote")) == "hybrid",
        hours=_hours(get("hours")),
        employment_type=str(get("employment") or ""),
    )


def _remote(value: Any) -> str:
    """ "full", "hybrid" or "" from a remote column: `JobAd.remote_work` or a plain flag."""
    if isinstance(value, str):
        value = value.strip().lower()
        if value in ("hybrid", "partly", "partial"):
            return "hybrid"
        return "full" if value in ("full", "true", "yes", "1", "remote") else ""
    return "full" if value else ""
