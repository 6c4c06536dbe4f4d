"""Fixtures of the employers tests: two member companies with an HR user each, clients, and
helpers to enrol people and give them journey data (through the journey's own services)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from employers import services
from employers.models import Case, CaseKind, Enrolment
from tests.accounts.factories import OrganisationFactory, UserFactory
from vagval.accounts.models import Organisation, User


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org_a(db: None) -> Organisation:
    return OrganisationFactory(name="Alfa Verkstad AB")


@pytest.fixture
def org_b(db: None) -> Organisation:
    return OrganisationFactory(name="Beta Konsult AB")


@pytest.fixture
def hr_a(org_a: Organisation) -> User:
    return UserFactory(role=User.Role.HR, organisation=org_a, email="hr@alfa.example")


@pytest.fixture
def hr_b(org_b: Organisation) -> User:
    return UserFactory(role=User.Role.HR, organisation=org_b, email="hr@beta.example")


def browser_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def hr_a_browser(hr_a: User) -> Client:
    return browser_for(hr_a)


@pytest.fixture
def hr_b_browser(hr_b: User) -> Client:
    return browser_for(hr_b)


@pytest.fixture
def notice_case(org_a: Organisation, hr_a: User) -> Case:
    import datetime as dt

    return services.case_create(
        organisation=org_a,
        actor=hr_a,
        kind=CaseKind.NOTICE,
        title="Varsel lager 2026",
        reason="Lagret flyttar.",
        number_affected=40,
        notice_date=dt.date(2026, 1, 15),
        last_working_day=dt.date(2026, 5, 31),
    )


def enrol_accepted(
    case: Case,
    n: int,
    *,
    statistics: bool = True,
    mobility: bool = False,
    unit: str = "",
    prefix: str = "p",
) -> tuple[Enrolment, User]:
    """Enrol person n in the case and let them accept with a new client account."""
    email = f"{prefix}{n}-{case.pk}@example.se"
    enrolment = Enrolment.objects.create(
        case=case, email=email, first_name=f"Namn{n}", last_name="Test", unit=unit
    )
    user = UserFactory(role=User.Role.CLIENT, organisation=case.organisation, email=email)
    services.enrolment_accept(
        enrolment=enrolment, user=user, statistics_consent=statistics, mobility_opt_in=mobility
    )
    enrolment.refresh_from_db()
    return enrolment, user


def set_stage(user: User, stage: str) -> None:
    from journey.services.client import client_profile_get_or_create, client_profile_stage_advance

    client_profile_stage_advance(client=client_profile_get_or_create(user=user), stage=stage)


def give_skills(user: User, skill_ids: list[str]) -> None:
    from journey.services.client import client_profile_get_or_create
    from journey.services.competence import competence_profile_rebuild, skill_add

    client = client_profile_get_or_create(user=user)
    for sid in skill_ids:
        skill_add(client=client, skill_id=sid, level=4)
    competence_profile_rebuild(client=client)
