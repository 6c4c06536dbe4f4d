"""Reads of step 3, the labour-market inventory: its page, and its status on Min resa.

Public API for later steps (read these, never step 3's rows):

- `search_profile_get(*, client)`: the newest SearchProfile (or None before step 3).
- `market_targets(*, client)`: the chosen target occupations as [{"concept_id", "label",
  "ssyk", "group_id"}] (the CV tooling writes one CV per target).
- `search_profile_as_dict` / `market_plan_as_dict`: the portable-profile forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from journey.matchprofile import MatchInputs
from journey.models import ClientProfile, JourneyStep, MarketPlan, RemoteWish, SearchProfile
from vagval.matching.labour_market import LEVELS, TRENDS, get_labour_market
from vagval.matching.taxonomy_view import get_taxonomy_view

from . import language_code
from .steps import StepStatus

CHART_REGIONS = 21  # every län


def search_profile_get(*, client: ClientProfile) -> SearchProfile | None:
    return SearchProfile.objects.filter(client=client).order_by("-revision").first()


def market_plan_get(*, client: ClientProfile) -> MarketPlan | None:
    return MarketPlan.objects.filter(client=client).order_by("-revision").first()


def market_targets(*, client: ClientProfile) -> list[dict[str, Any]]:
    search = search_profile_get(client=client)
    return list(search.target_occupations) if search else []


def search_profile_as_dict(*, profile: SearchProfile) -> dict[str, Any]:
    data = profile.content()
    data.update(
        revision=profile.revision,
        schema_version=profile.schema_version,
        source=profile.source,
        created_at=profile.created_at.isoformat(),
        state_revision=profile.state_revision,
    )
    return data


def market_plan_as_dict(*, plan: MarketPlan) -> dict[str, Any]:
    return {
        "revision": plan.revision,
        "schema_version": plan.schema_version,
        "computed_at": plan.computed_at.isoformat(),
        "suggestions": plan.suggestions,
        "regions": plan.regions,
        "targets": plan.targets,
        "state_revision": plan.state_revision,
        "competence_revision": plan.competence_revision,
        "search_revision": plan.search_revision,
        "chosen_at": plan.chosen_at.isoformat() if plan.chosen_at else None,
    }


# ---- the step 3 page ------------------------------------------------------------------------


@dataclass
class ChartRow:
    region_id: str
    label: str
    active: int
    ads_2024: int
    percent: int  # bar width, of the largest 2024 figure shown
    is_mine: bool


@dataclass
class Suggestion:
    concept_id: str
    label: str
    ssyk: str
    group_id: str
    reasons: list[str]
    matched: list[str]
    missing: list[str]
    active_ads: int
    ads_2024: int | None
    salary: dict[str, Any] | None
    chosen: bool
    chart: list[ChartRow] = field(default_factory=list)
    outlook: str = ""  # the Yrkesbarometer fact on the card, with its year and horizon


def _outlook_fact(outlook: dict[str, Any] | None, en: bool) -> str:
    """'Yrkesbarometern 2025, Stockholms län: stora möjligheter till arbete; efterfrågan
    väntas vara oförändrad till 2030.'"""
    if not outlook or not outlook.get("level"):
        return ""
    level_sv, level_en = LEVELS.get(outlook["level"], (outlook["level"], outlook["level"]))
    trend_sv, trend_en = TRENDS.get(outlook.get("trend", ""), (outlook.get("trend", ""),) * 2)
    year, horizon = outlook.get("year"), int(outlook.get("horizon_years") or 5)
    where = outlook.get("region_label") or ("Sweden" if en else "Sverige")
    until = f"{year + horizon}" if year else (f"in {horizon} years" if en else f"om {horizon} år")
    if en:
        return (
            f"Yrkesbarometer {year or ''}, {where}: {level_en.lower()} chances of work; "
            f"demand expected to {trend_en} until {until}."
        ).replace("Yrkesbarometer ,", "Yrkesbarometer,")
    return (
        f"Yrkesbarometern {year or ''}, {where}: {level_sv.lower()} möjligheter till arbete; "
        f"efterfrågan väntas {trend_sv} till {until}."
    ).replace("Yrkesbarometern ,", "Yrkesbarometern,")


@dataclass
class Place:
    concept_id: str
    label: str
    kind: str  # "municipality" | "region"


@dataclass
class MarketPage:
    plan: MarketPlan | None
    suggestions: list[Suggestion]
    targets: list[dict[str, Any]]  # the chosen ones, including any not among the suggestions
    places: list[Place]
    max_commute_minutes: int | None
    remote: str
    prefilled_from_state: bool  # nothing chosen here yet: the form shows step 1's answers
    has_competences: bool
    region_labels: list[str]
    remote_choices: list[tuple[str, str]] = field(default_factory=list)


def _chart(suggestion: dict[str, Any], mine: set[str], labels: dict[str, str]) -> list[ChartRow]:
    """Demand by region: active ads now and 2024 ads, largest first, the client's regions
    always included."""
    demand = suggestion.get("demand") or {}
    active = demand.get("active_by_region") or {}
    market = get_labour_market()
    by_2024 = demand.get("ads_2024_by_region") or market.ads_by_region(suggestion["group_id"])
    regions = set(by_2024) | set(active) | mine
    rows = sorted(
        (r for r in regions if r in labels),
        key=lambda r: (-(by_2024.get(r, 0)), -(active.get(r, 0)), labels[r]),
    )[:CHART_REGIONS]
    for r in mine:
        if r in labels and r not in rows:
            rows.append(r)
    top = max([by_2024.get(r, 0) for r in rows] + [1])
    return [
        ChartRow(
            region_id=r,
            label=labels[r],
            active=int(active.get(r, 0)),
            ads_2024=int(by_2024.get(r, 0)),
            percent=round(100 * by_2024.get(r, 0) / top),
            is_mine=r in mine,
        )
        for r in rows
    ]


def market_page_get(
    *, client: ClientProfile, plan: MarketPlan | None, inputs: MatchInputs, language: str
) -> MarketPage:
    """What the step 3 page shows (no queries: the plan and the inputs are passed in)."""
    language = language_code(language)
    en = language == "en"
    view = get_taxonomy_view()
    search, state = inputs.search, inputs.state
    if search is not None:
        munis, regions = list(search.municipality_ids), list(search.region_ids)
        commute, remote = search.max_commute_minutes, search.remote
        targets = list(search.target_occupations)
    else:
        munis = list(state.municipality_ids) if state else []
        regions = list(state.region_ids) if state else []
        commute = state.max_commute_minutes if state else None
        remote = state.remote if state else RemoteWish.UNKNOWN
        targets = []
    chosen = {t["concept_id"] for t in targets}
    mine = set(plan.regions) if plan else set()
    labels = dict(view.region_label)
    suggestions = []
    for s in plan.suggestions if plan else []:
        demand = s.get("demand") or {}
        suggestions.append(
            Suggestion(
                concept_id=s["concept_id"],
                label=(view.label_en.get(s["concept_id"]) or s["label"]) if en else s["label"],
                ssyk=s.get("ssyk", ""),
                group_id=s.get("group_id", ""),
                reasons=[r["en" if en else "sv"] for r in s.get("reasons", [])],
                matched=[m["label"] for m in s.get("matched_skills", [])],
                missing=[m["label"] for m in s.get("missing_skills", [])],
                active_ads=int(demand.get("active_ads") or 0),
                ads_2024=demand.get("ads_2024"),
                salary=demand.get("salary"),
                chosen=s["concept_id"] in chosen,
                chart=_chart(s, mine, labels),
                outlook=_outlook_fact(demand.get("outlook"), en),
            )
        )
    places = [Place(m, view.municipality_label.get(m, m), "municipality") for m in munis]
    places += [Place(r, view.region_label.get(r, r), "region") for r in regions]
    return MarketPage(
        plan=plan,
        suggestions=suggestions,
        targets=targets,
        places=places,
        max_commute_minutes=commute,
        remote=remote,
        prefilled_from_state=search is None,
        has_competences=bool(
            inputs.competence and (inputs.competence.skills or inputs.competence.occupations)
        ),
        region_labels=[labels.get(r, r) for r in (plan.regions if plan else [])],
        remote_choices=[(c.value, str(c.label)) for c in RemoteWish if c != RemoteWish.UNKNOWN],
    )


# ---- step status for Min resa ---------------------------------------------------------------


def market_step_status(*, client: ClientProfile, language: str) -> StepStatus:
    """Step 3 on Min resa (one query when done, two before)."""
    en = language_code(language) == "en"
    status = StepStatus(
        step=JourneyStep.MARKET,
        number=3,
        title="The job market for you" if en else "Arbetsmarknadsinventering",
        state=StepStatus.NOT_STARTED,
        url=reverse("journey:market"),
        action="See occupations for you" if en else "Se yrken som passar dig",
    )
    search = search_profile_get(client=client)
    plan = None
    if search is None or not search.target_occupations:
        plan = market_plan_get(client=client)  # only asked when the step is not done
    if search is not None and search.target_occupations:
        status.state = StepStatus.DONE
        status.action = "Change targets and places" if en else "Ändra mål och orter"
        names = ", ".join(t["label"] for t in search.target_occupations)
        status.facts = [f"Targets: {names}." if en else f"Mål: {names}."]
        if search.place_ids:
            view = get_taxonomy_view()
            where = [
                view.municipality_label.get(p) or view.region_label.get(p, p)
                for p in search.place_ids
            ]
            status.facts.append(
                f"Places: {', '.join(where)}." if en else f"Orter: {', '.join(where)}."
            )
    elif plan is not None and plan.suggestions:
        status.state = StepStatus.IN_PROGRESS
        status.action = "Choose your targets" if en else "Välj dina mål"
        n = len(plan.suggestions)
        status.facts = [
            f"{n} occupations suggested for you." if en else f"{n} yrken föreslagna för dig."
        ]
    else:
        status.facts = [
            "Occupations that fit your competences, with demand where you want to work."
            if en
            else "Yrken som passar dina kompetenser, med efterfrågan där du vill arbeta."
        ]
    return status
