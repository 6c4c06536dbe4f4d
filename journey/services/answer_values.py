"""Turning what a browser posted for one question into a typed answer value, or a refusal.

Values stored in `Answer.value`, per question kind:
    single  the chosen option's value (as typed in the options JSON: str or int)
    multi   list of option values, in the options' order
    scale   int 1-5
    date    "YYYY-MM-DD"
    number  int
    text    str (at most TEXT_MAX_CHARS)
    yesno   bool
    place   list of {"id": JobTech concept id, "type": "municipality" | "region"}
None means "no answer". Anything a form could not have produced (an option that is not listed, a
place id that is not a municipality or region) is refused, never coerced.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from journey.models import Question, QuestionKind
from vagval.taxonomy import selectors as taxonomy

TEXT_MAX_CHARS = 2000
PLACE_TYPES = ("municipality", "region")
MAX_PLACES = 20
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER_RE = re.compile(r"^-?\d+$")


@dataclass
class AnswerRefused(Exception):
    """The posted value cannot be saved. `code` is stable (tests, logs); `message` is for people.

    `suggestions` lists places the client may have meant, when a typed place name was not exact.
    """

    code: str
    message: str
    suggestions: list[dict[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


@dataclass(frozen=True)
class RawAnswer:
    """What the form posted for one question: every value of `q-<key>`, and for a place
    question the name typed into the `q-<key>-add` box."""

    values: Sequence[str]
    add: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(v.strip() for v in self.values) and not self.add.strip()


def answer_value_parse(*, question: Question, raw: RawAnswer) -> Any:
    """The typed value for `raw`, None when nothing was given. Raises AnswerRefused."""
    kind = question.kind
    values = [v.strip() for v in raw.values if v.strip()]
    if kind == QuestionKind.PLACE:
        return _place_value(values, raw.add.strip())
    if kind == QuestionKind.MULTI:
        return _multi_value(question, values)
    if not values:
        return None
    if len(set(values)) > 1:
        raise AnswerRefused("too_many_values", _("Frågan tar bara ett svar. Välj ett alternativ."))
    value = values[0]
    if kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
        return _option_value(question, value)
    if kind == QuestionKind.YESNO:
        if value not in ("yes", "no"):
            raise AnswerRefused("invalid_option", _("Svara ja eller nej."))
        return value == "yes"
    if kind == QuestionKind.DATE:
        return _date_value(value)
    if kind == QuestionKind.NUMBER:
        return _number_value(question, value)
    if kind == QuestionKind.TEXT:
        if len(value) > TEXT_MAX_CHARS:
            raise AnswerRefused(
                "too_long",
                _("Svaret får vara högst %(max)s tecken (nu %(n)s).")
                % {"max": f"{TEXT_MAX_CHARS:,}".replace(",", " "), "n": len(value)},
            )
        return value
    raise AnswerRefused("unknown_kind", _("Frågan har en okänd typ."))  # pragma: no cover


def answer_value_is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _options_by_text(question: Question) -> dict[str, Any]:
    if question.kind == QuestionKind.SCALE and not question.options:
        return {str(v): v for v in (1, 2, 3, 4, 5)}
    return {str(o["value"]): o["value"] for o in question.options}


def _option_value(question: Question, value: str) -> Any:
    options = _options_by_text(question)
    if value not in options:
        raise AnswerRefused(
            "invalid_option",
            _("Svaret finns inte bland alternativen. Välj ett av alternativen i listan."),
        )
    return options[value]


def _multi_value(question: Question, values: list[str]) -> list[Any] | None:
    options = _options_by_text(question)
    unknown = [v for v in values if v not in options]
    if unknown:
        raise AnswerRefused(
            "invalid_option",
            _("Ett av svaren finns inte bland alternativen. Välj bland alternativen i listan."),
        )
    chosen = set(values)
    ordered = [options[text] for text in options if text in chosen]
    if question.max_choices and len(ordered) > question.max_choices:
        raise AnswerRefused(
            "too_many_choices",
            _("Välj högst %(max)s alternativ (du har valt %(n)s).")
            % {"max": question.max_choices, "n": len(ordered)},
        )
    return ordered or None


def _date_value(value: str) -> str:
    example = _("till exempel 2026-03-31")
    if not _DATE_RE.match(value):
        raise AnswerRefused(
            "invalid_date", _("Skriv datumet som ÅÅÅÅ-MM-DD, %(example)s.") % {"example": example}
        )
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise AnswerRefused(
            "invalid_date",
            _("Datumet finns inte i kalendern. Skriv det som ÅÅÅÅ-MM-DD, %(example)s.")
            % {"example": example},
        ) from None
    if not 1950 <= parsed.year <= 2100:
        raise AnswerRefused("invalid_date", _("Datumet ligger för långt bort i tiden."))
    return parsed.isoformat()


def _number_value(question: Question, value: str) -> int:
    # People write "42 000" or "42 000 kr"; spaces (also no-break) and "kr" are noise.
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", value).lower().removesuffix("kr")
    low, high = question.min_value, question.max_value
    if low is not None and high is not None:
        bounds = _("ett heltal mellan %(low)s och %(high)s") % {"low": low, "high": high}
    else:
        bounds = _("ett heltal")
    if not _NUMBER_RE.match(cleaned):
        raise AnswerRefused("invalid_number", _("Skriv %(bounds)s.") % {"bounds": bounds})
    number = int(cleaned)
    if (low is not None and number < low) or (high is not None and number > high):
        raise AnswerRefused("out_of_range", _("Skriv %(bounds)s.") % {"bounds": bounds})
    return number


def _place_value(kept_ids: list[str], typed: str) -> list[dict[str, str]] | None:
    places: list[dict[str, str]] = []
    for concept_id in dict.fromkeys(kept_ids):
        concept = taxonomy.concept_get(concept_id=concept_id)
        if concept is None or concept.type not in PLACE_TYPES:
            raise AnswerRefused(
                "invalid_place", _("En av de valda orterna finns inte. Välj orten på nytt.")
            )
        places.append({"id": concept.concept_id, "type": concept.type})
    if typed:
        found = place_resolve(name=typed)
        if found["id"] not in {p["id"] for p in places}:
            places.append(found)
    if len(places) > MAX_PLACES:
        raise AnswerRefused("too_many_places", _("Välj högst %(max)s orter.") % {"max": MAX_PLACES})
    return places or None


def place_resolve(*, name: str) -> dict[str, str]:
    """The municipality or region a typed name means, or AnswerRefused with suggestions.

    An exact label (ignoring case) wins; a single close match is taken; several close matches are
    offered back as suggestions, so the client picks one instead of us guessing.
    """
    try:
        hits = taxonomy.concept_autocomplete(query=name, types=list(PLACE_TYPES), limit=6)
    except ValueError:
        hits = []
    wanted = name.casefold()
    exact = [h for h in hits if h.label.casefold() == wanted]
    if len(exact) >= 1:
        return {"id": exact[0].concept_id, "type": exact[0].type}
    if len(hits) == 1:
        return {"id": hits[0].concept_id, "type": hits[0].type}
    if not hits:
        raise AnswerRefused(
            "unknown_place",
            _(
                "Vi hittar ingen kommun eller något län som heter ”%(name)s”. "
                "Kontrollera stavningen."
            )
            % {"name": name},
        )
    raise AnswerRefused(
        "ambiguous_place",
        _("Vilken ort menar du med ”%(name)s”? Välj en av orterna nedan och spara igen.")
        % {"name": name},
        suggestions=[{"id": h.concept_id, "type": h.type, "label": h.label} for h in hits],
    )


def answer_value_to_raw(*, question: Question, value: Any) -> RawAnswer:
    """The form values that would post `value` again (to redisplay it, or to re-check it)."""
    if answer_value_is_empty(value):
        return RawAnswer(values=[])
    kind = question.kind
    if kind == QuestionKind.YESNO:
        return RawAnswer(values=["yes" if value else "no"])
    if kind == QuestionKind.MULTI:
        return RawAnswer(values=[str(v) for v in value])
    if kind == QuestionKind.PLACE:
        return RawAnswer(values=[str(p.get("id", "")) for p in value if isinstance(p, dict)])
    return RawAnswer(values=[str(value)])
