"""Building a CV's content from what the client already told us, targeted at one occupation.

Pure functions over plain data (no database): `CvInputs` is gathered either from the journey's
selectors (`journey.cv.selectors.cv_inputs_get`) or from a portable profile JSON
(`cv_inputs_from_profile`, used by `manage.py cv_export`), so a CV built on the site and one
rendered in batch from an export come out the same.

Targeting: experiences in the target occupation come first, then those in the same SSYK-4
group, then occupations JobTech says can do the target job (substitutability), then the rest,
each group newest first. Skills the target occupation asks for (step 3's matched skills) come
first in step 3's order, then the rest by level.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

LANGUAGE_LEVELS = {
    "sv": {"basic": "Grundläggande", "good": "Goda kunskaper", "fluent": "Flytande",
           "native": "Modersmål"},
    "en": {"basic": "Basic", "good": "Good", "fluent": "Fluent", "native": "Native"},
}  # fmt: skip

SECTION_HEADINGS = {
    "sv": {
        "profile": "Profil",
        "experience": "Arbetslivserfarenhet",
        "education": "Utbildning",
        "skills": "Kompetenser",
        "languages": "Språk",
        "licences": "Körkort",
    },
    "en": {
        "profile": "Profile",
        "experience": "Work experience",
        "education": "Education",
        "skills": "Skills",
        "languages": "Languages",
        "licences": "Driving licence",
    },
}
DEFAULT_SECTION_ORDER = ("profile", "experience", "skills", "education", "languages", "licences")
MAX_SKILLS = 20


@dataclass
class CvInputs:
    """What a CV is built from: the competence inventory (step 2) and the target (step 3)."""

    name: str = ""
    email: str = ""
    phone: str = ""
    city: str = ""
    experiences: list[dict[str, Any]] = field(default_factory=list)
    education: list[dict[str, Any]] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)  # concept_id, label, level
    languages: list[dict[str, Any]] = field(default_factory=list)  # concept_id, label, level
    licences: list[dict[str, Any]] = field(default_factory=list)  # concept_id, label
    competence_revision: int | None = None
    # Per target occupation id: the client's skills it asks for, in step 3's order.
    matched_skills: dict[str, list[str]] = field(default_factory=dict)
    # Per target occupation id: the skills it asks for that the client lacks (step 3's gaps).
    gap_skills: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    targets: list[dict[str, Any]] = field(default_factory=list)  # concept_id, label, group_id
    language_labels_en: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    concept_id: str = ""
    label: str = ""
    group_id: str = ""


def month(value: Any) -> str:
    """ "YYYY-MM" of a date, an ISO date string or "YYYY-MM"; "" for anything else."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value or "")
    if len(text) >= 7 and text[:4].isdigit() and text[4] == "-" and text[5:7].isdigit():
        return text[:7]
    return ""


def experience_key(title: str, employer: str, start: str) -> str:
    """A stable key of an inventory experience, so a CV can tell which ones it already has."""
    return f"{title.strip().casefold()}|{employer.strip().casefold()}|{start}"


def new_key() -> str:
    return uuid.uuid4().hex[:12]


def _experience_rank(
    occupation_id: str, target: Target, groups: dict[str, str], substitutes: set[str]
) -> int:
    if not target.concept_id or not occupation_id:
        return 3
    if occupation_id == target.concept_id:
        return 0
    if target.group_id and groups.get(occupation_id) == target.group_id:
        return 1
    if occupation_id in substitutes:
        return 2
    return 3


def order_experiences(
    experiences: list[dict[str, Any]],
    *,
    target: Target,
    groups: dict[str, str],
    substitutes: set[str],
) -> list[dict[str, Any]]:
    """Most relevant to the target first; within a rank, current jobs and then newest first."""

    def sort_key(e: dict[str, Any]) -> tuple[int, int, str, str]:
        rank = _experience_rank(e.get("occupation_id", ""), target, groups, substitutes)
        current = 0 if e.get("current") else 1
        # Newest end (then start) first: invert the "YYYY-MM" strings by sorting on negatives.
        return (rank, current, _inverted(e.get("end", "")), _inverted(e.get("start", "")))

    return sorted(experiences, key=sort_key)


def _inverted(yyyymm: str) -> str:
    if not yyyymm:
        return "~"  # unknown dates last
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in yyyymm)


def order_skills(skills: list[dict[str, Any]], *, relevant: list[str]) -> list[dict[str, Any]]:
    """The target's skills first (in step 3's order), then by level (rated high first)."""
    position = {skill_id: i for i, skill_id in enumerate(relevant)}
    return sorted(
        skills,
        key=lambda s: (
            position.get(s["concept_id"], len(position)),
            -(s.get("level") or 0),
            s.get("label", "").casefold(),
        ),
    )


def language_label(item: dict[str, Any], language: str, labels_en: dict[str, str]) -> str:
    if language == "en":
        return labels_en.get(item["concept_id"]) or item.get("label", "")
    return str(item.get("label", ""))


def default_sections() -> list[dict[str, Any]]:
    return [{"key": key, "hidden": False, "heading": ""} for key in DEFAULT_SECTION_ORDER]


def headline_for(target: Target, experiences: list[dict[str, Any]]) -> str:
    if target.label:
        return target.label
    return str(experiences[0]["title"]) if experiences else ""


def summary_draft(
    *, inputs: CvInputs, target: Target, skills: list[dict[str, Any]], language: str
) -> str:
    """A first profile text for the client to rewrite (the only text we draft for them)."""
    years = _years(inputs.experiences)
    top = [short_label(s["label"]) for s in skills[:3]]
    latest = ""
    if inputs.experiences:
        newest = max(
            inputs.experiences,
            key=lambda e: (bool(e.get("current")), e.get("end") or "", e.get("start") or ""),
        )
        latest = newest["title"]
    if language == "en":
        parts = []
        if latest:
            parts.append(f"{latest} with {years} years of experience." if years else f"{latest}.")
        if top:
            parts.append(f"Strong in {join_words(top, language)}.")
        if target.label:
            parts.append(f"Looking for a new role as {target.label}.")
        return " ".join(parts)
    parts = []
    if latest:
        parts.append(f"{latest} med {years} års erfarenhet." if years else f"{latest}.")
    if top:
        parts.append(f"Stark inom {join_words([lower_first(t) for t in top], language)}.")
    if target.label:
        parts.append(f"Söker en ny roll som {lower_first(target.label)}.")
    return " ".join(parts)


def newest_first(experiences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Inventory experiences, current jobs first, then by end and start date, newest first
    (the database's NULL ordering differs between SQLite and PostgreSQL, so sort here)."""

    def key(e: dict[str, Any]) -> tuple[str, str]:
        start = month(e.get("start_date") or e.get("start"))
        end = month(e.get("end_date") or e.get("end"))
        return (end or ("9999-99" if start else ""), start)

    return sorted(experiences, key=key, reverse=True)


def short_label(label: str) -> str:
    """A skill label for running text: "Java, programmeringsspråk" -> "Java" (the taxonomy's
    lower-case qualifier dropped), "Projektledning, IT" kept."""
    head, sep, tail = label.partition(", ")
    return head if sep and tail[:1].islower() else label


def lower_first(text: str) -> str:
    """ "Projektledare, IT" -> "projektledare, IT"; "IT-projektledare" stays (an acronym)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def join_words(words: list[str], language: str) -> str:
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + (" and " if language == "en" else " och ") + words[-1]


def _years(experiences: list[dict[str, Any]]) -> int:
    starts = [e["start"] for e in experiences if e.get("start")]
    if not starts:
        return 0
    first = min(starts)
    today = dt.date.today()
    return max(0, today.year - int(first[:4]))


def experience_item(e: dict[str, Any]) -> dict[str, Any]:
    start, end = (
        month(e.get("start_date") or e.get("start")),
        month(e.get("end_date") or e.get("end")),
    )
    return {
        "key": experience_key(str(e.get("title", "")), str(e.get("employer", "")), start),
        "title": str(e.get("title", ""))[:200],
        "employer": str(e.get("employer", ""))[:200],
        "occupation_id": str(e.get("occupation_id", "")),
        "start": start,
        "end": end,
        "current": not end and bool(start),
        "description": str(e.get("description", ""))[:4000],
        "hidden": False,
    }


def education_item(e: dict[str, Any]) -> dict[str, Any]:
    name, institution = str(e.get("name", ""))[:200], str(e.get("institution", ""))[:200]
    end_year = e.get("end_year")
    return {
        "key": f"{name.casefold()}|{institution.casefold()}|{end_year or ''}",
        "name": name,
        "institution": institution,
        "start_year": e.get("start_year"),
        "end_year": end_year,
        "hidden": False,
    }


def cv_content_build(
    *,
    inputs: CvInputs,
    target: Target,
    language: str,
    groups: dict[str, str] | None = None,
    substitutes: set[str] | None = None,
) -> dict[str, Any]:
    """A new CV's content: everything the inventory holds, most relevant to `target` first."""
    experiences = order_experiences(
        [experience_item(e) for e in inputs.experiences],
        target=target,
        groups=groups or {},
        substitutes=substitutes or set(),
    )
    relevant = inputs.matched_skills.get(target.concept_id, [])
    skills = [
        {
            "concept_id": s["concept_id"],
            "label": s.get("label") or s["concept_id"],
            "level": s.get("level"),
            "hidden": False,
        }
        for s in order_skills(list(inputs.skills), relevant=relevant)
    ]
    # Long lists bury what matters: beyond MAX_SKILLS the least relevant start hidden.
    for i, skill in enumerate(skills):
        skill["hidden"] = i >= MAX_SKILLS
    languages = [
        {
            "concept_id": item["concept_id"],
            "label": language_label(item, language, inputs.language_labels_en),
            "level": item.get("level", ""),
            "hidden": False,
        }
        for item in inputs.languages
    ]
    inputs_for_summary = CvInputs(experiences=experiences)
    return {
        "basics": {
            "name": inputs.name,
            "headline": headline_for(target, experiences),
            "email": inputs.email,
            "phone": inputs.phone,
            "city": inputs.city,
            "summary": summary_draft(
                inputs=inputs_for_summary, target=target, skills=skills, language=language
            ),
        },
        "experience": experiences,
        "education": [education_item(e) for e in inputs.education],
        "skills": skills,
        "languages": languages,
        "licences": [
            {"concept_id": item["concept_id"], "label": item.get("label", ""), "hidden": False}
            for item in inputs.licences
        ],
    }


# ---- what is new in the inventory since the CV was made --------------------------------------


@dataclass(frozen=True)
class Offer:
    """One inventory item the CV does not have yet, offered to the client (never added unasked)."""

    kind: str  # "skill" | "experience" | "language" | "education"
    key: str  # "skill:<id>", "experience:<key>", ...
    label: str
    detail: str = ""


def inventory_offers(
    *, content: dict[str, Any], inputs: CvInputs, declined: list[str]
) -> list[Offer]:
    """Items of the competence inventory that the CV has neither shown nor been told to skip."""
    no = set(declined)
    offers: list[Offer] = []
    have_skills = {s["concept_id"] for s in content.get("skills", [])}
    for s in inputs.skills:
        key = f"skill:{s['concept_id']}"
        if s["concept_id"] not in have_skills and key not in no:
            offers.append(Offer("skill", key, s.get("label") or s["concept_id"]))
    have_exp = {e.get("key") for e in content.get("experience", [])}
    for e in inputs.experiences:
        item = experience_item(e)
        key = f"experience:{item['key']}"
        if item["key"] not in have_exp and key not in no:
            detail = " – ".join(p for p in (item["employer"], item["start"][:4]) if p)
            offers.append(Offer("experience", key, item["title"], detail))
    have_lang = {x["concept_id"] for x in content.get("languages", [])}
    for lang in inputs.languages:
        key = f"language:{lang['concept_id']}"
        if lang["concept_id"] not in have_lang and key not in no:
            offers.append(Offer("language", key, lang.get("label", "")))
    have_edu = {x.get("key") for x in content.get("education", [])}
    for edu in inputs.education:
        item = education_item(edu)
        key = f"education:{item['key']}"
        if item["key"] not in have_edu and key not in no:
            offers.append(Offer("education", key, item["name"], item["institution"]))
    return offers


def offer_apply(
    *, content: dict[str, Any], inputs: CvInputs, key: str, language: str
) -> dict[str, Any]:
    """The content with one offered inventory item added at the end of its section (the client
    may move it). Unknown keys leave the content as it was."""
    kind, _, ident = key.partition(":")
    content = {**content}
    if kind == "skill":
        skill = next((s for s in inputs.skills if s["concept_id"] == ident), None)
        if skill is not None and ident not in {s["concept_id"] for s in content.get("skills", [])}:
            content["skills"] = [
                *content.get("skills", []),
                {"concept_id": ident, "label": skill.get("label") or ident,
                 "level": skill.get("level"), "hidden": False},
            ]  # fmt: skip
    elif kind == "experience":
        for e in inputs.experiences:
            item = experience_item(e)
            if item["key"] == ident:
                content["experience"] = [*content.get("experience", []), item]
                break
    elif kind == "language":
        lang = next((x for x in inputs.languages if x["concept_id"] == ident), None)
        if lang is not None:
            content["languages"] = [
                *content.get("languages", []),
                {"concept_id": ident, "label": language_label(lang, language,
                 inputs.language_labels_en), "level": lang.get("level", ""), "hidden": False},
            ]  # fmt: skip
    elif kind == "education":
        for edu in inputs.education:
            item = education_item(edu)
            if item["key"] == ident:
                content["education"] = [*content.get("education", []), item]
                break
    return content


def skill_add_to_content(
    *, content: dict[str, Any], concept_id: str, label: str, level: int | None = None
) -> dict[str, Any]:
    """Add (or un-hide) one skill in the CV's skills section."""
    skills = [dict(s) for s in content.get("skills", [])]
    for s in skills:
        if s["concept_id"] == concept_id:
            s["hidden"] = False
            break
    else:
        skills.append({"concept_id": concept_id, "label": label, "level": level, "hidden": False})
    return {**content, "skills": skills}


# ---- the portable profile (manage.py export_profile) as inputs -------------------------------


def cv_inputs_from_profile(profile: dict[str, Any]) -> CvInputs:
    """CvInputs from a portable profile (`vagval.portable-profile`): the account's name and
    e-mail, step 2's accepted rows and newest CompetenceProfile, step 3's targets."""
    account = profile.get("accounts") or {}
    journey = profile.get("journey") or {}
    competence = journey.get("competence") or {}
    market = journey.get("market") or {}
    newest = (competence.get("profiles") or [{}])[-1]
    accepted = [
        e for e in competence.get("experiences") or [] if e.get("status", "accepted") == "accepted"
    ]
    education = [
        e for e in competence.get("education") or [] if e.get("status", "accepted") == "accepted"
    ]
    search = (market.get("search_profiles") or [{}])[-1]
    plans = market.get("market_plans") or []
    matched: dict[str, list[str]] = {}
    gaps: dict[str, list[dict[str, str]]] = {}
    for suggestion in (plans[-1].get("suggestions") or []) if plans else []:
        matched[suggestion["concept_id"]] = [
            m["concept_id"] for m in suggestion.get("matched_skills", [])
        ]
        gaps[suggestion["concept_id"]] = list(suggestion.get("missing_skills", []))
    name = " ".join(p for p in (account.get("first_name"), account.get("last_name")) if p)
    return CvInputs(
        name=name,
        email=account.get("email", "") or "",
        experiences=newest_first(accepted),
        education=education,
        skills=list(newest.get("skills") or []),
        languages=list(newest.get("languages") or []),
        licences=list(newest.get("driving_licences") or []),
        competence_revision=newest.get("revision"),
        matched_skills=matched,
        gap_skills=gaps,
        targets=list(search.get("target_occupations") or []),
    )
