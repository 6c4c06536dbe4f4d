"""Step 3, the labour-market inventory: occupations ranked with reasons, the skills each lacks,
demand by region as an accessible table, the form pre-filled from step 1, the choice stored as
a versioned SearchProfile and MarketPlan, bad input refused with what was typed kept, and
earlier clients' paths shown only above the suppression threshold."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from journey.models import (
    ClientProfile,
    JourneyChange,
    MarketPlan,
    RemoteWish,
    SearchProfile,
    SearchProfileSource,
    TransitionOutcome,
)
from journey.services.market import market_plan_refresh, search_profile_save
from tests.journey.feed_fixtures import Concepts

pytestmark = pytest.mark.django_db


def test_occupations_ranked_with_reasons_gaps_and_demand(
    developer: ClientProfile, karin_browser: Client, concepts: Concepts
) -> None:
    response = karin_browser.get("/resa/arbetsmarknad/")
    assert response.status_code == 200
    html = response.content.decode()
    plan = MarketPlan.objects.get(client=developer)
    assert plan.regions == [concepts.region("Stockholms län")]
    assert len(plan.suggestions) >= 3
    top = plan.suggestions[0]
    assert top["label"] in html
    codes = {r["code"] for s in plan.suggestions for r in s["reasons"]}
    assert "skills" in codes and "active_ads" in codes
    assert any(s["missing_skills"] for s in plan.suggestions), "each says what it lacks"
    assert "Saknas" in html
    developer_group = concepts.view.occupation_group[
        concepts.occupation("Systemutvecklare/Programmerare")
    ]
    programmers = next(s for s in plan.suggestions if s["group_id"] == developer_group)
    assert programmers["demand"]["active_ads"] > 10, "the real Stockholm IT ads are counted"
    assert f"{programmers['demand']['active_ads']} lediga jobb i dina län just nu" in html
    assert programmers["demand"]["salary"]["mean"] > 30000, "SCB salary for SSYK 2512"
    # Demand by region: a data table, the client's region marked.
    chart = html[html.index('<table class="demand-chart">') :]
    chart = chart[: chart.index("</table>")]
    assert "<caption>" in chart and 'scope="row"' in chart
    assert re.search(r'<tr class="mine">\s*<th scope="row">Stockholms län', chart)


def test_step3_form_is_prefilled_from_step1(
    developer: ClientProfile, karin_browser: Client, concepts: Concepts
) -> None:
    html = karin_browser.get("/resa/arbetsmarknad/").content.decode()
    stockholm = concepts.municipality("Stockholm")
    assert re.search(rf'name="place" value="{stockholm}" id="place-{stockholm}" checked', html)
    assert 'name="max_commute_minutes" id="max_commute_minutes" size="6"\n      value="45"' in html
    assert 'value="hybrid" id="remote-hybrid" checked' in html
    assert "Ifyllt från din nulägesanalys" in html
    assert not SearchProfile.objects.filter(client=developer).exists()


def test_choosing_targets_writes_a_search_profile_and_plan(
    developer: ClientProfile, karin_browser: Client, concepts: Concepts
) -> None:
    karin_browser.get("/resa/arbetsmarknad/")
    plan = MarketPlan.objects.get(client=developer)
    first, second = plan.suggestions[0], plan.suggestions[1]
    stockholm = concepts.municipality("Stockholm")
    response = karin_browser.post(
        "/resa/arbetsmarknad/",
        {
            "target": [first["concept_id"], second["concept_id"]],
            "place": [stockholm],
            "max_commute_minutes": "45",
            "remote": "hybrid",
            "action": "feed",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/resa/jobb/"
    search = SearchProfile.objects.get(client=developer)
    assert search.revision == 1 and search.source == SearchProfileSource.CLIENT
    assert search.target_occupation_ids == [first["concept_id"], second["concept_id"]]
    assert search.follows_current_state, "the same places as step 1: keep following step 1"
    latest = MarketPlan.objects.filter(client=developer).order_by("-revision").first()
    assert (
        latest is not None and latest.chosen_at and latest.targets == search.target_occupation_ids
    )
    change = JourneyChange.objects.filter(client=developer, step="market").first()
    assert change is not None and first["label"] in change.message_sv
    # Saving the same again adds no revision.
    karin_browser.post(
        "/resa/arbetsmarknad/",
        {
            "target": [first["concept_id"], second["concept_id"]],
            "place": [stockholm],
            "max_commute_minutes": "45",
            "remote": "hybrid",
        },
    )
    assert SearchProfile.objects.filter(client=developer).count() == 1


def test_another_occupation_and_place_can_be_added_by_typing(
    developer: ClientProfile, karin_browser: Client, concepts: Concepts
) -> None:
    response = karin_browser.post(
        "/resa/arbetsmarknad/",
        {
            "target_text": "Systemutvecklare/Programmerare",
            "place": [concepts.municipality("Stockholm")],
            "place_text": "Uppsala",
            "max_commute_minutes": "60",
            "remote": "remote",
        },
    )
    assert response.status_code == 302
    search = SearchProfile.objects.get(client=developer)
    assert search.target_occupation_ids == [concepts.occupation("Systemutvecklare/Programmerare")]
    assert concepts.municipality("Uppsala") in search.municipality_ids
    assert search.remote == RemoteWish.REMOTE and search.max_commute_minutes == 60
    assert not search.follows_current_state, "other places than step 1: the client's own"


def test_bad_input_is_refused_and_what_was_typed_is_kept(
    developer: ClientProfile, karin_browser: Client, concepts: Concepts
) -> None:
    response = karin_browser.post(
        "/resa/arbetsmarknad/",
        {
            "place": [concepts.municipality("Stockholm")],
            "place_text": "Atlantis",
            "max_commute_minutes": "en timme",
            "remote": "hybrid",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vi hittade ingen kommun" in html and 'value="Atlantis"' in html
    assert "hela minuter" in html and 'value="en timme"' in html
    assert not SearchProfile.objects.filter(client=developer).exists()
    # A forged concept id is refused by the service too.
    response = karin_browser.post(
        "/resa/arbetsmarknad/", {"target": ["not_a_concept"], "remote": "hybrid"}
    )
    assert response.status_code == 400
    assert "Yrket finns inte i yrkesdatabasen" in response.content.decode()


def test_earlier_clients_paths_only_above_the_suppression_threshold(
    developer: ClientProfile, settings: Any, concepts: Concepts
) -> None:
    from journey.matchprofile import match_inputs_get
    from journey.services.market import market_suggestions_compute, transitions_observed

    settings.VAGVAL_SUPPRESSION_THRESHOLD = 5
    held = concepts.view.occupation_group[concepts.occupation("Systemutvecklare/Programmerare")]
    suggestions, _ = market_suggestions_compute(inputs=match_inputs_get(client=developer))
    target = next(s["group_id"] for s in suggestions if s["group_id"] != held)
    for _ in range(4):
        TransitionOutcome.objects.create(from_group_id=held, to_group_id=target, year=2026)
    assert transitions_observed(from_groups=[held]) == {}, "four is below the threshold"
    suggestions, _ = market_suggestions_compute(inputs=match_inputs_get(client=developer))
    assert all(s["transitions"] == 0 for s in suggestions)
    TransitionOutcome.objects.create(from_group_id=held, to_group_id=target, year=2026)
    assert transitions_observed(from_groups=[held]) == {target: 5}
    suggestions, _ = market_suggestions_compute(inputs=match_inputs_get(client=developer))
    moved = next(s for s in suggestions if s["group_id"] == target)
    assert "5 tidigare klienter från ditt yrke har gått hit" in [r["sv"] for r in moved["reasons"]]


def test_market_refresh_is_idempotent(developer: ClientProfile) -> None:
    first = market_plan_refresh(client=developer)
    assert first and "yrken passar dig" in first[0].message_sv
    assert market_plan_refresh(client=developer) == []
    assert MarketPlan.objects.filter(client=developer).count() == 1


def test_step3_page_query_budget(
    developer: ClientProfile, karin_browser: Client, django_assert_max_num_queries: Any
) -> None:
    karin_browser.get("/resa/arbetsmarknad/")
    with django_assert_max_num_queries(10):
        assert karin_browser.get("/resa/arbetsmarknad/").status_code == 200


def test_min_resa_shows_the_market_step(
    developer: ClientProfile, karin_browser: Client, concepts: Concepts
) -> None:
    search_profile_save(
        client=developer,
        target_ids=[concepts.occupation("Systemutvecklare/Programmerare")],
        municipality_ids=[concepts.municipality("Stockholm")],
        region_ids=[],
        max_commute_minutes=45,
        remote="hybrid",
    )
    html = karin_browser.get("/resa/").content.decode()
    step = html[html.index('id="step-market"') :]
    assert "Mål: Systemutvecklare/Programmerare" in step and "Orter: Stockholm" in step
