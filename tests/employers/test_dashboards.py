"""Aggregated progress and the competence map: who counts, what is suppressed, and the SQL
budget of the dashboards (15 queries at most, whatever the number of people)."""

from __future__ import annotations

import pytest
from django.test import Client

from employers import selectors, services
from employers.models import Case, CaseKind, Opening
from vagval.accounts.models import User

from .conftest import browser_for, enrol_accepted, give_skills, set_stage

EXCEL, SQL, PYTHON, REDOVISNING = "5wab_aFK_gdL", "Xnmr_kYS_YKY", "qfkh_ZRK_w4W", "FYk9_RXp_7c5"


@pytest.fixture
def busy_case(notice_case: Case) -> Case:
    """12 accepted with statistics consent: 6 mapping, 3 planning, 3 not started; 2 without
    consent (never counted); 1 still invited."""
    stages = ["competence"] * 6 + ["market"] * 3 + ["not_started"] * 3
    for n, stage in enumerate(stages):
        _e, user = enrol_accepted(notice_case, n)
        set_stage(user, stage)
    for n in (20, 21):
        _e, user = enrol_accepted(notice_case, n, statistics=False)
        set_stage(user, "feed")
    notice_case.enrolments.create(email="inbjuden@example.se", first_name="I", last_name="J")
    return notice_case


def test_only_consenting_people_count_and_small_groups_are_hidden(busy_case: Case) -> None:
    dashboard = selectors.progress_dashboard(organisation=busy_case.organisation)
    row = dashboard.row_for(busy_case.pk)
    assert (row.enrolled, row.accepted, row.counted.value) == (15, 14, 12)
    stages = dict(zip([k for k, _l in dashboard.stage_columns], row.stages, strict=True))
    assert stages["mapping"].value == 6
    assert stages["planning"].hidden and stages["not_started"].hidden  # 3 and 3
    assert stages["searching"].value == 0  # the two "feed" clients did not consent
    assert stages["finished"].value == 0


def test_complementary_suppression_across_cases(busy_case: Case, hr_a: User) -> None:
    """A second case with one small group: its cells cannot be derived from the totals."""
    other = services.case_create(
        organisation=busy_case.organisation, actor=hr_a, kind=CaseKind.PROACTIVE, title="Kart"
    )
    for n in range(7):
        _e, user = enrol_accepted(other, 100 + n)
        set_stage(user, "competence" if n < 5 else "market")
    d = selectors.progress_dashboard(organisation=busy_case.organisation)
    keys = [k for k, _l in d.stage_columns]
    i = keys.index("planning")
    # 3 + 2 in planning: both case cells hidden; the column total (5) may be shown, but then
    # each case's planning cell still has a second hidden cell in its row.
    for row in d.rows:
        hidden = [s for s in row.stages if s.hidden]
        assert len(hidden) != 1
        assert row.stages[i].hidden
    total_hidden = [s for s in d.total.stages if s.hidden]
    assert len(total_hidden) != 1


def test_stats_page_shows_the_table_chart_and_budget(
    busy_case: Case, hr_a_browser: Client, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(15):
        response = hr_a_browser.get("/foretag/statistik/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="bar-chart"' in page and "<caption" in page
    assert "Kartlägger nuläge och kompetenser" in page
    assert 'title="Dolt: färre än 5' in page
    csv = hr_a_browser.get("/foretag/statistik.csv").content.decode("utf-8-sig")
    assert "Varsel lager 2026;15;14;12" in csv


def test_case_page_query_budget_does_not_grow_with_people(
    busy_case: Case, hr_a_browser: Client, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(15):
        response = hr_a_browser.get(f"/foretag/arenden/{busy_case.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Har tackat ja" in page and "Inbjuden" in page
    for n in range(30, 45):
        enrol_accepted(busy_case, n)
    with django_assert_max_num_queries(15):
        assert hr_a_browser.get(f"/foretag/arenden/{busy_case.pk}/").status_code == 200


def test_competence_map_by_unit_with_suppression_and_budget(
    taxonomy_loaded: str, hr_a: User, django_assert_max_num_queries
) -> None:
    case = services.case_create(
        organisation=hr_a.organisation, actor=hr_a, kind=CaseKind.PROACTIVE, title="Kartläggning"
    )
    # Ekonomi: 6 people, all with Excel and Redovisning, 2 with SQL. IT: 5 with Excel, SQL,
    # Python. Lager: 2 people (merged into "other units", then hidden as too small).
    for n in range(6):
        _e, u = enrol_accepted(case, n, unit="Ekonomi")
        give_skills(u, [EXCEL, REDOVISNING] + ([SQL] if n < 2 else []))
    for n in range(10, 15):
        _e, u = enrol_accepted(case, n, unit="IT")
        give_skills(u, [EXCEL, SQL, PYTHON])
    for n in range(20, 22):
        _e, u = enrol_accepted(case, n, unit="Lager")
        give_skills(u, [EXCEL])
    _e, u = enrol_accepted(case, 30, unit="IT", statistics=False)
    give_skills(u, [PYTHON])
    Opening.objects.create(organisation=hr_a.organisation, title="Dev", skill_ids=[SQL, "XYZ"])
    data = selectors.competence_map(organisation=hr_a.organisation)
    assert data.people.value == 13
    labels = {u.key: u for u in data.units}
    assert set(labels) == {"Ekonomi", "IT", "__other__"}
    assert labels["__other__"].people.hidden
    skills = {s.skill_id: s for s in data.skills}
    assert skills[EXCEL].people.value == 13
    assert skills[SQL].people.value == 7 and skills[SQL].in_openings == 1
    assert skills[PYTHON].people.value == 5  # the non-consenting sixth is not counted
    col = list(skills).index(SQL)
    assert labels["Ekonomi"].cells[col].hidden  # 2 people
    assert labels["IT"].cells[col].hidden  # 5, but 7 - 2 would give it away... and vice versa
    browser = browser_for(hr_a)
    with django_assert_max_num_queries(15):
        response = browser.get("/foretag/kompetenskarta/")
    page = response.content.decode()
    assert "SQL, frågespråk" in page and "Övriga enheter" in page
    csv = browser.get("/foretag/kompetenskarta.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Enhet;Kartlagda;MS Excel")


def test_the_portal_speaks_english_when_chosen(busy_case: Case, hr_a_browser: Client) -> None:
    from django.conf import settings

    hr_a_browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = hr_a_browser.get("/foretag/statistik/").content.decode()
    assert "By case and in total" in page and "Mapping situation and competences" in page
    assert "Per ärende och totalt" not in page
