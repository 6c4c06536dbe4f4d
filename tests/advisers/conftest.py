"""Fixtures of the adviser portal tests: advisers with profiles, clients with cases, consent.

People are made with the shared factories; journey data only through journey services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from advisers import services
from advisers.models import AdviserProfile, Case, MeetingMode
from journey.services.client import (
    client_profile_employment_sync,
    client_profile_get_or_create,
    client_profile_stage_advance,
)
from tests.accounts.factories import UserFactory
from vagval.accounts.models import User
from vagval.consent.models import ConsentPurpose
from vagval.consent.services import consent_grant

REGION_VG = "zdoY_6u5_Krt"
REGION_STHLM = "CifL_Rzy_Mku"


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def make_adviser(**profile: Any) -> User:
    user = UserFactory(role=User.Role.ADVISER, first_name="Rådgivare", last_name="Test")
    defaults = {"region_ids": [REGION_VG], "languages": ["sv"], "capacity": 200}
    defaults.update(profile)
    AdviserProfile.objects.create(user=user, **defaults)
    return user


def make_client(
    *,
    adviser: User | None = None,
    shares: bool = True,
    stage: str = "current_state",
    notice_days_ago: int = 20,
    last_day_in: int = 90,
    **user: Any,
) -> User:
    client = UserFactory(role=User.Role.CLIENT, **user)
    profile = client_profile_get_or_create(user=client)
    today = timezone.localdate()
    client_profile_employment_sync(
        client=profile,
        status="notice",
        notice_date=today - dt.timedelta(days=notice_days_ago),
        last_working_day=today + dt.timedelta(days=last_day_in),
    )
    client_profile_stage_advance(client=profile, stage=stage)
    if shares:
        consent_grant(user=client, purpose=ConsentPurpose.ADVISER_ACCESS)
    if adviser is not None:
        services.case_open(client=client, adviser=adviser, actor=adviser)
    return client


def case_of(client: User) -> Case:
    return Case.objects.get(client=client, closed_at__isnull=True)


def publish_slot(adviser: User, *, days: int = 2, hour: int = 10) -> Any:
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    start += dt.timedelta(days=days)
    return services.slot_publish(
        adviser=adviser,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        modes=[MeetingMode.IN_PERSON, MeetingMode.PHONE, MeetingMode.VIDEO],
        location="Kungsgatan 12",
    )[0]


@pytest.fixture
def step1_ready(taxonomy_loaded: str) -> None:
    """Step 1 can be completed: the questionnaire is published and the places are loaded."""
    from .journey_data import questionnaire_ensure

    questionnaire_ensure()


@pytest.fixture
def adviser(db: None) -> User:
    return make_adviser(video_room_url="https://video.exempel.se/rum-1")


@pytest.fixture
def other_adviser(db: None) -> User:
    return make_adviser()


@pytest.fixture
def client_user(adviser: User) -> User:
    return make_client(adviser=adviser, first_name="Karin", last_name="Lindqvist")


@pytest.fixture
def other_client(other_adviser: User) -> User:
    return make_client(adviser=other_adviser, first_name="Olle", last_name="Främling")


def login(user: User) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def adviser_browser(adviser: User) -> Client:
    return login(adviser)


@pytest.fixture
def client_browser(client_user: User) -> Client:
    return login(client_user)
