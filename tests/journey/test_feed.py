"""Step 5, the job feed: ranked cards with reasons and every source, filters, save / hide /
applied, the application tracker, an ad that expired between feed and click, alert digests
with a one-click unsubscribe, the nightly chunked computation, and the page's query budget.

Everything runs on the 790 real Platsbanken ads ingested by the real `ingest` command."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from journey.models import (
    AlertFrequency,
    Application,
    ApplicationStatus,
    ClientProfile,
    FeedSettings,
    FeedSnapshot,
    HiddenAd,
)
from journey.services.feed import (
    FEED_SIZE,
    feed_alert_send,
    feed_snapshot_compute,
    unsubscribe_token,
)
from journey.tasks_feed import feeds_nightly
from tests.accounts.factories import UserFactory
from tests.journey.feed_fixtures import Concepts
from vagval.accounts.models import User
from vagval.jobs.selectors import ad_get, ads_active

pytestmark = pytest.mark.django_db


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="feed-card" id="annons-(\d+)">', html)


def _card_html(html: str, ad_id: int | str) -> str:
    start = html.index(f'id="annons-{ad_id}"')
    return html[start : html.index("</li>\n", html.index('class="card-actions"', start))]


def test_feed_is_ranked_with_reasons_and_one_card_per_job(
    developer: ClientProfile, karin_browser: Client
) -> None:
    html = karin_browser.get("/resa/jobb/").content.decode()
    ids = _cards(html)
    assert len(ids) == 20, "a full first page of the 697 open jobs"
    snapshot = FeedSnapshot.objects.get(client=developer)
    assert [str(i) for i in snapshot.ad_ids[:20]] == ids, "the page follows the ranking"
    scores = [item["score"] for item in snapshot.items]
    assert scores == sorted(scores, reverse=True)
    first = _card_html(html, ids[0])
    assert "I Stockholm" in first or "Inom pendlingsavstånd" in first
    assert re.search(r"Matchar \d+ av dina kompetenser|yrke", first)
    # One card per job: every card is the canonical ad of a different cluster.
    clusters = [ad_get(ad_id=int(i)).cluster_id for i in ids]  # type: ignore[union-attr]
    assert len(set(clusters)) == len(clusters)


def test_a_job_published_in_two_places_shows_both_links(
    developer: ClientProfile, karin_browser: Client
) -> None:
    from vagval.jobs.selectors import cluster_sources, clusters_with_duplicates

    duplicated = {cid for cid, _ in clusters_with_duplicates()}
    html = karin_browser.get("/resa/jobb/").content.decode()
    pages = [html] + [
        karin_browser.get(f"/resa/jobb/?sida={n}").content.decode() for n in range(2, 6)
    ]
    found = None
    for page in pages:
        for ad_id in _cards(page):
            ad = ad_get(ad_id=int(ad_id))
            if ad is not None and ad.cluster_id in duplicated:
                found = (page, ad)
                break
        if found:
            break
    assert found is not None, "the real ads hold jobs published more than once"
    page, ad = found
    card = _card_html(page, ad.pk)
    assert ad.cluster_id is not None
    links = {s["url"] for s in cluster_sources(cluster_id=ad.cluster_id) if s["url"]}
    assert len(links) >= 2
    for url in links:
        assert url.replace("&", "&amp;") in card
    assert "Publicerad på" in card


def test_feed_page_costs_at_most_ten_queries(
    developer: ClientProfile, karin_browser: Client, django_assert_max_num_queries: Any
) -> None:
    assert karin_browser.get("/resa/jobb/").status_code == 200  # first visit computes the feed
    with django_assert_max_num_queries(10):
        response = karin_browser.get("/resa/jobb/?sida=2")
    assert len(_cards(response.content.decode())) == 20


def test_filters_by_place_and_occupation(
    developer: ClientProfile, karin_browser: Client, concepts: Concepts
) -> None:
    solna = concepts.municipality("Solna")
    html = karin_browser.get(f"/resa/jobb/?ort={solna}").content.decode()
    ids = _cards(html)
    assert ids, "there are Solna ads among the real ones"
    for ad_id in ids:
        assert ad_get(ad_id=int(ad_id)).municipality_concept_id == solna  # type: ignore[union-attr]
    everything = karin_browser.get("/resa/jobb/").content.decode()
    total = int(re.search(r"(\d+) jobb matchar dig", everything).group(1))  # type: ignore[union-attr]
    filtered = int(re.search(r"(\d+) jobb matchar dig", html).group(1))  # type: ignore[union-attr]
    assert 0 < filtered < total
    group = concepts.view.occupation_group[concepts.occupation("Systemutvecklare/Programmerare")]
    html = karin_browser.get(f"/resa/jobb/?yrke={group}").content.decode()
    assert _cards(html)
    for ad_id in _cards(html):
        ad = ad_get(ad_id=int(ad_id))
        assert ad is not None
        occupation = ad.occupation_concept_id or ad.occupation_ids[0]  # the ad's main occupation
        assert concepts.view.occupation_group.get(occupation) == group
    # Only ads published in the last day: these ads carry no publication date, so none.
    assert _cards(karin_browser.get("/resa/jobb/?sedan=1").content.decode()) == []
    assert (
        "Inga jobb med de här filtren" in karin_browser.get("/resa/jobb/?sedan=1").content.decode()
    )


def test_save_applied_and_hide_from_the_feed(
    developer: ClientProfile, karin_browser: Client
) -> None:
    ids = [int(i) for i in _cards(karin_browser.get("/resa/jobb/").content.decode())]
    saved, applied, hidden = ids[0], ids[1], ids[2]
    response = karin_browser.post(f"/resa/jobb/annons/{saved}/save/", {"next": "/resa/jobb/"})
    assert response.status_code == 302 and response["Location"] == "/resa/jobb/"
    karin_browser.post(f"/resa/jobb/annons/{applied}/applied/")
    karin_browser.post(f"/resa/jobb/annons/{hidden}/hide/")
    application = Application.objects.get(client=developer, ad_id=saved)
    assert application.status == ApplicationStatus.INTERESTED
    assert application.headline == ad_get(ad_id=saved).headline  # type: ignore[union-attr]
    done = Application.objects.get(client=developer, ad_id=applied)
    assert done.status == ApplicationStatus.APPLIED
    assert done.applied_at == timezone.localdate()
    assert [h["status"] for h in done.history] == ["interested", "applied"]
    html = karin_browser.get("/resa/jobb/").content.decode()
    assert str(hidden) not in _cards(html), "a hidden ad is gone from the feed"
    assert HiddenAd.objects.filter(client=developer, ad_id=hidden).exists()
    assert "Sparad" in _card_html(html, saved)
    assert "Jag har sökt" not in _card_html(html, applied)
    # Un-hiding brings it back.
    karin_browser.post(f"/resa/jobb/annons/{hidden}/unhide/")
    assert str(hidden) in _cards(karin_browser.get("/resa/jobb/").content.decode())


def test_tracker_statuses_dates_and_notes(developer: ClientProfile, karin_browser: Client) -> None:
    ad_id = int(_cards(karin_browser.get("/resa/jobb/").content.decode())[0])
    karin_browser.post(f"/resa/jobb/annons/{ad_id}/save/")
    application = Application.objects.get(client=developer, ad_id=ad_id)
    url = f"/resa/jobb/ansokningar/{application.pk}/"
    karin_browser.post(
        url, {"status": "interview", "applied_at": "2026-01-05", "note": "Tisdag 10"}
    )
    application.refresh_from_db()
    assert application.status == "interview"
    assert application.applied_at == dt.date(2026, 1, 5)
    assert application.note == "Tisdag 10"
    page = karin_browser.get("/resa/jobb/ansokningar/").content.decode()
    assert application.headline in page and "Tisdag 10" in page and "Intervju" in page
    # Bad input is refused with a message and changes nothing.
    response = karin_browser.post(url, {"status": "hired!", "note": "x"}, follow=True)
    assert "Okänd status" in response.content.decode()
    response = karin_browser.post(url, {"status": "offer", "applied_at": "5/1"}, follow=True)
    assert "ÅÅÅÅ-MM-DD" in response.content.decode()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = karin_browser.post(url, {"status": "offer", "applied_at": future}, follow=True)
    assert "framtiden" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "interview" and application.note == "Tisdag 10"


def test_another_clients_application_cannot_be_touched(
    developer: ClientProfile, karin_browser: Client
) -> None:
    ad_id = int(_cards(karin_browser.get("/resa/jobb/").content.decode())[0])
    karin_browser.post(f"/resa/jobb/annons/{ad_id}/save/")
    application = Application.objects.get(client=developer, ad_id=ad_id)
    olle: User = UserFactory(role=User.Role.CLIENT, email="olle.feed@example.se")  # type: ignore[assignment]
    other = Client()
    other.force_login(olle)
    response = other.post(
        f"/resa/jobb/ansokningar/{application.pk}/", {"status": "withdrawn"}, follow=True
    )
    assert "Ansökan finns inte" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERESTED


def test_an_ad_that_expired_after_the_feed_says_so_and_keeps_the_tracker_entry(
    developer: ClientProfile, karin_browser: Client
) -> None:
    from vagval.jobs.services import ads_remove

    ad_id = int(_cards(karin_browser.get("/resa/jobb/").content.decode())[0])
    karin_browser.post(f"/resa/jobb/annons/{ad_id}/save/")
    ad = ad_get(ad_id=ad_id)
    assert ad is not None
    ads_remove(source=ad.source, source_ids=[ad.source_id])  # removed at the source meanwhile
    response = karin_browser.get(f"/resa/jobb/annons/{ad_id}/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "Annonsen har gått ut eller tagits bort" in html
    assert "Din sparade ansökan finns kvar" in html
    assert Application.objects.filter(client=developer, ad_id=ad_id).exists()
    tracker = karin_browser.get("/resa/jobb/ansokningar/").content.decode()
    assert ad.headline in tracker and "Annonsen har gått ut" in tracker
    # The tracker entry still works: the client can record that they applied.
    karin_browser.post(f"/resa/jobb/annons/{ad_id}/applied/")
    assert Application.objects.get(client=developer, ad_id=ad_id).status == "applied"


def test_saving_an_ad_that_is_gone_is_refused(
    developer: ClientProfile, karin_browser: Client
) -> None:
    from vagval.jobs.services import ads_remove

    ad_id = int(_cards(karin_browser.get("/resa/jobb/").content.decode())[3])
    ad = ad_get(ad_id=ad_id)
    ads_remove(source=ad.source, source_ids=[ad.source_id])  # type: ignore[union-attr]
    response = karin_browser.post(f"/resa/jobb/annons/{ad_id}/save/", follow=True)
    assert "Annonsen är inte längre öppen" in response.content.decode()
    assert not Application.objects.filter(client=developer, ad_id=ad_id).exists()


def _snapshot_with_new_items(client: ClientProfile) -> FeedSnapshot:
    """Compute the feed twice, the second time with one ad newly in it (as after a night)."""
    first = feed_snapshot_compute(client=client, reason="test").snapshot
    assert first is not None
    newcomer = first.items.pop(0)
    first.save(update_fields=["items"])
    second = feed_snapshot_compute(client=client, reason="test", force=True).snapshot
    assert second is not None
    fresh = [i for i in second.items if i["first_seen"]]
    assert [i["ad_id"] for i in fresh] == [newcomer["ad_id"]]
    return second


def test_daily_digest_with_list_unsubscribe_headers(
    developer: ClientProfile, karin_browser: Client
) -> None:
    karin_browser.post("/resa/jobb/bevakning/", {"frequency": "daily"})
    assert FeedSettings.objects.get(client=developer).alert_frequency == AlertFrequency.DAILY
    snapshot = _snapshot_with_new_items(developer)
    mail.outbox.clear()
    assert feed_alert_send(client_id=developer.pk) is True
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [developer.user.email]
    assert "1 nytt jobb för dig" in message.subject
    headline = ad_get(ad_id=snapshot.items[0]["ad_id"])
    assert headline is not None and headline.headline in message.body
    link = re.search(r"<(http[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)  # type: ignore[union-attr]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    assert link in message.alternatives[0][0]  # type: ignore[attr-defined]
    # Idempotent: the same day nothing more is sent.
    assert feed_alert_send(client_id=developer.pk) is False
    assert len(mail.outbox) == 1
    # One click, no login, no CSRF token (RFC 8058): the mail client POSTs the link.
    anonymous = Client(enforce_csrf_checks=True)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = anonymous.get(f"/{path}")
    assert page.status_code == 200 and "Ja, avsluta bevakningen" in page.content.decode()
    assert FeedSettings.objects.get(client=developer).alert_frequency == AlertFrequency.DAILY
    done = anonymous.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Klart" in done.content.decode()
    settings_ = FeedSettings.objects.get(client=developer)
    assert settings_.alert_frequency == AlertFrequency.OFF and settings_.unsubscribed_at


def test_a_tampered_unsubscribe_link_is_refused(developer: ClientProfile) -> None:
    FeedSettings.objects.create(client=developer, alert_frequency=AlertFrequency.WEEKLY)
    token = unsubscribe_token(client_id=developer.pk)
    response = Client().post(f"/resa/jobb/avsluta-bevakning/{token[:-3]}xyz/")
    assert response.status_code == 400
    assert "Länken fungerar inte" in response.content.decode()
    assert FeedSettings.objects.get(client=developer).alert_frequency == AlertFrequency.WEEKLY


def test_weekly_digest_waits_a_week(developer: ClientProfile) -> None:
    FeedSettings.objects.create(
        client=developer,
        alert_frequency=AlertFrequency.WEEKLY,
        last_alert_at=timezone.now() - dt.timedelta(days=3),
    )
    _snapshot_with_new_items(developer)
    mail.outbox.clear()
    assert feed_alert_send(client_id=developer.pk) is False
    assert feed_alert_send(client_id=developer.pk, now=timezone.now() + dt.timedelta(days=4))
    assert len(mail.outbox) == 1


def test_nightly_feeds_are_chunked_and_idempotent(
    developer: ClientProfile, django_capture_on_commit_callbacks: Any, concepts: Concepts
) -> None:
    from journey.services.client import client_profile_get_or_create
    from journey.services.competence import skill_add

    others = []
    for n in range(4):
        user = UserFactory(role=User.Role.CLIENT, email=f"natt{n}@example.se")
        client = client_profile_get_or_create(user=user)
        skill_add(client=client, skill_id=concepts.skill("SQL, frågespråk"))
        others.append(client)
    idle = client_profile_get_or_create(
        user=UserFactory(role=User.Role.CLIENT, email="inget@example.se")
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = feeds_nightly.delay(chunk_size=2).get()
    assert queued == 3, "five clients with something to match on, in chunks of two"
    assert len(callbacks) == 3
    for client in [developer, *others]:
        snapshot = FeedSnapshot.objects.get(client=client)
        assert snapshot.reason == "nightly" and 0 < len(snapshot.items) <= FEED_SIZE
    assert not FeedSnapshot.objects.filter(client=idle).exists()
    # Running the night again changes nothing: same inputs, same ads.
    with django_capture_on_commit_callbacks(execute=True):
        feeds_nightly.delay(chunk_size=2).get()
    assert FeedSnapshot.objects.filter(client__in=[developer, *others]).count() == 5


def test_batch_feed_equals_the_single_feed(developer: ClientProfile) -> None:
    from journey.services.feed import feed_snapshots_compute_many

    assert feed_snapshots_compute_many(client_ids=[developer.pk]) == 1
    batch = FeedSnapshot.objects.get(client=developer)
    single = feed_snapshot_compute(client=developer, reason="test", force=True).snapshot
    assert single is not None
    assert single.ad_ids == batch.ad_ids


def test_min_resa_shows_the_feed_step(
    developer: ClientProfile, karin_browser: Client, django_assert_max_num_queries: Any
) -> None:
    ids = _cards(karin_browser.get("/resa/jobb/").content.decode())
    karin_browser.post(f"/resa/jobb/annons/{ids[0]}/save/")
    karin_browser.get("/resa/")
    with django_assert_max_num_queries(10):  # all five steps, with steps 3 and 5 in it
        html = karin_browser.get("/resa/").content.decode()
    step = html[html.index('id="step-feed"') :]
    assert "jobb matchar dig" in step and "1 sparade" in step


def test_feed_without_anything_to_match_on_says_what_to_do(
    karin_browser: Client, karin_client: ClientProfile
) -> None:
    html = karin_browser.get("/resa/jobb/").content.decode()
    assert "Berätta vad du kan" in html
    assert not FeedSnapshot.objects.filter(client=karin_client).exists()
    assert ads_active().exists()
