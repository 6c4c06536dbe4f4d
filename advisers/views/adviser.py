"""The adviser's pages: caseload, client view, case work, slots, seminars, figures, profile, team.

Every page about one client starts with `adviser_case_access` (404 for anyone else's client,
and an audit event with the reason for every read).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from journey.selectors.advisers_api import journey_glance
from vagval.accounts.models import User
from vagval.audit.services import audit_record
from vagval.consent.selectors import consents_for_user

from .. import selectors, services
from ..forms import (
    AdviserProfileForm,
    BookForm,
    CaseloadFilterForm,
    MeetingStatusForm,
    MessageForm,
    NextStepForm,
    NoteForm,
    OutcomeForm,
    ReassignForm,
    RecommendationForm,
    SeminarForm,
    SlotForm,
)
from ..ics import meeting_ics
from ..models import Case, Meeting, MeetingSlot, NextStep, SeminarRegistration, SharingChoice
from .access import adviser_case_access, adviser_required, team_lead_required

PURPOSE_CASELOAD = "Överblick över mina klienter"
PURPOSE_PREPARE = "Förbereda och följa upp rådgivningen"
PURPOSE_MESSAGES = "Meddelanden med klienten"
PURPOSE_MEETING = "Boka och dokumentera möte"
PURPOSE_LEAD = "Tipsa klienten"
PURPOSE_OUTCOME = "Registrera utfall"


def _language() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def _client_url(client_id: int) -> str:
    return reverse("advisers:client", kwargs={"client_id": client_id})


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


# ---- caseload --------------------------------------------------------------------------------


@adviser_required
def caseload(request: HttpRequest) -> HttpResponse:
    stage_labels = selectors._stage_labels()
    form = CaseloadFilterForm(request.GET or None, stage_labels=stage_labels)
    params = form.params() if request.GET else {"sort": "priority"}
    data = selectors.caseload_get(adviser=request.user, language=_language(), **params)
    # Journey facts were read for the clients who share them: log each read (one insert).
    services.caseload_read_audit(
        adviser=request.user,  # type: ignore[arg-type]
        client_ids=[r.client_id for r in data.rows if r.shared],
        purpose=PURPOSE_CASELOAD,
    )
    template = (
        "advisers/adviser/_caseload_table.html"
        if getattr(request, "htmx", False)
        else "advisers/adviser/caseload.html"
    )
    return render(
        request,
        template,
        {
            "caseload": data,
            "form": form,
            "profile": selectors.adviser_profile_get(adviser=request.user),
            "upcoming": selectors.meetings_of_adviser_upcoming(adviser=request.user, limit=5),
        },
    )


# ---- one client ------------------------------------------------------------------------------


@adviser_required
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    access = adviser_case_access(
        request, client_id=client_id, purpose=PURPOSE_PREPARE, action="adviser.client.view"
    )
    case = access.case
    language = _language()
    glance = journey_glance(client_id=client_id, language=language) if access.shared else None
    hidden = selectors.hidden_parts(client=access.client) if access.shared else set()
    meetings = selectors.case_meetings(case=case)
    context: dict[str, Any] = {
        "access": access,
        "client": access.client,
        "case": case,
        "glance": glance,
        "hidden": hidden,
        "hidden_labels": [
            str(label) for value, label in SharingChoice.Part.choices if value in hidden
        ],
        "consents": consents_for_user(user=access.client),
        "steps": selectors.case_next_steps(case=case),
        "notes": selectors.case_notes(case=case),
        "meetings": meetings,
        "recommendations": selectors.case_recommendations(case=case),
        "timeline": selectors.case_timeline(
            case=case,
            journey_changes=glance.changes if glance else [],
            language=language,
        ),
        "step_form": NextStepForm(),
        "note_form": NoteForm(meetings=meetings),
        "outcome": getattr(case, "outcome", None) if not case.is_open else None,
        "unread": case.messages.filter(from_client=True, read_at__isnull=True).count(),
    }
    return render(request, "advisers/adviser/client.html", context)


@adviser_required
@require_POST
def step_add(request: HttpRequest, client_id: int) -> HttpResponse:
    access = adviser_case_access(
        request, client_id=client_id, purpose=PURPOSE_PREPARE, action="adviser.step.add"
    )
    form = NextStepForm(request.POST)
    if form.is_valid():
        try:
            services.next_step_add(
                case=access.case,
                text=form.cleaned_data["text"],
                due_date=form.cleaned_data["due_date"],
                actor=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, _("Nästa steg är sparat. Klienten ser det."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Skriv vad nästa steg är."))
    return redirect(_client_url(client_id) + "#steg")


@adviser_required
@require_POST
def step_toggle(request: HttpRequest, client_id: int, step_id: int) -> HttpResponse:
    access = adviser_case_access(
        request, client_id=client_id, purpose=PURPOSE_PREPARE, action="adviser.step.done"
    )
    step = get_object_or_404(NextStep, pk=step_id, case=access.case)
    services.next_step_set_done(step=step, actor=request.user, done=not step.is_done)  # type: ignore[arg-type]
    return redirect(_client_url(client_id) + "#steg")


@adviser_required
@require_POST
def note_add(request: HttpRequest, client_id: int) -> HttpResponse:
    access = adviser_case_access(
        request, client_id=client_id, purpose=PURPOSE_PREPARE, action="adviser.note.add"
    )
    meetings = selectors.case_meetings(case=access.case)
    form = NoteForm(request.POST, meetings=meetings)
    if form.is_valid():
        meeting = next((m for m in meetings if m.pk == form.cleaned_data["meeting"]), None)
        services.note_add(
            case=access.case,
            body=form.cleaned_data["body"],
            actor=request.user,  # type: ignore[arg-type]
            meeting=meeting,
        )
        messages.success(request, _("Anteckningen är sparad. Bara rådgivare ser den."))
    else:
        messages.error(request, _("Anteckningen är tom."))
    return redirect(_client_url(client_id) + "#anteckningar")


@adviser_required
def message_thread(request: HttpRequest, client_id: int) -> HttpResponse:
    access = adviser_case_access(
        request, client_id=client_id, purpose=PURPOSE_MESSAGES, action="adviser.messages.view"
    )
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(
                case=access.case,
                sender=request.user,  # type: ignore[arg-type]
                body=form.cleaned_data["body"],
            )
            messages.success(request, _("Meddelandet är skickat."))
            return redirect("advisers:messages", client_id=client_id)
        except ValidationError as error:
            form.add_error("body", error)
    services.messages_mark_read(case=access.case, reader=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "advisers/adviser/messages.html",
        {
            "access": access,
            "client": access.client,
            "thread": selectors.case_messages(case=access.case),
            "form": form,
        },
    )


# ---- meetings --------------------------------------------------------------------------------


@adviser_required
def meeting_book(request: HttpRequest, client_id: int) -> HttpResponse:
    access = adviser_case_access(
        request, client_id=client_id, purpose=PURPOSE_MEETING, action="adviser.meeting.book"
    )
    slots = selectors.slots_free(adviser=request.user)
    form = BookForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_book(
                case=access.case,
                slot_id=form.cleaned_data["slot"],
                mode=form.cleaned_data["mode"],
                agenda=form.cleaned_data["agenda"],
                actor=request.user,  # type: ignore[arg-type]
            )
            messages.success(
                request, _("Mötet är bokat. Klienten får ett mejl och ser det i Min rådgivare.")
            )
            return redirect("advisers:meeting", client_id=client_id, meeting_id=meeting.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "advisers/adviser/meeting_book.html",
        {"access": access, "client": access.client, "form": form, "slots": slots},
    )


def _case_meeting(access: Any, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=meeting_id, case=access.case).first()
    if meeting is None:
        raise Http404
    return meeting


@adviser_required
def meeting_detail(request: HttpRequest, client_id: int, meeting_id: int) -> HttpResponse:
    access = adviser_case_access(
        request, client_id=client_id, purpose=PURPOSE_MEETING, action="adviser.meeting.view"
    )
    meeting = _case_meeting(access, meeting_id)
    status_form = MeetingStatusForm(request.POST if "status" in request.POST else None)
    note_form = NoteForm(
        request.POST if "body" in request.POST else None,
        meetings=[meeting],
        initial={"meeting": meeting.pk},
    )
    if request.method == "POST":
        try:
            if status_form.is_bound and status_form.is_valid():
                services.meeting_status_set(
                    meeting=meeting,
                    status=status_form.cleaned_data["status"],
                    actor=request.user,  # type: ignore[arg-type]
                )
                messages.success(request, _("Mötet är uppdaterat."))
                return redirect(request.path)
            if note_form.is_bound and note_form.is_valid():
                services.note_add(
                    case=access.case,
                    body=note_form.cleaned_data["body"],
                    actor=request.user,  # type: ignore[arg-type]
                    meeting=meeting,
                )
                messages.success(request, _("Mötesanteckningen är sparad."))
                return redirect(request.path)
        except ValidationError as error:
            _errors(request, error)
    return render(
        request,
        "advisers/adviser/meeting.html",
        {
            "access": access,
            "client": access.client,
            "meeting": meeting,
            "notes": [
                n for n in selectors.case_notes(case=access.case) if n.meeting_id == meeting.pk
            ],
            "status_form": status_form,
            "note_form": note_form,
        },
    )


@adviser_required
@require_POST
def meeting_cancel(request: HttpRequest, client_id: int, meeting_id: int) -> HttpResponse:
    access = adviser_case_access(
        request, client_id=client_id, purpose=PURPOSE_MEETING, action="adviser.meeting.cancel"
    )
    meeting = _case_meeting(access, meeting_id)
    services.meeting_cancel(meeting=meeting, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Mötet är avbokat. Klienten får ett mejl."))
    return redirect(_client_url(client_id) + "#moten")


@adviser_required
def meeting_ics_download(request: HttpRequest, client_id: int, meeting_id: int) -> HttpResponse:
    access = adviser_case_access(
        request, client_id=client_id, purpose=PURPOSE_MEETING, action="adviser.meeting.ics"
    )
    meeting = _case_meeting(access, meeting_id)
    response = HttpResponse(
        meeting_ics(meeting=meeting, for_adviser=True, language=_language()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="mote-{meeting.pk}.ics"'
    return response


# ---- leads and outcome -----------------------------------------------------------------------


@adviser_required
def recommend(request: HttpRequest, client_id: int) -> HttpResponse:
    from vagval.jobs.selectors import ads_active

    access = adviser_case_access(
        request, client_id=client_id, purpose=PURPOSE_LEAD, action="adviser.recommend"
    )
    query = (request.GET.get("annons") or "").strip()[:100]
    ads = (
        list(ads_active().filter(headline__icontains=query).order_by("-published_at")[:15])
        if query
        else []
    )
    posted_ad = request.POST.get("ad_id", "")
    if posted_ad.isdigit() and not any(a.pk == int(posted_ad) for a in ads):
        ads += list(ads_active().filter(pk=int(posted_ad)))
    seminars = selectors.seminars_upcoming()
    form = RecommendationForm(request.POST or None, ads=ads, seminars=seminars)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_create(
                case=access.case,
                kind=data["kind"],
                ad_id=data.get("ad_id"),
                seminar_id=data.get("seminar_id"),
                url=data.get("url") or "",
                title=data.get("title") or "",
                note=data.get("note") or "",
                actor=request.user,  # type: ignore[arg-type]
            )
            messages.success(
                request, _("Tipset är skickat. Klienten ser det som ett tips från dig.")
            )
            return redirect(_client_url(client_id) + "#tips")
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "advisers/adviser/recommend.html",
        {"access": access, "client": access.client, "form": form, "query": query, "ads": ads},
    )


@adviser_required
def outcome(request: HttpRequest, client_id: int) -> HttpResponse:
    access = adviser_case_access(
        request, client_id=client_id, purpose=PURPOSE_OUTCOME, action="adviser.outcome"
    )
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_record(
                case=access.case,
                kind=data["kind"],
                date=data["date"],
                occupation_id=data.get("occupation_id") or "",
                employer_name=data.get("employer_name") or "",
                comment=data.get("comment") or "",
                recorded_by="adviser",
                actor=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, _("Utfallet är registrerat och ärendet avslutat."))
            return redirect(_client_url(client_id))
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "advisers/adviser/outcome.html",
        {"access": access, "client": access.client, "form": form},
    )


# ---- the adviser's own pages -----------------------------------------------------------------


@adviser_required
def slots(request: HttpRequest) -> HttpResponse:
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.slot_publish(
                adviser=request.user,  # type: ignore[arg-type]
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                modes=data["modes"],
                location=data.get("location") or "",
                repeat_weeks=data.get("repeat_weeks") or 0,
            )
            messages.success(request, _("%(n)s lediga tider publicerade.") % {"n": len(created)})
            return redirect("advisers:slots")
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "advisers/adviser/slots.html",
        {"form": form, "slots": selectors.slots_of_adviser(adviser=request.user)},
    )


@adviser_required
@require_POST
def slot_delete(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = get_object_or_404(MeetingSlot, pk=slot_id, adviser=request.user)
    try:
        services.slot_delete(slot=slot, adviser=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Tiden är borttagen."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("advisers:slots")


@adviser_required
def seminars(request: HttpRequest) -> HttpResponse:
    return render(
        request, "advisers/adviser/seminars.html", {"seminars": selectors.seminars_upcoming()}
    )


@adviser_required
def seminar_create(request: HttpRequest) -> HttpResponse:
    form = SeminarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seminar = services.seminar_create(
                host=request.user,  # type: ignore[arg-type]
                title=data["title"],
                topic=data["topic"],
                description=data.get("description") or "",
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                location=data.get("location") or "",
                video_url=data.get("video_url") or "",
                capacity=data["capacity"],
                language=data["language"],
            )
            messages.success(request, _("Seminariet är publicerat för klienterna."))
            return redirect("advisers:seminar", seminar_id=seminar.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "advisers/adviser/seminar_form.html", {"form": form})


@adviser_required
def seminar_detail(request: HttpRequest, seminar_id: int) -> HttpResponse:
    seminar = selectors.seminar_get(seminar_id=seminar_id)
    if seminar is None:
        raise Http404
    is_host = seminar.host_id == request.user.pk
    if request.method == "POST":
        if not is_host:
            raise Http404
        registration = get_object_or_404(
            SeminarRegistration, pk=request.POST.get("registration", 0), seminar=seminar
        )
        value = request.POST.get("attended")
        try:
            services.seminar_attendance_set(
                registration=registration,
                attended={"yes": True, "no": False}.get(value or ""),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _errors(request, error)
        return redirect("advisers:seminar", seminar_id=seminar.pk)
    registrations = selectors.seminar_registrations(seminar=seminar) if is_host else []
    for registration in registrations:  # the host reads the participants' names: log it
        audit_record(
            actor=request.user,
            subject=registration.client,
            action="adviser.seminar.participants",
            obj=registration,
            purpose="Deltagarlista för seminarium",
        )
    return render(
        request,
        "advisers/adviser/seminar.html",
        {"seminar": seminar, "is_host": is_host, "registrations": registrations},
    )


@adviser_required
def figures(request: HttpRequest) -> HttpResponse:
    mine, council, advisers = selectors.adviser_figures(adviser=request.user)
    return render(
        request,
        "advisers/adviser/figures.html",
        {"mine": mine, "council": council, "advisers": advisers},
    )


@adviser_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = services.adviser_profile_get_or_create(adviser=request.user)  # type: ignore[arg-type]
    form = AdviserProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Din profil är sparad."))
        return redirect("advisers:profile")
    return render(request, "advisers/adviser/profile.html", {"form": form, "profile": profile})


# ---- team lead -------------------------------------------------------------------------------


@team_lead_required
def team(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "advisers/adviser/team.html",
        {
            "requests": selectors.change_requests_open(),
            "cases": selectors.cases_open_for_team(),
            "loads": selectors.advisers_with_load(),
        },
    )


@team_lead_required
def reassign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.select_related("client", "adviser"), pk=case_id, closed_at__isnull=True
    )
    loads = [load for load in selectors.advisers_with_load() if load.profile.pk != case.adviser_id]
    form = ReassignForm(request.POST or None, advisers=loads)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("adviser")
        adviser = User.objects.filter(pk=chosen, role=User.Role.ADVISER).first() if chosen else None
        try:
            services.case_reassign(case=case, adviser=adviser, actor=request.user)  # type: ignore[arg-type]
            audit_record(
                actor=request.user,
                subject=case.client,
                action="adviser.case.reassign",
                obj=case,
                purpose="Byta rådgivare",
            )
            messages.success(request, _("Klienten har fått en ny rådgivare."))
            return redirect("advisers:team")
        except ValidationError as error:
            form.add_error(None, error)
    change = case.change_requests.filter(resolved_at__isnull=True).first()
    if change is not None:
        audit_record(
            actor=request.user,
            subject=case.client,
            action="adviser.change_request.view",
            obj=change,
            purpose="Byta rådgivare",
        )
    return render(
        request,
        "advisers/adviser/reassign.html",
        {"case": case, "form": form, "change": change},
    )


@team_lead_required
@require_POST
def change_decline(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=case_id)
    change = case.change_requests.filter(resolved_at__isnull=True).first()
    if change is not None:
        services.change_request_decline(request=change, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Önskemålet är avslutat utan byte."))
    return redirect("advisers:team")
