"""Demo data of the adviser portal.

The demo adviser (radgivare@demo.vagval.se, a team lead) gets a profile, two colleagues, a
caseload with the demo client (who shares the journey with the adviser) and twenty synthetic
clients across the journey stages (some with signals: low energy, economic stress, a last
working day near, stalled for weeks, in the journey for months without a CV, unread messages,
a due step, a wish to change adviser; three who have not shared their journey; see
SIGNAL_EXAMPLES), published free times, one meeting the demo client has booked, a seminar
the demo client is signed up to, a pushed lead and a few closed cases with outcomes. Journey
and case timestamps are set relative to the moment the demo is loaded, so the time-based
signals fire whenever it is loaded.

Runs after the accounts and journey demos (INSTALLED_APPS order). Idempotent: once the demo
adviser has a profile, nothing is changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any, TextIO

from django.utils import timezone

from journey.demo import DEMO_PLACES, demo_answers, demo_journey_backdate, demo_response_fill
from journey.services.answer_values import AnswerRefused, place_resolve
from journey.services.client import (
    client_profile_employment_sync,
    client_profile_get_or_create,
    client_profile_stage_advance,
)
from journey.services.questionnaire import response_complete, response_start
from vagval.accounts.demo import (
    DEMO_ADVISER_EMAIL,
    DEMO_CLIENT_EMAIL,
    DEMO_ORG_NUMBER,
    demo_user_ensure,
)
from vagval.accounts.models import Organisation, User
from vagval.accounts.selectors import user_get_by_email
from vagval.consent.models import ConsentPurpose
from vagval.consent.services import consent_grant
from vagval.taxonomy import selectors as taxonomy
from vagval.web.demoloader import DemoLogin

from . import services
from .models import (
    AdviserProfile,
    Case,
    CaseEvent,
    MeetingMode,
    Message,
    NextStep,
    Recommendation,
)
from .selectors import CV_GRACE_DAYS

REGION_VASTRA_GOTALAND = "zdoY_6u5_Krt"
REGION_STOCKHOLM = "CifL_Rzy_Mku"
REGION_SKANE = "CaRE_1nn_cSU"

COLLEAGUES = [
    (
        "radgivare2@demo.vagval.se",
        "Lina",
        "Holm",
        [REGION_STOCKHOLM],
        ["21", "24"],
        ["sv", "en", "fi"],
    ),
    (
        "radgivare3@demo.vagval.se",
        "Omar",
        "Sayed",
        [REGION_SKANE],
        ["33", "41"],
        ["sv", "ar", "en"],
    ),
]

# (first, last, stage, days since notice, days to last working day, answers to override or
# None for no questionnaire, shares the journey)
SYNTHETIC = [
    ("Maria", "Andersson", "not_started", 3, 180, None, True),
    ("Johan", "Eriksson", "not_started", 10, 120, None, True),
    ("Fatima", "Hassan", "current_state", 5, 85, None, True),
    ("Peter", "Nilsson", "current_state", 20, 25, {"energy": 2, "wellbeing": 2}, True),
    (
        "Anna",
        "Larsson",
        "competence",
        30,
        60,
        {"economic_runway": "under_3", "economic_worry": 5},
        True,
    ),
    ("Erik", "Johansson", "competence", 45, 15, {}, True),
    ("Sara", "Karlsson", "competence", 12, 150, {"energy": 4}, True),
    ("Mikael", "Olsson", "market", 60, 30, {}, True),
    ("Elin", "Persson", "market", 35, 95, {"economic_worry": 4}, True),
    ("Ahmad", "Rahimi", "market", 50, 40, {"energy": 1}, True),
    ("Karl", "Svensson", "cv", 70, 20, {}, True),
    ("Emma", "Gustafsson", "cv", 80, 10, {"economic_runway": "under_3"}, True),
    ("Lars", "Pettersson", "cv", 40, 110, None, True),
    ("Nadia", "Ali", "feed", 90, 5, {}, True),
    ("Oskar", "Jonsson", "feed", 100, -10, None, True),
    ("Linnea", "Berglund", "feed", 65, 45, None, True),
    ("Hanna", "Lindberg", "finished", 120, -30, None, True),
    ("Ali", "Mohammadi", "current_state", 8, 170, None, False),
    ("Sofia", "Axelsson", "competence", 25, 75, None, False),
    ("David", "Lundgren", "market", 55, 35, None, False),
]

# When a synthetic client started the journey and was last active, in days before the demo is
# loaded: (started, last active). Most clients are a few days into the platform and were
# active this week; the ones below make the caseload's time-based signals fire.
ACTIVITY: dict[tuple[str, str], tuple[int, int]] = {
    # Stalled: half-way through the CV step, nothing done for almost three weeks.
    ("Lars", "Pettersson"): (36, 19),
    # Stalled after the last working day passed, a step from the adviser due tomorrow.
    ("Oskar", "Jonsson"): (95, 27),
    # Active in the job feed, but in the journey for two months without touching a CV.
    ("Linnea", "Berglund"): (58, 2),
}

# The demo client whose row shows each priority signal (tests/advisers/test_demo.py checks
# them, so the demo keeps showing a realistic mix).
SIGNAL_EXAMPLES = {
    "stalled": "Lars Pettersson",
    "cv_untouched": "Linnea Berglund",
    "low_energy": "Peter Nilsson",
    "economic_stress": "Anna Larsson",
    "deadline": "Nadia Ali",
    "unread": "Linnea Berglund",
    "step_due": "Oskar Jonsson",
    "change_requested": "Sara Karlsson",
    "not_started": "Maria Andersson",
}

CLOSED = [
    ("Jenny", "Holmberg", "job", "projektledare"),
    ("Tobias", "Sandberg", "job", "systemutvecklare"),
    ("Marie", "Ek", "studies", ""),
]


def _occupation(text: str) -> str:
    if not text:
        return ""
    hits = taxonomy.concept_autocomplete(query=text, types=["occupation"], limit=1)
    return hits[0].concept_id if hits else ""


def _adviser_profile(
    user: User, regions: list[str], codes: list[str], languages: list[str], **extra: Any
) -> AdviserProfile:
    profile = services.adviser_profile_get_or_create(adviser=user)
    return services.adviser_profile_update(
        profile=profile,
        region_ids=regions,
        occupation_codes=codes,
        languages=languages,
        **extra,
    )


def _questionnaire(client_user: User, overrides: dict[str, Any], today: dt.date) -> None:
    client = client_profile_get_or_create(user=client_user)
    response = response_start(client=client)
    if response.is_completed:
        return
    values = demo_answers(today=today)
    values.update(overrides)
    places = []
    for name in DEMO_PLACES[:1]:
        with contextlib.suppress(AnswerRefused):
            places.append(place_resolve(name=name))
    if places:
        values["places"] = places
    demo_response_fill(client=client, response=response, values=values)
    response_complete(client=client, response=response)


def _synthetic_client(index: int, first: str, last: str, organisation: Organisation | None) -> User:
    return demo_user_ensure(
        email=f"demo-klient-{index:02d}@demo.vagval.se",
        role=User.Role.CLIENT,
        first_name=first,
        last_name=last,
        organisation=organisation,
    )


def _activity(index: int, first: str, last: str, since: int) -> tuple[int, int]:
    """(days since the journey started, days since last activity) of a synthetic client."""
    if (first, last) in ACTIVITY:
        return ACTIVITY[(first, last)]
    # Joined a few days after the notice (within the two weeks before a CV is expected).
    started = max(min(since - 2, CV_GRACE_DAYS - 1), 0)
    return started, min(index % 6, started)


def _backdate(
    *, case: Case, client: User, started_at: dt.datetime, last_active_at: dt.datetime
) -> None:
    """Move the client's journey and case back in time (the services stamp everything now)."""
    demo_journey_backdate(
        client=client_profile_get_or_create(user=client),
        started_at=started_at,
        last_active_at=last_active_at,
    )
    Case.objects.filter(pk=case.pk).update(
        opened_at=started_at, assigned_at=started_at, last_activity_at=last_active_at
    )
    CaseEvent.objects.filter(case=case).update(at=started_at)
    NextStep.objects.filter(case=case).update(created_at=last_active_at)
    Message.objects.filter(case=case).update(created_at=last_active_at)


def load_demo_data(*, stdout: TextIO) -> list[DemoLogin]:
    adviser = user_get_by_email(email=DEMO_ADVISER_EMAIL)
    demo_client = user_get_by_email(email=DEMO_CLIENT_EMAIL)
    if adviser is None or demo_client is None:
        stdout.write("  hoppar över rådgivarportalen: demoanvändarna finns inte\n")
        return []
    if AdviserProfile.objects.filter(pk=adviser.pk).exists():
        stdout.write("  rådgivarportalens demodata finns redan\n")
        return []
    today = timezone.localdate()
    now = timezone.now()
    organisation = Organisation.objects.filter(org_number=DEMO_ORG_NUMBER).first()

    _adviser_profile(
        adviser,
        [REGION_VASTRA_GOTALAND],
        ["25", "24", "13"],
        ["sv", "en", "ar"],
        title="Omställningsrådgivare",
        presentation_sv=(
            "Jag har arbetat med omställning i tio år och var tidigare IT-chef inom industrin. "
            "Jag hjälper dig att se vad du kan, var jobben finns och hur du tar nästa steg."
        ),
        presentation_en=(
            "I have worked with career transition for ten years, after a career as an IT "
            "manager in manufacturing. I help you see what you can do and where the jobs are."
        ),
        video_room_url="https://video.exempel.se/ahmed-berg",
        default_location="Vägvals kontor, Kungsgatan 12, Göteborg",
        capacity=160,
    )
    AdviserProfile.objects.filter(pk=adviser.pk).update(is_team_lead=True)
    for email, first, last, regions, codes, languages in COLLEAGUES:
        colleague = demo_user_ensure(
            email=email, role=User.Role.ADVISER, first_name=first, last_name=last
        )
        _adviser_profile(colleague, regions, codes, languages, capacity=60)

    # The demo client shares the journey with their adviser.
    consent_grant(user=demo_client, purpose=ConsentPurpose.ADVISER_ACCESS)
    case = services.case_open(client=demo_client, adviser=adviser, actor=adviser)
    assert case is not None
    Case.objects.filter(pk=case.pk).update(
        match_reasons=[
            {"sv": "Arbetar i din region", "en": "Works in your region"},
            {"sv": "Har erfarenhet av ditt yrkesområde", "en": "Knows your occupational field"},
        ]
    )
    services.next_step_add(
        case=case,
        text="Uppdatera CV:t med projekten från 2023",
        actor=adviser,
        due_date=today + dt.timedelta(days=7),
    )
    services.next_step_add(case=case, text="Välj två målyrken i steg 3", actor=adviser)
    services.note_add(
        case=case,
        body="Första kontakt. Vill helst vara kvar i projektledning, öppen för produktägarroll.",
        actor=adviser,
    )
    services.message_send(
        case=case,
        sender=adviser,
        body="Hej Karin! Jag är din rådgivare. Boka gärna ett första möte när det passar dig.",
    )

    # Free times for two weeks, weekdays 09:00 and 13:00.
    tz = timezone.get_current_timezone()
    slots = []
    for day in range(1, 15):
        date = today + dt.timedelta(days=day)
        if date.weekday() >= 5:
            continue
        for hour in (9, 13):
            start = dt.datetime.combine(date, dt.time(hour, 0), tzinfo=tz)
            slots += services.slot_publish(
                adviser=adviser,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=1),
                modes=[MeetingMode.IN_PERSON, MeetingMode.PHONE, MeetingMode.VIDEO],
                location="Kungsgatan 12, Göteborg",
            )
    services.meeting_book(
        case=case,
        slot_id=slots[1].pk,
        mode=MeetingMode.VIDEO,
        actor=demo_client,
        agenda="Hur jag beskriver mina projekt i CV:t",
    )

    cv_seminar = services.seminar_create(
        host=adviser,
        title="CV-verkstad: från uppgifter till resultat",
        topic="cv",
        description="Vi går igenom hur du skriver ett CV som visar vad du åstadkommit.",
        starts_at=dt.datetime.combine(today + dt.timedelta(days=10), dt.time(10), tzinfo=tz),
        ends_at=dt.datetime.combine(today + dt.timedelta(days=10), dt.time(12), tzinfo=tz),
        location="Kungsgatan 12, Göteborg",
        capacity=12,
    )
    services.seminar_create(
        host=adviser,
        title="LinkedIn för dig som söker jobb",
        topic="linkedin",
        starts_at=dt.datetime.combine(today + dt.timedelta(days=17), dt.time(13), tzinfo=tz),
        ends_at=dt.datetime.combine(today + dt.timedelta(days=17), dt.time(14, 30), tzinfo=tz),
        video_url="https://video.exempel.se/seminarium-linkedin",
        capacity=30,
    )
    services.seminar_register(seminar=cv_seminar, client=demo_client)
    services.recommendation_create(
        case=case,
        kind=Recommendation.Kind.SEMINAR,
        seminar_id=cv_seminar.pk,
        note="Passar bra inför vårt möte!",
        actor=adviser,
    )
    from vagval.jobs.selectors import ads_active

    ad = ads_active().filter(headline__icontains="projektledare").first() or ads_active().first()
    if ad is not None:
        services.recommendation_create(
            case=case,
            kind=Recommendation.Kind.AD,
            ad_id=ad.pk,
            actor=adviser,
            note="Den här verkar matcha det du berättade.",
        )

    # Twenty synthetic clients across the stages.
    for index, (first, last, stage, since, until, answers, shares) in enumerate(SYNTHETIC, 1):
        user = _synthetic_client(index, first, last, organisation)
        if answers is not None:
            answers = {
                "notice_date": (today - dt.timedelta(days=since)).isoformat(),
                "last_working_day": (today + dt.timedelta(days=until)).isoformat(),
                **answers,
            }
            _questionnaire(user, answers, today)
        profile = client_profile_get_or_create(user=user)
        client_profile_employment_sync(
            client=profile,
            status="notice" if until >= 0 else "left",
            notice_date=today - dt.timedelta(days=since),
            last_working_day=today + dt.timedelta(days=until),
        )
        client_profile_stage_advance(client=profile, stage=stage)
        if shares:
            consent_grant(user=user, purpose=ConsentPurpose.ADVISER_ACCESS)
        synthetic_case = services.case_open(client=user, adviser=adviser, actor=adviser)
        assert synthetic_case is not None
        if index % 4 == 0:
            services.message_send(
                case=synthetic_case, sender=user, body="Hej! Kan vi ses nästa vecka?"
            )
        if index % 5 == 0:
            services.next_step_add(
                case=synthetic_case,
                text="Skicka två ansökningar",
                actor=adviser,
                due_date=today + dt.timedelta(days=1),
            )
        started, idle = _activity(index, first, last, since)
        _backdate(
            case=synthetic_case,
            client=user,
            started_at=now - dt.timedelta(days=started, hours=2),
            last_active_at=now - dt.timedelta(days=idle, hours=1),
        )
        if index == 7:
            services.change_request_create(client=user, reason="", wished_language="en")

    # A few closed cases, so the figures have something to show.
    for offset, (first, last, kind, occupation) in enumerate(CLOSED):
        user = _synthetic_client(21 + offset, first, last, organisation)
        closed_case = services.case_open(client=user, adviser=adviser, actor=adviser)
        assert closed_case is not None
        occupation_id = _occupation(occupation)
        if kind == "job" and not occupation_id:
            kind = "other"
        services.outcome_record(
            case=closed_case,
            kind=kind,
            date=today - dt.timedelta(days=20 * (offset + 1)),
            occupation_id=occupation_id,
            recorded_by="adviser",
            actor=adviser,
        )
    stdout.write(
        f"  rådgivaren har {Case.objects.filter(adviser=adviser, closed_at=None).count()} "
        f"klienter, {len(slots)} lediga tider, ett bokat möte och två seminarier "
        f"({(timezone.now() - now).total_seconds():.1f} s)\n"
    )
    return [
        DemoLogin(role="Rådgivare", email=email, description="rådgivarportalen")
        for email, *_rest in COLLEAGUES
    ]
