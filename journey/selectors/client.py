"""Reads of the ClientProfile."""

from __future__ import annotations

from journey.models import ClientProfile


def client_profile_get(*, user: object) -> ClientProfile | None:
    """The journey profile of a user, or None (other roles, or a client who has not started)."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return None
    return ClientProfile.objects.filter(pk=user_id).first()
