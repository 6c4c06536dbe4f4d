"""Writes of step 4: CVs (create, edit, reorder, offers from the inventory, export, import,
soft delete), CV checks, cover letters, interview practice and pitches.

Rules every write follows:

- The client's text is theirs: after a CV is created, content changes only when the client
  edits it or accepts an offer; a change in the competence inventory is *offered*, never
  written in (`cv_offer_accept`, `cv_inventory_refresh`).
- Text fields are plain text. Markup and scripts are removed before saving and the caller is
  told (`Saved.cleaned`), so the page can say so; nothing else the client wrote is lost.
- Earlier steps are written only through `journey.services` (skills the client confirms from an
  imported CV become step 2 suggestions through `skill_suggestions_add`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from journey.models import ClientProfile, JourneyStage
from journey.services.downstream import ChangeNote

from . import render
from .builder import (
    SECTION_HEADINGS,
    CvInputs,
    Target,
    cv_content_build,
    default_sections,
    experience_key,
    join_words,
    lower_first,
    new_key,
    newest_first,
    offer_apply,
    short_label,
    skill_add_to_content,
)
from .check import clean_plain, cv_check_compute
from .models import (
    PITCH_SECONDS,
    RESTORE_DAYS,
    CoverLetter,
    Cv,
    CvCheck,
    CvLayout,
    CvOrigin,
    CvTemplate,
    CvVersion,
    DocLanguage,
    InterviewQuestion,
    LetterTemplate,
    Pitch,
    PracticeAnswer,
    PracticeSet,
    QuestionKind,
)

MAX_CVS = 30
MAX_LETTERS = 200
MAX_SETS = 100
MAX_AD_TEXT = 20_000


@dataclass
class Saved:
    """The result of a save: the object, and whether markup was removed from what was sent."""

    obj: Any
    cleaned: bool = False


def _language(value: str) -> str:
    return DocLanguage.EN if value == "en" else DocLanguage.SV


def _touch(cv: Cv, *fields: str) -> None:
    cv.edit_count = F("edit_count") + 1
    cv.save(update_fields=[*fields, "edit_count", "updated_at"])
    cv.refresh_from_db(fields=["edit_count"])


# ---- creating a CV --------------------------------------------------------------------------


def cv_create(
    *,
    client: ClientProfile,
    inputs: CvInputs,
    target: Target,
    language: str,
    template: str = CvTemplate.CLASSIC,
    layout: str = CvLayout.ONE_COLUMN,
    title: str = "",
    groups: dict[str, str] | None = None,
    substitutes: set[str] | None = None,
) -> Cv:
    """A new CV from the competence inventory, targeted at `target` (may be empty)."""
    from journey.services.client import client_profile_stage_advance

    if Cv.objects.filter(client=client, deleted_at__isnull=True).count() >= MAX_CVS:
        raise ValidationError(f"Du kan ha högst {MAX_CVS} CV. Ta bort ett du inte använder.")
    language = _language(language)
    if template not in CvTemplate.values:
        template = CvTemplate.CLASSIC
    if layout not in CvLayout.values:
        layout = CvLayout.ONE_COLUMN
    content = cv_content_build(
        inputs=inputs, target=target, language=language, groups=groups, substitutes=substitutes
    )
    title, _ = clean_plain(title, limit=120)
    if not title:
        title = f"CV – {target.label}" if target.label else "CV"
    cv = Cv.objects.create(
        client=client,
        title=title,
        language=language,
        template=template,
        layout=layout,
        target_occupation_id=target.concept_id,
        target_label=target.label[:200],
        origin=CvOrigin.INVENTORY,
        content=content,
        sections=default_sections(),
        competence_revision=inputs.competence_revision,
    )
    client_profile_stage_advance(client=client, stage=JourneyStage.CV)
    return cv


def cv_copy(*, cv: Cv, title: str = "") -> Cv:
    """A copy of a CV (e.g. the same CV in English, or for another target)."""
    copy = Cv.objects.create(
        client=cv.client,
        title=(title or f"{cv.title} (kopia)")[:120],
        language=cv.language,
        template=cv.template,
        layout=cv.layout,
        target_occupation_id=cv.target_occupation_id,
        target_label=cv.target_label,
        origin=CvOrigin.COPY,
        content=cv.content,
        sections=cv.sections,
        competence_revision=cv.competence_revision,
        declined=cv.declined,
    )
    return copy


# ---- editing --------------------------------------------------------------------------------

BASICS_LIMITS = {"name": 200, "headline": 200, "email": 254, "phone": 40, "city": 100,
                 "summary": 3000}  # fmt: skip
_YYYYMM = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _month_field(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not _YYYYMM.match(value):
        raise ValidationError(f"{label}: skriv datumet som ÅÅÅÅ-MM, till exempel 2019-03.")
    return value


def cv_settings_save(*, cv: Cv, title: str, language: str, template: str, layout: str) -> Saved:
    """The CV's name, language, look and layout. Changing the language changes only the default
    headings and dates; the client's own text is left as written."""
    title, cleaned = clean_plain(title, limit=120)
    if not title:
        raise ValidationError("Ge CV:t ett namn.")
    if template not in CvTemplate.values or layout not in CvLayout.values:
        raise ValidationError("Välj en av mallarna och layouterna i listan.")
    cv.title, cv.language, cv.template, cv.layout = title, _language(language), template, layout
    _touch(cv, "title", "language", "template", "layout")
    return Saved(cv, cleaned)


def cv_basics_save(*, cv: Cv, data: dict[str, str]) -> Saved:
    """Name, headline, contact details and the profile text."""
    basics = dict(cv.content.get("basics") or {})
    cleaned_any = False
    for key, limit in BASICS_LIMITS.items():
        if key in data:
            basics[key], cleaned = clean_plain(str(data[key]), limit=limit)
            cleaned_any = cleaned_any or cleaned
    email = basics.get("email", "")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ValidationError("E-postadressen ser inte ut som en e-postadress.")
    cv.content = {**cv.content, "basics": basics}
    _touch(cv, "content")
    return Saved(cv, cleaned_any)


def cv_experiences_save(*, cv: Cv, rows: Sequence[dict[str, Any]]) -> Saved:
    """The experience section as the client edited it: rows in order, each with title,
    employer, start, end (ÅÅÅÅ-MM), description and hidden; a row with `delete` is removed."""
    out, cleaned_any = [], False
    for row in rows:
        if row.get("delete"):
            continue
        title, c1 = clean_plain(str(row.get("title", "")), limit=200)
        employer, c2 = clean_plain(str(row.get("employer", "")), limit=200)
        description, c3 = clean_plain(str(row.get("description", "")), limit=4000)
        cleaned_any = cleaned_any or c1 or c2 or c3
        if not (title or employer or description):
            continue
        if not title:
            raise ValidationError("Varje erfarenhet behöver en titel.")
        start = _month_field(str(row.get("start", "")), "Från")
        end = _month_field(str(row.get("end", "")), "Till")
        if start and end and end < start:
            raise ValidationError(f"{title}: slutdatumet är före startdatumet.")
        out.append(
            {
                "key": str(
                    row.get("key")
                    or (experience_key(title, employer, start) if start else new_key())
                ),
                "title": title,
                "employer": employer,
                "occupation_id": str(row.get("occupation_id", "")),
                "start": start,
                "end": end,
                "current": bool(start) and not end,
                "description": description,
                "hidden": bool(row.get("hidden")),
            }
        )
    cv.content = {**cv.content, "experience": out}
    _touch(cv, "content")
    return Saved(cv, cleaned_any)


def cv_educations_save(*, cv: Cv, rows: Sequence[dict[str, Any]]) -> Saved:
    out, cleaned_any = [], False
    this_year = timezone.localdate().year
    for row in rows:
        if row.get("delete"):
            continue
        name, c1 = clean_plain(str(row.get("name", "")), limit=200)
        institution, c2 = clean_plain(str(row.get("institution", "")), limit=200)
        cleaned_any = cleaned_any or c1 or c2
        if not (name or institution):
            continue
        years: list[int | None] = []
        for key in ("start_year", "end_year"):
            value = row.get(key)
            if value in (None, ""):
                years.append(None)
                continue
            try:
                year = int(value)
            except (TypeError, ValueError) as exc:
                raise ValidationError(
                    f"{name}: året ska vara ett årtal, till exempel 2010."
                ) from exc
            if not 1940 <= year <= this_year + 6:
                raise ValidationError(f"{name}: {year} är inte ett rimligt årtal.")
            years.append(year)
        out.append(
            {
                "key": str(row.get("key") or new_key()),
                "name": name or institution,
                "institution": institution if name else "",
                "start_year": years[0],
                "end_year": years[1],
                "hidden": bool(row.get("hidden")),
            }
        )
    cv.content = {**cv.content, "education": out}
    _touch(cv, "content")
    return Saved(cv, cleaned_any)


def cv_list_visibility_save(
    *, cv: Cv, section: str, visible: Sequence[str], labels: dict[str, str] | None = None
) -> Cv:
    """Which skills, languages or licences of the CV show (by concept id); optionally their
    labels as the client rewrote them."""
    if section not in ("skills", "languages", "licences"):
        raise ValidationError("Okänd del av CV:t.")
    show = set(visible)
    items = []
    for item in cv.content.get(section, []):
        item = {**item, "hidden": item["concept_id"] not in show}
        if labels and item["concept_id"] in labels:
            label, _ = clean_plain(labels[item["concept_id"]], limit=200)
            item["label"] = label or item["label"]
        items.append(item)
    cv.content = {**cv.content, section: items}
    _touch(cv, "content")
    return cv


def cv_item_move(*, cv: Cv, section: str, index: int, direction: int) -> Cv:
    """Move one item of a list section up (-1) or down (+1)."""
    items = list(cv.content.get(section, []))
    other = index + (1 if direction > 0 else -1)
    if section not in ("experience", "education", "skills", "languages") or not (
        0 <= index < len(items) and 0 <= other < len(items)
    ):
        return cv
    items[index], items[other] = items[other], items[index]
    cv.content = {**cv.content, section: items}
    _touch(cv, "content")
    return cv


def cv_section_move(*, cv: Cv, key: str, direction: int) -> Cv:
    sections = [dict(s) for s in cv.sections]
    at = next((i for i, s in enumerate(sections) if s["key"] == key), None)
    if at is None:
        return cv
    other = at + (1 if direction > 0 else -1)
    if 0 <= other < len(sections):
        sections[at], sections[other] = sections[other], sections[at]
        cv.sections = sections
        _touch(cv, "sections")
    return cv


def cv_sections_save(
    *, cv: Cv, order: Sequence[str], hidden: Sequence[str], headings: dict[str, str]
) -> Saved:
    """Order, visibility and own headings of the sections in one go (the no-JS form)."""
    known = [s["key"] for s in cv.sections]
    ordered = [k for k in order if k in known]
    ordered += [k for k in known if k not in ordered]
    cleaned_any = False
    sections = []
    for key in ordered:
        heading, cleaned = clean_plain(headings.get(key, ""), limit=80)
        cleaned_any = cleaned_any or cleaned
        default = SECTION_HEADINGS[cv.language].get(key, "")
        sections.append(
            {
                "key": key,
                "hidden": key in set(hidden),
                "heading": "" if heading == default else heading,
            }
        )
    cv.sections = sections
    _touch(cv, "sections")
    return Saved(cv, cleaned_any)


def cv_section_toggle(*, cv: Cv, key: str) -> Cv:
    cv.sections = [
        {**s, "hidden": not s.get("hidden")} if s["key"] == key else s for s in cv.sections
    ]
    _touch(cv, "sections")
    return cv


# ---- offers from the competence inventory ---------------------------------------------------


def cv_offer_accept(*, cv: Cv, inputs: CvInputs, key: str) -> Cv:
    """Add one offered inventory item to the CV (the client clicked "Lägg till")."""
    cv.content = offer_apply(content=cv.content, inputs=inputs, key=key, language=cv.language)
    cv.competence_revision = inputs.competence_revision
    _touch(cv, "content", "competence_revision")
    return cv


def cv_offer_decline(*, cv: Cv, key: str) -> Cv:
    """Never offer this inventory item to this CV again."""
    if key not in cv.declined:
        cv.declined = [*cv.declined, key][-500:]
        cv.save(update_fields=["declined", "updated_at"])
    return cv


def cv_inventory_refresh(*, client: ClientProfile) -> list[ChangeNote]:
    """Downstream refresher (journey.services.downstream): when the competence inventory has a
    newer revision than a CV last saw, tell the client what it can add. Idempotent: the CV
    remembers the revision it was told about."""
    from .selectors import cv_inputs_get, cv_offers

    cvs = list(Cv.objects.filter(client=client, deleted_at__isnull=True, is_draft=False))
    if not cvs:
        return []
    inputs = cv_inputs_get(client=client, with_market=False)
    notes = []
    for cv in cvs:
        if (
            inputs.competence_revision is None
            or cv.competence_revision == inputs.competence_revision
        ):
            continue
        offers = cv_offers(cv=cv, inputs=inputs)
        Cv.objects.filter(pk=cv.pk).update(competence_revision=inputs.competence_revision)
        if not offers:
            continue
        names = ", ".join(o.label for o in offers[:3])
        notes.append(
            ChangeNote(
                message_sv=f"Ditt CV ”{cv.title}” kan få {len(offers)} nya uppgifter från din "
                f"kompetensinventering: {names}.",
                message_en=f"Your CV “{cv.title}” can take {len(offers)} new items from your "
                f"competences: {names}.",
                url=reverse("journey:cv:edit", args=[cv.pk]),
            )
        )
    return notes


# ---- versions and export --------------------------------------------------------------------


def cv_version_freeze(*, cv: Cv) -> CvVersion:
    """The CV as it is now, frozen (the same version again if nothing changed since)."""
    latest = CvVersion.objects.filter(cv=cv).order_by("-number").first()
    if latest is not None and latest.edit_count == cv.edit_count:
        return latest
    number = (CvVersion.objects.filter(cv=cv).aggregate(n=Max("number"))["n"] or 0) + 1
    return CvVersion.objects.create(
        cv=cv,
        number=number,
        edit_count=cv.edit_count,
        language=cv.language,
        template=cv.template,
        layout=cv.layout,
        content=cv.content,
        sections=cv.sections,
    )


@dataclass(frozen=True)
class Exported:
    data: bytes
    filename: str
    content_type: str


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


def _slug(text: str) -> str:
    text = re.sub(r"[^\w\-]+", "-", text.strip(), flags=re.UNICODE).strip("-")
    return text[:60] or "cv"


def cv_render(
    *,
    content: dict[str, Any],
    sections: list[dict[str, Any]],
    language: str,
    template: str,
    layout: str,
    title: str,
    fmt: str,
    target_label: str = "",
    target_id: str = "",
) -> bytes:
    """One CV as PDF, DOCX or JSON Resume bytes."""
    import json

    from .jsonresume import cv_to_jsonresume, validation_errors

    if fmt == "json":
        document = cv_to_jsonresume(
            content=content, language=language, target_label=target_label, target_id=target_id
        )
        errors = validation_errors(document)
        if errors:  # our own export must always be valid; fail loudly rather than ship junk
            raise ValueError("JSON Resume export is invalid: " + "; ".join(errors[:3]))
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    doc = render.cv_document(
        content=content, sections=sections, language=language, template=template, layout=layout,
        title=title,
    )  # fmt: skip
    if fmt == "pdf":
        return render.cv_pdf(doc)
    if fmt == "docx":
        return render.cv_docx(doc)
    raise ValueError(f"unknown format {fmt!r}")


def cv_export(*, cv: Cv, fmt: str) -> Exported:
    """The CV as a file; the version exported is frozen (it is what the client may send)."""
    if fmt not in CONTENT_TYPES:
        raise ValidationError("Okänt filformat.")
    version = cv_version_freeze(cv=cv)
    data = cv_render(
        content=version.content,
        sections=version.sections,
        language=version.language,
        template=version.template,
        layout=version.layout,
        title=cv.title,
        fmt=fmt,
        target_label=cv.target_label,
        target_id=cv.target_occupation_id,
    )
    return Exported(data, f"{_slug(cv.title)}-v{version.number}.{fmt}", CONTENT_TYPES[fmt])


# ---- soft delete ----------------------------------------------------------------------------


def cv_delete(*, cv: Cv) -> Cv:
    """Delete softly: hidden at once, restorable for RESTORE_DAYS days, then purged."""
    if cv.deleted_at is None:
        cv.deleted_at = timezone.now()
        cv.save(update_fields=["deleted_at", "updated_at"])
    return cv


def cv_restore(*, cv: Cv) -> Cv:
    if cv.deleted_at is not None:
        if not cv.restorable:
            raise ValidationError(
                "CV:t togs bort för mer än 30 dagar sedan och kan inte återställas."
            )
        cv.deleted_at = None
        cv.save(update_fields=["deleted_at", "updated_at"])
    return cv


def letter_delete(*, letter: CoverLetter) -> CoverLetter:
    if letter.deleted_at is None:
        letter.deleted_at = timezone.now()
        letter.save(update_fields=["deleted_at", "updated_at"])
    return letter


def letter_restore(*, letter: CoverLetter) -> CoverLetter:
    if letter.deleted_at is not None:
        if not letter.restorable:
            raise ValidationError(
                "Brevet togs bort för mer än 30 dagar sedan och kan inte återställas."
            )
        letter.deleted_at = None
        letter.save(update_fields=["deleted_at", "updated_at"])
    return letter


def documents_purge_deleted(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """Remove CVs and letters deleted more than RESTORE_DAYS days ago (a nightly task)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=RESTORE_DAYS)
    removed = 0
    for model in (CoverLetter, Cv):
        ids = list(
            model.objects.filter(deleted_at__lte=cutoff).values_list("pk", flat=True)[:batch]
        )
        if ids:
            removed += model.objects.filter(pk__in=ids).delete()[1].get(model._meta.label, 0)
    return removed


# ---- import ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    cv: Cv
    matched_skills: int
    unmatched: list[str] = field(default_factory=list)


def _match_skill_names(
    names: Sequence[str], ids: Sequence[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Taxonomy skills for free-text skill names: a name that is a concept's term, else the
    concepts the matcher finds in it. Concept ids from a Vägval export are taken as they are."""
    from vagval.matching.taxonomy_view import get_taxonomy_view
    from vagval.taxonomy.textmatch import get_matcher

    view = get_taxonomy_view()
    matcher = get_matcher()
    found: dict[str, dict[str, Any]] = {}
    for concept_id in ids:
        if concept_id in view.skill_label:
            found[concept_id] = {"concept_id": concept_id, "label": view.skill_label[concept_id],
                                 "level": None, "hidden": False}  # fmt: skip
    unmatched = []
    for name in names:
        hits = matcher.find(name, types=frozenset({"skill"}))
        if not hits:
            unmatched.append(name)
            continue
        for hit in hits[:3]:
            found.setdefault(
                hit.concept_id,
                {"concept_id": hit.concept_id, "label": hit.label, "level": None, "hidden": False},
            )
    return list(found.values()), unmatched


def _match_languages(pairs: Sequence[tuple[str, str]], language: str) -> list[dict[str, Any]]:
    from .selectors import language_labels_en

    en_labels = language_labels_en()
    by_name: dict[str, tuple[str, str]] = {}
    from vagval.taxonomy.selectors import concept_list

    for concept in concept_list(type="language"):
        by_name[concept.label_sv.casefold()] = (concept.concept_id, concept.label_sv)
        if concept.label_en:
            by_name[concept.label_en.casefold()] = (concept.concept_id, concept.label_sv)
    levels = {
        "native": "native", "modersmål": "native", "fluent": "fluent", "flytande": "fluent",
        "good": "good", "goda kunskaper": "good", "basic": "basic", "grundläggande": "basic",
    }  # fmt: skip
    out = []
    for name, fluency in pairs:
        hit = by_name.get(name.casefold())
        if hit is None:
            continue
        concept_id, label_sv = hit
        label = en_labels.get(concept_id, label_sv) if language == "en" else label_sv
        level = next((v for k, v in levels.items() if k in fluency.casefold()), "")
        out.append({"concept_id": concept_id, "label": label, "level": level, "hidden": False})
    return out


def _import_cv(
    *, client: ClientProfile, parsed: dict[str, Any], origin: str, title: str, language: str
) -> ImportResult:
    if Cv.objects.filter(client=client, deleted_at__isnull=True).count() >= MAX_CVS:
        raise ValidationError(f"Du kan ha högst {MAX_CVS} CV. Ta bort ett du inte använder.")
    skills, unmatched = _match_skill_names(
        parsed.get("skill_names", []), parsed.get("skill_ids", [])
    )
    basics = parsed["basics"]
    for key, limit in BASICS_LIMITS.items():
        basics[key], _ = clean_plain(str(basics.get(key, "")), limit=limit)
    content = {
        "basics": basics,
        "experience": [
            {
                **e,
                **{
                    k: clean_plain(str(e.get(k, "")), limit=4000)[0]
                    for k in ("title", "employer", "description")
                },
            }
            for e in parsed.get("experience", [])
        ],
        "education": [
            {
                **e,
                **{
                    k: clean_plain(str(e.get(k, "")), limit=200)[0] for k in ("name", "institution")
                },
            }
            for e in parsed.get("education", [])
        ],
        "skills": skills,
        "languages": _match_languages(parsed.get("language_names", []), language),
        "licences": [],
    }
    cv = Cv.objects.create(
        client=client,
        title=title[:120],
        language=_language(language),
        origin=origin,
        is_draft=True,
        content=content,
        sections=default_sections(),
    )
    return ImportResult(cv=cv, matched_skills=len(skills), unmatched=unmatched[:20])


def cv_import_jsonresume(*, client: ClientProfile, data: bytes, filename: str) -> ImportResult:
    """A JSON Resume file -> a draft CV for the client to review. Raises ImportRefused."""
    from .jsonresume import jsonresume_parse, jsonresume_to_content

    document = jsonresume_parse(data)
    parsed = jsonresume_to_content(document)
    meta = (document.get("meta") or {}).get("vagval") or {}
    language = "en" if meta.get("language") == "en" else "sv"
    title, _ = clean_plain(f"Importerat: {filename}", limit=120)
    return _import_cv(
        client=client, parsed=parsed, origin=CvOrigin.IMPORT_JSON, title=title, language=language
    )


def cv_text_to_content(text: str) -> dict[str, Any]:
    """The parts of an old CV's text we can read with confidence: the name (first line), jobs
    with dates (step 2's `experience_lines`), skill and language names (matcher)."""
    from journey.cvparse import experience_lines
    from vagval.taxonomy.textmatch import get_matcher

    lines = [line.strip() for line in text.splitlines() if line.strip()]
    name = (
        lines[0] if lines and len(lines[0]) <= 80 and not any(c.isdigit() for c in lines[0]) else ""
    )
    experiences = []
    for line in experience_lines(text, limit=15):
        start = f"{line.start[0]:04d}-{line.start[1]:02d}" if line.start else ""
        end = f"{line.end[0]:04d}-{line.end[1]:02d}" if line.end else ""
        experiences.append(
            {
                "key": experience_key(line.title, line.employer, start) if start else new_key(),
                "title": line.title,
                "employer": line.employer,
                "occupation_id": "",
                "start": start,
                "end": end,
                "current": line.ongoing,
                "description": "",
                "hidden": False,
            }
        )
    hits = get_matcher().find(text, types=frozenset({"skill", "language"}))
    email = re.search(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", text, re.IGNORECASE)
    return {
        "basics": {
            "name": name,
            "headline": "",
            "email": email[0] if email else "",
            "phone": "",
            "city": "",
            "summary": "",
        },
        "experience": experiences,
        "education": [],
        "skill_names": [],
        "skill_ids": [h.concept_id for h in hits if h.type == "skill"][:40],
        "language_names": [(h.label, "") for h in hits if h.type == "language"],
    }


MAX_IMPORT_PAGES = 20


class TooManyPages(ValueError):
    """An uploaded CV longer than MAX_IMPORT_PAGES pages (a CV is one to three)."""

    code = "too_many_pages"

    def message(self, language: str = "sv") -> str:
        if language == "en":
            return (
                f"The file has more than {MAX_IMPORT_PAGES} pages, which is not a CV. Upload "
                "only your CV (usually one to three pages)."
            )
        return (
            f"Filen har fler än {MAX_IMPORT_PAGES} sidor och är inte ett CV. Ladda upp bara "
            "ditt CV (oftast en till tre sidor)."
        )


def pages_check(*, stream: BinaryIO, size: int) -> None:
    """Refuse a PDF with more than MAX_IMPORT_PAGES pages, or a DOCX whose properties say so,
    before its text is extracted. Anything unreadable is left to step 2's extractor, which
    refuses it with the right reason."""
    import io
    import zipfile

    from journey.cvparse import MAX_BYTES, PDF_MAGIC, ZIP_MAGIC, zip_check

    if size > MAX_BYTES or size <= 0:
        return
    stream.seek(0)
    data = stream.read(MAX_BYTES + 1)
    stream.seek(0)
    pages = 0
    try:
        if data.startswith(PDF_MAGIC):
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            if not reader.is_encrypted:
                pages = len(reader.pages)
        elif data.startswith(ZIP_MAGIC):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                zip_check(archive)
                if "docProps/app.xml" in archive.namelist():
                    info = archive.getinfo("docProps/app.xml")
                    if info.file_size < 1024 * 1024:
                        found = re.search(rb"<Pages>(\d+)</Pages>", archive.read(info))
                        pages = int(found[1]) if found else 0
    except Exception:
        return
    if pages > MAX_IMPORT_PAGES:
        raise TooManyPages(str(pages))


def cv_import_file(
    *, client: ClientProfile, stream: BinaryIO, size: int, filename: str, language: str = "sv"
) -> ImportResult:
    """An uploaded PDF or DOCX -> a draft CV. The file is read with step 2's extractor (same
    refusals: too large, wrong type, zip bomb, encrypted, broken, no text) plus more than 20
    pages, and is not kept. Raises journey.cvparse.CvRefused or TooManyPages."""
    from journey.cvparse import cv_text_extract

    pages_check(stream=stream, size=size)
    extracted = cv_text_extract(stream=stream, size=size)
    parsed = cv_text_to_content(extracted.text)
    title, _ = clean_plain(f"Importerat: {filename}", limit=120)
    return _import_cv(
        client=client, parsed=parsed, origin=CvOrigin.IMPORT_FILE, title=title, language=language
    )


def cv_import_confirm(*, cv: Cv, inputs: CvInputs, suggest_skills: bool = True) -> int:
    """The client reviewed an imported draft: it becomes a normal CV, and (if they agree) its
    skills that the inventory lacks become step 2 suggestions. Returns how many."""
    from journey.services.competence import SkillSuggestion, skill_suggestions_add

    cv.is_draft = False
    cv.competence_revision = inputs.competence_revision
    _touch(cv, "is_draft", "competence_revision")
    if not suggest_skills:
        return 0
    have = {s["concept_id"] for s in inputs.skills}
    suggestions = [
        SkillSuggestion(
            skill_id=s["concept_id"],
            source="from_cv",
            reason_sv=f"Står i ditt importerade CV: ”{s['label']}”",
            reason_en=f"In your imported CV: “{s['label']}”",
            score=1.0,
        )
        for s in cv.content.get("skills", [])
        if s["concept_id"] not in have
    ]
    return skill_suggestions_add(client=cv.client, suggestions=suggestions) if suggestions else 0


# ---- the CV check ---------------------------------------------------------------------------


def cv_check_run(
    *,
    client: ClientProfile,
    cv: Cv,
    inputs: CvInputs,
    ad_id: int | None = None,
    pasted: str = "",
) -> CvCheck:
    """Check `cv` against an ad from the feed (`ad_id`) or pasted ad text."""
    from vagval.jobs.selectors import ad_get
    from vagval.matching.taxonomy_view import get_taxonomy_view

    headline, ad_text, ad_concepts = "", "", []
    stored_text = ""
    if ad_id is not None:
        ad = ad_get(ad_id=int(ad_id))
        if ad is None:
            raise ValidationError(
                "Annonsen finns inte längre. Klistra in annonsens text i stället."
            )
        headline = ad.headline
        ad_text = f"{ad.headline}\n{ad.description_text}"
        ad_concepts = list(ad.skill_ids or [])
    else:
        stored_text, _ = clean_plain(pasted, limit=MAX_AD_TEXT)
        if len(stored_text) < 40:
            raise ValidationError("Klistra in annonsens text (minst några meningar).")
        ad_text = stored_text
        headline = stored_text.splitlines()[0][:200]
    view = get_taxonomy_view()
    inventory = {s["concept_id"]: s.get("label", "") for s in inputs.skills}
    inventory.update({s["concept_id"]: s.get("label", "") for s in inputs.languages})
    inventory.update({s["concept_id"]: s.get("label", "") for s in inputs.licences})
    plan_gaps = {g["concept_id"] for g in inputs.gap_skills.get(cv.target_occupation_id, [])}
    doc = render.cv_document(
        content=cv.content, sections=cv.sections, language=cv.language, template=cv.template,
        layout=cv.layout, title=cv.title,
    )  # fmt: skip
    pdf = render.cv_pdf(doc)
    result = cv_check_compute(
        content=cv.content,
        sections=cv.sections,
        ad_text=ad_text,
        ad_concept_ids=ad_concepts,
        inventory=inventory,
        plan_gaps=plan_gaps,
        labels=view.skill_label,
        language=cv.language,
        parsed_text=render.pdf_text(pdf),
        pages=render.pdf_pages(pdf),
        section_headings=[s.heading for s in doc.sections],
    )
    return CvCheck.objects.create(
        client=client,
        cv=cv,
        ad_id=ad_id,
        headline=headline[:500],
        ad_text=stored_text,
        result=result.as_dict(),
    )


def cv_check_add(*, check: CvCheck, concept_id: str, inputs: CvInputs) -> Cv:
    """One click on "Lägg till i CV:t" for a competence the inventory holds but the CV left out."""
    cv = check.cv
    omitted = {c["concept_id"]: c for c in check.result.get("omitted", [])}
    if concept_id not in omitted:
        raise ValidationError("Den kompetensen finns inte bland förslagen.")
    held = {s["concept_id"]: s for s in [*inputs.skills]}
    if concept_id in held:
        cv.content = skill_add_to_content(
            content=cv.content, concept_id=concept_id, label=held[concept_id].get("label", ""),
            level=held[concept_id].get("level"),
        )  # fmt: skip
    else:
        lang = next((x for x in inputs.languages if x["concept_id"] == concept_id), None)
        if lang is None:
            raise ValidationError("Den kompetensen finns inte längre i din kompetensinventering.")
        cv.content = offer_apply(
            content=cv.content, inputs=inputs, key=f"language:{concept_id}", language=cv.language
        )
    # The skills section must show for the addition to be seen.
    cv.sections = [
        {**s, "hidden": False} if s["key"] in ("skills", "languages") else s for s in cv.sections
    ]
    _touch(cv, "content", "sections")
    result = dict(check.result)
    moved = omitted[concept_id]
    result["omitted"] = [c for c in result.get("omitted", []) if c["concept_id"] != concept_id]
    result["shown"] = [*result.get("shown", []), moved]
    result["added"] = [*result.get("added", []), concept_id]
    check.result = result
    check.save(update_fields=["result"])
    return cv


# ---- cover letters --------------------------------------------------------------------------

DEFAULT_LETTER_TEMPLATES = {
    "sv": (
        "Hej!\n\n"
        "Jag söker tjänsten som {tjanst} hos {arbetsgivare}. {erfarenhet}\n\n"
        "I annonsen efterfrågar ni {kompetenser} – det är precis det jag har arbetat med. "
        "[Ge ett kort exempel på något du åstadkommit som visar det.]\n\n"
        "[Skriv varför just {arbetsgivare} lockar dig och vad du vill bidra med.]\n\n"
        "Jag berättar gärna mer i en intervju.\n\n"
        "Vänliga hälsningar\n{namn}"
    ),
    "en": (
        "Dear hiring manager,\n\n"
        "I am applying for the position of {tjanst} at {arbetsgivare}. {erfarenhet}\n\n"
        "Your ad asks for {kompetenser} – exactly what I have worked with. "
        "[Give a short example of something you achieved that shows it.]\n\n"
        "[Write why {arbetsgivare} appeals to you and what you want to contribute.]\n\n"
        "I would welcome the chance to tell you more in an interview.\n\n"
        "Kind regards\n{namn}"
    ),
}
PLACEHOLDERS = ("tjanst", "arbetsgivare", "erfarenhet", "kompetenser", "namn", "yrke")


class _Keep(dict[str, str]):
    """format_map mapping that leaves unknown {placeholders} as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def letter_template_text(*, client: ClientProfile, language: str) -> str:
    from .selectors import letter_template_get

    own = letter_template_get(client=client, language=_language(language))
    return own.body if own else DEFAULT_LETTER_TEMPLATES[_language(language)]


def letter_template_save(*, client: ClientProfile, language: str, body: str) -> Saved:
    body, cleaned = clean_plain(body, limit=6000)
    if not body:
        raise ValidationError("Mallen kan inte vara tom.")
    template, _ = LetterTemplate.objects.update_or_create(
        client=client, language=_language(language), defaults={"body": body}
    )
    return Saved(template, cleaned)


def letter_draft(
    *,
    template: str,
    language: str,
    job_title: str,
    employer: str,
    competences: Sequence[str],
    cv_content: dict[str, Any] | None,
    name: str,
) -> str:
    """A letter drafted from the template: the ad's title and employer, the competences the ad
    asks for that the client has, and the client's experience in one sentence."""
    en = language == "en"
    experience = ""
    jobs = [e for e in (cv_content or {}).get("experience", []) if not e.get("hidden")]
    if jobs:
        first = jobs[0]
        where = (
            f" at {first['employer']}"
            if en and first.get("employer")
            else (f" på {first['employer']}" if first.get("employer") else "")
        )
        title = first["title"] if en else lower_first(first["title"])
        if en:
            lead = "I currently work as" if first.get("current") else "Most recently I worked as"
        else:
            lead = "Jag arbetar i dag som" if first.get("current") else "Senast arbetade jag som"
        experience = f"{lead} {title}{where}."
    if competences:
        joiner = " and " if en else " och "
        listed = [short_label(c) if en else lower_first(short_label(c)) for c in competences[:3]]
        skills = ", ".join(listed[:-1]) + joiner + listed[-1] if len(listed) > 1 else listed[0]
    else:
        skills = "[kompetens]" if not en else "[competence]"
    values = _Keep(
        tjanst=job_title or ("[tjänst]" if not en else "[position]"),
        arbetsgivare=employer or ("[arbetsgivare]" if not en else "[employer]"),
        erfarenhet=experience,
        kompetenser=skills,
        namn=name,
        yrke=(cv_content or {}).get("basics", {}).get("headline", ""),
    )
    return template.format_map(values).replace(" \n", "\n")


def letter_create(
    *,
    client: ClientProfile,
    language: str,
    cv: Cv | None,
    application: Any | None,
    inputs: CvInputs,
) -> CoverLetter:
    """A new letter drafted from the ad (if linked to an application), the profile and the
    client's template. The CV version current now is recorded as the one sent with it."""
    from vagval.jobs.selectors import ad_get
    from vagval.taxonomy.textmatch import get_matcher

    if CoverLetter.objects.filter(client=client, deleted_at__isnull=True).count() >= MAX_LETTERS:
        raise ValidationError("Du har väldigt många brev. Ta bort några du inte använder.")
    language = _language(language)
    job_title, employer, ad_id, competences = "", "", None, []
    if application is not None:
        job_title, employer, ad_id = application.headline, application.employer, application.ad_id
        ad = ad_get(ad_id=int(ad_id))
        if ad is not None:
            text = f"{ad.headline}\n{ad.description_text}"
            held = {s["concept_id"]: s.get("label", "") for s in inputs.skills}
            found = [h.concept_id for h in get_matcher().find(text, types=frozenset({"skill"}))]
            ordered = [*found, *[s for s in (ad.skill_ids or []) if s not in found]]
            competences = [held[s] for s in ordered if s in held]
    body = letter_draft(
        template=letter_template_text(client=client, language=language),
        language=language,
        job_title=job_title,
        employer=employer,
        competences=competences,
        cv_content=cv.content if cv else None,
        name=inputs.name,
    )
    version = cv_version_freeze(cv=cv) if cv is not None else None
    about = job_title or employer or timezone.localdate().isoformat()
    title = f"{'Letter' if language == 'en' else 'Brev'} – {about}"
    return CoverLetter.objects.create(
        client=client,
        title=title[:200],
        language=language,
        cv=cv,
        cv_version=version,
        application_id=application.application_id if application is not None else None,
        ad_id=ad_id,
        recipient=employer[:300],
        job_title=job_title[:500],
        body=body[:8000],
    )


def letter_save(
    *, letter: CoverLetter, title: str, recipient: str, job_title: str, body: str, cv: Cv | None
) -> Saved:
    title, c1 = clean_plain(title, limit=200)
    recipient, c2 = clean_plain(recipient, limit=300)
    job_title, c3 = clean_plain(job_title, limit=500)
    body, c4 = clean_plain(body, limit=8000)
    if not body:
        raise ValidationError("Brevet är tomt. Skriv brevtexten.")
    letter.title = title or letter.title
    letter.recipient, letter.job_title, letter.body = recipient, job_title, body
    fields = ["title", "recipient", "job_title", "body", "updated_at"]
    if cv is not None and cv.pk != letter.cv_id:
        letter.cv = cv
        letter.cv_version = cv_version_freeze(cv=cv)
        fields += ["cv", "cv_version"]
    letter.save(update_fields=fields)
    return Saved(letter, c1 or c2 or c3 or c4)


def letter_export(*, letter: CoverLetter, fmt: str, name: str, contact: list[str]) -> Exported:
    if fmt not in ("pdf", "docx"):
        raise ValidationError("Okänt filformat.")
    template = letter.cv.template if letter.cv else CvTemplate.CLASSIC
    doc = render.letter_document(
        body=letter.body,
        language=letter.language,
        template=template,
        name=name,
        contact=contact,
        recipient=letter.recipient,
        job_title=letter.job_title,
        date=render.date_text(timezone.localdate(), letter.language),
        title=letter.title,
    )
    data = render.letter_pdf(doc) if fmt == "pdf" else render.letter_docx(doc)
    return Exported(data, f"{_slug(letter.title)}.{fmt}", CONTENT_TYPES[fmt])


# ---- interview practice ---------------------------------------------------------------------

MAX_STAR = 4
MAX_GROUP = 2
MAX_GAP = 2
MAX_GENERAL = 2
MAX_REDUNDANCY = 1


def _fill(text: str, label: str) -> str:
    label = short_label(label)
    return text.replace("{kompetens}", lower_first(label)).replace("{competence}", label)


def practice_questions_select(
    *,
    bank: Sequence[InterviewQuestion],
    ad_skills: Sequence[tuple[str, str]],
    gaps: Sequence[tuple[str, str]],
    group_id: str,
    language: str,
) -> list[dict[str, Any]]:
    """The questions of a practice set, in the order they are asked: competence questions for
    what the ad asks and the client has (the bank's own question for that skill, else the
    generic STAR question), questions for the occupation group, questions about the gaps,
    general questions and one about the redundancy."""
    by_skill = {q.skill_id: q for q in bank if q.kind == QuestionKind.STAR and q.skill_id}
    generic = next((q for q in bank if q.key == "star-generic"), None)
    gap_question = next((q for q in bank if q.key == "star-gap"), None)
    out: list[dict[str, Any]] = []

    def add(q: InterviewQuestion, *, skill: str = "", label: str = "", gap: bool = False) -> None:
        out.append(
            {
                "question": q,
                "text": _fill(q.text(language), label),
                "guidance": q.guidance(language),
                "kind": q.kind,
                "skill_id": skill,
                "is_gap": gap,
            }
        )

    for skill_id, label in ad_skills[:MAX_STAR]:
        question = by_skill.get(skill_id) or generic
        if question is not None:
            add(question, skill=skill_id, label=label)
    group_questions = [q for q in bank if q.group_id and q.group_id == group_id][:MAX_GROUP]
    for q in group_questions:
        add(q)
    if gap_question is not None:
        for skill_id, label in gaps[:MAX_GAP]:
            add(gap_question, skill=skill_id, label=label, gap=True)
    for q in [q for q in bank if q.kind == QuestionKind.GENERAL][:MAX_GENERAL]:
        add(q)
    for q in [q for q in bank if q.kind == QuestionKind.REDUNDANCY][:MAX_REDUNDANCY]:
        add(q)
    return out


def practice_set_create(
    *,
    client: ClientProfile,
    inputs: CvInputs,
    language: str,
    ad_id: int | None = None,
    target_occupation_id: str = "",
) -> PracticeSet:
    """A practice set for an ad (its competences and the client's gaps against it) or, without
    an ad, for a target occupation (step 3's matched skills and gaps)."""
    from vagval.jobs.selectors import ad_get
    from vagval.matching.taxonomy_view import get_taxonomy_view
    from vagval.taxonomy.textmatch import get_matcher

    from .selectors import question_bank

    if PracticeSet.objects.filter(client=client).count() >= MAX_SETS:
        raise ValidationError("Du har väldigt många övningsomgångar. Ta bort några gamla.")
    language = _language(language)
    view = get_taxonomy_view()
    held = {s["concept_id"]: s.get("label", "") for s in inputs.skills}
    title, group_id, requested = "", "", []
    application_id = None
    if ad_id is not None:
        ad = ad_get(ad_id=int(ad_id))
        if ad is None:
            raise ValidationError("Annonsen finns inte längre.")
        title = ad.headline
        group_id = ad.occupation_group_concept_id or view.occupation_group.get(
            ad.occupation_concept_id, ""
        )
        found = [
            h.concept_id
            for h in get_matcher().find(
                f"{ad.headline}\n{ad.description_text}", types=frozenset({"skill"})
            )
        ]
        requested = list(dict.fromkeys([*found, *(ad.skill_ids or [])]))
    elif target_occupation_id:
        title = view.occupation_label.get(target_occupation_id, "")
        if not title:
            raise ValidationError("Välj ett yrke i listan.")
        group_id = view.occupation_group.get(target_occupation_id, "")
        gap_ids = [g["concept_id"] for g in inputs.gap_skills.get(target_occupation_id, [])]
        requested = [*inputs.matched_skills.get(target_occupation_id, []), *gap_ids]
    else:
        title = "Allmän intervjuövning" if language == "sv" else "General interview practice"
    ad_skills = [(s, held[s]) for s in requested if s in held]
    gaps = [
        (s, view.skill_label.get(s, s))
        for s in requested
        if s not in held and s in view.skill_label
    ]
    chosen = practice_questions_select(
        bank=question_bank(), ad_skills=ad_skills, gaps=gaps, group_id=group_id, language=language
    )
    with transaction.atomic():
        practice = PracticeSet.objects.create(
            client=client,
            title=(
                f"Intervjuövning: {title}" if language == "sv" else f"Interview practice: {title}"
            )[:500],
            language=language,
            ad_id=ad_id,
            application_id=application_id,
            target_occupation_id=target_occupation_id,
            basis={
                "skills": [s for s, _ in ad_skills],
                "gaps": [s for s, _ in gaps],
                "group_id": group_id,
            },
        )
        PracticeAnswer.objects.bulk_create(
            [
                PracticeAnswer(
                    practice_set=practice,
                    question=item["question"],
                    question_text=item["text"][:1000],
                    guidance=item["guidance"][:2000],
                    kind=item["kind"],
                    skill_id=item["skill_id"],
                    is_gap=item["is_gap"],
                    order=i,
                )
                for i, item in enumerate(chosen)
            ]
        )
    return practice


STAR_FIELDS = ("situation", "task", "action", "result", "note")


def practice_answer_save(*, answer: PracticeAnswer, data: dict[str, Any]) -> Saved:
    from .models import CHECKLIST_KEYS

    cleaned_any = False
    limits = {"situation": 2000, "task": 2000, "action": 3000, "result": 2000, "note": 2000}
    for name in STAR_FIELDS:
        if name in data:
            value, cleaned = clean_plain(str(data[name]), limit=limits[name])
            setattr(answer, name, value)
            cleaned_any = cleaned_any or cleaned
    answer.checklist = [k for k in CHECKLIST_KEYS if k in set(data.get("checklist", []))]
    answer.save()
    return Saved(answer, cleaned_any)


def practice_set_share(*, practice_set: PracticeSet, share: bool) -> PracticeSet:
    """Share the set (questions and answers, never the private notes) with the adviser, or stop."""
    practice_set.shared_at = timezone.now() if share else None
    practice_set.save(update_fields=["shared_at", "updated_at"])
    return practice_set


def practice_set_delete(*, practice_set: PracticeSet) -> None:
    practice_set.delete()


# ---- pitch ----------------------------------------------------------------------------------

WORDS_PER_MINUTE = (130, 150)


def pitch_word_budget(seconds: int) -> int:
    """Words that fit in `seconds` at a calm pace (the low end of 130-150 words a minute)."""
    return round(seconds * WORDS_PER_MINUTE[0] / 60)


def spoken_seconds(words: int) -> tuple[int, int]:
    """(fastest, slowest) seconds to say `words` words at 150 and 130 words a minute."""
    return round(words * 60 / WORDS_PER_MINUTE[1]), round(words * 60 / WORDS_PER_MINUTE[0])


def pitch_draft(*, inputs: CvInputs, target: Target, seconds: int, language: str) -> str:
    """A first presentation to rewrite: who, what experience, best skills, what next."""
    en = language == "en"
    experiences = newest_first([e for e in inputs.experiences if e.get("title")])
    latest = experiences[0] if experiences else None
    skills = [s.get("label", "") for s in inputs.skills if s.get("label")]
    relevant = inputs.matched_skills.get(target.concept_id, [])
    by_id = {s["concept_id"]: s.get("label", "") for s in inputs.skills}
    top = [short_label(x) for x in ([by_id[s] for s in relevant if s in by_id] or skills)]
    low = [lower_first(t) for t in top]
    first_name = inputs.name.split(" ")[0] if inputs.name else ""
    sentences: list[str] = []
    if en:
        sentences.append(f"My name is {first_name}." if first_name else "Hello.")
        if latest:
            at = f" at {latest['employer']}" if latest.get("employer") else ""
            sentences.append(f"I work as {latest['title']}{at}.")
        if top:
            sentences.append(f"My strengths are {join_words(top[:2], 'en')}.")
        if target.label:
            sentences.append(f"Now I am looking for a role as {target.label}.")
        if seconds >= 60:
            if len(experiences) > 1:
                sentences.append(
                    f"Before that I worked as {experiences[1]['title']}, "
                    "which gave me a broad base."
                )
            sentences.append("[One example of a result you are proud of, with a figure.]")
            if len(top) > 2:
                sentences.append(f"I also bring {join_words(top[2:4], 'en')}.")
        if seconds >= 120:
            sentences.append("[What colleagues say about you, and how you work with others.]")
            sentences.append(
                "[What you have done since the notice: courses, projects, what you learnt.]"
            )
            sentences.append("[Why this kind of employer and job suits you.]")
        sentences.append("I would be glad to tell you more.")
    else:
        sentences.append(f"Jag heter {first_name}." if first_name else "Hej!")
        if latest:
            at = f" på {latest['employer']}" if latest.get("employer") else ""
            sentences.append(f"Jag arbetar som {lower_first(latest['title'])}{at}.")
        if top:
            sentences.append(f"Mina styrkor är {join_words(low[:2], 'sv')}.")
        if target.label:
            sentences.append(f"Nu söker jag en roll som {lower_first(target.label)}.")
        if seconds >= 60:
            if len(experiences) > 1:
                sentences.append(
                    f"Innan dess arbetade jag som {lower_first(experiences[1]['title'])}, "
                    "vilket gav mig en bred grund."
                )
            sentences.append("[Ett exempel på ett resultat du är stolt över, gärna med en siffra.]")
            if len(top) > 2:
                sentences.append(f"Jag har också erfarenhet av {join_words(low[2:4], 'sv')}.")
        if seconds >= 120:
            sentences.append("[Vad kollegor säger om dig och hur du arbetar med andra.]")
            sentences.append(
                "[Vad du har gjort sedan uppsägningen: kurser, projekt, vad du lärt dig.]"
            )
            sentences.append("[Varför just den här sortens arbetsgivare och jobb passar dig.]")
        sentences.append("Jag berättar gärna mer.")
    return " ".join(sentences)


def pitch_save(
    *, client: ClientProfile, seconds: int, language: str, text: str, target_occupation_id: str = ""
) -> Saved:
    if seconds not in PITCH_SECONDS:
        raise ValidationError("Välj 30, 60 eller 120 sekunder.")
    text, cleaned = clean_plain(text, limit=4000)
    if not text:
        raise ValidationError("Skriv din presentation.")
    pitch, _ = Pitch.objects.update_or_create(
        client=client,
        seconds=seconds,
        language=_language(language),
        defaults={"text": text, "target_occupation_id": target_occupation_id},
    )
    return Saved(pitch, cleaned)
