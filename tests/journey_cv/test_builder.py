"""The CV builder: a CV starts from the competence inventory (step 2), targeted at one occupation
(most relevant experience and skills first); the client reorders, hides and rewrites; a later
change in the inventory is offered, never written into the client's text."""

from __future__ import annotations

import pytest
from django.test import Client

from journey.cv.builder import CvInputs, Target, cv_content_build
from journey.cv.models import Cv
from journey.cv.services import cv_inventory_refresh
from journey.models import ClientProfile
from journey.services import competence as step2

from .conftest import (
    AGILE,
    DEVELOPER,
    ENGLISH,
    IT_PROJECT_MANAGER,
    JAVA,
    LICENCE_B,
    PROJECT_MANAGEMENT_IT,
    SCRUM,
    SQL,
    SWEDISH,
)
from .helpers import create_cv, page_text


def test_a_new_cv_holds_everything_the_inventory_knows(
    inventory: ClientProfile, browser: Client
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    assert cv.client == inventory and cv.target_label == "Projektledare, IT"
    basics = cv.content["basics"]
    assert basics["name"] == "Karin Berg" and basics["email"] == "karin.cv@example.se"
    assert basics["headline"] == "Projektledare, IT"
    assert "IT-projektledare" in basics["summary"]  # a first draft of the profile to rewrite
    titles = [e["title"] for e in cv.content["experience"]]
    assert titles == ["IT-projektledare", "Systemutvecklare"]
    current = cv.content["experience"][0]
    assert current["employer"] == "Volvo Cars" and current["start"] == "2016-03"
    assert current["current"] and "Budget 12 MSEK." in current["description"]
    assert {s["concept_id"] for s in cv.content["skills"]} == {
        PROJECT_MANAGEMENT_IT,
        AGILE,
        JAVA,
        SQL,
    }
    assert {s["concept_id"] for s in cv.content["languages"]} == {SWEDISH, ENGLISH}
    assert [s["concept_id"] for s in cv.content["licences"]] == [LICENCE_B]
    assert cv.content["education"][0]["institution"] == "Chalmers"
    assert cv.competence_revision is not None
    # The editor shows it all in the live preview.
    text = page_text(browser.get(f"/resa/cv/{cv.pk}/"))
    assert "Arbetslivserfarenhet" in text and "Volvo Cars" in text and "Chalmers" in text


def test_the_target_decides_what_comes_first(inventory: ClientProfile, browser: Client) -> None:
    as_developer = create_cv(browser, target=DEVELOPER)
    # The older developer job comes first in a CV for a developer post.
    assert [e["title"] for e in as_developer.content["experience"]] == [
        "Systemutvecklare",
        "IT-projektledare",
    ]
    assert as_developer.content["basics"]["headline"] == as_developer.target_label != ""


def test_skills_the_target_asks_for_come_first_then_by_level() -> None:
    inputs = CvInputs(
        skills=[
            {"concept_id": "a", "label": "Budget", "level": 5},
            {"concept_id": "b", "label": "Java", "level": 2},
            {"concept_id": "c", "label": "SQL", "level": None},
            {"concept_id": "d", "label": "Scrum", "level": 4},
        ],
        matched_skills={"target": ["c", "b"]},
    )
    content = cv_content_build(inputs=inputs, target=Target("target", "Utvecklare"), language="sv")
    assert [s["label"] for s in content["skills"]] == ["SQL", "Java", "Budget", "Scrum"]
    untargeted = cv_content_build(inputs=inputs, target=Target(), language="en")
    assert [s["label"] for s in untargeted["skills"]] == ["Budget", "Scrum", "Java", "SQL"]


def test_an_english_cv_has_english_headings_dates_and_language_names(
    inventory: ClientProfile, browser: Client
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER, language="en")
    assert {s["label"] for s in cv.content["languages"]} == {"Swedish", "English"}
    text = page_text(browser.get(f"/resa/cv/{cv.pk}/"))
    assert "Work experience" in text and "Mar 2016 – present" in text
    assert "Swedish – Native" in text


def test_sections_can_be_reordered_hidden_and_renamed(
    inventory: ClientProfile, browser: Client
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    response = browser.post(f"/resa/cv/{cv.pk}/flytta/", {"move": "skills:up"})
    assert response.status_code == 302
    cv.refresh_from_db()
    assert [s["key"] for s in cv.sections][:3] == ["profile", "skills", "experience"]
    post = {f"order-{k}": str(i) for i, k in enumerate(Cv.SECTION_KEYS, start=1)}
    post.update({"hidden-licences": "1", "heading-skills": "Det här kan jag"})
    browser.post(f"/resa/cv/{cv.pk}/spara/sections/", post)
    cv.refresh_from_db()
    assert [s["key"] for s in cv.sections] == list(Cv.SECTION_KEYS)
    text = page_text(browser.get(f"/resa/cv/{cv.pk}/"))
    preview = text.split("Förhandsvisning", 1)[1]
    assert "Det här kan jag" in preview and "Körkort" not in preview


def test_experiences_are_edited_moved_and_hidden_as_the_client_writes_them(
    inventory: ClientProfile, browser: Client
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    rows = cv.content["experience"]
    post = {"exp-TOTAL_FORMS": "3", "exp-INITIAL_FORMS": "2", "exp-MIN_NUM_FORMS": "0",
            "exp-MAX_NUM_FORMS": "40"}  # fmt: skip
    for i, row in enumerate(rows):
        for field in ("key", "title", "employer", "start", "end", "description", "occupation_id"):
            post[f"exp-{i}-{field}"] = row[field] or ""
    post["exp-0-description"] = "Mitt eget: ledde 40 personer."
    post["exp-1-hidden"] = "on"
    post.update({"exp-2-title": "Styrelseledamot", "exp-2-employer": "BRF Eken",
                 "exp-2-start": "2020-01"})  # fmt: skip
    response = browser.post(f"/resa/cv/{cv.pk}/spara/experience/", post)
    assert response.status_code == 302
    cv.refresh_from_db()
    titles = [(e["title"], e["hidden"]) for e in cv.content["experience"]]
    assert titles == [("IT-projektledare", False), ("Systemutvecklare", True),
                      ("Styrelseledamot", False)]  # fmt: skip
    assert cv.content["experience"][0]["description"] == "Mitt eget: ledde 40 personer."
    # Moving a job down saves what was typed in the same form first.
    post["exp-0-description"] = "Ändrat igen innan flytten."
    post["move"] = "experience:0:down"
    browser.post(f"/resa/cv/{cv.pk}/flytta/", post)
    cv.refresh_from_db()
    assert cv.content["experience"][1]["title"] == "IT-projektledare"
    assert cv.content["experience"][1]["description"] == "Ändrat igen innan flytten."
    # A bad date is refused with a message; nothing typed is lost from the page.
    post.pop("move")
    post["exp-2-start"] = "januari"
    response = browser.post(f"/resa/cv/{cv.pk}/spara/experience/", post)
    assert response.status_code == 400
    assert (
        "ÅÅÅÅ-MM" in page_text(response)
        and "Ändrat igen innan flytten." in response.content.decode()
    )


def test_live_preview_shows_unsaved_text_and_saves_nothing(
    inventory: ClientProfile, browser: Client
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    before = cv.content
    response = browser.post(
        f"/resa/cv/{cv.pk}/forhandsvisning/",
        {"part": "basics", "name": "Karin B. Berg", "summary": "Utkast som inte sparats."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Karin B. Berg</h1>" in html and "Utkast som inte sparats." in html
    assert "<html" not in html  # a fragment for the preview pane
    cv.refresh_from_db()
    assert cv.content == before


def test_inventory_changes_are_offered_never_written_in(
    inventory: ClientProfile, browser: Client
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    own = "Min egen profiltext som ingen ska ändra."
    browser.post(f"/resa/cv/{cv.pk}/spara/basics/", {"name": "Karin Berg", "summary": own})
    step2.skill_add(client=inventory, skill_id=SCRUM, level=3)
    cv.refresh_from_db()
    assert SCRUM not in {s["concept_id"] for s in cv.content["skills"]}
    assert cv.content["basics"]["summary"] == own
    # The downstream refresher tells the client once (idempotent).
    notes = cv_inventory_refresh(client=inventory)
    assert len(notes) == 1 and "Scrum" in notes[0].message_sv
    assert cv_inventory_refresh(client=inventory) == []
    # The editor offers it; accepting adds it, and nothing else changes.
    text = page_text(browser.get(f"/resa/cv/{cv.pk}/"))
    assert "Nytt i din kompetensinventering" in text and "Scrum, systemutvecklingsmetod" in text
    browser.post(f"/resa/cv/{cv.pk}/nytt-fran-inventeringen/", {"key": f"skill:{SCRUM}"})
    cv.refresh_from_db()
    assert SCRUM in {s["concept_id"] for s in cv.content["skills"]}
    assert cv.content["basics"]["summary"] == own
    # Saying no means it is never offered again.
    step2.language_save(client=inventory, language_id="S368_jFS_2hP", level="basic")  # German
    browser.post(
        f"/resa/cv/{cv.pk}/nytt-fran-inventeringen/",
        {"key": "language:S368_jFS_2hP", "action": "decline"},
    )
    assert "Tyska" not in page_text(browser.get(f"/resa/cv/{cv.pk}/")).split("Förhandsvisning")[0]


def test_a_copy_is_a_separate_cv(inventory: ClientProfile, browser: Client) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    browser.post(f"/resa/cv/{cv.pk}/kopiera/")
    copy = Cv.objects.exclude(pk=cv.pk).get()
    assert copy.content == cv.content and copy.title.endswith("(kopia)")
    browser.post(f"/resa/cv/{copy.pk}/spara/basics/", {"name": "Bara i kopian"})
    cv.refresh_from_db()
    assert cv.content["basics"]["name"] == "Karin Berg"


pytestmark = pytest.mark.usefixtures("taxonomy_loaded")


def test_the_pages_are_in_english_when_the_client_chooses_english(
    inventory: ClientProfile, browser: Client
) -> None:
    browser.post("/sprak/", {"language": "en", "next": "/resa/cv/"})
    text = page_text(browser.get("/resa/cv/"))
    assert "Your CVs" in text and "Create a new CV" in text and "Dina CV" not in text
    cv = create_cv(browser, target=IT_PROJECT_MANAGER, language="en")
    text = page_text(browser.get(f"/resa/cv/{cv.pk}/"))
    assert "Sections and order" in text and "Work experience" in text
