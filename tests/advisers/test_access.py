"""Trust: an adviser never reaches a client who is not theirs, and every read is audited.

The parametrised tests walk `advisers.urls.CLIENT_DATA_URLS`, the list every client URL is
registered from, so a new client page is covered the day it is added.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from advisers import services
from advisers.models import Meeting, MeetingMode
from advisers.urls import CLIENT_DATA_URLS, urlpatterns
from vagval.accounts.models import User
from vagval.audit.models import AuditEvent
from vagval.consent.models import ConsentPurpose
from vagval.consent.services import consent_withdraw

from .conftest import case_of, login, make_adviser, make_client, publish_slot

NAMES = [name for name, _route, _view in CLIENT_DATA_URLS]
# Actions that only accept POST answer any GET with 405 before looking at the client.
POST_ONLY = {"step_add", "step_toggle", "note_add", "meeting_cancel"}


def _case_objects(client: User, adviser: User) -> dict[str, int]:
    """A next step and a booked meeting in the client's case, for URLs that need their ids."""
    case = case_of(client)
    step = services.next_step_add(case=case, text="Ring två kontakter", actor=adviser)
    slot = publish_slot(adviser, days=3)
    meeting = services.meeting_book(
        case=case, slot_id=slot.pk, mode=MeetingMode.PHONE, actor=adviser
    )
    return {"step_id": step.pk, "meeting_id": meeting.pk}


def _url(name: str, client_id: int, ids: dict[str, int]) -> str:
    route = dict((n, r) for n, r, _v in CLIENT_DATA_URLS)[name]
    kwargs: dict[str, Any] = {"client_id": client_id}
    for key in ("step_id", "meeting_id"):
        if f"<int:{key}>" in route:
            kwargs[key] = ids[key]
    return reverse(f"advisers:{name}", kwargs=kwargs)


def test_every_url_with_a_client_id_is_in_the_checked_list() -> None:
    with_client = {p.name for p in urlpatterns if "client_id" in str(p.pattern)}
    assert with_client == set(NAMES)
    assert len(NAMES) >= 10


@pytest.mark.parametrize("name", NAMES)
def test_another_advisers_client_is_404_on_every_url(
    name: str, adviser: User, other_adviser: User, other_client: User, adviser_browser: Client
) -> None:
    ids = _case_objects(other_client, other_adviser)
    url = _url(name, other_client.pk, ids)
    before = AuditEvent.objects.count()
    assert adviser_browser.get(url).status_code == (405 if name in POST_ONLY else 404)
    assert adviser_browser.post(url, {"body": "x", "text": "x", "kind": "job"}).status_code == 404
    # Nothing was read, so nothing was logged, and nothing was written to the other case.
    assert AuditEvent.objects.count() == before
    assert not case_of(other_client).notes.exists()
    assert case_of(other_client).messages.count() == 0


@pytest.mark.parametrize("name", NAMES)
def test_own_client_is_reachable_on_every_url(
    name: str, adviser: User, client_user: User, adviser_browser: Client
) -> None:
    ids = _case_objects(client_user, adviser)
    response = adviser_browser.get(_url(name, client_user.pk, ids))
    assert response.status_code == (405 if name in POST_ONLY else 200), response.status_code


@pytest.mark.parametrize("name", ["meeting", "meeting_ics", "meeting_cancel", "step_toggle"])
def test_own_client_with_another_cases_object_is_404(
    name: str,
    adviser: User,
    other_adviser: User,
    client_user: User,
    other_client: User,
    adviser_browser: Client,
) -> None:
    theirs = _case_objects(other_client, other_adviser)
    url = _url(name, client_user.pk, theirs)
    assert adviser_browser.post(url).status_code == 404
    assert Meeting.objects.get(pk=theirs["meeting_id"]).status == Meeting.Status.BOOKED


def test_a_former_adviser_loses_access_after_reassignment(
    adviser: User, other_adviser: User, client_user: User, adviser_browser: Client
) -> None:
    url = reverse("advisers:client", kwargs={"client_id": client_user.pk})
    assert adviser_browser.get(url).status_code == 200
    lead = make_adviser(is_team_lead=True)
    services.case_reassign(case=case_of(client_user), adviser=other_adviser, actor=lead)
    assert adviser_browser.get(url).status_code == 404
    assert login(other_adviser).get(url).status_code == 200


def test_unknown_client_id_and_other_roles(
    client_user: User, adviser_browser: Client, db: None
) -> None:
    assert (
        adviser_browser.get(reverse("advisers:client", kwargs={"client_id": 999999})).status_code
        == 404
    )
    url = reverse("advisers:client", kwargs={"client_id": client_user.pk})
    # The client themself is not an adviser: the adviser pages are closed to them.
    assert login(client_user).get(url).status_code == 403
    assert login(client_user).get(reverse("advisers:caseload")).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/konto/" in anonymous["Location"]


def test_every_read_is_audited_with_who_what_and_why(
    adviser: User, client_user: User, adviser_browser: Client
) -> None:
    adviser_browser.get(reverse("advisers:client", kwargs={"client_id": client_user.pk}))
    adviser_browser.get(reverse("advisers:messages", kwargs={"client_id": client_user.pk}))
    events = list(AuditEvent.objects.filter(subject=client_user).order_by("id"))
    assert [(e.actor_id, e.action) for e in events] == [
        (adviser.pk, "adviser.client.view"),
        (adviser.pk, "adviser.messages.view"),
    ]
    assert all(e.purpose and e.actor_role == "adviser" and e.at for e in events)


def test_caseload_logs_one_read_per_sharing_client(
    adviser: User, client_user: User, adviser_browser: Client
) -> None:
    hidden = make_client(adviser=adviser, shares=False)
    adviser_browser.get(reverse("advisers:caseload"))
    assert (
        AuditEvent.objects.filter(
            subject=client_user, actor=adviser, action="adviser.caseload.view"
        ).count()
        == 1
    )
    assert not AuditEvent.objects.filter(subject=hidden, action="adviser.caseload.view").exists()


def test_without_consent_the_journey_is_hidden_but_the_case_is_not(
    adviser: User, client_user: User, adviser_browser: Client
) -> None:
    consent_withdraw(user=client_user, purpose=ConsentPurpose.ADVISER_ACCESS)
    services.note_add(case=case_of(client_user), body="Pratade om CV", actor=adviser)
    page = adviser_browser.get(reverse("advisers:client", kwargs={"client_id": client_user.pk}))
    text = page.content.decode()
    assert page.status_code == 200
    assert "har inte delat sin resa" in text
    assert "Resan i korthet" in text and "Anställning" not in text
    assert "Pratade om CV" in text  # the adviser's own notes stay, as the consent text says
    event = AuditEvent.objects.filter(subject=client_user).latest("id")
    assert event.action == "adviser.client.view" and event.actor == adviser
