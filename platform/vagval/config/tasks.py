"""Diagnostic Celery task: proves a worker is alive and sees the same database and cache.

`ping` is what an operator (or the real-worker test) sends through the broker to check the
whole chain: broker → worker → database → cache → result backend. It changes no business data,
so it is safe to send at any time, as often as wanted.

    .venv/bin/python manage.py shell -c \
        "from vagval.config.tasks import ping; print(ping.delay(token='t').get(timeout=10))"
"""

from __future__ import annotations

import socket
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

PING_CACHE_TTL_SECONDS = 300


def ping_cache_key(token: str) -> str:
    """The cache key under which `ping` leaves its answer for `token`."""
    return f"worker-ping:{token}"


@shared_task(name="vagval.config.tasks.ping", acks_late=True, ignore_result=False)
def ping(*, token: str) -> dict[str, Any]:
    """Answer with what this worker sees, and leave the same answer in the cache.

    The answer names the database the worker is connected to, how many migrations it finds
    applied there, and the current site's domain as read from the database now (not from a
    cache), so a caller can tell that the worker reads rows the caller has just committed.
    """
    site = Site.objects.filter(pk=settings.SITE_ID).values_list("domain", flat=True).first()
    answer: dict[str, Any] = {
        "token": token,
        "hostname": socket.gethostname(),
        "database": str(connection.settings_dict["NAME"]),
        "migrations_applied": len(MigrationRecorder(connection).applied_migrations()),
        "site_domain": site,
        "answered_at": timezone.now().isoformat(),
    }
    cache.set(ping_cache_key(token), answer, timeout=PING_CACHE_TTL_SECONDS)
    return answer
