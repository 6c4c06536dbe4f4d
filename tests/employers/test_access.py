"""Trust: an HR user never reaches another company's data, nor a person's data without that
person's consent, on ANY page or export of the portal; every HR page view is audited.

`URLS` lists every URL of employers/urls.py with how to build its arguments; a test fails if a
URL is added without being listed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from employers import services
from employers.models import (
    CaseKind,
    ContactRequest,
    ImportJob,
    ImportStatus,
    Opening,
    OpeningMatch,
    Seminar,
)
from employers.selectors import candidate_ref
from tests.accounts.factories import OrganisationFactory, UserFactory
from vagval.accounts.models import User
from vagval.audit.models import AuditEvent
from vagval.consent.models import ConsentPurpose
from vagval.consent.services import consent_grant

from .conftest import browser_for, enrol_accepted


@dataclass
class World:
    org_a: Any
    org_b: Any
    hr_a: User
    hr_b: User
    client_a: User
    visible: User
    case: Any
    job: Any
    opening: Any
    match: Any
    request: Any
    case_b: Any
    secrets: list[str]  # strings of org A that must never appear for org B


@pytest.fixture
def world(db: None) -> World:
    org_a = OrganisationFactory(name="Alfa Verkstad AB")
    org_b = OrganisationFactory(name="Beta Konsult AB")
    org_c = OrganisationFactory(name="Gamma Handel AB")
    hr_a = UserFactory(role=User.Role.HR, organisation=org_a, email="hr@alfa.example")
    hr_b = UserFactory(role=User.Role.HR, organisation=org_b, email="hr@beta.example")
    case = services.case_create(
        organisation=org_a, actor=hr_a, kind=CaseKind.NOTICE, title="Hemligt varsel Alfa",
        reason="Orsak Alfa", notice_date=dt.date(2026, 1, 10),
    )  # fmt: skip
    _enrolment, client_a = enrol_accepted(case, 1, mobility=True, prefix="alfaperson")
    job = ImportJob.objects.create(
        case=case, filename="alfa.csv", kind="csv", size=10, status=ImportStatus.VALIDATED,
        rows=[{"row": 2, "email": "listad@alfa.example", "first_name": "Listad",
               "last_name": "Alfa", "unit": "", "last_working_day": ""}],
    )  # fmt: skip
    opening = Opening.objects.create(organisation=org_a, title="Hemlig tjänst Alfa")
    match = OpeningMatch.objects.create(opening=opening, client=client_a, score=1.0)
    # A client of a third company who is visible to employers; org A asked to contact them.
    visible = UserFactory(role=User.Role.CLIENT, organisation=org_c, email="synlig@gamma.example")
    consent_grant(user=visible, purpose=ConsentPurpose.EMPLOYER_VISIBILITY)
    request = ContactRequest.objects.create(
        organisation=org_a, requested_by=hr_a, client=visible, message="Hej från Alfa"
    )
    case_b = services.case_create(
        organisation=org_b, actor=hr_b, kind=CaseKind.PROACTIVE, title="Betas kartläggning"
    )
    Seminar.objects.create(
        title="Seminarium", starts_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC), location="X",
        capacity=10,
    )  # fmt: skip
    return World(
        org_a, org_b, hr_a, hr_b, client_a, visible, case, job, opening, match, request, case_b,
        secrets=["Hemligt varsel Alfa", "alfaperson", "Hemlig tjänst Alfa", "listad@alfa",
                 "Hej från Alfa", "synlig@gamma"],
    )  # fmt: skip


# name -> (kind, kwargs builder). kind: "hr" (HR pages), "hr_obj" (an object of org A: HR of
# org B must get 404), "token" (public link pages), "client" (the client's own pages).
URLS: dict[str, tuple[str, Any]] = {
    "home": ("hr", lambda w: {}),
    "company": ("hr", lambda w: {}),
    "case_list": ("hr", lambda w: {}),
    "case_create": ("hr", lambda w: {}),
    "stats": ("hr", lambda w: {}),
    "stats_export": ("hr", lambda w: {}),
    "competence_map": ("hr", lambda w: {}),
    "competence_map_export": ("hr", lambda w: {}),
    "opening_list": ("hr", lambda w: {}),
    "opening_create": ("hr", lambda w: {}),
    "candidates": ("hr", lambda w: {}),
    "contact_requests": ("hr", lambda w: {}),
    "seminars": ("hr", lambda w: {}),
    "case_detail": ("hr_obj", lambda w: {"case_id": w.case.pk}),
    "case_update": ("hr_obj", lambda w: {"case_id": w.case.pk}),
    "case_export": ("hr_obj", lambda w: {"case_id": w.case.pk}),
    "import_upload": ("hr_obj", lambda w: {"case_id": w.case.pk}),
    "import_detail": ("hr_obj", lambda w: {"case_id": w.case.pk, "job_id": w.job.pk}),
    "import_status": ("hr_obj", lambda w: {"case_id": w.case.pk, "job_id": w.job.pk}),
    "import_cancel": ("hr_obj", lambda w: {"case_id": w.case.pk, "job_id": w.job.pk}),
    "opening_detail": ("hr_obj", lambda w: {"opening_id": w.opening.pk}),
    "candidate_contact": (
        "hr_obj",
        lambda w: {"ref": candidate_ref(organisation_id=w.org_a.pk, client_id=w.visible.pk)},
    ),
    "hr_invitation_accept": ("token", lambda w: {"token": "forged"}),
    "enrolment_accept": ("token", lambda w: {"token": "forged"}),
    "self_signup": ("token", lambda w: {"token": "forged"}),
    "client_home": ("client", lambda w: {}),
    "client_match_decide": ("client", lambda w: {"match_id": w.match.pk}),
    "client_request_decide": ("client", lambda w: {"request_id": w.request.pk}),
    "client_mobility": ("client", lambda w: {}),
}
POST_ONLY = {"import_cancel", "client_match_decide", "client_request_decide", "client_mobility"}


def _url(name: str, world: World) -> str:
    return reverse(f"employers:{name}", kwargs=URLS[name][1](world))


def _get(browser: Client, name: str, world: World) -> Any:
    url = _url(name, world)
    return browser.post(url) if name in POST_ONLY else browser.get(url)


def test_every_url_of_the_portal_is_in_the_trust_list() -> None:
    from employers import urls as employers_urls

    names = {p.name for p in employers_urls.urlpatterns}
    assert names == set(URLS), f"add to URLS: {names - set(URLS)}"


@pytest.mark.parametrize("name", sorted(n for n, (k, _f) in URLS.items() if k in ("hr", "hr_obj")))
def test_anonymous_visitors_are_sent_to_login(name: str, world: World) -> None:
    response = _get(Client(), name, world)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


@pytest.mark.parametrize("name", sorted(n for n, (k, _f) in URLS.items() if k in ("hr", "hr_obj")))
def test_clients_and_advisers_cannot_use_hr_pages(name: str, world: World) -> None:
    for role in (User.Role.CLIENT, User.Role.ADVISER):
        user = UserFactory(role=role)
        assert _get(browser_for(user), name, world).status_code == 403


@pytest.mark.parametrize("name", sorted(n for n, (k, _f) in URLS.items() if k == "hr_obj"))
def test_hr_of_another_company_gets_404_for_every_object_url(name: str, world: World) -> None:
    response = _get(browser_for(world.hr_b), name, world)
    assert response.status_code == 404
    body = response.content.decode()
    assert not any(s in body for s in world.secrets)


@pytest.mark.parametrize("name", sorted(n for n, (k, _f) in URLS.items() if k == "hr_obj"))
def test_hr_of_the_company_reaches_its_own_objects(name: str, world: World) -> None:
    response = _get(browser_for(world.hr_a), name, world)
    # 204: the progress fragment of a finished list tells htmx to reload the page.
    assert response.status_code in (200, 204, 302), response.status_code


@pytest.mark.parametrize("name", sorted(n for n, (k, _f) in URLS.items() if k == "hr"))
def test_company_wide_pages_and_exports_show_nothing_of_another_company(
    name: str, world: World
) -> None:
    response = _get(browser_for(world.hr_b), name, world)
    assert response.status_code == 200
    body = response.content.decode()
    leaked = [s for s in world.secrets if s in body]
    assert leaked == []
    if name.endswith("_export"):
        assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("name", ["stats_export", "competence_map_export", "case_export"])
def test_exports_hold_no_person(name: str, world: World) -> None:
    """Exports are aggregates: no name, no e-mail address, even for the company's own staff."""
    kwargs = {"case_id": world.case.pk} if name == "case_export" else {}
    response = browser_for(world.hr_a).get(reverse(f"employers:{name}", kwargs=kwargs))
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert "@" not in body and "Namn1" not in body


def test_mixing_own_case_with_another_companys_list_is_404(world: World) -> None:
    url = reverse("employers:import_detail", kwargs={"case_id": world.case_b.pk,
                                                     "job_id": world.job.pk})  # fmt: skip
    assert browser_for(world.hr_b).get(url).status_code == 404


@pytest.mark.parametrize("name", sorted(n for n, (k, _f) in URLS.items() if k == "token"))
def test_forged_invitation_links_are_refused(name: str, world: World) -> None:
    response = Client().get(_url(name, world))
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.content.decode()


@pytest.mark.parametrize("name", sorted(n for n, (k, _f) in URLS.items() if k == "client"))
def test_client_pages_are_the_clients_own(name: str, world: World) -> None:
    assert _get(browser_for(world.hr_a), name, world).status_code == 403
    stranger = UserFactory(role=User.Role.CLIENT, email="annan@example.se")
    response = _get(browser_for(stranger), name, world)
    if name in ("client_match_decide", "client_request_decide"):
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 302)
        assert not any(s in response.content.decode() for s in world.secrets[2:])


def test_every_hr_page_view_is_audited(world: World) -> None:
    browser = browser_for(world.hr_a)
    for name, (kind, _f) in URLS.items():
        if kind not in ("hr", "hr_obj") or name in POST_ONLY or name == "import_status":
            continue
        before = AuditEvent.objects.filter(actor=world.hr_a).count()
        response = _get(browser, name, world)
        assert response.status_code == 200, name
        assert AuditEvent.objects.filter(actor=world.hr_a).count() > before, name
    event = AuditEvent.objects.filter(actor=world.hr_a, action="employers.case.view").first()
    assert event is not None and event.object_id == f"case_id={world.case.pk}"


def test_an_opted_in_employee_is_shown_and_the_access_is_in_their_log(world: World) -> None:
    browser = browser_for(world.hr_a)
    url = reverse("employers:opening_detail", kwargs={"opening_id": world.opening.pk})
    assert "alfaperson" not in browser.get(url).content.decode()  # not decided yet
    services.opening_match_decide(match_id=world.match.pk, client=world.client_a, show=True)
    assert world.client_a.email in browser.get(url).content.decode()
    assert AuditEvent.objects.filter(
        actor=world.hr_a, subject=world.client_a, action="employers.opening.candidate"
    ).exists()
    # The employee changes their mind: gone again.
    services.opening_match_decide(match_id=world.match.pk, client=world.client_a, show=False)
    assert world.client_a.email not in browser.get(url).content.decode()


def test_identity_is_revealed_only_after_the_client_accepts(world: World) -> None:
    browser = browser_for(world.hr_a)
    page = browser.get(reverse("employers:contact_requests")).content.decode()
    assert "synlig@gamma.example" not in page
    services.contact_request_decide(request_id=world.request.pk, client=world.visible, accept=True)
    page = browser.get(reverse("employers:contact_requests")).content.decode()
    assert "synlig@gamma.example" in page
    # Withdrawing visibility hides them again.
    from vagval.consent.services import consent_withdraw

    consent_withdraw(user=world.visible, purpose=ConsentPurpose.EMPLOYER_VISIBILITY)
    page = browser.get(reverse("employers:contact_requests")).content.decode()
    assert "synlig@gamma.example" not in page


def test_withdrawing_internal_mobility_on_the_consent_page_hides_the_employee_again(
    world: World,
) -> None:
    """The consent ledger decides: a yes for an opening counts only while the employee's
    internal-mobility consent is in force, and every read of them by HR is audited."""
    browser = browser_for(world.hr_a)
    url = reverse("employers:opening_detail", kwargs={"opening_id": world.opening.pk})
    services.opening_match_decide(match_id=world.match.pk, client=world.client_a, show=True)
    assert world.client_a.email in browser.get(url).content.decode()
    reads = AuditEvent.objects.filter(
        actor=world.hr_a, subject=world.client_a, action="employers.opening.candidate"
    )
    assert reads.count() == 1
    employee = browser_for(world.client_a)
    response = employee.post(
        reverse("consent:change", args=[ConsentPurpose.INTERNAL_MOBILITY]), {"action": "withdraw"}
    )
    assert response.status_code == 302
    page = browser.get(url).content.decode()
    assert world.client_a.email not in page and "alfaperson" not in page
    assert "0 har valt att visas för er." in page
    assert reads.count() == 1, "nobody was read, so nothing more is logged"
    # Consenting again (a new record under the current text) shows them for the same yes.
    employee.post(
        reverse("consent:change", args=[ConsentPurpose.INTERNAL_MOBILITY]),
        {"action": "grant", "text_version": "1"},
    )
    assert world.client_a.email in browser.get(url).content.decode()
    assert reads.count() == 2
