"""From the journey to the matching engine: what steps 1-3 know, as one `MatchProfile`.

Steps 3 and 5 never ask the client again for what steps 1 and 2 already know. This module reads
the newest records of the earlier steps (step 1's `CurrentState`, step 2's `CompetenceProfile`,
step 3's `SearchProfile`) and the ads the client hid, and turns them into the plain
`vagval.matching.MatchProfile` the engine ranks with:

- skills and their levels, and the occupations held: from the CompetenceProfile;
- target occupations and groups, places, commute and remote wish: from the SearchProfile, or
  from step 1 before the client has been to step 3;
- hours, salary floor and drivers: from step 1.

It also holds

- `MatchInputs` / `match_inputs_get` / `match_inputs_many`: the upstream records of one client
  (or of a chunk of clients in a few queries, for the nightly batch), with `key()`, which
  changes exactly when a recomputation could give a different result;
- `ad_index_get`: the ranking index over the active ads, built from `vagval.jobs.selectors`
  (see its docstring for why the journey builds it);
- `match_inputs_change_describe`: what changed between two sets of inputs, in plain Swedish and
  English ("du lade till offentlig upphandling"), for the "what changed" messages.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Model, OuterRef, Subquery

from journey.models import (
    ClientProfile,
    CompetenceProfile,
    CurrentState,
    FeedSettings,
    HiddenAd,
    SearchProfile,
)
from journey.models import Hours as StateHours
from journey.models import RemoteWish as StateRemote
from vagval.matching.adsource import ad_record_from_row
from vagval.matching.feed import AdIndex, AdRecord
from vagval.matching.taxonomy_view import TaxonomyView, get_taxonomy_view
from vagval.matching.types import Hours, MatchProfile, RemoteWish

logger = logging.getLogger(__name__)

# Step 1's remote wish -> the engine's. "Helt på distans" means on-site jobs outside the
# commute area are of no interest (ONLY); "delvis" makes remote a plus (WANTED).
REMOTE_TO_MATCHING: dict[str, RemoteWish] = {
    StateRemote.REMOTE: RemoteWish.ONLY,
    StateRemote.HYBRID: RemoteWish.WANTED,
    StateRemote.ONSITE: RemoteWish.NOT_WANTED,
}
HOURS_TO_MATCHING: dict[str, Hours] = {
    StateHours.FULL: Hours.FULL_TIME,
    StateHours.PART: Hours.PART_TIME,
}


# ---- the upstream records -------------------------------------------------------------------


@dataclass
class MatchInputs:
    """The newest upstream records of one client (any may be None: the step is not done yet)."""

    client_id: int
    state: CurrentState | None = None
    competence: CompetenceProfile | None = None
    search: SearchProfile | None = None
    hidden_ad_ids: frozenset[int] = frozenset()
    last_seen_at: dt.datetime | None = None

    @property
    def revisions(self) -> tuple[int | None, int | None, int | None]:
        return (
            self.state.revision if self.state else None,
            self.competence.revision if self.competence else None,
            self.search.revision if self.search else None,
        )

    def key(self, index_version: str = "") -> str:
        """Equal keys mean the same profile: a recomputation would give the same result."""
        s, c, p = self.revisions
        return f"s{s or 0}:c{c or 0}:p{p or 0}:{index_version}"[:200]

    @property
    def is_empty(self) -> bool:
        """Nothing to match on yet (no competences, no targets, no occupations held)."""
        profile = match_profile_build(inputs=self)
        return not (profile.skills or profile.occupations_held or profile.target_occupations)


def _latest(model: type[Model], client_ids: Sequence[int]) -> dict[int, Any]:
    """The newest revision of `model` per client, one query (a correlated subquery)."""
    newest = (
        model._default_manager.filter(client_id=OuterRef("client_id"))
        .order_by("-revision")
        .values("revision")[:1]
    )
    rows = model._default_manager.filter(client_id__in=client_ids, revision=Subquery(newest))
    return {row.client_id: row for row in rows}  # type: ignore[attr-defined]


def match_inputs_get(*, client: ClientProfile, with_feed: bool = True) -> MatchInputs:
    """The client's upstream records (five small queries, three without `with_feed`)."""
    return match_inputs_many(client_ids=[client.pk], with_feed=with_feed)[client.pk]


def match_inputs_many(
    *, client_ids: Sequence[int], with_feed: bool = True
) -> dict[int, MatchInputs]:
    """Upstream records for a chunk of clients in five queries, whatever the chunk size
    (three without `with_feed`: the hidden ads and the last visit matter only to the feed)."""
    ids = list(client_ids)
    states = _latest(CurrentState, ids)
    competences = _latest(CompetenceProfile, ids)
    searches = _latest(SearchProfile, ids)
    hidden: dict[int, set[int]] = {}
    seen: dict[int, dt.datetime | None] = {}
    if with_feed:
        for client_id, ad_id in HiddenAd.objects.filter(client_id__in=ids).values_list(
            "client_id", "ad_id"
        ):
            hidden.setdefault(client_id, set()).add(ad_id)
        seen = dict(
            FeedSettings.objects.filter(client_id__in=ids).values_list("client_id", "last_seen_at")
        )
    return {
        cid: MatchInputs(
            client_id=cid,
            state=states.get(cid),
            competence=competences.get(cid),
            search=searches.get(cid),
            hidden_ad_ids=frozenset(hidden.get(cid, ())),
            last_seen_at=seen.get(cid),
        )
        for cid in ids
    }


# ---- MatchProfile ---------------------------------------------------------------------------


def match_profile_build(*, inputs: MatchInputs) -> MatchProfile:
    """The engine's profile from the journey's records (no queries)."""
    state, competence, search = inputs.state, inputs.competence, inputs.search
    skills: dict[str, float] = competence.skill_weights() if competence else {}
    held = tuple(competence.occupation_ids) if competence else ()
    if search is not None:
        municipalities = tuple(search.municipality_ids)
        regions = tuple(search.region_ids)
        commute = search.max_commute_minutes
        remote = search.remote
        targets = tuple(search.target_occupation_ids)
        groups = tuple(search.target_groups)
    else:
        municipalities = tuple(state.municipality_ids) if state else ()
        regions = tuple(state.region_ids) if state else ()
        commute = state.max_commute_minutes if state else None
        remote = state.remote if state else ""
        targets, groups = (), ()
    drivers = (
        {k: max(0.0, min(float(v) / 100.0, 1.0)) for k, v in (state.drivers or {}).items()}
        if state
        else {}
    )
    return MatchProfile(
        skills=skills,
        occupations_held=held,
        target_occupations=targets,
        target_groups=groups,
        municipalities=municipalities,
        regions=regions,
        max_commute_minutes=float(commute) if commute else None,
        remote=REMOTE_TO_MATCHING.get(remote or "", RemoteWish.NO_PREFERENCE),
        hours=HOURS_TO_MATCHING.get(state.hours if state else "", Hours.ANY),
        salary_floor=state.salary_floor if state else None,
        drivers=drivers,
        excluded_ad_ids=frozenset(str(a) for a in inputs.hidden_ad_ids),
        seen_before=inputs.last_seen_at,
    )


def match_profile_get(*, client: ClientProfile) -> MatchProfile:
    """The client's MatchProfile, read fresh from the database."""
    return match_profile_build(inputs=match_inputs_get(client=client))


def match_profile_as_dict(profile: MatchProfile) -> dict[str, Any]:
    """A MatchProfile as plain JSON that `MatchProfile.from_dict` reads back (the portable
    profile's `journey.match_profile`, the input of `manage.py feed --profile`)."""
    return {
        "skills": {k: round(float(v), 4) for k, v in profile.skills.items()},
        "occupations_held": list(profile.occupations_held),
        "target_occupations": list(profile.target_occupations),
        "target_groups": list(profile.target_groups),
        "municipalities": list(profile.municipalities),
        "regions": list(profile.regions),
        "max_commute_km": profile.max_commute_km,
        "max_commute_minutes": profile.max_commute_minutes,
        "remote": str(profile.remote),
        "hours": str(profile.hours),
        "employment_types": list(profile.employment_types),
        "salary_floor": profile.salary_floor,
        "drivers": {k: round(float(v), 4) for k, v in profile.drivers.items()},
        "free_text": profile.free_text,
        "excluded_ad_ids": sorted(profile.excluded_ad_ids),
        "seen_before": profile.seen_before.isoformat() if profile.seen_before else None,
    }


# ---- the ad index ---------------------------------------------------------------------------

INDEX_TTL_SECONDS = 30.0


@dataclass
class AdCard:
    """What a feed card needs of an ad that ranking does not: read with the index, no query."""

    cluster_id: int | None
    headline: str
    employer: str
    municipality_id: str
    region_id: str
    occupation_id: str
    published_at: dt.datetime | None
    remote: str = ""  # REMOTE_FULL, REMOTE_HYBRID or "" (on site / not stated)
    source: str = ""  # a vagval.jobs Source value ("member-company" is marked on the card)


REMOTE_FULL = "full"
REMOTE_HYBRID = "hybrid"


@dataclass
class JourneyAdIndex:
    """The engine's `AdIndex` plus per-ad card facts and aggregates step 3 needs."""

    index: AdIndex
    cards: dict[str, AdCard]
    built_at: float = field(default_factory=time.monotonic)
    _active_by_group_region: dict[str, dict[str, int]] | None = None
    _sources: dict[int, list[dict[str, str]]] | None = None

    @property
    def version(self) -> str:
        return self.index.version

    def active_by_group_region(self) -> dict[str, dict[str, int]]:
        """{ssyk-4 id: {region id: active ads}} over the indexed ads (computed once)."""
        if self._active_by_group_region is None:
            counts: dict[str, dict[str, int]] = {}
            idx = self.index
            for g, r in zip(idx.ad_group.tolist(), idx.ad_region.tolist(), strict=True):
                if g < 0:
                    continue
                region = idx.regions.ids[r] if r >= 0 else ""
                per = counts.setdefault(idx.groups.ids[g], {})
                per[region] = per.get(region, 0) + 1
            self._active_by_group_region = counts
        return self._active_by_group_region

    def sources(self, cluster_id: int | None) -> list[dict[str, str]]:
        """Every source link of a job that is published in several places ([] for a job with
        one ad: its own link is the source). Read once per index from
        `vagval.jobs.selectors.clusters_with_duplicates`, so a feed page costs no query per
        card."""
        if self._sources is None:
            from vagval.jobs.selectors import clusters_with_duplicates

            self._sources = dict(clusters_with_duplicates())
        return self._sources.get(cluster_id, []) if cluster_id is not None else []


def _ads_version() -> str:
    from vagval.jobs.selectors import ads_active

    agg = ads_active().aggregate(n=Count("pk"), top=Max("pk"), last=Max("updated_at"))
    return f"{agg['n']}:{agg['top']}:{agg['last']}"


def ad_index_build(*, version: str = "", taxonomy: TaxonomyView | None = None) -> JourneyAdIndex:
    """Build the index over `vagval.jobs.selectors.ads_for_matching()` (one streamed query)."""
    from vagval.jobs.selectors import ads_for_matching

    records: list[AdRecord] = []
    cards: dict[str, AdCard] = {}
    for row in ads_for_matching():
        record = ad_record_from_row(row)
        records.append(record)
        ad_id = record.ad_id
        occupations = record.occupation_ids
        cards[ad_id] = AdCard(
            cluster_id=row["cluster_id"],
            headline=row["headline"] or "",
            employer=row["employer_name"] or "",
            municipality_id=row["municipality_concept_id"] or "",
            region_id=row["region_concept_id"] or "",
            occupation_id=occupations[0] if occupations else "",
            published_at=row["published_at"],
            remote=(REMOTE_HYBRID if record.remote_partly else REMOTE_FULL)
            if record.remote
            else "",
            source=row.get("source") or "",
        )
    index = AdIndex.build(records, taxonomy=taxonomy, version=version)
    return JourneyAdIndex(index=index, cards=cards)


class _IndexCache:
    """One index per process, rebuilt when the active ads change (asked every 30 s at most)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value: JourneyAdIndex | None = None
        self.checked_at = 0.0

    def get(self) -> JourneyAdIndex:
        with self.lock:
            now = time.monotonic()
            if self.value is not None and now - self.checked_at < INDEX_TTL_SECONDS:
                return self.value
            version = _ads_version()
            self.checked_at = now
            if self.value is None or self.value.version != version:
                started = time.perf_counter()
                self.value = ad_index_build(version=version)
                logger.info(
                    "journey ad index %s: %d ads in %.1f s",
                    version,
                    self.value.index.n_ads,
                    time.perf_counter() - started,
                )
            return self.value

    def clear(self) -> None:
        with self.lock:
            self.value = None
            self.checked_at = 0.0


_cache = _IndexCache()


def ad_index_get() -> JourneyAdIndex:
    """The ranking index over the active ads, cached per process.

    Why not `vagval.matching.feed.get_ad_index()`: its loader (`matching.adsource`) expects
    `vagval.jobs.selectors.ads_for_matching()` to return a QuerySet, but that selector streams
    plain dicts, so the engine's own loader fails against the real jobs app. This builds the
    same `AdIndex` from the documented selector rows, and keeps the card facts beside it.
    """
    return _cache.get()


def ad_index_clear() -> None:
    """Forget the cached index (tests, or after a bulk change that must show at once)."""
    _cache.clear()


# ---- what changed ---------------------------------------------------------------------------


def _labels(ids: Iterable[str], known: Mapping[str, str] | None = None) -> list[str]:
    view = get_taxonomy_view()
    out = []
    for cid in ids:
        label = (
            (known or {}).get(cid) or view.skill_label.get(cid) or view.occupation_label.get(cid)
        )
        label = label or view.municipality_label.get(cid) or view.region_label.get(cid) or cid
        out.append(label)
    return out


def _join(words: Sequence[str], conj: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conj} {words[-1]}"


def _named(labels: list[str], sv_many: str, en_many: str) -> tuple[str, str]:
    """'Offentlig upphandling', 'A och B', or '5 kompetenser' when there are many."""
    if len(labels) <= 2:
        return _join(labels, "och"), _join(labels, "and")
    return f"{len(labels)} {sv_many}", f"{len(labels)} {en_many}"


def _skill_labels(profile: CompetenceProfile | None) -> dict[str, str]:
    return {s["concept_id"]: s.get("label") or "" for s in (profile.skills if profile else [])}


def match_inputs_change_describe(
    *, old: MatchInputs | None, new: MatchInputs
) -> tuple[str, str] | None:
    """What the client changed between `old` and `new`, as the end of a sentence ("sedan
    du ..."): (Swedish, English). None when nothing that matching reads differs."""
    if old is None:
        return None
    parts: list[tuple[str, str]] = []
    old_c, new_c = old.competence, new.competence
    old_skills, new_skills = _skill_labels(old_c), _skill_labels(new_c)
    added = [s for s in new_skills if s not in old_skills]
    removed = [s for s in old_skills if s not in new_skills]
    if added:
        sv, en = _named(_labels(added, new_skills), "kompetenser", "skills")
        parts.append((f"du lade till {sv}", f"you added {en}"))
    if removed:
        sv, en = _named(_labels(removed, old_skills), "kompetenser", "skills")
        parts.append((f"du tog bort {sv}", f"you removed {en}"))
    if (
        not added
        and not removed
        and old_c
        and new_c
        and old_c.skill_weights() != new_c.skill_weights()
    ):
        parts.append(("du ändrade nivån på dina kompetenser", "you changed your skill levels"))
    old_occ = set(old_c.occupation_ids if old_c else [])
    new_occ = [o for o in (new_c.occupation_ids if new_c else []) if o not in old_occ]
    if new_occ:
        sv, en = _named(_labels(new_occ), "yrken", "occupations")
        parts.append((f"du lade till erfarenhet som {sv}", f"you added experience as {en}"))
    old_t = old.search.target_occupation_ids if old.search else []
    new_t = new.search.target_occupation_ids if new.search else []
    if [t for t in new_t if t not in old_t]:
        sv, en = _named(_labels([t for t in new_t if t not in old_t]), "målyrken", "goals")
        parts.append((f"du valde {sv} som mål", f"you chose {en} as a goal"))
    elif old_t != new_t:
        parts.append(("du ändrade dina målyrken", "you changed your target occupations"))
    old_p, new_p = match_profile_build(inputs=old), match_profile_build(inputs=new)
    if (old_p.municipalities, old_p.regions) != (new_p.municipalities, new_p.regions):
        where = _labels([*new_p.municipalities, *new_p.regions])
        if where:
            parts.append(
                (
                    f"du ändrade var du vill arbeta ({_join(where, 'och')})",
                    f"you changed where you want to work ({_join(where, 'and')})",
                )
            )
        else:
            parts.append(("du ändrade var du vill arbeta", "you changed where you want to work"))
    if old_p.max_commute_minutes != new_p.max_commute_minutes or old_p.remote != new_p.remote:
        parts.append(("du ändrade pendling eller distansarbete", "you changed commute or remote"))
    if old_p.hours != new_p.hours:
        parts.append(("du ändrade önskad arbetstid", "you changed your working hours"))
    if not parts:
        return None
    sv = _join([p[0] for p in parts[:2]], "och")
    en = _join([p[1] for p in parts[:2]], "and")
    return sv, en


def match_inputs_at(
    *,
    client: ClientProfile,
    revisions: tuple[int | None, int | None, int | None],
    hidden_ad_ids: frozenset[int] = frozenset(),
) -> MatchInputs:
    """The inputs as they were at the given (state, competence, search) revisions."""
    s, c, p = revisions
    return MatchInputs(
        client_id=client.pk,
        state=CurrentState.objects.filter(client=client, revision=s).first() if s else None,
        competence=(
            CompetenceProfile.objects.filter(client=client, revision=c).first() if c else None
        ),
        search=SearchProfile.objects.filter(client=client, revision=p).first() if p else None,
        hidden_ad_ids=hidden_ad_ids,
    )
