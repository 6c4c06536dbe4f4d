"""MFA for roles that see others' data, the adviser idle timeout, invitations and the admin."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from vagval.accounts.models import User
from vagval.accounts.services import user_invite
from vagval.audit.models import AuditEvent

from .factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = "/start/"


def _totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.mark.parametrize("role", ["adviser", "hr", "staff"])
def test_mfa_is_enforced_for_roles_with_access_to_others_data(client, settings, role) -> None:
    settings.VAGVAL_REQUIRE_MFA_FOR_STAFF_ROLES = True
    user = UserFactory(role=role)
    assert client.post("/konto/login/", {"login": user.email, "password": PASSWORD}).status_code
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    for blocked in ("/mina-uppgifter/", "/django-admin/"):
        assert client.get(blocked)["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before a second factor can be added.
    reauth = client.get(response["Location"])
    assert reauth["Location"].startswith(reverse("account_reauthenticate"))
    confirmed = client.post(reauth["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == reverse("mfa_activate_totp")
    activate = client.get(confirmed["Location"])
    assert activate.status_code == 200
    assert "Slå på tvåstegsverifiering" in activate.content.decode()


def test_mfa_is_not_required_for_clients_or_when_the_setting_is_off(client, settings) -> None:
    settings.VAGVAL_REQUIRE_MFA_FOR_STAFF_ROLES = True
    client.force_login(UserFactory(role="client"))
    assert client.get(HOME).status_code == 200
    settings.VAGVAL_REQUIRE_MFA_FOR_STAFF_ROLES = False
    client.force_login(UserFactory(role="adviser"))
    assert client.get(HOME).status_code == 200


def test_an_adviser_with_totp_logs_in_in_two_steps(client, settings) -> None:
    settings.VAGVAL_REQUIRE_MFA_FOR_STAFF_ROLES = True
    adviser = UserFactory(role="adviser", email="radgivare@example.se")
    secret = generate_totp_secret()
    TOTP.activate(adviser, secret)
    first = client.post("/konto/login/", {"login": adviser.email, "password": PASSWORD})
    assert first["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(first["Location"]).content.decode()
    assert "Tvåstegsverifiering" in page
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session and wrong.status_code == 200
    ok = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert ok.status_code == 302
    assert client.get(HOME).status_code == 200  # enrolled: no redirect to setup


def test_an_idle_adviser_is_logged_out_after_30_minutes(client) -> None:
    adviser = UserFactory(role="adviser")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(adviser)
        assert client.get(HOME).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200  # activity resets the clock
        clock.shift(timedelta(minutes=31))
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/?timeout=1")
        assert "_auth_user_id" not in client.session
        notice = client.get(response["Location"]).content.decode()
        assert "Du loggades ut eftersom du inte hade gjort något" in notice


def test_clients_are_not_timed_out_after_30_minutes(client) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(UserFactory(role="client"))
        client.get(HOME)
        clock.shift(timedelta(hours=2))
        assert client.get(HOME).status_code == 200


def test_staff_invite_an_adviser_who_sets_a_password_through_the_mail(
    client, django_capture_on_commit_callbacks
) -> None:
    staff = UserFactory(role="staff", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        adviser = user_invite(
            email="Ny.Radgivare@example.se", role="adviser", invited_by=staff, first_name="Nils"
        )
    assert adviser.role == "adviser" and not adviser.has_usable_password()
    assert EmailAddress.objects.get(user=adviser).verified
    assert AuditEvent.objects.filter(action="account.invite", subject=adviser).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ny.radgivare@example.se"]
    path = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+/)", mail.outbox[0].body)
    assert path
    page = client.get(path.group(1), follow=True)
    new_password = "radgivarens-eget-losen-5"
    client.post(page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert client.login(email="ny.radgivare@example.se", password=new_password)


def test_invitations_cannot_create_clients_or_come_from_non_staff() -> None:
    staff = UserFactory(role="staff", is_staff=True)
    with pytest.raises(ValidationError):
        user_invite(email="k@example.se", role="client", invited_by=staff)
    with pytest.raises(ValidationError):
        user_invite(email="a@example.se", role="adviser", invited_by=UserFactory(role="adviser"))
    with pytest.raises(ValidationError):
        user_invite(email="h@example.se", role="hr", invited_by=staff)  # HR needs a company
    assert not User.objects.filter(email__in=["k@example.se", "a@example.se", "h@example.se"])


def test_staff_manage_users_and_companies_in_the_admin(admin_client) -> None:
    org = OrganisationFactory(name="Admintestet AB")
    UserFactory(email="listad@example.se")
    assert "listad@example.se" in admin_client.get("/django-admin/accounts/user/").content.decode()
    assert admin_client.get("/django-admin/accounts/organisation/").status_code == 200
    response = admin_client.post(
        "/django-admin/accounts/user/add/",
        {
            "email": "hr.person@example.se",
            "first_name": "Hanna",
            "last_name": "Ek",
            "role": "hr",
            "organisation": org.pk,
            "usable_password": "true",
            "password1": "hr-personens-losen-31",
            "password2": "hr-personens-losen-31",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(email="hr.person@example.se")
    assert created.role == "hr" and created.organisation == org
