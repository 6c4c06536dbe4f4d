"""The adviser's main path in a real browser on a phone-sized screen, by keyboard: log in, see the
caseload with its priority signals, filter and sort it, open a client, read the journey at a
glance, write a private note, add a next step the client sees, and book a meeting in a free
time the adviser published; the client then finds the meeting and the step in Min rådgivare."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from advisers import services
from advisers.models import AdviserNote, Meeting, MeetingMode, NextStep
from journey.demo import demo_journey_backdate
from journey.services.client import client_profile_get_or_create
from tests.accounts.factories import PASSWORD
from tests.advisers.conftest import case_of, make_adviser, make_client
from tests.advisers.journey_data import questionnaire_ensure, step1_complete
from tests.e2e.conftest import htmx_settle, tab_to
from vagval.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def caseload_names(page: Any) -> list[str]:
    return [n.strip() for n in page.locator("#caseload tbody th[scope=row] a").all_inner_texts()]


def row_signals(page: Any, name: str) -> str:
    return page.locator("#caseload tbody tr", has_text=name).locator(".signals").inner_text()


def pick_option(page: Any, select: str, label: str) -> None:
    """Choose an option of a closed <select> by typing the start of its label (type-ahead, no
    popup), as a keyboard user does, and wait for the caseload to be filtered."""
    tab_to(page, select)
    page.wait_for_timeout(1100)  # the browser forgets earlier type-ahead keys after a second
    page.keyboard.type(label)
    htmx_settle(page)


def seed() -> tuple[User, User, User]:
    """An adviser with three clients: one with low energy and a last working day near, one who
    has done nothing for three weeks, one new and active; and a free time tomorrow."""
    adviser = make_adviser(video_room_url="https://video.exempel.se/rum-1")
    User.objects.filter(pk=adviser.pk).update(first_name="Ahmed", last_name="Berg")
    karin = make_client(
        adviser=adviser,
        first_name="Karin",
        last_name="Lindqvist",
        stage="competence",
        notice_days_ago=60,
        last_day_in=12,
    )
    today = timezone.localdate()
    step1_complete(
        karin,
        energy=1,
        wellbeing=2,
        notice_date=(today - dt.timedelta(days=60)).isoformat(),
        last_working_day=(today + dt.timedelta(days=12)).isoformat(),
    )
    lars = make_client(
        adviser=adviser,
        first_name="Lars",
        last_name="Pettersson",
        stage="cv",
        notice_days_ago=40,
        last_day_in=110,
    )
    now = timezone.now()
    demo_journey_backdate(
        client=client_profile_get_or_create(user=lars),
        started_at=now - dt.timedelta(days=36),
        last_active_at=now - dt.timedelta(days=19),
    )
    lars_case = case_of(lars)
    type(lars_case).objects.filter(pk=lars_case.pk).update(
        opened_at=now - dt.timedelta(days=36), last_activity_at=now - dt.timedelta(days=19)
    )
    make_client(adviser=adviser, first_name="Fatima", last_name="Hassan", notice_days_ago=5)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time(10), tzinfo=tz)
    services.slot_publish(
        adviser=adviser,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        modes=[MeetingMode.IN_PERSON, MeetingMode.PHONE, MeetingMode.VIDEO],
        location="Kungsgatan 12, Göteborg",
    )
    return adviser, karin, lars


def test_an_adviser_works_the_caseload_by_keyboard_on_a_phone(
    phone: Any, login_as: Any, places: None, live_server: Any, settings: Any
) -> None:
    settings.VAGVAL_REQUIRE_MFA_FOR_STAFF_ROLES = False  # MFA has its own tests
    questionnaire_ensure()
    adviser, karin, lars = seed()
    login_as(adviser.email, PASSWORD)

    # The caseload: every client, the most urgent first, each with their signals.
    phone.goto("/radgivare/")
    phone.get_by_role("heading", name="Mina klienter", level=1).wait_for()
    no_sideways_scroll(phone)
    assert caseload_names(phone)[0] == "Karin Lindqvist"  # highest priority score
    assert set(caseload_names(phone)) == {"Karin Lindqvist", "Lars Pettersson", "Fatima Hassan"}
    karin_signals = row_signals(phone, "Karin Lindqvist")
    assert "Låg energi eller mår dåligt" in karin_signals
    assert "Sista anställningsdag snart" in karin_signals
    assert "Ingen aktivitet på länge" in row_signals(phone, "Lars Pettersson")
    assert "Inga" in phone.locator("#caseload tbody tr", has_text="Fatima Hassan").inner_text()

    # Filter on a signal: only the stalled client is left, and the URL can be shared.
    pick_option(phone, "select[name=signal]", "Ingen aktivitet")
    assert caseload_names(phone) == ["Lars Pettersson"]
    assert "signal=stalled" in phone.url
    no_sideways_scroll(phone)
    pick_option(phone, "select[name=signal]", "Alla")
    assert len(caseload_names(phone)) == 3

    # Sort by name.
    pick_option(phone, "select[name=sort]", "Namn")
    assert caseload_names(phone) == ["Fatima Hassan", "Karin Lindqvist", "Lars Pettersson"]

    # Search by name and open the client with Enter.
    tab_to(phone, "input[name=q]")
    phone.keyboard.type("karin")
    phone.keyboard.press("Enter")
    htmx_settle(phone)
    assert caseload_names(phone) == ["Karin Lindqvist"]
    tab_to(phone, f"#caseload a[href$='/klienter/{karin.pk}/']")
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"**/radgivare/klienter/{karin.pk}/")
    no_sideways_scroll(phone)

    # The journey at a glance.
    glance = " ".join(phone.locator("section[aria-labelledby=journey-title]").inner_text().split())
    assert "Resan i korthet" in glance and "Sista anställningsdag" in glance
    assert "Energi: 1/5" in glance  # what step 1 said about wellbeing

    # A private note.
    tab_to(phone, "#anteckningar textarea[name=body]")
    phone.keyboard.type("Låg energi. Föreslå ett kortare första möte per telefon.")
    tab_to(phone, "#anteckningar button[type=submit]")
    phone.keyboard.press("Enter")
    phone.wait_for_load_state()
    phone.locator("#anteckningar .note", has_text="kortare första möte").wait_for()
    assert AdviserNote.objects.filter(case__client=karin, body__contains="telefon").exists()

    # A next step the client also sees.
    tab_to(phone, "#steg input[name=text]")
    phone.keyboard.type("Välj två målyrken i steg 3")
    tab_to(phone, "#steg button[type=submit]:not(.link)")
    phone.keyboard.press("Enter")
    phone.wait_for_load_state()
    phone.locator("#steg .steps-list", has_text="Välj två målyrken").wait_for()
    assert NextStep.objects.filter(case__client=karin, text="Välj två målyrken i steg 3").exists()

    # Book a meeting in the published free time, by phone.
    tab_to(phone, f"a[href$='/klienter/{karin.pk}/moten/boka/']")
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"**/klienter/{karin.pk}/moten/boka/")
    no_sideways_scroll(phone)
    tab_to(phone, "input[name=slot]")
    phone.keyboard.press("Space")
    tab_to(phone, "input[name=mode]")
    phone.keyboard.press("Space")  # the first mode, then one down
    phone.keyboard.press("ArrowDown")
    assert phone.locator("input[name=mode]:checked").input_value() == MeetingMode.PHONE
    tab_to(phone, "main button[type=submit]")
    phone.keyboard.press("Enter")
    # A meeting's own page (digits): "**/moten/*/" would also match the booking page itself.
    phone.wait_for_url(re.compile(rf".*/klienter/{karin.pk}/moten/\d+/$"))
    assert "Mötet är bokat" in phone.locator("body").inner_text()  # the confirmation
    no_sideways_scroll(phone)
    meeting = Meeting.objects.get(case__client=karin)
    assert meeting.status == Meeting.Status.BOOKED and meeting.mode == MeetingMode.PHONE
    assert not Meeting.objects.filter(case__client=lars).exists()

    # The client sees the meeting and the step, but not the private note.
    phone.context.clear_cookies()
    login_as(karin.email, PASSWORD)
    phone.goto("/radgivare/min-radgivare/")
    home = " ".join(phone.locator("main").inner_text().split())
    assert "Välj två målyrken i steg 3" in home
    assert "kortare första möte" not in home
    assert phone.locator(f"a[href*='/min-radgivare/moten/{meeting.pk}/']").count() >= 1
    no_sideways_scroll(phone)
