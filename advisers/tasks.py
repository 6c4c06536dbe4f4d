"""Celery tasks of the adviser portal: notifications, meeting reminders and intake.

Each takes ids, re-reads its rows and is idempotent; reminders are claimed in the database
(`reminder_sent_at`) before the e-mail goes out, so a beat firing twice sends one reminder.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from journey.selectors.advisers_api import client_ids_with_profile

from . import selectors, services
from .models import Meeting, Message
from .notifications import meeting_email_send, message_notification_send

REMINDER_BATCH = 200
INTAKE_BATCH = 200
INTAKE_LOOKBACK_DAYS = 60


@shared_task(acks_late=True)
def message_notify(message_id: int) -> bool:
    message = (
        Message.objects.select_related("case__client", "case__adviser")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return False
    return message_notification_send(message=message)


@shared_task(acks_late=True)
def meeting_notify(meeting_id: int, event: str, notify_client: bool = True) -> bool:
    meeting = (
        Meeting.objects.select_related("case__client", "adviser").filter(pk=meeting_id).first()
    )
    if meeting is None:
        return False
    return meeting_email_send(meeting=meeting, event=event, to_client=notify_client)


@shared_task(acks_late=True)
def meeting_reminder_send(meeting_id: int) -> bool:
    """Send the reminder of one meeting to the client and the adviser, once."""
    meeting = services.meeting_reminder_mark(meeting_id=meeting_id)
    if meeting is None:
        return False
    meeting = Meeting.objects.select_related("case__client", "adviser").get(pk=meeting.pk)
    meeting_email_send(meeting=meeting, event="reminder", to_client=True)
    meeting_email_send(meeting=meeting, event="reminder", to_client=False)
    return True


@shared_task(acks_late=True)
def meeting_reminders_send() -> int:
    """Beat: enqueue the reminders of meetings in the next 24 hours (bounded batch)."""
    ids = selectors.meetings_due_for_reminder(limit=REMINDER_BATCH)
    for meeting_id in ids:
        meeting_reminder_send.delay(meeting_id)
    return len(ids)


@shared_task(acks_late=True)
def intake_pending() -> int:
    """Beat: give clients who recently started the journey an adviser (bounded batch)."""
    since = timezone.now() - dt.timedelta(days=INTAKE_LOOKBACK_DAYS)
    ids = client_ids_with_profile(created_after=since, limit=INTAKE_BATCH * 5)
    pending = selectors.clients_without_case(client_ids=ids)[:INTAKE_BATCH]
    return services.intake_run(client_ids=pending) + services.cases_unassigned_fill(
        limit=INTAKE_BATCH
    )
