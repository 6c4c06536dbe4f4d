"""`user_organisation_set`: a user's employer changes only through the service, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.accounts.factories import OrganisationFactory, UserFactory
from vagval.accounts.models import User
from vagval.accounts.services import user_organisation_set
from vagval.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_moving_a_client_to_another_company_is_saved_and_audited() -> None:
    old, new = OrganisationFactory(), OrganisationFactory()
    client = UserFactory(role=User.Role.CLIENT, organisation=old)
    staff = UserFactory(role=User.Role.STAFF)
    changed = user_organisation_set(
        user=client, organisation=new, actor=staff, purpose="Ny arbetsgivare"
    )
    assert changed is True
    client.refresh_from_db()
    assert client.organisation_id == new.pk
    event = AuditEvent.objects.get(action="account.organisation.set")
    assert (event.actor_id, event.subject_id, event.purpose) == (
        staff.pk,
        client.pk,
        "Ny arbetsgivare",
    )
    assert event.object_id == f"{old.pk}->{new.pk}"


def test_setting_the_same_company_again_writes_nothing() -> None:
    org = OrganisationFactory()
    client = UserFactory(role=User.Role.CLIENT, organisation=org)
    assert user_organisation_set(user=client, organisation=org, actor=client, purpose="x") is False
    assert not AuditEvent.objects.filter(action="account.organisation.set").exists()


def test_a_client_may_leave_every_company_but_an_hr_user_may_not() -> None:
    client = UserFactory(role=User.Role.CLIENT, organisation=OrganisationFactory())
    assert user_organisation_set(user=client, organisation=None, actor=None, purpose="Slutat")
    client.refresh_from_db()
    assert client.organisation_id is None
    hr = UserFactory(role=User.Role.HR, organisation=OrganisationFactory())
    with pytest.raises(ValidationError):
        user_organisation_set(user=hr, organisation=None, actor=None, purpose="Slutat")
    hr.refresh_from_db()
    assert hr.organisation_id is not None
