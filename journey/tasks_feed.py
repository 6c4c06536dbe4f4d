"""Celery tasks of step 5: the nightly feeds and the alert digests (imported by journey.tasks,
so Celery's autodiscovery finds them; scheduled in vagval.config.celery's beat_schedule).

Both are fan-outs: a small task lists the client ids and enqueues one task per chunk of
`CHUNK_SIZE` ids, so the work spreads over every worker. Chunk tasks take ids, re-read the rows,
and are idempotent (a feed already computed from the same inputs and ads is skipped; a digest
already sent in its period is not sent again), so a retry or a beat that fires twice changes
nothing. `acks_late`: a worker that dies mid-chunk leaves the message for another worker.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial

from celery import shared_task
from django.db import transaction
from django.db.models import Q

from journey.models import ClientProfile
from journey.services.feed import (
    feed_alert_due_client_ids,
    feed_alert_send,
    feed_snapshots_compute_many,
)

CHUNK_SIZE = 200


def chunks(ids: Sequence[int], size: int = CHUNK_SIZE) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def feed_client_ids() -> list[int]:
    """Clients who have something to match on: a competence profile or a search profile."""
    return list(
        ClientProfile.objects.filter(
            Q(competence_profiles__isnull=False) | Q(search_profiles__isnull=False),
            user__is_active=True,
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@shared_task(name="journey.tasks.feeds_nightly", acks_late=True)
def feeds_nightly(chunk_size: int = CHUNK_SIZE) -> int:
    """Fan out the nightly feed computation; returns how many chunk tasks were queued."""
    ids = feed_client_ids()
    queued = 0
    for part in chunks(ids, chunk_size):
        transaction.on_commit(partial(feeds_compute_chunk.delay, part))
        queued += 1
    return queued


@shared_task(
    name="journey.tasks.feeds_compute_chunk",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
)
def feeds_compute_chunk(client_ids: list[int]) -> int:
    """Rank and store the feeds of one chunk of clients (one `feed_rank_many` call)."""
    return feed_snapshots_compute_many(client_ids=client_ids, reason="nightly")


@shared_task(name="journey.tasks.feed_alerts_dispatch", acks_late=True)
def feed_alerts_dispatch(chunk_size: int = CHUNK_SIZE) -> int:
    """Fan out the digests that are due (daily or weekly); returns how many chunks."""
    queued = 0
    for part in chunks(feed_alert_due_client_ids(), chunk_size):
        transaction.on_commit(partial(feed_alerts_send_chunk.delay, part))
        queued += 1
    return queued


@shared_task(
    name="journey.tasks.feed_alerts_send_chunk",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def feed_alerts_send_chunk(client_ids: list[int]) -> int:
    """Send the due digests of one chunk; returns how many were sent."""
    return sum(1 for cid in client_ids if feed_alert_send(client_id=cid))
