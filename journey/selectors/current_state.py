"""Reads of step 1's output: the latest CurrentState, the summary page, and step 1's status.

`current_state_latest_get` is what steps 2, 3 and 5 read instead of asking the client again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import formats

from journey.conditions import visible_question_keys
from journey.models import (
    ClientProfile,
    CurrentState,
    Driver,
    EmploymentStatus,
    Hours,
    JourneyStep,
    Openness,
    QuestionKind,
    QuestionnaireResponse,
    RemoteWish,
)
from journey.services.answer_values import answer_value_is_empty
from journey.services.current_state import PATH_LABELS
from vagval.taxonomy import selectors as taxonomy

from . import language_code
from .questionnaire import answer_display, questionnaire_sections_shown
from .steps import StepStatus


def current_state_latest_get(*, client: ClientProfile) -> CurrentState | None:
    """The client's current state (newest revision), or None before step 1 is completed."""
    return CurrentState.objects.filter(client=client).order_by("-revision").first()


def current_state_history(*, client: ClientProfile) -> list[CurrentState]:
    return list(CurrentState.objects.filter(client=client).order_by("-revision"))


def response_latest_get(*, client: ClientProfile) -> QuestionnaireResponse | None:
    """The client's newest step 1 response (started or completed), with its questionnaire."""
    return (
        QuestionnaireResponse.objects.filter(client=client)
        .select_related("questionnaire")
        .order_by("-id")
        .first()
    )


# ---- summary page ----------------------------------------------------------------------------


@dataclass
class SummaryItem:
    key: str
    question: str
    answer: str
    edit_url: str
    missing: bool = False


@dataclass
class SummarySection:
    key: str
    title: str
    items: list[SummaryItem]
    edit_url: str


@dataclass
class Summary:
    """What the client has told us, in plain language, with links back to each question."""

    state: CurrentState | None
    response: QuestionnaireResponse
    sentences: list[str] = field(default_factory=list)
    path_label: str = ""
    path_reasons: list[str] = field(default_factory=list)
    sections: list[SummarySection] = field(default_factory=list)


_STAGE_SENTENCES = {
    EmploymentStatus.AT_RISK: ("Din tjänst kan komma att försvinna.", "Your job may disappear."),
    EmploymentStatus.NOTICE: (
        "Du är uppsagd och går din uppsägningstid.",
        "You are in your notice period.",
    ),
    EmploymentStatus.LEFT: ("Din anställning har upphört.", "Your employment has ended."),
}
_DRIVER_WORDS = {
    Driver.DEVELOPMENT: ("att utvecklas", "developing"),
    Driver.SECURITY: ("trygghet", "security"),
    Driver.SALARY: ("lön", "salary"),
    Driver.MEANING: ("meningsfullt arbete", "meaningful work"),
    Driver.FLEXIBILITY: ("flexibilitet", "flexibility"),
    Driver.COLLEAGUES: ("bra kollegor", "good colleagues"),
    Driver.LEADERSHIP: ("att leda andra", "leading others"),
}
_REMOTE_WORDS = {
    RemoteWish.ONSITE: ("på arbetsplatsen", "at the workplace"),
    RemoteWish.HYBRID: ("delvis hemifrån", "partly from home"),
    RemoteWish.REMOTE: ("helt hemifrån", "fully from home"),
}
_HOURS_WORDS = {
    Hours.FULL: ("heltid", "full time"),
    Hours.PART: ("deltid", "part time"),
    Hours.EITHER: ("heltid eller deltid", "full or part time"),
}


def _join(words: list[str], language: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {'and' if language == 'en' else 'och'} {words[-1]}"


def current_state_sentences(
    *, state: CurrentState, place_labels: dict[str, str], language: str
) -> list[str]:
    """A few short sentences that say back what the client told us."""
    en = language == "en"
    pick = 1 if en else 0
    out: list[str] = []
    if state.stage in _STAGE_SENTENCES:
        sentence = _STAGE_SENTENCES[EmploymentStatus(state.stage)][pick]
        if state.last_working_day:
            day = formats.date_format(state.last_working_day, "j F Y")
            sentence += f" Last working day: {day}." if en else f" Sista anställningsdag: {day}."
        out.append(sentence)
    top = state.top_drivers or sorted(state.drivers, key=lambda d: -state.drivers[d])[:3]
    words = [_DRIVER_WORDS[Driver(d)][pick] for d in top if d in Driver.values]
    if words:
        joined = _join(words, language)
        out.append(
            f"What matters most to you: {joined}." if en else f"Viktigast för dig: {joined}."
        )
    places = [place_labels.get(cid, cid) for cid in state.place_ids]
    if places:
        where = _join(places, language)
        sentence = f"You want to work in {where}" if en else f"Du vill arbeta i {where}"
        if state.max_commute_minutes:
            minutes = state.max_commute_minutes
            sentence += (
                f", at most {minutes} minutes away" if en else f", högst {minutes} minuters resväg"
            )
        out.append(sentence + ".")
    conditions = []
    if state.hours in _HOURS_WORDS:
        conditions.append(_HOURS_WORDS[Hours(state.hours)][pick])
    if state.remote in _REMOTE_WORDS:
        conditions.append(_REMOTE_WORDS[RemoteWish(state.remote)][pick])
    if conditions:
        joined = ", ".join(conditions)
        out.append(f"You want to work {joined}." if en else f"Du vill arbeta {joined}.")
    if state.salary_floor:
        amount = f"{state.salary_floor:,}".replace(",", "\u00a0")
        out.append(
            f"Lowest monthly salary: {amount} kronor." if en else f"Lägsta månadslön: {amount} kr."
        )
    open_to = [
        word[pick]
        for flag, word in (
            (state.open_new_occupation, ("ett nytt yrke", "a new occupation")),
            (state.open_studies, ("studier", "studies")),
            (state.open_own_business, ("eget företag", "your own business")),
        )
        if flag in (Openness.YES, Openness.MAYBE)
    ]
    if open_to:
        joined = _join(open_to, language)
        out.append(f"You are open to {joined}." if en else f"Du är öppen för {joined}.")
    return out


def current_state_summary_build(
    *, client: ClientProfile, language: str, response: QuestionnaireResponse | None = None
) -> Summary | None:
    """The "Det här har du berättat" page: sentences, suggested path, and every answer with an
    edit link. None if the client has not started step 1. Pass the client's current `response`
    if the caller has it already (it saves a query)."""
    language = language_code(language)
    if response is None:
        response = response_latest_get(client=client)
    if response is None:
        return None
    state = current_state_latest_get(client=client)
    questions = list(response.questionnaire.questions.order_by("order"))
    values = {
        key: value
        for key, value in response.answers.values_list("question_key", "value")
        if not answer_value_is_empty(value)
    }
    shown = visible_question_keys([(q.key, q.show_if) for q in questions], values)
    place_ids = [
        p.get("id", "")
        for q in questions
        if q.kind == QuestionKind.PLACE
        for p in values.get(q.key) or []
        if isinstance(p, dict)
    ]
    if state is not None:
        place_ids += state.place_ids
    labels = taxonomy.concept_labels(concept_ids=place_ids) if place_ids else {}
    summary = Summary(state=state, response=response)
    if state is not None:
        summary.sentences = current_state_sentences(
            state=state, place_labels=labels, language=language
        )
        summary.path_label = PATH_LABELS[state.suggested_path][1 if language == "en" else 0]
        summary.path_reasons = [r.get(language) or r.get("sv", "") for r in state.path_reasons]
    sections = questionnaire_sections_shown(
        questionnaire=response.questionnaire, questions=questions, shown=shown, language=language
    )
    shown_set = set(shown)
    for section in sections:
        base = reverse("journey:current_state_section", kwargs={"section": section.key})
        items = [
            SummaryItem(
                key=q.key,
                question=q.text(language),
                answer=answer_display(
                    question=q, value=values.get(q.key), language=language, place_labels=labels
                ),
                edit_url=f"{base}?tillbaka=sammanfattning#q-{q.key}",
                missing=q.key not in values,
            )
            for q in questions
            if q.section == section.key and q.key in shown_set
        ]
        summary.sections.append(
            SummarySection(section.key, section.title, items, f"{base}?tillbaka=sammanfattning")
        )
    return summary


# ---- step status for Min resa --------------------------------------------------------------


def current_state_step_status(*, client: ClientProfile, language: str) -> StepStatus:
    """Step 1 on Min resa: not started, in progress (how far), or done (what it knows)."""
    language = language_code(language)
    en = language == "en"
    # One query: the newest response, with what Min resa shows of the newest state alongside
    # (the page has a budget of ten queries for all five steps).
    latest_state = CurrentState.objects.filter(client=OuterRef("client")).order_by("-revision")
    response = (
        QuestionnaireResponse.objects.filter(client=client)
        .annotate(
            state_path=Subquery(latest_state.values("suggested_path")[:1]),
            state_stage=Subquery(latest_state.values("stage")[:1]),
            state_municipalities=Subquery(latest_state.values("municipality_ids")[:1]),
            state_regions=Subquery(latest_state.values("region_ids")[:1]),
        )
        .order_by("-id")
        .first()
    )
    start_url = reverse("journey:current_state_start")
    status = StepStatus(
        step=JourneyStep.CURRENT_STATE,
        number=1,
        title="Where you stand now" if en else "Nulägesanalys",
        state=StepStatus.NOT_STARTED,
        url=start_url,
        action="Start the analysis" if en else "Börja med nulägesanalysen",
    )
    if response is None:
        status.facts = [
            "About ten minutes: your situation, what matters to you and how you want to move on."
            if en
            else "Ungefär tio minuter: din situation, vad som är viktigt för dig och hur du vill "
            "gå vidare."
        ]
        return status
    if not response.is_completed:
        status.state = StepStatus.IN_PROGRESS
        status.action = "Continue where you left off" if en else "Fortsätt där du slutade"
        done, total = response.answered_count, response.shown_count
        status.facts = [
            f"{done} of {total} questions answered."
            if en
            else f"{done} av {total} frågor besvarade."
        ]
        return status
    status.state = StepStatus.DONE
    status.url = reverse("journey:current_state_summary")
    status.action = "See and edit your answers" if en else "Se och ändra dina svar"
    state_path: str | None = getattr(response, "state_path", None)
    if state_path in PATH_LABELS:
        path = PATH_LABELS[state_path][1 if en else 0]
        facts = [f"Suggested path: {path}." if en else f"Föreslagen väg: {path}."]
        stage = getattr(response, "state_stage", "")
        if stage in _STAGE_SENTENCES:
            facts.append(_STAGE_SENTENCES[EmploymentStatus(stage)][1 if en else 0])
        places = len(_json_list(getattr(response, "state_municipalities", None))) + len(
            _json_list(getattr(response, "state_regions", None))
        )
        if places:
            facts.append(
                f"{places} place(s) where you want to work."
                if en
                else f"{places} {'ort' if places == 1 else 'orter'} där du vill arbeta."
            )
        status.facts = facts
    return status


def _json_list(value: Any) -> list[Any]:
    """A JSON list from a subquery (decoded by the JSONField, or still text on some backends)."""
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, list) else []


def current_state_as_dict(*, state: CurrentState) -> dict[str, Any]:
    """A CurrentState as plain JSON-ready values (the portable profile and the API use this)."""
    data = state.content()
    for name in ("notice_date", "last_working_day"):
        data[name] = data[name].isoformat() if data[name] else None
    data.update(
        revision=state.revision,
        schema_version=state.schema_version,
        computed_at=state.computed_at.isoformat(),
        computed_from_response=state.computed_from_id,
        computed_from_version=state.computed_from_version,
    )
    return data
