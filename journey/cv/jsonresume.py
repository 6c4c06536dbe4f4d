"""JSON Resume (jsonresume.org): export of a CV, import of a client's file, schema validation.

The schema is the JSON Resume project's own (`schemas/jsonresume-schema.json`, MIT, see
`schemas/README.md`), checked with `jsonschema` (draft-04, with format checks for e-mail and
URI). Vägval's concept ids travel in `meta.vagval` (the schema allows anything there), so a
re-import finds the same taxonomy concepts without guessing.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from .builder import LANGUAGE_LEVELS, experience_key, new_key

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "jsonresume-schema.json"
MAX_IMPORT_BYTES = 1024 * 1024  # a JSON Resume is a few kB; 1 MB is generous
MAX_ITEMS = 60  # per list, on import


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def validator() -> Any:
    from jsonschema import Draft4Validator, FormatChecker

    return Draft4Validator(schema(), format_checker=FormatChecker())


def validation_errors(data: Any) -> list[str]:
    """The schema errors of `data`, as "path: message" lines (empty when valid)."""
    errors = []
    for error in sorted(validator().iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(dokumentet)"
        errors.append(f"{where}: {error.message}")
    return errors


def _date(yyyymm: str) -> str | None:
    return yyyymm if yyyymm and len(yyyymm) == 7 else None


def cv_to_jsonresume(
    *, content: dict[str, Any], language: str, target_label: str = "", target_id: str = ""
) -> dict[str, Any]:
    """The CV's visible content as a JSON Resume document (valid against the schema)."""
    basics_in = content.get("basics") or {}
    basics: dict[str, Any] = {"name": basics_in.get("name", "")}
    for ours, theirs in (("headline", "label"), ("phone", "phone"), ("summary", "summary")):
        if basics_in.get(ours):
            basics[theirs] = basics_in[ours]
    if basics_in.get("email"):
        basics["email"] = basics_in["email"]
    if basics_in.get("city"):
        basics["location"] = {"city": basics_in["city"], "countryCode": "SE"}
    work = []
    for e in content.get("experience", []):
        if e.get("hidden"):
            continue
        item: dict[str, Any] = {"name": e.get("employer", ""), "position": e.get("title", "")}
        for key, value in (
            ("startDate", _date(e.get("start", ""))),
            ("endDate", _date(e.get("end", ""))),
        ):
            if value:
                item[key] = value
        if e.get("description"):
            item["summary"] = e["description"]
        work.append(item)
    education = []
    for e in content.get("education", []):
        if e.get("hidden"):
            continue
        item = {"institution": e.get("institution", ""), "area": e.get("name", "")}
        if e.get("start_year"):
            item["startDate"] = str(e["start_year"])
        if e.get("end_year"):
            item["endDate"] = str(e["end_year"])
        education.append(item)
    levels = LANGUAGE_LEVELS["en" if language == "en" else "sv"]
    skills = [
        {"name": s.get("label", ""), **({"level": str(s["level"])} if s.get("level") else {})}
        for s in content.get("skills", [])
        if not s.get("hidden")
    ]
    languages = [
        {"language": s.get("label", ""), "fluency": levels.get(s.get("level") or "", "")}
        for s in content.get("languages", [])
        if not s.get("hidden")
    ]
    document: dict[str, Any] = {
        "basics": basics,
        "work": work,
        "education": education,
        "skills": skills,
        "languages": languages,
        "meta": {
            "version": "v1.0.0",
            "vagval": {
                "language": language,
                "target_occupation": {"concept_id": target_id, "label": target_label},
                "skills": [
                    s["concept_id"] for s in content.get("skills", []) if not s.get("hidden")
                ],
                "languages": [
                    s["concept_id"] for s in content.get("languages", []) if not s.get("hidden")
                ],
                "driving_licences": [
                    s.get("label", "") for s in content.get("licences", []) if not s.get("hidden")
                ],
            },
        },
    }
    return document


# ---- import ---------------------------------------------------------------------------------


class ImportRefused(ValueError):
    """A JSON Resume file we will not import; `message` says why in the client's language."""

    def __init__(self, code: str, sv: str, en: str) -> None:
        super().__init__(code)
        self.code = code
        self.sv = sv
        self.en = en

    def message(self, language: str = "sv") -> str:
        return self.en if language == "en" else self.sv


def jsonresume_parse(data: bytes) -> dict[str, Any]:
    """Bytes of an uploaded .json file -> the JSON Resume document, or ImportRefused."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(
            "too_large",
            "Filen är större än 1 MB och är inte en JSON Resume-fil.",
            "The file is larger than 1 MB and is not a JSON Resume file.",
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ImportRefused(
            "broken",
            "Filen är inte giltig JSON. Exportera ditt CV som JSON Resume igen och ladda upp "
            "den filen.",
            "The file is not valid JSON. Export your CV as JSON Resume again and upload that file.",
        ) from exc
    if not isinstance(document, dict):
        raise ImportRefused(
            "wrong_type",
            "Filen är JSON men inte ett JSON Resume-CV.",
            "The file is JSON but not a JSON Resume CV.",
        )
    errors = validation_errors(document)
    if errors:
        raise ImportRefused(
            "invalid",
            "Filen följer inte JSON Resume-formatet: " + "; ".join(errors[:3]),
            "The file does not follow the JSON Resume format: " + "; ".join(errors[:3]),
        )
    if not any(document.get(k) for k in ("basics", "work", "education", "skills")):
        raise ImportRefused(
            "empty",
            "Filen innehåller inget CV (inga uppgifter, erfarenheter eller kompetenser).",
            "The file holds no CV (no details, experience or skills).",
        )
    return document


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit] if isinstance(value, str | int | float) else ""


def _month(value: Any) -> str:
    text = _text(value, 10)
    return text[:7] if len(text) >= 7 else (f"{text}-01" if len(text) == 4 else "")


def jsonresume_to_content(document: dict[str, Any]) -> dict[str, Any]:
    """The CV content of a JSON Resume document, before taxonomy matching (skills and languages
    carry their names; `journey.cv.services` matches them to concepts)."""
    basics = document.get("basics") or {}
    location = basics.get("location") or {}
    experiences = []
    for item in (document.get("work") or [])[:MAX_ITEMS]:
        title = _text(item.get("position"), 200)
        employer = _text(item.get("name"), 200)
        start, end = _month(item.get("startDate")), _month(item.get("endDate"))
        summary = _text(item.get("summary"), 3000)
        highlights = [_text(h, 500) for h in (item.get("highlights") or [])[:20]]
        description = "\n\n".join(
            p for p in [summary, "\n".join(f"• {h}" for h in highlights if h)] if p
        )
        if not (title or employer):
            continue
        experiences.append(
            {
                "key": experience_key(title, employer, start) if start else new_key(),
                "title": title,
                "employer": employer,
                "occupation_id": "",
                "start": start,
                "end": end,
                "current": bool(start) and not end,
                "description": description[:4000],
                "hidden": False,
            }
        )
    education = []
    for item in (document.get("education") or [])[:MAX_ITEMS]:
        name = " ".join(
            p for p in (_text(item.get("studyType"), 100), _text(item.get("area"), 200)) if p
        )
        institution = _text(item.get("institution"), 200)
        if not (name or institution):
            continue
        start, end = _text(item.get("startDate"), 4), _text(item.get("endDate"), 4)
        education.append(
            {
                "key": new_key(),
                "name": name or institution,
                "institution": institution if name else "",
                "start_year": int(start) if start.isdigit() else None,
                "end_year": int(end) if end.isdigit() else None,
                "hidden": False,
            }
        )
    skill_names: list[str] = []
    for item in (document.get("skills") or [])[:MAX_ITEMS]:
        for name in [item.get("name"), *(item.get("keywords") or [])[:20]]:
            text = _text(name, 200)
            if text and text not in skill_names:
                skill_names.append(text)
    language_names = [
        (_text(item.get("language"), 100), _text(item.get("fluency"), 100))
        for item in (document.get("languages") or [])[:MAX_ITEMS]
        if _text(item.get("language"), 100)
    ]
    meta = (document.get("meta") or {}).get("vagval") or {}
    return {
        "basics": {
            "name": _text(basics.get("name"), 200),
            "headline": _text(basics.get("label"), 200),
            "email": _text(basics.get("email"), 254),
            "phone": _text(basics.get("phone"), 40),
            "city": _text(location.get("city"), 100),
            "summary": _text(basics.get("summary"), 3000),
        },
        "experience": experiences,
        "education": education,
        "skill_names": skill_names,
        "skill_ids": [s for s in meta.get("skills", []) if isinstance(s, str)][:MAX_ITEMS],
        "language_names": language_names,
    }
