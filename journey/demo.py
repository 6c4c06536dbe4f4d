"""Demo data of the journey: the demo client has completed step 1 and has a CurrentState.

Runs after vagval.accounts' demo (INSTALLED_APPS order), which creates the demo client; this
module only fetches that user. Idempotent: once the demo client's step 1 is completed, nothing
is changed. Steps 2, 3 and 5 add their part of the half-finished journey below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TextIO

from django.utils import timezone

from journey.models import ClientProfile, QuestionnaireResponse
from journey.services.answer_values import AnswerRefused, answer_value_to_raw, place_resolve
from journey.services.client import client_profile_get_or_create
from journey.services.questionnaire import (
    FIELD_PREFIX,
    RESPONSE_FIELD,
    REVISION_PREFIX,
    answers_submit,
    response_complete,
    response_start,
)
from vagval.accounts.demo import DEMO_CLIENT_EMAIL
from vagval.accounts.selectors import user_get_by_email
from vagval.web.demoloader import DemoLogin

DEMO_PLACES = ("Göteborg", "Mölndal")


def demo_answers(*, today: dt.date) -> dict[str, Any]:
    """Plausible answers of an IT project manager given notice at a manufacturer in Gothenburg."""
    return {
        "situation": "notice",
        "notice_date": (today - dt.timedelta(days=21)).isoformat(),
        "last_working_day": (today + dt.timedelta(days=75)).isoformat(),
        "released_from_work": False,
        "economic_runway": "6_12",
        "severance": "yes",
        "severance_months": 6,
        "economic_worry": 3,
        "energy": 3,
        "wellbeing": 3,
        "support_network": True,
        "driver_development": 5,
        "driver_security": 3,
        "driver_salary": 4,
        "driver_meaning": 4,
        "driver_flexibility": 4,
        "driver_colleagues": 3,
        "driver_leadership": 2,
        "top_drivers": ["development", "meaning", "flexibility"],
        "max_commute_minutes": 45,
        "remote": "hybrid",
        "relocate": False,
        "hours": "full",
        "salary_floor": 45000,
        "open_new_occupation": "maybe",
        "open_studies": "maybe",
        "studies_length": "short",
        "open_own_business": "no",
        "preferred_path": "same_occupation",
        "help_wanted": ["cv", "interview", "market"],
        "contact_preference": "digital",
    }


def demo_response_fill(
    *, client: ClientProfile, response: QuestionnaireResponse, values: Mapping[str, Any]
) -> list[str]:
    """Answer `values` section by section through the normal save path; returns refusals."""
    questions = list(response.questionnaire.questions.order_by("order"))
    refused: list[str] = []
    for section in response.questionnaire.section_keys:
        post: dict[str, list[str]] = {RESPONSE_FIELD: [str(response.pk)]}
        revisions = dict(response.answers.values_list("question_key", "revision"))
        for question in questions:
            if question.section != section or question.key not in values:
                continue
            raw = answer_value_to_raw(question=question, value=values[question.key])
            post[f"{FIELD_PREFIX}{question.key}"] = list(raw.values)
            post[f"{REVISION_PREFIX}{question.key}"] = [str(revisions.get(question.key, 0))]
        result = answers_submit(client=client, section=section, post=post)
        refused += [f"{k}: {o.code}" for k, o in result.outcomes.items() if o.refused]
    return refused


def load_demo_data(*, stdout: TextIO) -> list[DemoLogin]:
    user = user_get_by_email(email=DEMO_CLIENT_EMAIL)
    if user is None:
        stdout.write(f"  hoppar över resan: {DEMO_CLIENT_EMAIL} finns inte\n")
        return []
    client = client_profile_get_or_create(user=user)
    response = response_start(client=client)
    if response.is_completed:
        stdout.write("  demoklientens nulägesanalys finns redan\n")
        return []
    values = demo_answers(today=timezone.localdate())
    places = []
    for name in DEMO_PLACES:
        try:
            places.append(place_resolve(name=name))
        except AnswerRefused:
            stdout.write(f"  orten {name} saknas (kör load_taxonomy först)\n")
    if places:
        values["places"] = places
    refused = demo_response_fill(client=client, response=response, values=values)
    for problem in refused:
        stdout.write(f"  svaret sparades inte: {problem}\n")
    missing = response_complete(client=client, response=response)
    if missing:
        stdout.write(
            "  nulägesanalysen är inte klar, saknar: " + ", ".join(q.key for q in missing) + "\n"
        )
    else:
        stdout.write("  demoklienten har gjort nulägesanalysen (steg 1)\n")
    return []
