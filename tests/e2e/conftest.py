"""Shared fixtures of the browser tests: headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright) on a phone-sized page against pytest-django's live server.

Without Chromium the tests are skipped with the reason; with VAGVAL_REQUIRE_E2E=1 (CI) the root
conftest turns that skip into a failure. Mark browser tests `@pytest.mark.e2e` and, because the
live server needs committed data, `@pytest.mark.django_db(transaction=True,
serialized_rollback=True)` so the rows seeded by migrations are restored for the tests after.

    def test_something(phone, live_server, login_as): ...
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.journey.conftest import place_snapshot_path, places  # noqa: F401 - shared fixtures

CHROMIUM_PATH = Path(
    os.environ.get("VAGVAL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DEFAULT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    if not CHROMIUM_PATH.exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM_PATH}: install it with `apt-get install -y "
            "chromium` (scripts/ci-services.sh does) or set VAGVAL_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM (used by the test
    # to set up data) refuses to run next to one unless told this is a test.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


# The data migrations that seed rows the pages need; each `seed` is idempotent.
_SEED_MIGRATIONS = (
    "journey.migrations.0002_seed_nulagesanalys_v1",
    "journey.cv.migrations.0002_seed_interview_questions",
    "vagval.consent.migrations.0002_seed_consent_texts",
    "vagval.consent.migrations.0003_internal_mobility",
)


def _migration_rows_ensure() -> None:
    """Seed again what the data migrations seed (step 1's questionnaire, the interview question
    bank, the consent texts).

    `serialized_rollback` is meant to restore them for each browser test, but it restores the
    snapshot taken when the test database was set up, and a database reused from an earlier
    session (`--reuse-db`) may have been flushed before that snapshot; CI also once found the
    question bank empty. The seeds are idempotent, so running them costs a few queries."""
    from django.apps import apps

    for name in _SEED_MIGRATIONS:
        importlib.import_module(name).seed(apps, None)


@pytest.fixture
def phone(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A fresh 360×740 page in Swedish on the live server; fails the test on any console error
    (a CSP violation, a script error, an htmx error)."""
    _migration_rows_ensure()
    context = chromium.new_context(viewport=PHONE, base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Name the resource behind a "Failed to load resource" message (browsers ask for a favicon
    # on their own; that one is not ours to fail on).
    page.on(
        "response",
        lambda r: (
            errors.append(f"HTTP {r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    yield page
    context.close()
    failures = [e for e in errors if not e.startswith("Failed to load resource")]
    assert failures == [], f"browser errors: {failures}"


@pytest.fixture
def login_as(phone: Any) -> Callable[[str, str], None]:
    """Log in through the real login form."""

    def login(email: str, password: str) -> None:
        phone.goto("/konto/login/")
        phone.fill("input[name=login]", email)
        phone.fill("input[name=password]", password)
        phone.keyboard.press("Enter")
        phone.wait_for_url(lambda url: "/konto/login/" not in url)

    return login


def tab_to(page: Any, selector: str, *, limit: int = 80, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`: proves it can be
    reached by keyboard."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} cannot be reached with {key}")


# How a date is typed into Chromium's date field depends on the browser's locale (the order of
# its segments, and the year segment taking up to six digits). Probed once per session.
_DATE_ORDERS = {
    "mdy": ("{m}", "{d}", "{y}"),
    "dmy": ("{d}", "{m}", "{y}"),
    "ymd": ("{y}", "ArrowRight", "{m}", "{d}"),
}


def _type_keys(page: Any, keys: tuple[str, ...], year: str, month: str, day: str) -> None:
    for key in keys:
        if key.startswith("Arrow"):
            page.keyboard.press(key)
        else:
            page.keyboard.type(key.format(y=year, m=month, d=day))


@pytest.fixture(scope="session")
def date_order(chromium: Any) -> str:
    page = chromium.new_page()
    try:
        for name, keys in _DATE_ORDERS.items():
            page.set_content('<input type="date" id="probe">')
            page.focus("#probe")
            _type_keys(page, keys, "2026", "12", "31")
            if page.input_value("#probe") == "2026-12-31":
                return name
    finally:
        page.close()
    raise AssertionError("cannot tell how this Chromium wants dates typed")


def type_date(page: Any, iso: str, order: str) -> None:
    """Type an ISO date into the focused date field, segment by segment, by keyboard."""
    year, month, day = iso.split("-")
    _type_keys(page, _DATE_ORDERS[order], year, month, day)


def htmx_settle(page: Any) -> None:
    """Wait until no htmx request is in flight, including one queued behind another (htmx marks
    an element `htmx-request` while its request runs)."""
    for _ in range(2):
        page.wait_for_function("() => document.querySelectorAll('.htmx-request').length === 0")
        page.wait_for_timeout(150)
