"""Reads for step 1's questionnaire pages: a section with its questions, ready to render.

A page shows what is stored, except where the client's post was refused: then the posted raw
values are shown instead (with the message), so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from journey.conditions import visible_question_keys
from journey.models import Question, QuestionKind, Questionnaire, QuestionnaireResponse
from journey.services.answer_values import RawAnswer, answer_value_is_empty, answer_value_to_raw
from journey.services.questionnaire import QuestionOutcome
from vagval.taxonomy import selectors as taxonomy

from . import language_code


@dataclass
class OptionView:
    value: str
    label: str
    selected: bool
    dom_id: str


@dataclass
class PlaceView:
    concept_id: str
    label: str
    kind: str  # "municipality" | "region"


@dataclass
class QuestionView:
    key: str
    kind: str
    text: str
    help: str
    required: bool
    shown: bool
    revision: int
    options: list[OptionView] = field(default_factory=list)
    text_value: str = ""  # date, number and text inputs; the typed name of a place
    places: list[PlaceView] = field(default_factory=list)  # chosen places
    suggestions: list[PlaceView] = field(default_factory=list)  # "did you mean" places
    error: str = ""
    error_code: str = ""
    saved: bool = False
    min_value: int | None = None
    max_value: int | None = None
    max_choices: int | None = None

    @property
    def dom_id(self) -> str:
        return f"q-{self.key}"

    @property
    def input_name(self) -> str:
        return f"q-{self.key}"

    @property
    def uses_fieldset(self) -> bool:
        """Choices are grouped in a fieldset with a legend; single inputs have a label."""
        return self.kind in ("single", "multi", "scale", "yesno", "place")


@dataclass
class SectionLink:
    key: str
    title: str
    number: int


@dataclass
class SectionPage:
    questionnaire: Questionnaire
    response: QuestionnaireResponse
    section: SectionLink
    intro: str
    sections: list[SectionLink]  # the sections shown, in order
    questions: list[QuestionView]
    previous: SectionLink | None
    next: SectionLink | None
    form_error: str = ""

    @property
    def total(self) -> int:
        return len(self.sections)

    @property
    def errors(self) -> list[QuestionView]:
        return [q for q in self.questions if q.error]

    @property
    def is_last(self) -> bool:
        return self.next is None

    @property
    def percent(self) -> int:
        response = self.response
        return (
            round(100 * response.answered_count / response.shown_count)
            if response.shown_count
            else 0
        )


def _label(item: Mapping[str, Any], language: str) -> str:
    return str(item.get(f"label_{language}") or item.get("label_sv") or item.get("value"))


def _section_title(section: Mapping[str, Any], language: str) -> str:
    return str(section.get(f"title_{language}") or section.get("title_sv") or section["key"])


def questionnaire_sections_shown(
    *,
    questionnaire: Questionnaire,
    questions: Sequence[Question],
    shown: Sequence[str],
    language: str,
) -> list[SectionLink]:
    """The sections with at least one shown question, numbered from 1."""
    with_shown = {q.section for q in questions if q.key in set(shown)}
    links: list[SectionLink] = []
    for section in questionnaire.sections:
        if section["key"] in with_shown:
            links.append(
                SectionLink(section["key"], _section_title(section, language), len(links) + 1)
            )
    return links


def response_answers_get(*, response: QuestionnaireResponse) -> dict[str, tuple[Any, int]]:
    """key -> (stored value, revision), including cleared answers (value None)."""
    return {
        key: (value, revision)
        for key, value, revision in response.answers.values_list(
            "question_key", "value", "revision"
        )
    }


def section_page_build(
    *,
    response: QuestionnaireResponse,
    section: str,
    language: str,
    posted: Mapping[str, RawAnswer] | None = None,
    outcomes: Mapping[str, QuestionOutcome] | None = None,
    form_error: str = "",
) -> SectionPage | None:
    """The page for one section, or None if the section does not exist or has nothing shown.

    `posted` holds raw values to show instead of the stored ones (for refused questions, or for
    the whole page when the post as a whole was refused); `outcomes` gives per-question messages.
    """
    language = language_code(language)
    questionnaire = response.questionnaire
    questions = list(questionnaire.questions.order_by("order"))
    stored = response_answers_get(response=response)
    values = {k: v for k, (v, _) in stored.items() if not answer_value_is_empty(v)}
    shown = visible_question_keys([(q.key, q.show_if) for q in questions], values)
    sections = questionnaire_sections_shown(
        questionnaire=questionnaire, questions=questions, shown=shown, language=language
    )
    current = next((s for s in sections if s.key == section), None)
    if current is None:
        return None
    section_def = next(s for s in questionnaire.sections if s["key"] == section)
    in_section = [q for q in questions if q.section == section]
    posted = posted or {}
    outcomes = outcomes or {}
    place_ids = _place_ids(in_section, values, posted, outcomes)
    place_labels = taxonomy.concept_labels(concept_ids=place_ids) if place_ids else {}
    views = [
        question_view_build(
            question=q,
            stored=stored.get(q.key),
            shown=q.key in shown,
            language=language,
            raw=posted.get(q.key),
            outcome=outcomes.get(q.key),
            place_labels=place_labels,
        )
        for q in in_section
    ]
    position = sections.index(current)
    return SectionPage(
        questionnaire=questionnaire,
        response=response,
        section=current,
        intro=str(section_def.get(f"intro_{language}") or section_def.get("intro_sv") or ""),
        sections=sections,
        questions=views,
        previous=sections[position - 1] if position > 0 else None,
        next=sections[position + 1] if position + 1 < len(sections) else None,
        form_error=form_error,
    )


def _place_ids(
    questions: Sequence[Question],
    values: Mapping[str, Any],
    posted: Mapping[str, RawAnswer],
    outcomes: Mapping[str, QuestionOutcome],
) -> list[str]:
    ids: list[str] = []
    for q in questions:
        if q.kind != QuestionKind.PLACE:
            continue
        ids += [p.get("id", "") for p in values.get(q.key) or [] if isinstance(p, dict)]
        if q.key in posted:
            ids += list(posted[q.key].values)
        if q.key in outcomes:
            ids += [s["id"] for s in outcomes[q.key].suggestions]
    return [i for i in dict.fromkeys(ids) if i]


def question_view_build(
    *,
    question: Question,
    stored: tuple[Any, int] | None,
    shown: bool,
    language: str,
    raw: RawAnswer | None = None,
    outcome: QuestionOutcome | None = None,
    place_labels: Mapping[str, str] | None = None,
) -> QuestionView:
    """One question ready to render: stored answer, or the refused raw input with its error."""
    value, revision = stored if stored is not None else (None, 0)
    if outcome is not None:
        revision = outcome.revision
    if raw is None or (outcome is not None and not outcome.refused):
        raw = answer_value_to_raw(question=question, value=value)
    selected = {v for v in raw.values if v}
    view = QuestionView(
        key=question.key,
        kind=question.kind,
        text=question.text(language),
        help=question.help(language),
        required=question.required,
        shown=shown,
        revision=revision,
        min_value=question.min_value,
        max_value=question.max_value,
        max_choices=question.max_choices,
        error=outcome.message if outcome is not None and outcome.refused else "",
        error_code=outcome.code if outcome is not None and outcome.refused else "",
        saved=outcome is not None and outcome.status == "saved",
    )
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTI, QuestionKind.SCALE):
        options = question.options or (
            [{"value": v, "label_sv": str(v)} for v in (1, 2, 3, 4, 5)] if kind == "scale" else []
        )
        view.options = [
            OptionView(
                value=str(o["value"]),
                label=_label(o, language),
                selected=str(o["value"]) in selected,
                dom_id=f"q-{question.key}-{index}",
            )
            for index, o in enumerate(options)
        ]
    elif kind == QuestionKind.YESNO:
        yes, no = ("Yes", "No") if language == "en" else ("Ja", "Nej")
        view.options = [
            OptionView("yes", yes, "yes" in selected, f"q-{question.key}-yes"),
            OptionView("no", no, "no" in selected, f"q-{question.key}-no"),
        ]
    elif kind == QuestionKind.PLACE:
        labels = place_labels or {}
        stored_types = {p.get("id"): p.get("type", "") for p in value or [] if isinstance(p, dict)}
        view.places = [
            PlaceView(cid, labels.get(cid, cid), stored_types.get(cid, ""))
            for cid in raw.values
            if cid
        ]
        view.text_value = raw.add
        if outcome is not None:
            view.suggestions = [
                PlaceView(
                    s["id"], s.get("label") or labels.get(s["id"], s["id"]), s.get("type", "")
                )
                for s in outcome.suggestions
                if s["id"] not in selected
            ]
    else:
        view.text_value = raw.values[0] if raw.values else ""
    return view


def answer_display(
    *, question: Question, value: Any, language: str, place_labels: Mapping[str, str]
) -> str:
    """An answer in words, for the summary page ("Heltid", "Göteborg, Mölndal", "Ja")."""
    language = language_code(language)
    if answer_value_is_empty(value):
        return ""
    kind = question.kind
    labels = {str(o["value"]): _label(o, language) for o in question.options}
    if kind in (QuestionKind.SINGLE,):
        return labels.get(str(value), str(value))
    if kind == QuestionKind.SCALE:
        label = labels.get(str(value))
        return f"{value} – {label}" if label else str(value)
    if kind == QuestionKind.MULTI:
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if kind == QuestionKind.YESNO:
        if language == "en":
            return "Yes" if value else "No"
        return "Ja" if value else "Nej"
    if kind == QuestionKind.PLACE:
        return ", ".join(
            place_labels.get(p.get("id", ""), p.get("id", "")) for p in value if isinstance(p, dict)
        )
    if kind == QuestionKind.NUMBER:
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)
