"""CurrentState: the rules that turn answers into a state, its revisions, what the client is
told when it changes, and the downstream refresh queued after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from journey.models import (
    ChangeKind,
    CurrentState,
    JourneyChange,
    Openness,
    Priority,
    SuggestedPath,
)
from journey.services import downstream
from journey.services.current_state import current_state_compute, current_state_derive
from journey.services.downstream import ChangeNote, StepRefresher
from tests.journey.helpers import FORM_ANSWERS, complete_step1, flat, section_post

TODAY = dt.date(2026, 10, 1)

BASE: dict[str, Any] = {
    "situation": "notice",
    "notice_date": "2026-09-01",
    "last_working_day": "2027-03-31",
    "economic_runway": "6_12",
    "economic_worry": 2,
    "energy": 4,
    "wellbeing": 4,
    "support_network": True,
    "driver_development": 5,
    "driver_security": 1,
    "top_drivers": ["development", "meaning"],
    "places": [
        {"id": "PVZL_BQT_XtL", "type": "municipality"},
        {"id": "zdoY_6u5_Krt", "type": "region"},
    ],
    "max_commute_minutes": 45,
    "remote": "hybrid",
    "hours": "full",
    "salary_floor": 42000,
    "open_new_occupation": "no",
    "open_studies": "no",
    "open_own_business": "no",
}


def derive(**changes: Any) -> dict[str, Any]:
    answers = {**BASE, **changes}
    return current_state_derive(
        answers={k: v for k, v in answers.items() if v is not None}, today=TODAY
    )


def test_a_steady_profile_gets_the_same_occupation_and_low_priority() -> None:
    state = derive()
    assert state["stage"] == "notice"
    assert state["last_working_day"] == dt.date(2027, 3, 31)
    assert state["suggested_path"] == SuggestedPath.SAME_OCCUPATION
    assert [r["code"] for r in state["path_reasons"]] == ["experience_fastest"]
    assert state["priority"] == Priority.LOW
    assert state["municipality_ids"] == ["PVZL_BQT_XtL"]
    assert state["region_ids"] == ["zdoY_6u5_Krt"]
    # 5 on the scale is 80, plus 20 for being a top driver; unrated drivers are neutral (40).
    assert state["drivers"]["development"] == 100
    assert state["drivers"]["security"] == 0
    assert state["drivers"]["meaning"] == 60
    assert state["drivers"]["salary"] == 40
    assert (state["open_new_occupation"], state["salary_floor"]) == (Openness.NO, 42000)


def test_stress_and_a_near_last_day_raise_the_priority_with_reasons() -> None:
    state = derive(energy=2, economic_runway="under_3", last_working_day="2026-10-20")
    assert state["priority"] == Priority.HIGH
    codes = [r["code"] for r in state["priority_reasons"]]
    assert codes == ["low_energy", "short_runway", "last_day_near"]
    assert "om 19 dagar" in state["priority_reasons"][2]["sv"]
    normal = derive(economic_worry=4, last_working_day="2026-12-15")
    assert normal["priority"] == Priority.NORMAL
    assert [r["code"] for r in normal["priority_reasons"]] == [
        "economic_worry",
        "last_day_within_3_months",
    ]


def test_a_keen_student_with_savings_is_pointed_to_studies() -> None:
    state = derive(open_studies="yes", economic_runway="over_12", open_new_occupation="yes")
    assert state["suggested_path"] == SuggestedPath.STUDIES
    assert [r["code"] for r in state["path_reasons"]] == ["studies_affordable"]
    # Without the financial room, the rule does not apply and the next one does.
    short = derive(open_studies="yes", economic_runway="under_3", open_new_occupation="yes")
    assert short["suggested_path"] == SuggestedPath.NEW_OCCUPATION


def test_an_entrepreneur_with_an_idea_and_a_preference_that_contradicts_itself() -> None:
    business = derive(open_own_business="yes", business_idea="Redovisningsbyrå för föreningar")
    assert business["suggested_path"] == SuggestedPath.OWN_BUSINESS
    # A stated preference wins, unless the client also said no to it.
    prefers = derive(preferred_path="studies", open_studies="maybe", economic_runway="under_3")
    assert prefers["suggested_path"] == SuggestedPath.STUDIES
    assert [r["code"] for r in prefers["path_reasons"]] == ["preferred", "short_runway"]
    contradicts = derive(preferred_path="own_business", open_own_business="no")
    assert contradicts["suggested_path"] == SuggestedPath.SAME_OCCUPATION
    assert contradicts["path_reasons"][0]["code"] == "preference_conflicts"


def test_someone_at_risk_has_no_dates_even_if_old_answers_linger() -> None:
    state = derive(situation="at_risk")
    assert (state["stage"], state["last_working_day"], state["notice_date"]) == (
        "at_risk",
        None,
        None,
    )


@pytest.fixture
def completed(browser: Client, places: None, client_user) -> Client:  # type: ignore[no-untyped-def]
    complete_step1(browser)
    return browser


def test_completing_step_1_stores_revision_1_and_tells_the_client(
    completed: Client, client_user
) -> None:  # type: ignore[no-untyped-def]
    state = CurrentState.objects.get(client_id=client_user.pk)
    assert state.revision == 1
    assert state.computed_from.questionnaire.version == state.computed_from_version == 1
    assert state.suggested_path == SuggestedPath.SAME_OCCUPATION
    assert state.salary_floor == 45000  # typed as "45 000"
    assert len(state.municipality_ids) == 1  # Göteborg, resolved from the typed name
    profile = state.client
    assert (profile.status, profile.last_working_day) == ("notice", dt.date(2026, 12, 31))
    (change,) = JourneyChange.objects.filter(client_id=client_user.pk)
    assert change.kind == ChangeKind.COMPLETED
    assert "Föreslagen väg: ett nytt jobb i samma yrke" in change.message_sv


def test_an_edit_adds_a_revision_says_what_changed_and_queues_the_refresh_on_commit(
    completed: Client, client_user, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from journey.models import QuestionnaireResponse

    response = QuestionnaireResponse.objects.get(client_id=client_user.pk)
    post = section_post(
        response,
        "paths",
        {**FORM_ANSWERS, "open_studies": ["yes"], "preferred_path": ["studies"]},
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = completed.post("/resa/nulage/del/paths/?tillbaka=sammanfattning", flat(post))
    assert result.status_code == 302
    states = list(CurrentState.objects.filter(client_id=client_user.pk).order_by("revision"))
    assert [s.revision for s in states] == [1, 2]
    assert states[1].suggested_path == SuggestedPath.STUDIES
    assert states[0].suggested_path == SuggestedPath.SAME_OCCUPATION  # history is kept
    messages = list(
        JourneyChange.objects.filter(client_id=client_user.pk, kind=ChangeKind.UPDATED)
        .order_by("id")
        .values_list("message_sv", flat=True)
    )
    assert messages == [
        "Du har ändrat hur öppen du är för nytt yrke, studier eller eget företag.",
        "Föreslagen väg är nu studier (tidigare ett nytt jobb i samma yrke).",
    ]
    # Exactly one downstream refresh, queued to run after the commit.
    assert len(callbacks) == 1
    assert callbacks[0].func.__self__.name == "journey.tasks.client_downstream_refresh"
    assert callbacks[0].args == (client_user.pk,)


def test_saving_without_any_difference_adds_no_revision_and_queues_nothing(
    completed: Client, client_user, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from journey.models import QuestionnaireResponse

    response = QuestionnaireResponse.objects.get(client_id=client_user.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = section_post(response, "paths", FORM_ANSWERS)
        completed.post("/resa/nulage/del/paths/", flat(post))
        again = current_state_compute(client=response.client)
    assert callbacks == []
    assert again.created is False and again.state is not None and again.state.revision == 1


def test_the_downstream_task_runs_the_registered_refreshers_and_logs_their_notes(
    completed: Client, client_user, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """A later step plugs into the registry; the task (eager in tests) runs it after commit."""
    from journey.models import QuestionnaireResponse

    seen: list[int] = []

    def fake_feed_refresh(*, client) -> list[ChangeNote]:  # type: ignore[no-untyped-def]
        seen.append(client.current_states.order_by("-revision").first().revision)
        return [ChangeNote("4 nya träffar sedan du ändrade var du vill arbeta", "4 new matches")]

    monkeypatch.setattr(
        downstream,
        "DOWNSTREAM_REFRESHERS",
        (StepRefresher(step="feed", path=f"{__name__}.REFRESHER"),),
    )
    monkeypatch.setitem(globals(), "REFRESHER", fake_feed_refresh)
    response = QuestionnaireResponse.objects.get(client_id=client_user.pk)
    post = section_post(response, "constraints", {**FORM_ANSWERS, "max_commute_minutes": ["90"]})
    with django_capture_on_commit_callbacks(execute=True):
        completed.post("/resa/nulage/del/constraints/", flat(post))
    assert seen == [2]  # it read the new revision
    note = JourneyChange.objects.get(client_id=client_user.pk, step="feed")
    assert note.message_sv.startswith("4 nya träffar")
    # Min resa shows it among the unseen changes.
    assert "4 nya träffar" in completed.get("/resa/").content.decode()
