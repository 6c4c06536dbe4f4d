"""The member-company portal reads recorded outcomes per client through the advisers selectors."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from advisers import selectors, services
from journey.selectors.employers_api import client_outcomes
from tests.advisers.conftest import case_of, make_client
from vagval.accounts.models import User


def test_recorded_outcomes_reach_the_employer_selector(adviser: User, taxonomy_loaded: str) -> None:
    from vagval.taxonomy.selectors import concept_autocomplete

    hired, studying, open_case = (make_client(adviser=adviser) for _ in range(3))
    today = timezone.localdate()
    occupation = concept_autocomplete(query="projektledare", types=["occupation"], limit=1)[0]
    services.outcome_record(
        case=case_of(hired),
        kind="job",
        occupation_id=occupation.concept_id,
        date=today,
        recorded_by="adviser",
    )
    services.outcome_record(
        case=case_of(studying),
        kind="studies",
        date=today - dt.timedelta(days=3),
        recorded_by="client",
    )

    found = selectors.outcomes_for_clients(client_ids=[hired.pk, studying.pk, open_case.pk])
    assert found == {
        hired.pk: ("job", today),
        studying.pk: ("studies", today - dt.timedelta(days=3)),
    }

    # The employers' reader maps the advisers' kinds onto its own vocabulary.
    outcomes = client_outcomes(client_ids=[hired.pk, studying.pk, open_case.pk])
    assert {cid: o.kind for cid, o in outcomes.items()} == {
        hired.pk: "new_job",
        studying.pk: "studies",
    }


def test_no_clients_no_query(db: None, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(0):
        assert selectors.outcomes_for_clients(client_ids=[]) == {}
