"""The demo: the demo adviser's caseload, the demo client's booked meeting, a seminar."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisers import demo as advisers_demo
from advisers import selectors
from advisers.models import Meeting, Seminar
from journey import demo as journey_demo
from vagval.accounts import demo as accounts_demo
from vagval.accounts.demo import DEMO_ADVISER_EMAIL, DEMO_CLIENT_EMAIL
from vagval.accounts.models import User


def test_demo_adviser_sees_a_caseload_and_the_client_sees_the_meeting(
    step1_ready: None, django_capture_on_commit_callbacks: object
) -> None:
    out = io.StringIO()
    for loader in (accounts_demo, journey_demo, advisers_demo):
        loader.load_demo_data(stdout=out)
    adviser = User.objects.get(email=DEMO_ADVISER_EMAIL)
    client = User.objects.get(email=DEMO_CLIENT_EMAIL)
    caseload = selectors.caseload_get(adviser=adviser)
    names = [r.name for r in caseload.rows]
    assert caseload.total >= 21 and "Karin Lindqvist" in names
    karin = next(r for r in caseload.rows if r.name == "Karin Lindqvist")
    assert karin.shared and karin.next_meeting_at is not None
    assert sum(1 for r in caseload.rows if not r.shared) == 3
    # Each priority signal fires for the demo client built to show it, relative to now.
    rows = {r.name: r for r in caseload.rows}
    for code, name in advisers_demo.SIGNAL_EXAMPLES.items():
        assert code in rows[name].signal_codes, (code, name, rows[name].signal_codes)
    assert rows["Lars Pettersson"].last_activity_at is not None
    assert (timezone.now() - rows["Lars Pettersson"].last_activity_at).days >= 14
    assert "stalled" not in rows["Linnea Berglund"].signal_codes
    assert 0 <= (rows["Nadia Ali"].days_to_last_day or -1) <= selectors.DEADLINE_DAYS
    # A realistic mix, not every signal on every row: new, active clients show none of the
    # time-based ones, and several clients have no signal at all.
    assert not {"stalled", "cv_untouched"} & rows["Fatima Hassan"].signal_codes
    assert sum(1 for r in caseload.rows if "cv_untouched" in r.signal_codes) <= 5
    assert sum(1 for r in caseload.rows if not r.signals) >= 3
    assert len({r.stage for r in caseload.rows if r.shared}) >= 5
    assert Meeting.objects.filter(case__client=client, status="booked").count() == 1
    assert Seminar.objects.count() == 2
    assert selectors.slots_free(adviser=adviser)
    # The adviser opens the client; the client sees the meeting and the pushed lead.
    browser = Client()
    browser.force_login(adviser)
    page = browser.get(reverse("advisers:caseload") + "?signal=stalled").content.decode()
    assert "Lars Pettersson" in page and "Ingen aktivitet på länge" in page
    assert "Fatima Hassan" not in page
    assert (
        browser.get(reverse("advisers:client", kwargs={"client_id": client.pk})).status_code == 200
    )
    client_browser = Client()
    client_browser.force_login(client)
    home = client_browser.get(reverse("advisers:client_home")).content.decode()
    assert "Ahmed Berg" in home and "Från din rådgivare" in home
    # Idempotent: a second run changes nothing.
    before = (caseload.total, Meeting.objects.count(), Seminar.objects.count())
    advisers_demo.load_demo_data(stdout=out)
    after = selectors.caseload_get(adviser=adviser)
    assert (after.total, Meeting.objects.count(), Seminar.objects.count()) == before
