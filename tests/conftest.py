"""Suite-wide pytest fixtures and hooks.

- `real_data_dir`: the folder of real JobTech data (settings.VAGVAL_DATA_DIR). Tests use real
  data, so a missing folder is a failure with a clear message, not a silent skip.
- Tests marked `celery_worker` need a real Redis broker; without `REDIS_URL` they are skipped.
- With `VAGVAL_REQUIRE_E2E=1` (set by `.ci/run`), a skipped `e2e` or `celery_worker` test is
  reported as a failure: CI must not go green because Chromium or Redis was missing.
- With a Redis cache (CI), each xdist worker uses its own Redis database for it.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

_REQUIRED_MARKERS = ("e2e", "celery_worker")

# Real ingested ads and a client in Stockholm, shared by journey, employers and e2e tests.
pytest_plugins = ["tests.journey.feed_fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise warns on every request when STATIC_ROOT is missing (no collectstatic in tests);
    # an empty folder is what a fresh checkout serves from anyway.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the site's default language (Swedish): a request through the test
    client, or a test that switches language, can leave another one active in the thread, and
    the next test would then see English reasons and labels."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def _require_e2e() -> bool:
    return os.environ.get("VAGVAL_REQUIRE_E2E", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The real data folder; fails the test if it is not there."""
    path = Path(settings.VAGVAL_DATA_DIR)
    if not path.is_dir():
        pytest.fail(
            f"VAGVAL_DATA_DIR={path} does not exist: the tests need the real data in "
            "../shared/data next to the repository (or set VAGVAL_DATA_DIR).",
            pytrace=False,
        )
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("REDIS_URL"):
        return
    skip = pytest.mark.skip(reason="needs a real Redis broker: set REDIS_URL (see .ci/run)")
    for item in items:
        if item.get_closest_marker("celery_worker"):
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if not (report.skipped and _require_e2e()) or hasattr(report, "wasxfail"):
        return
    marker = next((m for m in _REQUIRED_MARKERS if item.get_closest_marker(m)), None)
    if marker is None:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (
        f"this {marker} test was skipped ({reason}), but VAGVAL_REQUIRE_E2E=1 requires it to run"
    )


_ORIGINAL_CACHES: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _redis_cache_per_worker(request: pytest.FixtureRequest) -> None:
    """With `REDIS_URL` (CI), give each xdist worker its own Redis database for the cache.

    Tests clear the cache (allauth keeps rate-limit counters there) and `cache.clear()` on Redis
    is FLUSHDB: on a shared database it would wipe another worker's counters mid-test, and the
    Celery broker's queues in database 0. Workers gw0, gw1, ... use databases 1, 2, ... (max 15).
    A `celery_worker` test keeps the configured database: its worker process shares it.
    """
    from django.conf import settings as dj_settings
    from django.test.signals import setting_changed

    if not _ORIGINAL_CACHES:
        _ORIGINAL_CACHES.update(dj_settings.CACHES)
    cache = _ORIGINAL_CACHES.get("default", {})
    if "redis" not in str(cache.get("BACKEND", "")).lower():
        return
    location = str(cache["LOCATION"])
    if not request.node.get_closest_marker("celery_worker"):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        number = 1 + int(worker.removeprefix("gw") or 0) % 15
        location = urlsplit(location)._replace(path=f"/{number}").geturl()
    if dj_settings.CACHES["default"].get("LOCATION") != location:
        caches = {**_ORIGINAL_CACHES, "default": {**cache, "LOCATION": location}}
        dj_settings.CACHES = caches
        setting_changed.send(sender=None, setting="CACHES", value=caches, enter=True)


# --- taxonomy --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _taxonomy_in_test_db(django_db_setup: None, django_db_blocker: Any) -> str:
    """Load the committed taxonomy snapshot into the test database once per session.

    The rows are committed (outside any test transaction), so every test sees them; with
    --reuse-db a later session finds the same version and skips the load in well under a second.
    """
    from vagval.taxonomy.services import taxonomy_load

    with django_db_blocker.unblock():
        return taxonomy_load().version


@pytest.fixture
def taxonomy_loaded(_taxonomy_in_test_db: str, db: None) -> str:
    """The JobTech taxonomy is in the database; returns its version.

    Use it in any test that needs concepts (occupations, skills, municipalities...). If a
    transactional test emptied the tables earlier in the session, it is loaded again.
    """
    from vagval.taxonomy.cache import taxonomy_version_reset
    from vagval.taxonomy.models import Concept
    from vagval.taxonomy.services import taxonomy_load

    if not Concept.objects.filter(type="occupation-name").exists():
        taxonomy_load(force=True)
        taxonomy_version_reset()
    return _taxonomy_in_test_db


# --- Celery ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _celery_in_process(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run tasks in-process (eagerly) except in `celery_worker` tests.

    With `REDIS_URL` set (CI), the settings make Celery use the Redis broker and real workers, as
    production does. The suite tests what tasks do, so it runs them in the test's own process
    and database; the real broker-and-worker path has its own test (`-m celery_worker`).
    Without this, a test that waits for a task result would wait for a worker that is not there.
    """
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    from vagval.config.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = before
