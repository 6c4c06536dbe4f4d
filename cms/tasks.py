"""Periodic work of the public site (scheduled in vagval.config.celery's beat schedule).

Both tasks are idempotent: running them twice, or late, changes nothing more.
"""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command

from cms import services


@shared_task(acks_late=True)
def pages_publish_scheduled() -> None:
    """Publish pages whose scheduled time has come, and unpublish expired ones (Wagtail's
    `publish_scheduled` command; its publish signal clears the page cache)."""
    call_command("publish_scheduled", verbosity=0)


@shared_task(acks_late=True)
def reader_data_purge() -> dict[str, int]:
    """Delete what we no longer need: unconfirmed newsletter sign-ups and old registrations."""
    return {
        "newsletter_unconfirmed": services.newsletter_purge_unconfirmed(),
        "event_registrations": services.event_registrations_purge(),
    }
