"""Writes of step 5, the job feed (lediga jobb).

- Feed snapshots: `feed_snapshot_compute` ranks the active ads for one client with
  `vagval.matching.feed_rank` and stores the top `FEED_SIZE` as a `FeedSnapshot`, carrying each
  ad's `first_seen` over from the previous snapshot ("nytt sedan igår", "N nya träffar").
  `feed_snapshots_compute_many` does a chunk of clients with one `feed_rank_many` call and a
  handful of queries (the nightly batch, see journey.tasks_feed).
- `feed_refresh`: the downstream refresher registered with step 1's registry. After a change in
  step 1, 2 or 3 it recomputes the feed and tells the client what it did, naming the change:
  "4 nya träffar sedan du lade till offentlig upphandling".
- Hiding ads, and the application tracker (`Application`): save (interested), applied,
  interview, offer, rejected, withdrawn, with dates, a note and the history of statuses.
- Alerts: the client's digest frequency, the e-mail digest with a one-click unsubscribe (a
  signed token; RFC 8058 List-Unsubscribe headers), and the unsubscribe itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from journey.matchprofile import (
    JourneyAdIndex,
    MatchInputs,
    ad_index_get,
    match_inputs_at,
    match_inputs_change_describe,
    match_inputs_get,
    match_inputs_many,
    match_profile_as_dict,
    match_profile_build,
)
from journey.models import (
    AlertFrequency,
    Application,
    ApplicationStatus,
    ChangeKind,
    ClientProfile,
    FeedSettings,
    FeedSnapshot,
    HiddenAd,
    JourneyStage,
)
from vagval.matching.feed import feed_rank, feed_rank_many
from vagval.matching.taxonomy_view import get_taxonomy_view
from vagval.matching.types import RankedAd

from .client import client_profile_stage_advance
from .downstream import ChangeNote

logger = logging.getLogger(__name__)

FEED_SIZE = 100  # ads kept per snapshot (the page shows them 20 at a time, filters included)
KEEP_SNAPSHOTS = 3  # per client: the newest, and two before it for "what changed"
NEW_WINDOW = dt.timedelta(days=1)
UNSUBSCRIBE_SALT = "journey.feed.alerts.unsubscribe"
DIGEST_MAX_ADS = 10
# How long after the last digest the next one is due (a little slack for beat's timing).
ALERT_PERIOD = {
    AlertFrequency.DAILY: dt.timedelta(hours=20),
    AlertFrequency.WEEKLY: dt.timedelta(days=6, hours=20),
}


# ---- snapshots ------------------------------------------------------------------------------


def _items(
    ranked: Sequence[RankedAd],
    *,
    jindex: JourneyAdIndex,
    previous: FeedSnapshot | None,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """Snapshot items, each with `first_seen` carried over (None for the client's first feed,
    so that nothing counts as "new" the first time)."""
    before = {int(i["ad_id"]): i.get("first_seen") for i in previous.items} if previous else {}
    stamp = now.isoformat() if previous is not None else None
    view = get_taxonomy_view()
    items = []
    for r in ranked:
        ad_id = int(r.ad_id)
        card = jindex.cards.get(r.ad_id)
        occupation = card.occupation_id if card else ""
        items.append(
            {
                "ad_id": ad_id,
                "score": round(float(r.score), 4),
                "reasons": [
                    {"code": x.code, "sv": x.text_sv, "en": x.text_en} for x in r.reasons[:4]
                ],
                "first_seen": before.get(ad_id, stamp) if ad_id in before else stamp,
                "cluster_id": card.cluster_id if card else None,
                "occupation_id": occupation,
                "group_id": view.occupation_group.get(occupation, ""),
                "municipality_id": card.municipality_id if card else "",
                "region_id": card.region_id if card else "",
            }
        )
    return items


def _snapshot_new(
    *,
    client_id: int,
    inputs: MatchInputs,
    ranked: Sequence[RankedAd],
    jindex: JourneyAdIndex,
    previous: FeedSnapshot | None,
    reason: str,
    now: dt.datetime,
) -> FeedSnapshot:
    s, c, p = inputs.revisions
    profile = match_profile_build(inputs=inputs)
    return FeedSnapshot(
        client_id=client_id,
        inputs_key=inputs.key(jindex.version),
        index_version=jindex.version[:100],
        state_revision=s,
        competence_revision=c,
        search_revision=p,
        items=_items(ranked, jindex=jindex, previous=previous, now=now),
        profile=match_profile_as_dict(profile),
        reason=reason,
    )


def feed_snapshot_latest(*, client_id: int) -> FeedSnapshot | None:
    return FeedSnapshot.objects.filter(client_id=client_id).order_by("-computed_at", "-id").first()


def _prune(client_ids: Sequence[int]) -> int:
    """Keep the newest KEEP_SNAPSHOTS per client; two queries for any number of clients."""
    seen: dict[int, int] = {}
    drop = []
    for sid, cid in (
        FeedSnapshot.objects.filter(client_id__in=list(client_ids))
        .order_by("client_id", "-computed_at", "-id")
        .values_list("id", "client_id")
    ):
        seen[cid] = seen.get(cid, 0) + 1
        if seen[cid] > KEEP_SNAPSHOTS:
            drop.append(sid)
    if drop:
        FeedSnapshot.objects.filter(id__in=drop).delete()
    return len(drop)


@dataclass
class FeedComputed:
    snapshot: FeedSnapshot | None  # the newest snapshot (new or not)
    previous: FeedSnapshot | None  # the one before it, when a new one was written
    written: bool


def feed_snapshot_compute(
    *,
    client: ClientProfile,
    reason: str,
    inputs: MatchInputs | None = None,
    jindex: JourneyAdIndex | None = None,
    force: bool = False,
) -> FeedComputed:
    """Rank the client's feed and store it as a new snapshot.

    Idempotent: if the newest snapshot was computed from the same upstream revisions over the
    same ads, nothing is written (`written` is False). Nothing is written either while there is
    nothing to match on (no skills, occupations held or targets).
    """
    inputs = inputs or match_inputs_get(client=client)
    jindex = jindex or ad_index_get()
    previous = feed_snapshot_latest(client_id=client.pk)
    if inputs.is_empty:
        return FeedComputed(snapshot=previous, previous=None, written=False)
    if previous is not None and previous.inputs_key == inputs.key(jindex.version) and not force:
        return FeedComputed(snapshot=previous, previous=None, written=False)
    now = timezone.now()
    ranked = feed_rank(match_profile_build(inputs=inputs), FEED_SIZE, index=jindex.index, now=now)
    snapshot = _snapshot_new(
        client_id=client.pk,
        inputs=inputs,
        ranked=ranked,
        jindex=jindex,
        previous=previous,
        reason=reason,
        now=now,
    )
    snapshot.save()
    _prune([client.pk])
    return FeedComputed(snapshot=snapshot, previous=previous, written=True)


def feed_snapshots_compute_many(*, client_ids: Sequence[int], reason: str = "nightly") -> int:
    """Feeds for a chunk of clients: one ranking call, bulk writes. Idempotent (a client whose
    newest snapshot has the same inputs and ads is skipped). Returns how many were written."""
    ids = sorted(set(int(c) for c in client_ids))
    if not ids:
        return 0
    jindex = ad_index_get()
    inputs = match_inputs_many(client_ids=ids)
    latest: dict[int, FeedSnapshot] = {}
    for snap in FeedSnapshot.objects.filter(client_id__in=ids).order_by(
        "client_id", "-computed_at", "-id"
    ):
        latest.setdefault(snap.client_id, snap)
    todo = [
        cid
        for cid in ids
        if not inputs[cid].is_empty
        and (cid not in latest or latest[cid].inputs_key != inputs[cid].key(jindex.version))
    ]
    if not todo:
        return 0
    now = timezone.now()
    ranked = feed_rank_many(
        [match_profile_build(inputs=inputs[cid]) for cid in todo],
        FEED_SIZE,
        index=jindex.index,
        now=now,
    )
    rows = [
        _snapshot_new(
            client_id=cid,
            inputs=inputs[cid],
            ranked=r,
            jindex=jindex,
            previous=latest.get(cid),
            reason=reason,
            now=now,
        )
        for cid, r in zip(todo, ranked, strict=True)
    ]
    with transaction.atomic():
        FeedSnapshot.objects.bulk_create(rows, batch_size=200)
        _prune(todo)
    return len(rows)


# ---- the downstream refresher ---------------------------------------------------------------


def _count_sv(n: int) -> str:
    return f"{n} {'ny träff' if n == 1 else 'nya träffar'}"


def feed_refresh(*, client: ClientProfile) -> list[ChangeNote]:
    """Recompute step 5 after a change upstream (registered in services.downstream)."""
    inputs = match_inputs_get(client=client)
    computed = feed_snapshot_compute(client=client, inputs=inputs, reason="refresh")
    snapshot, previous = computed.snapshot, computed.previous
    if not computed.written or snapshot is None:
        return []
    url = reverse("journey:feed")
    if previous is None:
        n = len(snapshot.items)
        if n == 0:
            return []
        return [
            ChangeNote(
                message_sv=f"Ditt jobbflöde är klart: {n} lediga jobb matchar dig.",
                message_en=f"Your job feed is ready: {n} open jobs match you.",
                kind=ChangeKind.NEW_RESULTS,
                url=url,
            )
        ]
    if snapshot.inputs_key.rsplit(":", 1)[0] == previous.inputs_key.rsplit(":", 1)[0]:
        return []  # only the ads changed: the nightly feed and the digest tell about those
    old_ids = set(previous.ad_ids)
    new_ids = set(snapshot.ad_ids)
    added = [i for i in snapshot.ad_ids if i not in old_ids]
    dropped = [i for i in previous.ad_ids if i not in new_ids]
    why = match_inputs_change_describe(
        old=match_inputs_at(
            client=client,
            revisions=(
                previous.state_revision,
                previous.competence_revision,
                previous.search_revision,
            ),
        ),
        new=inputs,
    )
    since_sv = f" sedan {why[0]}" if why else ""
    since_en = f" since {why[1]}" if why else ""
    if added:
        n = len(added)
        return [
            ChangeNote(
                message_sv=f"{_count_sv(n)}{since_sv}.",
                message_en=f"{n} new match{'es' if n != 1 else ''}{since_en}.",
                kind=ChangeKind.NEW_RESULTS,
                url=url,
            )
        ]
    if dropped:
        n = len(dropped)
        return [
            ChangeNote(
                message_sv=f"{n} {'träff' if n == 1 else 'träffar'} färre{since_sv}.",
                message_en=f"{n} fewer match{'es' if n != 1 else ''}{since_en}.",
                kind=ChangeKind.REMOVED_RESULTS,
                url=url,
            )
        ]
    if why and snapshot.ad_ids != previous.ad_ids:
        return [
            ChangeNote(
                message_sv=f"Dina lediga jobb är omsorterade sedan {why[0]}.",
                message_en=f"Your jobs have been re-ranked since {why[1]}.",
                kind=ChangeKind.UPDATED,
                url=url,
            )
        ]
    return []


# ---- hiding ---------------------------------------------------------------------------------


def ad_hide(*, client: ClientProfile, ad_id: int) -> HiddenAd:
    """Hide an ad from the client's feed (and from the stored profile the page ranks with)."""
    hidden, _ = HiddenAd.objects.get_or_create(client=client, ad_id=int(ad_id))
    snapshot = feed_snapshot_latest(client_id=client.pk)
    if snapshot is not None:
        excluded = set(snapshot.profile.get("excluded_ad_ids", []))
        if str(ad_id) not in excluded:
            snapshot.profile["excluded_ad_ids"] = sorted(excluded | {str(ad_id)})
            snapshot.save(update_fields=["profile"])
    return hidden


def ad_unhide(*, client: ClientProfile, ad_id: int) -> None:
    HiddenAd.objects.filter(client=client, ad_id=int(ad_id)).delete()
    snapshot = feed_snapshot_latest(client_id=client.pk)
    if snapshot is not None:
        excluded = set(snapshot.profile.get("excluded_ad_ids", []))
        if str(ad_id) in excluded:
            snapshot.profile["excluded_ad_ids"] = sorted(excluded - {str(ad_id)})
            snapshot.save(update_fields=["profile"])


# ---- the application tracker ----------------------------------------------------------------


class AdGone(ValidationError):
    """The ad is no longer open (expired or removed at the source)."""


def _history(application: Application, status: str, now: dt.datetime) -> None:
    application.history = [*application.history, {"status": status, "at": now.isoformat()}]
    application.status = status
    application.status_changed_at = now


def application_save(*, client: ClientProfile, ad_id: int) -> Application:
    """Save an open ad to the tracker ("intresserad"); an existing entry is returned as is."""
    from vagval.jobs.selectors import ad_get

    existing = Application.objects.filter(client=client, ad_id=int(ad_id)).first()
    if existing is not None:
        return existing
    ad = ad_get(ad_id=int(ad_id))
    if ad is None or not ad.is_active:
        raise AdGone(
            "Annonsen är inte längre öppen: den har gått ut eller tagits bort.", code="ad_gone"
        )
    view = get_taxonomy_view()
    now = timezone.now()
    application = Application(
        client=client,
        ad_id=ad.pk,
        cluster_id=ad.cluster_id,
        headline=ad.headline[:500],
        employer_name=ad.employer_name[:300],
        url=(ad.url or ad.apply_url)[:2000],
        occupation_id=ad.occupation_concept_id,
        group_id=view.occupation_group.get(ad.occupation_concept_id, ""),
    )
    _history(application, ApplicationStatus.INTERESTED, now)
    application.save()
    client_profile_stage_advance(client=client, stage=JourneyStage.FEED)
    return application


def application_remove(*, client: ClientProfile, ad_id: int) -> None:
    """Take an ad off the tracker (un-save)."""
    Application.objects.filter(client=client, ad_id=int(ad_id)).delete()


def application_status_set(
    *,
    client: ClientProfile,
    application_id: int,
    status: str,
    applied_at: dt.date | None = None,
    note: str | None = None,
) -> Application:
    """Move an application to `status` (any order: a client may go back), with dates."""
    if status not in ApplicationStatus.values:
        raise ValidationError("Okänd status.", code="bad_status")
    application = Application.objects.filter(client=client, pk=application_id).first()
    if application is None:
        raise ValidationError("Ansökan finns inte.", code="not_found")
    now = timezone.now()
    if applied_at is not None and applied_at > timezone.localdate():
        raise ValidationError("Datumet för ansökan kan inte vara i framtiden.", code="bad_date")
    if status != application.status:
        _history(application, status, now)
        if status == ApplicationStatus.OFFER:
            _outcome_record(client=client, application=application)
    if status == ApplicationStatus.APPLIED and application.applied_at is None:
        application.applied_at = applied_at or timezone.localdate()
    elif applied_at is not None:
        application.applied_at = applied_at
    if note is not None:
        if len(note) > 2000:
            raise ValidationError("Anteckningen får vara högst 2000 tecken.", code="note_long")
        application.note = note
    application.save()
    return application


def application_mark_applied(*, client: ClientProfile, ad_id: int) -> Application:
    """From a feed card: save the ad if needed and mark it applied today."""
    application = application_save(client=client, ad_id=ad_id)
    return application_status_set(
        client=client, application_id=application.pk, status=ApplicationStatus.APPLIED
    )


def _outcome_record(*, client: ClientProfile, application: Application) -> None:
    """An offer is an outcome: keep it anonymised for "paths earlier clients took", only with
    the client's consent to anonymised statistics."""
    from vagval.consent.selectors import consent_is_granted

    from .market import transition_outcome_record

    if not application.group_id or not consent_is_granted(user=client.user, purpose="statistics"):
        return
    inputs = match_inputs_get(client=client)
    view = get_taxonomy_view()
    held = inputs.competence.occupation_ids if inputs.competence else []
    groups = [view.occupation_group[o] for o in held if o in view.occupation_group]
    transition_outcome_record(from_group_ids=groups, to_group_id=application.group_id)


# ---- alerts ---------------------------------------------------------------------------------


def feed_settings_get(*, client: ClientProfile) -> FeedSettings:
    settings_, _ = FeedSettings.objects.get_or_create(client=client)
    return settings_


def feed_alerts_set(*, client: ClientProfile, frequency: str) -> FeedSettings:
    if frequency not in AlertFrequency.values:
        raise ValidationError("Välj hur ofta du vill få e-post.", code="bad_frequency")
    settings_ = feed_settings_get(client=client)
    settings_.alert_frequency = frequency
    if frequency != AlertFrequency.OFF:
        settings_.unsubscribed_at = None
    settings_.save()
    return settings_


def feed_seen_mark(*, client: ClientProfile, when: dt.datetime | None = None) -> None:
    """Remember the client's visit of the feed (one query; creates the settings row if new)."""
    when = when or timezone.now()
    if not FeedSettings.objects.filter(client=client).update(last_seen_at=when):
        FeedSettings.objects.get_or_create(client=client, defaults={"last_seen_at": when})


def unsubscribe_token(*, client_id: int) -> str:
    """A signed token naming the client, for the unsubscribe link (no login needed)."""
    return signing.dumps({"c": int(client_id)}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, client_id: int) -> str:
    path = reverse(
        "journey:feed_unsubscribe", kwargs={"token": unsubscribe_token(client_id=client_id)}
    )
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def feed_alerts_unsubscribe(*, token: str) -> FeedSettings:
    """Turn the alerts off for the client the token names. Raises ValidationError for a token
    that was not made by us (tampered or truncated). Safe to call twice."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        client_id = int(data["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(
            "Länken fungerar inte: den kan ha kopierats ofullständigt.", code="bad_token"
        ) from exc
    settings_ = FeedSettings.objects.filter(client_id=client_id).first()
    if settings_ is None:
        raise ValidationError("Det finns ingen bevakning att avsluta.", code="no_alerts")
    if settings_.alert_frequency != AlertFrequency.OFF or settings_.unsubscribed_at is None:
        settings_.alert_frequency = AlertFrequency.OFF
        settings_.unsubscribed_at = timezone.now()
        settings_.save(update_fields=["alert_frequency", "unsubscribed_at", "updated_at"])
    return settings_


def feed_alert_due(*, settings_: FeedSettings, now: dt.datetime) -> bool:
    period = ALERT_PERIOD.get(settings_.alert_frequency)  # type: ignore[call-overload]
    if period is None:
        return False
    return settings_.last_alert_at is None or now - settings_.last_alert_at >= period


def feed_alert_send(*, client_id: int, now: dt.datetime | None = None) -> bool:
    """Send one client's digest if it is due and there are new matches. Idempotent: the
    settings row is claimed with a conditional update first, so two workers never both send.
    Returns True if a message was sent."""
    from vagval.jobs.selectors import ads_active

    now = now or timezone.now()
    settings_ = (
        FeedSettings.objects.select_related("client__user").filter(client_id=client_id).first()
    )
    if settings_ is None or not feed_alert_due(settings_=settings_, now=now):
        return False
    user = settings_.client.user
    if not getattr(user, "is_active", False) or not user.email:
        return False
    since = settings_.last_alert_at or (
        now - ALERT_PERIOD[AlertFrequency(settings_.alert_frequency)]
    )
    snapshot = feed_snapshot_latest(client_id=client_id)
    if snapshot is None:
        return False
    fresh = [
        item
        for item in snapshot.items
        if item.get("first_seen") and dt.datetime.fromisoformat(item["first_seen"]) > since
    ]
    hidden = set(HiddenAd.objects.filter(client_id=client_id).values_list("ad_id", flat=True))
    fresh = [i for i in fresh if i["ad_id"] not in hidden]
    ads = {
        row["id"]: row
        for row in ads_active()
        .filter(pk__in=[i["ad_id"] for i in fresh])
        .values("id", "headline", "employer_name", "location_label")
    }
    fresh = [i for i in fresh if i["ad_id"] in ads]
    if not fresh:
        return False
    claimed = FeedSettings.objects.filter(
        pk=client_id, last_alert_at=settings_.last_alert_at
    ).update(last_alert_at=now)
    if not claimed:
        return False  # another worker got there first
    language = getattr(user, "preferred_language", "sv") or "sv"
    base = settings.SITE_URL.rstrip("/")
    link = unsubscribe_url(client_id=client_id)
    context = {
        "count": len(fresh),
        "ads": [
            {
                **ads[i["ad_id"]],
                "url": base + reverse("journey:feed_ad", kwargs={"ad_id": i["ad_id"]}),
                "reasons": [r["en" if language == "en" else "sv"] for r in i["reasons"][:3]],
            }
            for i in fresh[:DIGEST_MAX_ADS]
        ],
        "more": max(0, len(fresh) - DIGEST_MAX_ADS),
        "feed_url": base + reverse("journey:feed"),
        "unsubscribe_url": link,
        "weekly": settings_.alert_frequency == AlertFrequency.WEEKLY,
    }
    try:
        with translation.override(language):
            subject = render_to_string("journey/email/feed_digest_subject.txt", context).strip()
            text = render_to_string("journey/email/feed_digest.txt", context)
            html = render_to_string("journey/email/feed_digest.html", context)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[user.email],
            headers={
                # RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe that POSTs.
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:
        # Give the claim back so the retry (acks_late) sends it.
        FeedSettings.objects.filter(pk=client_id, last_alert_at=now).update(
            last_alert_at=settings_.last_alert_at
        )
        raise
    return True


def feed_alert_due_client_ids(*, now: dt.datetime | None = None) -> list[int]:
    """Clients whose digest is due now (daily or weekly), for the fan-out task."""
    from django.db.models import Q

    now = now or timezone.now()
    query = Q()
    for frequency, period in ALERT_PERIOD.items():
        query |= Q(alert_frequency=frequency) & (
            Q(last_alert_at__isnull=True) | Q(last_alert_at__lte=now - period)
        )
    return list(
        FeedSettings.objects.filter(query, client__user__is_active=True)
        .order_by("client_id")
        .values_list("client_id", flat=True)
    )
