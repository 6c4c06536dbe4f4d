"""Anonymised figures from Vägval's own job-ad data for the "live figures" StreamField block.

The numbers come only from `vagval.jobs.selectors` (the jobs app owns the data). This module
adds what a public page needs on top: grouping for the chosen view, suppression of every group
smaller than `settings.VAGVAL_SUPPRESSION_THRESHOLD` (again, even if the selector already did it),
and an hour of caching so a page render never pays for an aggregate query. If the jobs selectors
are missing or fail, the block says the figures are unavailable instead of breaking the page.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

CACHE_SECONDS = 3600
VIEWS = ("occupation_field", "region", "trend")


@dataclass(frozen=True)
class FigureRow:
    label: str
    count: int
    percent: int  # bar length relative to the largest shown row


@dataclass(frozen=True)
class LiveFigures:
    view: str
    rows: list[FigureRow] = field(default_factory=list)
    suppressed_groups: int = 0
    threshold: int = 5
    available: bool = True
    computed_at: datetime | None = None

    @property
    def total_shown(self) -> int:
        return sum(row.count for row in self.rows)


def live_figures(*, view: str, limit: int = 10) -> LiveFigures:
    """The figures for one view, from the cache when they are less than an hour old."""
    if view not in VIEWS:
        raise ValueError(f"unknown live-figures view {view!r}")
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = f"cms:livefigures:{view}:{limit}:{language}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    figures = _compute(view=view, limit=limit)
    # Unavailable figures are retried after a minute rather than an hour.
    cache.set(key, figures, CACHE_SECONDS if figures.available else 60)
    return figures


def _threshold() -> int:
    return int(getattr(settings, "VAGVAL_SUPPRESSION_THRESHOLD", 5))


def _selector(name: str) -> Callable[..., Any] | None:
    try:
        from vagval.jobs import selectors
    except ImportError:
        return None
    fn = getattr(selectors, name, None)
    return fn if callable(fn) else None


def _compute(*, view: str, limit: int) -> LiveFigures:
    threshold = _threshold()
    try:
        counts = _trend_counts() if view == "trend" else _grouped_counts(view=view)
    except Exception:  # the page must render even if the jobs data is broken
        logger.exception("live figures: reading job-ad counts failed")
        counts = None
    if counts is None:
        return LiveFigures(view=view, threshold=threshold, available=False)
    return suppress_and_rank(
        counts, view=view, limit=limit, threshold=threshold, keep_order=(view == "trend")
    )


def suppress_and_rank(
    counts: Mapping[str, int],
    *,
    view: str,
    limit: int,
    threshold: int,
    keep_order: bool = False,
) -> LiveFigures:
    """Drop every group below the threshold, then keep the `limit` largest (or the latest)."""
    shown = [(label, int(n)) for label, n in counts.items() if int(n) >= threshold]
    suppressed = sum(1 for n in counts.values() if int(n) < threshold)
    if keep_order:
        shown = shown[-limit:]
    else:
        shown.sort(key=lambda item: (-item[1], item[0]))
        shown = shown[:limit]
    top = max((n for _, n in shown), default=0) or 1
    rows = [FigureRow(label=label, count=n, percent=round(n / top * 100)) for label, n in shown]
    return LiveFigures(
        view=view,
        rows=rows,
        suppressed_groups=suppressed,
        threshold=threshold,
        available=True,
        computed_at=timezone.now(),
    )


def _concept_labels(*, concept_type: str) -> dict[str, str]:
    """Labels of one taxonomy concept type in the active language (Swedish as fallback)."""
    from vagval.taxonomy.selectors import concept_list

    english = (translation.get_language() or "sv").startswith("en")
    return {
        c.concept_id: (c.label_en if english and c.label_en else c.label_sv)
        for c in concept_list(type=concept_type, include_deprecated=True)
    }


def _grouped_counts(*, view: str) -> dict[str, int] | None:
    """Open jobs per occupation field or per region, from the jobs app's cross table
    {(occupation field id, region id): count}."""
    fn = _selector("ads_count_by_occupation_field_and_region")
    if fn is None:
        return None
    by_id: dict[str, int] = defaultdict(int)
    for (field_id, region_id), count in fn().items():
        by_id[field_id if view == "occupation_field" else region_id] += int(count)
    labels = _concept_labels(
        concept_type="occupation-field" if view == "occupation_field" else "region"
    )
    unknown = translation.gettext("Uppgift saknas")
    totals: dict[str, int] = defaultdict(int)
    for concept_id, count in by_id.items():
        totals[labels.get(concept_id) or unknown] += count
    return dict(totals)


def _trend_counts() -> dict[str, int] | None:
    """Open jobs per week of publication, oldest first (read through `ads_active()`)."""
    from django.db.models import Count
    from django.db.models.functions import TruncWeek

    fn = _selector("ads_active")
    if fn is None:
        return None
    rows = (
        fn()
        .exclude(published_at=None)
        .annotate(week=TruncWeek("published_at"))
        .values("week")
        .annotate(n=Count("id"))
        .order_by("week")
    )
    return {_period_label(row["week"]): int(row["n"]) for row in rows}


def _period_label(period: Any) -> str:
    if hasattr(period, "isocalendar"):
        year, week, _ = period.isocalendar()
        return f"{year} v{week:02d}"
    return str(period)
