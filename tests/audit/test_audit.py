"""The audit log: recording, the two selectors, the request IP and the read-only admin."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from tests.accounts.factories import UserFactory
from vagval.audit.models import AuditEvent, subject_key_for
from vagval.audit.selectors import audit_events_by_actor, audit_events_for_subject
from vagval.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_events_are_listed_per_subject_and_per_actor_newest_first() -> None:
    adviser, hr, client = UserFactory(role="adviser"), UserFactory(role="hr"), UserFactory()
    first = audit_record(actor=adviser, subject=client, action="client.view", purpose="Möte")
    second = audit_record(
        actor=hr, subject=client, action="client.view", obj=client, purpose="Rekrytering"
    )
    audit_record(actor=client, subject=client, action="self", purpose="Eget")
    assert list(audit_events_for_subject(subject=client)) == [second, first]
    assert list(audit_events_by_actor(actor=adviser)) == [first]
    assert (second.object_type, second.object_id) == ("accounts.user", str(client.pk))
    assert first.subject_key == subject_key_for(client.pk) != subject_key_for(adviser.pk)


def test_an_event_needs_a_purpose() -> None:
    with pytest.raises(ValueError):
        audit_record(actor=None, subject=UserFactory(), action="x", purpose="")


def test_the_middleware_records_the_request_ip(rf) -> None:
    from vagval.audit.middleware import AuditRequestMiddleware

    actor, subject = UserFactory(), UserFactory()

    def view(request):  # stands in for any view that reads a client's data
        audit_record(actor=actor, subject=subject, action="client.view", purpose="Möte")
        return HttpResponse("ok")

    AuditRequestMiddleware(view)(rf.get("/", REMOTE_ADDR="192.0.2.44"))
    assert AuditEvent.objects.get(action="client.view").ip == "192.0.2.44"
    # Outside a request there is no IP.
    assert audit_record(actor=actor, subject=subject, action="task", purpose="p").ip is None


def test_ip_is_kept_for_an_actor_who_still_exists(rf) -> None:
    from vagval.audit.context import reset_current_ip, set_current_ip

    token = set_current_ip("192.0.2.7")
    try:
        event = audit_record(actor=UserFactory(), subject=UserFactory(), action="a", purpose="p")
    finally:
        reset_current_ip(token)
    assert event.ip == "192.0.2.7"
    assert audit_record(actor=None, subject=None, action="a", purpose="p").ip is None


def test_the_admin_shows_events_but_cannot_change_them(admin_client) -> None:
    event = audit_record(actor=UserFactory(), subject=UserFactory(), action="a", purpose="Syfte")
    assert "Syfte" in admin_client.get("/django-admin/audit/auditevent/").content.decode()
    assert admin_client.get("/django-admin/audit/auditevent/add/").status_code == 403
    page = admin_client.get(f"/django-admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200 and 'name="purpose"' not in page.content.decode()
    assert (
        admin_client.post(f"/django-admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()
