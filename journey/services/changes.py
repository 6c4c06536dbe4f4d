"""Writes of the "what changed" log (JourneyChange) that Min resa shows the client."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from journey.models import ChangeKind, ClientProfile, JourneyChange, JourneyStep


def journey_change_record(
    *,
    client: ClientProfile,
    step: JourneyStep | str,
    kind: ChangeKind | str,
    message_sv: str,
    message_en: str = "",
    url: str = "",
) -> JourneyChange:
    """Tell the client something changed in `step` (shown on Min resa until dismissed)."""
    change = JourneyChange(
        client=client,
        step=step,
        kind=kind,
        message_sv=message_sv[:500],
        message_en=message_en[:500],
        url=url[:300],
    )
    change.full_clean(exclude=["client"])
    change.save()
    return change


def journey_changes_mark_seen(
    *, client: ClientProfile, change_ids: Iterable[int] | None = None
) -> int:
    """Mark the client's unseen changes (all, or those listed) as seen; returns how many."""
    queryset = JourneyChange.objects.filter(client=client, seen_at__isnull=True)
    if change_ids is not None:
        queryset = queryset.filter(pk__in=list(change_ids))
    return queryset.update(seen_at=timezone.now())
