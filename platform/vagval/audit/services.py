"""Writes to the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

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


def audit_events_detach_user(*, user: Any) -> None:
    """Before erasure: drop the links and the IP addresses, keep the pseudonymous keys."""
    AuditEvent.objects.filter(actor=user).update(actor=None, ip=None)
    AuditEvent.objects.filter(subject=user).update(subject=None)
