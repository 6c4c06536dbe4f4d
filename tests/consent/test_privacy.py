"""The portable profile (export) and account deletion, checked with marker strings."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from tests.accounts.factories import PASSWORD, UserFactory
from tests.privacy_markers import assert_no_marker_in_database, marker_locations
from vagval.accounts.models import User
from vagval.audit.models import AuditEvent, subject_key_for
from vagval.audit.services import audit_record
from vagval.consent.models import ConsentPurpose
from vagval.consent.privacy import privacy_providers, user_account_delete, user_data_export
from vagval.consent.services import consent_grant, consent_withdraw

pytestmark = pytest.mark.django_db

MARKER = "zqxmarker7731"


def _client_full_of_markers() -> User:
    user = UserFactory(
        email=f"{MARKER}@example.se", first_name=f"Anna{MARKER}", last_name=f"Ek{MARKER}"
    )
    consent_grant(user=user, purpose=ConsentPurpose.ADVISER_ACCESS)
    consent_withdraw(user=user, purpose=ConsentPurpose.ADVISER_ACCESS)
    consent_grant(user=user, purpose=ConsentPurpose.STATISTICS)
    adviser = UserFactory(role="adviser")
    audit_record(actor=adviser, subject=user, action="client.view", purpose="Förbereda möte")
    admin = UserFactory(role="staff", is_staff=True)
    LogEntry.objects.log_actions(
        user_id=admin.pk, queryset=[user], action_flag=CHANGE, change_message="Bytte namn"
    )
    return user


def test_the_marker_helper_finds_markers_in_text_and_json_columns() -> None:
    user = _client_full_of_markers()
    places = marker_locations(MARKER)
    assert "accounts.User.email (1 rows)" in places
    assert "accounts.User.first_name (1 rows)" in places
    assert "account.EmailAddress.email (1 rows)" in places
    assert "admin.LogEntry.object_repr (1 rows)" in places
    with pytest.raises(AssertionError, match=r"accounts\.User\.email"):
        assert_no_marker_in_database(MARKER)
    # JSON columns too (allauth keeps MFA data as JSON).
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type="totp", data={"note": MARKER})
    assert "mfa.Authenticator.data (1 rows)" in marker_locations(MARKER)


def test_every_core_app_provides_the_privacy_protocol() -> None:
    labels = [label for label, _ in privacy_providers()]
    assert {"accounts", "audit", "consent"} <= set(labels)
    assert labels.index("accounts") < labels.index("consent")  # INSTALLED_APPS order


def test_export_is_a_versioned_portable_profile_with_one_key_per_app() -> None:
    user = _client_full_of_markers()
    profile = user_data_export(user=user)
    assert profile["schema"] == "vagval.portable-profile" and profile["version"] == 1
    assert profile["accounts"]["email"] == user.email
    assert profile["accounts"]["organisation"]["org_number"] == user.organisation.org_number
    records = profile["consent"]["records"]
    assert [r["purpose"] for r in records].count("adviser_access") == 1
    assert any(r["withdrawn_at"] for r in records)
    accesses = profile["audit"]["accesses_to_my_data"]
    assert accesses[0]["purpose"] == "Förbereda möte" and accesses[0]["by_role"] == "adviser"
    json.dumps(profile)  # plain JSON throughout


def test_the_download_is_a_json_attachment(client) -> None:
    user = _client_full_of_markers()
    client.force_login(user)
    assert "Ladda ner (JSON)" in client.get("/mina-uppgifter/ladda-ner/").content.decode()
    response = client.get("/mina-uppgifter/ladda-ner/?download=1")
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["schema"] == "vagval.portable-profile"
    assert data["accounts"]["first_name"] == f"Anna{MARKER}"


def test_deleting_the_account_removes_every_marker_and_keeps_a_pseudonymous_log(client) -> None:
    user = _client_full_of_markers()
    user_id = user.pk
    client.force_login(user)
    page = client.get("/mina-uppgifter/radera/").content.decode()
    assert "Statistik behåller bara anonyma utfall" in page
    response = client.post(
        "/mina-uppgifter/radera/", {"password": PASSWORD, "understood": "on"}, follow=True
    )
    assert "Ditt konto är raderat" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(pk=user_id).exists()
    assert_no_marker_in_database(MARKER)
    key = subject_key_for(user_id)
    events = AuditEvent.objects.filter(subject_key=key)
    assert {e.action for e in events} == {"client.view", "account.delete"}
    assert all(e.subject_id is None for e in events)
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user_id)
    ).exists()


def test_a_wrong_password_or_missing_confirmation_deletes_nothing(client) -> None:
    user = UserFactory()
    client.force_login(user)
    wrong = client.post("/mina-uppgifter/radera/", {"password": "fel", "understood": "on"})
    assert "Lösenordet stämmer inte" in wrong.content.decode()
    unconfirmed = client.post("/mina-uppgifter/radera/", {"password": PASSWORD})
    assert "Kryssa i rutan" in unconfirmed.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_an_actors_ip_addresses_go_when_the_actor_is_deleted() -> None:
    adviser, client = UserFactory(role="adviser"), UserFactory()
    adviser_id = adviser.pk
    audit_record(actor=adviser, subject=client, action="client.view", purpose="P", ip="10.1.2.3")
    user_account_delete(user=adviser)
    event = AuditEvent.objects.get(action="client.view")
    assert event.actor_id is None and event.ip is None and event.subject == client
    assert event.actor_key == subject_key_for(adviser_id)
