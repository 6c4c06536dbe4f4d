"""Step 1 as the client meets it: entry, adaptive sections, a save on every answer, resuming on
another device, and refusing stale or tampered answers without losing what was typed."""

from __future__ import annotations

import lxml.html
import pytest
from django.http import HttpResponse
from django.test import Client

from journey.models import Answer, ClientProfile, JourneyStage, QuestionnaireResponse
from tests.journey.helpers import FORM_ANSWERS, complete_step1, flat, section_post

HTMX = {"HTTP_HX_REQUEST": "true"}


def doc(response) -> lxml.html.HtmlElement:  # type: ignore[no-untyped-def]
    return lxml.html.fromstring(response.content.decode())


def question_shown(page: lxml.html.HtmlElement, key: str) -> bool:
    (container,) = page.xpath(f'//div[@id="q-{key}"]')
    return container.get("hidden") is None


def current_response(user_id: int) -> QuestionnaireResponse:
    response = QuestionnaireResponse.objects.filter(client_id=user_id).order_by("-id").first()
    assert response is not None
    return response


def start(browser: Client) -> QuestionnaireResponse:
    assert browser.post("/resa/nulage/").status_code == 302
    return current_response(int(browser.session["_auth_user_id"]))


def htmx_save(
    browser: Client,
    response: QuestionnaireResponse,
    section: str,
    key: str,
    values: list[str],
    rev: int | None = None,
) -> HttpResponse:
    post = section_post(response, section, {key: values}, only=key)
    if rev is not None:
        post[f"rev-{key}"] = [str(rev)]
    return browser.post(f"/resa/nulage/del/{section}/", flat(post), **HTMX)


# ---- entry -----------------------------------------------------------------------------------


def test_a_new_client_is_routed_into_step_1(browser: Client, client_user) -> None:  # type: ignore[no-untyped-def]
    landing = browser.get("/resa/")
    assert landing.status_code == 302 and landing.url == "/resa/nulage/"
    intro = browser.get("/resa/nulage/")
    assert intro.status_code == 200
    assert "tio minuter" in intro.content.decode()
    started = browser.post("/resa/nulage/")
    assert started.url == "/resa/nulage/del/situation/"
    profile = ClientProfile.objects.get(pk=client_user.pk)
    assert profile.journey_stage == JourneyStage.CURRENT_STATE
    assert profile.employer == client_user.organisation
    page = browser.get(started.url)
    assert page.status_code == 200
    assert "Del 1 av 7" in page.content.decode()


# ---- adaptivity ------------------------------------------------------------------------------


def test_questions_that_do_not_apply_are_skipped(browser: Client) -> None:
    response = start(browser)
    page = doc(browser.get("/resa/nulage/del/situation/"))
    # Before the situation is known, its follow-ups are hidden and their inputs not submitted.
    for key in ("expected_decision", "notice_date", "last_working_day", "released_from_work"):
        assert not question_shown(page, key)
    assert page.xpath('//div[@id="q-last_working_day"]//input[@type="date"]/@disabled')

    post = section_post(response, "situation", {"situation": ["at_risk"]})
    result = browser.post("/resa/nulage/del/situation/", flat(post))
    # A follow-up question appeared: the client stays on the section to answer it.
    assert result.status_code == 302 and result.url.startswith("/resa/nulage/del/situation/")
    page = doc(browser.get("/resa/nulage/del/situation/"))
    assert question_shown(page, "expected_decision")
    assert not question_shown(page, "last_working_day")  # only asked when given notice

    economy = doc(browser.get("/resa/nulage/del/economy/"))
    assert not question_shown(economy, "severance")
    assert not question_shown(economy, "severance_months")
    assert question_shown(economy, "economic_runway")


def test_a_skipped_required_question_does_not_block_completion(browser: Client, places) -> None:  # type: ignore[no-untyped-def]
    answers = dict(FORM_ANSWERS, situation=["at_risk"], expected_decision=["unknown"])
    # The client in notice would have to give a last working day; at risk they are never asked.
    del answers["last_working_day"], answers["notice_date"], answers["released_from_work"]
    complete_step1(browser, answers)
    response = current_response(int(browser.session["_auth_user_id"]))
    assert not response.answers.filter(question_key="last_working_day").exists()


def test_changing_an_answer_hides_its_follow_ups_and_they_stop_counting(
    browser: Client, places
) -> None:  # type: ignore[no-untyped-def]
    complete_step1(browser)
    response = current_response(int(browser.session["_auth_user_id"]))
    shown_before = response.shown_count
    result = htmx_save(browser, response, "situation", "situation", ["at_risk"])
    assert result.status_code == 200
    fragment = result.content.decode()
    # The follow-ups of "notice" are swapped out of band, now hidden and disabled.
    html = lxml.html.fromstring(f"<div>{fragment}</div>")
    (lwd,) = html.xpath('//div[@id="q-last_working_day"]')
    assert lwd.get("hidden") is not None and lwd.get("hx-swap-oob") == "true"
    (decision,) = html.xpath('//div[@id="q-expected_decision"]')
    assert decision.get("hidden") is None
    response.refresh_from_db()
    # The stored answer stays (nothing is thrown away) but no longer counts.
    assert Answer.objects.filter(response=response, question_key="last_working_day").exists()
    assert response.shown_count < shown_before


def test_a_section_whose_questions_all_do_not_apply_is_skipped(
    browser: Client, questionnaire, places
) -> None:  # type: ignore[no-untyped-def]
    from journey.models import Question
    from journey.services.questionnaire import questionnaire_publish, questionnaire_version_copy

    v2 = questionnaire_version_copy(questionnaire=questionnaire)
    v2.sections = [
        *v2.sections[:6],
        {"key": "business", "title_sv": "Eget företag", "title_en": "Own business"},
        v2.sections[6],
    ]
    v2.save()
    Question.objects.create(
        questionnaire=v2,
        key="business_stage",
        section="business",
        order=325,
        kind="single",
        text_sv="Hur långt har du kommit med din idé?",
        options=[{"value": "idea", "label_sv": "Bara en idé"}],
        show_if={"question": "open_own_business", "in": ["yes"]},
    )
    questionnaire_publish(questionnaire=v2)
    response = start(browser)
    assert response.questionnaire == v2
    paths = section_post(response, "paths", {**FORM_ANSWERS, "open_own_business": ["no"]})
    result = browser.post("/resa/nulage/del/paths/", flat(paths))
    assert result.url == "/resa/nulage/del/help/"  # "business" is skipped
    assert browser.get("/resa/nulage/del/business/").status_code == 404
    paths = section_post(response, "paths", {**FORM_ANSWERS, "open_own_business": ["yes"]})
    result = browser.post("/resa/nulage/del/paths/", flat(paths))
    # business_idea (a follow-up on the same page) appears first, then the new section.
    assert result.url.startswith("/resa/nulage/del/paths/")
    with_idea = {**FORM_ANSWERS, "open_own_business": ["yes"], "business_idea": ["Bokföring"]}
    post = section_post(response, "paths", with_idea)
    result = browser.post("/resa/nulage/del/paths/", flat(post))
    assert result.url == "/resa/nulage/del/business/"
    assert "Del 7 av 8" in browser.get(result.url).content.decode()


# ---- saved on every answer, resumable --------------------------------------------------------


def test_every_answer_is_saved_at_once_with_htmx(browser: Client) -> None:
    response = start(browser)
    result = htmx_save(browser, response, "situation", "situation", ["notice"])
    assert result.status_code == 200
    fragment = lxml.html.fromstring(f"<div>{result.content.decode()}</div>")
    assert "Sparat" in fragment.text_content()
    (rev,) = fragment.xpath('//input[@id="rev-situation"]')
    assert rev.get("value") == "1" and rev.get("hx-swap-oob") == "true"
    # The follow-ups are revealed in place, enabled.
    (lwd,) = fragment.xpath('//div[@id="q-last_working_day"]')
    assert lwd.get("hidden") is None
    assert not fragment.xpath('//div[@id="q-last_working_day"]//input[@disabled]')
    answer = Answer.objects.get(response=response, question_key="situation")
    assert (answer.value, answer.revision) == ("notice", 1)

    result = htmx_save(browser, response, "situation", "last_working_day", ["2026-12-31"])
    assert "Sparat" in result.content.decode()
    # Saving the same value again (a second event for one change) is not a conflict.
    again = htmx_save(browser, response, "situation", "situation", ["notice"], rev=0)
    assert "error" not in again.content.decode()
    response.refresh_from_db()
    assert (response.answered_count, response.last_section) == (2, "situation")


def test_a_text_answer_is_saved_while_typing_and_kept_exactly(browser: Client) -> None:
    response = start(browser)
    text = "Jag vill gärna arbeta med hållbarhet.\nHelst i Göteborg – inte Stockholm."
    htmx_save(browser, response, "help", "anything_else", [text])
    assert Answer.objects.get(response=response, question_key="anything_else").value == text
    page = doc(browser.get("/resa/nulage/del/help/"))
    (textarea,) = page.xpath('//textarea[@name="q-anything_else"]')
    assert textarea.text_content() == text


def test_resuming_on_another_device_continues_where_the_client_left_off(
    client_user, questionnaire
) -> None:  # type: ignore[no-untyped-def]
    phone, laptop = Client(), Client()
    phone.force_login(client_user)
    laptop.force_login(client_user)
    response = start(phone)
    htmx_save(phone, response, "economy", "economic_runway", ["3_6"])
    htmx_save(phone, response, "economy", "economic_worry", ["4"])

    resumed = laptop.get("/resa/nulage/")
    assert resumed.url == "/resa/nulage/del/economy/"
    page = doc(laptop.get(resumed.url))
    assert page.xpath('//input[@name="q-economic_runway"][@value="3_6"]/@checked')
    assert page.xpath('//input[@name="q-economic_worry"][@value="4"]/@checked')
    assert page.xpath('//input[@name="rev-economic_worry"]/@value') == ["1"]


def test_two_clients_never_see_or_write_each_others_answers(
    browser: Client, other_client_user
) -> None:  # type: ignore[no-untyped-def]
    response = start(browser)
    htmx_save(browser, response, "economy", "economic_runway", ["under_3"])
    other = Client()
    other.force_login(other_client_user)
    other_response = start(other)
    assert other_response.pk != response.pk
    page = doc(other.get("/resa/nulage/del/economy/"))
    assert not page.xpath('//input[@name="q-economic_runway"][@checked]')
    # Posting the first client's response id is refused, and changes nothing of theirs.
    post = section_post(response, "economy", {"economic_runway": ["over_12"]})
    result = other.post("/resa/nulage/del/economy/", flat(post))
    assert result.status_code == 409
    assert Answer.objects.get(response=response, question_key="economic_runway").value == "under_3"
    assert not Answer.objects.filter(response=other_response).exists()


# ---- stale and tampered answers --------------------------------------------------------------


def test_bad_input_is_refused_with_a_message_and_the_typed_text_is_kept(browser: Client) -> None:
    response = start(browser)
    post = section_post(
        response,
        "constraints",
        {"salary_floor": ["fyrtiotusen"], "max_commute_minutes": ["999"], "hours": ["full"]},
    )
    result = browser.post("/resa/nulage/del/constraints/", flat(post))
    assert result.status_code == 400
    page = doc(result)
    assert page.xpath('//input[@name="q-salary_floor"]/@value') == ["fyrtiotusen"]
    assert page.xpath('//input[@name="q-max_commute_minutes"]/@value') == ["999"]
    errors = page.xpath('//div[@id="error-summary"]')[0].text_content()
    assert "Skriv ett heltal mellan 0 och 300000" in errors
    assert "Skriv ett heltal mellan 0 och 240" in errors
    assert page.xpath('//input[@name="q-salary_floor"]/@aria-invalid') == ["true"]
    # The valid answer on the same page was saved all the same.
    assert Answer.objects.get(response=response, question_key="hours").value == "full"
    assert not Answer.objects.filter(response=response, question_key="salary_floor").exists()


@pytest.mark.parametrize(
    ("section", "key", "values", "message"),
    [
        ("situation", "situation", ["fired"], "finns inte bland alternativen"),
        ("drivers", "top_drivers", ["salary", "power"], "finns inte bland alternativen"),
        ("drivers", "top_drivers", ["salary", "meaning", "security", "colleagues"], "högst 3"),
        ("wellbeing", "energy", ["7"], "finns inte bland alternativen"),
        ("situation", "nonexistent", ["x"], "Frågan finns inte"),
        ("economy", "situation", ["notice"], "Frågan finns inte"),  # not in this section
        ("situation", "notice_date", ["2026-02-30"], "finns inte i kalendern"),
    ],
)
def test_tampered_answers_are_refused(
    browser: Client, section: str, key: str, values: list[str], message: str
) -> None:
    response = start(browser)
    result = htmx_save(browser, response, section, key, values)
    if key == "notice_date":  # first make the date question apply
        htmx_save(browser, response, "situation", "situation", ["notice"])
        result = htmx_save(browser, response, section, key, values)
    assert result.status_code == 200
    assert message in result.content.decode()
    assert not Answer.objects.filter(response=response, question_key=key).exists()


def test_an_answer_to_a_question_hidden_by_a_condition_is_refused(browser: Client) -> None:
    response = start(browser)
    htmx_save(browser, response, "situation", "situation", ["at_risk"])
    result = htmx_save(browser, response, "situation", "last_working_day", ["2026-12-31"])
    assert "gäller inte utifrån dina andra svar" in result.content.decode()
    assert not Answer.objects.filter(response=response, question_key="last_working_day").exists()


def test_an_answer_changed_on_another_device_is_not_overwritten_silently(
    browser: Client,
) -> None:
    response = start(browser)
    htmx_save(browser, response, "economy", "economic_runway", ["6_12"])  # revision 1
    # A page loaded before that save still says revision 0, and the client picks something else.
    old_page = section_post(response, "economy", {"economic_runway": ["under_3"]}, revisions={})
    old_page["rev-economic_runway"] = ["0"]
    result = browser.post("/resa/nulage/del/economy/", flat(old_page))
    assert result.status_code == 400
    page = doc(result)
    assert "på en annan enhet" in page.text_content()
    # The stored answer is untouched; the page shows what this client chose, ready to resave.
    assert Answer.objects.get(response=response, question_key="economic_runway").value == "6_12"
    assert page.xpath('//input[@name="q-economic_runway"][@checked]/@value') == ["under_3"]
    assert page.xpath('//input[@name="rev-economic_runway"]/@value') == ["1"]
    # Saving again from that page is a deliberate choice and goes through.
    again = section_post(response, "economy", {"economic_runway": ["under_3"]})
    assert browser.post("/resa/nulage/del/economy/", flat(again)).status_code == 302
    answer = Answer.objects.get(response=response, question_key="economic_runway")
    assert (answer.value, answer.revision) == ("under_3", 2)


def test_a_revision_from_the_future_is_refused(browser: Client) -> None:
    response = start(browser)
    result = htmx_save(browser, response, "economy", "economic_runway", ["6_12"], rev=5)
    assert "stämmer inte med det som är sparat" in result.content.decode()
    assert not Answer.objects.filter(response=response).exists()


def test_a_post_without_revisions_is_refused(browser: Client) -> None:
    response = start(browser)
    post = {"response": [str(response.pk)], "q-economic_runway": ["6_12"]}
    result = browser.post("/resa/nulage/del/economy/", flat(post))
    assert result.status_code == 400
    assert "Formuläret saknar uppgifter" in result.content.decode()
