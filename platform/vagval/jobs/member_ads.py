"""Services for ads that member companies publish through Vägval.

An opening that HR at a member company publishes for other member companies' clients becomes a
`JobAd` of source `Source.MEMBER_COMPANY`. It takes the same path as every ingested ad, one
record long: HR's fields become a `ParsedAd`, which `pipeline.normalise` cleans (HTML, employer
and organisation number, place, dates, language), keys for deduplication (content hash,
MinHash, LSH bands) and enriches (occupations and skills found by the taxonomy matcher); the
ingest writer `services.AdBatchWriter` then matches it against every stored ad, assigns its
cluster and chooses the ad the cluster shows. A member-company ad is the preferred member of
its cluster (`SOURCE_RANK`), so a job that is also on Platsbanken shows the employer's own words,
marked in the feed as from a member company.

- `member_ad_upsert(...)`: publish or update one opening; returns the stored `JobAd`.
- `member_ad_withdraw(opening_ref=...)`: the opening closed; the ad leaves every feed.

`opening_ref` is the caller's stable id of the opening (e.g. "employers-opening-42"); it is the
ad's `source_id`, so publishing the same opening again updates the same row, and an unchanged
opening writes nothing (its `record_hash` is unchanged).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from vagval.jobs.models import JobAd, Source
from vagval.jobs.normalise import STOCKHOLM
from vagval.jobs.pipeline import Matcher, StageContext, load_matcher, normalise
from vagval.jobs.places import get_place_resolver
from vagval.jobs.services import AdBatchWriter, ads_remove, ingest_lock
from vagval.jobs.sources import ParsedAd, Rejection
from vagval.taxonomy.cache import VersionedCache

SOURCE = Source.MEMBER_COMPANY.value


class MemberAdRejectedError(ValueError):
    """The pipeline refused the ad; `reason` is a `QuarantineReason` value, `message` says why
    in plain Swedish (e.g. "Annonsen saknar beskrivning.")."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


# The matcher (from the disk cache the ingest writes, built once per taxonomy version) stays in
# the process: publishing is one record at a time, and loading it costs more than the record.
_matcher: VersionedCache[Matcher | None] = VersionedCache(lambda _version: load_matcher())


def _context(now: dt.datetime) -> StageContext:
    return StageContext(places=get_place_resolver(), matcher=_matcher.get(), now=now)


def _deadline(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    """A last application day is open all that day, Swedish time; a datetime is kept as is."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(23, 59, 59), tzinfo=STOCKHOLM)


def member_ad_upsert(
    *,
    opening_ref: str,
    headline: str,
    description_text: str,
    employer_name: str,
    employer_org_number: str,
    municipality_id: str = "",
    municipality_name: str = "",
    occupation_id: str = "",
    skill_ids: Sequence[str] = (),
    application_deadline: dt.date | dt.datetime | None = None,
    published_at: dt.datetime | None = None,
    url: str = "",
    apply_url: str = "",
    remote_work: str = "",
    employment_type: str = "",
    working_hours: str = "",
    now: dt.datetime | None = None,
) -> JobAd:
    """Publish (or update) one member-company opening as a job ad in every client's feed.

    Runs the ingestion pipeline's normalise stage and its writer on this one record. Raises
    `MemberAdRejectedError` when the pipeline refuses it (no headline, no description, hostile
    HTML, too long...). Publishing an ad that was withdrawn brings it back. `published_at`
    defaults to when the ad was first published (now, the first time).
    """
    ref = opening_ref.strip()
    if not ref:
        raise ValueError("member_ad_upsert needs an opening_ref")
    now = now or timezone.now()
    first_published = (
        JobAd.objects.filter(source=SOURCE, source_id=ref)
        .values_list("published_at", flat=True)
        .first()
    )
    if published_at is None:
        published_at = first_published or now
    fields: dict[str, Any] = {
        "headline": headline,
        "description_text": description_text,
        "employer_name": employer_name,
        "employer_org_number": employer_org_number,
        "municipality_id": municipality_id,
        "municipality_name": municipality_name,
        "occupation_id": occupation_id,
        "skill_ids": list(skill_ids),
        "url": url,
        "apply_url": apply_url,
        "remote_work": remote_work,
        "employment_type": employment_type,
        "working_hours": working_hours,
        "published_at": published_at,
        "application_deadline": _deadline(application_deadline),
    }
    parsed = ParsedAd(
        source=SOURCE,
        source_id=ref,
        origin=f"vagval:{ref}",
        raw={k: str(v) if isinstance(v, dt.datetime) else v for k, v in fields.items()},
        # HR picks places from the taxonomy; an id that is no longer there leaves the ad
        # without a place rather than out of the feed.
        strict_location=False,
        **fields,
    )
    result = normalise(parsed, _context(now))
    if isinstance(result, Rejection):
        raise MemberAdRejectedError(result.reason, result.message)
    # The writer brings back an ad withdrawn before (as for any source's re-published ad).
    with ingest_lock(), transaction.atomic():
        AdBatchWriter(source=SOURCE, run=None, now=now).write([result])
    return JobAd.objects.get(source=SOURCE, source_id=ref)


def member_ad_withdraw(*, opening_ref: str, now: dt.datetime | None = None) -> None:
    """Take a member-company ad out of every feed (the opening was closed or withdrawn).

    The row stays, marked removed, as for an ad removed at any source: clients who saved it
    see that it has closed, and its cluster shows another source's copy if there is one.
    Withdrawing twice, or an ad never published, does nothing.
    """
    ref = opening_ref.strip()
    if not ref:
        raise ValueError("member_ad_withdraw needs an opening_ref")
    with ingest_lock():
        ads_remove(source=SOURCE, source_ids=[ref], now=now)


__all__ = ["MemberAdRejectedError", "member_ad_upsert", "member_ad_withdraw"]
