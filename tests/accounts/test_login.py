"""Login by e-mail, verification, password reset, throttling with a cool-off, signup."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from vagval.accounts.models import Organisation, User

from .factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"


def _login(client, email: str, password: str):
    return client.post(LOGIN, {"login": email, "password": password})


def test_login_page_is_swedish_with_an_accessible_form(client) -> None:
    html = client.get(LOGIN).content.decode()
    assert "<h1>Logga in</h1>" in html
    assert 'class="skip-link"' in html
    assert 'for="id_login"' in html and 'for="id_password"' in html


def test_a_verified_user_logs_in_by_email_and_lands_on_the_start_page(client) -> None:
    user = UserFactory(email="karin@example.se")
    response = _login(client, "Karin@Example.se", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).context["user"] == user


def test_a_wrong_password_is_refused_with_a_message_and_the_email_kept(client) -> None:
    UserFactory(email="karin@example.se")
    response = _login(client, "karin@example.se", "fel-losenord-1234")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert 'value="karin@example.se"' in html
    assert "_auth_user_id" not in client.session


def test_an_unverified_address_cannot_log_in_and_gets_a_verification_mail(client) -> None:
    UserFactory(email="ny@example.se", email_verified=False)
    response = _login(client, "ny@example.se", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ny@example.se"]
    assert "Bekräfta din e-postadress" in client.get(response["Location"]).content.decode()


def test_password_reset_mails_a_link_that_sets_a_new_password(client) -> None:
    UserFactory(email="glomsk@example.se")
    response = client.post(reverse("account_reset_password"), {"email": "glomsk@example.se"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    page = client.get(link.group(1), follow=True)
    assert "Välj nytt lösenord" in page.content.decode()
    new_password = "ett-helt-nytt-losen-77"
    done = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302
    client.logout()
    assert _login(client, "glomsk@example.se", new_password).status_code == 302
    assert "_auth_user_id" in client.session


def test_failed_logins_cool_off_instead_of_locking_the_account(client) -> None:
    """ACCOUNT_RATE_LIMITS login_failed is 5 per 5 minutes per account: the sixth attempt is
    refused even with the right password, and after the window it works again."""
    UserFactory(email="utsatt@example.se")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            response = _login(client, "utsatt@example.se", "gissning-fel-0000")
            assert "För många misslyckade" not in response.content.decode()
        blocked = _login(client, "utsatt@example.se", PASSWORD)
        assert blocked.status_code == 200
        assert "För många misslyckade inloggningsförsök" in blocked.content.decode()
        assert "_auth_user_id" not in client.session

        clock.shift(timedelta(minutes=4))
        still = _login(client, "utsatt@example.se", PASSWORD)
        assert "För många misslyckade" in still.content.decode()

        clock.shift(timedelta(minutes=1, seconds=5))
        allowed = _login(client, "utsatt@example.se", PASSWORD)
        assert allowed.status_code == 302
        assert "_auth_user_id" in client.session


def test_throttling_one_account_does_not_block_another(client) -> None:
    UserFactory(email="utsatt@example.se")
    UserFactory(email="annan@example.se")
    for _ in range(6):
        _login(client, "utsatt@example.se", "gissning-fel-0000")
    assert _login(client, "annan@example.se", PASSWORD).status_code == 302


# --- client signup ---------------------------------------------------------------------------


def _signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Karin",
        "last_name": "Lindqvist",
        "email": "karin.lindqvist@example.se",
        "org_number": "556987-6542",
        "password1": "sommar-regn-kaffe-19",
        "password2": "sommar-regn-kaffe-19",
    }
    data.update(overrides)
    return data


def test_a_client_signs_up_with_the_employers_org_number(client) -> None:
    org = OrganisationFactory(org_number="5569876542", name="Norrsken Industri AB")
    response = client.post(reverse("account_signup"), _signup_data(role="adviser"))
    assert response.status_code == 302
    user = User.objects.get(email="karin.lindqvist@example.se")
    assert user.role == User.Role.CLIENT  # a posted role is ignored
    assert user.organisation == org
    assert (user.first_name, user.last_name) == ("Karin", "Lindqvist")
    assert not user.is_staff
    # Verification is mandatory: a mail goes out and the person is not logged in yet.
    assert len(mail.outbox) == 1 and "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("org_number", "message"),
    [
        ("556987-6541", "fel kontrollsiffra"),
        ("12345", "tio siffror"),
        ("556074-3089", "Vi hittar inget anslutet medlemsföretag"),
    ],
)
def test_signup_refuses_bad_or_unknown_org_numbers_and_keeps_the_input(
    client, org_number: str, message: str
) -> None:
    OrganisationFactory(org_number="5569876542")
    response = client.post(reverse("account_signup"), _signup_data(org_number=org_number))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'id="error-summary"' in html and 'href="#id_org_number"' in html
    assert f'value="{org_number}"' in html
    assert 'value="Karin"' in html and 'value="karin.lindqvist@example.se"' in html
    assert not User.objects.filter(email="karin.lindqvist@example.se").exists()


def test_signup_refuses_a_company_whose_membership_has_ended(client) -> None:
    OrganisationFactory(org_number="5569876542", membership=Organisation.Membership.ENDED)
    response = client.post(reverse("account_signup"), _signup_data())
    assert "Vi hittar inget anslutet medlemsföretag" in response.content.decode()
    assert not User.objects.filter(email="karin.lindqvist@example.se").exists()
