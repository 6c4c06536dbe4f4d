"""Fixtures of the job-ad tests: the real taxonomy loaded once, the real ads, recorded payloads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.jobs.fixtures import recorded

# A fixed "now" shortly after the real ads were scraped (2023-08-14), so deadlines are in the
# future unless a test says otherwise.
NOW = dt.datetime(2023, 8, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def taxonomy(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The committed JobTech taxonomy snapshot, loaded once per session (ingest needs places)."""
    from vagval.jobs.places import reset_place_resolver
    from vagval.taxonomy.services import taxonomy_load

    with django_db_blocker.unblock():
        taxonomy_load()
    reset_place_resolver()


@pytest.fixture
def jobs_db(db: Any, taxonomy: None) -> None:
    """Database access with the taxonomy present and no job ads.

    Other suites (the journey's feed fixtures) commit the real ads once per session for speed;
    these tests count what an ingest adds, so they start from empty job tables. The deletes run
    inside the test's transaction and are rolled back with it, so the session's ads come back
    for the tests that follow. Foreign keys are deferred, so the order does not matter.
    """
    from django.db import connection

    from vagval.jobs import models as jobs_models

    tables = [
        model._meta.db_table
        for model in (
            jobs_models.LshBand,
            jobs_models.QuarantinedRecord,
            jobs_models.JobAd,
            jobs_models.JobCluster,
            jobs_models.IngestRun,
            jobs_models.SourceCursor,
        )
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


@pytest.fixture(scope="session")
def recorded_files(
    real_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    return recorded.write_all(real_data_dir, tmp_path_factory.mktemp("recorded"))


@pytest.fixture(scope="session")
def platsbanken_path(real_data_dir: Path) -> Path:
    return real_data_dir / recorded.PLATSBANKEN


@pytest.fixture(scope="session")
def platsbanken_lines(real_data_dir: Path) -> list[str]:
    return recorded.platsbanken_lines(real_data_dir)


@pytest.fixture(scope="session")
def auranest_path(real_data_dir: Path) -> Path:
    return real_data_dir / recorded.AURANEST
