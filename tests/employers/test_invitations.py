"""Invitations: HR colleagues by e-mail with a signed link; employees accept (creating or
linking a client account tied to the company) or decline; self sign-up by work address."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from employers import services
from employers.models import Case, CaseKind, Enrolment, EnrolmentStatus, HrInvitation
from tests.accounts.factories import UserFactory
from vagval.accounts.models import User
from vagval.consent.models import ConsentPurpose
from vagval.consent.selectors import consent_is_granted

PASSWORD = "ett-langt-losenord-77"


def _link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/foretag/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_hr_invites_a_colleague_who_creates_an_hr_account(
    hr_a_browser: Client, hr_a: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_a_browser.post(
            "/foretag/foretaget/", {"form": "invite", "invite-email": "Ny.Kollega@Alfa.example"}
        )
    assert response.status_code == 302
    link = _link(mail.outbox[-1].body)
    page = Client().get(link)
    assert "Välkommen till Alfa Verkstad AB" in page.content.decode()
    anon = Client()
    response = anon.post(link, {"first_name": "Ny", "last_name": "Kollega",
                                "password1": PASSWORD, "password2": PASSWORD})  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(email="ny.kollega@alfa.example")
    assert (user.role, user.organisation_id) == (User.Role.HR, hr_a.organisation_id)
    assert HrInvitation.objects.get().accepted_at is not None
    # The link works once.
    assert Client().get(link).status_code == 404


def test_hr_invitation_refuses_an_existing_account(hr_a: User) -> None:
    UserFactory(email="finns@example.se")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.hr_invitation_create(
            organisation=hr_a.organisation, invited_by=hr_a, email="finns@example.se"
        )


def test_tampered_or_revoked_links_do_not_work(hr_a: User) -> None:
    invitation = services.hr_invitation_create(
        organisation=hr_a.organisation, invited_by=hr_a, email="x@alfa.example"
    )
    token = services.hr_invitation_token(invitation)
    assert services.hr_invitation_from_token(token) == invitation
    assert services.hr_invitation_from_token(token[:-2] + "xx") is None
    services.hr_invitation_revoke(
        organisation=hr_a.organisation, actor=hr_a, invitation_id=invitation.pk
    )
    assert services.hr_invitation_from_token(token) is None


def test_employee_creates_an_account_accepts_and_hr_sees_only_that(
    hr_a: User, hr_a_browser: Client, notice_case: Case, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        hr_a_browser.post(
            f"/foretag/arenden/{notice_case.pk}/",
            {"form": "add", "first_name": "Greta", "last_name": "Ek",
             "email": "greta@alfa.example", "unit": "Lager"},
        )  # fmt: skip
    link = _link(mail.outbox[-1].body)
    employee = Client()
    page = employee.get(link).content.decode()
    assert "Aldrig det du fyller i" in page
    employee.post(link, {"action": "create", "first_name": "Greta", "last_name": "Ek",
                         "password1": PASSWORD, "password2": PASSWORD})  # fmt: skip
    user = User.objects.get(email="greta@alfa.example")
    assert (user.role, user.organisation_id) == (User.Role.CLIENT, notice_case.organisation_id)
    response = employee.post(link, {"action": "accept", "statistics": "on"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(email="greta@alfa.example")
    assert enrolment.status == EnrolmentStatus.ACCEPTED and enrolment.user == user
    assert consent_is_granted(user=user, purpose=ConsentPurpose.STATISTICS)
    assert not consent_is_granted(user=user, purpose=ConsentPurpose.INTERNAL_MOBILITY)  # not ticked
    from journey.models import ClientProfile

    profile = ClientProfile.objects.get(pk=user.pk)
    assert (profile.status, profile.notice_date) == ("notice", notice_case.notice_date)
    page = hr_a_browser.get(f"/foretag/arenden/{notice_case.pk}/").content.decode()
    assert "Greta Ek" in page and "Har tackat ja" in page


def test_an_existing_client_signs_in_and_accepts_without_consents(notice_case: Case) -> None:
    client_user = UserFactory(role=User.Role.CLIENT, email="bo@privat.example", organisation=None)
    enrolment = Enrolment.objects.create(
        case=notice_case, email="bo@alfa.example", first_name="Bo", last_name="Ek"
    )
    link = f"/foretag/inbjudan/{services.enrolment_token(enrolment)}/"
    browser = Client()
    browser.force_login(client_user)
    page = browser.get(link).content.decode()
    assert "du är inloggad som bo@privat.example" in page.lower()
    browser.post(link, {"action": "accept"})
    client_user.refresh_from_db()
    assert client_user.organisation_id == notice_case.organisation_id
    assert not consent_is_granted(user=client_user, purpose=ConsentPurpose.STATISTICS)


def test_declining_and_wrong_roles(notice_case: Case, hr_b: User) -> None:
    enrolment = Enrolment.objects.create(
        case=notice_case, email="nej@alfa.example", first_name="N", last_name="J"
    )
    link = f"/foretag/inbjudan/{services.enrolment_token(enrolment)}/"
    hr_browser = Client()
    hr_browser.force_login(hr_b)
    assert hr_browser.get(link).status_code == 403
    response = Client().post(link, {"action": "decline"})
    assert "Du har tackat nej" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.DECLINED


def test_resending_makes_the_old_link_stop_working(
    hr_a: User, notice_case: Case, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = services.enrolment_add(
            case=notice_case, actor=hr_a, email="r@alfa.example", first_name="R", last_name="S"
        )
    old = services.enrolment_token(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_invite_resend(case=notice_case, actor=hr_a, enrolment_id=enrolment.pk)
    assert services.enrolment_from_token(old) is None
    assert len(mail.outbox) == 2


def test_self_signup_only_with_a_work_address(
    hr_a: User, django_capture_on_commit_callbacks
) -> None:
    case = services.case_create(
        organisation=hr_a.organisation, actor=hr_a, kind=CaseKind.PROACTIVE,
        title="Kartläggning", self_signup_domain="@Alfa.example",
    )  # fmt: skip
    link = f"/foretag/anmalan/{services.self_signup_token(case)}/"
    browser = Client()
    response = browser.post(link, {"first_name": "A", "last_name": "B", "email": "a@gmail.com"})
    assert "@alfa.example" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(link, {"first_name": "A", "last_name": "B",
                                       "email": "a@alfa.example"})  # fmt: skip
    assert "Titta i din e-post" in response.content.decode()
    enrolment = Enrolment.objects.get(case=case)
    assert enrolment.self_enrolled and mail.outbox[-1].to == ["a@alfa.example"]
    # Asking again gives the same answer and no second enrolment.
    browser.post(link, {"first_name": "A", "last_name": "B", "email": "a@alfa.example"})
    assert Enrolment.objects.filter(case=case).count() == 1
