"""The CV check against an ad, and the plain-text rules every text field follows.

`cv_check_compute` is pure (no database): given the CV's content, the ad's text and the skills
the ingestion enricher found in it, the client's inventory and step 3's gaps, it says which
competences the ad asks for, which the CV shows, which the inventory holds but the CV leaves
out, and which are real gaps; plus length and readability notes and the ATS parse-back (the
text a parser extracts from the exported PDF).

Readability is LIX (läsbarhetsindex, Björnsson): words per sentence plus the share of words
longer than six letters, the measure Swedish readers and recruiters know.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import nh3

MATCH_TYPES = frozenset({"skill", "language", "driving-licence"})
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?:;]+|\n")
MAX_CV_WORDS = 900  # about two pages
MAX_VISIBLE_SKILLS = 25
_TAG = re.compile(r"<[a-zA-Z!/?][^>]*>")  # as browsers see a tag: "<" then a letter


def clean_plain(value: str, *, limit: int | None = None) -> tuple[str, bool]:
    """Text as plain text: markup and scripts removed (their text kept, a script's dropped),
    control characters removed. Returns (text, whether anything was removed)."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " ")
    changed = False
    if _TAG.search(text) or "&" in text:
        cleaned = html.unescape(nh3.clean(text, tags=set(), strip_comments=True))
        if _TAG.search(text):
            changed = True
            text = cleaned
    text = text.strip()
    if limit is not None and len(text) > limit:
        text = text[:limit]
    return text, changed


def cv_visible_text(content: dict[str, Any], sections: list[dict[str, Any]]) -> str:
    """Every visible word of the CV, in order (what the check and the word count read)."""
    hidden_sections = {s["key"] for s in sections if s.get("hidden")}
    basics = content.get("basics") or {}
    parts = [basics.get("name", ""), basics.get("headline", "")]
    if "profile" not in hidden_sections:
        parts.append(basics.get("summary", ""))
    if "experience" not in hidden_sections:
        for e in content.get("experience", []):
            if not e.get("hidden"):
                parts += [e.get("title", ""), e.get("employer", ""), e.get("description", "")]
    if "education" not in hidden_sections:
        for e in content.get("education", []):
            if not e.get("hidden"):
                parts += [e.get("name", ""), e.get("institution", "")]
    for key in ("skills", "languages", "licences"):
        if key not in hidden_sections:
            parts += [s.get("label", "") for s in content.get(key, []) if not s.get("hidden")]
    return "\n".join(p for p in parts if p)


def visible_concepts(content: dict[str, Any], sections: list[dict[str, Any]]) -> set[str]:
    hidden_sections = {s["key"] for s in sections if s.get("hidden")}
    ids: set[str] = set()
    for key in ("skills", "languages", "licences"):
        if key in hidden_sections:
            continue
        ids |= {s["concept_id"] for s in content.get(key, []) if not s.get("hidden")}
    return ids


def lix(text: str) -> tuple[int, int, int]:
    """(LIX, words, sentences) of a text."""
    words = WORD.findall(text)
    if not words:
        return 0, 0, 0
    sentences = max(1, len([s for s in SENTENCE_END.split(text) if WORD.search(s)]))
    long_words = sum(1 for w in words if len(w) > 6)
    return round(len(words) / sentences + 100 * long_words / len(words)), len(words), sentences


LIX_WORDS = {
    "sv": ((30, "mycket lättläst"), (40, "lättläst"), (50, "medelsvår"), (60, "svår")),
    "en": ((30, "very easy"), (40, "easy"), (50, "medium"), (60, "hard")),
}


def lix_word(value: int, language: str) -> str:
    for bound, word in LIX_WORDS[language]:
        if value < bound:
            return word
    return "mycket svår" if language == "sv" else "very hard"


@dataclass
class Competence:
    concept_id: str
    label: str
    type: str
    in_plan_gaps: bool = False  # also one of step 3's gaps for the CV's target


@dataclass
class CheckResult:
    requested: list[Competence] = field(default_factory=list)
    shown: list[Competence] = field(default_factory=list)
    omitted: list[Competence] = field(default_factory=list)  # held, not in the CV: add
    gaps: list[Competence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    words: int = 0
    lix: int = 0
    pages: int = 0
    parsed_text: str = ""
    parse_problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def score(self) -> int:
        """Share of the requested competences the CV shows, in percent."""
        if not self.requested:
            return 0
        return round(100 * len(self.shown) / len(self.requested))


def cv_check_compute(
    *,
    content: dict[str, Any],
    sections: list[dict[str, Any]],
    ad_text: str,
    ad_concept_ids: list[str],
    inventory: dict[str, str],
    plan_gaps: set[str],
    labels: dict[str, str],
    language: str,
    parsed_text: str,
    pages: int,
    section_headings: list[str],
) -> CheckResult:
    """See the module docstring. `inventory`: the client's skill/language ids -> labels;
    `labels`: labels of concepts the enricher gave without a hit in the text."""
    from vagval.taxonomy.textmatch import get_matcher

    en = language == "en"
    matcher = get_matcher()
    requested: dict[str, Competence] = {}
    for hit in matcher.find(ad_text, types=MATCH_TYPES):
        requested[hit.concept_id] = Competence(hit.concept_id, hit.label, hit.type)
    for concept_id in ad_concept_ids:
        if concept_id not in requested and concept_id in labels:
            requested[concept_id] = Competence(concept_id, labels[concept_id], "skill")
    cv_text = cv_visible_text(content, sections)
    in_cv = visible_concepts(content, sections)
    in_cv |= {h.concept_id for h in matcher.find(cv_text, types=MATCH_TYPES)}
    result = CheckResult(requested=sorted(requested.values(), key=lambda c: c.label.casefold()))
    for item in result.requested:
        item.in_plan_gaps = item.concept_id in plan_gaps
        if item.concept_id in in_cv:
            result.shown.append(item)
        elif item.concept_id in inventory:
            result.omitted.append(item)
        else:
            result.gaps.append(item)
    value, words, _sentences = lix(cv_text)
    result.words, result.lix, result.pages = words, value, pages
    notes = result.notes
    if pages > 2:
        notes.append(
            f"The CV is {pages} pages. Two pages is usually enough: hide older jobs or shorten "
            "descriptions."
            if en
            else f"CV:t är {pages} sidor. Två sidor räcker oftast: dölj äldre jobb eller korta "
            "beskrivningarna."
        )
    if words > MAX_CV_WORDS:
        notes.append(
            f"{words} words is long; recruiters skim. Aim for under {MAX_CV_WORDS}."
            if en
            else f"{words} ord är långt; rekryterare skummar. Sikta på under {MAX_CV_WORDS}."
        )
    if value >= 50:
        notes.append(
            f"Readability (LIX {value}, {lix_word(value, language)}): shorter sentences and "
            "everyday words make it easier to read."
            if en
            else f"Läsbarhet (LIX {value}, {lix_word(value, language)}): kortare meningar och "
            "vardagliga ord gör texten lättare att läsa."
        )
    basics = content.get("basics") or {}
    if not (basics.get("summary") or "").strip():
        notes.append(
            "Add a short profile at the top: two or three sentences on who you are and what "
            "you are looking for."
            if en
            else "Skriv en kort profil överst: två–tre meningar om vem du är och vad du söker."
        )
    if not (basics.get("email") or basics.get("phone")):
        notes.append(
            "Add an e-mail address or phone number so the recruiter can reach you."
            if en
            else "Lägg till e-postadress eller telefonnummer så att rekryteraren når dig."
        )
    bare = [
        e.get("title", "")
        for e in content.get("experience", [])
        if not e.get("hidden") and not (e.get("description") or "").strip()
    ]
    if bare:
        notes.append(
            f"Describe what you did and achieved in: {', '.join(bare[:3])}."
            if en
            else f"Beskriv vad du gjorde och åstadkom som {', '.join(bare[:3])}."
        )
    visible_skills = [s for s in content.get("skills", []) if not s.get("hidden")]
    if len(visible_skills) > MAX_VISIBLE_SKILLS:
        notes.append(
            f"{len(visible_skills)} skills is many; keep the ones this job asks for."
            if en
            else f"{len(visible_skills)} kompetenser är många; behåll dem som jobbet efterfrågar."
        )
    # ATS parse-back: does the extracted text hold the name and every heading, in order?
    result.parsed_text = parsed_text
    flat = " ".join(parsed_text.split()).casefold()
    name = " ".join(str(basics.get("name", "")).split()).casefold()
    if name and name not in flat:
        result.parse_problems.append(
            "Your name was not found in the text a parser reads."
            if en
            else "Ditt namn hittades inte i texten som ett rekryteringssystem läser."
        )
    at = 0
    for heading in section_headings:
        found = flat.find(" ".join(heading.split()).casefold(), at)
        if found < 0:
            result.parse_problems.append(
                f"The heading “{heading}” was not read in its place."
                if en
                else f"Rubriken ”{heading}” lästes inte på sin plats."
            )
        else:
            at = found
    return result
