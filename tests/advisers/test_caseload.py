"""The caseload: every client with journey facts and priority signals, in few queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisers import selectors, services
from vagval.accounts.models import User

from .conftest import case_of, make_adviser, make_client
from .journey_data import step1_complete

CASELOAD_SIZE = 150
QUERY_BUDGET = 15


@pytest.fixture
def big_caseload(adviser: User, step1_ready: None) -> list[User]:
    """150 clients across the stages; some with step 1 done, messages, steps, a change wish."""
    stages = ["not_started", "current_state", "competence", "market", "cv", "feed"]
    clients = []
    for i in range(CASELOAD_SIZE):
        client = make_client(
            adviser=adviser,
            shares=i % 10 != 0,
            stage=stages[i % len(stages)],
            notice_days_ago=5 + i % 100,
            last_day_in=-5 + i % 120,
            first_name=f"Klient{i:03d}",
            last_name="Testsson",
        )
        case = case_of(client)
        if i % 7 == 0:
            services.message_send(case=case, sender=client, body="Hej, kan vi ses?")
        if i % 9 == 0:
            services.next_step_add(
                case=case, text="Ring HR", actor=adviser, due_date=timezone.localdate()
            )
        clients.append(client)
    for client in clients[1:11]:
        step1_complete(client, energy=2 if client.first_name.endswith("3") else 4)
    services.change_request_create(client=clients[5])
    return clients


def test_caseload_of_150_with_signals_stays_within_the_query_budget(
    adviser: User, big_caseload: list[User], django_assert_max_num_queries: object
) -> None:
    browser = Client()
    browser.force_login(adviser)
    browser.get(reverse("advisers:caseload"))  # warm the session and the caches
    with django_assert_max_num_queries(QUERY_BUDGET):  # type: ignore[operator]
        response = browser.get(reverse("advisers:caseload"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/radgivare/klienter/') == CASELOAD_SIZE
    with CaptureQueriesContext(connection) as filtered:
        browser.get(reverse("advisers:caseload"), {"signal": "unread", "sort": "name"})
    assert len(filtered) <= QUERY_BUDGET


def test_signals_come_from_the_journey(adviser: User, step1_ready: None) -> None:
    tired = make_client(adviser=adviser, first_name="Trött")
    step1_complete(tired, energy=1)
    worried = make_client(adviser=adviser, first_name="Orolig")
    step1_complete(worried, economic_runway="under_3", economic_worry=5)
    make_client(adviser=adviser, first_name="Snart", last_day_in=10)
    private = make_client(adviser=adviser, first_name="Privat", shares=False, last_day_in=5)
    services.message_send(case=case_of(private), sender=private, body="Hej")
    rows = {r.name.split()[0]: r for r in selectors.caseload_get(adviser=adviser).rows}
    assert "low_energy" in rows["Trött"].signal_codes
    assert "economic_stress" in rows["Orolig"].signal_codes
    assert "low_energy" not in rows["Orolig"].signal_codes
    assert "deadline" in rows["Snart"].signal_codes and rows["Snart"].days_to_last_day == 10
    # Not shared: no journey facts and no journey signals, only the case's own (a message).
    assert rows["Privat"].stage == "" and rows["Privat"].days_to_last_day is None
    assert rows["Privat"].signal_codes == {"unread"}
    # Priority order: the most urgent first.
    ordered = [r.name.split()[0] for r in selectors.caseload_get(adviser=adviser).rows]
    assert ordered.index("Trött") < ordered.index("Snart")


def test_hidden_wellbeing_is_not_used_for_signals(adviser: User, step1_ready: None) -> None:
    tired = make_client(adviser=adviser, first_name="Trött")
    step1_complete(tired, energy=1)
    services.sharing_set(client=tired, hidden_parts=["wellbeing"])
    row = selectors.caseload_get(adviser=adviser).rows[0]
    assert "low_energy" not in row.signal_codes


def test_stalled_and_cv_untouched_after_two_weeks(adviser: User, time_machine: object) -> None:
    client = make_client(adviser=adviser, first_name="Stilla")
    later = timezone.now() + dt.timedelta(days=20)
    time_machine.move_to(later)  # type: ignore[attr-defined]
    codes = selectors.caseload_get(adviser=adviser).rows[0].signal_codes
    assert {"stalled", "cv_untouched"} <= codes
    services.next_step_add(case=case_of(client), text="Skicka CV", actor=adviser)
    assert "stalled" not in selectors.caseload_get(adviser=adviser).rows[0].signal_codes


def test_a_cv_made_in_the_cv_builder_counts_as_cv_work(adviser: User, time_machine: object) -> None:
    from journey.cv import services as cv_services
    from journey.cv.builder import Target
    from journey.cv.selectors import cv_inputs_get
    from journey.services.client import client_profile_get_or_create

    client = make_client(adviser=adviser, first_name="Bygger")
    time_machine.move_to(timezone.now() + dt.timedelta(days=20))  # type: ignore[attr-defined]
    assert {"stalled", "cv_untouched"} <= selectors.caseload_get(adviser=adviser).rows[
        0
    ].signal_codes
    profile = client_profile_get_or_create(user=client)
    cv_services.cv_create(
        client=profile,
        inputs=cv_inputs_get(client=profile, user=client),
        target=Target(),
        language="sv",
    )
    row = selectors.caseload_get(adviser=adviser).rows[0]
    assert not {"stalled", "cv_untouched"} & row.signal_codes
    assert row.last_activity_at is not None
    assert (timezone.now() - row.last_activity_at).days == 0
    # A CV left alone for a month is untouched again.
    time_machine.move_to(timezone.now() + dt.timedelta(days=31))  # type: ignore[attr-defined]
    assert {"stalled", "cv_untouched"} <= selectors.caseload_get(adviser=adviser).rows[
        0
    ].signal_codes


def test_filter_sort_and_stage_chart(adviser: User) -> None:
    make_client(adviser=adviser, first_name="Berit", stage="market", notice_days_ago=50)
    make_client(adviser=adviser, first_name="Adam", stage="competence", notice_days_ago=10)
    make_client(adviser=adviser, first_name="Cilla", stage="market", shares=False)
    other = make_adviser()
    make_client(adviser=other, first_name="Främmande", stage="market")
    data = selectors.caseload_get(adviser=adviser, stage="market")
    assert [r.name.split()[0] for r in data.rows] == ["Berit"]
    assert data.total == 3
    stages = {stage: count for stage, _label, count in data.by_stage}
    assert stages["market"] == 1 and stages["competence"] == 1 and stages[""] == 1
    by_name = selectors.caseload_get(adviser=adviser, sort="name")
    assert [r.name.split()[0] for r in by_name.rows] == ["Adam", "Berit", "Cilla"]
    by_notice = selectors.caseload_get(adviser=adviser, sort="notice")
    assert [r.name.split()[0] for r in by_notice.rows][:2] == ["Berit", "Adam"]
    found = selectors.caseload_get(adviser=adviser, query="adam")
    assert [r.name.split()[0] for r in found.rows] == ["Adam"]


def test_caseload_page_renders_the_chart_and_filters(adviser: User, client_user: User) -> None:
    browser = Client()
    browser.force_login(adviser)
    page = browser.get(reverse("advisers:caseload"), {"stage": "current_state"})
    text = page.content.decode()
    assert "Klienter per steg i resan" in text and "<table" in text
    assert "Karin Lindqvist" in text
    htmx = browser.get(reverse("advisers:caseload"), HTTP_HX_REQUEST="true")
    assert htmx.content.decode().lstrip().startswith('<div id="caseload">')
