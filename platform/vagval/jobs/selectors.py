"""Reads of vagval.jobs that other apps use. Keep these signatures stable.

- `ads_active()`: the ads to show: one per job (the cluster's canonical ad), still open.
- `ad_get(ad_id=...)`: one ad or None.
- `cluster_sources(cluster_id=...)`: every link where a job is published.
- `ads_for_matching()`: a lean stream of what ranking needs, for building matrices.
- `ads_count_by_occupation_field_and_region()`: counts for statistics.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, TypedDict

from django.db.models import Count, QuerySet

from vagval.jobs.models import JobAd, JobCluster

MATCHING_FIELDS = (
    "id",
    "cluster_id",
    "source",
    "headline",
    "description_text",
    "employer_name",
    "occupation_concept_id",
    "occupation_ids",
    "skill_ids",
    "municipality_concept_id",
    "region_concept_id",
    "remote_work",
    "working_hours",
    "employment_type",
    "published_at",
    "application_deadline",
    "language",
)


class SourceLink(TypedDict):
    ad_id: int
    source: str
    source_id: str
    url: str
    apply_url: str
    headline: str
    employer_name: str
    is_active: bool
    is_canonical: bool


class MatchingRow(TypedDict):
    id: int
    cluster_id: int | None
    source: str  # a Source value: the feed marks member-company ads
    headline: str
    description_text: str
    employer_name: str
    occupation_concept_id: str
    occupation_ids: list[str]
    skill_ids: list[str]
    municipality_concept_id: str
    region_concept_id: str
    working_hours: str
    employment_type: str
    published_at: dt.datetime | None
    application_deadline: dt.datetime | None
    language: str


def ads_active() -> QuerySet[JobAd]:
    """Open jobs, one ad each (the one its cluster shows)."""
    return JobAd.objects.filter(is_canonical=True, is_active=True)


def ad_get(*, ad_id: int) -> JobAd | None:
    return JobAd.objects.filter(pk=ad_id).first()


def cluster_sources(*, cluster_id: int) -> list[SourceLink]:
    """Every ad of one job (the shown one first), with its link and application link."""
    rows = JobAd.objects.filter(cluster_id=cluster_id).values(
        "id",
        "source",
        "source_id",
        "url",
        "apply_url",
        "headline",
        "employer_name",
        "is_active",
        "is_canonical",
    )
    links = [
        SourceLink(
            ad_id=r["id"],
            source=r["source"],
            source_id=r["source_id"],
            url=r["url"],
            apply_url=r["apply_url"],
            headline=r["headline"],
            employer_name=r["employer_name"],
            is_active=r["is_active"],
            is_canonical=r["is_canonical"],
        )
        for r in rows
    ]
    links.sort(key=lambda link: (not link["is_canonical"], link["ad_id"]))
    return links


def ads_for_matching(*, chunk_size: int = 2000) -> Iterator[MatchingRow]:
    """The active canonical ads as plain dicts (MATCHING_FIELDS), streamed in id order."""
    rows = ads_active().order_by("id").values(*MATCHING_FIELDS).iterator(chunk_size=chunk_size)
    yield from rows  # type: ignore[misc]


def ads_count_by_occupation_field_and_region() -> dict[tuple[str, str], int]:
    """{(occupation field id, region id): number of open jobs}; "" where the ad has none.

    The occupation field is the one the source gave (JobTech ads carry it).
    """
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in (
        ads_active()
        .values("occupation_field_concept_id", "region_concept_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[(row["occupation_field_concept_id"], row["region_concept_id"])] += row["n"]
    return dict(counts)


def ads_count_by_region() -> dict[str, int]:
    """{region id: number of open jobs}."""
    return {
        row["region_concept_id"]: row["n"]
        for row in ads_active().values("region_concept_id").annotate(n=Count("id")).order_by()
    }


def clusters_with_duplicates(
    *, chunk_size: int = 5000
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(cluster id, members) for every job with two or more ads, members as source links."""
    cluster_ids = list(
        JobCluster.objects.filter(member_count__gte=2).order_by("id").values_list("id", flat=True)
    )
    for i in range(0, len(cluster_ids), chunk_size):
        part = cluster_ids[i : i + chunk_size]
        members: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for cid, source, source_id, url in (
            JobAd.objects.filter(cluster_id__in=part)
            .order_by("cluster_id", "id")
            .values_list("cluster_id", "source", "source_id", "url")
        ):
            members[cid].append({"source": source, "source_id": source_id, "url": url})
        for cid in part:
            if len(members.get(cid, ())) >= 2:
                yield cid, members[cid]


def quarantine_counts() -> dict[str, int]:
    """{reason: rows} of the quarantine, for the admin and monitoring."""
    from vagval.jobs.models import QuarantinedRecord

    return {
        row["reason"]: row["n"]
        for row in QuarantinedRecord.objects.values("reason").annotate(n=Count("id")).order_by()
    }
