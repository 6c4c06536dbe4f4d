"""Helpers of the journey tests: building the posts a section form sends."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from journey.models import QuestionnaireResponse

# One plausible set of answers, as form values, for every question shown to someone in notice.
FORM_ANSWERS: dict[str, list[str]] = {
    "situation": ["notice"],
    "notice_date": ["2026-09-01"],
    "last_working_day": ["2026-12-31"],
    "released_from_work": ["no"],
    "economic_runway": ["6_12"],
    "severance": ["yes"],
    "severance_months": ["6"],
    "economic_worry": ["3"],
    "energy": ["4"],
    "wellbeing": ["4"],
    "support_network": ["yes"],
    "driver_development": ["5"],
    "driver_security": ["3"],
    "driver_salary": ["4"],
    "driver_meaning": ["4"],
    "driver_flexibility": ["3"],
    "driver_colleagues": ["3"],
    "driver_leadership": ["2"],
    "top_drivers": ["development", "salary", "meaning"],
    "places-add": ["Göteborg"],
    "max_commute_minutes": ["45"],
    "remote": ["hybrid"],
    "relocate": ["no"],
    "hours": ["full"],
    "salary_floor": ["45 000"],
    "open_new_occupation": ["maybe"],
    "open_studies": ["no"],
    "open_own_business": ["no"],
    "preferred_path": ["same_occupation"],
    "help_wanted": ["cv", "interview"],
    "contact_preference": ["digital"],
}


def section_post(
    response: QuestionnaireResponse,
    section: str,
    answers: Mapping[str, list[str]],
    *,
    action: str = "next",
    revisions: Mapping[str, int] | None = None,
    **extra: Any,
) -> dict[str, list[str]]:
    """The post of one section form: the given answers of that section, with the revisions the
    page would carry (the stored ones, unless given)."""
    keys = list(
        response.questionnaire.questions.filter(section=section)
        .order_by("order")
        .values_list("key", flat=True)
    )
    stored = dict(response.answers.values_list("question_key", "revision"))
    post: dict[str, list[str]] = {"response": [str(response.pk)], "action": [action]}
    for key in keys:
        post[f"rev-{key}"] = [str((revisions or {}).get(key, stored.get(key, 0)))]
        if key in answers:
            post[f"q-{key}"] = list(answers[key])
        if f"{key}-add" in answers:
            post[f"q-{key}-add"] = list(answers[f"{key}-add"])
    for name, value in extra.items():
        post[name] = [value] if isinstance(value, str) else list(value)
    return post


def flat(post: Mapping[str, list[str]]) -> dict[str, Any]:
    """A post as the Django test client takes it (lists for repeated fields)."""
    return {k: v if len(v) != 1 else v[0] for k, v in post.items()}


def complete_step1(browser: Any, answers: Mapping[str, list[str]] | None = None) -> None:
    """Answer every section in order through the section forms (no JS), as a client would."""
    from journey.models import QuestionnaireResponse

    answers = FORM_ANSWERS if answers is None else answers
    assert browser.post("/resa/nulage/").status_code == 302
    user_id = int(browser.session["_auth_user_id"])
    response = QuestionnaireResponse.objects.filter(client_id=user_id).order_by("-id").first()
    assert response is not None
    for section in response.questionnaire.section_keys:
        result = browser.post(
            f"/resa/nulage/del/{section}/", flat(section_post(response, section, answers))
        )
        assert result.status_code == 302, result.content.decode()[:3000]
    response.refresh_from_db()
    assert response.is_completed, "the last section should have completed step 1"
