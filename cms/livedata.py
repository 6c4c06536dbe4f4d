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
from collections.abc import Callable, Iterable, Mapping
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


def _field(row: Any, *names: str) -> Any:
    for name in names:
        if isinstance(row, Mapping) and name in row:
            return row[name]
        if hasattr(row, name):
            return getattr(row, name)
    return None


def _label(row: Any, prefix: str) -> str | None:
    english = (translation.get_language() or "sv").startswith("en")
    names = (
        (f"{prefix}_label_en", f"{prefix}_label", f"{prefix}_name", prefix)
        if english
        else (f"{prefix}_label", f"{prefix}_label_sv", f"{prefix}_name", prefix)
    )
    value = _field(row, *names)
    return str(value) if value not in (None, "") else None


def _grouped_counts(*, view: str) -> dict[str, int] | None:
    """Active ads per occupation field or per region, from the jobs app's cross table."""
    fn = _selector("ads_count_by_occupation_field_and_region")
    if fn is None:
        return None
    rows: Iterable[Any] = fn()
    prefix = "occupation_field" if view == "occupation_field" else "region"
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        label = _label(row, prefix)
        count = _field(row, "count", "n", "ads", "total")
        if label is None or count is None:
            continue
        totals[label] += int(count)
    return dict(totals)


def _trend_counts() -> dict[str, int] | None:
    """New ads per week, oldest first; None if the jobs app offers no time series."""
    for name in ("ads_count_by_week", "ads_published_per_week", "ads_count_trend"):
        fn = _selector(name)
        if fn is None:
            continue
        result: dict[str, int] = {}
        for row in fn():
            if isinstance(row, tuple) and len(row) == 2:
                period, count = row
            else:
                period = _field(row, "week", "period", "date")
                count = _field(row, "count", "n", "ads")
            if period is None or count is None:
                continue
            result[_period_label(period)] = int(count)
        return result
    return None


def _period_label(period: Any) -> str:
    if hasattr(period, "isocalendar"):
        year, week, _ = period.isocalendar()
        return f"{year} v{week:02d}"
    return str(period)
