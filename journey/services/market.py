"""Writes of step 3, the labour-market inventory (arbetsmarknadsinventering).

- `market_suggestions_compute`: occupations ranked for the client by `vagval.matching`
  (`occupations_suggest`), each with its reasons (skill overlap, demand, fit with drivers,
  transitions), the skills it lacks, active ads in the client's regions from the ad index, SCB
  salary and 2024 demand by region, the Yrkesbarometer outlook (chances of work now, demand
  over five years, in the client's region when assessed there), and earlier clients' moves
  above the suppression threshold.
- `search_profile_save`: the client's choice on the step 3 page (targets, places, commute and
  remote wish) -> a new `SearchProfile` revision and a chosen `MarketPlan`; then the feed is
  recomputed in a task (the downstream refresh).
- `market_plan_refresh`: the downstream refresher registered with step 1's registry. After a
  change in step 1 or 2 it moves the search profile's places along with step 1 (unless the
  client chose other places here), recomputes the suggestions and says what changed.
- `transition_outcome_record`: an anonymised "moved from group A to group B" for statistics.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from journey.matchprofile import (
    JourneyAdIndex,
    MatchInputs,
    ad_index_get,
    match_inputs_at,
    match_inputs_change_describe,
    match_inputs_get,
    match_profile_build,
)
from journey.models import (
    ChangeKind,
    ClientProfile,
    JourneyStage,
    JourneyStep,
    MarketPlan,
    RemoteWish,
    SearchProfile,
    SearchProfileSource,
    TransitionOutcome,
)
from vagval.matching.labour_market import SWEDEN, get_labour_market
from vagval.matching.occupations import occupations_suggest
from vagval.matching.taxonomy_view import get_taxonomy_view

from .changes import journey_change_record
from .client import client_profile_stage_advance
from .downstream import ChangeNote, client_downstream_refresh_enqueue

SUGGESTIONS_TOP = 10
MAX_TARGETS = 5
MAX_PLACES = 10
MAX_COMMUTE_MINUTES = 300
# Active ads in the client's regions at or above this make "many open jobs" a reason.
MANY_ACTIVE_ADS = 10
STRONG_DRIVER = 0.6  # a driver this important (0-1) is named in a fit reason
# How much a Yrkesbarometer outlook counts when the reasons are ordered (it does not rank).
OUTLOOK_WEIGHT = {"stora": 0.28, "medelstora": 0.12, "små": 0.02}


# ---- suggestions ----------------------------------------------------------------------------


def _regions_of(*, municipalities: Sequence[str], regions: Sequence[str]) -> list[str]:
    view = get_taxonomy_view()
    out = list(dict.fromkeys(regions))
    for m in municipalities:
        r = view.municipality_region.get(m)
        if r and r not in out:
            out.append(r)
    return out


def transitions_observed(*, from_groups: Sequence[str]) -> dict[str, int]:
    """{to group: how many earlier clients moved there} from the client's groups, only for
    groups of at least settings.VAGVAL_SUPPRESSION_THRESHOLD (smaller ones are not shown)."""
    if not from_groups:
        return {}
    threshold = int(settings.VAGVAL_SUPPRESSION_THRESHOLD)
    rows = (
        TransitionOutcome.objects.filter(from_group_id__in=list(from_groups))
        .values("to_group_id")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .order_by()
    )
    return {row["to_group_id"]: row["n"] for row in rows}


def _reason(code: str, sv: str, en: str, weight: float = 0.0) -> dict[str, Any]:
    return {"code": code, "sv": sv, "en": en, "weight": round(float(weight), 4)}


def _kr(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0")


def market_suggestions_compute(
    *, inputs: MatchInputs, jindex: JourneyAdIndex | None = None, top: int = SUGGESTIONS_TOP
) -> tuple[list[dict[str, Any]], list[str]]:
    """The occupations ranked for the client as plain dicts (see MarketPlan.suggestions), and
    the regions demand was counted in. One query (earlier clients' transitions)."""
    jindex = jindex or ad_index_get()
    profile = match_profile_build(inputs=inputs)
    if not (profile.skills or profile.occupations_held or profile.free_text):
        return [], []
    view = get_taxonomy_view()
    market = get_labour_market()
    regions = _regions_of(municipalities=profile.municipalities, regions=profile.regions)
    found = occupations_suggest(profile=profile, top=top, index=jindex.index, market=market)
    active = jindex.active_by_group_region()
    held_groups = [
        view.occupation_group[o] for o in profile.occupations_held if o in view.occupation_group
    ]
    observed = transitions_observed(from_groups=held_groups)
    state = inputs.state
    drivers = profile.drivers
    out: list[dict[str, Any]] = []
    for s in found:
        reasons = [_reason(r.code, r.text_sv, r.text_en, r.weight) for r in s.reasons]
        per_region = active.get(s.group_id, {})
        active_here = (
            sum(per_region.get(r, 0) for r in regions) if regions else sum(per_region.values())
        )
        where_sv = "i dina län" if regions else "i hela landet"
        where_en = "in your regions" if regions else "in all of Sweden"
        if active_here:
            reasons.append(
                _reason(
                    "active_ads",
                    f"{active_here} lediga jobb {where_sv} just nu",
                    f"{active_here} open jobs {where_en} right now",
                    0.3,
                )
            )
        outlook = market.outlook(occupation_id=s.concept_id, ssyk=s.ssyk, regions=regions)
        outlook_data: dict[str, Any] | None = None
        if outlook is not None:
            region = view.region_label.get(outlook.region_id, "")
            in_region = outlook.region_id != SWEDEN and region
            sv, en = outlook.texts(
                f"i {region}" if in_region else "", f"in {region}" if in_region else ""
            )
            reasons.append(_reason("outlook", sv, en, OUTLOOK_WEIGHT.get(outlook.level, 0.0)))
            outlook_data = {**outlook.as_dict(), "region_label": region, "sv": sv, "en": en}
        salary = dict(s.demand.get("salary") or {})
        mean = salary.get("mean")
        if state is not None and state.salary_floor and mean:
            if mean >= state.salary_floor:
                reasons.append(
                    _reason(
                        "salary_floor_met",
                        f"Medellönen når din lägsta lön ({_kr(state.salary_floor)} kr)",
                        f"The average salary reaches your minimum (SEK {state.salary_floor:,})",
                        0.2,
                    )
                )
            else:
                reasons.append(
                    _reason(
                        "salary_floor_missed",
                        f"Medellönen är lägre än din lägsta lön ({_kr(state.salary_floor)} kr)",
                        f"The average salary is below your minimum (SEK {state.salary_floor:,})",
                        -0.2,
                    )
                )
        if drivers.get("security", 0) >= STRONG_DRIVER and active_here >= MANY_ACTIVE_ADS:
            reasons.append(
                _reason(
                    "driver_security",
                    "Många lediga jobb: bra för tryggheten du värdesätter",
                    "Many open jobs: good for the security you value",
                    0.15,
                )
            )
        if (
            drivers.get("development", 0) >= STRONG_DRIVER
            and s.concept_id not in profile.occupations_held
            and s.missing_skills
        ):
            reasons.append(
                _reason(
                    "driver_development",
                    "Ett steg framåt: nya kompetenser att utveckla, som du önskar",
                    "A step forward: new skills to develop, as you wish",
                    0.1,
                )
            )
        if s.group_id in observed:
            reasons.append(
                _reason(
                    "clients_moved",
                    f"{observed[s.group_id]} tidigare klienter från ditt yrke har gått hit",
                    f"{observed[s.group_id]} earlier clients from your occupation moved here",
                    0.25,
                )
            )
        reasons.sort(key=lambda r: -r["weight"])
        out.append(
            {
                "concept_id": s.concept_id,
                "label": s.label,
                "ssyk": s.ssyk,
                "group_id": s.group_id,
                "score": round(float(s.score), 4),
                "reasons": reasons,
                "matched_skills": [
                    {"concept_id": m.concept_id, "label": m.label} for m in s.matched_skills
                ],
                "missing_skills": [
                    {"concept_id": m.concept_id, "label": m.label} for m in s.missing_skills
                ],
                "demand": {
                    "active_ads": active_here,
                    "active_by_region": {r: n for r, n in per_region.items() if r},
                    "ads_2024": s.demand.get("ads_2024"),
                    "ads_2024_by_region": dict(s.demand.get("ads_by_region") or {}),
                    "salary": salary or None,
                    "outlook": outlook_data,
                },
                "transitions": observed.get(s.group_id, 0),
            }
        )
    return out, regions


# ---- the search profile ---------------------------------------------------------------------


def _state_places(inputs: MatchInputs) -> dict[str, Any]:
    state = inputs.state
    return {
        "municipality_ids": list(state.municipality_ids) if state else [],
        "region_ids": list(state.region_ids) if state else [],
        "max_commute_minutes": state.max_commute_minutes if state else None,
        "remote": state.remote if state else RemoteWish.UNKNOWN,
    }


def _search_create(
    *, client: ClientProfile, content: dict[str, Any], source: str, state_revision: int | None
) -> SearchProfile:
    """A new SearchProfile revision with `content`, or the latest if it already says that."""
    ClientProfile.objects.select_for_update().filter(pk=client.pk).first()
    latest = SearchProfile.objects.filter(client=client).order_by("-revision").first()
    if latest is not None and latest.content() == content:
        return latest
    return SearchProfile.objects.create(
        client=client,
        revision=(latest.revision + 1) if latest else 1,
        source=source,
        state_revision=state_revision,
        **content,
    )


def search_profile_follow_state(
    *, client: ClientProfile, inputs: MatchInputs
) -> SearchProfile | None:
    """Move the search profile's places, commute and remote wish along with step 1, while the
    client has not chosen others on the step 3 page. Returns the (possibly new) profile."""
    search = inputs.search
    if search is None or not search.follows_current_state or inputs.state is None:
        return search
    places = _state_places(inputs)
    if all(getattr(search, k) == v for k, v in places.items()):
        return search
    content = {**search.content(), **places}
    return _search_create(
        client=client,
        content=content,
        source=SearchProfileSource.REFRESH,
        state_revision=inputs.state.revision,
    )


def _validated_targets(target_ids: Sequence[str]) -> list[dict[str, Any]]:
    view = get_taxonomy_view()
    targets = []
    for cid in dict.fromkeys(t.strip() for t in target_ids if t and t.strip()):
        if cid not in view.occupation_label:
            raise ValidationError(
                "Yrket finns inte i yrkesdatabasen: välj ett yrke ur listan.", code="bad_target"
            )
        group = view.occupation_group.get(cid, "")
        targets.append(
            {
                "concept_id": cid,
                "label": view.occupation_label[cid],
                "ssyk": view.group_code.get(group, ""),
                "group_id": group,
            }
        )
    if len(targets) > MAX_TARGETS:
        raise ValidationError(f"Välj högst {MAX_TARGETS} målyrken.", code="too_many_targets")
    return targets


def _validated_places(
    municipality_ids: Sequence[str], region_ids: Sequence[str]
) -> tuple[list[str], list[str]]:
    view = get_taxonomy_view()
    munis = list(dict.fromkeys(m for m in municipality_ids if m))
    regions = list(dict.fromkeys(r for r in region_ids if r))
    bad = [m for m in munis if m not in view.municipality_label]
    bad += [r for r in regions if r not in view.region_label]
    if bad:
        raise ValidationError(
            "Okänd ort: välj en kommun eller ett län ur listan.", code="bad_place"
        )
    if len(munis) + len(regions) > MAX_PLACES:
        raise ValidationError(f"Välj högst {MAX_PLACES} orter.", code="too_many_places")
    return munis, regions


def search_profile_save(
    *,
    client: ClientProfile,
    target_ids: Sequence[str],
    municipality_ids: Sequence[str],
    region_ids: Sequence[str],
    max_commute_minutes: int | None,
    remote: str,
) -> SearchProfile:
    """The client's choice on the step 3 page. Refuses unknown concepts with a message.

    Writes a SearchProfile revision (if anything differs), marks the MarketPlan chosen, moves
    the journey to step 3, tells Min resa, and queues the feed's recomputation after commit.
    """
    targets = _validated_targets(target_ids)
    munis, regions = _validated_places(municipality_ids, region_ids)
    if max_commute_minutes is not None and not 0 < max_commute_minutes <= MAX_COMMUTE_MINUTES:
        raise ValidationError(
            f"Restiden ska vara mellan 1 och {MAX_COMMUTE_MINUTES} minuter.", code="bad_commute"
        )
    if remote not in RemoteWish.values:
        raise ValidationError("Välj hur du vill arbeta på distans.", code="bad_remote")
    view = get_taxonomy_view()
    with transaction.atomic():
        inputs = match_inputs_get(client=client, with_feed=False)
        places = {
            "municipality_ids": munis,
            "region_ids": regions,
            "max_commute_minutes": max_commute_minutes,
            "remote": remote,
        }
        content = {
            "target_occupations": targets,
            "target_groups": list(dict.fromkeys(t["group_id"] for t in targets if t["group_id"])),
            **places,
            "follows_current_state": places == _state_places(inputs),
        }
        before = inputs.search
        search = _search_create(
            client=client,
            content=content,
            source=SearchProfileSource.CLIENT,
            state_revision=inputs.state.revision if inputs.state else None,
        )
        inputs.search = search
        plan = MarketPlan.objects.filter(client=client).order_by("-revision").first()
        places_same = before is not None and before.place_ids == search.place_ids
        if plan is not None and plan.inputs[:2] == inputs.revisions[:2] and places_same:
            suggestions, plan_regions = plan.suggestions, plan.regions
        else:
            suggestions, plan_regions = market_suggestions_compute(inputs=inputs)
        MarketPlan.objects.create(
            client=client,
            revision=(plan.revision + 1) if plan else 1,
            suggestions=suggestions,
            regions=plan_regions,
            targets=search.target_occupation_ids,
            state_revision=inputs.revisions[0],
            competence_revision=inputs.revisions[1],
            search_revision=search.revision,
            chosen_at=timezone.now(),
        )
        client_profile_stage_advance(client=client, stage=JourneyStage.MARKET)
        if before is None or before.revision != search.revision:
            names = [t["label"] for t in targets]
            where = [view.municipality_label.get(m, m) for m in munis]
            where += [view.region_label.get(r, r) for r in regions]
            sv = (
                f"Du har valt {len(names)} målyrke{'n' if len(names) != 1 else ''}: "
                f"{', '.join(names)}."
                if names
                else "Du har sparat din sökprofil."
            )
            en = (
                f"You have chosen {len(names)} target(s): {', '.join(names)}."
                if names
                else ("You have saved your search profile.")
            )
            if where:
                sv += f" Orter: {', '.join(where)}."
                en += f" Places: {', '.join(where)}."
            journey_change_record(
                client=client,
                step=JourneyStep.MARKET,
                kind=ChangeKind.UPDATED,
                message_sv=sv,
                message_en=en,
                url=reverse("journey:market"),
            )
            client_downstream_refresh_enqueue(client=client)
    return search


# ---- the downstream refresher ---------------------------------------------------------------


def _plan_inputs(*, client: ClientProfile, plan: MarketPlan) -> MatchInputs:
    return match_inputs_at(client=client, revisions=plan.inputs)


def market_plan_refresh(*, client: ClientProfile) -> list[ChangeNote]:
    """Recompute step 3 after a change upstream (registered in services.downstream).

    Idempotent: with the same upstream revisions as the newest plan it does nothing.
    """
    return _refresh(client=client)[2]


def _refresh(*, client: ClientProfile) -> tuple[MarketPlan | None, MatchInputs, list[ChangeNote]]:
    inputs = match_inputs_get(client=client, with_feed=False)
    plan = MarketPlan.objects.filter(client=client).order_by("-revision").first()
    if inputs.state is None and inputs.competence is None:
        return plan, inputs, []
    search = search_profile_follow_state(client=client, inputs=inputs)
    inputs.search = search
    if plan is not None and plan.inputs == inputs.revisions:
        return plan, inputs, []
    suggestions, regions = market_suggestions_compute(inputs=inputs)
    new_plan = MarketPlan.objects.create(
        client=client,
        revision=(plan.revision + 1) if plan else 1,
        suggestions=suggestions,
        regions=regions,
        targets=search.target_occupation_ids if search else (plan.targets if plan else []),
        state_revision=inputs.revisions[0],
        competence_revision=inputs.revisions[1],
        search_revision=inputs.revisions[2],
        chosen_at=plan.chosen_at if plan else None,
    )
    return new_plan, inputs, _plan_notes(client=client, old=plan, new=new_plan, inputs=inputs)


NEW_SUGGESTIONS_COUNTED = 5  # a suggestion is "new" when it enters the top five


def _plan_notes(
    *, client: ClientProfile, old: MarketPlan | None, new: MarketPlan, inputs: MatchInputs
) -> list[ChangeNote]:
    url = reverse("journey:market")
    if not new.suggestions:
        return []
    if old is None:
        n = len(new.suggestions)
        return [
            ChangeNote(
                message_sv=f"{n} yrken passar dig: se dem i arbetsmarknadsinventeringen.",
                message_en=f"{n} occupations fit you: see them in the job-market step.",
                kind=ChangeKind.NEW_RESULTS,
                url=url,
            )
        ]
    why = match_inputs_change_describe(old=_plan_inputs(client=client, plan=old), new=inputs)
    since_sv = f" sedan {why[0]}" if why else ""
    since_en = f" since {why[1]}" if why else ""
    old_top = set(old.suggestion_ids[:NEW_SUGGESTIONS_COUNTED])
    entered = [
        s["label"]
        for s in new.suggestions[:NEW_SUGGESTIONS_COUNTED]
        if s["concept_id"] not in old_top
    ]
    notes: list[ChangeNote] = []
    if entered:
        n = len(entered)
        notes.append(
            ChangeNote(
                message_sv=f"{n} {'nytt yrkesförslag' if n == 1 else 'nya yrkesförslag'}"
                f"{since_sv}: {', '.join(entered)}.",
                message_en=f"{n} new occupation suggestion{'s' if n != 1 else ''}{since_en}: "
                f"{', '.join(entered)}.",
                kind=ChangeKind.NEW_RESULTS,
                url=url,
            )
        )
    if old.regions != new.regions and new.regions:
        view = get_taxonomy_view()
        where = ", ".join(view.region_label.get(r, r) for r in new.regions)
        notes.append(
            ChangeNote(
                message_sv=f"Efterfrågan visas nu för {where}{since_sv}.",
                message_en=f"Demand is now shown for {where}{since_en}.",
                kind=ChangeKind.UPDATED,
                url=url,
            )
        )
    return notes


# ---- outcomes -------------------------------------------------------------------------------


def transition_outcome_record(
    *, from_group_ids: Sequence[str], to_group_id: str, when: dt.date | None = None
) -> int:
    """Record anonymised moves (no person, only the year). Returns how many rows were added.

    The caller checks the client's consent to anonymised statistics first.
    """
    if not to_group_id:
        return 0
    year = (when or timezone.localdate()).year
    rows = [
        TransitionOutcome(from_group_id=g, to_group_id=to_group_id, year=year)
        for g in dict.fromkeys(from_group_ids)
        if g and g != to_group_id
    ]
    TransitionOutcome.objects.bulk_create(rows)
    return len(rows)


def market_plan_ensure(*, client: ClientProfile) -> tuple[MarketPlan | None, MatchInputs]:
    """The client's current plan and the upstream records it is computed from, recomputed
    first if an upstream step changed since (the refresh task normally has done it already).
    What changed is told on Min resa."""
    plan, inputs, notes = _refresh(client=client)
    for note in notes:
        journey_change_record(
            client=client,
            step=JourneyStep.MARKET,
            kind=note.kind,
            message_sv=note.message_sv,
            message_en=note.message_en,
            url=note.url,
        )
    return plan, inputs
