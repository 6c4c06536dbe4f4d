"""Step 4 in a real browser on a phone-sized screen: build a targeted CV, watch the live preview
follow the typing, save, download PDF and Word, check the CV against an ad, write a letter, run
a practice set and time a pitch (the issue's "done when")."""

from __future__ import annotations

from typing import Any

import pytest

from journey.cv.models import CoverLetter, Cv, CvCheck, PracticeSet
from journey.services.client import client_profile_get_or_create
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import htmx_settle
from tests.journey_cv.conftest import IT_PROJECT_MANAGER, fill_inventory
from vagval.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AD_TEXT = (
    "Projektledare IT till Göteborg. Vi söker dig som har lett agila projekt och kan Java och "
    "SQL. Erfarenhet av Scrum är meriterande."
)


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_a_client_builds_checks_and_sends_a_cv_on_a_phone(
    phone: Any, login_as: Any, taxonomy_loaded: str, live_server: Any
) -> None:
    user = UserFactory(role=User.Role.CLIENT, email="e2e-cv@example.se", first_name="Karin",
                       last_name="Berg")  # fmt: skip
    fill_inventory(client_profile_get_or_create(user=user))
    login_as(user.email, PASSWORD)

    phone.goto("/resa/cv/")
    no_sideways_scroll(phone)
    phone.select_option("#id_target", IT_PROJECT_MANAGER)
    phone.select_option("#id_template", "modern")
    phone.get_by_role("button", name="Skapa CV").click()
    phone.wait_for_url("**/resa/cv/*/")
    cv = Cv.objects.get()
    no_sideways_scroll(phone)
    preview = phone.locator("#cv-preview")
    assert "Volvo Cars" in preview.inner_text()

    # Live preview: typing shows in the preview before anything is saved.
    phone.fill("#id_summary", "Lugn projektledare som levererar i tid.")
    phone.locator("#id_summary").press("End")
    preview.get_by_text("Lugn projektledare som levererar i tid.").wait_for()
    htmx_settle(phone)
    cv.refresh_from_db()
    assert cv.content["basics"]["summary"] != "Lugn projektledare som levererar i tid."
    phone.locator("#uppgifter button[type=submit]").click()
    phone.wait_for_load_state()
    cv.refresh_from_db()
    assert cv.content["basics"]["summary"] == "Lugn projektledare som levererar i tid."

    # Downloads.
    for label, suffix in (("Ladda ner PDF", ".pdf"), ("Ladda ner Word", ".docx")):
        with phone.expect_download() as info:
            phone.get_by_role("link", name=label).first.click()
        assert info.value.suggested_filename.endswith(suffix)

    # Check against a pasted ad; the parse-back is shown.
    phone.get_by_role("link", name="Granska mot en annons").click()
    phone.fill("#id_text", AD_TEXT)
    phone.get_by_role("button", name="Granska").click()
    phone.wait_for_url("**/resa/cv/granskning/*/")
    no_sideways_scroll(phone)
    assert "Så läser ett rekryteringssystem din PDF" in phone.content()
    assert CvCheck.objects.filter(cv=cv).exists()

    # A letter and a practice set.
    phone.get_by_role("link", name="Skriv ett brev").click()
    phone.get_by_role("button", name="Skriv utkast").click()
    phone.wait_for_url("**/resa/cv/brev/*/")
    no_sideways_scroll(phone)
    assert CoverLetter.objects.get().cv == cv
    phone.goto("/resa/cv/intervju/")
    phone.get_by_role("button", name="Skapa frågor").click()
    phone.wait_for_url("**/resa/cv/intervju/*/")
    no_sideways_scroll(phone)
    practice = PracticeSet.objects.get()
    first = practice.answers.order_by("order").first()
    phone.fill(f"#id_a{first.pk}-situation", "Ett projekt var försenat.")
    phone.locator(f"#q{first.pk} button[type=submit]").click()
    phone.wait_for_load_state()
    first.refresh_from_db()
    assert first.situation == "Ett projekt var försenat."

    # Pitch: the word count follows the typing and the timer runs (static JS, no inline script).
    phone.goto("/resa/cv/pitch/")
    no_sideways_scroll(phone)
    box = phone.locator("#p30")
    box.locator("textarea").fill("Jag heter Karin och leder IT-projekt.")
    assert box.locator("[data-pitch-count]").inner_text().startswith("6 ord · 2–3 s")
    box.get_by_role("button", name="Starta klockan").click()
    phone.wait_for_timeout(1300)
    assert box.locator("[data-timer]").inner_text() in ("0:01", "0:02")
    box.get_by_role("button", name="Stoppa klockan").click()
