"""Celery tasks of the journey. They take ids, re-read rows and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from journey.models import ClientProfile
from journey.services.downstream import client_downstream_refresh_run


@shared_task(
    name="journey.tasks.client_downstream_refresh",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def client_downstream_refresh(client_id: int) -> int:
    """Recompute the later steps for one client after an upstream change.

    `client_id` is the ClientProfile primary key (the same number as the user id). Returns how
    many changes were recorded; a client deleted meanwhile is skipped.
    """
    client = ClientProfile.objects.filter(pk=client_id).first()
    if client is None:
        return 0
    return len(client_downstream_refresh_run(client=client))


# Step 5's nightly feeds and alert digests live in their own module; importing it here lets
# Celery's autodiscovery (which imports `journey.tasks`) register them.
from journey import tasks_feed  # noqa: E402, F401
