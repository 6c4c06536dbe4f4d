"""Events: registration up to capacity, the waiting list, cancellation and the calendar file."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cms import services
from cms.models import EventRegistration
from tests.cms.builders import Tree, make_event


def _register(client: Client, event: Any, n: int, **extra: str) -> Any:
    return client.post(
        reverse("cms:event_register", args=[event.pk]),
        {"name": f"Person {n}", "email": f"person{n}@example.se", "website": "", **extra},
        REMOTE_ADDR=f"10.1.0.{n}",
    )


def test_capacity_then_waiting_list(client: Client, tree: Tree) -> None:
    event = make_event(tree, capacity=2)
    for n in (1, 2):
        response = _register(client, event, n)
        assert response.status_code == 200
        assert "Du är anmäld" in response.content.decode()
    response = _register(client, event, 3)
    assert "Du står på väntelistan" in response.content.decode()
    statuses = list(EventRegistration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waitlisted"]

    html = Client().get(event.url).content.decode()
    assert "Fullbokat – anmäl dig till väntelistan" in html
    assert "Ställ mig på väntelistan" in html
    assert "1 person på väntelistan" in html


def test_confirmation_mail_has_the_calendar_file_and_a_cancel_link(tree: Tree) -> None:
    event = make_event(tree, capacity=1)
    services.event_register(event=event, name="Anna", email="Anna@Example.se")
    message = mail.outbox[0]
    assert message.to == ["anna@example.se"]
    assert event.title in message.subject
    _name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    assert Calendar.from_ical(content).walk("VEVENT")[0]["SUMMARY"] == event.title
    assert "/anmalan/avboka/" in message.body


def test_cancelling_gives_the_seat_to_the_first_on_the_waiting_list(
    client: Client, tree: Tree
) -> None:
    event = make_event(tree, capacity=1)
    first = services.event_register(event=event, name="Först", email="forst@example.se")
    services.event_register(event=event, name="Andra", email="andra@example.se")
    services.event_register(event=event, name="Tredje", email="tredje@example.se")
    cancel_link = re.search(r"http://\S+/anmalan/avboka/\S+/", mail.outbox[0].body)
    assert cancel_link is not None
    path = cancel_link.group(0).split("://", 1)[1].split("/", 1)[1]
    # The link only asks; the POST cancels.
    assert client.get(f"/{path}").status_code == 200
    first.refresh_from_db()
    assert first.status == EventRegistration.Status.CONFIRMED
    mail.outbox.clear()
    assert client.post(f"/{path}").status_code == 200

    statuses = dict(EventRegistration.objects.values_list("name", "status"))
    assert statuses == {"Först": "cancelled", "Andra": "confirmed", "Tredje": "waitlisted"}
    assert [m.to for m in mail.outbox] == [["andra@example.se"]]
    assert "har fått en plats" in mail.outbox[0].subject


def test_registering_twice_changes_nothing(tree: Tree) -> None:
    event = make_event(tree, capacity=1)
    one = services.event_register(event=event, name="Anna", email="anna@example.se")
    two = services.event_register(event=event, name="Anna", email="ANNA@example.se")
    assert one.pk == two.pk
    assert EventRegistration.objects.count() == 1


def test_registration_closed_after_the_deadline(client: Client, tree: Tree) -> None:
    from django.utils import timezone

    event = make_event(tree, registration_deadline=timezone.now() - timedelta(hours=1))
    response = _register(client, event, 1)
    assert response.status_code == 400
    assert "Anmälan till evenemanget är stängd." in response.content.decode()
    assert 'value="Person 1"' in response.content.decode()
    assert not EventRegistration.objects.exists()
    assert "Anmälan är stängd." in Client().get(event.url).content.decode()


def test_invalid_email_keeps_the_name(client: Client, tree: Tree) -> None:
    event = make_event(tree)
    response = _register(client, event, 1, email="inte-en-adress")
    assert response.status_code == 400
    assert 'value="Person 1"' in response.content.decode()


def test_honeypot_registers_nobody(client: Client, tree: Tree) -> None:
    event = make_event(tree)
    response = _register(client, event, 1, website="spam")
    assert response.status_code == 200
    assert not EventRegistration.objects.exists()


def test_calendar_file(client: Client, tree: Tree) -> None:
    event = make_event(tree, capacity=10)
    response = client.get(reverse("cms:event_ics", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="webbinarium.ics"' in response["Content-Disposition"]
    vevent = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == "Webbinarium om studiestöd"
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert vevent.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert "Vägvals lokal" in str(vevent["LOCATION"])
    assert "https://example.org/webbinarium" in str(vevent["LOCATION"])
    assert str(vevent["UID"]).startswith(f"event-{event.translation_key}@")


@pytest.mark.parametrize("path", ["/kalender/999999.ics"])
def test_calendar_file_of_unknown_event_is_404(client: Client, tree: Tree, path: str) -> None:
    assert client.get(path).status_code == 404


def test_registrations_are_deleted_a_month_after_the_event(tree: Tree) -> None:
    from django.utils import timezone

    from cms.tasks import reader_data_purge

    old = make_event(tree, slug="gammalt", title="Gammalt")
    upcoming = make_event(tree, slug="kommande", title="Kommande")
    services.event_register(event=upcoming, name="Kvar", email="kvar@example.se")
    EventRegistration.objects.create(
        event=old, name="Borta", email="borta@example.se", status="confirmed"
    )
    type(old).objects.filter(pk=old.pk).update(
        starts_at=timezone.now() - timedelta(days=40), ends_at=timezone.now() - timedelta(days=40)
    )
    assert reader_data_purge() == {"newsletter_unconfirmed": 0, "event_registrations": 1}
    assert list(EventRegistration.objects.values_list("name", flat=True)) == ["Kvar"]
