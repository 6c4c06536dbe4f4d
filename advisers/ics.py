"""iCalendar (.ics) files of meetings, built with the icalendar library.

The UID is stable per meeting and SEQUENCE grows on each move or cancellation, so a calendar
that imported the first file updates the event instead of adding a second one.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Meeting, MeetingMode

_SUMMARY = {"sv": "Möte med din rådgivare", "en": "Meeting with your adviser"}
_SUMMARY_ADVISER = {"sv": "Rådgivningsmöte", "en": "Advice meeting"}


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def meeting_ics(*, meeting: Meeting, for_adviser: bool = False, language: str = "sv") -> bytes:
    """One VEVENT for the meeting. No client name or agenda: the file may end up anywhere."""
    lang = "en" if language.startswith("en") else "sv"
    calendar = Calendar()
    calendar.add("prodid", "-//Vägval//Rådgivning//SV")
    calendar.add("version", "2.0")
    cancelled = meeting.status == Meeting.Status.CANCELLED
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{_host()}")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", (_SUMMARY_ADVISER if for_adviser else _SUMMARY)[lang])
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    mode = str(MeetingMode(meeting.mode).label)
    details = [mode]
    if meeting.mode == MeetingMode.VIDEO and meeting.video_url:
        event.add("location", meeting.video_url)
        event.add("url", meeting.video_url)
    elif meeting.location:
        event.add("location", meeting.location)
    elif meeting.mode == MeetingMode.PHONE:
        details.append(
            "Din rådgivare ringer upp dig." if lang == "sv" else "Your adviser will call you."
        )
    event.add("description", "\n".join(details))
    calendar.add_component(event)
    return calendar.to_ical()
