"""Writes of the adviser portal: intake and matching, case work, meetings, messages, seminars,
leads and outcomes.

Authorisation is the views' job (`vagval.consent.access.client_access` for advisers, the
signed-in client's own case for clients); these functions check the invariants of the data
(a slot is booked once, a seminar's capacity, an outcome closes the case). E-mails go out from
Celery tasks enqueued on commit, so a rolled-back write never sends anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from journey.selectors.advisers_api import journey_signals_for_clients
from vagval.accounts.models import User
from vagval.audit.services import audit_record_many
from vagval.taxonomy import selectors as taxonomy

from . import selectors
from .models import (
    ADVISER_LANGUAGES,
    AdviserChangeRequest,
    AdviserNote,
    AdviserProfile,
    AnonymisedOutcome,
    Case,
    CaseEvent,
    Meeting,
    MeetingMode,
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

# ---- intake and matching ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClientFacts:
    """What intake matching knows about a client."""

    region_ids: frozenset[str]
    ssyk_codes: frozenset[str]  # 4-digit SSYK codes of the occupations held
    language: str


@dataclass(frozen=True)
class MatchScore:
    adviser_id: int
    score: float
    reasons: tuple[tuple[str, str], ...]  # (sv, en)


# Weights of the matching criteria. Load counts against an adviser so that a perfect match who
# is full does not get everyone; a full adviser (or one not taking clients) is never chosen.
W_REGION = 3.0
W_OCCUPATION_GROUP = 3.0
W_OCCUPATION_AREA = 2.0
W_OCCUPATION_MAJOR = 1.0
W_LANGUAGE = 1.5
W_LOAD = 4.0


def adviser_match_score(
    *, profile: AdviserProfile, open_cases: int, facts: ClientFacts
) -> MatchScore | None:
    """How well an adviser fits a client; None if the adviser cannot take the client."""
    if not profile.accepts_new_clients or open_cases >= profile.capacity:
        return None
    score = 0.0
    reasons: list[tuple[str, str]] = []
    if facts.region_ids & set(profile.region_ids):
        score += W_REGION
        reasons.append(("Arbetar i din region", "Works in your region"))
    codes = [str(c) for c in profile.occupation_codes]
    best = 0.0
    for mine in facts.ssyk_codes:
        for theirs in codes:
            if not theirs or not mine.startswith(theirs):
                continue
            weight = (
                W_OCCUPATION_GROUP
                if len(theirs) >= 4
                else W_OCCUPATION_AREA
                if len(theirs) >= 2
                else W_OCCUPATION_MAJOR
            )
            best = max(best, weight)
    if best:
        score += best
        reasons.append(("Har erfarenhet av ditt yrkesområde", "Knows your occupational field"))
    if facts.language in profile.languages and facts.language != "sv":
        score += W_LANGUAGE
        reasons.append(("Talar ditt språk", "Speaks your language"))
    elif facts.language in profile.languages:
        score += W_LANGUAGE / 3  # nearly everyone speaks Swedish: a small tie-breaker
    score -= W_LOAD * open_cases / max(profile.capacity, 1)
    return MatchScore(profile.pk, round(score, 4), tuple(reasons))


def client_facts(*, client: User, language: str | None = None) -> ClientFacts:
    """Region, occupation groups and language of a client, from the journey and the account."""
    journey = journey_signals_for_clients(client_ids=[client.pk]).get(client.pk)
    regions: set[str] = set()
    codes: set[str] = set()
    if journey is not None:
        regions.update(journey.region_ids)
        for municipality in journey.municipality_ids[:10]:
            region = taxonomy.region_for_municipality(concept_id=municipality)
            if region is not None:
                regions.add(region.concept_id)
        for occupation in journey.occupation_ids[:5]:
            group = taxonomy.ssyk4_for_occupation(concept_id=occupation)
            if group is not None:
                codes.add(group.code)
    return ClientFacts(
        region_ids=frozenset(regions),
        ssyk_codes=frozenset(codes),
        language=language or client.preferred_language or "sv",
    )


def adviser_choose(
    *, facts: ClientFacts, exclude_ids: Iterable[int] = ()
) -> tuple[User, MatchScore] | None:
    """The best adviser for a client (highest score, then lowest load, then lowest id)."""
    loads = selectors.advisers_with_load(exclude_ids=exclude_ids)
    scored = []
    for load in loads:
        match = adviser_match_score(profile=load.profile, open_cases=load.open_cases, facts=facts)
        if match is not None:
            scored.append((match.score, -load.open_cases, -load.profile.pk, load, match))
    if not scored:
        return None
    scored.sort(key=lambda t: (t[0], t[1], t[2]), reverse=True)
    best = scored[0]
    return best[3].profile.user, best[4]


def _reasons_json(match: MatchScore | None) -> list[dict[str, str]]:
    return [{"sv": sv, "en": en} for sv, en in (match.reasons if match else ())]


@transaction.atomic
def case_open(
    *, client: User, adviser: User | None = None, actor: User | None = None
) -> Case | None:
    """The client's open case, opened now (with the best-matching adviser) if there is none.

    Returns None when no adviser can take the client (all full): intake tries again later.
    """
    if client.role != User.Role.CLIENT or not client.is_active:
        raise PermissionDenied("Only active clients have a case.")
    User.objects.select_for_update().filter(pk=client.pk).first()  # serialise intake per client
    existing = Case.objects.filter(client=client, closed_at__isnull=True).first()
    if existing is not None:
        return existing
    match: MatchScore | None = None
    assigned_by = Case.AssignedBy.TEAM_LEAD
    if adviser is None:
        chosen = adviser_choose(facts=client_facts(client=client))
        if chosen is None:
            return None
        adviser, match = chosen
        assigned_by = Case.AssignedBy.MATCHING
    elif adviser.role != User.Role.ADVISER:
        raise ValidationError(_("Ärendet kan bara tilldelas en rådgivare."))
    now = timezone.now()
    case = Case.objects.create(
        client=client,
        adviser=adviser,
        assigned_by=assigned_by,
        match_reasons=_reasons_json(match),
        opened_at=now,
        assigned_at=now,
        last_activity_at=now,
    )
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.OPENED, actor=actor, at=now)
    return case


def cases_unassigned_fill(*, limit: int = 200) -> int:
    """Give open cases without an adviser (their adviser was erased) the best free adviser."""
    filled = 0
    for case in Case.objects.filter(adviser__isnull=True, closed_at__isnull=True)[:limit]:
        try:
            case_reassign(case=case, adviser=None, actor=None, assigned_by=Case.AssignedBy.MATCHING)
            filled += 1
        except ValidationError:
            break  # nobody is free: try again at the next run
    return filled


def intake_run(*, client_ids: Sequence[int]) -> int:
    """Open a case for each of these clients that has none. Returns how many were opened."""
    opened = 0
    have = set(
        Case.objects.filter(client_id__in=list(client_ids), closed_at__isnull=True).values_list(
            "client_id", flat=True
        )
    )
    for client in User.objects.filter(
        pk__in=[i for i in client_ids if i not in have], role=User.Role.CLIENT, is_active=True
    ):
        if Case.objects.filter(client=client).exists():
            continue  # a closed case: the client is done; a new case needs a person's decision
        if case_open(client=client) is not None:
            opened += 1
    return opened


def _future_meetings_cancel(*, case: Case, actor: User | None) -> list[int]:
    ids = list(
        case.meetings.filter(
            status=Meeting.Status.BOOKED, starts_at__gte=timezone.now()
        ).values_list("pk", flat=True)
    )
    Meeting.objects.filter(pk__in=ids).update(
        status=Meeting.Status.CANCELLED, sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    return ids


@transaction.atomic
def case_reassign(
    *,
    case: Case,
    adviser: User | None,
    actor: User | None,
    assigned_by: str = Case.AssignedBy.TEAM_LEAD,
) -> Case:
    """Give the case to another adviser (the best match other than the current one if None).

    Future meetings with the previous adviser are cancelled (the client books again), and an
    open change request is resolved.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("Ärendet är avslutat."))
    match: MatchScore | None = None
    if adviser is None:
        exclude = [case.adviser_id] if case.adviser_id else []
        chosen = adviser_choose(facts=client_facts(client=case.client), exclude_ids=exclude)
        if chosen is None:
            raise ValidationError(_("Ingen annan rådgivare har plats just nu."))
        adviser, match = chosen
    if adviser.role != User.Role.ADVISER or not adviser.is_active:
        raise ValidationError(_("Ärendet kan bara tilldelas en aktiv rådgivare."))
    if adviser.pk == case.adviser_id:
        raise ValidationError(_("Klienten har redan den rådgivaren."))
    cancelled = _future_meetings_cancel(case=case, actor=actor)
    now = timezone.now()
    case.adviser = adviser
    case.assigned_by = assigned_by
    case.assigned_at = now
    case.match_reasons = _reasons_json(match)
    case.last_activity_at = now
    case.save(
        update_fields=["adviser", "assigned_by", "assigned_at", "match_reasons", "last_activity_at"]
    )
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.REASSIGNED, actor=actor, at=now)
    AdviserChangeRequest.objects.filter(case=case, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor
    )
    from . import tasks

    for meeting_id in cancelled:
        transaction.on_commit(
            lambda mid=meeting_id: tasks.meeting_notify.delay(mid, "cancelled")  # type: ignore[misc]
        )
    return case


@transaction.atomic
def change_request_create(
    *, client: User, reason: str = "", wished_language: str = ""
) -> AdviserChangeRequest:
    """The client asks for another adviser. One open request per case."""
    case = selectors.client_case_open(client=client)
    if case is None:
        raise ValidationError(_("Du har ingen rådgivare att byta."))
    if wished_language and wished_language not in dict(ADVISER_LANGUAGES):
        raise ValidationError(_("Okänt språk."))
    existing = AdviserChangeRequest.objects.filter(case=case, resolved_at__isnull=True).first()
    if existing is not None:
        return existing
    request = AdviserChangeRequest.objects.create(
        case=case, reason=reason.strip()[:1000], wished_language=wished_language
    )
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CHANGE_REQUESTED, actor=client)
    return request


@transaction.atomic
def change_request_decline(*, request: AdviserChangeRequest, actor: User) -> None:
    AdviserChangeRequest.objects.filter(pk=request.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )


def _touch(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now())


# ---- adviser profile -------------------------------------------------------------------------


def adviser_profile_get_or_create(*, adviser: User) -> AdviserProfile:
    if adviser.role != User.Role.ADVISER:
        raise PermissionDenied("Only advisers have an adviser profile.")
    profile, _created = AdviserProfile.objects.get_or_create(user=adviser)
    return profile


def adviser_profile_update(*, profile: AdviserProfile, **fields: Any) -> AdviserProfile:
    allowed = {
        "photo",
        "photo_alt",
        "title",
        "presentation_sv",
        "presentation_en",
        "region_ids",
        "occupation_codes",
        "languages",
        "video_room_url",
        "default_location",
        "capacity",
        "accepts_new_clients",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot update {sorted(unknown)}")
    if "languages" in fields:
        known = dict(ADVISER_LANGUAGES)
        fields["languages"] = [code for code in fields["languages"] if code in known]
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


# ---- next steps and notes --------------------------------------------------------------------


def next_step_add(
    *, case: Case, text: str, actor: User, due_date: dt.date | None = None
) -> NextStep:
    text = text.strip()
    if not text:
        raise ValidationError(_("Skriv vad nästa steg är."))
    step = NextStep.objects.create(case=case, text=text[:300], due_date=due_date, created_by=actor)
    _touch(case)
    return step


def next_step_set_done(*, step: NextStep, actor: User, done: bool = True) -> NextStep:
    step.done_at = timezone.now() if done else None
    step.done_by = actor if done else None
    step.save(update_fields=["done_at", "done_by"])
    _touch(step.case)
    return step


def note_add(*, case: Case, body: str, actor: User, meeting: Meeting | None = None) -> AdviserNote:
    body = body.strip()
    if not body:
        raise ValidationError(_("Anteckningen är tom."))
    if meeting is not None and meeting.case_id != case.pk:
        raise ValidationError(_("Mötet hör inte till ärendet."))
    note = AdviserNote.objects.create(case=case, body=body, author=actor, meeting=meeting)
    _touch(case)
    return note


# ---- slots and meetings ----------------------------------------------------------------------


def slot_publish(
    *,
    adviser: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    modes: Sequence[str],
    location: str = "",
    repeat_weeks: int = 0,
) -> list[MeetingSlot]:
    """Publish a free time (and the same time in each of the next `repeat_weeks` weeks)."""
    if adviser.role != User.Role.ADVISER:
        raise PermissionDenied("Only advisers publish meeting times.")
    modes = [m for m in dict.fromkeys(modes) if m in MeetingMode.values]
    if not modes:
        raise ValidationError(_("Välj minst en mötesform."))
    if ends_at <= starts_at:
        raise ValidationError(_("Tiden måste sluta efter att den börjar."))
    if ends_at - starts_at > dt.timedelta(hours=4):
        raise ValidationError(_("En ledig tid kan vara högst fyra timmar."))
    if starts_at <= timezone.now():
        raise ValidationError(_("Tiden har redan passerat."))
    if not 0 <= repeat_weeks <= 26:
        raise ValidationError(_("Upprepa högst 26 veckor."))
    created = []
    with transaction.atomic():
        for week in range(repeat_weeks + 1):
            start = starts_at + dt.timedelta(weeks=week)
            end = ends_at + dt.timedelta(weeks=week)
            overlap = MeetingSlot.objects.filter(
                adviser=adviser, starts_at__lt=end, ends_at__gt=start
            ).exists()
            if overlap:
                if week == 0:
                    raise ValidationError(_("Du har redan en ledig tid som överlappar."))
                continue
            created.append(
                MeetingSlot.objects.create(
                    adviser=adviser,
                    starts_at=start,
                    ends_at=end,
                    modes=modes,
                    location=location.strip()[:200],
                )
            )
    return created


def slot_delete(*, slot: MeetingSlot, adviser: User) -> None:
    if slot.adviser_id != adviser.pk:
        raise PermissionDenied
    if slot.meetings.filter(status=Meeting.Status.BOOKED).exists():
        raise ValidationError(_("Tiden är bokad. Avboka mötet först."))
    slot.delete()


def _slot_lock(*, slot_id: int, adviser_id: int) -> MeetingSlot:
    slot = MeetingSlot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is None or slot.adviser_id != adviser_id:
        raise ValidationError(_("Tiden finns inte längre."))
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("Tiden har redan passerat."))
    if slot.meetings.filter(status=Meeting.Status.BOOKED).exists():
        raise ValidationError(_("Någon hann boka tiden. Välj en annan."))
    return slot


def _meeting_place(*, case: Case, slot: MeetingSlot, mode: str) -> tuple[str, str]:
    profile = AdviserProfile.objects.filter(pk=case.adviser_id).first()
    if mode == MeetingMode.VIDEO:
        return "", (profile.video_room_url if profile else "")
    if mode == MeetingMode.IN_PERSON:
        return slot.location or (profile.default_location if profile else ""), ""
    return "", ""


def meeting_book(*, case: Case, slot_id: int, mode: str, actor: User, agenda: str = "") -> Meeting:
    """Book a published slot of the case's adviser for the case."""
    if not case.is_open:
        raise ValidationError(_("Ärendet är avslutat."))
    try:
        with transaction.atomic():
            if case.adviser_id is None:
                raise ValidationError(_("Du har ingen rådgivare just nu."))
            slot = _slot_lock(slot_id=slot_id, adviser_id=case.adviser_id)
            if mode not in slot.modes:
                raise ValidationError(_("Den mötesformen går inte för den här tiden."))
            location, video_url = _meeting_place(case=case, slot=slot, mode=mode)
            meeting = Meeting.objects.create(
                case=case,
                adviser_id=case.adviser_id,
                slot=slot,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                mode=mode,
                location=location,
                video_url=video_url,
                agenda=agenda.strip()[:500],
                booked_by=actor,
            )
            _touch(case)
            _notify_meeting(meeting, "booked", actor)
    except IntegrityError as error:  # two bookings raced past the check: the constraint holds
        raise ValidationError(_("Någon hann boka tiden. Välj en annan.")) from error
    return meeting


def meeting_move(
    *, meeting: Meeting, slot_id: int, actor: User, mode: str | None = None
) -> Meeting:
    """Move a booked meeting to another free slot of the same adviser."""
    if not meeting.is_booked or meeting.starts_at <= timezone.now():
        raise ValidationError(_("Mötet kan inte flyttas."))
    mode = mode or meeting.mode
    try:
        with transaction.atomic():
            if meeting.adviser_id is None:
                raise ValidationError(_("Mötet kan inte flyttas."))
            slot = _slot_lock(slot_id=slot_id, adviser_id=meeting.adviser_id)
            if mode not in slot.modes:
                raise ValidationError(_("Den mötesformen går inte för den här tiden."))
            location, video_url = _meeting_place(case=meeting.case, slot=slot, mode=mode)
            meeting.slot = slot
            meeting.starts_at = slot.starts_at
            meeting.ends_at = slot.ends_at
            meeting.mode = mode
            meeting.location = location
            meeting.video_url = video_url
            meeting.reminder_sent_at = None
            meeting.sequence += 1
            meeting.save()
            _touch(meeting.case)
            _notify_meeting(meeting, "moved", actor)
    except IntegrityError as error:
        raise ValidationError(_("Någon hann boka tiden. Välj en annan.")) from error
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User) -> Meeting:
    if not meeting.is_booked:
        return meeting
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    _touch(meeting.case)
    _notify_meeting(meeting, "cancelled", actor)
    return meeting


def meeting_status_set(*, meeting: Meeting, status: str, actor: User) -> Meeting:
    """The adviser records that a meeting was held (or that the client did not come)."""
    if status not in (Meeting.Status.HELD, Meeting.Status.NO_SHOW):
        raise ValidationError(_("Okänd status."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Mötet har inte börjat än."))
    meeting.status = status
    meeting.save(update_fields=["status", "updated_at"])
    _touch(meeting.case)
    return meeting


def _notify_meeting(meeting: Meeting, event: str, actor: User) -> None:
    from . import tasks

    notify_client = actor.pk != meeting.case.client_id
    meeting_id = meeting.pk
    transaction.on_commit(
        lambda: tasks.meeting_notify.delay(meeting_id, event, notify_client)  # type: ignore[misc]
    )


@transaction.atomic
def meeting_reminder_mark(*, meeting_id: int) -> Meeting | None:
    """Claim a meeting's reminder: returns it if a reminder is due and not yet sent, else None."""
    meeting = (
        Meeting.objects.select_for_update()
        .filter(pk=meeting_id, status=Meeting.Status.BOOKED, reminder_sent_at__isnull=True)
        .filter(starts_at__gt=timezone.now())
        .first()
    )
    if meeting is None:
        return None
    meeting.reminder_sent_at = timezone.now()
    meeting.save(update_fields=["reminder_sent_at"])
    return meeting


# ---- messages --------------------------------------------------------------------------------


MESSAGE_MAX = 5000


@transaction.atomic
def message_send(*, case: Case, sender: User, body: str) -> Message:
    """Add a message to the case's thread and notify the other party (without the content)."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Meddelandet är tomt."))
    if len(body) > MESSAGE_MAX:
        raise ValidationError(_("Meddelandet är för långt (högst 5 000 tecken)."))
    if sender.pk == case.client_id:
        from_client = True
    elif sender.pk == case.adviser_id:
        from_client = False
    else:
        raise PermissionDenied("Only the client and their adviser write in a case.")
    message = Message.objects.create(case=case, sender=sender, from_client=from_client, body=body)
    _touch(case)
    from . import tasks

    message_id = message.pk
    transaction.on_commit(lambda: tasks.message_notify.delay(message_id))  # type: ignore[misc]
    return message


def messages_mark_read(*, case: Case, reader: User) -> int:
    """Mark the other party's messages in the case as read by `reader`."""
    from_client = reader.pk != case.client_id
    return Message.objects.filter(case=case, from_client=from_client, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# ---- seminars --------------------------------------------------------------------------------


def seminar_create(
    *,
    host: User,
    title: str,
    topic: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    description: str = "",
    location: str = "",
    video_url: str = "",
    language: str = "sv",
) -> Seminar:
    if host.role != User.Role.ADVISER:
        raise PermissionDenied("Only advisers create seminars.")
    seminar = Seminar(
        host=host,
        title=title.strip(),
        topic=topic,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        description=description.strip(),
        location=location.strip(),
        video_url=video_url.strip(),
        language=language,
    )
    seminar.full_clean()
    if ends_at <= starts_at:
        raise ValidationError(_("Seminariet måste sluta efter att det börjar."))
    if capacity < 1:
        raise ValidationError(_("Minst en plats."))
    seminar.save()
    return seminar


@transaction.atomic
def seminar_register(*, seminar: Seminar, client: User) -> SeminarRegistration:
    """Sign a client up: a seat if one is free, else the waiting list. Idempotent."""
    if client.role != User.Role.CLIENT:
        raise PermissionDenied("Only clients sign up for seminars.")
    seminar = Seminar.objects.select_for_update().get(pk=seminar.pk)
    if seminar.is_cancelled or seminar.starts_at <= timezone.now():
        raise ValidationError(_("Det går inte att anmäla sig till seminariet."))
    registration = SeminarRegistration.objects.filter(seminar=seminar, client=client).first()
    if registration is not None and registration.status != SeminarRegistration.Status.CANCELLED:
        return registration
    taken = seminar.registrations.filter(status=SeminarRegistration.Status.REGISTERED).count()
    status = (
        SeminarRegistration.Status.REGISTERED
        if taken < seminar.capacity
        else SeminarRegistration.Status.WAITLISTED
    )
    if registration is None:
        registration = SeminarRegistration(seminar=seminar, client=client)
    registration.status = status
    registration.created_at = timezone.now()  # a re-registration joins the end of the queue
    registration.save()
    return registration


@transaction.atomic
def seminar_unregister(*, seminar: Seminar, client: User) -> SeminarRegistration | None:
    """Cancel a client's place; the first on the waiting list gets the seat."""
    seminar = Seminar.objects.select_for_update().get(pk=seminar.pk)
    registration = SeminarRegistration.objects.filter(seminar=seminar, client=client).first()
    if registration is None or registration.status == SeminarRegistration.Status.CANCELLED:
        return registration
    had_seat = registration.status == SeminarRegistration.Status.REGISTERED
    registration.status = SeminarRegistration.Status.CANCELLED
    registration.save(update_fields=["status"])
    if had_seat:
        nxt = (
            seminar.registrations.filter(status=SeminarRegistration.Status.WAITLISTED)
            .order_by("created_at", "id")
            .first()
        )
        if nxt is not None:
            nxt.status = SeminarRegistration.Status.REGISTERED
            nxt.save(update_fields=["status"])
    return registration


def seminar_attendance_set(
    *, registration: SeminarRegistration, attended: bool | None, actor: User
) -> SeminarRegistration:
    if actor.role != User.Role.ADVISER:
        raise PermissionDenied
    if registration.status != SeminarRegistration.Status.REGISTERED:
        raise ValidationError(_("Bara anmälda deltagare kan markeras."))
    registration.attended = attended
    registration.save(update_fields=["attended"])
    return registration


# ---- leads -----------------------------------------------------------------------------------


def recommendation_create(
    *,
    case: Case,
    kind: str,
    actor: User,
    ad_id: int | None = None,
    seminar_id: int | None = None,
    url: str = "",
    title: str = "",
    note: str = "",
) -> Recommendation:
    """Push an ad, an article or a seminar to the client, marked as from their adviser."""
    from vagval.jobs.selectors import ad_get

    seminar = None
    if kind == Recommendation.Kind.AD:
        ad = ad_get(ad_id=ad_id) if ad_id else None
        if ad is None:
            raise ValidationError(_("Annonsen finns inte."))
        title = title or f"{ad.headline} – {ad.employer_name}".strip(" –")
        url = ad.url or ad.apply_url
    elif kind == Recommendation.Kind.SEMINAR:
        seminar = (
            Seminar.objects.filter(pk=seminar_id, is_cancelled=False).first()
            if seminar_id
            else None
        )
        if seminar is None:
            raise ValidationError(_("Seminariet finns inte."))
        title = title or seminar.title
        url = ""
    elif kind == Recommendation.Kind.ARTICLE:
        url = url.strip()
        if not (url.startswith("/") and not url.startswith("//")) and not url.startswith(
            "https://"
        ):
            raise ValidationError(_("Ange en länk som börjar med https:// eller /."))
        if not title.strip():
            raise ValidationError(_("Ange en rubrik."))
    else:
        raise ValidationError(_("Okänd typ av tips."))
    if not case.is_open:
        raise ValidationError(_("Ärendet är avslutat."))
    rec = Recommendation.objects.create(
        case=case,
        kind=kind,
        ad_id=ad_id if kind == Recommendation.Kind.AD else None,
        seminar=seminar,
        title=title.strip()[:300],
        url=url[:2000],
        note=note.strip()[:500],
        created_by=actor,
    )
    _touch(case)
    return rec


def recommendation_dismiss(*, recommendation: Recommendation) -> None:
    Recommendation.objects.filter(pk=recommendation.pk).update(dismissed_at=timezone.now())


def recommendations_mark_seen(*, client: User) -> int:
    return Recommendation.objects.filter(case__client=client, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )


# ---- outcomes --------------------------------------------------------------------------------


def _weeks_between(start: dt.date | None, end: dt.date) -> int | None:
    if start is None or end < start:
        return None
    return (end - start).days // 7


@transaction.atomic
def outcome_record(
    *,
    case: Case,
    kind: str,
    date: dt.date,
    recorded_by: str,
    occupation_id: str = "",
    employer_name: str = "",
    comment: str = "",
    actor: User | None = None,
) -> Outcome:
    """Record (or correct) how the case ended; closes the case and writes the anonymised copy."""
    if kind not in OutcomeKind.values:
        raise ValidationError(_("Okänt utfall."))
    today = timezone.localdate()
    if date > today + dt.timedelta(days=366):
        raise ValidationError(_("Datumet ligger för långt fram."))
    if date < today - dt.timedelta(days=3 * 366):
        raise ValidationError(_("Datumet ligger för långt bak."))
    group_code = ""
    if occupation_id:
        group = taxonomy.ssyk4_for_occupation(concept_id=occupation_id)
        if group is None:
            raise ValidationError(_("Okänt yrke."))
        group_code = group.code
    elif kind == OutcomeKind.JOB:
        raise ValidationError(_("Ange yrket i det nya jobbet."))
    case = Case.objects.select_for_update().select_related("client").get(pk=case.pk)
    journey = journey_signals_for_clients(client_ids=[case.client_id]).get(case.client_id)
    from_occupation = journey.occupation_ids[0] if journey and journey.occupation_ids else ""
    from_group = (
        taxonomy.ssyk4_for_occupation(concept_id=from_occupation) if from_occupation else None
    )
    facts_regions = sorted(journey.region_ids) if journey else []
    anon_fields = {
        "kind": kind,
        "occupation_id": occupation_id,
        "occupation_group_code": group_code,
        "from_occupation_id": from_occupation,
        "from_occupation_group_code": from_group.code if from_group else "",
        "organisation_id": case.client.organisation_id,
        "region_id": facts_regions[0] if facts_regions else "",
        "adviser_id": case.adviser_id,
        "month": date.replace(day=1),
        "weeks_from_notice": _weeks_between(journey.notice_date if journey else None, date),
    }
    outcome = Outcome.objects.filter(case=case).first()
    if outcome is not None and outcome.anonymised_id:
        AnonymisedOutcome.objects.filter(pk=outcome.anonymised_id).update(**anon_fields)
        anonymised = AnonymisedOutcome.objects.get(pk=outcome.anonymised_id)
    else:
        anonymised = AnonymisedOutcome.objects.create(**anon_fields)
    values = {
        "kind": kind,
        "occupation_id": occupation_id,
        "employer_name": employer_name.strip()[:200],
        "date": date,
        "comment": comment.strip()[:500],
        "recorded_by": recorded_by,
        "recorded_at": timezone.now(),
        "anonymised": anonymised,
    }
    if outcome is None:
        outcome = Outcome.objects.create(case=case, **values)
    else:
        for name, value in values.items():
            setattr(outcome, name, value)
        outcome.save()
    if case.is_open:
        now = timezone.now()
        cancelled = _future_meetings_cancel(case=case, actor=actor)
        case.closed_at = now
        case.last_activity_at = now
        case.save(update_fields=["closed_at", "last_activity_at"])
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CLOSED, actor=actor, at=now)
        AdviserChangeRequest.objects.filter(case=case, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=actor
        )
        from . import tasks

        for meeting_id in cancelled:
            transaction.on_commit(
                lambda mid=meeting_id: tasks.meeting_notify.delay(mid, "cancelled")  # type: ignore[misc]
            )
    return outcome


# ---- what the client shares ------------------------------------------------------------------


def sharing_set(*, client: User, hidden_parts: Iterable[str]) -> SharingChoice:
    parts = [p for p in dict.fromkeys(hidden_parts) if p in SharingChoice.Part.values]
    choice, _created = SharingChoice.objects.update_or_create(
        client=client, defaults={"hidden_parts": parts}
    )
    return choice


# ---- audit of bulk reads ---------------------------------------------------------------------


def caseload_read_audit(*, adviser: User, client_ids: Iterable[int], purpose: str) -> int:
    """Log that the adviser saw the caseload's journey facts of these clients, in one insert."""
    return audit_record_many(
        actor=adviser,
        subject_ids=client_ids,
        action="adviser.caseload.view",
        object_type="advisers.case",
        purpose=purpose,
    )
