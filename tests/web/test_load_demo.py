"""`manage.py load_demo`: idempotent, one verified login per role, printed at the end."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from vagval.accounts.demo import DEMO_ORG_NUMBER
from vagval.accounts.models import Organisation, User
from vagval.web.demoloader import DEFAULT_DEMO_PASSWORD, demo_loaders

pytestmark = pytest.mark.django_db

EMAILS = [
    "klient@demo.vagval.se",
    "radgivare@demo.vagval.se",
    "hr@demo.vagval.se",
    "redaktor@demo.vagval.se",
    "admin@demo.vagval.se",
]


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_creates_a_user_per_role_and_prints_their_logins(monkeypatch) -> None:
    monkeypatch.delenv("VAGVAL_DEMO_PASSWORD", raising=False)
    output = _load()
    for email in EMAILS:
        assert email in output
    assert f"Lösenord för alla demokonton: {DEFAULT_DEMO_PASSWORD}" in output
    users = {u.email: u for u in User.objects.filter(email__in=EMAILS)}
    assert {u.role for u in users.values()} == {"client", "adviser", "hr", "editor", "staff"}
    org = Organisation.objects.get(org_number=DEMO_ORG_NUMBER)
    assert users["klient@demo.vagval.se"].organisation == org
    assert users["hr@demo.vagval.se"].organisation == org
    assert users["admin@demo.vagval.se"].is_superuser


def test_load_demo_is_idempotent() -> None:
    _load()
    counts = (User.objects.count(), Organisation.objects.count())
    passwords = dict(User.objects.values_list("email", "password"))
    second = _load()
    assert (User.objects.count(), Organisation.objects.count()) == counts
    assert dict(User.objects.values_list("email", "password")) == passwords
    assert "klient@demo.vagval.se" in second


def test_demo_users_can_log_in_at_once(client, settings) -> None:
    settings.VAGVAL_REQUIRE_MFA_FOR_STAFF_ROLES = False  # the embedded default
    _load()
    for email in EMAILS:
        response = client.post("/konto/login/", {"login": email, "password": DEFAULT_DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get("/start/").status_code == 200, email
        client.logout()


def test_the_demo_password_comes_from_the_environment(monkeypatch, client) -> None:
    monkeypatch.setenv("VAGVAL_DEMO_PASSWORD", "ett-annat-demolosen-9")
    assert "ett-annat-demolosen-9" in _load()
    assert client.login(email="klient@demo.vagval.se", password="ett-annat-demolosen-9")


def test_demo_modules_run_in_installed_apps_order() -> None:
    labels = [label for label, _ in demo_loaders()]
    assert labels[0] == "accounts"
