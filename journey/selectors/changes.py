"""Reads of the "what changed" log."""

from __future__ import annotations

from journey.models import ClientProfile, JourneyChange

UNSEEN_LIMIT = 20


def journey_changes_unseen(
    *, client: ClientProfile, limit: int = UNSEEN_LIMIT
) -> list[JourneyChange]:
    """The client's changes not yet dismissed, newest first."""
    return list(
        JourneyChange.objects.filter(client=client, seen_at__isnull=True).order_by(
            "-created_at", "-id"
        )[:limit]
    )


def journey_changes_recent(*, client: ClientProfile, limit: int = 50) -> list[JourneyChange]:
    """The client's changes, seen or not, newest first."""
    return list(JourneyChange.objects.filter(client=client).order_by("-created_at", "-id")[:limit])
