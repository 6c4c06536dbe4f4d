"""The data flow between the steps, end to end through the pages a client uses (Django test
client, Celery eager; the refresh runs when the transaction commits, as in production):

- adding a skill in step 2 recomputes the feed and tells the client how many new matches
  appeared, naming the skill;
- changing places in step 1 changes step 3's demand and step 5's feed;
- no step asks for what an earlier step knows (step 3 is pre-filled, step 5 needs no form).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from journey.models import ClientProfile, FeedSnapshot, JourneyChange, MarketPlan, SearchProfile
from journey.services.downstream import client_downstream_refresh_run
from tests.journey.feed_fixtures import STOCKHOLM_ANSWERS, Concepts, common_ad_skills
from tests.journey.helpers import flat, section_post

pytestmark = pytest.mark.django_db


def _latest(client: ClientProfile) -> FeedSnapshot:
    snapshot = FeedSnapshot.objects.filter(client=client).order_by("-computed_at", "-id").first()
    assert snapshot is not None
    return snapshot


def test_adding_a_skill_in_step2_changes_the_feed_and_says_why(
    developer: ClientProfile,
    karin_browser: Client,
    concepts: Concepts,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client_downstream_refresh_run(client=developer)  # steps 3 and 5 as they stand now
    before = _latest(developer)
    held = set(developer.competence_profiles.order_by("-revision").first().skill_ids)  # type: ignore[union-attr]
    skill_id = next(s for s, _ in common_ad_skills() if s not in held)
    label = concepts.view.skill_label[skill_id]
    with django_capture_on_commit_callbacks(execute=True):
        response = karin_browser.post(
            "/resa/kompetens/kompetenser/", {"skill_text": label, "skill_id": skill_id}
        )
    assert response.status_code == 302
    after = _latest(developer)
    assert after.pk != before.pk and after.reason == "refresh"
    new_ads = [a for a in after.ad_ids if a not in set(before.ad_ids)]
    assert new_ads, "a skill that many ads ask for brings new jobs into the feed"
    n = len(new_ads)
    expected = f"{n} {'ny träff' if n == 1 else 'nya träffar'} sedan du lade till {label}."
    change = JourneyChange.objects.get(client=developer, step="feed", message_sv=expected)
    assert change.url == "/resa/jobb/"
    # The client sees it on Min resa, and the new jobs are marked new in the feed.
    assert expected in karin_browser.get("/resa/").content.decode()
    html = karin_browser.get("/resa/jobb/").content.decode()
    assert f"{n} {'ny träff' if n == 1 else 'nya träffar'} sedan igår" in html
    # Running the refresh again finds nothing new to say.
    assert client_downstream_refresh_run(client=developer) == []


def test_changing_places_in_step1_changes_demand_and_feed(
    developer: ClientProfile,
    karin_browser: Client,
    concepts: Concepts,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client_downstream_refresh_run(client=developer)
    plan_before = MarketPlan.objects.filter(client=developer).order_by("-revision").first()
    feed_before = _latest(developer)
    assert plan_before is not None
    assert plan_before.regions == [concepts.region("Stockholms län")]
    from journey.models import QuestionnaireResponse

    response = QuestionnaireResponse.objects.filter(client=developer).order_by("-id").first()
    assert response is not None
    answers = {**STOCKHOLM_ANSWERS, "places": [], "places-add": ["Göteborg"]}
    with django_capture_on_commit_callbacks(execute=True):
        result = karin_browser.post(
            "/resa/nulage/del/constraints/", flat(section_post(response, "constraints", answers))
        )
    assert result.status_code == 302
    # Step 3: demand is now counted in Västra Götaland.
    plan = MarketPlan.objects.filter(client=developer).order_by("-revision").first()
    assert plan is not None and plan.revision > plan_before.revision
    assert plan.regions == [concepts.region("Västra Götalands län")]
    developer_group = concepts.view.occupation_group[
        concepts.occupation("Systemutvecklare/Programmerare")
    ]
    before_dev = next(s for s in plan_before.suggestions if s["group_id"] == developer_group)
    after_dev = next(s for s in plan.suggestions if s["group_id"] == developer_group)
    assert after_dev["demand"]["active_ads"] < before_dev["demand"]["active_ads"], (
        "the real ads are in Stockholm: fewer open jobs in the new region"
    )
    assert after_dev["demand"]["ads_2024"] != before_dev["demand"]["ads_2024"]
    assert JourneyChange.objects.filter(
        client=developer, step="market", message_sv__contains="Västra Götalands län"
    ).exists()
    # Step 5: the feed is ranked for Göteborg now.
    feed = _latest(developer)
    assert feed.pk != feed_before.pk
    assert feed.profile["municipalities"] == [concepts.municipality("Göteborg")]
    reasons = [r["sv"] for item in feed.items[:20] for r in item["reasons"]]
    assert "I Stockholm" not in reasons
    assert any(r["sv"] == "I Stockholm" for i in feed_before.items[:20] for r in i["reasons"])
    assert JourneyChange.objects.filter(
        client=developer,
        step="feed",
        message_sv__contains="du ändrade var du vill arbeta (Göteborg)",
    ).exists()
    # Step 3's form now shows Göteborg, never asking again.
    html = karin_browser.get("/resa/arbetsmarknad/").content.decode()
    assert f'value="{concepts.municipality("Göteborg")}"' in html


def test_places_chosen_in_step3_are_kept_when_step1_changes(
    developer: ClientProfile,
    karin_browser: Client,
    concepts: Concepts,
    django_capture_on_commit_callbacks: Any,
) -> None:
    uppsala = concepts.municipality("Uppsala")
    with django_capture_on_commit_callbacks(execute=True):
        karin_browser.post("/resa/arbetsmarknad/", {"place": [uppsala], "remote": "hybrid"})
    from journey.models import QuestionnaireResponse

    response = QuestionnaireResponse.objects.filter(client=developer).order_by("-id").first()
    answers = {**STOCKHOLM_ANSWERS, "places": [], "places-add": ["Göteborg"]}
    with django_capture_on_commit_callbacks(execute=True):
        karin_browser.post(
            "/resa/nulage/del/constraints/",
            flat(section_post(response, "constraints", answers)),  # type: ignore[arg-type]
        )
    search = SearchProfile.objects.filter(client=developer).order_by("-revision").first()
    assert search is not None and search.municipality_ids == [uppsala]
    assert _latest(developer).profile["municipalities"] == [uppsala]


def test_step3_follows_step1_until_the_client_chooses_other_places(
    developer: ClientProfile,
    karin_browser: Client,
    concepts: Concepts,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stockholm = concepts.municipality("Stockholm")
    target = concepts.occupation("Systemutvecklare/Programmerare")
    with django_capture_on_commit_callbacks(execute=True):
        karin_browser.post(
            "/resa/arbetsmarknad/",
            {"target": [target], "place": [stockholm], "max_commute_minutes": "45",
             "remote": "hybrid"},
        )  # fmt: skip
    from journey.models import QuestionnaireResponse

    response = QuestionnaireResponse.objects.filter(client=developer).order_by("-id").first()
    answers = {**STOCKHOLM_ANSWERS, "places": [], "places-add": ["Göteborg"]}
    with django_capture_on_commit_callbacks(execute=True):
        karin_browser.post(
            "/resa/nulage/del/constraints/",
            flat(section_post(response, "constraints", answers)),  # type: ignore[arg-type]
        )
    search = SearchProfile.objects.filter(client=developer).order_by("-revision").first()
    assert search is not None and search.revision == 2
    assert search.municipality_ids == [concepts.municipality("Göteborg")]
    assert search.target_occupation_ids == [target], "the targets stay"
