"""The CV check against an ad: what the ad asks for (the ingestion enricher's matcher), what the
CV shows, what the inventory holds but the CV leaves out (added with one click), the real gaps
(linked to step 3), length and readability notes, and the ATS parse-back of the exported PDF."""

from __future__ import annotations

import pytest
from django.test import Client

from journey.cv.check import clean_plain, lix
from journey.cv.models import CvCheck
from journey.models import ClientProfile

from .conftest import IT_PROJECT_MANAGER, JAVA, SCRUM, SQL
from .helpers import create_cv, page_text

pytestmark = pytest.mark.usefixtures("taxonomy_loaded")

PASTED = """Systemutvecklare till vårt team i Göteborg
Vi söker dig som har arbetat med Java och SQL i större system, gärna i team som arbetar
med Scrum. Du har god förmåga att uttrycka dig på engelska. <script>alert(1)</script>
B-körkort är meriterande."""


def _hide_skill(browser: Client, cv, concept_id: str) -> None:  # type: ignore[no-untyped-def]
    visible = [s["concept_id"] for s in cv.content["skills"] if s["concept_id"] != concept_id]
    browser.post(f"/resa/cv/{cv.pk}/spara/skills/", {"visible": visible})


def test_check_against_pasted_text(inventory: ClientProfile, browser: Client) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    _hide_skill(browser, cv, SQL)
    response = browser.post(f"/resa/cv/{cv.pk}/granska/", {"text": PASTED})
    assert response.status_code == 302
    check = CvCheck.objects.get()
    assert (
        check.ad_text.startswith("Systemutvecklare till vårt team")
        and "<script>" not in check.ad_text
    )
    r = check.result
    shown = {c["concept_id"] for c in r["shown"]}
    omitted = {c["concept_id"] for c in r["omitted"]}
    gaps = {c["concept_id"] for c in r["gaps"]}
    assert JAVA in shown  # in the CV's skills
    assert SQL in omitted  # held in the inventory, hidden in the CV
    assert SCRUM in gaps  # not held at all
    assert not (shown & omitted) and not (shown & gaps) and not (omitted & gaps)
    assert "Karin Berg" in r["parsed_text"] and r["parse_problems"] == []
    assert r["pages"] == 1 and r["words"] > 40
    page = page_text(browser.get(response.url))
    assert "Du har det, men CV:t visar det inte" in page and "SQL, frågespråk" in page
    assert "Så läser ett rekryteringssystem din PDF" in page
    # One click adds the omitted skill to the CV, and the result says so.
    browser.post(f"/resa/cv/granskning/{check.pk}/lagg-till/", {"concept": SQL})
    cv.refresh_from_db()
    assert any(s["concept_id"] == SQL and not s["hidden"] for s in cv.content["skills"])
    check.refresh_from_db()
    assert SQL in {c["concept_id"] for c in check.result["shown"]}
    # A concept that was not offered cannot be added through this form.
    response = browser.post(
        f"/resa/cv/granskning/{check.pk}/lagg-till/", {"concept": SCRUM}, follow=True
    )
    assert "finns inte bland förslagen" in page_text(response)


def test_check_notes_on_length_readability_and_missing_parts(
    inventory: ClientProfile, browser: Client
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    heavy = " ".join(
        ["Implementeringsprojektledningsansvarig produktionssystemsintegrationer"] * 40
    )
    browser.post(f"/resa/cv/{cv.pk}/spara/basics/", {"name": "Karin Berg", "summary": heavy})
    browser.post(f"/resa/cv/{cv.pk}/granska/", {"text": PASTED})
    notes = " ".join(CvCheck.objects.get().result["notes"])
    assert "Läsbarhet (LIX" in notes and "svår" in notes
    assert "e-postadress eller telefonnummer" in notes


def test_lix_follows_its_definition() -> None:
    # 9 words in 2 sentences, 2 of them longer than six letters: 9/2 + 100*2/9 = 26.7
    assert lix("Jag leder projekt. Resultaten blev mycket bättre än väntat.") == (27, 9, 2)


def test_plain_text_cleaning() -> None:
    assert clean_plain("Hej <b>du</b>") == ("Hej du", True)
    assert clean_plain("a < b & c > d") == ("a < b & c > d", False)
    assert clean_plain("x<script>alert(1)</script>y") == ("xy", True)
    assert clean_plain("  rad1\r\nrad2\x00 ") == ("rad1\nrad2", False)


def test_check_against_an_ad_from_the_feed(
    ads: None,
    inventory: ClientProfile,
    browser: Client,
) -> None:
    from journey.services.feed import application_save
    from vagval.jobs.selectors import ads_active

    ad = next(a for a in ads_active().order_by("pk") if JAVA in (a.skill_ids or []))
    application_save(client=inventory, ad_id=ad.pk)  # saved from the feed (step 5)
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    page = browser.get(f"/resa/cv/{cv.pk}/granska/?annons={ad.pk}").content.decode()
    assert f'<option value="{ad.pk}" selected>' in page
    response = browser.post(f"/resa/cv/{cv.pk}/granska/", {"ad": str(ad.pk)})
    assert response.status_code == 302
    check = CvCheck.objects.get()
    assert check.ad_id == ad.pk and check.headline == ad.headline and check.ad_text == ""
    assert JAVA in {c["concept_id"] for c in check.result["shown"]}
    assert set(ad.skill_ids) <= {c["concept_id"] for c in check.result["requested"]} | set(
        ad.skill_ids
    )
    assert len(check.result["requested"]) >= len(set(ad.skill_ids))
