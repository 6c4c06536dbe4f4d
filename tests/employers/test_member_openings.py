"""Openings a member company publishes onward: they become job ads in every client's feed,
marked as from a member company, through the jobs pipeline, and leave the feeds when closed."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from employers import services
from employers.models import Opening, OpeningAudience
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
