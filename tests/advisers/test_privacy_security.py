"""Export, erasure with the anonymised outcome kept, MFA and the adviser idle timeout."""

from __future__ import annotations

import time

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisers import services
from advisers.models import AnonymisedOutcome, Case, Meeting
from tests.privacy_markers import assert_no_marker_in_database
from vagval.accounts.middleware import IDLE_SESSION_KEY
from vagval.accounts.models import User
from vagval.consent.privacy import user_account_delete, user_data_export

from .conftest import case_of, login, make_adviser, publish_slot

MARKER = "zqxmarker42"


def _fill(client: User, adviser: User) -> None:
    case = case_of(client)
    services.next_step_add(case=case, text=f"Steg {MARKER}", actor=adviser)
    services.note_add(case=case, body=f"Anteckning {MARKER}", actor=adviser)
    services.message_send(case=case, sender=client, body=f"Meddelande {MARKER}")
    slot = publish_slot(adviser)
    services.meeting_book(case=case, slot_id=slot.pk, mode="phone", actor=client, agenda=MARKER)
    services.recommendation_create(
        case=case, kind="article", url="/a/", title=MARKER, note=MARKER, actor=adviser
    )
    services.change_request_create(client=client, reason=MARKER)
    services.outcome_record(
        case=case,
        kind="other",
        date=timezone.localdate(),
        comment=MARKER,
        employer_name=MARKER,
        recorded_by="client",
    )


def test_export_has_the_case(adviser: User, client_user: User) -> None:
    _fill(client_user, adviser)
    data = user_data_export(user=client_user)["advisers"]
    case = data["cases"][0]
    assert case["messages"][0]["body"].endswith(MARKER)
    assert case["adviser_notes"][0]["body"].endswith(MARKER)
    assert case["outcome"]["kind"] == "other"


def test_erasure_removes_everything_but_the_anonymised_outcome(
    adviser: User, client_user: User
) -> None:
    _fill(client_user, adviser)
    user_account_delete(user=client_user)
    assert_no_marker_in_database(MARKER)
    assert not Case.objects.exists() and not Meeting.objects.exists()
    anon = AnonymisedOutcome.objects.get()
    assert anon.kind == "other" and anon.adviser == adviser


def test_erasing_an_adviser_moves_their_open_cases(
    adviser: User, other_adviser: User, client_user: User
) -> None:
    user_account_delete(user=adviser)
    assert case_of(client_user).adviser == other_adviser


def test_advisers_time_out_after_30_idle_minutes(adviser: User, settings: object) -> None:
    browser = login(adviser)
    assert browser.get(reverse("advisers:caseload")).status_code == 200
    session = browser.session
    session[IDLE_SESSION_KEY] = int(time.time()) - settings.VAGVAL_ADVISER_IDLE_SECONDS - 5  # type: ignore[attr-defined]
    session.save()
    response = browser.get(reverse("advisers:caseload"))
    assert response.status_code == 302 and "timeout=1" in response["Location"]
    assert browser.get(reverse("advisers:caseload")).status_code == 302  # logged out


def test_advisers_must_set_up_mfa_when_required(adviser: User, settings: object) -> None:
    settings.VAGVAL_REQUIRE_MFA_FOR_STAFF_ROLES = True  # type: ignore[attr-defined]
    response = login(adviser).get(reverse("advisers:caseload"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert settings.VAGVAL_ADVISER_IDLE_SECONDS == 30 * 60  # type: ignore[attr-defined]
    assert User.objects.get(pk=adviser.pk).needs_mfa


def test_team_lead_page_needs_the_flag(db: None) -> None:
    lead = make_adviser(is_team_lead=True)
    assert login(lead).get(reverse("advisers:team")).status_code == 200
    assert Client().get(reverse("advisers:team")).status_code == 302
