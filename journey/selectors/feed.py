"""Reads of step 5, the job feed: the feed page, an ad, the application tracker, Min resa.

The feed page ranks live: the newest `FeedSnapshot` holds the client's MatchProfile (so steps
1-3 are not read on every visit) and when each ad first entered the feed; the ranking itself
runs over the cached ad index (`journey.matchprofile.ad_index_get`), so ads ingested since the
snapshot show at once. A steady-state page costs at most ten queries (see the tests).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from journey.matchprofile import REMOTE_FULL, REMOTE_HYBRID, JourneyAdIndex
from journey.models import (
    Application,
    ApplicationStatus,
    ClientProfile,
    CompetenceProfile,
    CurrentState,
    FeedSettings,
    FeedSnapshot,
    JourneyStep,
    SearchProfile,
)
from vagval.matching.feed import feed_rank
from vagval.matching.taxonomy_view import get_taxonomy_view
from vagval.matching.types import MatchProfile

from . import language_code
from .steps import StepStatus

PAGE_SIZE = 20
NEW_WINDOW = dt.timedelta(days=1)
SINCE_CHOICES = (1, 3, 7, 30)
MEMBER_COMPANY_SOURCE = "member-company"  # vagval.jobs.models.Source.MEMBER_COMPANY
SOURCE_NAMES = {
    "jobtech": "Platsbanken",
    "platsbanken-web": "Platsbanken",
    "jobposting": "Arbetsgivarens webbplats",
    "rss": "Nyhetsflöde",
}


# ---- what the page needs to know first (one query) ------------------------------------------


@dataclass
class FeedState:
    revisions: tuple[int | None, int | None, int | None]
    last_seen_at: dt.datetime | None
    alert_frequency: str


def _newest(model: Any, field_name: str = "revision") -> Subquery:
    return Subquery(
        model.objects.filter(client=OuterRef("pk"))
        .order_by(f"-{field_name}")
        .values(field_name)[:1]
    )


def feed_state_get(*, client: ClientProfile) -> FeedState:
    """The upstream revisions, last visit and alert choice of the client, in one query."""
    settings_ = FeedSettings.objects.filter(client=OuterRef("pk"))
    row: Any = (
        ClientProfile.objects.filter(pk=client.pk)
        .annotate(
            s=_newest(CurrentState),
            c=_newest(CompetenceProfile),
            p=_newest(SearchProfile),
            seen=Subquery(settings_.values("last_seen_at")[:1]),
            freq=Subquery(settings_.values("alert_frequency")[:1]),
        )
        .values("s", "c", "p", "seen", "freq")
        .first()
    ) or {}
    return FeedState(
        revisions=(row.get("s"), row.get("c"), row.get("p")),
        last_seen_at=row.get("seen"),
        alert_frequency=row.get("freq") or "off",
    )


def feed_snapshot_latest(*, client: ClientProfile) -> FeedSnapshot | None:
    return FeedSnapshot.objects.filter(client=client).order_by("-computed_at", "-id").first()


def feed_snapshot_is_current(*, snapshot: FeedSnapshot | None, state: FeedState) -> bool:
    """Was the snapshot computed from the upstream revisions in force now?"""
    if snapshot is None:
        return False
    return (snapshot.state_revision, snapshot.competence_revision, snapshot.search_revision) == (
        state.revisions
    )


# ---- the feed page --------------------------------------------------------------------------


# The "distans" filter: any remote work (fully remote or hybrid), or fully remote only.
REMOTE_ANY = "1"
REMOTE_FULL_ONLY = "helt"
REMOTE_FILTERS = (REMOTE_ANY, REMOTE_FULL_ONLY)


@dataclass
class Filters:
    place: str = ""
    remote: str = ""  # "", REMOTE_ANY or REMOTE_FULL_ONLY
    since: int | None = None  # days
    occupation: str = ""

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        since = query.get("sedan", "")
        remote = query.get("distans") or ""
        return cls(
            place=(query.get("ort") or "")[:32],
            remote=remote if remote in REMOTE_FILTERS else "",
            since=int(since) if since.isdigit() and int(since) in SINCE_CHOICES else None,
            occupation=(query.get("yrke") or "")[:32],
        )

    def keeps_remote(self, remote: str) -> bool:
        """Does an ad with this remote value ("full", "hybrid" or "") pass the filter?"""
        if self.remote == REMOTE_FULL_ONLY:
            return remote == REMOTE_FULL
        if self.remote == REMOTE_ANY:
            return remote in (REMOTE_FULL, REMOTE_HYBRID)
        return True

    @property
    def active(self) -> bool:
        return bool(self.place or self.remote or self.since or self.occupation)


@dataclass
class Source:
    name: str
    host: str
    url: str


@dataclass
class Card:
    ad_id: int
    headline: str
    employer: str
    place: str
    occupation: str
    reasons: list[str]
    sources: list[Source]
    is_new: bool
    is_open: bool
    application: Application | None
    published_at: dt.datetime | None
    remote: str = ""  # "full", "hybrid" or ""
    # Published through Vägval by a member company (the card says so).
    from_member_company: bool = False

    @property
    def is_fully_remote(self) -> bool:
        return self.remote == REMOTE_FULL

    @property
    def is_hybrid(self) -> bool:
        return self.remote == REMOTE_HYBRID

    @property
    def is_saved(self) -> bool:
        return self.application is not None

    @property
    def is_applied(self) -> bool:
        return self.application is not None and self.application.status not in (
            ApplicationStatus.INTERESTED,
        )


@dataclass
class Choice:
    value: str
    label: str


@dataclass
class FeedPage:
    cards: list[Card]
    total: int  # matching ads after filters
    new_count: int  # new in the feed since yesterday (before filters)
    page: int
    pages: int
    filters: Filters
    place_choices: list[Choice] = field(default_factory=list)
    occupation_choices: list[Choice] = field(default_factory=list)
    since_choices: tuple[int, ...] = SINCE_CHOICES
    has_profile: bool = True
    alert_frequency: str = "off"

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _source_list(own: Any, duplicates: Any) -> list[Source]:
    """Every place the job is published, once per link."""
    seen: set[str] = set()
    out: list[Source] = []
    rows = duplicates or ([own] if own else [])
    for row in rows:
        url = row.get("url") or row.get("apply_url") or ""
        if not url or url in seen:
            continue
        seen.add(url)
        out.append(Source(SOURCE_NAMES.get(row.get("source", ""), _host(url)), _host(url), url))
    if own and own.get("apply_url") and own["apply_url"] not in seen:
        url = own["apply_url"]
        out.append(
            Source(_host(url) or SOURCE_NAMES.get(own.get("source", ""), ""), _host(url), url)
        )
    return out


def feed_page_get(
    *,
    client: ClientProfile,
    snapshot: FeedSnapshot | None,
    jindex: JourneyAdIndex,
    state: FeedState,
    filters: Filters,
    page: int,
    language: str,
    now: dt.datetime | None = None,
) -> FeedPage:
    """Rank live with the snapshot's profile and return one page of cards (two queries: the
    ads shown, and the client's tracker entries for them)."""
    from vagval.jobs.selectors import ads_active

    en = language_code(language) == "en"
    now = now or timezone.now()
    if snapshot is None or not snapshot.profile:
        return FeedPage([], 0, 0, 1, 1, filters, has_profile=False,
                        alert_frequency=state.alert_frequency)  # fmt: skip
    data = dict(snapshot.profile)
    data["seen_before"] = state.last_seen_at.isoformat() if state.last_seen_at else None
    profile = MatchProfile.from_dict(data)
    from journey.services.feed import FEED_SIZE

    ranked = feed_rank(profile, FEED_SIZE, index=jindex.index, now=now)
    first_seen = {int(i["ad_id"]): i.get("first_seen") for i in snapshot.items}
    view = get_taxonomy_view()

    def is_new(ad_id: int) -> bool:
        if ad_id not in first_seen:
            return bool(snapshot.items)  # entered after the snapshot was made
        seen = first_seen[ad_id]
        return bool(seen) and now - dt.datetime.fromisoformat(seen) <= NEW_WINDOW

    place_count: dict[str, int] = {}
    occ_count: dict[str, int] = {}
    kept = []
    new_count = 0
    since = now - dt.timedelta(days=filters.since) if filters.since else None
    for r in ranked:
        card = jindex.cards.get(r.ad_id)
        if card is None:
            continue
        ad_id = int(r.ad_id)
        new = is_new(ad_id)
        new_count += new
        group = view.occupation_group.get(card.occupation_id, "")
        if card.municipality_id:
            place_count[card.municipality_id] = place_count.get(card.municipality_id, 0) + 1
        if group:
            occ_count[group] = occ_count.get(group, 0) + 1
        if filters.place and filters.place not in (card.municipality_id, card.region_id):
            continue
        if filters.occupation and filters.occupation not in (card.occupation_id, group):
            continue
        if not filters.keeps_remote(card.remote):
            continue
        if since is not None and (card.published_at is None or card.published_at < since):
            continue
        kept.append((r, card, new))
    total = len(kept)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = kept[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    ids = [int(r.ad_id) for r, _, _ in shown]
    rows = {
        row["id"]: row
        for row in ads_active()
        .filter(pk__in=ids)
        .values("id", "url", "apply_url", "source", "location_label")
    }
    applications = {a.ad_id: a for a in Application.objects.filter(client=client, ad_id__in=ids)}
    cards = []
    for r, card, new in shown:
        ad_id = int(r.ad_id)
        reasons = [x.text_en if en else x.text_sv for x in r.reasons[:3]]
        if new and not any(x.code in ("new", "new_since_visit") for x in r.reasons):
            reasons.insert(0, "New since yesterday" if en else "Nytt sedan igår")
        own = rows.get(ad_id)
        place = view.municipality_label.get(card.municipality_id, "") or (
            own.get("location_label", "") if own else ""
        )
        occupation = view.occupation_label.get(card.occupation_id, "")
        if en:
            occupation = view.label_en.get(card.occupation_id, occupation)
        cards.append(
            Card(
                ad_id=ad_id,
                headline=card.headline,
                employer=card.employer,
                place=place,
                occupation=occupation,
                reasons=reasons,
                sources=_source_list(own, jindex.sources(card.cluster_id)),
                is_new=new,
                is_open=own is not None,
                application=applications.get(ad_id),
                published_at=card.published_at,
                remote=card.remote,
                from_member_company=card.source == MEMBER_COMPANY_SOURCE,
            )
        )
    mine = [*profile.municipalities, *profile.regions]
    places = list(dict.fromkeys(mine + sorted(place_count, key=lambda m: -place_count[m])[:8]))
    if filters.place and filters.place not in places:
        places.append(filters.place)
    groups = list(dict.fromkeys(
        [view.occupation_group.get(t, "") for t in profile.target_occupations]
        + list(profile.target_groups)
        + sorted(occ_count, key=lambda g: -occ_count[g])[:8]
    ))  # fmt: skip
    return FeedPage(
        cards=cards,
        total=total,
        new_count=new_count,
        page=page,
        pages=pages,
        filters=filters,
        place_choices=[
            Choice(p, view.municipality_label.get(p) or view.region_label.get(p, p))
            for p in places
            if p in view.municipality_label or p in view.region_label
        ],
        occupation_choices=[Choice(g, view.group_label.get(g, g)) for g in groups if g],
        alert_frequency=state.alert_frequency,
    )


# ---- one ad ---------------------------------------------------------------------------------


@dataclass
class AdDetail:
    ad_id: int
    is_open: bool
    headline: str
    employer: str
    place: str
    description: str
    sources: list[Source]
    reasons: list[str]
    application: Application | None
    deadline: dt.datetime | None = None
    from_member_company: bool = False


def feed_ad_get(*, client: ClientProfile, ad_id: int, language: str) -> AdDetail | None:
    """One ad as the client opens it from the feed (or the tracker). An ad that expired or was
    removed since says so; the tracker entry is kept and shown. None if we never had it and the
    client never saved it."""
    from vagval.jobs.selectors import ad_get, cluster_sources

    en = language_code(language) == "en"
    application = Application.objects.filter(client=client, ad_id=ad_id).first()
    ad = ad_get(ad_id=ad_id)
    if ad is None:
        if application is None:
            return None
        return AdDetail(
            ad_id=ad_id,
            is_open=False,
            headline=application.headline,
            employer=application.employer_name,
            place="",
            description="",
            sources=[Source(_host(application.url), _host(application.url), application.url)]
            if application.url
            else [],
            reasons=[],
            application=application,
        )
    view = get_taxonomy_view()
    sources = (
        _source_list(None, list(cluster_sources(cluster_id=ad.cluster_id)))
        if ad.cluster_id
        else _source_list({"url": ad.url, "apply_url": ad.apply_url, "source": ad.source}, [])
    )
    snapshot = FeedSnapshot.objects.filter(client=client).order_by("-computed_at", "-id").first()
    item = next((i for i in (snapshot.items if snapshot else []) if i["ad_id"] == ad_id), None)
    return AdDetail(
        ad_id=ad.pk,
        is_open=bool(ad.is_active),
        headline=ad.headline,
        employer=ad.employer_name,
        place=view.municipality_label.get(ad.municipality_concept_id, "") or ad.location_label,
        description=ad.description_text,
        sources=sources,
        reasons=[r["en" if en else "sv"] for r in item["reasons"]] if item else [],
        application=application,
        deadline=ad.application_deadline,
        from_member_company=ad.source == MEMBER_COMPANY_SOURCE,
    )


# ---- the application tracker ----------------------------------------------------------------


@dataclass
class TrackerRow:
    application: Application
    is_open: bool


def applications_list(*, client: ClientProfile) -> list[TrackerRow]:
    """The client's tracker, newest first, each saying whether the ad is still open (two
    queries)."""
    from vagval.jobs.selectors import ads_active

    applications = list(Application.objects.filter(client=client).order_by("-updated_at", "-id"))
    open_ids = set(
        ads_active().filter(pk__in=[a.ad_id for a in applications]).values_list("pk", flat=True)
    )
    return [TrackerRow(a, a.ad_id in open_ids) for a in applications]


def applications_as_dicts(*, client: ClientProfile) -> list[dict[str, Any]]:
    return [
        {
            "ad_id": a.ad_id,
            "headline": a.headline,
            "employer_name": a.employer_name,
            "url": a.url,
            "occupation_id": a.occupation_id,
            "status": a.status,
            "note": a.note,
            "created_at": a.created_at,
            "status_changed_at": a.status_changed_at,
            "applied_at": a.applied_at,
            "history": a.history,
        }
        for a in Application.objects.filter(client=client).order_by("created_at", "id")
    ]


# ---- step status for Min resa ---------------------------------------------------------------


def feed_step_status(*, client: ClientProfile, language: str) -> StepStatus:
    """Step 5 on Min resa (one query): new matches since yesterday, saved and applied."""
    en = language_code(language) == "en"
    status = StepStatus(
        step=JourneyStep.FEED,
        number=5,
        title="Jobs for you" if en else "Lediga jobb",
        state=StepStatus.NOT_STARTED,
        url=reverse("journey:feed"),
        action="See jobs for you" if en else "Se jobb som passar dig",
    )
    # One query: the newest snapshot with the tracker's counts alongside (Min resa's budget).
    mine = Application.objects.filter(client=OuterRef("client")).values("client")
    snapshot = (
        FeedSnapshot.objects.filter(client=client)
        .annotate(
            saved=Subquery(mine.annotate(n=Count("id")).values("n")[:1]),
            applied=Subquery(
                mine.exclude(status=ApplicationStatus.INTERESTED)
                .annotate(n=Count("id"))
                .values("n")[:1]
            ),
        )
        .order_by("-computed_at", "-id")
        .first()
    )
    if snapshot is None:
        status.facts = [
            "A ranked list of open jobs, each saying why it fits you."
            if en
            else "Lediga jobb i ordning efter hur väl de passar dig, med skälen."
        ]
        return status
    status.state = StepStatus.IN_PROGRESS
    now = timezone.now()
    new = sum(
        1
        for i in snapshot.items
        if i.get("first_seen") and now - dt.datetime.fromisoformat(i["first_seen"]) <= NEW_WINDOW
    )
    n = len(snapshot.items)
    facts = [f"{n} jobs match you." if en else f"{n} jobb matchar dig."]
    if new:
        facts.insert(
            0, f"{new} new matches since yesterday." if en else f"{new} nya träffar sedan igår."
        )
    saved = snapshot.saved or 0  # type: ignore[attr-defined]
    applied = snapshot.applied or 0  # type: ignore[attr-defined]
    if saved:
        facts.append(
            f"{saved} saved, {applied} applied or further."
            if en
            else f"{saved} sparade, {applied} sökta eller längre."
        )
    status.facts = facts
    status.action = "See your jobs" if en else "Se dina jobb"
    return status
