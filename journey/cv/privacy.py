"""Step 4's part of the portable profile and of account erasure (vagval.consent.privacy).

Export: every CV (deleted ones too, while they are kept) with its sent versions and each as
JSON Resume, the letters and the client's letter templates, the CV checks, the practice sets
with every answer and private note, and the pitches. `manage.py cv_export --profile FILE`
renders a CV from this section (or, without one, from the journey's competence section).
Erase: all of it. Runs before the journey's eraser (reverse INSTALLED_APPS order), though the
rows would cascade from the ClientProfile anyway.
"""

from __future__ import annotations

from typing import Any

from .jsonresume import cv_to_jsonresume
from .models import (
    CoverLetter,
    Cv,
    CvCheck,
    CvVersion,
    LetterTemplate,
    Pitch,
    PracticeAnswer,
    PracticeSet,
)

EXPORT_SCHEMA_VERSION = 1
CV_FIELDS = ("title", "language", "template", "layout", "target_occupation_id", "target_label",
             "origin", "is_draft", "schema_version", "content", "sections", "competence_revision",
             "declined", "edit_count", "created_at", "updated_at", "deleted_at")  # fmt: skip


def export_user_data(user: Any) -> dict[str, Any]:
    client_id = user.pk
    cvs = list(Cv.objects.filter(client_id=client_id).order_by("created_at", "id"))
    versions: dict[int, list[dict[str, Any]]] = {}
    for v in CvVersion.objects.filter(cv__client_id=client_id).order_by("cv_id", "number"):
        versions.setdefault(v.cv_id, []).append(
            {
                "number": v.number,
                "language": v.language,
                "template": v.template,
                "layout": v.layout,
                "content": v.content,
                "sections": v.sections,
                "created_at": v.created_at,
            }
        )
    answers: dict[int, list[dict[str, Any]]] = {}
    for a in PracticeAnswer.objects.filter(practice_set__client_id=client_id).order_by(
        "practice_set_id", "order", "id"
    ):
        answers.setdefault(a.practice_set_id, []).append(
            {
                "question": a.question_text,
                "kind": a.kind,
                "skill_id": a.skill_id,
                "is_gap": a.is_gap,
                "situation": a.situation,
                "task": a.task,
                "action": a.action,
                "result": a.result,
                "checklist": a.checklist,
                "note": a.note,
                "updated_at": a.updated_at,
            }
        )
    return {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "cvs": [
            {
                "id": cv.pk,
                **{name: getattr(cv, name) for name in CV_FIELDS},
                "json_resume": cv_to_jsonresume(
                    content=cv.content,
                    language=cv.language,
                    target_label=cv.target_label,
                    target_id=cv.target_occupation_id,
                ),
                "versions": versions.get(cv.pk, []),
            }
            for cv in cvs
        ],
        "letters": list(
            CoverLetter.objects.filter(client_id=client_id)
            .order_by("created_at", "id")
            .values(
                "title",
                "language",
                "cv_id",
                "cv_version__number",
                "application_id",
                "ad_id",
                "recipient",
                "job_title",
                "body",
                "created_at",
                "updated_at",
                "deleted_at",
            )
        ),
        "letter_templates": list(
            LetterTemplate.objects.filter(client_id=client_id)
            .order_by("language")
            .values("language", "body", "updated_at")
        ),
        "checks": list(
            CvCheck.objects.filter(client_id=client_id)
            .order_by("created_at", "id")
            .values("cv_id", "ad_id", "headline", "ad_text", "result", "created_at")
        ),
        "practice_sets": [
            {
                "title": s.title,
                "language": s.language,
                "ad_id": s.ad_id,
                "target_occupation_id": s.target_occupation_id,
                "basis": s.basis,
                "shared_at": s.shared_at,
                "created_at": s.created_at,
                "answers": answers.get(s.pk, []),
            }
            for s in PracticeSet.objects.filter(client_id=client_id).order_by("created_at", "id")
        ],
        "pitches": list(
            Pitch.objects.filter(client_id=client_id)
            .order_by("seconds", "language")
            .values("seconds", "language", "text", "target_occupation_id", "updated_at")
        ),
    }


def erase_user_data(user: Any) -> None:
    client_id = user.pk
    CvCheck.objects.filter(client_id=client_id).delete()
    CoverLetter.objects.filter(client_id=client_id).delete()
    Cv.objects.filter(client_id=client_id).delete()  # versions cascade
    LetterTemplate.objects.filter(client_id=client_id).delete()
    PracticeSet.objects.filter(client_id=client_id).delete()  # answers cascade
    Pitch.objects.filter(client_id=client_id).delete()
