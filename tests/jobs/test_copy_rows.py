"""The writer's COPY of worker-encoded rows stores exactly what psycopg's own formatting does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.jobs.conftest import NOW
from vagval.jobs import copyrows, services
from vagval.jobs.models import JobAd, JobCluster, LshBand
from vagval.jobs.services import ads_ingest

pytestmark = [
    pytest.mark.usefixtures("jobs_db"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]

# Everything COPY's text format treats specially, in every kind of column an ad has.
AWKWARD = "C:\\temp\\N \\. \\\\N\ttab\r\nny rad \\x00ff \"citat\" 'apostrof' ✓ 😀"


def _awkward_lines(lines: list[str]) -> list[str]:
    out = []
    for n, line in enumerate(lines[:5]):
        ad = json.loads(line)
        ad["url"] = f"/platsbanken/annonser/9900000{n}"
        ad["title"] = f"{ad['title']} {AWKWARD}"
        ad["company"] = ad["company"].replace(" - ", f" {AWKWARD} - ", 1)
        ad["description"] = f"{AWKWARD}\n\n{ad['description']}\n\\.\n\\N"
        out.append(json.dumps(ad, ensure_ascii=False))
    return out


def _stored() -> dict[tuple[str, str], dict[str, Any]]:
    skip = {"id", "cluster_id", "first_seen_at", "updated_at"}
    rows = {}
    for ad in JobAd.objects.all():
        values = {
            f.attname: getattr(ad, f.attname)
            for f in JobAd._meta.concrete_fields
            if f.attname not in skip
        }
        values["minhash"] = bytes(values["minhash"])
        rows[(ad.source, ad.source_id)] = values
    return rows


def _clusters() -> set[frozenset[tuple[str, str]]]:
    members: dict[int, set[tuple[str, str]]] = {}
    for source, source_id, cluster in JobAd.objects.values_list("source", "source_id", "cluster"):
        members.setdefault(cluster, set()).add((source, source_id))
    return {frozenset(m) for m in members.values()}


def test_copied_rows_are_the_rows_psycopg_stores(
    platsbanken_lines: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ads.jsonl"
    path.write_text("\n".join([*platsbanken_lines, *_awkward_lines(platsbanken_lines)]) + "\n")
    copied: list[int] = []
    real_copy = services._ads_copy

    def spy(ads: list[Any], *args: Any) -> list[int]:
        copied.append(len(ads))
        return real_copy(ads, *args)

    monkeypatch.setattr(services, "_ads_copy", spy)
    summary = ads_ingest(source="platsbanken-web", paths=[path], workers=1, now=NOW)
    assert (summary.new, summary.quarantined) == (795, 0)
    assert sum(copied) == 795  # every ad went by the workers' COPY lines
    by_copy, clusters_by_copy = _stored(), _clusters()
    awkward = by_copy[("platsbanken-web", "99000000")]
    assert awkward["headline"].endswith(AWKWARD.replace("\t", " ").replace("\r\n", " "))
    assert awkward["description_text"].startswith("C:\\temp\\N \\. \\\\N tab\nny rad")
    assert awkward["description_text"].endswith("\n\\.\n\\N")

    LshBand.objects.all().delete()
    JobAd.objects.all().delete()
    JobCluster.objects.all().delete()
    # The same input through psycopg's row formatting: the workers encode nothing.
    monkeypatch.setattr(copyrows, "encode_fields", lambda values: b"")
    ads_ingest(source="platsbanken-web", paths=[path], workers=1, now=NOW)
    assert sum(copied) == 795  # not again
    assert _stored() == by_copy
    assert _clusters() == clusters_by_copy


def test_fields_in_copy_text_form() -> None:
    import datetime as dt

    assert copyrows.field(None) == "\\N"
    assert copyrows.field("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"
    assert copyrows.field(True) == "t" and copyrows.field(False) == "f"
    assert copyrows.field(b"\x00\xff") == "\\\\x00ff"
    assert copyrows.field(["a\\b", 'c"d']) == '["a\\\\\\\\b","c\\\\"d"]'
    moment = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    assert copyrows.field(moment) == "2026-11-22T12:00:00+00:00"
    with pytest.raises(ValueError):
        copyrows.field(dt.datetime(2026, 11, 22, 12, 0))
