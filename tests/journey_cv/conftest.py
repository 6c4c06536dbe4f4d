"""Fixtures of the step 4 tests: a client who has done step 2 (an IT project manager who was a
systems developer, with rated skills, languages, a licence and an education), entered through
step 2's own services, and a Django test client signed in as them.

Concept ids are real JobTech ids from the committed taxonomy snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from journey.models import ClientProfile
from journey.services import competence as step2
from journey.services.client import client_profile_get_or_create
from tests.accounts.factories import UserFactory
from vagval.accounts.models import User

IT_PROJECT_MANAGER = "z5AM_ayf_WcL"  # Projektledare, IT
DEVELOPER = "rQds_YGd_quU"  # Systemutvecklare/Programmerare
PROJECT_MANAGEMENT_IT = "Pk2j_jXV_Y3j"
AGILE = "TMVb_DnH_etF"
REQUIREMENTS = "Utw1_tLL_sS2"
JAVA = "jCsR_WQX_CKD"
SQL = "Xnmr_kYS_YKY"
SCRUM = "Cnqu_REg_6jo"
SWEDISH = "zSLA_vw2_FXN"
ENGLISH = "NVxJ_hLg_TYS"
LICENCE_B = "VTK8_WRx_GcM"


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def karin(db: None) -> User:
    return UserFactory(
        role=User.Role.CLIENT, email="karin.cv@example.se", first_name="Karin", last_name="Berg"
    )


@pytest.fixture
def olle(db: None) -> User:
    return UserFactory(role=User.Role.CLIENT, email="olle.cv@example.se", first_name="Olle")


@pytest.fixture
def karin_client(karin: User) -> ClientProfile:
    return client_profile_get_or_create(user=karin)


def fill_inventory(client: ClientProfile) -> None:
    """Step 2 as the client would fill it, through step 2's services."""
    today = dt.date.today()
    step2.experience_save(
        client=client,
        data=step2.ExperienceInput(
            title="Systemutvecklare",
            employer="Ericsson",
            occupation_id=DEVELOPER,
            start_date=dt.date(2008, 8, 1),
            end_date=dt.date(2016, 2, 1),
            description="Javautveckling av nätverksprodukter.",
        ),
    )
    step2.experience_save(
        client=client,
        data=step2.ExperienceInput(
            title="IT-projektledare",
            employer="Volvo Cars",
            occupation_id=IT_PROJECT_MANAGER,
            start_date=dt.date(2016, 3, 1),
            end_date=None,
            description="Ledde agila projekt för fabrikens produktionssystem.\n\nBudget 12 MSEK.",
        ),
    )
    step2.education_save(
        client=client,
        data=step2.EducationInput(
            name="Civilingenjör datateknik", institution="Chalmers", start_year=2003,
            end_year=2008,
        ),
    )  # fmt: skip
    for skill_id, level in ((PROJECT_MANAGEMENT_IT, 4), (AGILE, 4), (JAVA, 3), (SQL, None)):
        step2.skill_add(client=client, skill_id=skill_id, level=level)
    step2.language_save(client=client, language_id=SWEDISH, level="native")
    step2.language_save(client=client, language_id=ENGLISH, level="fluent")
    step2.driving_licences_set(client=client, licence_ids=[LICENCE_B])
    assert today  # the dates above are fixed; today only matters for "current" jobs


@pytest.fixture
def inventory(taxonomy_loaded: str, karin_client: ClientProfile) -> ClientProfile:
    fill_inventory(karin_client)
    return karin_client


@pytest.fixture
def browser(karin: User) -> Client:
    c = Client()
    c.force_login(karin)
    return c
