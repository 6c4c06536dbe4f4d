"""E-mails of the adviser portal. They carry no personal content: a message notification
says only that there is a message and where to read it; a meeting e-mail says when and how."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vagval.accounts.models import User

from .ics import meeting_ics
from .models import Meeting, MeetingMode, Message


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def message_notification_send(*, message: Message) -> bool:
    """Tell the other party of the case that a message waits. Returns False if nobody to tell."""
    case = message.case
    recipient: User | None = case.adviser if message.from_client else case.client
    if recipient is None or not recipient.is_active or not recipient.email:
        return False
    to_client = not message.from_client
    path = (
        reverse("advisers:client_messages")
        if to_client
        else reverse("advisers:messages", kwargs={"client_id": case.client_id})
    )
    with translation.override(recipient.preferred_language or "sv"):
        subject = _("Nytt meddelande i Vägval")
        body = render_to_string(
            "advisers/email/message_notify.txt",
            {"to_client": to_client, "url": _absolute(path)},
        )
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email]).send()
    return True


_SUBJECTS = {
    "booked": ("Möte bokat", "Meeting booked"),
    "moved": ("Mötet har flyttats", "Meeting moved"),
    "cancelled": ("Mötet har avbokats", "Meeting cancelled"),
    "reminder": ("Påminnelse: möte", "Reminder: meeting"),
}


def meeting_email_send(*, meeting: Meeting, event: str, to_client: bool) -> bool:
    """A meeting e-mail to the client or the adviser, with the .ics file attached."""
    recipient: User | None = meeting.case.client if to_client else meeting.adviser
    if recipient is None or not recipient.is_active or not recipient.email:
        return False
    language = recipient.preferred_language or "sv"
    path = (
        reverse("advisers:client_meeting", kwargs={"meeting_id": meeting.pk})
        if to_client
        else reverse(
            "advisers:meeting",
            kwargs={"client_id": meeting.case.client_id, "meeting_id": meeting.pk},
        )
    )
    with translation.override(language):
        subject = _SUBJECTS.get(event, _SUBJECTS["reminder"])[1 if language == "en" else 0]
        body = render_to_string(
            "advisers/email/meeting_notify.txt",
            {
                "event": event,
                "starts_at": timezone.localtime(meeting.starts_at),
                "ends_at": timezone.localtime(meeting.ends_at),
                "mode": str(MeetingMode(meeting.mode).label),
                "location": meeting.video_url or meeting.location,
                "url": _absolute(path),
            },
        )
    email = EmailMessage(
        f"[Vägval] {subject}", body, settings.DEFAULT_FROM_EMAIL, [recipient.email]
    )
    email.attach(
        "mote.ics",
        meeting_ics(meeting=meeting, for_adviser=not to_client, language=language),
        "text/calendar",
    )
    email.send()
    return True
