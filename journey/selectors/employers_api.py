"""What the member-company portal (`employers`) may read of the journey: bulk, minimal, typed.

Owned by the employers portal; the journey's own selectors stay untouched. Every function takes
client ids (user ids = ClientProfile ids) that the caller has ALREADY authorised (consent and
relationship checked in `employers`), and returns plain values, never model instances, so no
journey field reaches an employer by accident. Each function costs one or two queries whatever
the number of ids.

- `clients_progress`: journey stage, employment status, when the journey started (aggregates)
- `client_outcomes`: how each journey ended (new job, studies, own business), when known
- `competence_summaries`: the newest CompetenceProfile as concept ids (competence map, matching)
- `match_profiles`: the feed's `vagval.matching.MatchProfile`s, for ranking internal openings
- `anonymous_profiles`: what an anonymous profile shows (competences, occupations held, target
  occupations chosen in step 3, regions)

Outcomes are recorded by the adviser portal. Contract it is expected to provide (not built yet):

    advisers.selectors.outcomes_for_clients(*, client_ids: Iterable[int])
        -> dict[int, tuple[str, datetime.date]]   # (OutcomeKind value, Outcome.date)

(per client, because the employer's tables cross outcomes with cases and journey stages and
suppress them together; `outcomes_aggregate` has no case dimension and no consent filter).

Until it exists `client_outcomes` returns no outcomes and the dashboards show none.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, Subquery

from journey.matchprofile import match_inputs_many, match_profile_build
from journey.models import ClientProfile, CompetenceProfile, SearchProfile
from vagval.matching.types import MatchProfile

OUTCOME_KINDS: tuple[str, ...] = ("new_job", "studies", "own_business", "other")
# advisers.models.OutcomeKind values -> ours.
_OUTCOME_ALIASES = {"job": "new_job", "business": "own_business"}


@dataclass(frozen=True)
class ClientProgress:
    client_id: int
    stage: str  # journey.models.JourneyStage value
    status: str  # journey.models.EmploymentStatus value
    started_at: dt.datetime  # the ClientProfile was created: the journey began


@dataclass(frozen=True)
class ClientOutcome:
    client_id: int
    kind: str  # one of OUTCOME_KINDS
    on: dt.date


@dataclass(frozen=True)
class CompetenceSummary:
    client_id: int
    skill_ids: tuple[str, ...]
    occupation_ids: tuple[str, ...]
    skill_levels: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class AnonymousProfile:
    """No name, no employer, no dates: competences, occupations held, targets and region."""

    client_id: int
    skills: tuple[tuple[str, str], ...]  # (concept id, label)
    occupations: tuple[tuple[str, str], ...]
    target_occupations: tuple[tuple[str, str], ...]
    region_ids: tuple[str, ...]
    experience_years: float


def _ids(client_ids: Iterable[int]) -> list[int]:
    return sorted({int(i) for i in client_ids})


def clients_progress(*, client_ids: Iterable[int]) -> dict[int, ClientProgress]:
    """Stage and status of each client who has started the journey (one query)."""
    rows = ClientProfile.objects.filter(pk__in=_ids(client_ids)).values_list(
        "pk", "journey_stage", "status", "created_at"
    )
    return {pk: ClientProgress(pk, stage, status, created) for pk, stage, status, created in rows}


def client_outcomes(*, client_ids: Iterable[int]) -> dict[int, ClientOutcome]:
    """Recorded outcomes, from the adviser portal's selector when it provides one."""
    try:
        advisers = importlib.import_module("advisers.selectors")
    except ImportError:
        return {}
    provider = getattr(advisers, "outcomes_for_clients", None)
    if provider is None:
        return {}
    found = provider(client_ids=_ids(client_ids))
    out = {}
    for cid, (kind, on) in found.items():
        kind = _OUTCOME_ALIASES.get(kind, kind)
        if kind in OUTCOME_KINDS:
            out[int(cid)] = ClientOutcome(int(cid), kind, on)
    return out


def _latest_profiles(ids: list[int]) -> list[CompetenceProfile]:
    newest = (
        CompetenceProfile.objects.filter(client_id=OuterRef("client_id"))
        .values("client_id")
        .annotate(top=Max("revision"))
        .values("top")
    )
    return list(
        CompetenceProfile.objects.filter(client_id__in=ids, revision=Subquery(newest)).only(
            "client_id", "skills", "occupations", "experience_years"
        )
    )


def competence_summaries(*, client_ids: Iterable[int]) -> dict[int, CompetenceSummary]:
    """The newest competence profile of each client who has one (one query)."""
    out = {}
    for p in _latest_profiles(_ids(client_ids)):
        out[p.client_id] = CompetenceSummary(
            client_id=p.client_id,
            skill_ids=tuple(s["concept_id"] for s in p.skills),
            occupation_ids=tuple(o["concept_id"] for o in p.occupations),
            skill_levels={s["concept_id"]: s.get("level") for s in p.skills},
        )
    return out


def match_profiles(*, client_ids: Iterable[int]) -> dict[int, MatchProfile]:
    """The feed's own MatchProfile of each client with a competence profile (three queries).

    Built exactly as the job feed builds it (`journey.matchprofile.match_profile_build`): skills
    and occupations held from step 2, the target occupations and places chosen in step 3 (step
    1's places before that), hours and drivers from step 1. So an internal opening is ranked,
    and explained, the way the same job would be in the employee's feed.
    """
    inputs = match_inputs_many(client_ids=_ids(client_ids), with_feed=False)
    return {
        cid: match_profile_build(inputs=i) for cid, i in inputs.items() if i.competence is not None
    }


def _targets(search: SearchProfile | None) -> tuple[tuple[str, str], ...]:
    """The target occupations chosen in step 3, as `journey.selectors.market.market_targets`
    reads them (the newest SearchProfile), as (concept id, label)."""
    if search is None:
        return ()
    return tuple(
        (t["concept_id"], t.get("label") or "")
        for t in search.target_occupations
        if t.get("concept_id")
    )


def anonymous_profiles(*, client_ids: Iterable[int]) -> dict[int, AnonymousProfile]:
    """What an anonymous profile may show, for clients with a competence profile (three
    queries): competences and occupations held (step 2), the occupations they are aiming for
    and where they want to work (step 3; step 1's places before they have been there)."""
    out = {}
    for cid, i in match_inputs_many(client_ids=_ids(client_ids), with_feed=False).items():
        p = i.competence
        if p is None:
            continue
        if i.search is not None:
            regions = tuple(i.search.region_ids)
        else:
            regions = tuple(i.state.region_ids) if i.state else ()
        out[cid] = AnonymousProfile(
            client_id=cid,
            skills=tuple((s["concept_id"], s.get("label") or "") for s in p.skills),
            occupations=tuple((o["concept_id"], o.get("label") or "") for o in p.occupations),
            target_occupations=_targets(i.search),
            region_ids=regions,
            experience_years=float(p.experience_years or 0.0),
        )
    return out
