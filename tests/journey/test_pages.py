"""The journey pages as a client sees them: who may open them, the summary of step 1, Min resa
in its states, dismissing changes, and the query budget of each page."""

from __future__ import annotations

import lxml.html
import pytest
from django.conf import settings
from django.test import Client

from journey.models import JourneyChange
from journey.services.changes import journey_change_record
from tests.accounts.factories import UserFactory
from tests.journey.helpers import FORM_ANSWERS, complete_step1, flat, section_post
from vagval.accounts.models import User

JOURNEY_URLS = [
    "/resa/",
    "/resa/nulage/",
    "/resa/nulage/del/situation/",
    "/resa/nulage/sammanfattning/",
    "/resa/nulage/orter/?q=Gö",
]


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(lxml.html.fromstring(response.content.decode()).text_content().split())


@pytest.mark.parametrize("url", JOURNEY_URLS)
def test_anonymous_visitors_are_sent_to_the_login(db: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/?next=")


@pytest.mark.parametrize(
    "role", [User.Role.ADVISER, User.Role.HR, User.Role.EDITOR, User.Role.STAFF]
)
@pytest.mark.parametrize("url", JOURNEY_URLS)
def test_other_roles_are_refused(db: None, questionnaire, role: str, url: str) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(UserFactory(role=role))
    assert c.get(url).status_code == 403
    assert c.post("/resa/nulage/").status_code == 403


@pytest.fixture
def completed(browser: Client, places: None) -> Client:
    complete_step1(browser)
    return browser


def test_the_summary_says_back_what_the_client_told_us(completed: Client) -> None:
    page = text(completed.get("/resa/nulage/sammanfattning/"))
    assert "Det här har du berättat" in page
    for sentence in (
        "Du är uppsagd och går din uppsägningstid. Sista anställningsdag: 31 december 2026.",
        "Viktigast för dig: att utvecklas, lön och meningsfullt arbete.",
        "Du vill arbeta i Göteborg, högst 45 minuters resväg.",
        "Du vill arbeta heltid, delvis hemifrån.",
        "Lägsta månadslön: 45 000 kr.",
        "Du är öppen för ett nytt yrke.",
    ):
        assert sentence in page
    assert "Ett nytt jobb i samma yrke" in page
    assert "Du har sagt att det lockar dig mest just nu." in page
    # Each answer, in words, with a link back to its question.
    assert "Vill du arbeta heltid eller deltid? Heltid" in page
    assert "Vad vill du ha hjälp med? CV och personligt brev, Att förbereda intervjuer" in page
    doc = lxml.html.fromstring(completed.get("/resa/nulage/sammanfattning/").content.decode())
    links = doc.xpath('//a[contains(@class, "edit-link")]/@href')
    assert "/resa/nulage/del/constraints/?tillbaka=sammanfattning#q-salary_floor" in links
    # Hidden follow-ups (studies_length: the client said no to studies) are not listed.
    assert not any("studies_length" in link for link in links)


def test_editing_from_the_summary_returns_to_it(completed: Client, client_user) -> None:  # type: ignore[no-untyped-def]
    from journey.models import QuestionnaireResponse

    response = QuestionnaireResponse.objects.get(client_id=client_user.pk)
    page = completed.get("/resa/nulage/del/constraints/?tillbaka=sammanfattning")
    assert "Spara och gå till sammanfattningen" in page.content.decode()
    post = section_post(
        response,
        "constraints",
        {**FORM_ANSWERS, "places": [], "places-add": ["Mölndal"], "hours": ["part"]},
    )
    post["tillbaka"] = ["sammanfattning"]
    # Unticking Göteborg removes it; the typed name adds Mölndal.
    result = completed.post("/resa/nulage/del/constraints/", flat(post))
    assert result.url == "/resa/nulage/sammanfattning/"
    summary = text(completed.get(result.url))
    assert "Du vill arbeta i Mölndal" in summary
    assert "Du vill arbeta deltid" in summary


def test_an_ambiguous_place_name_offers_choices_and_keeps_the_text(
    browser: Client, places: None, client_user
) -> None:  # type: ignore[no-untyped-def]
    from journey.models import QuestionnaireResponse

    browser.post("/resa/nulage/")
    response = QuestionnaireResponse.objects.get(client_id=client_user.pk)
    post = section_post(response, "constraints", {"places-add": ["Upp"]})
    result = browser.post("/resa/nulage/del/constraints/", flat(post))
    assert result.status_code == 400
    assert "Vilken ort menar du med ”Upp”?" in text(result)
    doc = lxml.html.fromstring(result.content.decode())
    assert doc.xpath('//input[@name="q-places-add"]/@value') == ["Upp"]
    offered = doc.xpath('//ul[contains(@class, "suggestions")]//label/text()')
    assert {"Uppsala", "Uppsala län", "Upplands Väsby"} <= set(offered)
    # Ticking one of them and saving again takes it.
    (uppsala,) = doc.xpath(
        '//ul[contains(@class, "suggestions")]//li[label="Uppsala län"]/input/@value'
    )
    again = section_post(response, "constraints", {"places": [uppsala]})
    assert browser.post("/resa/nulage/del/constraints/", flat(again)).status_code == 302
    assert response.answers.get(question_key="places").value == [{"id": uppsala, "type": "region"}]


def test_an_unknown_place_is_refused_with_the_text_kept(
    browser: Client, places: None, client_user
) -> None:  # type: ignore[no-untyped-def]
    from journey.models import QuestionnaireResponse

    browser.post("/resa/nulage/")
    response = QuestionnaireResponse.objects.get(client_id=client_user.pk)
    post = section_post(response, "constraints", {"places-add": ["Xyzzyqwerty"]})
    result = browser.post("/resa/nulage/del/constraints/", flat(post))
    assert result.status_code == 400
    assert "Vi hittar ingen kommun eller något län som heter ”Xyzzyqwerty”" in text(result)
    doc = lxml.html.fromstring(result.content.decode())
    assert doc.xpath('//input[@name="q-places-add"]/@value') == ["Xyzzyqwerty"]


def test_place_suggestions_for_the_datalist(browser: Client, places: None) -> None:
    options = lxml.html.fromstring(
        "<datalist>" + browser.get("/resa/nulage/orter/?q=Göte").content.decode() + "</datalist>"
    )
    values = options.xpath("//option/@value")
    assert "Göteborg" in values


def test_min_resa_while_step_1_is_in_progress(browser: Client, client_user) -> None:  # type: ignore[no-untyped-def]
    from journey.models import QuestionnaireResponse

    browser.post("/resa/nulage/")
    response = QuestionnaireResponse.objects.get(client_id=client_user.pk)
    browser.post(
        "/resa/nulage/del/economy/",
        flat(
            section_post(response, "economy", {"economic_runway": ["3_6"], "economic_worry": ["2"]})
        ),
    )
    page = browser.get("/resa/")
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.content.decode())
    step1 = " ".join(doc.xpath('//li[@id="step-current_state"]')[0].text_content().split())
    assert "Pågår" in step1 and "2 av 27 frågor besvarade" in step1
    step4 = doc.xpath('//li[@id="step-cv"]')[0].text_content()
    assert "Inte påbörjat" in step4
    assert doc.xpath('//section[contains(@class, "next-action")]//a/text()') == [
        "Fortsätt där du slutade"
    ]
    assert doc.xpath('//section[contains(@class, "next-action")]//a/@href') == ["/resa/nulage/"]


def test_min_resa_when_step_1_is_done_shows_what_it_knows_and_what_changed(
    completed: Client,
) -> None:
    page = completed.get("/resa/")
    doc = lxml.html.fromstring(page.content.decode())
    step1 = " ".join(doc.xpath('//li[@id="step-current_state"]')[0].text_content().split())
    assert "Klart" in step1
    assert "Föreslagen väg: ett nytt jobb i samma yrke." in step1
    assert "1 ort där du vill arbeta." in step1
    changes = doc.xpath('//section[@id="changes"]//li/text()')
    assert any("Din nulägesanalys är klar" in c for c in changes)
    assert "Du har gjort klart 1 av 5 steg." in text(page)


def test_dismissing_changes_with_and_without_js(completed: Client, client_user) -> None:  # type: ignore[no-untyped-def]
    result = completed.post("/resa/andringar/sett/", {})
    assert result.status_code == 302
    assert not JourneyChange.objects.filter(client_id=client_user.pk, seen_at__isnull=True).exists()
    assert "Inget nytt sedan ditt senaste besök." in text(completed.get("/resa/"))

    from journey.models import ClientProfile

    client = ClientProfile.objects.get(pk=client_user.pk)
    first = journey_change_record(client=client, step="feed", kind="new_results", message_sv="A")
    second = journey_change_record(client=client, step="feed", kind="new_results", message_sv="B")
    fragment = completed.post(
        "/resa/andringar/sett/", {"change": [first.pk]}, HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200 and 'id="changes"' in fragment.content.decode()
    second.refresh_from_db()
    first.refresh_from_db()
    assert first.seen_at is not None and second.seen_at is None


def test_a_client_cannot_dismiss_someone_elses_changes(
    completed: Client, other_client_user
) -> None:  # type: ignore[no-untyped-def]
    change = JourneyChange.objects.get()
    other = Client()
    other.force_login(other_client_user)
    other.post("/resa/andringar/sett/", {"change": [change.pk]})
    change.refresh_from_db()
    assert change.seen_at is None


@pytest.mark.parametrize(
    "url",
    [
        "/resa/",
        "/resa/nulage/",
        "/resa/nulage/del/situation/",
        "/resa/nulage/del/constraints/",
        "/resa/nulage/sammanfattning/",
    ],
)
def test_every_journey_page_stays_within_ten_queries(
    completed: Client, url: str, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    completed.get(url)  # warm per-process caches (taxonomy version) like a running server
    with django_assert_max_num_queries(10):
        response = completed.get(url)
    assert response.status_code in (200, 302)


def test_the_intro_page_stays_within_ten_queries(
    browser: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(10):
        assert browser.get("/resa/nulage/").status_code == 200


def test_english_speakers_get_the_questions_in_english(browser: Client) -> None:
    browser.post("/resa/nulage/")
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switch sets it
    page = browser.get("/resa/nulage/del/situation/")
    assert "Which best describes you right now?" in text(page)
    assert "I have been given notice and am in my notice period" in text(page)
