"""Internal mobility (double opt-in) and onward search across member companies."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from employers import selectors, services
from employers.models import CaseKind, MatchDecision, OpeningMatch
from tests.accounts.factories import OrganisationFactory, UserFactory
from vagval.accounts.models import User
from vagval.consent.models import ConsentPurpose
from vagval.consent.services import consent_grant

from .conftest import browser_for, enrol_accepted, give_skills

REDOVISNING, BOKSLUT, EKONOMISTYRNING, EXCEL = (
    "FYk9_RXp_7c5", "Lq2i_vZo_BEx", "awjU_C3D_XEJ", "5wab_aFK_gdL",
)  # fmt: skip
PYTHON, SQL = "qfkh_ZRK_w4W", "Xnmr_kYS_YKY"
CONTROLLER = "GrZU_ofe_QAx"


@pytest.fixture
def staff(taxonomy_loaded: str, hr_a: User):
    case = services.case_create(
        organisation=hr_a.organisation, actor=hr_a, kind=CaseKind.PROACTIVE, title="Före varsel"
    )
    _e, economist = enrol_accepted(case, 1, mobility=True)
    give_skills(economist, [REDOVISNING, BOKSLUT, EKONOMISTYRNING])
    _e, developer = enrol_accepted(case, 2, mobility=True)
    give_skills(developer, [PYTHON, SQL])
    _e, private = enrol_accepted(case, 3, mobility=False)  # did not ask for suggestions
    give_skills(private, [REDOVISNING, BOKSLUT, EKONOMISTYRNING])
    return economist, developer, private


def test_opening_is_ranked_shown_to_the_employee_first_then_hr_after_opt_in(
    staff, hr_a: User, django_capture_on_commit_callbacks
) -> None:
    economist, _developer, _private = staff
    with django_capture_on_commit_callbacks(execute=True):
        opening = services.opening_create(
            organisation=hr_a.organisation, actor=hr_a, title="Controller",
            occupation_id=CONTROLLER, skill_ids=[REDOVISNING, BOKSLUT, EXCEL],
        )  # fmt: skip
    matches = {m.client_id: m for m in OpeningMatch.objects.filter(opening=opening)}
    assert set(matches) == {economist.pk}  # the developer does not fit; `private` opted out
    assert matches[economist.pk].matched_skill_ids == sorted([REDOVISNING, BOKSLUT])
    # The employee sees it first, with reasons in their language.
    seen = selectors.openings_for_client(client=economist)
    assert [o.title for o in seen] == ["Controller"]
    assert any("kompetenser" in r for r in seen[0].reasons)
    # HR sees nobody until the employee says yes.
    hr = browser_for(hr_a)
    page = hr.get(f"/foretag/tjanster/{opening.pk}/").content.decode()
    assert economist.email not in page and "Ingen har valt att visas för er än." in page
    client = browser_for(economist)
    home = client.get("/foretag/for-dig/").content.decode()
    assert "Controller" in home and "HR vet inget om dig" in home
    client.post(f"/foretag/for-dig/tjanst/{matches[economist.pk].pk}/", {"show": "1"})
    page = hr.get(f"/foretag/tjanster/{opening.pk}/").content.decode()
    assert economist.email in page and "Redovisning" in page
    # Re-ranking keeps the decision.
    services.opening_rank(opening_id=opening.pk)
    assert OpeningMatch.objects.get(opening=opening).decision == MatchDecision.SHOWN


def test_opting_in_later_ranks_the_employee_and_opting_out_withdraws(
    staff, hr_a: User, django_capture_on_commit_callbacks
) -> None:
    _economist, _developer, private = staff
    opening = services.opening_create(
        organisation=hr_a.organisation, actor=hr_a, title="Redovisningsekonom",
        skill_ids=[REDOVISNING, BOKSLUT],
    )  # fmt: skip
    services.opening_rank(opening_id=opening.pk)
    assert not OpeningMatch.objects.filter(client=private).exists()
    with django_capture_on_commit_callbacks(execute=True):
        browser_for(private).post("/foretag/for-dig/interna-tjanster/", {"opt_in": "1"})
    assert OpeningMatch.objects.filter(client=private, opening=opening).exists()
    browser_for(private).post("/foretag/for-dig/interna-tjanster/", {"opt_in": "0"})
    assert not OpeningMatch.objects.filter(client=private, decision="pending").exists()


def test_closing_an_opening_hides_it_from_employees(staff, hr_a: User) -> None:
    economist = staff[0]
    opening = services.opening_create(
        organisation=hr_a.organisation, actor=hr_a, title="Controller", skill_ids=[REDOVISNING]
    )
    services.opening_rank(opening_id=opening.pk)
    assert selectors.openings_for_client(client=economist)
    browser_for(hr_a).post(f"/foretag/tjanster/{opening.pk}/")
    assert selectors.openings_for_client(client=economist) == []


def test_opening_form_resolves_typed_occupation_and_skills_without_javascript(
    taxonomy_loaded: str, hr_a_browser: Client
) -> None:
    response = hr_a_browser.post(
        "/foretag/tjanster/ny/",
        {"title": "Controller", "occupation": "Controller", "skills": "Redovisning, Bokslut",
         "audience": "internal"},
    )  # fmt: skip
    assert response.status_code == 302
    opening = selectors.openings_for(organisation=hr_a_browser_org(hr_a_browser))[0]
    assert opening.occupation_id == CONTROLLER
    assert set(opening.skill_ids) == {REDOVISNING, BOKSLUT}
    response = hr_a_browser.post(
        "/foretag/tjanster/ny/",
        {"title": "X", "skills": "Redovisning, qwzxv", "audience": "internal"},
    )
    assert "Vi känner inte igen: qwzxv" in response.content.decode()


def hr_a_browser_org(browser: Client):
    return User.objects.get(pk=browser.session["_auth_user_id"]).organisation


def test_onward_search_shows_only_visible_clients_of_other_companies_anonymously(
    taxonomy_loaded: str, hr_a: User, org_a, django_capture_on_commit_callbacks
) -> None:
    org_c = OrganisationFactory(name="Gamma AB")
    visible = UserFactory(role=User.Role.CLIENT, organisation=org_c, email="v@gamma.example",
                          first_name="Vera", last_name="Synlig")  # fmt: skip
    consent_grant(user=visible, purpose=ConsentPurpose.EMPLOYER_VISIBILITY)
    give_skills(visible, [PYTHON, SQL])
    hidden = UserFactory(role=User.Role.CLIENT, organisation=org_c, email="h@gamma.example")
    give_skills(hidden, [PYTHON])
    own = UserFactory(role=User.Role.CLIENT, organisation=org_a, email="own@alfa.example")
    consent_grant(user=own, purpose=ConsentPurpose.EMPLOYER_VISIBILITY)
    give_skills(own, [PYTHON])
    browser = browser_for(hr_a)
    page = browser.get("/foretag/kandidater/", {"skill": "Python"}).content.decode()
    assert "1 kandidat" in page and "Python, programmeringsspråk" in page
    assert "Vera" not in page and "v@gamma" not in page and "Gamma" not in page
    ref = selectors.candidates_search(organisation=org_a).candidates[0].ref
    # A keyed pseudonym per company: not the user id, and another company's differs.
    assert re.fullmatch(r"[0-9a-f]{20}", ref)
    assert ref != selectors.candidate_ref(organisation_id=org_c.pk, client_id=visible.pk)
    with django_capture_on_commit_callbacks(execute=True):
        with_mail = browser.post(f"/foretag/kandidater/{ref}/kontakt/", {"message": "Hej!"})
    assert with_mail.status_code == 302
    assert "vill komma i kontakt" in mail.outbox[-1].subject
    assert "Vera" not in browser.get("/foretag/kontaktforfragningar/").content.decode()
    request_id = selectors.contact_requests_for(organisation=org_a)[0].pk
    browser_for(visible).post(f"/foretag/for-dig/forfragan/{request_id}/", {"accept": "1"})
    assert "v@gamma.example" in browser.get("/foretag/kontaktforfragningar/").content.decode()
