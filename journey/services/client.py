"""Writes of the ClientProfile: creating it, moving the journey stage forward, employment facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied

from journey.models import STAGE_ORDER, ClientProfile, EmploymentStatus, JourneyStage


def client_profile_get_or_create(*, user: Any) -> ClientProfile:
    """The journey profile of a client user, created on first use. Other roles are refused."""
    if getattr(user, "role", None) != "client" or not getattr(user, "is_active", False):
        raise PermissionDenied("Only client users have a journey.")
    profile, _ = ClientProfile.objects.get_or_create(user=user)
    return profile


def client_profile_stage_advance(*, client: ClientProfile, stage: str) -> ClientProfile:
    """Move the client's journey stage forward to `stage`; never backwards."""
    if stage not in STAGE_ORDER:
        raise ValueError(f"unknown journey stage {stage!r}")
    if STAGE_ORDER.index(stage) > STAGE_ORDER.index(client.journey_stage):
        client.journey_stage = JourneyStage(stage)
        client.save(update_fields=["journey_stage", "updated_at"])
    return client


def client_profile_employment_sync(
    *,
    client: ClientProfile,
    status: str | None,
    notice_date: dt.date | None,
    last_working_day: dt.date | None,
) -> ClientProfile:
    """Copy step 1's employment facts onto the profile (what advisers and HR lists read)."""
    new_status = status if status in EmploymentStatus.values else EmploymentStatus.UNKNOWN
    changed = (
        client.status != new_status
        or client.notice_date != notice_date
        or client.last_working_day != last_working_day
    )
    if changed:
        client.status = new_status
        client.notice_date = notice_date
        client.last_working_day = last_working_day
        client.save(update_fields=["status", "notice_date", "last_working_day", "updated_at"])
    return client
