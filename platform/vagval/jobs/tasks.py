"""Celery tasks of vagval.jobs, scheduled by beat (see `vagval/config/celery.py`).

Both are idempotent (re-running changes nothing) and acknowledged late, so a worker lost in the
middle means the task runs again. A cache lock keeps two JobStream syncs from overlapping.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from vagval.jobs import services

logger = logging.getLogger(__name__)

SYNC_LOCK = "vagval:jobs:jobstream_sync"
SYNC_LOCK_SECONDS = 30 * 60


@shared_task(name="vagval.jobs.tasks.jobstream_sync", acks_late=True, ignore_result=True)
def jobstream_sync() -> dict[str, Any]:
    """Ingest the JobStream changes since the last sync (disabled unless JOBSTREAM_ENABLED)."""
    if not settings.JOBSTREAM_ENABLED:
        return {"skipped": "JOBSTREAM_ENABLED is false"}
    if not cache.add(SYNC_LOCK, "1", SYNC_LOCK_SECONDS):
        return {"skipped": "another sync is running"}
    try:
        summary = services.jobstream_sync()
    finally:
        cache.delete(SYNC_LOCK)
    logger.info("jobstream sync: %s", summary.as_cli_dict())
    return summary.as_cli_dict()


@shared_task(name="vagval.jobs.tasks.ads_expire", acks_late=True, ignore_result=True)
def ads_expire() -> dict[str, int]:
    """Expire ads whose application deadline has passed."""
    return {"expired": services.ads_expire()}
