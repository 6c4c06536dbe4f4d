"""Reads of the adviser portal, for its own views and for other apps.

For the client journey (`journey`), reading what the adviser shares with the client:
- `client_adviser_get(*, client)`: the assigned adviser as a card (photo, presentation), or None
- `client_meetings_upcoming(*, client)`, `client_next_steps(*, client)`
- `client_messages_unread_count(*, client)`, `client_recommendations(*, client)`
- `client_seminar_registrations(*, client)`, `client_adviser_panel(*, client)` (all of it at once)

For the employer portal and journey step 3 (anonymised, suppressed below the threshold):
- `outcomes_aggregate(*, organisation_id=None, group_by=("kind",), since=None)`
- `outcome_transitions(*, from_occupation_id=None, min_count=None)`

For `vagval.consent.access`: `adviser_has_client(*, adviser, client)`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    JSONField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from journey.cv.selectors import cv_activity_for_clients
from journey.selectors.advisers_api import JourneySignals, journey_signals_for_clients
from vagval.accounts.models import User
from vagval.consent.models import ConsentPurpose
from vagval.consent.selectors import consent_granted_user_ids

from .models import (
    AdviserChangeRequest,
    AdviserNote,
    AdviserProfile,
    AnonymisedOutcome,
    Case,
    CaseEvent,
    Meeting,
    MeetingSlot,
    Message,
    NextStep,
    Outcome,
    OutcomeKind,
    Recommendation,
    Seminar,
    SeminarRegistration,
    SharingChoice,
)

# An adviser keeps access to a closed case this long (to finish notes and answer messages).
CLOSED_CASE_ACCESS_DAYS = 30
STALLED_DAYS = 14
CV_UNTOUCHED_DAYS = 30
CV_GRACE_DAYS = 14  # a new client is not flagged for a missing CV before this
DEADLINE_DAYS = 30
STEP_DUE_DAYS = 3

JOURNEY_STAGES = (
    "not_started",
    "current_state",
    "competence",
    "market",
    "cv",
    "feed",
    "finished",
)


def _lang(language: str | None) -> int:
    return 1 if (language or "").startswith("en") else 0


# ---- access ----------------------------------------------------------------------------------


def _access_window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=CLOSED_CASE_ACCESS_DAYS)


def adviser_cases(*, adviser: Any) -> QuerySet[Case]:
    """The cases an adviser may work on: open ones, and ones closed in the last 30 days."""
    return Case.objects.filter(adviser=adviser).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=_access_window_start())
    )


def adviser_has_client(*, adviser: Any, client: Any) -> bool:
    """Is `client` assigned to `adviser` (the relationship rule of `client_access`)? 1 query."""
    if getattr(adviser, "role", None) != User.Role.ADVISER:
        return False
    return adviser_cases(adviser=adviser).filter(client=client).exists()


def adviser_case_get(*, adviser: Any, client_id: int) -> Case | None:
    """The adviser's case of this client (the open one first), or None."""
    return (
        adviser_cases(adviser=adviser)
        .filter(client_id=client_id)
        .select_related("client")
        .order_by(F("closed_at").desc(nulls_first=True), "-opened_at")
        .first()
    )


def client_case_open(*, client: Any) -> Case | None:
    return (
        Case.objects.filter(client=client, closed_at__isnull=True)
        .select_related("adviser", "adviser__adviser_profile")
        .first()
    )


def client_case_latest(*, client: Any) -> Case | None:
    """The open case, else the most recently closed one."""
    return client_case_open(client=client) or (
        Case.objects.filter(client=client)
        .select_related("adviser", "adviser__adviser_profile")
        .order_by("-closed_at")
        .first()
    )


def hidden_parts(*, client: Any) -> set[str]:
    choice = SharingChoice.objects.filter(pk=getattr(client, "pk", client)).first()
    return set(choice.hidden_parts) if choice else set()


# ---- advisers, intake ------------------------------------------------------------------------


@dataclass
class AdviserLoad:
    profile: AdviserProfile
    open_cases: int

    @property
    def free(self) -> int:
        return max(self.profile.capacity - self.open_cases, 0)


def advisers_with_load(*, exclude_ids: Iterable[int] = ()) -> list[AdviserLoad]:
    """Every active adviser with a profile and their number of open cases (1 query)."""
    profiles = (
        AdviserProfile.objects.filter(user__is_active=True, user__role=User.Role.ADVISER)
        .exclude(pk__in=list(exclude_ids))
        .select_related("user")
        .annotate(
            open_cases=Count("user__caseload", filter=Q(user__caseload__closed_at__isnull=True))
        )
        .order_by("pk")
    )
    return [AdviserLoad(profile=p, open_cases=p.open_cases) for p in profiles]  # type: ignore[attr-defined]


def clients_without_case(*, client_ids: Sequence[int]) -> list[int]:
    """The ids among `client_ids` that have never had a case, in the given order."""
    have = set(
        Case.objects.filter(client_id__in=list(client_ids)).values_list("client_id", flat=True)
    )
    return [i for i in client_ids if i not in have]


def adviser_profile_get(*, adviser: Any) -> AdviserProfile | None:
    return AdviserProfile.objects.filter(pk=getattr(adviser, "pk", None)).first()


def change_requests_open() -> list[AdviserChangeRequest]:
    return list(
        AdviserChangeRequest.objects.filter(resolved_at__isnull=True)
        .select_related("case__client", "case__adviser")
        .order_by("created_at")
    )


def cases_open_for_team(*, limit: int = 500) -> list[Case]:
    return list(
        Case.objects.filter(closed_at__isnull=True)
        .select_related("client", "adviser")
        .order_by("adviser__last_name", "adviser__first_name", "client__last_name")[:limit]
    )


# ---- caseload --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    code: str
    label: str
    weight: int


SIGNAL_LABELS: dict[str, tuple[str, str, int]] = {
    "change_requested": ("Vill byta rådgivare", "Wants another adviser", 4),
    "low_energy": ("Låg energi eller mår dåligt", "Low energy or wellbeing", 4),
    "economic_stress": ("Ekonomisk oro", "Economic stress", 3),
    "deadline": ("Sista anställningsdag snart", "Last working day soon", 3),
    "step_due": ("Nästa steg förfaller", "Next step due", 2),
    "stalled": ("Ingen aktivitet på länge", "No activity for a long time", 2),
    "unread": ("Oläst meddelande", "Unread message", 2),
    "cv_untouched": ("CV orört", "CV untouched", 1),
    "not_started": ("Har inte börjat resan", "Has not started the journey", 1),
}
SIGNAL_CODES = tuple(SIGNAL_LABELS)


@dataclass
class CaseloadRow:
    case_id: int
    client_id: int
    name: str
    shared: bool  # adviser_access consent in force
    stage: str = ""
    stage_label: str = ""
    days_since_notice: int | None = None
    days_to_last_day: int | None = None
    last_activity_at: dt.datetime | None = None
    next_meeting_at: dt.datetime | None = None
    unread: int = 0
    open_steps: int = 0
    signals: list[Signal] = field(default_factory=list)
    change_requested: bool = False
    # Display strings, made once in Python: a template tag per cell for 150 rows is slow.
    url: str = ""
    notice_text: str = ""
    last_day_text: str = ""
    activity_text: str = ""
    meeting_text: str = ""
    unread_text: str = ""

    @property
    def score(self) -> int:
        return sum(s.weight for s in self.signals)

    @property
    def signal_codes(self) -> set[str]:
        return {s.code for s in self.signals}


@dataclass
class Caseload:
    rows: list[CaseloadRow]
    total: int
    by_stage: list[tuple[str, str, int]]  # (stage, label, count) over the whole caseload
    by_signal: list[tuple[str, str, int]]
    filters: dict[str, str]

    @property
    def max_stage_count(self) -> int:
        return max((n for _s, _l, n in self.by_stage), default=0)


def _stage_labels() -> dict[str, str]:
    from journey.models import JourneyStage

    return {value: str(label) for value, label in JourneyStage.choices}


def _signals_for(
    *,
    row: CaseloadRow,
    journey: JourneySignals | None,
    hidden: set[str],
    case_activity: dt.datetime | None,
    cv_built_at: dt.datetime | None,
    step_due: bool,
    now: dt.datetime,
    today: dt.date,
    pick: int,
) -> list[Signal]:
    found: list[str] = []
    if row.change_requested:
        found.append("change_requested")
    if row.unread:
        found.append("unread")
    if step_due:
        found.append("step_due")
    if journey is None:
        found.append("not_started")
    else:
        codes = set(journey.priority_reason_codes)
        if "wellbeing" not in hidden:
            if codes & {"low_energy", "low_wellbeing"} or (
                journey.energy is not None and journey.energy <= 2
            ):
                found.append("low_energy")
            if codes & {"short_runway", "economic_worry"}:
                found.append("economic_stress")
        if row.days_to_last_day is not None and 0 <= row.days_to_last_day <= DEADLINE_DAYS:
            found.append("deadline")
        last = max(
            m for m in (journey.last_activity_at, case_activity, cv_built_at) if m is not None
        )
        if (now - last).days >= STALLED_DAYS:
            found.append("stalled")
        in_journey_days = (now - journey.started_at).days
        # An uploaded old CV (step 2) or one made in the CV builder (step 4), the newer.
        cv_at = max(
            (m for m in (journey.cv_updated_at, cv_built_at) if m is not None), default=None
        )
        if in_journey_days >= CV_GRACE_DAYS and (
            cv_at is None or (now - cv_at).days >= CV_UNTOUCHED_DAYS
        ):
            found.append("cv_untouched")
        if journey.stage == "not_started":
            found.append("not_started")
    out = []
    for code in dict.fromkeys(found):
        sv, en, weight = SIGNAL_LABELS[code]
        out.append(Signal(code, (sv, en)[pick], weight))
    out.sort(key=lambda s: -s.weight)
    return out


SORTS = {
    "priority": lambda r: (-r.score, r.name.lower()),
    "name": lambda r: r.name.lower(),
    "stage": lambda r: (
        JOURNEY_STAGES.index(r.stage) if r.stage in JOURNEY_STAGES else -1,
        r.name.lower(),
    ),
    "notice": lambda r: (r.days_since_notice is None, -(r.days_since_notice or 0)),
    "last_day": lambda r: (r.days_to_last_day is None, r.days_to_last_day or 0),
    "activity": lambda r: (r.last_activity_at is None, r.last_activity_at or timezone.now()),
    "meeting": lambda r: (r.next_meeting_at is None, r.next_meeting_at or timezone.now()),
}


def caseload_get(
    *,
    adviser: Any,
    language: str = "sv",
    stage: str = "",
    signal: str = "",
    query: str = "",
    sort: str = "priority",
    descending: bool = False,
) -> Caseload:
    """The adviser's open cases with journey facts and priority signals (6 queries).

    Journey facts and signals are shown only for clients whose adviser_access consent is in
    force; for the others the row says only that they have not shared their journey.
    """
    now = timezone.now()
    today = timezone.localdate()
    pick = _lang(language)
    next_meeting = (
        Meeting.objects.filter(case=OuterRef("pk"), status=Meeting.Status.BOOKED, ends_at__gte=now)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    # One row per case: counts as correlated subqueries, so the joins do not multiply rows.
    unread = (
        Message.objects.filter(case=OuterRef("pk"), from_client=True, read_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    open_steps = (
        NextStep.objects.filter(case=OuterRef("pk"), done_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(n=Count("id"), due=Min("due_date"))
    )
    pending = AdviserChangeRequest.objects.filter(case=OuterRef("pk"), resolved_at__isnull=True)
    cases = list(
        Case.objects.filter(adviser=adviser, closed_at__isnull=True)
        .select_related("client")
        .only(
            "pk",
            "last_activity_at",
            "client__id",
            "client__first_name",
            "client__last_name",
            "client__email",
        )
        .annotate(
            next_meeting_at=Subquery(next_meeting, output_field=DateTimeField()),
            unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
            open_steps=Coalesce(
                Subquery(open_steps.values("n")[:1], output_field=IntegerField()), Value(0)
            ),
            step_due_at=Subquery(open_steps.values("due")[:1], output_field=DateField()),
            pending_change=Exists(pending),
            # The client's choice of what to keep from the adviser, in the same query.
            hidden_parts=Subquery(
                SharingChoice.objects.filter(pk=OuterRef("client_id")).values("hidden_parts")[:1],
                output_field=JSONField(),
            ),
        )
    )
    client_ids = [c.client_id for c in cases]
    shared_ids = consent_granted_user_ids(
        purpose=ConsentPurpose.ADVISER_ACCESS, user_ids=client_ids
    )
    journeys = journey_signals_for_clients(client_ids=shared_ids) if shared_ids else {}
    cvs_built = cv_activity_for_clients(client_ids=shared_ids) if shared_ids else {}
    stage_labels = _stage_labels()
    rows: list[CaseloadRow] = []
    for case in cases:
        client = case.client
        row = CaseloadRow(
            case_id=case.pk,
            client_id=client.pk,
            name=client.get_full_name() or client.email,
            shared=client.pk in shared_ids,
            next_meeting_at=case.next_meeting_at,  # type: ignore[attr-defined]
            unread=case.unread,  # type: ignore[attr-defined]
            open_steps=case.open_steps,  # type: ignore[attr-defined]
            change_requested=bool(case.pending_change),  # type: ignore[attr-defined]
            last_activity_at=case.last_activity_at,
        )
        journey = journeys.get(client.pk)
        step_due_at = case.step_due_at  # type: ignore[attr-defined]
        step_due = step_due_at is not None and (step_due_at - today).days <= STEP_DUE_DAYS
        if row.shared:
            if journey is not None:
                row.stage = journey.stage
                row.stage_label = stage_labels.get(journey.stage, journey.stage)
                if journey.notice_date:
                    row.days_since_notice = (today - journey.notice_date).days
                if journey.last_working_day:
                    row.days_to_last_day = (journey.last_working_day - today).days
                row.last_activity_at = max(
                    m
                    for m in (
                        journey.last_activity_at,
                        case.last_activity_at,
                        cvs_built.get(client.pk),
                    )
                    if m is not None
                )
            else:
                row.stage = "not_started"
                row.stage_label = stage_labels["not_started"]
            row.signals = _signals_for(
                row=row,
                journey=journey,
                hidden=set(case.hidden_parts or []),  # type: ignore[attr-defined]
                case_activity=case.last_activity_at,
                cv_built_at=cvs_built.get(client.pk),
                step_due=step_due,
                now=now,
                today=today,
                pick=pick,
            )
        else:
            base = []
            if row.change_requested:
                base.append("change_requested")
            if row.unread:
                base.append("unread")
            row.signals = [
                Signal(c, str(SIGNAL_LABELS[c][pick]), SIGNAL_LABELS[c][2]) for c in base
            ]
        rows.append(row)
    stage_counts = Counter(r.stage for r in rows if r.shared)
    by_stage = [(s, stage_labels[s], stage_counts.get(s, 0)) for s in JOURNEY_STAGES]
    not_shared = sum(1 for r in rows if not r.shared)
    if not_shared:
        by_stage.append(("", ("Har inte delat", "Not shared")[pick], not_shared))
    signal_counts = Counter(code for r in rows for code in r.signal_codes)
    by_signal = [(c, str(SIGNAL_LABELS[c][pick]), signal_counts.get(c, 0)) for c in SIGNAL_CODES]
    total = len(rows)
    if stage:
        rows = [r for r in rows if r.stage == stage or (stage == "-" and not r.shared)]
    if signal:
        rows = [r for r in rows if signal in r.signal_codes]
    if query:
        needle = query.strip().lower()
        rows = [r for r in rows if needle in r.name.lower()]
    key = SORTS.get(sort, SORTS["priority"])
    rows.sort(key=key, reverse=descending)  # type: ignore[arg-type]
    _display_texts(rows)
    return Caseload(
        rows=rows,
        total=total,
        by_stage=by_stage,
        by_signal=by_signal,
        filters={"stage": stage, "signal": signal, "q": query, "sort": sort},
    )


def _display_texts(rows: list[CaseloadRow]) -> None:
    """Fill the rows' display strings (dates in the active language, day counts in words)."""
    from django.urls import reverse
    from django.utils.formats import date_format
    from django.utils.translation import gettext, ngettext

    base = reverse("advisers:client", kwargs={"client_id": 0}).replace("/0/", "/{}/")
    days: dict[int, str] = {}
    dates: dict[tuple[dt.date, bool], str] = {}

    def in_days(n: int) -> str:
        if n not in days:
            days[n] = ngettext("%(n)s dag", "%(n)s dagar", n) % {"n": n}
        return days[n]

    def when(moment: dt.datetime, with_time: bool) -> str:
        local = timezone.localtime(moment)
        key = (local.date(), with_time)
        if key not in dates:
            dates[key] = date_format(local.date(), "j M")
        return f"{dates[key]} {local:%H:%M}" if with_time else dates[key]

    passed = gettext("passerad")
    for row in rows:
        row.url = base.format(row.client_id)
        if row.days_since_notice is not None:
            row.notice_text = in_days(row.days_since_notice)
        if row.days_to_last_day is not None:
            row.last_day_text = (
                passed if row.days_to_last_day < 0 else in_days(row.days_to_last_day)
            )
        if row.last_activity_at is not None:
            row.activity_text = when(row.last_activity_at, False)
        if row.next_meeting_at is not None:
            row.meeting_text = when(row.next_meeting_at, True)
        if row.unread:
            row.unread_text = ngettext("%(n)s oläst", "%(n)s olästa", row.unread) % {
                "n": row.unread
            }


# ---- one case --------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str  # journey, meeting, note, message, step, recommendation, outcome, case
    text: str
    private: bool = False  # adviser notes: never shown to the client
    url: str = ""


def case_next_steps(*, case: Case) -> list[NextStep]:
    return list(case.next_steps.all().order_by("done_at", "due_date", "created_at", "id"))


def case_notes(*, case: Case) -> list[AdviserNote]:
    return list(case.notes.select_related("author", "meeting").order_by("-created_at", "-id"))


def case_meetings(*, case: Case) -> list[Meeting]:
    return list(case.meetings.order_by("-starts_at", "-id"))


def case_messages(*, case: Case, limit: int = 200) -> list[Message]:
    return list(case.messages.select_related("sender").order_by("-created_at", "-id")[:limit])[::-1]


def case_recommendations(*, case: Case) -> list[Recommendation]:
    return list(case.recommendations.select_related("seminar").order_by("-created_at", "-id"))


def case_timeline(
    *, case: Case, journey_changes: Sequence[tuple[dt.datetime, str, str]], language: str
) -> list[TimelineEntry]:
    """Everything that happened in the case and the journey, newest first (for the adviser)."""
    pick = _lang(language)
    entries = [TimelineEntry(at, "journey", text) for at, _step, text in journey_changes]
    for event in case.events.all():
        entries.append(TimelineEntry(event.at, "case", str(event.get_kind_display())))
    for meeting in case.meetings.all():
        label = str(meeting.get_mode_display())
        status = str(meeting.get_status_display())
        entries.append(
            TimelineEntry(
                meeting.starts_at, "meeting", f"{('Möte', 'Meeting')[pick]} ({label}): {status}"
            )
        )
    for note in case.notes.all():
        prefix = (
            ("Mötesanteckning", "Meeting note")[pick]
            if note.meeting_id
            else (
                "Anteckning",
                "Note",
            )[pick]
        )
        entries.append(
            TimelineEntry(note.created_at, "note", f"{prefix}: {note.body[:200]}", private=True)
        )
    for message in case.messages.all():
        who = (
            ("Klienten", "The client")[pick]
            if message.from_client
            else (
                "Rådgivaren",
                "The adviser",
            )[pick]
        )
        entries.append(TimelineEntry(message.created_at, "message", f"{who}: {message.body[:120]}"))
    for step in case.next_steps.all():
        entries.append(
            TimelineEntry(
                step.created_at, "step", f"{('Nytt steg', 'New step')[pick]}: {step.text}"
            )
        )
        if step.done_at:
            entries.append(
                TimelineEntry(step.done_at, "step", f"{('Klart', 'Done')[pick]}: {step.text}")
            )
    for rec in case.recommendations.all():
        entries.append(
            TimelineEntry(rec.created_at, "recommendation", f"{('Tips', 'Tip')[pick]}: {rec.title}")
        )
    outcome = Outcome.objects.filter(case=case).first()
    if outcome is not None:
        entries.append(
            TimelineEntry(outcome.recorded_at, "outcome", str(outcome.get_kind_display()))
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


# ---- meetings and slots ----------------------------------------------------------------------


def slots_free(
    *, adviser: Any, after: dt.datetime | None = None, limit: int = 60
) -> list[MeetingSlot]:
    """Published slots of the adviser in the future with no booked meeting."""
    after = after or timezone.now()
    return list(
        MeetingSlot.objects.filter(adviser=adviser, starts_at__gte=after)
        .exclude(meetings__status=Meeting.Status.BOOKED)
        .order_by("starts_at")[:limit]
    )


def slots_of_adviser(*, adviser: Any, limit: int = 200) -> list[MeetingSlot]:
    """The adviser's own future slots, with the booked meeting (if any) prefetched."""
    return list(
        MeetingSlot.objects.filter(adviser=adviser, ends_at__gte=timezone.now())
        .prefetch_related("meetings__case__client")
        .order_by("starts_at")[:limit]
    )


def meetings_of_adviser_upcoming(*, adviser: Any, limit: int = 50) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            adviser=adviser, status=Meeting.Status.BOOKED, ends_at__gte=timezone.now()
        )
        .select_related("case__client")
        .order_by("starts_at")[:limit]
    )


def meetings_due_for_reminder(
    *, within: dt.timedelta = dt.timedelta(hours=24), limit: int = 200
) -> list[int]:
    now = timezone.now()
    return list(
        Meeting.objects.filter(
            status=Meeting.Status.BOOKED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + within,
        )
        .order_by("starts_at")
        .values_list("pk", flat=True)[:limit]
    )


# ---- seminars --------------------------------------------------------------------------------


@dataclass
class SeminarSeats:
    seminar: Seminar
    registered: int
    waitlisted: int

    @property
    def free(self) -> int:
        return max(self.seminar.capacity - self.registered, 0)


def seminars_upcoming(*, limit: int = 50) -> list[SeminarSeats]:
    seminars = (
        Seminar.objects.filter(ends_at__gte=timezone.now(), is_cancelled=False)
        .select_related("host")
        .annotate(
            n_registered=Count(
                "registrations",
                filter=Q(registrations__status=SeminarRegistration.Status.REGISTERED),
            ),
            n_waitlisted=Count(
                "registrations",
                filter=Q(registrations__status=SeminarRegistration.Status.WAITLISTED),
            ),
        )
        .order_by("starts_at")[:limit]
    )
    return [
        SeminarSeats(s, s.n_registered, s.n_waitlisted)  # type: ignore[attr-defined]
        for s in seminars
    ]


def seminar_get(*, seminar_id: int) -> Seminar | None:
    return Seminar.objects.filter(pk=seminar_id).select_related("host").first()


def seminar_registrations(*, seminar: Seminar) -> list[SeminarRegistration]:
    return list(
        seminar.registrations.exclude(status=SeminarRegistration.Status.CANCELLED)
        .select_related("client")
        .order_by("status", "created_at", "id")
    )


# ---- for the client (the journey may call these) -------------------------------------------


@dataclass
class AdviserCard:
    """The client's adviser as the journey shows them."""

    adviser_id: int
    name: str
    title: str
    email: str
    photo_url: str
    photo_alt: str
    presentation: str
    languages: list[str]
    case_id: int
    case_open: bool
    assigned_at: dt.datetime
    match_reasons: list[str]


def client_adviser_get(*, client: Any, language: str = "sv") -> AdviserCard | None:
    """The adviser assigned to `client` (open case, else the last closed one), or None."""
    case = client_case_latest(client=client)
    if case is None or case.adviser is None:
        return None
    adviser = case.adviser
    profile = getattr(adviser, "adviser_profile", None)
    pick = _lang(language)
    from .models import ADVISER_LANGUAGES

    lang_labels = dict(ADVISER_LANGUAGES)
    return AdviserCard(
        adviser_id=adviser.pk,
        name=adviser.get_full_name() or adviser.email,
        title=(profile.title if profile else "") or ("Rådgivare", "Adviser")[pick],
        email=adviser.email,
        photo_url=profile.photo.url if profile and profile.photo else "",
        photo_alt=(profile.photo_alt if profile else "") or adviser.get_full_name(),
        presentation=profile.presentation("en" if pick else "sv") if profile else "",
        languages=[
            str(lang_labels.get(code, code)) for code in (profile.languages if profile else [])
        ],
        case_id=case.pk,
        case_open=case.is_open,
        assigned_at=case.assigned_at,
        match_reasons=[r.get(("sv", "en")[pick], "") for r in case.match_reasons],
    )


def client_meetings_upcoming(*, client: Any, limit: int = 10) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            case__client=client, status=Meeting.Status.BOOKED, ends_at__gte=timezone.now()
        )
        .select_related("adviser")
        .order_by("starts_at")[:limit]
    )


def client_meetings_past(*, client: Any, limit: int = 20) -> list[Meeting]:
    return list(
        Meeting.objects.filter(case__client=client)
        .filter(Q(ends_at__lt=timezone.now()) | ~Q(status=Meeting.Status.BOOKED))
        .order_by("-starts_at")[:limit]
    )


def client_meeting_get(*, client: Any, meeting_id: int) -> Meeting | None:
    return (
        Meeting.objects.filter(pk=meeting_id, case__client=client)
        .select_related("adviser", "case")
        .first()
    )


def client_next_steps(*, client: Any) -> list[NextStep]:
    case = client_case_latest(client=client)
    return case_next_steps(case=case) if case else []


def client_messages_unread_count(*, client: Any) -> int:
    return Message.objects.filter(
        case__client=client, from_client=False, read_at__isnull=True
    ).count()


def client_messages(*, client: Any, limit: int = 200) -> list[Message]:
    case = client_case_latest(client=client)
    return case_messages(case=case, limit=limit) if case else []


def client_recommendations(*, client: Any, include_dismissed: bool = False) -> list[Recommendation]:
    """Leads the adviser pushed to the client, newest first ("från din rådgivare")."""
    qs = Recommendation.objects.filter(case__client=client).select_related("seminar")
    if not include_dismissed:
        qs = qs.filter(dismissed_at__isnull=True)
    return list(qs.order_by("-created_at", "-id"))


def client_recommended_ad_ids(*, client: Any) -> set[int]:
    """Ids of ads the adviser recommended (for the journey's feed to mark "från din rådgivare")."""
    return {
        int(ad_id)
        for ad_id in Recommendation.objects.filter(
            case__client=client, kind=Recommendation.Kind.AD, ad_id__isnull=False
        ).values_list("ad_id", flat=True)
        if ad_id is not None
    }


def client_seminar_registrations(*, client: Any) -> dict[int, SeminarRegistration]:
    """{seminar id: the client's registration} for registrations not cancelled."""
    return {
        r.seminar_id: r
        for r in SeminarRegistration.objects.filter(client=client).exclude(
            status=SeminarRegistration.Status.CANCELLED
        )
    }


def client_change_request_open(*, client: Any) -> AdviserChangeRequest | None:
    return AdviserChangeRequest.objects.filter(
        case__client=client, resolved_at__isnull=True
    ).first()


@dataclass
class AdviserPanel:
    """Everything from the adviser that Min resa may show in one panel."""

    adviser: AdviserCard | None
    meetings: list[Meeting]
    next_steps: list[NextStep]
    unread_messages: int
    recommendations: list[Recommendation]


def client_adviser_panel(*, client: Any, language: str = "sv") -> AdviserPanel:
    return AdviserPanel(
        adviser=client_adviser_get(client=client, language=language),
        meetings=client_meetings_upcoming(client=client, limit=3),
        next_steps=[s for s in client_next_steps(client=client) if not s.is_done],
        unread_messages=client_messages_unread_count(client=client),
        recommendations=client_recommendations(client=client)[:5],
    )


# ---- outcomes and figures --------------------------------------------------------------------


def _suppression() -> int:
    return int(getattr(settings, "VAGVAL_SUPPRESSION_THRESHOLD", 5))


OUTCOME_GROUPS = {"kind", "organisation_id", "region_id", "occupation_group_code", "month"}


def outcomes_aggregate(
    *,
    organisation_id: int | None = None,
    group_by: Sequence[str] = ("kind",),
    since: dt.date | None = None,
    min_count: int | None = None,
) -> list[dict[str, Any]]:
    """Counts of anonymised outcomes per group, groups below the threshold left out.

    For the employer portal: `outcomes_aggregate(organisation_id=org.pk, group_by=("kind",))`
    -> [{"kind": "job", "count": 12, "median_weeks": 14}, ...]. A group smaller than
    `VAGVAL_SUPPRESSION_THRESHOLD` (or a larger `min_count`) is never returned: callers say
    "färre än N" for what is missing. Group by "kind", "organisation_id", "region_id",
    "occupation_group_code" or "month".
    """
    unknown = set(group_by) - OUTCOME_GROUPS
    if unknown:
        raise ValueError(f"cannot group outcomes by {sorted(unknown)}")
    threshold = _suppression() if min_count is None else max(min_count, _suppression())
    qs = AnonymisedOutcome.objects.all()
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if since is not None:
        qs = qs.filter(month__gte=since.replace(day=1))
    groups: dict[tuple[Any, ...], list[int | None]] = {}
    for row in qs.values(*group_by, "weeks_from_notice"):
        groups.setdefault(tuple(row[g] for g in group_by), []).append(row["weeks_from_notice"])
    out = []
    for key, weeks in sorted(groups.items(), key=lambda kv: (-len(kv[1]), str(kv[0]))):
        if len(weeks) < threshold:
            continue
        known = [w for w in weeks if w is not None]
        entry = dict(zip(group_by, key, strict=True))
        entry["count"] = len(weeks)
        entry["median_weeks"] = statistics.median(known) if known else None
        out.append(entry)
    return out


@dataclass(frozen=True)
class Transition:
    from_occupation_id: str
    to_occupation_id: str
    count: int


def outcome_transitions(
    *, from_occupation_id: str | None = None, min_count: int | None = None
) -> list[Transition]:
    """Occupation changes earlier clients made (new job outcomes), most common first.

    For journey step 3 ("paths earlier clients took"); pairs seen fewer times than the
    suppression threshold are left out.
    """
    threshold = _suppression() if min_count is None else max(min_count, _suppression())
    qs = (
        AnonymisedOutcome.objects.filter(kind=OutcomeKind.JOB)
        .exclude(occupation_id="")
        .exclude(from_occupation_id="")
    )
    if from_occupation_id:
        qs = qs.filter(from_occupation_id=from_occupation_id)
    rows = (
        qs.values("from_occupation_id", "occupation_id")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .order_by("-n", "from_occupation_id", "occupation_id")
    )
    return [Transition(r["from_occupation_id"], r["occupation_id"], r["n"]) for r in rows]


@dataclass
class Figures:
    outcomes: int
    median_weeks: float | None
    mix: list[tuple[str, str, int, float]]  # (kind, label, count, share %)
    open_cases: int
    meetings_held_30d: int
    messages_sent_30d: int
    notes_30d: int


def _figures(
    *, outcomes: QuerySet[AnonymisedOutcome], cases: QuerySet[Case], adviser: Any | None
) -> Figures:
    since = timezone.now() - dt.timedelta(days=30)
    weeks = [w for w in outcomes.values_list("weeks_from_notice", flat=True) if w is not None]
    counts = dict(outcomes.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    total = sum(counts.values())
    mix = [
        (kind, str(label), counts.get(kind, 0), 100 * counts.get(kind, 0) / total if total else 0)
        for kind, label in OutcomeKind.choices
    ]
    meetings = Meeting.objects.filter(status=Meeting.Status.HELD, starts_at__gte=since)
    messages = Message.objects.filter(from_client=False, created_at__gte=since)
    notes = AdviserNote.objects.filter(created_at__gte=since)
    if adviser is not None:
        meetings = meetings.filter(adviser=adviser)
        messages = messages.filter(sender=adviser)
        notes = notes.filter(author=adviser)
    return Figures(
        outcomes=total,
        median_weeks=statistics.median(weeks) if weeks else None,
        mix=mix,
        open_cases=cases.filter(closed_at__isnull=True).count(),
        meetings_held_30d=meetings.count(),
        messages_sent_30d=messages.count(),
        notes_30d=notes.count(),
    )


def adviser_figures(*, adviser: Any) -> tuple[Figures, Figures, int]:
    """(the adviser's figures, the council's per adviser average basis, number of advisers)."""
    mine = _figures(
        outcomes=AnonymisedOutcome.objects.filter(adviser=adviser),
        cases=Case.objects.filter(adviser=adviser),
        adviser=adviser,
    )
    council = _figures(
        outcomes=AnonymisedOutcome.objects.all(), cases=Case.objects.all(), adviser=None
    )
    advisers = User.objects.filter(role=User.Role.ADVISER, is_active=True).count()
    return mine, council, advisers


def case_events(*, case: Case) -> list[CaseEvent]:
    return list(case.events.select_related("actor").order_by("-at", "-id"))


def outcomes_for_clients(*, client_ids: Iterable[int]) -> dict[int, tuple[str, dt.date]]:
    """{client id: (outcome kind, date)} for the given clients' recorded outcomes (one query).

    For the member-company portal, which crosses outcomes with its notice cases and suppresses
    small groups itself; it filters on statistics consent before showing anything. A client
    with several closed cases counts with the most recent outcome.
    """
    ids = list({int(i) for i in client_ids})
    if not ids:
        return {}
    found: dict[int, tuple[str, dt.date]] = {}
    rows = (
        Outcome.objects.filter(case__client_id__in=ids)
        .order_by("case__client_id", "date", "recorded_at")
        .values_list("case__client_id", "kind", "date")
    )
    for client_id, kind, on in rows:
        found[int(client_id)] = (str(kind), on)  # later rows (newer outcomes) win
    return found
