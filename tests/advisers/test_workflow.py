"""Case work end to end: intake and matching, meetings with .ics and reminders, messages with
content-free e-mails, next steps, seminars with a waiting list, leads and outcomes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from advisers import selectors, services, tasks
from advisers.models import (
    AdviserProfile,
    AnonymisedOutcome,
    Case,
    Meeting,
    MeetingMode,
    Recommendation,
    SeminarRegistration,
)
from tests.accounts.factories import UserFactory
from vagval.accounts.models import User

from .conftest import (
    REGION_STHLM,
    REGION_VG,
    case_of,
    login,
    make_adviser,
    make_client,
    publish_slot,
)

# ---- intake and matching --------------------------------------------------------------------


def _facts(**kw: object) -> services.ClientFacts:
    base = {"region_ids": frozenset(), "ssyk_codes": frozenset(), "language": "sv"}
    base.update(kw)
    return services.ClientFacts(**base)  # type: ignore[arg-type]


def test_match_score_weighs_region_occupation_language_and_load(db: None) -> None:
    profile = AdviserProfile(
        region_ids=[REGION_VG], occupation_codes=["25"], languages=["sv", "ar"], capacity=10
    )
    facts = _facts(region_ids=frozenset({REGION_VG}), ssyk_codes=frozenset({"2512"}), language="ar")
    full_fit = services.adviser_match_score(profile=profile, open_cases=0, facts=facts)
    busy = services.adviser_match_score(profile=profile, open_cases=8, facts=facts)
    stranger = services.adviser_match_score(profile=profile, open_cases=0, facts=_facts())
    assert full_fit and busy and stranger
    assert full_fit.score > busy.score and full_fit.score > stranger.score
    assert len(full_fit.reasons) == 3
    assert services.adviser_match_score(profile=profile, open_cases=10, facts=facts) is None
    profile.accepts_new_clients = False
    assert services.adviser_match_score(profile=profile, open_cases=0, facts=facts) is None


def test_intake_assigns_the_best_adviser_with_room(taxonomy_loaded: str, step1_ready: None) -> None:
    from .journey_data import step1_complete

    stockholm = make_adviser(region_ids=[REGION_STHLM])
    gothenburg = make_adviser(region_ids=[REGION_VG], capacity=1)
    first = make_client()
    step1_complete(first)  # wants to work in Göteborg
    case = services.case_open(client=first)
    assert case is not None and case.adviser == gothenburg
    assert case.match_reasons and case.assigned_by == Case.AssignedBy.MATCHING
    second = make_client()
    step1_complete(second)
    assert services.case_open(client=second).adviser == stockholm  # type: ignore[union-attr]
    assert services.case_open(client=first).pk == case.pk  # idempotent


def test_min_radgivare_page_assigns_and_shows_the_adviser(adviser: User) -> None:
    AdviserProfile.objects.filter(pk=adviser.pk).update(presentation_sv="Jag gillar CV:n.")
    client = make_client()
    page = login(client).get(reverse("advisers:client_home"))
    text = page.content.decode()
    assert page.status_code == 200 and "Jag gillar CV:n." in text
    assert case_of(client).adviser == adviser


def test_client_asks_for_another_adviser_and_team_lead_reassigns(
    adviser: User, other_adviser: User, client_user: User
) -> None:
    browser = login(client_user)
    browser.post(
        reverse("advisers:client_change"), {"reason": "Vill ha engelska", "wished_language": "en"}
    )
    assert selectors.client_change_request_open(client=client_user) is not None
    lead = make_adviser(is_team_lead=True, accepts_new_clients=False)
    assert login(adviser).get(reverse("advisers:team")).status_code == 403
    lead_browser = login(lead)
    assert "Karin" in lead_browser.get(reverse("advisers:team")).content.decode()
    case = case_of(client_user)
    lead_browser.post(
        reverse("advisers:reassign", kwargs={"case_id": case.pk}), {"adviser": other_adviser.pk}
    )
    case.refresh_from_db()
    assert case.adviser == other_adviser
    assert selectors.client_change_request_open(client=client_user) is None


# ---- meetings --------------------------------------------------------------------------------


def test_client_books_moves_and_cancels_a_meeting_with_ics(
    adviser: User,
    client_user: User,
    client_browser: Client,
    django_capture_on_commit_callbacks: object,
) -> None:
    slot = publish_slot(adviser, days=2)
    later = publish_slot(adviser, days=3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client_browser.post(
            reverse("advisers:client_book"), {"slot": slot.pk, "mode": "video", "agenda": "CV"}
        )
    meeting = Meeting.objects.get(case__client=client_user)
    assert response.status_code == 302 and meeting.video_url == "https://video.exempel.se/rum-1"
    # The adviser sees it in the caseload and gets an e-mail with the calendar file.
    assert selectors.caseload_get(adviser=adviser).rows[0].next_meeting_at == meeting.starts_at
    assert [m.to for m in mail.outbox] == [[adviser.email]]
    assert mail.outbox[0].attachments[0][2] == "text/calendar"
    ics = client_browser.get(
        reverse("advisers:client_meeting_ics", kwargs={"meeting_id": meeting.pk})
    )
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert event["uid"].startswith(f"meeting-{meeting.pk}@")
    assert event.decoded("dtstart") == meeting.starts_at
    assert "Karin" not in ics.content.decode()  # no name in a file that may end up anywhere
    # Someone else cannot take the booked slot.
    other = make_client(adviser=adviser)
    with pytest.raises(ValidationError):
        services.meeting_book(case=case_of(other), slot_id=slot.pk, mode="phone", actor=other)
    client_browser.post(
        reverse("advisers:client_meeting", kwargs={"meeting_id": meeting.pk}),
        {"slot": later.pk, "mode": "phone"},
    )
    meeting.refresh_from_db()
    assert meeting.slot == later and meeting.sequence == 1 and meeting.mode == MeetingMode.PHONE
    assert services.meeting_book(case=case_of(other), slot_id=slot.pk, mode="phone", actor=other)
    client_browser.post(
        reverse("advisers:client_meeting_cancel", kwargs={"meeting_id": meeting.pk})
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_adviser_books_the_client_sees_it_and_notes_link_to_the_timeline(
    adviser: User,
    client_user: User,
    adviser_browser: Client,
    client_browser: Client,
    django_capture_on_commit_callbacks: object,
) -> None:
    slot = publish_slot(adviser, days=1)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        adviser_browser.post(
            reverse("advisers:meeting_book", kwargs={"client_id": client_user.pk}),
            {"slot": slot.pk, "mode": "in_person"},
        )
    meeting = Meeting.objects.get(case__client=client_user)
    assert meeting.location == "Kungsgatan 12"
    assert mail.outbox[-1].to == [client_user.email]
    home = client_browser.get(reverse("advisers:client_home")).content.decode()
    assert reverse("advisers:client_meeting", kwargs={"meeting_id": meeting.pk}) in home
    local = timezone.localtime(meeting.starts_at)
    assert f"{local:%H:%M}" in home
    adviser_browser.post(
        reverse("advisers:meeting", kwargs={"client_id": client_user.pk, "meeting_id": meeting.pk}),
        {"body": "Gick igenom CV:t"},
    )
    timeline = selectors.case_timeline(case=case_of(client_user), journey_changes=[], language="sv")
    assert any(e.kind == "note" and "Gick igenom CV:t" in e.text and e.private for e in timeline)
    assert (
        "Gick igenom CV:t"
        not in client_browser.get(reverse("advisers:client_home")).content.decode()
    )


def test_reminders_are_sent_once(adviser: User, client_user: User) -> None:
    soon = timezone.now().replace(microsecond=0) + dt.timedelta(hours=3)
    slot = services.slot_publish(
        adviser=adviser, starts_at=soon, ends_at=soon + dt.timedelta(hours=1), modes=["phone"]
    )[0]
    meeting = services.meeting_book(
        case=case_of(client_user), slot_id=slot.pk, mode="phone", actor=adviser
    )
    far = publish_slot(adviser, days=5)
    services.meeting_book(case=case_of(client_user), slot_id=far.pk, mode="phone", actor=adviser)
    mail.outbox.clear()
    assert tasks.meeting_reminders_send() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([client_user.email, adviser.email])
    assert tasks.meeting_reminders_send() == 0
    assert tasks.meeting_reminder_send(meeting.pk) is False
    assert len(mail.outbox) == 2


# ---- messages, steps, leads ------------------------------------------------------------------


def test_messages_notify_without_content(
    adviser: User,
    client_user: User,
    adviser_browser: Client,
    client_browser: Client,
    django_capture_on_commit_callbacks: object,
) -> None:
    mail.outbox.clear()
    secret = "Jag har fått ett erbjudande från Volvo"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client_browser.post(reverse("advisers:client_messages"), {"body": secret})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [adviser.email]
    assert secret not in mail.outbox[0].body and "Volvo" not in mail.outbox[0].subject
    assert "Karin" not in mail.outbox[0].body
    assert selectors.caseload_get(adviser=adviser).rows[0].unread == 1
    page = adviser_browser.get(reverse("advisers:messages", kwargs={"client_id": client_user.pk}))
    assert secret in page.content.decode()
    assert selectors.caseload_get(adviser=adviser).rows[0].unread == 0
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        adviser_browser.post(
            reverse("advisers:messages", kwargs={"client_id": client_user.pk}), {"body": "Grattis!"}
        )
    assert mail.outbox[-1].to == [client_user.email] and "Grattis" not in mail.outbox[-1].body
    assert selectors.client_messages_unread_count(client=client_user) == 1
    empty = client_browser.post(reverse("advisers:client_messages"), {"body": "   "})
    assert empty.status_code == 200 and "error-summary" in empty.content.decode()


def test_shared_next_steps_are_ticked_off_by_the_client(
    adviser: User, client_user: User, adviser_browser: Client, client_browser: Client
) -> None:
    adviser_browser.post(
        reverse("advisers:step_add", kwargs={"client_id": client_user.pk}),
        {"text": "Skicka två ansökningar", "due_date": "2030-01-01"},
    )
    step = selectors.client_next_steps(client=client_user)[0]
    assert (
        "Skicka två ansökningar"
        in client_browser.get(reverse("advisers:client_home")).content.decode()
    )
    client_browser.post(reverse("advisers:client_step_toggle", kwargs={"step_id": step.pk}))
    step.refresh_from_db()
    assert step.is_done and step.done_by == client_user


def test_pushed_leads_show_as_from_the_adviser(
    adviser: User, client_user: User, adviser_browser: Client, client_browser: Client
) -> None:
    adviser_browser.post(
        reverse("advisers:recommend", kwargs={"client_id": client_user.pk}),
        {
            "kind": "article",
            "url": "/analyser/framtidens-arbetsliv/",
            "title": "Framtidens arbetsliv",
            "note": "Läs!",
        },
    )
    bad = adviser_browser.post(
        reverse("advisers:recommend", kwargs={"client_id": client_user.pk}),
        {"kind": "article", "url": "javascript:alert(1)", "title": "x"},
    )
    assert bad.status_code == 200 and Recommendation.objects.count() == 1
    home = client_browser.get(reverse("advisers:client_home")).content.decode()
    assert "Från din rådgivare" in home and "Framtidens arbetsliv" in home
    assert Recommendation.objects.get().seen_at is not None


def test_recommending_a_real_ad(adviser: User, client_user: User) -> None:
    from vagval.jobs.models import JobAd

    ad = JobAd.objects.create(
        source="platsbanken",
        source_id="x1",
        headline="Projektledare IT",
        employer_name="Volvo",
        url="https://arbetsformedlingen.se/platsbanken/annonser/1",
        content_hash="h",
        record_hash="r",
        minhash=b"",
        is_canonical=True,
    )
    rec = services.recommendation_create(
        case=case_of(client_user), kind="ad", ad_id=ad.pk, actor=adviser
    )
    assert rec.title == "Projektledare IT – Volvo" and rec.url == ad.url
    assert selectors.client_recommended_ad_ids(client=client_user) == {ad.pk}
    with pytest.raises(ValidationError):
        services.recommendation_create(
            case=case_of(client_user), kind="ad", ad_id=987654, actor=adviser
        )


# ---- seminars --------------------------------------------------------------------------------


def test_seminar_capacity_waiting_list_and_attendance(adviser: User) -> None:
    start = timezone.now() + dt.timedelta(days=7)
    seminar = services.seminar_create(
        host=adviser,
        title="CV-verkstad",
        topic="cv",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=2,
    )
    a, b, c = (make_client(adviser=adviser) for _ in range(3))
    statuses = [services.seminar_register(seminar=seminar, client=x).status for x in (a, b, c)]
    assert statuses == ["registered", "registered", "waitlisted"]
    services.seminar_unregister(seminar=seminar, client=a)
    assert SeminarRegistration.objects.get(client=c).status == "registered"
    reg = SeminarRegistration.objects.get(client=b)
    browser = login(adviser)
    page = browser.get(reverse("advisers:seminar", kwargs={"seminar_id": seminar.pk}))
    assert b.get_full_name() in page.content.decode()
    browser.post(
        reverse("advisers:seminar", kwargs={"seminar_id": seminar.pk}),
        {"registration": reg.pk, "attended": "yes"},
    )
    reg.refresh_from_db()
    assert reg.attended is True
    # Another adviser sees the seminar but not who signed up.
    other = login(make_adviser()).get(
        reverse("advisers:seminar", kwargs={"seminar_id": seminar.pk})
    )
    assert b.get_full_name() not in other.content.decode()


def test_client_signs_up_from_the_journey(
    adviser: User, client_user: User, client_browser: Client
) -> None:
    start = timezone.now() + dt.timedelta(days=7)
    seminar = services.seminar_create(
        host=adviser,
        title="LinkedIn",
        topic="linkedin",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        capacity=5,
    )
    client_browser.post(reverse("advisers:client_seminars"), {"seminar": seminar.pk})
    assert (
        selectors.client_seminar_registrations(client=client_user)[seminar.pk].status
        == "registered"
    )
    client_browser.post(
        reverse("advisers:client_seminars"), {"seminar": seminar.pk, "action": "cancel"}
    )
    assert selectors.client_seminar_registrations(client=client_user) == {}


# ---- outcomes and figures --------------------------------------------------------------------


def test_outcome_closes_the_case_and_feeds_statistics(
    adviser: User, client_user: User, adviser_browser: Client, taxonomy_loaded: str
) -> None:
    response = adviser_browser.post(
        reverse("advisers:outcome", kwargs={"client_id": client_user.pk}),
        {
            "kind": "job",
            "date": timezone.localdate().isoformat(),
            "occupation": "Projektledare, IT",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(client=client_user)
    assert not case.is_open and case.outcome.occupation_id
    anon = AnonymisedOutcome.objects.get()
    assert (
        anon.kind == "job" and anon.month.day == 1 and anon.organisation == client_user.organisation
    )
    assert anon.weeks_from_notice == 2  # notice 20 days ago
    mine, council, _n = selectors.adviser_figures(adviser=adviser)
    assert mine.outcomes == 1 and council.outcomes == 1 and mine.median_weeks == 2
    # The adviser keeps access to the closed case for a while, but it is no longer in the list.
    assert (
        adviser_browser.get(
            reverse("advisers:client", kwargs={"client_id": client_user.pk})
        ).status_code
        == 200
    )
    assert selectors.caseload_get(adviser=adviser).rows == []


def test_aggregates_hide_small_groups(
    adviser: User, settings: object, taxonomy_loaded: str
) -> None:
    settings.VAGVAL_SUPPRESSION_THRESHOLD = 3  # type: ignore[attr-defined]
    org_clients = [make_client(adviser=adviser) for _ in range(4)]
    from vagval.taxonomy.selectors import concept_autocomplete

    pm = concept_autocomplete(query="projektledare", types=["occupation"], limit=1)[0].concept_id
    for client in org_clients[:3]:
        services.outcome_record(
            case=case_of(client),
            kind="job",
            occupation_id=pm,
            date=timezone.localdate(),
            recorded_by="adviser",
        )
    services.outcome_record(
        case=case_of(org_clients[3]),
        kind="studies",
        date=timezone.localdate(),
        recorded_by="client",
    )
    rows = selectors.outcomes_aggregate(group_by=("kind",))
    assert rows == [{"kind": "job", "count": 3, "median_weeks": 2}]
    assert selectors.outcome_transitions() == []  # no occupation held before: no transition


def test_client_records_own_outcome(client_user: User, client_browser: Client) -> None:
    client_browser.post(
        reverse("advisers:client_outcome"),
        {"kind": "business", "date": timezone.localdate().isoformat()},
    )
    assert Case.objects.get(client=client_user).outcome.recorded_by == "client"
    assert (
        client_browser.post(
            reverse("advisers:client_outcome"), {"kind": "job", "date": "2020-01-01"}
        ).status_code
        == 302
    )


def test_users_of_other_roles_get_no_case(db: None) -> None:
    hr = UserFactory(role=User.Role.HR)
    with pytest.raises(PermissionDenied):
        services.case_open(client=hr)
