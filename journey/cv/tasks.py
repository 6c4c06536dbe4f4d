"""Celery tasks of step 4."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def documents_purge_deleted() -> int:
    """Purge CVs and letters deleted more than 30 days ago (idempotent, bounded batches).
    Scheduled nightly in the beat schedule as `journey-cv-purge-deleted`."""
    from .services import documents_purge_deleted as purge

    total = 0
    while True:
        removed = purge(batch=500)
        total += removed
        if removed == 0:
            return total
