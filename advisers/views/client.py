"""The client's pages about their adviser, under /radgivare/min-radgivare/.

A client only ever reaches their own case: every lookup is filtered by the signed-in user.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vagval.consent.models import ConsentPurpose
from vagval.consent.selectors import consent_is_granted

from .. import selectors, services
from ..forms import BookForm, ChangeRequestForm, MessageForm, OutcomeForm, SharingForm
from ..ics import meeting_ics
from ..models import NextStep, Recommendation, SharingChoice
from .access import client_required


def _language() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def _open_case(request: HttpRequest):  # type: ignore[no-untyped-def]
    case = selectors.client_case_open(client=request.user)
    if case is None:
        messages.error(request, _("Du har ingen rådgivare just nu."))
    return case


@client_required
def home(request: HttpRequest) -> HttpResponse:
    """Min rådgivare: who the adviser is, the next meeting, next steps, tips, messages."""
    user = request.user
    case = selectors.client_case_latest(client=user)
    if case is None:
        # Intake: the first visit assigns an adviser (as the journey creates its profile).
        case = services.case_open(client=user)  # type: ignore[arg-type]
    panel = selectors.client_adviser_panel(client=user, language=_language())
    services.recommendations_mark_seen(client=user)  # type: ignore[arg-type]
    return render(
        request,
        "advisers/client/home.html",
        {
            "case": case,
            "panel": panel,
            "steps": selectors.client_next_steps(client=user),
            "past": selectors.client_meetings_past(client=user, limit=5),
            "shared": consent_is_granted(user=user, purpose=ConsentPurpose.ADVISER_ACCESS),
            "change": selectors.client_change_request_open(client=user),
            "outcome": getattr(case, "outcome", None) if case and not case.is_open else None,
        },
    )


@client_required
def book(request: HttpRequest) -> HttpResponse:
    case = _open_case(request)
    if case is None:
        return redirect("advisers:client_home")
    slots = selectors.slots_free(adviser=case.adviser)
    form = BookForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_book(
                case=case,
                slot_id=form.cleaned_data["slot"],
                mode=form.cleaned_data["mode"],
                agenda=form.cleaned_data["agenda"],
                actor=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, _("Mötet är bokat. Du får en bekräftelse på mejlen."))
            return redirect("advisers:client_meeting", meeting_id=meeting.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request, "advisers/client/book.html", {"form": form, "slots": slots, "case": case}
    )


@client_required
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    item = selectors.client_meeting_get(client=request.user, meeting_id=meeting_id)
    if item is None:
        raise Http404
    slots = selectors.slots_free(adviser=item.adviser) if item.is_booked else []
    form = BookForm(request.POST or None, slots=slots, initial={"mode": item.mode})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_move(
                meeting=item,
                slot_id=form.cleaned_data["slot"],
                mode=form.cleaned_data["mode"],
                actor=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, _("Mötet är flyttat."))
            return redirect("advisers:client_meeting", meeting_id=item.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request, "advisers/client/meeting.html", {"meeting": item, "form": form, "slots": slots}
    )


@client_required
@require_POST
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    item = selectors.client_meeting_get(client=request.user, meeting_id=meeting_id)
    if item is None:
        raise Http404
    services.meeting_cancel(meeting=item, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Mötet är avbokat."))
    return redirect("advisers:client_home")


@client_required
def meeting_ics_download(request: HttpRequest, meeting_id: int) -> HttpResponse:
    item = selectors.client_meeting_get(client=request.user, meeting_id=meeting_id)
    if item is None:
        raise Http404
    response = HttpResponse(
        meeting_ics(meeting=item, language=_language()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="mote-{item.pk}.ics"'
    return response


@client_required
def message_thread(request: HttpRequest) -> HttpResponse:
    case = selectors.client_case_latest(client=request.user)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if case is None or not case.is_open:
            raise Http404
        if form.is_valid():
            try:
                services.message_send(
                    case=case,
                    sender=request.user,  # type: ignore[arg-type]
                    body=form.cleaned_data["body"],
                )
                messages.success(request, _("Meddelandet är skickat till din rådgivare."))
                return redirect("advisers:client_messages")
            except ValidationError as error:
                form.add_error("body", error)
    if case is not None:
        services.messages_mark_read(case=case, reader=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "advisers/client/messages.html",
        {"case": case, "thread": selectors.case_messages(case=case) if case else [], "form": form},
    )


@client_required
@require_POST
def step_toggle(request: HttpRequest, step_id: int) -> HttpResponse:
    step = get_object_or_404(NextStep, pk=step_id, case__client=request.user)
    services.next_step_set_done(step=step, actor=request.user, done=not step.is_done)  # type: ignore[arg-type]
    return redirect("advisers:client_home")


@client_required
@require_POST
def recommendation_dismiss(request: HttpRequest, rec_id: int) -> HttpResponse:
    rec = get_object_or_404(Recommendation, pk=rec_id, case__client=request.user)
    services.recommendation_dismiss(recommendation=rec)
    return redirect("advisers:client_home")


@client_required
def change(request: HttpRequest) -> HttpResponse:
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_request_create(
                client=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                wished_language=form.cleaned_data["wished_language"],
            )
            messages.success(
                request, _("Vi har tagit emot ditt önskemål. En teamledare hör av sig.")
            )
            return redirect("advisers:client_home")
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "advisers/client/change.html",
        {"form": form, "change": selectors.client_change_request_open(client=request.user)},
    )


@client_required
def seminars(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        seminar = selectors.seminar_get(seminar_id=int(request.POST.get("seminar") or 0))
        if seminar is None:
            raise Http404
        try:
            if request.POST.get("action") == "cancel":
                services.seminar_unregister(seminar=seminar, client=request.user)  # type: ignore[arg-type]
                messages.success(request, _("Du är avanmäld."))
            else:
                reg = services.seminar_register(seminar=seminar, client=request.user)  # type: ignore[arg-type]
                if reg.status == reg.Status.REGISTERED:
                    messages.success(request, _("Du är anmäld."))
                else:
                    messages.success(request, _("Seminariet är fullt. Du står på väntelistan."))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        return redirect("advisers:client_seminars")
    return render(
        request,
        "advisers/client/seminars.html",
        {
            "seminars": selectors.seminars_upcoming(),
            "mine": selectors.client_seminar_registrations(client=request.user),
        },
    )


@client_required
def outcome(request: HttpRequest) -> HttpResponse:
    case = _open_case(request)
    if case is None:
        return redirect("advisers:client_home")
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_record(
                case=case,
                kind=data["kind"],
                date=data["date"],
                occupation_id=data.get("occupation_id") or "",
                employer_name=data.get("employer_name") or "",
                comment=data.get("comment") or "",
                recorded_by="client",
                actor=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, _("Grattis! Vi har registrerat hur det gick."))
            return redirect("advisers:client_home")
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "advisers/client/outcome.html", {"form": form})


@client_required
def sharing(request: HttpRequest) -> HttpResponse:
    hidden = selectors.hidden_parts(client=request.user)
    all_parts = set(SharingChoice.Part.values)
    form = SharingForm(request.POST or None, initial={"shared": sorted(all_parts - hidden)})
    if request.method == "POST" and form.is_valid():
        shared = set(form.cleaned_data["shared"])
        services.sharing_set(client=request.user, hidden_parts=sorted(all_parts - shared))  # type: ignore[arg-type]
        messages.success(request, _("Dina val är sparade."))
        return redirect("advisers:client_home")
    return render(
        request,
        "advisers/client/sharing.html",
        {
            "form": form,
            "shared": consent_is_granted(user=request.user, purpose=ConsentPurpose.ADVISER_ACCESS),
        },
    )
