"""Who sees what (only one's own documents; other roles refused), page query budgets, soft delete
with restore for 30 days, the privacy export and erasure, Min resa's step 4, and the demo."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from journey.cv.jsonresume import validation_errors
from journey.cv.models import CoverLetter, Cv, CvCheck, Pitch, PracticeSet
from journey.cv.services import documents_purge_deleted
from journey.models import ClientProfile
from tests.accounts.factories import UserFactory
from vagval.accounts.models import User
from vagval.consent.privacy import user_account_delete, user_data_export
from vagval.matching.taxonomy_view import get_taxonomy_view

from .conftest import IT_PROJECT_MANAGER, fill_inventory
from .helpers import create_cv, page_text

pytestmark = pytest.mark.usefixtures("taxonomy_loaded")

PASTED = (
    "Vi söker en projektledare med erfarenhet av Java, SQL och agila arbetsmetoder i stora team."
)


def _documents(browser: Client) -> dict[str, int]:
    """One of each document for the signed-in client, made through the pages."""
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    browser.post(f"/resa/cv/{cv.pk}/granska/", {"text": PASTED})
    browser.post("/resa/cv/brev/nytt/", {"application": "", "cv": str(cv.pk), "language": "sv"})
    browser.post("/resa/cv/intervju/", {"ad": "", "target": "", "language": "sv"})
    browser.post(
        "/resa/cv/pitch/", {"seconds": "30", "language": "sv", "text": "Hej, jag heter Karin."}
    )
    practice = PracticeSet.objects.get(client=cv.client)
    return {
        "cv": cv.pk,
        "check": CvCheck.objects.get(cv=cv).pk,
        "letter": CoverLetter.objects.get(cv=cv).pk,
        "set": practice.pk,
        "answer": practice.answers.first().pk,  # type: ignore[union-attr]
    }


def _urls(ids: dict[str, int]) -> tuple[list[str], list[str]]:
    cv, letter, practice = ids["cv"], ids["letter"], ids["set"]
    pages = [
        f"/resa/cv/{cv}/",
        f"/resa/cv/{cv}/ladda-ner/pdf/",
        f"/resa/cv/{cv}/ladda-ner/docx/",
        f"/resa/cv/{cv}/ladda-ner/json/",
        f"/resa/cv/{cv}/granska/",
        f"/resa/cv/granskning/{ids['check']}/",
        f"/resa/cv/brev/{letter}/",
        f"/resa/cv/brev/{letter}/ladda-ner/pdf/",
        f"/resa/cv/intervju/{practice}/",
    ]
    posts = [
        f"/resa/cv/{cv}/spara/basics/",
        f"/resa/cv/{cv}/flytta/",
        f"/resa/cv/{cv}/forhandsvisning/",
        f"/resa/cv/{cv}/nytt-fran-inventeringen/",
        f"/resa/cv/{cv}/ta-bort/",
        f"/resa/cv/{cv}/aterstall/",
        f"/resa/cv/{cv}/kopiera/",
        f"/resa/cv/{cv}/import-klar/",
        f"/resa/cv/granskning/{ids['check']}/lagg-till/",
        f"/resa/cv/brev/{letter}/ta-bort/",
        f"/resa/cv/brev/{letter}/aterstall/",
        f"/resa/cv/intervju/{practice}/svar/{ids['answer']}/",
        f"/resa/cv/intervju/{practice}/dela/",
        f"/resa/cv/intervju/{practice}/ta-bort/",
    ]
    return pages, posts


def test_another_client_gets_404_on_every_document_url(
    inventory: ClientProfile, browser: Client, olle: User
) -> None:
    ids = _documents(browser)
    snapshot = {
        "cv": Cv.objects.values("content", "sections", "deleted_at").get(pk=ids["cv"]),
        "letter": CoverLetter.objects.values("body", "deleted_at").get(pk=ids["letter"]),
        "set": PracticeSet.objects.values("shared_at").get(pk=ids["set"]),
    }
    other = Client()
    other.force_login(olle)
    pages, posts = _urls(ids)
    for url in pages:
        assert other.get(url).status_code == 404, url
    for url in posts:
        assert other.post(url, {"name": "Olle", "share": "1", "key": "x"}).status_code == 404, url
    assert (
        Cv.objects.values("content", "sections", "deleted_at").get(pk=ids["cv"]) == snapshot["cv"]
    )
    assert (
        CoverLetter.objects.values("body", "deleted_at").get(pk=ids["letter"]) == snapshot["letter"]
    )
    assert PracticeSet.objects.values("shared_at").get(pk=ids["set"]) == snapshot["set"]
    assert page_text(other.get("/resa/cv/")).count("CV – Projektledare, IT") == 0


def test_anonymous_users_log_in_and_other_roles_are_refused(inventory: ClientProfile) -> None:
    anonymous = Client()
    response = anonymous.get("/resa/cv/")
    assert response.status_code == 302 and "login" in response.url
    adviser = Client()
    adviser.force_login(UserFactory(role=User.Role.ADVISER, email="radgivare.cv@example.se"))
    assert adviser.get("/resa/cv/").status_code == 403
    assert adviser.get("/resa/cv/pitch/").status_code == 403


def test_pages_stay_within_ten_queries(
    inventory: ClientProfile, browser: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    ids = _documents(browser)
    get_taxonomy_view()  # the process-wide taxonomy cache is built once, not per page
    pages = [
        "/resa/cv/",
        f"/resa/cv/{ids['cv']}/",
        f"/resa/cv/{ids['cv']}/granska/",
        f"/resa/cv/granskning/{ids['check']}/",
        "/resa/cv/brev/nytt/",
        f"/resa/cv/brev/{ids['letter']}/",
        "/resa/cv/brev/mall/",
        "/resa/cv/intervju/",
        f"/resa/cv/intervju/{ids['set']}/",
        "/resa/cv/pitch/",
    ]
    for url in pages:
        browser.get(url)  # warm the per-process caches (language names, taxonomy version)
        with django_assert_max_num_queries(10):
            assert browser.get(url).status_code == 200, url


def test_deleted_cvs_are_restorable_for_30_days_then_purged(
    inventory: ClientProfile, browser: Client, karin: User
) -> None:
    cv = create_cv(browser, target=IT_PROJECT_MANAGER)
    response = browser.post(f"/resa/cv/{cv.pk}/ta-bort/", follow=True)
    assert "Du kan återställa det i 30 dagar" in page_text(response)
    assert browser.get(f"/resa/cv/{cv.pk}/").status_code == 404
    assert browser.get(f"/resa/cv/{cv.pk}/ladda-ner/pdf/").status_code == 404
    hub = page_text(browser.get("/resa/cv/"))
    assert "Borttaget (kan återställas i 30 dagar)" in hub and cv.title in hub
    browser.post(f"/resa/cv/{cv.pk}/aterstall/")
    assert browser.get(f"/resa/cv/{cv.pk}/").status_code == 200
    browser.post(f"/resa/cv/{cv.pk}/ta-bort/", follow=True)  # (follow: the message is shown)
    with time_machine.travel(timezone.now() + dt.timedelta(days=29), tick=False):
        assert documents_purge_deleted() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=31), tick=False):
        browser.force_login(karin)  # a month later the session has timed out
        assert browser.post(f"/resa/cv/{cv.pk}/aterstall/").status_code == 404
        assert cv.title not in page_text(browser.get("/resa/cv/"))
        assert documents_purge_deleted() == 1
    assert not Cv.objects.filter(pk=cv.pk).exists()


def test_the_portable_profile_holds_every_document_and_erasure_removes_them(
    inventory: ClientProfile, browser: Client, karin: User
) -> None:
    ids = _documents(browser)
    answer_form = f"a{ids['answer']}"
    browser.post(
        f"/resa/cv/intervju/{ids['set']}/svar/{ids['answer']}/",
        {f"{answer_form}-situation": "Situation", f"{answer_form}-note": "Privat"},
    )
    profile = json.loads(json.dumps(user_data_export(user=karin)))
    section = profile["journey_cv"]
    cv = section["cvs"][0]
    assert (
        cv["title"] == "CV – Projektledare, IT" and cv["content"]["basics"]["name"] == "Karin Berg"
    )
    assert validation_errors(cv["json_resume"]) == []
    assert section["letters"][0]["body"] and section["checks"][0]["ad_text"] == PASTED
    assert section["practice_sets"][0]["answers"][0]["note"] == "Privat"  # the client's own data
    assert section["pitches"][0]["text"] == "Hej, jag heter Karin."
    user_account_delete(user=karin)
    for model in (Cv, CoverLetter, CvCheck, PracticeSet, Pitch):
        assert not model.objects.exists(), model


def test_min_resa_shows_step_4(inventory: ClientProfile, browser: Client) -> None:
    from journey.cv.selectors import cv_step_status

    status = cv_step_status(client=inventory, language="sv")
    assert status.state == "not_started" and status.url == "/resa/cv/"
    create_cv(browser, target=IT_PROJECT_MANAGER)
    status = cv_step_status(client=inventory, language="en")
    assert status.state == "in_progress" and status.facts == ["1 CV, 0 letters, 0 practice sets."]
    browser.post("/resa/cv/brev/nytt/", {"application": "", "cv": "", "language": "sv"})
    assert cv_step_status(client=inventory, language="sv").state == "done"


def test_the_demo_client_gets_a_targeted_cv_and_a_letter_once(db: None) -> None:
    from journey.cv.demo import load_demo_data
    from journey.services.client import client_profile_get_or_create
    from vagval.accounts.demo import DEMO_CLIENT_EMAIL
    from vagval.accounts.demo import load_demo_data as accounts_demo

    out = io.StringIO()
    accounts_demo(stdout=out)
    user = User.objects.get(email=DEMO_CLIENT_EMAIL)
    client = client_profile_get_or_create(user=user)
    assert load_demo_data(stdout=out) == [] and "ingen kompetensinventering" in out.getvalue()
    fill_inventory(client)
    load_demo_data(stdout=out)
    cv = Cv.objects.get(client=client)
    assert cv.target_occupation_id and cv.content["experience"]
    assert cv.content["basics"]["city"] == "Göteborg"
    letter = CoverLetter.objects.get(client=client)
    assert letter.cv == cv and letter.cv_version is not None
    load_demo_data(stdout=out)
    assert Cv.objects.filter(client=client).count() == 1
    assert CoverLetter.objects.filter(client=client).count() == 1
