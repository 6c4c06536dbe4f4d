"""The access helper: role + relationship + consent, audited when allowed, 404 otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.http import Http404

from tests.accounts.factories import UserFactory
from vagval.audit.models import AuditEvent
from vagval.consent.access import (
    access_rule_register,
    access_rule_unregister,
    client_access,
    client_access_allowed,
)
from vagval.consent.models import ConsentPurpose
from vagval.consent.services import consent_grant, consent_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload() -> Iterator[dict[int, set[int]]]:
    """A stand-in for the advisers portal: adviser id -> client ids, registered as the rule."""
    from vagval.consent import access

    assignments: dict[int, set[int]] = {}
    # The real portal's rule is put back afterwards: later tests in this process need it.
    previous = access._rules.get("adviser")
    access_rule_register(
        role="adviser",
        relationship=lambda viewer, client: client.pk in assignments.get(viewer.pk, set()),
        consent=ConsentPurpose.ADVISER_ACCESS,
    )
    yield assignments
    if previous is None:
        access_rule_unregister(role="adviser")
    else:
        access_rule_register(
            role="adviser", relationship=previous.relationship, consent=previous.consent
        )


def test_an_adviser_with_the_client_and_consent_gets_access_and_it_is_logged(caseload) -> None:
    adviser, client = UserFactory(role="adviser"), UserFactory(role="client")
    caseload[adviser.pk] = {client.pk}
    consent_grant(user=client, purpose=ConsentPurpose.ADVISER_ACCESS)
    got = client_access(viewer=adviser, client_id=client.pk, purpose="Förbereda möte")
    assert got == client
    event = AuditEvent.objects.get()
    assert (event.actor, event.subject, event.purpose) == (adviser, client, "Förbereda möte")
    assert event.action == "client.view" and event.actor_role == "adviser"
    assert event.subject_key and event.actor_key


@pytest.mark.parametrize("missing", ["relationship", "consent", "withdrawn"])
def test_without_relationship_or_consent_it_is_404_and_nothing_is_logged(caseload, missing) -> None:
    adviser, client = UserFactory(role="adviser"), UserFactory(role="client")
    if missing != "relationship":
        caseload[adviser.pk] = {client.pk}
    if missing != "consent":
        consent_grant(user=client, purpose=ConsentPurpose.ADVISER_ACCESS)
    if missing == "withdrawn":
        consent_withdraw(user=client, purpose=ConsentPurpose.ADVISER_ACCESS)
    with pytest.raises(Http404):
        client_access(viewer=adviser, client_id=client.pk, purpose="Förbereda möte")
    assert not client_access_allowed(viewer=adviser, client=client)
    assert AuditEvent.objects.count() == 0


def test_roles_without_a_rule_never_get_access(caseload) -> None:
    client = UserFactory(role="client")
    consent_grant(user=client, purpose=ConsentPurpose.EMPLOYER_VISIBILITY)
    for role in ("hr", "editor", "staff", "client"):
        with pytest.raises(Http404):
            client_access(viewer=UserFactory(role=role), client_id=client.pk, purpose="Titta")
    assert AuditEvent.objects.count() == 0


def test_unknown_ids_and_non_clients_are_404(caseload) -> None:
    adviser = UserFactory(role="adviser")
    other_adviser = UserFactory(role="adviser")
    caseload[adviser.pk] = {other_adviser.pk}
    for client_id in (999_999, other_adviser.pk):
        with pytest.raises(Http404):
            client_access(viewer=adviser, client_id=client_id, purpose="Titta")


def test_a_client_reading_their_own_data_is_allowed_and_not_logged() -> None:
    client = UserFactory(role="client")
    assert client_access(viewer=client, client_id=client.pk, purpose="Min resa") == client
    assert AuditEvent.objects.count() == 0


def test_the_client_sees_the_access_in_their_log(client, caseload) -> None:
    adviser = UserFactory(role="adviser", first_name="Ahmed", last_name="Berg")
    person = UserFactory(role="client")
    caseload[adviser.pk] = {person.pk}
    consent_grant(user=person, purpose=ConsentPurpose.ADVISER_ACCESS)
    client_access(viewer=adviser, client_id=person.pk, purpose="Förbereda rådgivningsmöte")
    client.force_login(person)
    page = client.get("/mina-uppgifter/vem-har-sett/").content.decode()
    assert "Ahmed Berg" in page and "Förbereda rådgivningsmöte" in page and "Rådgivare" in page


def test_a_purpose_is_required(caseload) -> None:
    client = UserFactory(role="client")
    with pytest.raises(ValueError):
        client_access(viewer=client, client_id=client.pk, purpose=" ")
