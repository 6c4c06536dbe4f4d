"""Reads of step 2, the competence inventory: what its pages show, its status on Min resa, and
its output for the later steps.

Public API for steps 3, 4 and 5 (read these, never step 2's rows):

- `competence_profile_get(*, client)`: the newest CompetenceProfile (or None): skills,
  occupations held, languages, driving licences and education as concept ids with source and
  level; `profile.skill_weights()` maps skills to [0, 1] for matching.
- `competence_for_matching(*, client)`: just what `vagval.matching.MatchProfile` needs (skill
  weights, occupations held) and the revision it came from.
- `competence_profile_as_dict(*, profile)`: the portable-profile form (JSON-ready).
- `experiences_for_cv(*, client)`: the accepted experiences and educations with their free
  text, for the CV tooling (step 4), which needs more than concept ids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from journey.models import (
    ClientProfile,
    CompetenceInventory,
    CompetenceProfile,
    CompetenceSkill,
    CompetenceSource,
    CvUpload,
    DrivingLicence,
    Education,
    Experience,
    JourneyStep,
    LanguageLevel,
    LanguageSkill,
    SuggestionStatus,
)
from vagval.taxonomy import selectors as taxonomy

from . import language_code
from .steps import StepStatus

ACCEPTED = SuggestionStatus.ACCEPTED
SUGGESTED = SuggestionStatus.SUGGESTED
REJECTED = SuggestionStatus.REJECTED

# ---- the output, for the later steps -------------------------------------------------------


def competence_profile_get(*, client: ClientProfile) -> CompetenceProfile | None:
    """The client's competence profile (newest revision), or None before anything is saved."""
    return CompetenceProfile.objects.filter(client=client).order_by("-revision").first()


@dataclass(frozen=True)
class CompetenceForMatching:
    revision: int
    skills: dict[str, float]  # skill concept id -> weight in [0, 1]
    occupations_held: tuple[str, ...]  # occupation-name concept ids, most recent first


def competence_for_matching(*, client: ClientProfile) -> CompetenceForMatching | None:
    profile = competence_profile_get(client=client)
    if profile is None:
        return None
    return CompetenceForMatching(
        revision=profile.revision,
        skills=profile.skill_weights(),
        occupations_held=tuple(profile.occupation_ids),
    )


def competence_profile_as_dict(*, profile: CompetenceProfile) -> dict[str, Any]:
    data = profile.content()
    data.update(
        revision=profile.revision,
        schema_version=profile.schema_version,
        computed_at=profile.computed_at.isoformat(),
    )
    return data


def competence_profile_history(*, client: ClientProfile) -> list[CompetenceProfile]:
    return list(CompetenceProfile.objects.filter(client=client).order_by("-revision"))


@dataclass
class CvExperience:
    title: str
    employer: str
    occupation_id: str
    start_date: dt.date | None
    end_date: dt.date | None
    description: str


def experiences_for_cv(*, client: ClientProfile) -> list[CvExperience]:
    """Accepted experiences, newest first, as the client wrote them (for CV documents)."""
    return [
        CvExperience(e.title, e.employer, e.occupation_id, e.start_date, e.end_date, e.description)
        for e in Experience.objects.filter(client=client, status=ACCEPTED).order_by(
            "-end_date", "-start_date", "-id"
        )
    ]


def educations_for_cv(*, client: ClientProfile) -> list[Education]:
    return list(Education.objects.filter(client=client, status=ACCEPTED))


# ---- step status for Min resa --------------------------------------------------------------


def _count(model: Any, **filters: Any) -> Any:
    return Coalesce(
        Subquery(
            model.objects.filter(client=OuterRef("client"), **filters)
            .order_by()
            .values("client")
            .annotate(n=Count("id"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def competence_counts(*, client: ClientProfile) -> dict[str, Any] | None:
    """The step's counts in one query (None if the client has not saved anything in step 2)."""
    row = (
        CompetenceInventory.objects.filter(client=client)
        .annotate(
            experiences=_count(Experience, status=ACCEPTED),
            experience_suggestions=_count(Experience, status=SUGGESTED),
            skills=_count(CompetenceSkill, status=ACCEPTED),
            suggestions=_count(CompetenceSkill, status=SUGGESTED),
            languages=_count(LanguageSkill, status=ACCEPTED),
            language_suggestions=_count(LanguageSkill, status=SUGGESTED),
            educations=_count(Education, status=ACCEPTED),
            licences=_count(DrivingLicence),
        )
        .values(
            "completed_at",
            "experiences",
            "experience_suggestions",
            "skills",
            "suggestions",
            "languages",
            "language_suggestions",
            "educations",
            "licences",
        )
        .first()
    )
    return dict(row) if row is not None else None


def _n(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def competence_facts(counts: dict[str, Any], language: str) -> list[str]:
    en = language == "en"
    facts = []
    parts = [
        _n(counts["experiences"], *(("job", "jobs") if en else ("erfarenhet", "erfarenheter"))),
        _n(counts["skills"], *(("skill", "skills") if en else ("kompetens", "kompetenser"))),
        _n(counts["languages"], *(("language", "languages") if en else ("språk", "språk"))),
    ]
    facts.append(", ".join(parts) + ".")
    pending = counts["suggestions"] + counts["language_suggestions"]
    pending += counts["experience_suggestions"]
    if pending:
        facts.append(
            f"{pending} suggestion(s) waiting for your answer."
            if en
            else f"{_n(pending, 'förslag', 'förslag')} väntar på ditt svar."
        )
    return facts


def competence_step_status(*, client: ClientProfile, language: str) -> StepStatus:
    """Step 2 on Min resa (one query)."""
    language = language_code(language)
    en = language == "en"
    counts = competence_counts(client=client)
    status = StepStatus(
        step=JourneyStep.COMPETENCE,
        number=2,
        title="Your competences" if en else "Kompetensinventering",
        state=StepStatus.NOT_STARTED,
        url=reverse("journey:competence"),
        action="List your competences" if en else "Gör din kompetensinventering",
        facts=[
            "Your experience, education, skills and languages. Upload an old CV to get started "
            "faster."
            if en
            else "Din erfarenhet, utbildning, dina kompetenser och språk. Ladda upp ett gammalt "
            "CV så går det fortare."
        ],
    )
    if counts is None:
        return status
    status.facts = competence_facts(counts, language)
    if counts["completed_at"] is not None:
        status.state = StepStatus.DONE
        status.action = "See and edit your competences" if en else "Se och ändra dina kompetenser"
    else:
        status.state = StepStatus.IN_PROGRESS
        status.action = "Continue" if en else "Fortsätt med kompetenserna"
    return status


# ---- pages ----------------------------------------------------------------------------------


@dataclass
class ExperienceRow:
    experience: Experience
    occupation_label: str

    @property
    def pk(self) -> int:
        return self.experience.pk


@dataclass
class Prefill:
    """What step 1 and the account already know, offered in the add-experience form."""

    employer: str = ""
    end_date: dt.date | None = None
    note: bool = False


@dataclass
class HubPage:
    counts: dict[str, Any]
    completed: bool
    profile: CompetenceProfile | None
    experiences: list[ExperienceRow]
    suggestions: int


_EMPTY_COUNTS = {
    "completed_at": None,
    "experiences": 0,
    "experience_suggestions": 0,
    "skills": 0,
    "suggestions": 0,
    "languages": 0,
    "language_suggestions": 0,
    "educations": 0,
    "licences": 0,
}


def experience_rows(*, client: ClientProfile) -> list[ExperienceRow]:
    """Accepted and suggested experiences (not declined ones), newest first, with labels."""
    experiences = list(
        Experience.objects.filter(client=client)
        .exclude(status=REJECTED)
        .order_by("status", "-start_date", "-id")
    )
    labels = taxonomy.concept_labels(
        concept_ids=[e.occupation_id for e in experiences if e.occupation_id]
    )
    return [ExperienceRow(e, labels.get(e.occupation_id, "")) for e in experiences]


def competence_hub_build(*, client: ClientProfile) -> HubPage:
    counts = competence_counts(client=client) or dict(_EMPTY_COUNTS)
    profile = competence_profile_get(client=client)
    return HubPage(
        counts=counts,
        completed=counts["completed_at"] is not None,
        profile=profile,
        experiences=experience_rows(client=client),
        suggestions=counts["suggestions"] + counts["language_suggestions"],
    )


def experience_prefill(*, client: ClientProfile) -> Prefill:
    """Employer (the member company the client came through) and last working day (step 1),
    offered for the job the client is leaving, unless an experience there is already listed."""
    organisation = getattr(client.user, "organisation", None)
    employer = getattr(organisation, "name", "") or ""
    if employer and Experience.objects.filter(client=client, employer__iexact=employer).exists():
        return Prefill()
    if not employer and client.last_working_day is None:
        return Prefill()
    return Prefill(employer=employer, end_date=client.last_working_day, note=True)


def occupation_candidates(*, title: str, limit: int = 6) -> list[Any]:
    """Occupations that might be meant by a free-text title (the no-JS "välj yrke")."""
    title = (title or "").strip()
    if len(title) < 2:
        return []
    return list(taxonomy.concept_autocomplete(query=title, types=["occupation"], limit=limit))


@dataclass
class SkillRow:
    skill_id: str
    label: str
    level: int | None
    source: str
    status: str
    reasons: list[str] = field(default_factory=list)
    from_cv: bool = False


@dataclass
class SkillsPage:
    suggestions: list[SkillRow]
    accepted: list[SkillRow]
    rejected: list[SkillRow]


def skills_page_build(*, client: ClientProfile, language: str) -> SkillsPage:
    language = language_code(language)
    rows = list(CompetenceSkill.objects.filter(client=client).order_by("-score", "id"))
    labels = taxonomy.concept_labels(concept_ids=[r.skill_id for r in rows])
    page = SkillsPage([], [], [])
    for row in rows:
        item = SkillRow(
            skill_id=row.skill_id,
            label=labels.get(row.skill_id, row.skill_id),
            level=row.level,
            source=row.source,
            status=row.status,
            reasons=[str(r.get(language) or r.get("sv") or "") for r in (row.reasons or [])][:2],
            from_cv=any(r.get("source") == CompetenceSource.FROM_CV for r in row.reasons or []),
        )
        if row.status == SUGGESTED:
            page.suggestions.append(item)
        elif row.status == ACCEPTED:
            page.accepted.append(item)
        else:
            page.rejected.append(item)
    page.accepted.sort(key=lambda r: r.label.casefold())
    page.rejected.sort(key=lambda r: r.label.casefold())
    return page


@dataclass
class LanguageRow:
    language_id: str
    label: str
    level: str
    level_label: str
    status: str


@dataclass
class LanguagesPage:
    languages: list[LanguageRow]
    suggestions: list[LanguageRow]
    licence_choices: list[tuple[str, str]]
    licences: list[str]


def licence_choices() -> list[tuple[str, str]]:
    """The driving-licence categories (AM, A1 ... D1E), in the taxonomy's order by label."""
    return [(c.concept_id, c.label_sv) for c in taxonomy.concept_list(type="driving-licence")]


def languages_page_build(*, client: ClientProfile) -> LanguagesPage:
    rows = list(LanguageSkill.objects.filter(client=client).exclude(status=REJECTED).order_by("id"))
    labels = taxonomy.concept_labels(concept_ids=[r.language_id for r in rows])
    level_labels = dict(LanguageLevel.choices)
    items = [
        LanguageRow(
            r.language_id,
            labels.get(r.language_id, r.language_id),
            r.level,
            str(level_labels.get(r.level, "")),
            r.status,
        )
        for r in rows
    ]
    return LanguagesPage(
        languages=[i for i in items if i.status == ACCEPTED],
        suggestions=[i for i in items if i.status == SUGGESTED],
        licence_choices=licence_choices(),
        licences=list(
            DrivingLicence.objects.filter(client=client).values_list("licence_id", flat=True)
        ),
    )


def education_level_choices() -> list[tuple[str, str]]:
    """SUN 2020 education levels (level 2, 14 choices), shortest education first."""
    return [
        (c.concept_id, c.label_sv)
        for c in sorted(
            taxonomy.concept_list(type="sun-education-level-2"), key=lambda c: (c.code, c.label_sv)
        )
    ]


@dataclass
class EducationRow:
    education: Education
    level_label: str
    field_label: str


def education_rows(*, client: ClientProfile) -> list[EducationRow]:
    rows = list(Education.objects.filter(client=client).exclude(status=REJECTED))
    labels = taxonomy.concept_labels(
        concept_ids=[i for r in rows for i in (r.field_id, r.level_id) if i]
    )
    return [EducationRow(r, labels.get(r.level_id, ""), labels.get(r.field_id, "")) for r in rows]


def cv_uploads(*, client: ClientProfile) -> list[CvUpload]:
    return list(CvUpload.objects.filter(client=client).defer("text").order_by("-uploaded_at"))


def own_experience(*, client: ClientProfile, experience_id: int) -> Experience | None:
    return Experience.objects.filter(client=client, pk=experience_id).first()


def own_education(*, client: ClientProfile, education_id: int) -> Education | None:
    return Education.objects.filter(client=client, pk=education_id).first()


__all__ = [
    "CompetenceForMatching",
    "competence_for_matching",
    "competence_profile_as_dict",
    "competence_profile_get",
    "competence_step_status",
    "experiences_for_cv",
]
