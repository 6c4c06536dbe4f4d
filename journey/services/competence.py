"""Writes of step 2, the competence inventory (kompetensinventering).

Every write goes through one of the functions below and ends in `_changed`, which

1. rebuilds the CompetenceProfile (a new revision only if its content changed),
2. records a JourneyChange that tells the client what happened, and
3. if the profile changed, queues the downstream refresh (steps 3 and 5) after commit.

Suggestions (`CompetenceSkill` rows with status "suggested") come from

- the occupations the client has held: skills that the enriched job ads of that occupation name
  most often (share of ads, from `vagval.jobs.selectors.ads_active`), widened to the occupations
  JobTech says are largely interchangeable (taxonomy substitutability) when an occupation has few
  ads, plus skills named in the SSYK-4 group's taxonomy definition;
- an uploaded CV: skills, languages and jobs found in its text by the taxonomy matcher (the same
  enricher the job pipeline uses).

A skill the client rejects (or removes) stays as a "rejected" row, so it is never suggested again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from journey.cvparse import CvRefused, cv_text_extract, experience_lines
from journey.models import (
    ChangeKind,
    ClientProfile,
    CompetenceInventory,
    CompetenceProfile,
    CompetenceSkill,
    CompetenceSource,
    CvUpload,
    DrivingLicence,
    Education,
    Experience,
    JourneyStage,
    JourneyStep,
    LanguageLevel,
    LanguageSkill,
    SuggestionStatus,
)
from journey.models.competence import SKILL_LEVEL_MAX, SKILL_LEVEL_MIN

from .changes import journey_change_record
from .client import client_profile_stage_advance
from .downstream import client_downstream_refresh_enqueue

logger = logging.getLogger(__name__)

OCCUPATION = "occupation-name"
SKILL = "skill"
LANGUAGE = "language"
LICENCE = "driving-licence"
EDUCATION_LEVEL = "sun-education-level-2"
EDUCATION_FIELDS = ("sun-education-field-4", "sun-education-field-3")

# Occupation suggestions: how many ads to read per occupation, and what makes a skill typical.
ADS_SAMPLE = 400
MIN_ADS = 5  # fewer ads than this: widen to substitutable occupations
MIN_SHARE = 0.08  # named in at least 8 % of the occupation's ads
MIN_SKILL_ADS = 2
TOP_PER_OCCUPATION = 12
SUBSTITUTE_MIN_WEIGHT = 75  # "largely" interchangeable (JobTech substitutability)
DEFINITION_SCORE = 0.05
CV_EXPERIENCES_MAX = 10


class CompetenceInputError(ValueError):
    """Bad input a form could not catch (an unknown concept, someone else's row)."""

    def __init__(self, message_sv: str, message_en: str = "") -> None:
        super().__init__(message_sv)
        self.message_sv = message_sv
        self.message_en = message_en or message_sv

    def message(self, language: str) -> str:
        return self.message_en if language == "en" else self.message_sv


# ---- helpers --------------------------------------------------------------------------------


def _taxonomy() -> Any:
    from vagval.taxonomy import selectors

    return selectors


def _concept_types(concept_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """concept id -> (type, Swedish label) for the given ids (one query)."""
    from vagval.taxonomy.models import Concept

    ids = [c for c in dict.fromkeys(concept_ids) if c]
    if not ids:
        return {}
    return {
        cid: (ctype, label)
        for cid, ctype, label in Concept.objects.filter(concept_id__in=ids).values_list(
            "concept_id", "type", "label_sv"
        )
    }


def concept_require(*, concept_id: str, types: Sequence[str]) -> str:
    """The concept's label, if it exists with one of `types`; else CompetenceInputError."""
    found = _concept_types([concept_id]).get(concept_id)
    if found is None or found[0] not in types:
        raise CompetenceInputError(
            "Vi känner inte igen det valet. Börja skriva igen och välj ett av förslagen.",
            "We do not recognise that choice. Start typing again and pick a suggestion.",
        )
    return found[1]


def concept_resolve(*, text: str, types: Sequence[str]) -> tuple[str, str] | None:
    """(concept id, label) when `text` names exactly one concept of the public `types`
    (autocomplete type names such as "skill"), i.e. its best hit has the same normalised label.
    Used when the client typed without picking a suggestion (no JavaScript)."""
    from vagval.taxonomy.normalize import normalize_term

    text = (text or "").strip()
    if len(text) < 2:
        return None
    hits = _taxonomy().concept_autocomplete(query=text, types=list(types), limit=5)
    wanted = normalize_term(text)
    for hit in hits:
        if normalize_term(hit.label) == wanted:
            return hit.concept_id, hit.label
    return None


def concept_candidates(*, text: str, types: Sequence[str], limit: int = 6) -> list[Any]:
    """Best autocomplete hits for `text` ("Menade du ...?" when nothing was picked)."""
    text = (text or "").strip()
    if len(text) < 2:
        return []
    return list(_taxonomy().concept_autocomplete(query=text, types=list(types), limit=limit))


def _month(value: tuple[int, int] | None) -> dt.date | None:
    return dt.date(value[0], value[1], 1) if value else None


# ---- the step itself --------------------------------------------------------------------------


def competence_inventory_start(*, client: ClientProfile) -> CompetenceInventory:
    """The client opens step 2: its bookkeeping row, and the journey stage moves to step 2."""
    inventory, created = CompetenceInventory.objects.get_or_create(client=client)
    if created:
        client_profile_stage_advance(client=client, stage=JourneyStage.COMPETENCE)
    return inventory


def competence_inventory_complete(*, client: ClientProfile) -> CompetenceInventory:
    """The client says step 2 is done (they can still change everything afterwards)."""
    inventory = competence_inventory_start(client=client)
    if inventory.completed_at is None:
        inventory.completed_at = timezone.now()
        inventory.save(update_fields=["completed_at", "updated_at"])
        _changed(
            client=client,
            kind=ChangeKind.COMPLETED,
            sv="Du har gjort klart kompetensinventeringen.",
            en="You have completed your competence inventory.",
        )
    return inventory


def _changed(
    *,
    client: ClientProfile,
    sv: str,
    en: str,
    kind: str = ChangeKind.UPDATED,
    url: str = "",
) -> CompetenceProfile:
    """After every write: rebuild the profile, tell the client, refresh steps 3 and 5."""
    _, started = CompetenceInventory.objects.get_or_create(client=client)
    if started:
        client_profile_stage_advance(client=client, stage=JourneyStage.COMPETENCE)
    before = CompetenceProfile.objects.filter(client=client).order_by("-revision").first()
    profile = competence_profile_rebuild(client=client)
    journey_change_record(
        client=client,
        step=JourneyStep.COMPETENCE,
        kind=kind,
        message_sv=sv,
        message_en=en,
        url=url or reverse("journey:competence"),
    )
    if before is None or profile.revision != before.revision:
        client_downstream_refresh_enqueue(client=client)
    return profile


# ---- the profile ----------------------------------------------------------------------------


def _years_between(start: dt.date, end: dt.date) -> float:
    return max((end - start).days, 0) / 365.25


def _union_years(intervals: list[tuple[dt.date, dt.date]]) -> float:
    """Total time covered by the intervals, overlaps counted once."""
    total = 0.0
    current: tuple[dt.date, dt.date] | None = None
    for start, end in sorted(intervals):
        if current is None or start > current[1]:
            if current is not None:
                total += _years_between(*current)
            current = (start, end)
        else:
            current = (current[0], max(current[1], end))
    if current is not None:
        total += _years_between(*current)
    return round(total, 1)


def competence_profile_content(*, client: ClientProfile) -> dict[str, Any]:
    """The profile's content computed from the client's accepted step 2 rows."""
    accepted = SuggestionStatus.ACCEPTED
    today = timezone.localdate()
    experiences = list(Experience.objects.filter(client=client, status=accepted))
    educations = list(Education.objects.filter(client=client, status=accepted))
    skills = list(CompetenceSkill.objects.filter(client=client, status=accepted))
    languages = list(LanguageSkill.objects.filter(client=client, status=accepted))
    licences = list(DrivingLicence.objects.filter(client=client))
    labels = _taxonomy().concept_labels(
        concept_ids=[
            *(e.occupation_id for e in experiences if e.occupation_id),
            *(s.skill_id for s in skills),
            *(lang.language_id for lang in languages),
            *(lic.licence_id for lic in licences),
        ]
    )
    occupations: dict[str, dict[str, Any]] = {}
    intervals: list[tuple[dt.date, dt.date]] = []
    for exp in sorted(
        experiences, key=lambda e: (e.end_date is None, e.end_date or today, e.id), reverse=True
    ):
        end = min(exp.end_date or today, today)
        years = _years_between(exp.start_date, end) if exp.start_date else 0.0
        if exp.start_date and exp.start_date <= end:
            intervals.append((exp.start_date, end))
        if not exp.occupation_id:
            continue
        entry = occupations.setdefault(
            exp.occupation_id,
            {
                "concept_id": exp.occupation_id,
                "label": labels.get(exp.occupation_id, exp.title),
                "source": "experience",
                "years": 0.0,
                "current": False,
            },
        )
        entry["years"] = round(entry["years"] + years, 1)
        entry["current"] = entry["current"] or exp.end_date is None or exp.end_date >= today
    skill_rows = sorted(
        (
            {
                "concept_id": s.skill_id,
                "label": labels.get(s.skill_id, ""),
                "source": s.source,
                "level": s.level,
            }
            for s in skills
        ),
        key=lambda s: (-(s["level"] or 0), s["label"], s["concept_id"]),
    )
    return {
        "skills": skill_rows,
        "occupations": list(occupations.values()),
        "languages": sorted(
            (
                {
                    "concept_id": lang.language_id,
                    "label": labels.get(lang.language_id, ""),
                    "level": lang.level,
                }
                for lang in languages
            ),
            key=lambda lang: (lang["label"], lang["concept_id"]),
        ),
        "driving_licences": sorted(
            (
                {"concept_id": lic.licence_id, "label": labels.get(lic.licence_id, "")}
                for lic in licences
            ),
            key=lambda lic: (lic["label"], lic["concept_id"]),
        ),
        "education": [
            {
                "name": e.name,
                "institution": e.institution,
                "level_id": e.level_id,
                "field_id": e.field_id,
                "start_year": e.start_year,
                "end_year": e.end_year,
            }
            for e in sorted(
                educations,
                key=lambda e: (e.end_year or 9999, e.start_year or 0, e.id),
                reverse=True,
            )
        ],
        "experience_years": _union_years(intervals),
    }


def competence_profile_rebuild(*, client: ClientProfile) -> CompetenceProfile:
    """Recompute the client's CompetenceProfile; a new revision only if anything changed.

    Returns the newest revision (the new one, or the unchanged latest). Safe to call twice.
    """
    content = competence_profile_content(client=client)
    with transaction.atomic():
        # Lock the client's row so two saves at once cannot both write revision n + 1.
        ClientProfile.objects.select_for_update().filter(pk=client.pk).first()
        latest = CompetenceProfile.objects.filter(client=client).order_by("-revision").first()
        if latest is not None and latest.content() == content:
            return latest
        return CompetenceProfile.objects.create(
            client=client, revision=(latest.revision + 1 if latest else 1), **content
        )


# ---- experiences ----------------------------------------------------------------------------


@dataclass
class ExperienceInput:
    title: str
    employer: str = ""
    occupation_id: str = ""
    # "" = keep occupation_id; "none" = the client wants no occupation; an id = picked.
    occupation_pick: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    description: str = ""


def _experience_occupation(data: ExperienceInput) -> str:
    pick = (data.occupation_pick or "").strip()
    if pick == "none":
        return ""
    chosen = pick or (data.occupation_id or "").strip()
    if chosen:
        concept_require(concept_id=chosen, types=[OCCUPATION])
        return chosen
    # Nothing picked (typed without choosing, or no JavaScript): match only an exact title.
    resolved = concept_resolve(text=data.title, types=["occupation"])
    return resolved[0] if resolved else ""


def experience_save(
    *, client: ClientProfile, data: ExperienceInput, experience_id: int | None = None
) -> Experience:
    """Add or change one of the client's experiences. The title is kept as typed; the
    occupation is the one picked, or an exact match of the title, or none (free text)."""
    occupation_id = _experience_occupation(data)
    if experience_id is None:
        experience = Experience(client=client)
    else:
        experience = _own(Experience, client=client, pk=experience_id)
    old_occupation = experience.occupation_id
    was_suggestion = experience.status == SuggestionStatus.SUGGESTED
    experience.title = data.title.strip()[:200]
    experience.employer = data.employer.strip()[:200]
    experience.occupation_id = occupation_id
    experience.start_date = data.start_date
    experience.end_date = data.end_date
    experience.description = data.description.strip()[:4000]
    experience.status = SuggestionStatus.ACCEPTED  # saving a CV suggestion accepts it
    experience.full_clean(exclude=["client"])
    experience.save()
    if experience_id is None or old_occupation != occupation_id or was_suggestion:
        skill_suggestions_from_occupations(client=client)
    verb = ("Lade till", "Added") if experience_id is None else ("Ändrade", "Changed")
    _changed(
        client=client,
        sv=f"{verb[0]} erfarenheten {experience.title}.",
        en=f"{verb[1]} the experience {experience.title}.",
    )
    return experience


def experience_delete(*, client: ClientProfile, experience_id: int) -> None:
    """Remove an experience. One pre-filled from a CV is remembered as declined, so uploading
    the same CV again does not suggest it again."""
    experience = _own(Experience, client=client, pk=experience_id)
    title = experience.title
    if experience.status == SuggestionStatus.SUGGESTED:
        experience.status = SuggestionStatus.REJECTED
        experience.save(update_fields=["status", "updated_at"])
        _changed(
            client=client,
            sv=f"Avböjde förslaget {title} från ditt CV.",
            en=f"Declined the suggestion {title} from your CV.",
        )
        return
    had_occupation = bool(experience.occupation_id) and experience.status == "accepted"
    experience.delete()
    if had_occupation:
        skill_suggestions_from_occupations(client=client)
    _changed(
        client=client, sv=f"Tog bort erfarenheten {title}.", en=f"Removed the experience {title}."
    )


def experience_accept(*, client: ClientProfile, experience_id: int) -> Experience:
    """Accept an experience that was pre-filled from the CV as it is."""
    experience = _own(Experience, client=client, pk=experience_id)
    if experience.status != SuggestionStatus.ACCEPTED:
        experience.status = SuggestionStatus.ACCEPTED
        experience.save(update_fields=["status", "updated_at"])
        skill_suggestions_from_occupations(client=client)
        _changed(
            client=client,
            sv=f"Lade till erfarenheten {experience.title} från ditt CV.",
            en=f"Added the experience {experience.title} from your CV.",
        )
    return experience


def _own(model: Any, *, client: ClientProfile, pk: int) -> Any:
    """The client's own row, or CompetenceInputError (never someone else's)."""
    row = model.objects.filter(client=client, pk=pk).first()
    if row is None:
        raise CompetenceInputError(
            "Det du försökte ändra finns inte längre. Ladda om sidan.",
            "What you tried to change is no longer there. Reload the page.",
        )
    return row


# ---- education --------------------------------------------------------------------------------


@dataclass
class EducationInput:
    name: str
    institution: str = ""
    level_id: str = ""
    field_id: str = ""
    field_text: str = ""
    start_year: int | None = None
    end_year: int | None = None


def education_save(
    *, client: ClientProfile, data: EducationInput, education_id: int | None = None
) -> Education:
    level_id = (data.level_id or "").strip()
    if level_id:
        concept_require(concept_id=level_id, types=[EDUCATION_LEVEL])
    field_id = (data.field_id or "").strip()
    if field_id:
        concept_require(concept_id=field_id, types=EDUCATION_FIELDS)
    elif data.field_text.strip():
        resolved = concept_resolve(text=data.field_text, types=["education-field"])
        field_id = resolved[0] if resolved else ""
    if education_id is None:
        education = Education(client=client)
    else:
        education = _own(Education, client=client, pk=education_id)
    education.name = data.name.strip()[:200]
    education.institution = data.institution.strip()[:200]
    education.level_id = level_id
    education.field_id = field_id
    education.start_year = data.start_year
    education.end_year = data.end_year
    education.status = SuggestionStatus.ACCEPTED
    education.full_clean(exclude=["client"])
    education.save()
    verb = ("Lade till", "Added") if education_id is None else ("Ändrade", "Changed")
    _changed(
        client=client,
        sv=f"{verb[0]} utbildningen {education.name}.",
        en=f"{verb[1]} the education {education.name}.",
    )
    return education


def education_delete(*, client: ClientProfile, education_id: int) -> None:
    education = _own(Education, client=client, pk=education_id)
    name = education.name
    education.delete()
    _changed(
        client=client, sv=f"Tog bort utbildningen {name}.", en=f"Removed the education {name}."
    )


# ---- skills -----------------------------------------------------------------------------------


def _level(level: int | None) -> int | None:
    if level is None:
        return None
    if not SKILL_LEVEL_MIN <= int(level) <= SKILL_LEVEL_MAX:
        raise CompetenceInputError("Välj en nivå mellan 1 och 5.", "Choose a level from 1 to 5.")
    return int(level)


def skill_add(*, client: ClientProfile, skill_id: str, level: int | None = None) -> CompetenceSkill:
    """The client adds a skill themselves (accepted; a rejected or pending one is revived)."""
    label = concept_require(concept_id=skill_id, types=[SKILL])
    level = _level(level)
    skill, created = CompetenceSkill.objects.get_or_create(
        client=client,
        skill_id=skill_id,
        defaults={"source": CompetenceSource.DECLARED, "status": SuggestionStatus.ACCEPTED},
    )
    if not created:
        skill.status = SuggestionStatus.ACCEPTED
    if level is not None:
        skill.level = level
    skill.decided_at = timezone.now()
    skill.save()
    _changed(client=client, sv=f"Lade till kompetensen {label}.", en=f"Added the skill {label}.")
    return skill


def skill_level_set(*, client: ClientProfile, skill_id: str, level: int | None) -> CompetenceSkill:
    skill = CompetenceSkill.objects.filter(
        client=client, skill_id=skill_id, status=SuggestionStatus.ACCEPTED
    ).first()
    if skill is None:
        raise CompetenceInputError(
            "Kompetensen finns inte i din lista. Ladda om sidan.",
            "The skill is not in your list. Reload the page.",
        )
    level = _level(level)
    if skill.level != level:
        skill.level = level
        skill.save(update_fields=["level", "updated_at"])
        label = _taxonomy().concept_labels(concept_ids=[skill_id]).get(skill_id, skill_id)
        _changed(
            client=client,
            sv=f"Ändrade nivån på {label} till {level or 'ingen'}.",
            en=f"Changed the level of {label} to {level or 'none'}.",
        )
    return skill


def skill_remove(*, client: ClientProfile, skill_id: str) -> None:
    """Remove a skill from the list. It is remembered as rejected, so it is not suggested
    again; adding it again later works."""
    updated = CompetenceSkill.objects.filter(
        client=client, skill_id=skill_id, status=SuggestionStatus.ACCEPTED
    ).update(status=SuggestionStatus.REJECTED, decided_at=timezone.now())
    if updated:
        label = _taxonomy().concept_labels(concept_ids=[skill_id]).get(skill_id, skill_id)
        _changed(
            client=client, sv=f"Tog bort kompetensen {label}.", en=f"Removed the skill {label}."
        )


def suggestions_decide(
    *, client: ClientProfile, skill_ids: Iterable[str] | None, accept: bool
) -> int:
    """Accept or reject suggested skills (the listed ones, or all when `skill_ids` is None).

    Only rows still suggested change: a double tap or a stale page does nothing twice.
    Returns how many changed.
    """
    queryset = CompetenceSkill.objects.filter(client=client, status=SuggestionStatus.SUGGESTED)
    if skill_ids is not None:
        queryset = queryset.filter(skill_id__in=list(skill_ids))
    ids = list(queryset.values_list("skill_id", flat=True))
    if not ids:
        return 0
    status = SuggestionStatus.ACCEPTED if accept else SuggestionStatus.REJECTED
    CompetenceSkill.objects.filter(
        client=client, status=SuggestionStatus.SUGGESTED, skill_id__in=ids
    ).update(status=status, decided_at=timezone.now())
    labels = _taxonomy().concept_labels(concept_ids=ids[:1])
    n = len(ids)
    what_sv = labels.get(ids[0], "") if n == 1 else f"{n} kompetenser"
    what_en = labels.get(ids[0], "") if n == 1 else f"{n} skills"
    if accept:
        _changed(
            client=client,
            sv=f"Lade till {what_sv} från förslagen.",
            en=f"Added {what_en} from the suggestions.",
        )
    else:
        _changed(
            client=client,
            sv=f"Avböjde förslaget {what_sv}." if n == 1 else f"Avböjde {what_sv}.",
            en=f"Declined {what_en}.",
        )
    return n


# ---- languages and driving licences ----------------------------------------------------------


def language_save(*, client: ClientProfile, language_id: str, level: str) -> LanguageSkill:
    label = concept_require(concept_id=language_id, types=[LANGUAGE])
    if level not in LanguageLevel.values:
        raise CompetenceInputError("Välj hur bra du kan språket.", "Choose how well you know it.")
    language, created = LanguageSkill.objects.get_or_create(
        client=client,
        language_id=language_id,
        defaults={"level": level, "status": SuggestionStatus.ACCEPTED},
    )
    if not created:
        language.level = level
        language.status = SuggestionStatus.ACCEPTED
        language.save(update_fields=["level", "status", "updated_at"])
    _changed(client=client, sv=f"Sparade språket {label}.", en=f"Saved the language {label}.")
    return language


def language_remove(*, client: ClientProfile, language_id: str) -> None:
    """Remove a language (or decline one found in the CV: remembered, not suggested again)."""
    language = LanguageSkill.objects.filter(client=client, language_id=language_id).first()
    if language is None or language.status == SuggestionStatus.REJECTED:
        return
    language.status = SuggestionStatus.REJECTED
    language.save(update_fields=["status", "updated_at"])
    label = _taxonomy().concept_labels(concept_ids=[language_id]).get(language_id, language_id)
    _changed(client=client, sv=f"Tog bort språket {label}.", en=f"Removed the language {label}.")


def driving_licences_set(*, client: ClientProfile, licence_ids: Iterable[str]) -> list[str]:
    """Replace the client's driving licences with `licence_ids` (all must be licence concepts)."""
    wanted = list(dict.fromkeys(i for i in licence_ids if i))
    types = _concept_types(wanted)
    if any(types.get(i, ("",))[0] != LICENCE for i in wanted):
        raise CompetenceInputError("Okänd körkortsbehörighet.", "Unknown licence category.")
    have = set(DrivingLicence.objects.filter(client=client).values_list("licence_id", flat=True))
    if have == set(wanted):
        return wanted
    DrivingLicence.objects.filter(client=client).exclude(licence_id__in=wanted).delete()
    DrivingLicence.objects.bulk_create(
        [DrivingLicence(client=client, licence_id=i) for i in wanted if i not in have]
    )
    labels = ", ".join(sorted(types[i][1] for i in wanted))
    _changed(
        client=client,
        sv=f"Körkort: {labels}." if wanted else "Tog bort körkort.",
        en=f"Driving licence: {labels}." if wanted else "Removed driving licences.",
    )
    return wanted


# ---- suggestions from the occupations held --------------------------------------------------


@dataclass
class SkillEvidence:
    """Why a skill is suggested for an occupation."""

    skill_id: str
    score: float
    reason: dict[str, Any] = field(default_factory=dict)


def _ads_skill_counts(occupation_ids: Sequence[str]) -> dict[str, tuple[int, Counter[str]]]:
    """occupation id -> (ads read, how many of them name each skill), from the active ads.

    Ads are matched on the occupation the source gave or any occupation the enricher found.
    The JSON list is searched as text (portable to SQLite and PostgreSQL) and checked exactly
    here. At most ADS_SAMPLE ads per occupation are read.
    """
    from vagval.jobs.selectors import ads_active

    result: dict[str, tuple[int, Counter[str]]] = {}
    for occupation_id in occupation_ids:
        rows = (
            ads_active()
            .filter(
                Q(occupation_concept_id=occupation_id)
                | Q(occupation_ids__icontains=f'"{occupation_id}"')
            )
            .order_by()
            .values_list("occupation_concept_id", "occupation_ids", "skill_ids")[:ADS_SAMPLE]
        )
        counts: Counter[str] = Counter()
        n = 0
        for own, occupations, skills in rows:
            if own != occupation_id and occupation_id not in (occupations or []):
                continue
            n += 1
            counts.update(set(skills or []))
        result[occupation_id] = (n, counts)
    return result


def occupation_skill_evidence(
    *, occupation_ids: Sequence[str], language: str = "sv"
) -> dict[str, list[SkillEvidence]]:
    """occupation id -> the skills typical of it, best first, each with its reason.

    Sources: how often the skill is named in the occupation's ads (widened to largely
    substitutable occupations when it has fewer than MIN_ADS ads), and skills the matcher finds
    in the SSYK-4 group's taxonomy definition.
    """
    from vagval.taxonomy.textmatch import get_matcher

    taxonomy = _taxonomy()
    occupation_ids = list(dict.fromkeys(o for o in occupation_ids if o))
    if not occupation_ids:
        return {}
    labels = taxonomy.concept_labels(concept_ids=occupation_ids)
    wider: dict[str, list[str]] = {}
    direct = _ads_skill_counts(occupation_ids)
    for occupation_id, (n, _counts) in direct.items():
        if n < MIN_ADS:
            wider[occupation_id] = [
                r.concept_id
                for r in taxonomy.related_occupations(
                    concept_id=occupation_id, min_weight=SUBSTITUTE_MIN_WEIGHT
                )[:8]
            ]
    extra = _ads_skill_counts(sorted({o for ids in wider.values() for o in ids} - set(direct)))
    matcher = get_matcher()
    out: dict[str, list[SkillEvidence]] = {}
    for occupation_id in occupation_ids:
        label = labels.get(occupation_id, "")
        n, counts = direct[occupation_id]
        widened = False
        if occupation_id in wider:
            for other in wider[occupation_id]:
                if other in extra:
                    n += extra[other][0]
                    counts = counts + extra[other][1]
                    widened = True
        evidence: dict[str, SkillEvidence] = {}
        if n:
            for skill_id, k in counts.most_common():
                share = k / n
                if k < MIN_SKILL_ADS or share < MIN_SHARE:
                    break
                pct = round(share * 100)
                where_sv = f"{label} och liknande yrken" if widened else label
                where_en = f"{label} and similar occupations" if widened else label
                evidence[skill_id] = SkillEvidence(
                    skill_id,
                    round(share, 4),
                    {
                        "source": CompetenceSource.FROM_OCCUPATION,
                        "occupation_id": occupation_id,
                        "share": round(share, 4),
                        "ads": n,
                        "sv": f"Finns i {pct} % av {n} annonser för {where_sv}",
                        "en": f"In {pct}% of {n} ads for {where_en}",
                    },
                )
                if len(evidence) >= TOP_PER_OCCUPATION:
                    break
        group = taxonomy.ssyk4_for_occupation(concept_id=occupation_id)
        definition = ""
        if group is not None:
            concept = taxonomy.concept_get(concept_id=group.concept_id)
            definition = (concept.extra or {}).get("definition", "") if concept else ""
        if definition:
            for hit in matcher.find(definition, types=frozenset({SKILL})):
                if hit.concept_id in evidence:
                    continue
                evidence[hit.concept_id] = SkillEvidence(
                    hit.concept_id,
                    DEFINITION_SCORE,
                    {
                        "source": CompetenceSource.FROM_OCCUPATION,
                        "occupation_id": occupation_id,
                        "sv": f"Ingår i beskrivningen av yrkesgruppen {group.label}",  # type: ignore[union-attr]
                        "en": f"Part of the description of the group {group.label}",  # type: ignore[union-attr]
                    },
                )
        out[occupation_id] = list(evidence.values())
    return out


def skill_suggestions_from_occupations(*, client: ClientProfile) -> int:
    """Suggest the skills typical of the occupations the client has held (accepted
    experiences). Skills the client already has, or rejected, are never suggested; pending
    suggestions that no longer follow from any occupation are withdrawn. Returns how many
    suggestions are new."""
    occupation_ids = list(
        Experience.objects.filter(client=client, status=SuggestionStatus.ACCEPTED)
        .exclude(occupation_id="")
        .order_by("-start_date")
        .values_list("occupation_id", flat=True)
    )
    evidence = occupation_skill_evidence(occupation_ids=occupation_ids)
    best: dict[str, tuple[float, list[dict[str, Any]]]] = {}
    for items in evidence.values():
        for item in items:
            score, reasons = best.get(item.skill_id, (0.0, []))
            best[item.skill_id] = (max(score, item.score), [*reasons, item.reason])
    existing = {
        s.skill_id: s
        for s in CompetenceSkill.objects.filter(client=client).only(
            "id", "skill_id", "status", "source", "reasons", "score"
        )
    }
    created = 0
    new_rows = []
    for skill_id, (score, reasons) in best.items():
        row = existing.get(skill_id)
        if row is None:
            new_rows.append(
                CompetenceSkill(
                    client=client,
                    skill_id=skill_id,
                    source=CompetenceSource.FROM_OCCUPATION,
                    status=SuggestionStatus.SUGGESTED,
                    score=score,
                    reasons=reasons[:3],
                )
            )
            created += 1
        elif (
            row.status == SuggestionStatus.SUGGESTED
            and row.source == (CompetenceSource.FROM_OCCUPATION)
            and (row.score != score or row.reasons != reasons[:3])
        ):
            row.score, row.reasons = score, reasons[:3]
            row.save(update_fields=["score", "reasons", "updated_at"])
    CompetenceSkill.objects.bulk_create(new_rows, ignore_conflicts=True)
    # Withdraw pending occupation suggestions no occupation supports any more.
    CompetenceSkill.objects.filter(
        client=client,
        status=SuggestionStatus.SUGGESTED,
        source=CompetenceSource.FROM_OCCUPATION,
    ).exclude(skill_id__in=list(best)).delete()
    return created


@dataclass(frozen=True)
class SkillSuggestion:
    """A skill another part of Vägval suggests (step 4 from an ad, an adviser, the demo)."""

    skill_id: str
    source: str  # a CompetenceSource value
    reason_sv: str
    reason_en: str = ""
    score: float = 0.5


def skill_suggestions_add(*, client: ClientProfile, suggestions: Sequence[SkillSuggestion]) -> int:
    """Suggest skills to the client. Skills they already have, have been suggested or have
    rejected are left alone (a rejection is final). Returns how many suggestions are new."""
    wanted = {s.skill_id: s for s in suggestions if s.source in CompetenceSource.values}
    types = _concept_types(wanted)
    known = set(
        CompetenceSkill.objects.filter(client=client, skill_id__in=list(wanted)).values_list(
            "skill_id", flat=True
        )
    )
    rows = [
        CompetenceSkill(
            client=client,
            skill_id=s.skill_id,
            source=s.source,
            status=SuggestionStatus.SUGGESTED,
            score=s.score,
            reasons=[{"source": s.source, "sv": s.reason_sv, "en": s.reason_en or s.reason_sv}],
        )
        for s in wanted.values()
        if s.skill_id not in known and types.get(s.skill_id, ("",))[0] == SKILL
    ]
    CompetenceSkill.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        n = len(rows)
        _changed(
            client=client,
            sv=f"{n} nya förslag på kompetenser.",
            en=f"{n} new skill suggestions.",
            kind=ChangeKind.NEW_RESULTS,
            url=reverse("journey:competence_skills"),
        )
    return len(rows)


# ---- CV upload ------------------------------------------------------------------------------


@dataclass
class CvResult:
    upload: CvUpload
    skills: int
    languages: int
    experiences: int


def cv_upload_process(
    *, client: ClientProfile, stream: BinaryIO, size: int, filename: str
) -> CvResult:
    """Read an uploaded CV and turn what it says into suggestions.

    The file's text is extracted in memory (the caller deletes the temporary upload when the
    request ends); only the text is stored, as a CvUpload. Skills and languages found by the
    taxonomy matcher become suggestions, and lines that look like jobs with dates become
    suggested experiences. Raises cvparse.CvRefused with the reason.
    """
    from vagval.taxonomy.textmatch import get_matcher

    extracted = cv_text_extract(stream=stream, size=size)
    matcher = get_matcher()
    hits = matcher.find(extracted.text, types=frozenset({SKILL, LANGUAGE, OCCUPATION}))
    with transaction.atomic():
        upload = CvUpload.objects.create(
            client=client,
            filename=(filename or "cv")[-200:],
            kind=extracted.kind,
            size=size,
            text=extracted.text,
        )
        skills = _cv_skills(client=client, hits=[h for h in hits if h.type == SKILL])
        languages = _cv_languages(client=client, hits=[h for h in hits if h.type == LANGUAGE])
        experiences = _cv_experiences(client=client, text=extracted.text)
        upload.found = {
            "skills": skills,
            "languages": languages,
            "experiences": experiences,
            "occupations": [h.concept_id for h in hits if h.type == OCCUPATION][:10],
            "truncated": extracted.truncated,
        }
        upload.save(update_fields=["found"])
        _changed(
            client=client,
            sv=f"Vi läste ditt CV och hittade {skills} kompetenser, {languages} språk och "
            f"{experiences} erfarenheter att föreslå.",
            en=f"We read your CV and found {skills} skills, {languages} languages and "
            f"{experiences} experiences to suggest.",
            kind=ChangeKind.NEW_RESULTS,
            url=reverse("journey:competence_skills"),
        )
    return CvResult(upload=upload, skills=skills, languages=languages, experiences=experiences)


def _cv_skills(*, client: ClientProfile, hits: Sequence[Any]) -> int:
    existing = {
        s.skill_id: s
        for s in CompetenceSkill.objects.filter(
            client=client, skill_id__in=[h.concept_id for h in hits]
        )
    }
    new_rows = []
    for hit in hits:
        reason = {
            "source": CompetenceSource.FROM_CV,
            "matched": hit.matched[:100],
            "count": hit.count,
            "sv": f"Står i ditt CV: ”{hit.matched[:100]}”",
            "en": f"In your CV: “{hit.matched[:100]}”",
        }
        row = existing.get(hit.concept_id)
        if row is None:
            new_rows.append(
                CompetenceSkill(
                    client=client,
                    skill_id=hit.concept_id,
                    source=CompetenceSource.FROM_CV,
                    status=SuggestionStatus.SUGGESTED,
                    score=1.0 + hit.count,  # what the client wrote ranks above ad statistics
                    reasons=[reason],
                )
            )
        elif row.status == SuggestionStatus.SUGGESTED and not any(
            r.get("source") == CompetenceSource.FROM_CV for r in row.reasons
        ):
            # Already suggested from an occupation: the CV makes it stronger.
            row.reasons = [reason, *row.reasons][:3]
            row.score = max(row.score, 1.0 + hit.count)
            row.save(update_fields=["reasons", "score", "updated_at"])
    CompetenceSkill.objects.bulk_create(new_rows, ignore_conflicts=True)
    return len(new_rows)


def _cv_languages(*, client: ClientProfile, hits: Sequence[Any]) -> int:
    have = set(LanguageSkill.objects.filter(client=client).values_list("language_id", flat=True))
    new_rows = [
        LanguageSkill(
            client=client,
            language_id=hit.concept_id,
            source=CompetenceSource.FROM_CV,
            status=SuggestionStatus.SUGGESTED,
        )
        for hit in hits
        if hit.concept_id not in have
    ]
    LanguageSkill.objects.bulk_create(new_rows, ignore_conflicts=True)
    return len(new_rows)


def _cv_experiences(*, client: ClientProfile, text: str) -> int:
    from vagval.taxonomy.textmatch import get_matcher

    matcher = get_matcher()
    known = {
        (e.title.casefold(), e.start_date)
        for e in Experience.objects.filter(client=client).only("title", "start_date")
    }
    rows = []
    for line in experience_lines(text, limit=CV_EXPERIENCES_MAX * 2):
        start = _month(line.start)
        title, employer, occupation_id = _cv_title(line, matcher)
        if not occupation_id:
            continue  # a date line that names no job (education, a course, a birth date)
        if (title.casefold(), start) in known:
            continue
        known.add((title.casefold(), start))
        rows.append(
            Experience(
                client=client,
                title=title,
                employer=employer,
                occupation_id=occupation_id,
                start_date=start,
                end_date=_month(line.end),
                source=CompetenceSource.FROM_CV,
                status=SuggestionStatus.SUGGESTED,
            )
        )
        if len(rows) >= CV_EXPERIENCES_MAX:
            break
    Experience.objects.bulk_create(rows)
    return len(rows)


def _cv_title(line: Any, matcher: Any) -> tuple[str, str, str]:
    """(title, employer, occupation id) of a CV line: the longest leading parts that name an
    occupation exactly ("Projektledare, IT"), else the first part if it mentions one."""
    parts = list(line.parts) or [line.title]
    for k in range(min(len(parts), 3), 0, -1):
        title = ", ".join(parts[:k])
        resolved = concept_resolve(text=title, types=["occupation"])
        if resolved:
            return title, (parts[k] if len(parts) > k else ""), resolved[0]
    found = matcher.find(parts[0], types=frozenset({OCCUPATION}))
    if found:
        return parts[0], (parts[1] if len(parts) > 1 else ""), found[0].concept_id
    return line.title, line.employer, ""


def cv_upload_delete(*, client: ClientProfile, upload_id: int) -> None:
    """Delete the stored text of an uploaded CV (the suggestions it gave stay)."""
    upload = _own(CvUpload, client=client, pk=upload_id)
    upload.delete()


__all__ = [
    "CompetenceInputError",
    "CvRefused",
    "CvResult",
    "EducationInput",
    "ExperienceInput",
    "SkillSuggestion",
    "competence_inventory_complete",
    "competence_inventory_start",
    "competence_profile_rebuild",
    "cv_upload_delete",
    "cv_upload_process",
    "driving_licences_set",
    "education_delete",
    "education_save",
    "experience_accept",
    "experience_delete",
    "experience_save",
    "language_remove",
    "language_save",
    "occupation_skill_evidence",
    "skill_add",
    "skill_level_set",
    "skill_remove",
    "skill_suggestions_add",
    "skill_suggestions_from_occupations",
    "suggestions_decide",
]
