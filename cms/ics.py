"""iCalendar (.ics) files for events, built with the icalendar library."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from cms.models import EventPage


def event_ics(*, event: EventPage) -> bytes:
    """One VEVENT for the event, with a stable UID so calendars update rather than duplicate."""
    calendar = Calendar()
    calendar.add("prodid", "-//Vägval//Evenemang//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    item = Event()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    item.add("uid", f"event-{event.translation_key}@{host}")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    if event.intro:
        item.add("description", event.intro)
    location = ", ".join(part for part in (event.location_name, event.address) if part)
    if event.online_url:
        location = f"{location} ({event.online_url})" if location else event.online_url
    if location:
        item.add("location", location)
    url = event.get_full_url()
    if url:
        item.add("url", url)
    calendar.add_component(item)
    return calendar.to_ical()
