"""The main path of step 1 in a real browser on a phone-sized screen, by keyboard only: log in,
start, answer (each answer saved as it is given), reload half-way and find everything kept,
finish, and read the summary."""

from __future__ import annotations

from typing import Any

import pytest

from journey.models import Answer, CurrentState
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import htmx_settle, tab_to, type_date
from vagval.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def choose(page: Any, key: str, index: int) -> None:
    """Pick option `index` of a radio group with the keyboard, and wait until it is saved."""
    tab_to(page, f"input[name='q-{key}']")
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    saved(page, key)


def saved(page: Any, key: str) -> None:
    htmx_settle(page)
    status = page.locator(f"#status-{key}")
    status.get_by_text("Sparat").wait_for()
    assert "error" not in (status.inner_html() or "")


def next_section(page: Any, expected_path: str) -> None:
    tab_to(page, "#action-next")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{expected_path}")


def test_a_client_answers_step_1_by_keyboard_on_a_phone(
    phone: Any, login_as: Any, places: None, live_server: Any, date_order: str
) -> None:
    import json

    from journey.services.questionnaire import questionnaire_import
    from tests.journey.conftest import DEFINITION_V1

    questionnaire_import(definition=json.loads(DEFINITION_V1.read_text(encoding="utf-8")))
    user = UserFactory(role=User.Role.CLIENT, email="e2e-klient@example.se")
    login_as(user.email, PASSWORD)

    phone.goto("/resa/")
    phone.wait_for_url("**/resa/nulage/")
    tab_to(phone, "button[type=submit]:not(.link)")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/resa/nulage/del/situation/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll

    # Situation: "given notice" reveals the date questions in place.
    assert not phone.locator("#q-last_working_day").is_visible()
    choose(phone, "situation", 1)
    phone.locator("#q-last_working_day").wait_for(state="visible")
    tab_to(phone, "#q-notice_date-input")
    type_date(phone, "2026-09-01", date_order)
    tab_to(phone, "#q-last_working_day-input")
    type_date(phone, "2026-12-31", date_order)
    phone.keyboard.press("Tab")
    saved(phone, "last_working_day")
    choose(phone, "released_from_work", 1)

    # Reload half-way: every answer is still there (it lives on the server, not in the page).
    phone.reload()
    assert phone.locator("#q-situation-1").is_checked()
    assert phone.locator("#q-last_working_day-input").input_value() == "2026-12-31"
    assert phone.locator("#q-notice_date-input").input_value() == "2026-09-01"
    assert phone.locator("#q-released_from_work-no").is_checked()
    next_section(phone, "/resa/nulage/del/economy/")

    choose(phone, "economic_runway", 2)
    choose(phone, "severance", 1)
    choose(phone, "economic_worry", 3)
    next_section(phone, "/resa/nulage/del/wellbeing/")

    choose(phone, "energy", 1)  # low energy: a follow-up question appears
    phone.locator("#q-wants_contact_soon").wait_for(state="visible")
    choose(phone, "wellbeing", 2)
    choose(phone, "wants_contact_soon", 0)
    next_section(phone, "/resa/nulage/del/drivers/")

    for key, index in [
        ("driver_development", 4),
        ("driver_security", 2),
        ("driver_salary", 3),
        ("driver_meaning", 4),
        ("driver_flexibility", 2),
        ("driver_colleagues", 3),
        ("driver_leadership", 0),
    ]:
        choose(phone, key, index)
    next_section(phone, "/resa/nulage/del/constraints/")

    # A place typed and added with Enter (works with or without the suggestions list).
    tab_to(phone, "#q-places-add")
    phone.keyboard.type("Göteborg")
    # The suggestions list fills in as the name is typed.
    phone.wait_for_function(
        "() => [...document.querySelectorAll('#q-places-list option')]"
        ".some(o => o.value === 'Göteborg')"
    )
    phone.keyboard.press("Enter")
    phone.get_by_label("Göteborg", exact=True).wait_for()
    htmx_settle(phone)
    assert phone.get_by_label("Göteborg", exact=True).is_checked()
    choose(phone, "remote", 1)
    choose(phone, "hours", 0)
    tab_to(phone, "#q-salary_floor-input")
    phone.keyboard.type("42 000")
    phone.keyboard.press("Tab")
    saved(phone, "salary_floor")
    next_section(phone, "/resa/nulage/del/paths/")

    choose(phone, "open_new_occupation", 0)
    choose(phone, "open_studies", 2)
    choose(phone, "open_own_business", 2)
    next_section(phone, "/resa/nulage/del/help/")

    tab_to(phone, "#q-anything_else-input")
    phone.keyboard.type("Jag vill gärna jobba med hållbarhet.")
    phone.keyboard.press("Tab")
    saved(phone, "anything_else")
    next_section(phone, "/resa/nulage/sammanfattning/")

    summary = " ".join(phone.locator("main").inner_text().split())  # also folds no-break spaces
    assert "Det här har du berättat" in summary
    assert "Du vill arbeta i Göteborg" in summary
    assert "Lägsta månadslön: 42 000 kr." in summary
    assert "Nytt yrke" in summary or "Ett nytt yrke" in summary
    state = CurrentState.objects.get(client__user=user)
    assert state.priority == "high"  # low energy and wants contact soon
    assert Answer.objects.get(response__client__user=user, question_key="energy").value == 2
