"""Writes to the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from .context import current_ip
from .models import AuditEvent, subject_key_for


def audit_record(
    *,
    actor: Any | None,
    subject: Any | None,
    action: str,
    obj: models.Model | None = None,
    purpose: str,
    ip: str | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Record that `actor` did `action` on `subject`'s data (optionally on one object) and why.

    `ip` defaults to the address of the request being served, if any. Pass `obj` for a model
    instance, or `object_type`/`object_id` for something that is not one.
    """
    if not purpose or not purpose.strip():
        raise ValueError("An audit event needs a purpose")
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    actor_id = getattr(actor, "pk", None)
    subject_id = getattr(subject, "pk", None)
    return AuditEvent.objects.create(
        actor=actor if actor_id else None,
        actor_key=subject_key_for(actor_id) if actor_id else "",
        actor_role=getattr(actor, "role", "") or "",
        subject=subject if subject_id else None,
        subject_key=subject_key_for(subject_id) if subject_id else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose.strip()[:255],
        ip=ip if ip is not None else current_ip(),
    )


def audit_record_many(
    *,
    actor: Any,
    subject_ids: Iterable[int],
    action: str,
    purpose: str,
    object_type: str = "",
    ip: str | None = None,
) -> int:
    """Record one event per subject in a single insert (a list view showing many clients).

    The rows are the ones `audit_record` would write, one call per subject, without costing a
    query each. Returns the number of events written.
    """
    if not purpose or not purpose.strip():
        raise ValueError("An audit event needs a purpose")
    ids = list(dict.fromkeys(int(i) for i in subject_ids))
    if not ids:
        return 0
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    actor_key = subject_key_for(actor_id) if actor_id else ""
    address = ip if ip is not None else current_ip()
    events = [
        AuditEvent(
            actor_id=actor_id,
            actor_key=actor_key,
            actor_role=getattr(actor, "role", "") or "",
            subject_id=subject_id,
            subject_key=subject_key_for(subject_id),
            action=action,
            object_type=object_type,
            purpose=purpose.strip()[:255],
            ip=address,
            at=now,
        )
        for subject_id in ids
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)


def audit_events_detach_user(*, user: Any) -> None:
    """Before erasure: drop the links and the IP addresses, keep the pseudonymous keys."""
    AuditEvent.objects.filter(actor=user).update(actor=None, ip=None)
    AuditEvent.objects.filter(subject=user).update(subject=None)
