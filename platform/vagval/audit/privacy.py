"""The audit app's part of the portable profile and of account erasure."""

from __future__ import annotations

from typing import Any

from .models import AuditEvent
from .services import audit_events_detach_user


def export_user_data(user: Any) -> dict[str, Any]:
    """Who accessed this person's data, and (for staff roles) whose data they accessed."""
    about_me = (
        AuditEvent.objects.filter(subject=user)
        .exclude(actor=user)
        .select_related("actor")
        .order_by("at", "id")
    )
    by_me = AuditEvent.objects.filter(actor=user).exclude(subject=user).order_by("at", "id")
    return {
        "accesses_to_my_data": [
            {
                "at": e.at,
                "by": str(e.actor) if e.actor else None,
                "by_role": e.actor_role,
                "action": e.action,
                "object_type": e.object_type,
                "purpose": e.purpose,
            }
            for e in about_me
        ],
        "my_accesses": [
            {
                "at": e.at,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "purpose": e.purpose,
            }
            for e in by_me
        ],
    }


def erase_user_data(user: Any) -> None:
    audit_events_detach_user(user=user)
