"""What the member-company portal (`employers`) may read of the journey: bulk, minimal, typed.

Owned by the employers portal; the journey's own selectors stay untouched. Every function takes
client ids (user ids = ClientProfile ids) that the caller has ALREADY authorised (consent and
relationship checked in `employers`), and returns plain values, never model instances, so no
journey field reaches an employer by accident. Each function costs one or two queries whatever
the number of ids.

- `clients_progress`: journey stage, employment status, when the journey started (aggregates)
- `client_outcomes`: how each journey ended (new job, studies, own business), when known
- `competence_summaries`: the newest CompetenceProfile as concept ids (competence map, matching)
- `match_profiles`: `vagval.matching.MatchProfile`s for ranking internal openings
- `anonymous_profiles`: what an anonymous profile shows (competences, occupations, region)

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

from journey.models import ClientProfile, CompetenceProfile, CurrentState
from vagval.matching.types import Hours, MatchProfile, RemoteWish

OUTCOME_KINDS: tuple[str, ...] = ("new_job", "studies", "own_business", "other")
# advisers.models.OutcomeKind values -> ours.
_OUTCOME_ALIASES = {"job": "new_job", "business": "own_business"}

# Step 1's answers (journey.models.current_state) in the matching engine's terms.
_REMOTE = {
    "onsite": RemoteWish.NOT_WANTED,
    "hybrid": RemoteWish.WANTED,
    "remote": RemoteWish.ONLY,
}
_HOURS = {"full": Hours.FULL_TIME, "part": Hours.PART_TIME}


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


def _latest_states(ids: list[int]) -> dict[int, CurrentState]:
    newest = (
        CurrentState.objects.filter(client_id=OuterRef("client_id"))
        .values("client_id")
        .annotate(top=Max("revision"))
        .values("top")
    )
    rows = CurrentState.objects.filter(client_id__in=ids, revision=Subquery(newest))
    return {s.client_id: s for s in rows}


def match_profiles(*, client_ids: Iterable[int]) -> dict[int, MatchProfile]:
    """A MatchProfile for each client with a competence profile (two queries)."""
    ids = _ids(client_ids)
    profiles = _latest_profiles(ids)
    states = _latest_states([p.client_id for p in profiles])
    out = {}
    for p in profiles:
        state = states.get(p.client_id)
        out[p.client_id] = MatchProfile(
            skills=p.skill_weights(),
            occupations_held=tuple(p.occupation_ids),
            municipalities=tuple(state.municipality_ids) if state else (),
            regions=tuple(state.region_ids) if state else (),
            max_commute_minutes=state.max_commute_minutes if state else None,
            remote=_REMOTE.get(state.remote, RemoteWish.NO_PREFERENCE) if state else
            RemoteWish.NO_PREFERENCE,
            hours=_HOURS.get(state.hours, Hours.ANY) if state else Hours.ANY,
        )  # fmt: skip
    return out


def anonymous_profiles(*, client_ids: Iterable[int]) -> dict[int, AnonymousProfile]:
    """What an anonymous profile may show, for clients with a competence profile (two queries).

    Target occupations come from step 3 when it exists; until then the list is empty.
    """
    ids = _ids(client_ids)
    profiles = _latest_profiles(ids)
    states = _latest_states([p.client_id for p in profiles])
    out = {}
    for p in profiles:
        state = states.get(p.client_id)
        out[p.client_id] = AnonymousProfile(
            client_id=p.client_id,
            skills=tuple((s["concept_id"], s.get("label") or "") for s in p.skills),
            occupations=tuple((o["concept_id"], o.get("label") or "") for o in p.occupations),
            target_occupations=(),
            region_ids=tuple(state.region_ids) if state else (),
            experience_years=float(p.experience_years or 0.0),
        )
    return out
