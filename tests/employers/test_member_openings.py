"""Openings a member company publishes onward: they become job ads in every client's feed,
marked as from a member company, through the jobs pipeline, and leave the feeds when closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import translation

from employers import services
from employers.models import Opening, OpeningAudience
from journey.matchprofile import ad_index_clear
from tests.journey.feed_fixtures import Concepts
from vagval.accounts.models import User
from vagval.jobs.models import JobAd, Source
from vagval.jobs.selectors import ads_active

CONTROLLER = "GrZU_ofe_QAx"
REDOVISNING, BOKSLUT = "FYk9_RXp_7c5", "Lq2i_vZo_BEx"
VASTERAS = "8deT_FRF_2SP"
DESCRIPTION = (
    "Vi söker en controller till ekonomiavdelningen i Västerås. Du arbetar med budget, "
    "prognoser, bokslut och redovisning tillsammans med verksamheten."
)


def _member_ad(opening: Opening) -> JobAd | None:
    return JobAd.objects.filter(
        source=Source.MEMBER_COMPANY, source_id=services.opening_feed_ref(opening.pk)
    ).first()


def test_hr_publishes_a_network_opening_to_the_feed_and_closing_takes_it_out(
    taxonomy_loaded: str, hr_a: User, hr_a_browser: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_a_browser.post(
            "/foretag/tjanster/ny/",
            {"title": "Controller", "occupation": "Controller",
             "skills": "Redovisning, Bokslut", "description": DESCRIPTION,
             "audience": OpeningAudience.NETWORK, "closes_on": "2099-06-30",
             "apply_url": "jobb.alfa.example/controller"},
        )  # fmt: skip
    assert response.status_code == 302
    opening = Opening.objects.get(organisation=hr_a.organisation, title="Controller")
    ad = _member_ad(opening)
    assert ad is not None and opening.refresh_from_db() is None
    assert opening.feed_ad_id == str(ad.pk)
    assert ad.employer_name == hr_a.organisation.name
    assert ad.employer_org_number == hr_a.organisation.org_number
    assert ad.occupation_concept_id == CONTROLLER and CONTROLLER in ad.occupation_ids
    assert {REDOVISNING, BOKSLUT} <= set(ad.skill_ids)
    assert ad.apply_url == "https://jobb.alfa.example/controller"
    assert ad.application_deadline is not None and ad.application_deadline.date() == dt.date(
        2099, 6, 30
    )
    assert ads_active().filter(pk=ad.pk).exists()
    page = hr_a_browser.get(f"/foretag/tjanster/{opening.pk}/").content.decode()
    assert "Visas i flödet av lediga jobb hos andra medlemsföretags medarbetare" in page
    with django_capture_on_commit_callbacks(execute=True):
        hr_a_browser.post(f"/foretag/tjanster/{opening.pk}/", {"action": "close"})
    ad.refresh_from_db()
    assert not ad.is_active and ad.removed_at is not None
    assert not ads_active().filter(pk=ad.pk).exists()
    opening.refresh_from_db()
    assert opening.feed_ad_id == "" and not opening.is_open


def test_an_internal_opening_is_published_onward_later_and_can_be_taken_back(
    taxonomy_loaded: str, hr_a: User, hr_a_browser: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        opening = services.opening_create(
            organisation=hr_a.organisation, actor=hr_a, title="Redovisningsekonom",
            description=DESCRIPTION, municipality_id=VASTERAS, skill_ids=[REDOVISNING],
        )  # fmt: skip
    assert _member_ad(opening) is None, "internal openings stay out of other clients' feeds"
    page = hr_a_browser.get(f"/foretag/tjanster/{opening.pk}/").content.decode()
    assert "Visa även för andra medlemsföretags medarbetare" in page
    with django_capture_on_commit_callbacks(execute=True):
        hr_a_browser.post(f"/foretag/tjanster/{opening.pk}/", {"action": "network"})
    ad = _member_ad(opening)
    assert ad is not None and ads_active().filter(pk=ad.pk).exists()
    assert ad.municipality_concept_id == VASTERAS
    with django_capture_on_commit_callbacks(execute=True):
        hr_a_browser.post(f"/foretag/tjanster/{opening.pk}/", {"action": "internal"})
    opening.refresh_from_db()
    assert opening.audience == OpeningAudience.INTERNAL and opening.is_open
    assert not ads_active().filter(pk=ad.pk).exists()
    # And onward again: the same ad comes back.
    with django_capture_on_commit_callbacks(execute=True):
        hr_a_browser.post(f"/foretag/tjanster/{opening.pk}/", {"action": "network"})
    assert ads_active().filter(pk=ad.pk).exists()


def test_a_network_opening_needs_a_description_to_become_an_ad(
    taxonomy_loaded: str, hr_a: User, hr_a_browser: Client
) -> None:
    response = hr_a_browser.post(
        "/foretag/tjanster/ny/", {"title": "Controller", "audience": OpeningAudience.NETWORK}
    )
    assert response.status_code == 200
    assert "den blir annonsen i andra medlemsföretags" in response.content.decode()
    assert not Opening.objects.filter(organisation=hr_a.organisation).exists()
    opening = services.opening_create(organisation=hr_a.organisation, actor=hr_a, title="Kort")
    response = hr_a_browser.post(
        f"/foretag/tjanster/{opening.pk}/", {"action": "network"}, follow=True
    )
    assert "behöver en beskrivning" in response.content.decode()
    opening.refresh_from_db()
    assert opening.audience == OpeningAudience.INTERNAL


def test_feed_sync_is_idempotent_and_follows_the_opening_as_it_is_now(
    taxonomy_loaded: str, hr_a: User
) -> None:
    opening = services.opening_create(
        organisation=hr_a.organisation, actor=hr_a, title="Controller", description=DESCRIPTION,
        audience=OpeningAudience.NETWORK,
    )  # fmt: skip
    assert services.opening_feed_sync(opening_id=opening.pk) is True
    first = _member_ad(opening)
    assert services.opening_feed_sync(opening_id=opening.pk) is True
    again = _member_ad(opening)
    assert first is not None and again is not None
    assert (again.pk, again.updated_at) == (first.pk, first.updated_at), "nothing rewritten"
    # A company whose membership has ended publishes nothing.
    organisation = hr_a.organisation
    assert organisation is not None
    organisation.membership = organisation.Membership.ENDED
    organisation.save()
    assert services.opening_feed_sync(opening_id=opening.pk) is False
    assert not ads_active().filter(pk=first.pk).exists()
    assert services.opening_feed_sync(opening_id=999_999) is False


# ---- end to end: from HR's form to a client's feed ---------------------------------------------


def _feed_card(html: str, ad_id: int) -> str:
    start = html.index(f'id="annons-{ad_id}"')
    return html[start : html.index("</li>\n", html.index('class="card-actions"', start))]


def test_a_client_who_fits_sees_the_opening_in_their_feed_marked_as_from_a_member_company(
    developer: Any,
    karin_browser: Client,
    concepts: Concepts,
    hr_a: User,
    hr_a_browser: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Karin (a systems developer in Stockholm, Java and SQL, another company's client) opens
    her feed; HR at Alfa publishes a developer opening onward; it is in her feed, marked; HR
    closes it; it is gone."""
    assert karin_browser.get("/resa/jobb/").status_code == 200  # her feed before: computed
    site = services.site_create(
        organisation=hr_a.organisation, actor=hr_a, name="Stockholm, kontoret",
        municipality_id=concepts.municipality("Stockholm"),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        hr_a_browser.post(
            "/foretag/tjanster/ny/",
            {"title": "Systemutvecklare Java", "occupation": "Systemutvecklare/Programmerare",
             "skills": "Java, programmeringsspråk, SQL, frågespråk",
             "description": "Alfa söker en systemutvecklare i Stockholm som bygger våra "
                            "tjänster i Java och arbetar med databaser i SQL.",
             "audience": OpeningAudience.NETWORK, "site": str(site.pk)},
        )  # fmt: skip
    opening = Opening.objects.get(organisation=hr_a.organisation)
    ad = _member_ad(opening)
    assert ad is not None
    ad_index_clear()  # the index is rebuilt within 30 s of a change; the test does not wait
    html = karin_browser.get("/resa/jobb/").content.decode()
    assert f'id="annons-{ad.pk}"' in html, "a fitting member-company job is on her first page"
    card = _feed_card(html, ad.pk)
    assert "Från ett medlemsföretag i Vägval" in card and "Systemutvecklare Java" in card
    assert hr_a.organisation is not None and hr_a.organisation.name in card
    others = [c for c in html.split('<li class="feed-card"')[1:] if f"annons-{ad.pk}" not in c]
    assert others and not any("Från ett medlemsföretag" in c for c in others)
    detail = karin_browser.get(f"/resa/jobb/annons/{ad.pk}/").content.decode()
    assert "Från ett medlemsföretag i Vägval" in detail and "databaser i SQL" in detail
    # In English (the request activates it for this thread; the override puts Swedish back).
    with translation.override("sv"):
        karin_browser.post("/sprak/", {"language": "en", "next": "/resa/jobb/"})
        english = _feed_card(karin_browser.get("/resa/jobb/").content.decode(), ad.pk)
        karin_browser.post("/sprak/", {"language": "sv", "next": "/resa/jobb/"})
    assert "From a Vägval member company" in english
    # HR closes the opening: it leaves her feed.
    with django_capture_on_commit_callbacks(execute=True):
        hr_a_browser.post(f"/foretag/tjanster/{opening.pk}/", {"action": "close"})
    ad_index_clear()
    assert f'id="annons-{ad.pk}"' not in karin_browser.get("/resa/jobb/").content.decode()
