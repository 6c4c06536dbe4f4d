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


def test_the_choice_is_a_consent_in_the_ledger_on_the_consent_page(staff, hr_a: User) -> None:
    from vagval.consent.models import ConsentRecord

    economist, _developer, private = staff
    record = ConsentRecord.objects.get(user=economist, purpose=ConsentPurpose.INTERNAL_MOBILITY)
    assert record.withdrawn_at is None and record.text.version == 1
    assert not ConsentRecord.objects.filter(
        user=private, purpose=ConsentPurpose.INTERNAL_MOBILITY
    ).exists()
    browser = browser_for(economist)
    page = browser.get("/mina-uppgifter/samtycken/").content.decode()
    section = page[page.index('id="consent-internal_mobility"') :]
    assert "Visas för min arbetsgivare vid intern rörlighet" in section
    assert "Du har samtyckt" in section[: section.index("</section>")]
    # Opting out on the employer page withdraws the same consent; the history keeps both.
    browser.post("/foretag/for-dig/interna-tjanster/", {"opt_in": "0"})
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    home = browser.get("/foretag/for-dig/").content.decode()
    assert "Du får inga förslag på interna tjänster." in home and "Mina samtycken" in home


def test_a_consent_withdrawn_on_the_consent_page_stops_suggestions_and_yes_answers(
    staff, hr_a: User
) -> None:
    from django.core.exceptions import ValidationError

    from vagval.consent.services import consent_withdraw

    economist, _developer, private = staff
    opening = services.opening_create(
        organisation=hr_a.organisation, actor=hr_a, title="Controller",
        skill_ids=[REDOVISNING, BOKSLUT],
    )  # fmt: skip
    services.opening_rank(opening_id=opening.pk)
    match = OpeningMatch.objects.get(opening=opening, client=economist)
    consent_withdraw(user=economist, purpose=ConsentPurpose.INTERNAL_MOBILITY)
    assert selectors.openings_for_client(client=economist) == []
    with pytest.raises(ValidationError):
        services.opening_match_decide(match_id=match.pk, client=economist, show=True)
    # The nightly ranking reads the ledger: the withdrawn employee's suggestion goes, and a
    # consent given on the consent page (not through the employer page) is ranked.
    consent_grant(user=private, purpose=ConsentPurpose.INTERNAL_MOBILITY)
    services.openings_rank_open()
    assert set(
        OpeningMatch.objects.filter(opening=opening).values_list("client_id", flat=True)
    ) == {private.pk}


def _aim_for(user: User, *, targets: list[str], regions: list[str]) -> None:
    """The client chooses target occupations and places in step 3 (the journey's service)."""
    from journey.models import RemoteWish
    from journey.services.client import client_profile_get_or_create
    from journey.services.market import search_profile_save

    search_profile_save(
        client=client_profile_get_or_create(user=user), target_ids=targets,
        municipality_ids=[], region_ids=regions, max_commute_minutes=None,
        remote=RemoteWish.UNKNOWN,
    )  # fmt: skip


VASTMANLANDS_LAN = "G6DV_fKE_Viz"


def test_anonymous_profiles_show_the_occupations_the_client_aims_for(
    taxonomy_loaded: str, hr_a: User, org_a
) -> None:
    org_c = OrganisationFactory(name="Gamma AB")
    visible = UserFactory(role=User.Role.CLIENT, organisation=org_c, email="v@gamma.example")
    consent_grant(user=visible, purpose=ConsentPurpose.EMPLOYER_VISIBILITY)
    give_skills(visible, [REDOVISNING, BOKSLUT])
    browser = browser_for(hr_a)
    before = selectors.candidates_search(organisation=org_a).candidates[0]
    assert before.targets == []
    assert selectors.candidates_search(organisation=org_a, occupation_id=CONTROLLER).total == 0
    _aim_for(visible, targets=[CONTROLLER], regions=[VASTMANLANDS_LAN])
    found = selectors.candidates_search(organisation=org_a, occupation_id=CONTROLLER)
    assert found.total == 1, "HR finds the client by the occupation they are aiming for"
    assert found.candidates[0].targets == ["Controller"]
    assert found.candidates[0].regions == ["Västmanlands län"]
    page = browser.get("/foretag/kandidater/", {"occupation": "Controller"}).content.decode()
    assert "Söker" in page and "Controller" in page and "v@gamma" not in page


def test_internal_ranking_uses_the_targets_chosen_in_step_3(staff, hr_a: User) -> None:
    _economist, developer, _private = staff
    _aim_for(developer, targets=[CONTROLLER], regions=[])
    opening = services.opening_create(
        organisation=hr_a.organisation, actor=hr_a, title="Controller", occupation_id=CONTROLLER,
    )  # fmt: skip
    services.opening_rank(opening_id=opening.pk)
    match = OpeningMatch.objects.get(opening=opening, client=developer)
    assert "target_occupation" in {r["code"] for r in match.reasons}, (
        "the developer has none of the skills, but is aiming for exactly this occupation"
    )
