"""The demo content: loads, is idempotent, and gives a reader something to do."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from wagtail.models import Page

from cms.demo import load_demo_data
from cms.models import (
    ArticlePage,
    DebatePage,
    EventPage,
    EventRegistration,
    HomePage,
    ReaderSubmission,
    ReportPage,
)


def test_demo_loads_once_and_a_second_run_changes_nothing(db: Any) -> None:
    out = io.StringIO()
    load_demo_data(stdout=out)
    counts = (Page.objects.count(), ReaderSubmission.objects.count())
    revisions = sum(p.revisions.count() for p in Page.objects.all())
    logins = load_demo_data(stdout=io.StringIO())
    assert (Page.objects.count(), ReaderSubmission.objects.count()) == counts
    assert sum(p.revisions.count() for p in Page.objects.all()) == revisions
    assert isinstance(logins, list)

    assert HomePage.objects.live().count() == 2  # Swedish and English
    opening = DebatePage.objects.get(kind=DebatePage.Kind.OPENING, locale__language_code="sv")
    replies = DebatePage.objects.filter(thread_root=opening).values_list("kind", flat=True)
    assert sorted(replies) == ["replik", "slutreplik"]
    assert ReportPage.objects.live().get().document is not None
    assert EventPage.objects.live().count() == 2
    assert EventRegistration.objects.filter(status="waitlisted").exists()
    assert ArticlePage.objects.live().filter(locale__language_code="en").exists()
    assert ReaderSubmission.objects.filter(status="pending").count() == 1

    client = Client()
    for url in ("/", "/en/", opening.url, "/sok/?q=omställningsstudiestödet"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Gör omställningsstudiestödet enklare" in client.get("/").content.decode()
