"""The main path of the journey in headless Chromium on a 360×740 phone screen, over the real
Platsbanken ads (ingested with the real `ingest` command): a client logs in, completes step 1,
adds a skill in step 2, picks a target occupation in step 3 (whose form is already filled in
from step 1), sees a ranked feed with reasons in step 5, and saves an ad."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from journey.matchprofile import ad_index_clear
from journey.models import Application, FeedSnapshot, SearchProfile
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import htmx_settle
from tests.journey.feed_fixtures import ingest_ads
from vagval.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ANSWERS: list[tuple[str, list[str]]] = [
    ("situation", ["#q-situation-1", "#q-released_from_work-no"]),
    ("economy", ["#q-economic_runway-2", "#q-severance-1", "#q-economic_worry-3"]),
    ("wellbeing", ["#q-energy-3", "#q-wellbeing-3"]),
    (
        "drivers",
        [
            "#q-driver_development-4",
            "#q-driver_security-2",
            "#q-driver_salary-3",
            "#q-driver_meaning-3",
            "#q-driver_flexibility-2",
            "#q-driver_colleagues-2",
            "#q-driver_leadership-1",
        ],
    ),
]


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def next_section(page: Any, expected_path: str) -> None:
    htmx_settle(page)
    page.locator("#action-next").click()
    page.wait_for_url(f"**{expected_path}")


def test_client_goes_from_login_to_a_saved_job_on_a_phone(
    phone: Any, login_as: Any, live_server: Any, taxonomy_loaded: str, real_data_dir: Path
) -> None:
    from journey.services.questionnaire import questionnaire_import
    from tests.journey.conftest import DEFINITION_V1
    from vagval.jobs.selectors import ads_active

    if not ads_active().exists():
        ingest_ads(real_data_dir)
    ad_index_clear()
    questionnaire_import(definition=json.loads(DEFINITION_V1.read_text(encoding="utf-8")))
    user: User = UserFactory(role=User.Role.CLIENT, email="e2e-huvudvag@example.se")  # type: ignore[assignment]
    login_as(user.email, PASSWORD)

    # Step 1: the current-state analysis, section by section.
    phone.goto("/resa/")
    phone.wait_for_url("**/resa/nulage/")
    phone.locator("main button[type=submit]:not(.link)").first.click()
    phone.wait_for_url("**/resa/nulage/del/situation/")
    sections = [name for name, _ in ANSWERS] + ["constraints", "paths", "help"]
    for number, (section, selectors) in enumerate(ANSWERS):
        for selector in selectors:
            phone.locator(selector).check()
            htmx_settle(phone)
        if section == "situation":
            for selector, value in (
                ("#q-notice_date-input", "2026-09-01"),
                ("#q-last_working_day-input", "2026-12-31"),
            ):
                phone.locator(selector).fill(value)
                htmx_settle(phone)
        next_section(phone, f"/resa/nulage/del/{sections[number + 1]}/")
    phone.locator("#q-places-add").fill("Stockholm")
    # Added with the button, as a phone user taps it (Enter in the name box, the keyboard
    # path, is test_journey_step1's, which first waits for the suggestions list).
    phone.locator("#q-places-add-button").click()
    phone.get_by_label("Stockholm", exact=True).wait_for()
    htmx_settle(phone)
    for selector, value in (
        ("#q-max_commute_minutes-input", "45"),
        ("#q-salary_floor-input", "45000"),
    ):
        phone.locator(selector).fill(value)
        phone.locator(selector).press("Tab")
        htmx_settle(phone)
    for selector in ("#q-remote-1", "#q-hours-0"):
        phone.locator(selector).check()
        htmx_settle(phone)
    next_section(phone, "/resa/nulage/del/paths/")
    for selector in ("#q-open_new_occupation-0", "#q-open_studies-2", "#q-open_own_business-2"):
        phone.locator(selector).check()
        htmx_settle(phone)
    next_section(phone, "/resa/nulage/del/help/")
    next_section(phone, "/resa/nulage/sammanfattning/")
    assert "Du vill arbeta i Stockholm" in " ".join(phone.locator("main").inner_text().split())

    # Step 2: a skill, picked from the suggestions as it is typed.
    phone.goto("/resa/kompetens/kompetenser/")
    phone.locator("#id_skill_text").press_sequentially("Python")
    option = phone.locator("[role=option]", has_text="Python, programmeringsspråk").first
    option.click()
    phone.get_by_role("button", name="Lägg till", exact=True).click()
    phone.wait_for_load_state()
    phone.locator("#dina-kompetenser", has_text="Python, programmeringsspråk").wait_for()

    # Step 3: occupations for this client; the places come from step 1 without asking.
    phone.goto("/resa/arbetsmarknad/")
    no_sideways_scroll(phone)
    stockholm = phone.get_by_label("Stockholm", exact=True)
    assert stockholm.is_checked(), "step 1's place is filled in"
    assert phone.locator("#max_commute_minutes").input_value() == "45"
    first = phone.locator(".occupation").first
    target_label = first.locator("h3").inner_text().split(" (SSYK")[0]
    assert first.locator(".reasons li").count() >= 2
    first.locator("input[name=target]").check()
    phone.get_by_role("button", name="Spara och visa lediga jobb").click()
    phone.wait_for_url("**/resa/jobb/")
    search = SearchProfile.objects.get(client__user=user)
    assert [t["label"] for t in search.target_occupations] == [target_label]

    # Step 5: a ranked feed, each card with its reasons and sources.
    no_sideways_scroll(phone)
    cards = phone.locator(".feed-card")
    assert cards.count() == 20
    card = cards.first
    assert card.locator(".reasons li").count() >= 1
    assert card.locator(".sources a").count() >= 1
    headline = card.locator("h3").inner_text()
    card.get_by_role("button", name="Spara").click()
    phone.wait_for_url("**/resa/jobb/**")
    phone.locator(".feed-card", has_text=headline).get_by_role("button", name="Sparad").wait_for()
    snapshot = FeedSnapshot.objects.filter(client__user=user).first()
    assert snapshot is not None
    saved = Application.objects.get(client__user=user)
    assert saved.headline == headline and saved.status == "interested"

    # The tracker lists it.
    phone.goto("/resa/jobb/ansokningar/")
    assert headline in phone.locator("main").inner_text()
