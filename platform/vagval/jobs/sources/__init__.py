"""Ad sources: one adapter per input format, all behind `SourceAdapter` (see `base.py`)."""

from __future__ import annotations

from vagval.jobs.sources.base import (
    ParsedAd,
    ParseResult,
    RawRecord,
    Rejection,
    Removal,
    SourceAdapter,
)
from vagval.jobs.sources.jobposting import JobPostingSource
from vagval.jobs.sources.jobtech import JobTechSource
from vagval.jobs.sources.platsbanken_web import PlatsbankenWebSource
from vagval.jobs.sources.rss import RssSource

ADAPTERS: dict[str, SourceAdapter] = {
    a.name: a for a in (JobTechSource(), JobPostingSource(), RssSource(), PlatsbankenWebSource())
}


def get_adapter(name: str) -> SourceAdapter:
    """The adapter for a source name (`jobtech`, `jobposting`, `rss`, `platsbanken-web`)."""
    try:
        return ADAPTERS[name]
    except KeyError:
        raise ValueError(f"unknown source {name!r}; choose one of {', '.join(ADAPTERS)}") from None


__all__ = [
    "ADAPTERS",
    "ParseResult",
    "ParsedAd",
    "RawRecord",
    "Rejection",
    "Removal",
    "SourceAdapter",
    "get_adapter",
]
