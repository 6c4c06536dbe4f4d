"""A new questionnaire version never breaks answers already given; the client's journey data is
exported and erased in full; the demo client gets a completed step 1, once."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory

from journey.admin import QuestionnaireAdmin
from journey.models import (
    Answer,
    ChangeKind,
    CurrentState,
    JourneyChange,
    Question,
    Questionnaire,
    QuestionnaireResponse,
)
from journey.services.questionnaire import questionnaire_publish, questionnaire_version_copy
from tests.accounts.factories import UserFactory
from tests.journey.helpers import FORM_ANSWERS, complete_step1, flat, section_post
from vagval.accounts.models import User


@pytest.fixture
def completed(browser: Client, places: None) -> Client:
    complete_step1(browser)
    return browser


def publish_v2(v1: Questionnaire) -> Questionnaire:
    """Staff copy v1, drop an option, add a question, and publish."""
    v2 = questionnaire_version_copy(questionnaire=v1)
    runway = v2.questions.get(key="economic_runway")
    runway.options = [o for o in runway.options if o["value"] != "6_12"] + [
        {"value": "6_9", "label_sv": "Sex till nio månader"},
        {"value": "9_12", "label_sv": "Nio till tolv månader"},
    ]
    runway.save()
    Question.objects.create(
        questionnaire=v2,
        key="unemployment_fund",
        section="economy",
        order=95,
        kind="yesno",
        required=True,
        text_sv="Är du med i en a-kassa?",
    )
    return questionnaire_publish(questionnaire=v2)


def test_a_new_version_leaves_old_answers_intact_and_carries_valid_ones(
    completed: Client, client_user, questionnaire: Questionnaire
) -> None:  # type: ignore[no-untyped-def]
    old = QuestionnaireResponse.objects.get(client_id=client_user.pk)
    old_answers = dict(old.answers.values_list("question_key", "value"))
    v2 = publish_v2(questionnaire)

    # The summary still reads the state computed from version 1.
    assert completed.get("/resa/nulage/sammanfattning/").status_code == 200
    state = CurrentState.objects.get(client_id=client_user.pk)
    assert (state.computed_from_id, state.computed_from_version) == (old.pk, 1)

    # Opening step 1 moves the client to version 2: a new response, the old one untouched.
    resumed = completed.get("/resa/nulage/")
    new = QuestionnaireResponse.objects.filter(client_id=client_user.pk).order_by("-id").first()
    assert new is not None and new.questionnaire == v2 and new.pk != old.pk
    old.refresh_from_db()
    assert old.questionnaire == questionnaire and old.is_completed
    assert dict(old.answers.values_list("question_key", "value")) == old_answers
    carried = dict(new.answers.values_list("question_key", "value"))
    assert carried["situation"] == "notice" and carried["hours"] == "full"
    assert "economic_runway" not in carried  # "6_12" is no longer an option: asked again
    # A required question is new, so version 2 is not complete yet; the client continues there.
    assert not new.is_completed
    assert resumed.url.startswith("/resa/nulage/del/")
    upgraded = JourneyChange.objects.get(
        client_id=client_user.pk, kind=ChangeKind.QUESTIONNAIRE_UPGRADED
    )
    assert "nya eller ändrade frågor" in upgraded.message_sv

    # A page still showing version 1 is refused, and shows back what was typed.
    stale = section_post(old, "help", {"anything_else": ["Jag har två barn"]})
    result = completed.post("/resa/nulage/del/help/", flat(stale))
    assert result.status_code == 409
    assert "Frågorna har uppdaterats" in result.content.decode()
    assert "Jag har två barn" in result.content.decode()
    assert not Answer.objects.filter(question_key="anything_else").exists()

    # Answering what is new completes version 2 and recomputes from it.
    economy = section_post(new, "economy", {**FORM_ANSWERS, "economic_runway": ["9_12"]})
    economy["q-unemployment_fund"] = ["yes"]
    completed.post("/resa/nulage/del/economy/", flat(economy))
    completed.post("/resa/nulage/del/help/", flat(section_post(new, "help", FORM_ANSWERS)))
    new.refresh_from_db()
    assert new.is_completed
    latest = CurrentState.objects.filter(client_id=client_user.pk).order_by("-revision").first()
    assert latest is not None
    assert (latest.computed_from_id, latest.computed_from_version) == (new.pk, 2)


def test_published_versions_are_read_only_in_the_admin_and_copies_are_drafts(
    questionnaire: Questionnaire,
) -> None:
    staff = UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = staff
    admin = QuestionnaireAdmin(Questionnaire, site)
    assert not admin.has_change_permission(request, questionnaire)
    assert not admin.has_delete_permission(request, questionnaire)
    draft = questionnaire_version_copy(questionnaire=questionnaire)
    assert (draft.version, draft.published) == (questionnaire.version + 1, False)
    assert draft.questions.count() == questionnaire.questions.count()
    assert admin.has_change_permission(request, draft)


def test_publishing_refuses_a_condition_on_a_later_question(questionnaire: Questionnaire) -> None:
    from django.core.exceptions import ValidationError

    draft = questionnaire_version_copy(questionnaire=questionnaire)
    first = draft.questions.get(key="situation")
    first.show_if = {"question": "hours", "in": ["full"]}
    first.save()
    with pytest.raises(ValidationError):
        questionnaire_publish(questionnaire=draft)
    draft.refresh_from_db()
    assert not draft.published


def test_export_holds_every_answer_state_and_change(completed: Client, client_user) -> None:  # type: ignore[no-untyped-def]
    from vagval.consent.privacy import user_data_export

    profile = user_data_export(user=client_user)
    journey = profile["journey"]
    json.dumps(journey)  # plain JSON
    (response,) = journey["current_state_questionnaire"]
    assert response["questionnaire"] == "nulagesanalys" and response["questionnaire_version"] == 1
    answers = {a["question"]: a["value"] for a in response["answers"]}
    assert answers["salary_floor"] == 45000 and answers["top_drivers"] == [
        "development",
        "salary",
        "meaning",
    ]
    (state,) = journey["current_states"]
    assert state["suggested_path"] == "same_occupation" and state["revision"] == 1
    assert state["last_working_day"] == "2026-12-31"
    assert journey["changes"][0]["kind"] == "completed"
    assert journey["client_profile"]["status"] == "notice"


def test_deleting_the_account_leaves_no_trace_of_the_journey(
    browser: Client, places: None, client_user
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from journey.privacy import erase_user_data

    marker = "MARKER-7f3a"
    answers = dict(
        FORM_ANSWERS,
        open_own_business=["yes"],
        business_idea=[f"{marker} bokföringsbyrå"],
        anything_else=[f"{marker} om min hälsa"],
    )
    complete_step1(browser, answers)
    assert sum(marker in str(a.value) for a in Answer.objects.all()) == 2
    erase_user_data(client_user)
    client_user.refresh_from_db()  # the account itself is the accounts app's to delete
    for model in (Answer, QuestionnaireResponse, CurrentState, JourneyChange):
        assert not model.objects.exists(), model
    with connection.cursor() as cursor:
        for table in ("journey_answer", "journey_currentstate", "journey_journeychange"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            assert marker not in repr(cursor.fetchall())
    # The questionnaire itself is not personal data and stays.
    assert Questionnaire.objects.filter(slug="nulagesanalys").exists()


def test_the_demo_client_gets_a_completed_step_1_once(places: None, questionnaire) -> None:  # type: ignore[no-untyped-def]
    from journey.demo import load_demo_data
    from vagval.accounts.demo import DEMO_CLIENT_EMAIL
    from vagval.accounts.demo import load_demo_data as accounts_demo

    out = io.StringIO()
    assert load_demo_data(stdout=out) == []
    assert "finns inte" in out.getvalue()  # without the accounts demo there is no one to fill
    accounts_demo(stdout=out)
    load_demo_data(stdout=out)
    response = QuestionnaireResponse.objects.get(client__user__email=DEMO_CLIENT_EMAIL)
    assert response.is_completed
    state = CurrentState.objects.get(client__user__email=DEMO_CLIENT_EMAIL)
    assert state.stage == "notice" and len(state.municipality_ids) == 2
    counts = (Answer.objects.count(), CurrentState.objects.count(), JourneyChange.objects.count())
    load_demo_data(stdout=out)
    assert (
        Answer.objects.count(),
        CurrentState.objects.count(),
        JourneyChange.objects.count(),
    ) == (counts)
    demo = Client()
    demo.force_login(response.client.user)
    assert "Föreslagen väg" in demo.get("/resa/").content.decode()
