"""Step 5: remote work on the feed. Each card says "Helt på distans" or "Delvis distans" when the
ad does (read from the real ads' texts at ingestion), and the "Distans" filter keeps either
every remote-friendly job or fully remote ones only."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from journey.models import ClientProfile
from vagval.jobs.selectors import ads_active

pytestmark = pytest.mark.django_db


def _cards(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="feed-card" id="annons-(\d+)">', html)]


def _card_html(html: str, ad_id: int) -> str:
    start = html.index(f'id="annons-{ad_id}"')
    return html[start : html.index('class="card-actions"', start)]


def _total(html: str) -> int:
    match = re.search(r"(\d+) jobb matchar dig", html)
    assert match, "the page says how many jobs match"
    return int(match.group(1))


def _remote_of(ids: list[int]) -> dict[int, str]:
    return dict(ads_active().filter(pk__in=ids).values_list("pk", "remote_work"))


def test_cards_say_fully_or_partly_remote_as_the_ad_does(
    developer: ClientProfile, karin_browser: Client
) -> None:
    pages = [karin_browser.get(f"/resa/jobb/?sida={n}").content.decode() for n in (1, 2, 3)]
    seen: dict[str, int] = {"full": 0, "hybrid": 0, "": 0}
    for html in pages:
        ids = _cards(html)
        remote = _remote_of(ids)
        for ad_id in ids:
            card = _card_html(html, ad_id)
            seen[remote[ad_id]] += 1
            assert ("Helt på distans" in card) == (remote[ad_id] == "full")
            assert ("Delvis distans" in card) == (remote[ad_id] == "hybrid")
    assert seen["hybrid"] and seen[""], "the real Stockholm IT ads mix hybrid and on-site jobs"


def test_distans_filter_keeps_remote_friendly_jobs_or_fully_remote_ones(
    developer: ClientProfile, karin_browser: Client
) -> None:
    everything = _total(karin_browser.get("/resa/jobb/").content.decode())
    html = karin_browser.get("/resa/jobb/?distans=1").content.decode()
    ids = _cards(html)
    assert ids and 0 < _total(html) < everything
    assert set(_remote_of(ids).values()) <= {"full", "hybrid"}
    assert '<option value="1" selected>Helt eller delvis på distans</option>' in html
    if _total(html) > 20:
        assert "distans=1&amp;sida=2" in html, "the pager keeps the filter"
    partly = _total(html)
    html = karin_browser.get("/resa/jobb/?distans=helt").content.decode()
    ids = _cards(html)
    assert set(_remote_of(ids).values()) <= {"full"}
    assert all("Helt på distans" in _card_html(html, i) for i in ids)
    fully = _total(html) if ids else 0
    assert fully < partly
    assert fully <= ads_active().filter(remote_work="full").count()
    # A tampered value is ignored rather than failing the page.
    assert _total(karin_browser.get("/resa/jobb/?distans=x").content.decode()) == everything
