"""Fixtures shared by the step 3-5 tests, the member-company tests and the e2e test (a pytest
plugin, registered in `tests/conftest.py`, so every test can ask for them by name): the real
Platsbanken ads ingested once per session, and a client in Stockholm who has done step 1 and has
a competence profile from step 2.

The ads are the 790 real ads in `$VAGVAL_DATA_DIR/jobads/platsbanken_web_2023-08_stockholm_it
.jsonl.gz`, ingested with the real `ingest` command; they carry no dates, so they stay open.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from journey.matchprofile import ad_index_clear
from journey.models import ClientProfile, Questionnaire
from journey.services.client import client_profile_get_or_create
from journey.services.competence import ExperienceInput, experience_save, skill_add
from journey.services.questionnaire import questionnaire_import
from tests.accounts.factories import UserFactory
from tests.journey.helpers import FORM_ANSWERS, complete_step1
from vagval.accounts.models import User
from vagval.matching.taxonomy_view import get_taxonomy_view

ADS_FILE = "jobads/platsbanken_web_2023-08_stockholm_it.jsonl.gz"
STOCKHOLM_ANSWERS = {**FORM_ANSWERS, "places-add": ["Stockholm"], "max_commute_minutes": ["45"]}


def ingest_ads(real_data_dir: Path) -> None:
    call_command(
        "ingest",
        "--source",
        "platsbanken-web",
        str(real_data_dir / ADS_FILE),
        "--workers",
        "1",
        stdout=io.StringIO(),
    )


@pytest.fixture(scope="session")
def _ads_in_test_db(_taxonomy_in_test_db: str, django_db_blocker: Any, real_data_dir: Path) -> None:
    """Ingest the real ads once per session, committed (idempotent with --reuse-db)."""
    with django_db_blocker.unblock():
        ingest_ads(real_data_dir)


@pytest.fixture
def ads(_ads_in_test_db: None, taxonomy_loaded: str, real_data_dir: Path) -> Iterator[None]:
    """The real ads are in the database and the journey's ad index is rebuilt from them."""
    from vagval.jobs.selectors import ads_active

    if not ads_active().exists():  # a transactional test emptied the tables
        ingest_ads(real_data_dir)
    ad_index_clear()
    yield
    ad_index_clear()


class Concepts:
    """Real concept ids from the taxonomy, looked up by label (tests read like the domain)."""

    def __init__(self) -> None:
        self.view = get_taxonomy_view()

    def skill(self, label: str) -> str:
        return next(k for k, v in self.view.skill_label.items() if v == label)

    def occupation(self, label: str) -> str:
        return next(k for k, v in self.view.occupation_label.items() if v == label)

    def municipality(self, label: str) -> str:
        return next(k for k, v in self.view.municipality_label.items() if v == label)

    def region(self, label: str) -> str:
        return next(k for k, v in self.view.region_label.items() if v == label)


@pytest.fixture(scope="session")
def concepts() -> Concepts:
    return Concepts()


def common_ad_skills(n: int = 40) -> list[tuple[str, int]]:
    """The skills most ads name, with how many ads name them (from the ingested ads)."""
    from vagval.jobs.selectors import ads_active

    counts: Counter[str] = Counter()
    for skill_ids in ads_active().values_list("skill_ids", flat=True):
        counts.update(set(skill_ids or []))
    return counts.most_common(n)


@pytest.fixture
def questionnaire_v1(db: None) -> Questionnaire:
    import json

    from tests.journey.conftest import DEFINITION_V1

    return questionnaire_import(definition=json.loads(DEFINITION_V1.read_text(encoding="utf-8")))


@pytest.fixture
def karin(db: None) -> User:
    user: User = UserFactory(role=User.Role.CLIENT, email="karin.feed@example.se")  # type: ignore[assignment]
    return user


@pytest.fixture
def karin_browser(karin: User, questionnaire_v1: Questionnaire, ads: None) -> Client:
    c = Client()
    c.force_login(karin)
    return c


@pytest.fixture
def karin_client(karin: User) -> ClientProfile:
    return client_profile_get_or_create(user=karin)


@pytest.fixture
def developer(
    karin_browser: Client, karin_client: ClientProfile, concepts: Concepts
) -> ClientProfile:
    """Karin has done step 1 (Stockholm, 45 minutes, hybrid) and step 2 (a systems developer
    with a few skills), through the same services and pages a client uses."""
    complete_step1(karin_browser, STOCKHOLM_ANSWERS)
    experience_save(
        client=karin_client,
        data=ExperienceInput(
            title="Systemutvecklare",
            employer="Exempel AB",
            occupation_id=concepts.occupation("Systemutvecklare/Programmerare"),
        ),
    )
    for label in ("Java, programmeringsspråk", "SQL, frågespråk"):
        skill_add(client=karin_client, skill_id=concepts.skill(label), level=4)
    return karin_client
