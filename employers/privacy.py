"""The employers portal's part of the portable profile and of account erasure.

A client: the invitations from employers they accepted or declined, the internal openings they
were matched to and what they answered, contact requests from employers. Erasure removes every
row that names them, including invitations sent to their address that they never answered and
seminar sign-ups with their address. HR users' own actions keep no personal data about them
once erased (`created_by` and friends are set to NULL by the database).
"""

from __future__ import annotations

from typing import Any

from .models import (
    ContactRequest,
    Enrolment,
    HrInvitation,
    ImportJob,
    ImportStatus,
    OpeningMatch,
    SeminarSignup,
)


def _enrolments(user: Any) -> Any:
    from django.db.models import Q

    return Enrolment.objects.filter(Q(user=user) | Q(email__iexact=user.email))


def export_user_data(user: Any) -> dict[str, Any]:
    return {
        "enrolments": [
            {
                "employer": e.case.organisation.name,
                "case": e.case.title,
                "kind": e.case.kind,
                "email": e.email,
                "first_name": e.first_name,
                "last_name": e.last_name,
                "unit": e.unit,
                "last_working_day": e.last_working_day,
                "status": e.status,
                "invited_at": e.invited_at,
                "accepted_at": e.accepted_at,
                "declined_at": e.declined_at,
            }
            for e in _enrolments(user).select_related("case__organisation").order_by("id")
        ],
        "internal_opening_matches": [
            {
                "opening": m.opening.title,
                "employer": m.opening.organisation.name,
                "reasons": [r.get("text_sv", "") for r in m.reasons],
                "decision": m.decision,
                "decided_at": m.decided_at,
            }
            for m in OpeningMatch.objects.filter(client=user)
            .select_related("opening__organisation")
            .order_by("id")
        ],
        "contact_requests": [
            {
                "employer": r.organisation.name,
                "message": r.message,
                "status": r.status,
                "created_at": r.created_at,
                "decided_at": r.decided_at,
            }
            for r in ContactRequest.objects.filter(client=user)
            .select_related("organisation")
            .order_by("id")
        ],
        "seminar_signups": [
            {"seminar": s.seminar.title, "name": s.name, "role": s.role}
            for s in SeminarSignup.objects.filter(email__iexact=user.email).select_related(
                "seminar"
            )
        ],
    }


def erase_user_data(user: Any) -> None:
    email = (user.email or "").lower()
    _enrolments(user).delete()
    OpeningMatch.objects.filter(client=user).delete()
    ContactRequest.objects.filter(client=user).delete()
    HrInvitation.objects.filter(email__iexact=email).delete()
    SeminarSignup.objects.filter(email__iexact=email).delete()
    # A checked list waiting for HR's confirmation may still hold the address.
    for job in ImportJob.objects.filter(status=ImportStatus.VALIDATED).exclude(rows=[]):
        kept = [r for r in job.rows if str(r.get("email", "")).lower() != email]
        if len(kept) != len(job.rows):
            job.rows = kept
            job.save(update_fields=["rows"])
