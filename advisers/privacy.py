"""The adviser portal's part of the portable profile and of account erasure.

A client's export holds their cases: the adviser, next steps, meetings, messages, the leads
they were sent, seminar registrations, the outcome and the adviser's notes about them (notes
are personal data about the client, so the right of access covers them). An adviser's export
holds their profile.

Erasure of a client removes every case (and with it steps, notes, meetings, messages, leads,
change requests and the `Outcome`), registrations and sharing choices. The `AnonymisedOutcome`
written with the outcome stays: it has no client id, no free text and only the month, so the
statistics and the occupation transitions keep it. Erasure of an adviser removes their
profile and photo and gives their open cases to other advisers.
"""

from __future__ import annotations

from typing import Any

from .models import (
    AdviserProfile,
    Case,
    MeetingSlot,
    SeminarRegistration,
    SharingChoice,
)


def _case_export(case: Case) -> dict[str, Any]:
    outcome = getattr(case, "outcome", None)
    return {
        "adviser": str(case.adviser) if case.adviser else None,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "assigned_by": case.assigned_by,
        "next_steps": [
            {
                "text": s.text,
                "due_date": s.due_date,
                "created_at": s.created_at,
                "done_at": s.done_at,
            }
            for s in case.next_steps.order_by("created_at", "id")
        ],
        "meetings": [
            {
                "starts_at": m.starts_at,
                "ends_at": m.ends_at,
                "mode": m.mode,
                "location": m.location,
                "agenda": m.agenda,
                "status": m.status,
            }
            for m in case.meetings.order_by("starts_at", "id")
        ],
        "messages": [
            {"from": "client" if m.from_client else "adviser", "body": m.body, "at": m.created_at}
            for m in case.messages.order_by("created_at", "id")
        ],
        "recommendations": [
            {"kind": r.kind, "title": r.title, "url": r.url, "note": r.note, "at": r.created_at}
            for r in case.recommendations.order_by("created_at", "id")
        ],
        "adviser_notes": [
            {"body": n.body, "at": n.created_at} for n in case.notes.order_by("created_at", "id")
        ],
        "change_requests": [
            {"reason": c.reason, "wished_language": c.wished_language, "at": c.created_at}
            for c in case.change_requests.order_by("created_at", "id")
        ],
        "outcome": (
            {
                "kind": outcome.kind,
                "occupation_id": outcome.occupation_id,
                "employer_name": outcome.employer_name,
                "date": outcome.date,
                "comment": outcome.comment,
                "recorded_by": outcome.recorded_by,
            }
            if outcome
            else None
        ),
    }


def export_user_data(user: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "cases": [
            _case_export(case)
            for case in Case.objects.filter(client=user)
            .select_related("adviser", "outcome")
            .order_by("opened_at", "id")
        ],
        "seminar_registrations": [
            {"seminar": r.seminar.title, "starts_at": r.seminar.starts_at, "status": r.status}
            for r in SeminarRegistration.objects.filter(client=user).select_related("seminar")
        ],
        "hidden_from_adviser": (
            SharingChoice.objects.filter(pk=user.pk).values_list("hidden_parts", flat=True).first()
            or []
        ),
    }
    profile = AdviserProfile.objects.filter(pk=user.pk).first()
    if profile is not None:
        data["adviser_profile"] = {
            "title": profile.title,
            "presentation_sv": profile.presentation_sv,
            "presentation_en": profile.presentation_en,
            "region_ids": profile.region_ids,
            "occupation_codes": profile.occupation_codes,
            "languages": profile.languages,
            "capacity": profile.capacity,
            "has_photo": bool(profile.photo),
        }
    return data


def erase_user_data(user: Any) -> None:
    from django.core.exceptions import ValidationError

    from .services import case_reassign

    # A client: everything about them goes; the anonymised outcome has no link and stays.
    Case.objects.filter(client=user).delete()
    SeminarRegistration.objects.filter(client=user).delete()
    SharingChoice.objects.filter(pk=user.pk).delete()
    # An adviser: their profile and photo, their free slots; their open cases move on.
    profile = AdviserProfile.objects.filter(pk=user.pk).first()
    if profile is not None:
        if profile.photo:
            profile.photo.delete(save=False)
        profile.delete()
    MeetingSlot.objects.filter(adviser=user, meetings__isnull=True).delete()
    for case in Case.objects.filter(adviser=user, closed_at__isnull=True):
        try:
            case_reassign(case=case, adviser=None, actor=None)
        except ValidationError:  # nobody is free: the case waits for intake with no adviser
            Case.objects.filter(pk=case.pk).update(adviser=None)
