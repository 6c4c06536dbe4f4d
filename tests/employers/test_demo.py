"""The demo: the demo HR user has a notice with enrolled people (some accepted), groups big
enough to show, a competence map and an internal opening with consenting matches."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from employers import demo as employers_demo
from employers import selectors
from employers.models import Case, Enrolment, MatchDecision, Opening, OpeningMatch
from vagval.accounts import demo as accounts_demo
from vagval.accounts.models import User
from vagval.consent.models import ConsentPurpose
from vagval.consent.selectors import consent_is_granted
from vagval.jobs.selectors import ads_active
from vagval.web.demoloader import demo_password


@pytest.mark.django_db
def test_demo_loads_twice_and_shows_unsuppressed_groups(taxonomy_loaded: str) -> None:
    out = io.StringIO()
    accounts_demo.load_demo_data(stdout=out)
    employers_demo.load_demo_data(stdout=out)
    counts = (Case.objects.count(), Enrolment.objects.count(), OpeningMatch.objects.count())
    employers_demo.load_demo_data(stdout=out)
    assert (Case.objects.count(), Enrolment.objects.count(), OpeningMatch.objects.count()) == counts

    hr = User.objects.get(email=accounts_demo.DEMO_HR_EMAIL)
    org = hr.organisation
    notice = Case.objects.get(organisation=org, title=employers_demo.NOTICE_TITLE)
    assert notice.enrolments.count() == 25  # 24 synthetic + the demo client
    assert notice.enrolments.filter(status="accepted").count() == 19

    dashboard = selectors.progress_dashboard(organisation=org)
    # Every non-zero stage group of the whole company is shown.
    shown = [v for v in dashboard.total.stages if v.value]
    assert shown and all(not v.hidden for v in dashboard.total.stages)
    assert dashboard.total.counted.value is not None and dashboard.total.counted.value >= 28

    cmap = selectors.competence_map(organisation=org)
    assert cmap.people.value == 12
    assert {u.label for u in cmap.units} == {"Ekonomi", "IT"}
    assert all(not s.people.hidden for s in cmap.skills)

    matches = OpeningMatch.objects.filter(opening__organisation=org)
    assert matches.filter(decision=MatchDecision.SHOWN).count() >= 1

    browser = Client()
    browser.force_login(hr)
    for url in ("/foretag/", "/foretag/statistik/", "/foretag/kompetenskarta/",
                "/foretag/tjanster/"):  # fmt: skip
        assert browser.get(url).status_code == 200
    assert "Redovisning" in browser.get("/foretag/kompetenskarta/").content.decode()
    assert "varsel med 24 anmälda, 18 har tackat ja" in out.getvalue()


@pytest.mark.django_db
def test_done_when_the_demo_hr_user_walks_through_the_portal(
    taxonomy_loaded: str, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 7's "done when", as the demo HR user: creates a notice, uploads a list (the
    example list the upload page offers), sees invitations accepted, follows suppressed
    aggregates, and sees the consenting matches of the internal opening; the opening published
    onward is an ad in every client's feed."""
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        accounts_demo.load_demo_data(stdout=out)
        employers_demo.load_demo_data(stdout=out)
    hr = User.objects.get(email=accounts_demo.DEMO_HR_EMAIL)
    assert hr.check_password(demo_password())
    browser = Client()
    browser.force_login(hr)
    # A new notice through the form.
    today = timezone.localdate()
    response = browser.post(
        "/foretag/arenden/nytt/",
        {"kind": "notice", "title": "Varsel lagret", "reason": "Lagret flyttar.",
         "number_affected": "8", "notice_date": today.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(organisation=hr.organisation, title="Varsel lagret")
    # The example list from the upload page: checked, previewed, imported, invited.
    upload_page = browser.get(f"/foretag/arenden/{case.pk}/lista/").content.decode()
    assert "employers/exempellista.csv" in upload_page
    example = (
        Path(employers_demo.__file__).parent / "static/employers/exempellista.csv"
    ).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            f"/foretag/arenden/{case.pk}/lista/",
            {"file": SimpleUploadedFile("exempellista.csv", example)},
        )
    job_url = response["Location"]
    assert "8 rader lästes, 8 är klara att läsas in." in browser.get(job_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(job_url)
    assert Enrolment.objects.filter(case=case).count() == 8
    assert len(mail.outbox) >= 8
    # Invitations accepted, on the demo notice.
    notice = Case.objects.get(organisation=hr.organisation, title=employers_demo.NOTICE_TITLE)
    page = browser.get(f"/foretag/arenden/{notice.pk}/").content.decode()
    assert "Har tackat ja" in page
    # Aggregates: the demo's groups are big enough to show (suppression has its own tests).
    stats = browser.get("/foretag/statistik/").content.decode()
    assert employers_demo.NOTICE_TITLE in stats and "Varsel lagret" in stats
    dashboard = selectors.progress_dashboard(organisation=hr.organisation)
    assert dashboard.total.counted.value is not None and dashboard.total.counted.value >= 28
    # The internal opening with consenting matches, named on its page.
    internal = Opening.objects.get(organisation=hr.organisation, title=employers_demo.OPENING_TITLE)
    shown = OpeningMatch.objects.filter(opening=internal, decision=MatchDecision.SHOWN)
    assert shown.count() >= 1
    page = browser.get(f"/foretag/tjanster/{internal.pk}/").content.decode()
    for match in shown:
        assert consent_is_granted(user=match.client, purpose=ConsentPurpose.INTERNAL_MOBILITY)
        assert match.client.email in page
    # The opening published onward is a member-company ad in the feeds.
    network = Opening.objects.get(
        organisation=hr.organisation, title=employers_demo.NETWORK_OPENING_TITLE
    )
    assert network.feed_ad_id
    assert ads_active().filter(pk=int(network.feed_ad_id), source="member-company").exists()
    assert (
        "Visas i flödet av lediga jobb"
        in browser.get(f"/foretag/tjanster/{network.pk}/").content.decode()
    )
    # Loading again changes nothing.
    counts = (Opening.objects.count(), Enrolment.objects.count())
    employers_demo.load_demo_data(stdout=out)
    assert (Opening.objects.count(), Enrolment.objects.count()) == counts
