"""The demo: the demo HR user has a notice with enrolled people (some accepted), groups big
enough to show, a competence map and an internal opening with consenting matches."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from employers import demo as employers_demo
from employers import selectors
from employers.models import Case, Enrolment, MatchDecision, OpeningMatch
from vagval.accounts import demo as accounts_demo
from vagval.accounts.models import User


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
