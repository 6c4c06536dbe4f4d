"""Reads of the audit log: what was done to a person's data, and what a person did."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import AuditEvent


def audit_events_for_subject(*, subject: Any, limit: int | None = 200) -> QuerySet[AuditEvent]:
    """Events about `subject`'s data done by someone else, newest first (for "who saw my data")."""
    qs = (
        AuditEvent.objects.filter(subject=subject)
        .exclude(actor=subject)
        .select_related("actor")
        .order_by("-at", "-id")
    )
    return qs[:limit] if limit else qs


def audit_events_by_actor(*, actor: Any, limit: int | None = 200) -> QuerySet[AuditEvent]:
    """Events done by `actor`, newest first."""
    qs = AuditEvent.objects.filter(actor=actor).select_related("subject").order_by("-at", "-id")
    return qs[:limit] if limit else qs
