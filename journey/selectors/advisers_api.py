"""Read-only views of the journey for the adviser portal (`advisers`), in bulk.

The adviser portal must show a caseload of 150 clients with journey signals in a handful of
queries, so these selectors take many client ids at once. They read only; authorisation
(relationship, consent, audit) is the caller's job (`vagval.consent.access`).

- `journey_signals_for_clients(*, client_ids)`: per client the facts a caseload needs
  (stage, dates, last activity, current-state priority and its reason codes, energy, CV
  activity, occupations held, places). Two queries however many clients.
- `journey_glance(*, client_id, language)`: one client's journey at a glance for the adviser's
  client view (current state sentences, competences, CVs, recent changes).
- `client_ids_with_profile(*, created_after, limit)`: clients who have started the journey,
  for intake.

Steps 3 and 5 (targets, applications) add their fields here as they land; until then the
corresponding fields are empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import DateTimeField, Max, OuterRef, Subquery

from journey.models import (
    Answer,
    ClientProfile,
    CompetenceInventory,
    CompetenceProfile,
    CurrentState,
    CvUpload,
    JourneyChange,
)
from journey.services.current_state import PATH_LABELS
from vagval.taxonomy import selectors as taxonomy

from . import language_code
from .changes import journey_changes_recent
from .current_state import current_state_latest_get, current_state_sentences


@dataclass
class JourneySignals:
    """What the adviser's caseload needs to know about one client's journey."""

    client_id: int
    stage: str
    status: str
    notice_date: dt.date | None
    last_working_day: dt.date | None
    started_at: dt.datetime
    last_activity_at: dt.datetime
    priority: str = ""  # CurrentState.priority ("high"/"normal"/"low"), "" before step 1
    priority_reason_codes: list[str] = field(default_factory=list)
    energy: int | None = None
    wellbeing: int | None = None
    economic_runway: str = ""
    cv_updated_at: dt.datetime | None = None
    last_application_at: dt.datetime | None = None  # step 5 (not built yet)
    occupation_ids: list[str] = field(default_factory=list)
    region_ids: list[str] = field(default_factory=list)
    municipality_ids: list[str] = field(default_factory=list)


def _latest(model: Any, column: str, **filters: Any) -> Subquery:
    return Subquery(
        model.objects.filter(client=OuterRef("pk"), **filters)
        .order_by(f"-{column}")
        .values(column)[:1],
        output_field=DateTimeField(),
    )


def journey_signals_for_clients(*, client_ids: Iterable[int]) -> dict[int, JourneySignals]:
    """{client id: JourneySignals} for the clients that have a journey profile (2 queries)."""
    ids = list(client_ids)
    if not ids:
        return {}
    latest_state = CurrentState.objects.filter(client=OuterRef("pk")).order_by("-revision")
    latest_competence = CompetenceProfile.objects.filter(client=OuterRef("pk")).order_by(
        "-revision"
    )
    rows = (
        ClientProfile.objects.filter(pk__in=ids)
        .annotate(
            last_change_at=_latest(JourneyChange, "created_at"),
            last_cv_at=_latest(CvUpload, "uploaded_at"),
            last_answer_at=Subquery(
                Answer.objects.filter(response__client=OuterRef("pk"))
                .order_by()
                .values("response__client")
                .annotate(m=Max("answered_at"))
                .values("m")[:1],
                output_field=DateTimeField(),
            ),
            competence_at=Subquery(
                CompetenceInventory.objects.filter(client=OuterRef("pk")).values("updated_at")[:1],
                output_field=DateTimeField(),
            ),
            state_id=Subquery(latest_state.values("pk")[:1]),
            competence_id=Subquery(latest_competence.values("pk")[:1]),
        )
        .values(
            "pk",
            "journey_stage",
            "status",
            "notice_date",
            "last_working_day",
            "created_at",
            "updated_at",
            "last_change_at",
            "last_cv_at",
            "last_answer_at",
            "competence_at",
            "state_id",
            "competence_id",
        )
    )
    signals: dict[int, JourneySignals] = {}
    state_ids: dict[int, int] = {}
    competence_ids: dict[int, int] = {}
    for row in rows:
        moments = [
            m
            for m in (
                row["updated_at"],
                row["last_change_at"],
                row["last_cv_at"],
                row["last_answer_at"],
                row["competence_at"],
            )
            if m is not None
        ]
        signals[row["pk"]] = JourneySignals(
            client_id=row["pk"],
            stage=row["journey_stage"],
            status=row["status"],
            notice_date=row["notice_date"],
            last_working_day=row["last_working_day"],
            started_at=row["created_at"],
            last_activity_at=max(moments),
            cv_updated_at=row["last_cv_at"],
        )
        if row["state_id"]:
            state_ids[row["state_id"]] = row["pk"]
        if row["competence_id"]:
            competence_ids[row["competence_id"]] = row["pk"]
    if state_ids:
        for state in CurrentState.objects.filter(pk__in=list(state_ids)).only(
            "pk",
            "priority",
            "priority_reasons",
            "energy",
            "wellbeing",
            "economic_runway",
            "region_ids",
            "municipality_ids",
        ):
            s = signals[state_ids[state.pk]]
            s.priority = state.priority
            s.priority_reason_codes = [
                r.get("code", "") for r in state.priority_reasons if isinstance(r, dict)
            ]
            s.energy = state.energy
            s.wellbeing = state.wellbeing
            s.economic_runway = state.economic_runway
            s.region_ids = list(state.region_ids)
            s.municipality_ids = list(state.municipality_ids)
    if competence_ids:
        for profile in CompetenceProfile.objects.filter(pk__in=list(competence_ids)).only(
            "pk", "occupations"
        ):
            signals[competence_ids[profile.pk]].occupation_ids = profile.occupation_ids
    return signals


@dataclass
class JourneyGlance:
    """One client's journey as the adviser's client view shows it."""

    stage: str
    stage_label: str
    status_label: str
    notice_date: dt.date | None
    last_working_day: dt.date | None
    state_sentences: list[str] = field(default_factory=list)
    suggested_path: str = ""
    priority: str = ""
    priority_reasons: list[str] = field(default_factory=list)
    wellbeing_facts: list[str] = field(default_factory=list)
    help_wanted: list[str] = field(default_factory=list)
    occupations: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    experience_years: float = 0.0
    cvs: list[tuple[str, dt.datetime]] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)  # step 3 (not built yet)
    applications: list[str] = field(default_factory=list)  # step 5 (not built yet)
    changes: list[tuple[dt.datetime, str, str]] = field(default_factory=list)


def journey_glance(*, client_id: int, language: str) -> JourneyGlance | None:
    """The journey at a glance, or None if the client has not started it."""
    language = language_code(language)
    en = language == "en"
    profile = ClientProfile.objects.filter(pk=client_id).first()
    if profile is None:
        return None
    glance = JourneyGlance(
        stage=profile.journey_stage,
        stage_label=str(profile.get_journey_stage_display()),  # type: ignore[attr-defined]
        status_label=str(profile.get_status_display()),  # type: ignore[attr-defined]
        notice_date=profile.notice_date,
        last_working_day=profile.last_working_day,
    )
    state = current_state_latest_get(client=profile)
    if state is not None:
        labels = taxonomy.concept_labels(concept_ids=state.place_ids) if state.place_ids else {}
        glance.state_sentences = current_state_sentences(
            state=state, place_labels=labels, language=language
        )
        glance.suggested_path = PATH_LABELS[state.suggested_path][1 if en else 0]
        glance.priority = state.priority
        glance.priority_reasons = [
            r.get(language) or r.get("sv", "") for r in state.priority_reasons
        ]
        runway = str(state.get_economic_runway_display())  # type: ignore[attr-defined]
        glance.wellbeing_facts = [
            (f"Energy: {state.energy}/5" if en else f"Energi: {state.energy}/5")
            if state.energy
            else "",
            (f"Wellbeing: {state.wellbeing}/5" if en else f"Mående: {state.wellbeing}/5")
            if state.wellbeing
            else "",
            (f"Economic runway: {runway}" if en else f"Ekonomisk marginal: {runway}"),
        ]
        glance.wellbeing_facts = [f for f in glance.wellbeing_facts if f]
        glance.help_wanted = list(state.help_wanted)
    competence = CompetenceProfile.objects.filter(client=profile).order_by("-revision").first()
    if competence is not None:
        glance.occupations = [o.get("label", "") for o in competence.occupations]
        glance.skills = [s.get("label", "") for s in competence.skills]
        glance.languages = [entry.get("label", "") for entry in competence.languages]
        glance.experience_years = competence.experience_years
    glance.cvs = list(
        CvUpload.objects.filter(client=profile)
        .order_by("-uploaded_at")
        .values_list("filename", "uploaded_at")[:10]
    )
    glance.changes = [
        (c.created_at, c.step, c.message(language))
        for c in journey_changes_recent(client=profile, limit=30)
    ]
    return glance


def client_ids_with_profile(
    *, created_after: dt.datetime | None = None, exclude_ids: Iterable[int] = (), limit: int = 200
) -> list[int]:
    """Ids of clients who have started the journey (oldest first), for intake."""
    qs = ClientProfile.objects.filter(user__is_active=True)
    if created_after is not None:
        qs = qs.filter(created_at__gte=created_after)
    excluded = list(exclude_ids)
    if excluded:
        qs = qs.exclude(pk__in=excluded)
    return list(qs.order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
