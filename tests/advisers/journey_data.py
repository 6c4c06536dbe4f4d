"""Journey data for the adviser tests, written only through the journey's own services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils import timezone

from journey.demo import demo_answers, demo_response_fill
from journey.services.answer_values import place_resolve
from journey.services.client import client_profile_get_or_create
from journey.services.competence import ExperienceInput, experience_save
from journey.services.questionnaire import questionnaire_import, response_complete, response_start
from vagval.accounts.models import User

DEFINITION_V1 = (
    Path(__file__).resolve().parents[2] / "journey" / "questionnaires" / "nulagesanalys-v1.json"
)


def questionnaire_ensure() -> None:
    """Step 1's questionnaire as published (seeded by migration; imported again if flushed)."""
    questionnaire_import(definition=json.loads(DEFINITION_V1.read_text(encoding="utf-8")))


def step1_complete(client: User, **overrides: Any) -> None:
    """Answer step 1 like the demo client, with `overrides`, and complete it."""
    profile = client_profile_get_or_create(user=client)
    response = response_start(client=profile)
    values = demo_answers(today=timezone.localdate())
    values["places"] = [place_resolve(name="Göteborg")]  # needs the taxonomy_loaded fixture
    values.update(overrides)
    demo_response_fill(client=profile, response=response, values=values)
    missing = response_complete(client=profile, response=response)
    assert not missing, [q.key for q in missing]


def experience_add(client: User, *, title: str, occupation_id: str) -> None:
    profile = client_profile_get_or_create(user=client)
    experience_save(client=profile, data=ExperienceInput(title=title, occupation_id=occupation_id))
