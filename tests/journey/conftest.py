"""Fixtures of the journey tests: users of each role, the published step 1 questionnaire, and
the municipalities and regions of the real committed taxonomy snapshot."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from journey.models import ClientProfile, Questionnaire
from journey.services.client import client_profile_get_or_create
from journey.services.questionnaire import questionnaire_import
from tests.accounts.factories import UserFactory
from vagval.accounts.models import User
from vagval.taxonomy.cache import taxonomy_version_reset
from vagval.taxonomy.services import taxonomy_load
from vagval.taxonomy.snapshot import DEFAULT_SNAPSHOT_PATH, Snapshot, snapshot_read, snapshot_write

DEFINITION_V1 = (
    Path(__file__).resolve().parents[2] / "journey" / "questionnaires" / "nulagesanalys-v1.json"
)
PLACE_TYPES = {"country", "region", "municipality"}


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def definition_v1() -> dict:
    return json.loads(DEFINITION_V1.read_text(encoding="utf-8"))


@pytest.fixture
def questionnaire(db: None, definition_v1: dict) -> Questionnaire:
    """Version 1 as published (seeded by migration; re-imported if a flush removed it)."""
    return questionnaire_import(definition=definition_v1)


@pytest.fixture
def client_user(db: None) -> User:
    return UserFactory(role=User.Role.CLIENT, email="karin@example.se")


@pytest.fixture
def other_client_user(db: None) -> User:
    return UserFactory(role=User.Role.CLIENT, email="olle@example.se")


@pytest.fixture
def profile(client_user: User) -> ClientProfile:
    return client_profile_get_or_create(user=client_user)


@pytest.fixture
def browser(client_user: User, questionnaire: Questionnaire) -> Client:
    """A Django test client signed in as the client."""
    c = Client()
    c.force_login(client_user)
    return c


@pytest.fixture(scope="session")
def place_snapshot_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The countries, regions and municipalities of the committed snapshot, with their terms."""
    full = snapshot_read(DEFAULT_SNAPSHOT_PATH)
    concepts = [row for row in full.concepts if row[1] in PLACE_TYPES]
    ids = {row[0] for row in concepts}
    subset = Snapshot(
        concepts=concepts,
        relations=[],
        terms=[row for row in full.terms if row[0] in ids],
        sources=full.sources,
    )
    path = tmp_path_factory.mktemp("taxonomy") / "places.json.gz"
    snapshot_write(subset, path)
    return path


@pytest.fixture
def places(db: None, place_snapshot_path: Path) -> Iterator[None]:
    """Load the real municipalities and regions (inside the test's transaction)."""
    taxonomy_load(path=place_snapshot_path, force=True)
    yield
    taxonomy_version_reset()
