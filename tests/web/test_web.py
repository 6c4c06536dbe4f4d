"""Shared pages: health check, the role-aware start page and menu, language switch."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory
from vagval.web.navigation import _items, nav_items, nav_register

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_the_start_page_needs_a_login(client) -> None:
    response = client.get("/start/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


def test_a_client_gets_the_client_menu_and_start_page(client) -> None:
    user = UserFactory(role="client", first_name="Karin")
    client.force_login(user)
    html = client.get("/start/").content.decode()
    assert "Hej Karin!" in html
    assert 'href="/resa/"' in html and f'href="{reverse("consent:overview")}"' in html
    assert user.organisation.name in html
    assert 'href="/radgivare/"' not in html and "/django-admin/" not in html
    assert '<a class="skip-link" href="#main">Hoppa till innehållet</a>' in html
    assert 'aria-current="page"' in html


@pytest.mark.parametrize(
    ("role", "portal"),
    [
        ("adviser", "/radgivare/"),
        ("hr", "/foretag/"),
        ("editor", "/cms-admin/"),
        ("staff", "/django-admin/"),
    ],
)
def test_other_roles_get_their_portal_and_a_nudge_to_turn_on_mfa(client, role, portal) -> None:
    client.force_login(UserFactory(role=role))
    html = client.get("/start/").content.decode()
    assert f'href="{portal}"' in html and 'href="/resa/"' not in html
    assert reverse("mfa_index") in html
    # Roles that see other people's data are nudged to turn on MFA; editors are not.
    assert ("Slå på tvåstegsverifiering för ditt konto" in html) == (role != "editor")


def test_portals_can_add_and_replace_menu_items() -> None:
    saved = {role: dict(items) for role, items in _items.items()}
    try:
        nav_register(role="client", key="journey", label="Resan", url_name="web:home", order=5)
        nav_register(role="client", key="ghost", label="Saknas", url_name="nope:missing")
        items = nav_items(role="client")
        assert items[0] == ("Resan", reverse("web:home"))
        assert "Saknas" not in [label for label, _ in items]
        assert ("Min resa", "/resa/") not in [(str(a), b) for a, b in items]
    finally:
        _items.clear()
        _items.update(saved)


def test_the_language_switch_shows_english_and_is_remembered_on_the_account(client) -> None:
    user = UserFactory(role="client", first_name="Karin")
    client.force_login(user)
    response = client.post("/sprak/", {"language": "en", "next": "/start/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Hello Karin!" in html and "Skip to content" in html and "My journey" in html
    assert 'value="sv"' in html  # the way back to Swedish
    user.refresh_from_db()
    assert user.preferred_language == "en"
    # On another device (no cookie) the login brings the choice back.
    other = Client()
    other.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    assert "Hello Karin!" in other.get("/start/").content.decode()


def test_forms_list_errors_in_a_summary_that_links_to_the_fields(client) -> None:
    response = client.post("/konto/password/reset/", {"email": "inte-en-adress"})
    html = response.content.decode()
    assert 'id="error-summary"' in html and 'href="#id_email"' in html
    assert 'aria-invalid="true"' in html and 'value="inte-en-adress"' in html


def test_app_pages_are_swedish_for_an_english_browser_until_english_is_chosen(client) -> None:
    html = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv">' in html and "Logga in" in html
    client.cookies["django_language"] = "en"
    html = client.get("/konto/login/").content.decode()
    assert '<html lang="en">' in html and "Log in" in html
