"""The whole pipeline on the 790 real Platsbanken ads: places, dedup, idempotence, selectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.db import connection

from tests.jobs.conftest import NOW
from vagval.jobs import selectors
from vagval.jobs.models import IngestRun, JobAd, JobCluster, LshBand, QuarantinedRecord
from vagval.jobs.services import ads_ingest

pytestmark = pytest.mark.usefixtures("jobs_db")

STOCKHOLM = "AvNB_uwa_6n6"
STOCKHOLMS_LAN = "CifL_Rzy_Mku"


@pytest.fixture
def ingested(platsbanken_path: Path) -> dict[str, int]:
    return ads_ingest(
        source="platsbanken-web", paths=[platsbanken_path], workers=1, now=NOW
    ).as_cli_dict()


def test_all_real_ads_land_with_places_and_links(ingested: dict[str, int]) -> None:
    assert ingested["read"] == 790
    assert ingested["new"] == 790
    assert ingested["quarantined"] == 0
    ad = JobAd.objects.get(source="platsbanken-web", source_id="27928924")
    assert ad.headline == "Senior Software Engineer"
    assert ad.employer_name == "Gasverket Stockholm"
    assert (ad.municipality_concept_id, ad.region_concept_id) == (STOCKHOLM, STOCKHOLMS_LAN)
    assert ad.url == "https://arbetsformedlingen.se/platsbanken/annonser/27928924"
    assert ad.apply_url.startswith("https://sandvik.wd3.myworkdayjobs.com/")
    assert ad.language == "en"
    assert ad.working_hours == "Heltid" and ad.duration == "Tillsvidare"
    assert "<p>" in ad.description_as_html and "Sandvik" in ad.description_text
    # Plain text from the source: its HTML is derived on reading, not stored a second time.
    assert ad.description_html == ""
    # Every ad found its municipality (Solna, Södertälje, Danderyd ... all in Stockholms län).
    assert not JobAd.objects.filter(municipality_concept_id="").exists()
    assert set(JobAd.objects.values_list("region_concept_id", flat=True)) == {STOCKHOLMS_LAN}
    # "Cannot find link to apply" (92) and hidden e-mail addresses (6) are not links.
    assert JobAd.objects.filter(apply_url="").count() == 98


def test_enrichment_finds_occupations_and_skills(ingested: dict[str, int]) -> None:
    with_skills = JobAd.objects.exclude(skill_ids=[]).count()
    with_occupations = JobAd.objects.exclude(occupation_ids=[]).count()
    assert with_skills > 600
    assert with_occupations > 250  # titles like "Utvecklare" name an occupation; many do not
    ad = JobAd.objects.get(source_id="27928924")
    assert all(isinstance(i, str) and len(i) == 12 for i in ad.skill_ids)


def test_same_description_posted_as_many_ads_is_one_job(ingested: dict[str, int]) -> None:
    # One staffing company posted the same ad in 25 municipalities of Stockholms län.
    ads = JobAd.objects.filter(headline__startswith="ITkonsult som är specialist inom Windows")
    assert ads.count() == 25
    assert len({a.cluster_id for a in ads}) == 1
    cluster = JobCluster.objects.get(pk=ads[0].cluster_id)
    assert cluster.member_count == 25
    links = selectors.cluster_sources(cluster_id=cluster.pk)
    assert len(links) == 25 and links[0]["is_canonical"]
    assert len({link["url"] for link in links}) == 25
    assert all(link["apply_url"].startswith("https://") for link in links)
    # Only the canonical ad is in the active set.
    assert selectors.ads_active().filter(cluster_id=cluster.pk).count() == 1


def test_recruiter_and_employer_names_of_one_job_are_merged(ingested: dict[str, int]) -> None:
    ads = JobAd.objects.filter(headline="Fullstack JavaScript Developer").values_list(
        "employer_name", "cluster_id"
    )
    assert {name for name, _ in ads} == {"Genvalues AB", "GV"}
    assert len({cid for _, cid in ads}) == 1


def test_different_roles_with_shared_boilerplate_stay_apart(ingested: dict[str, int]) -> None:
    # SwedQ's ads share 85-89 % of their text but are different jobs.
    swedq = dict(JobAd.objects.filter(employer_name="SwedQ").values_list("headline", "cluster_id"))
    assert swedq["Java Software Developer"] != swedq["C# .NET Software Developer"]
    assert swedq["C# .NET Software Developer"] != swedq["C++ Software Developer"]
    assert len(set(swedq.values())) == len(swedq)


def test_rerun_changes_nothing(ingested: dict[str, int], platsbanken_path: Path) -> None:
    counts = (JobAd.objects.count(), JobCluster.objects.count(), LshBand.objects.count())
    quarantined = QuarantinedRecord.objects.count()
    again = ads_ingest(source="platsbanken-web", paths=[platsbanken_path], workers=1, now=NOW)
    assert again.as_cli_dict()["new"] == 0
    assert again.updated == 0 and again.duplicates == 0 and again.unchanged == 790
    assert (JobAd.objects.count(), JobCluster.objects.count(), LshBand.objects.count()) == counts
    assert QuarantinedRecord.objects.count() == quarantined
    assert IngestRun.objects.count() == 2


def test_dedup_clusters_by_two_workers_match_one(
    ingested: dict[str, int], platsbanken_path: Path
) -> None:
    """The fork pool gives the same clusters as in-process parsing."""
    one = {
        frozenset(a["source_id"] for a in members)
        for _cid, members in selectors.clusters_with_duplicates()
    }
    JobAd.objects.all().delete()
    JobCluster.objects.all().delete()
    result = ads_ingest(source="platsbanken-web", paths=[platsbanken_path], workers=2, now=NOW)
    assert result.new == 790 and result.timings["workers"] == 2
    two = {
        frozenset(a["source_id"] for a in members)
        for _cid, members in selectors.clusters_with_duplicates()
    }
    assert one == two
    assert len(one) >= 30


def test_selectors_for_matching_and_statistics(ingested: dict[str, int]) -> None:
    rows = list(selectors.ads_for_matching())
    assert len(rows) == selectors.ads_active().count() == JobCluster.objects.count()
    assert len(rows) < 790  # duplicates are shown once
    first = rows[0]
    assert set(first) == set(selectors.MATCHING_FIELDS)
    assert isinstance(first["skill_ids"], list)
    counts = selectors.ads_count_by_occupation_field_and_region()
    assert sum(counts.values()) == len(rows)
    assert counts[("", STOCKHOLMS_LAN)] == len(rows)
    ad = selectors.ad_get(ad_id=first["id"])
    assert ad is not None and ad.is_canonical
    assert selectors.ad_get(ad_id=-1) is None


def test_incremental_delta_matches_stored_ads(platsbanken_lines: list[str], tmp_path: Path) -> None:
    """A later run finds duplicates of ads stored by an earlier run (the persisted LSH index)."""
    first = tmp_path / "day1.jsonl"
    first.write_text("\n".join(platsbanken_lines[:400]) + "\n", "utf-8")
    ads_ingest(source="platsbanken-web", paths=[first], workers=1, now=NOW)
    # Day 2: the rest, plus a repost of a day-1 ad under a new id with its paragraphs reordered.
    repost = json.loads(platsbanken_lines[5])
    paragraphs = [p for p in repost["description"].split("\n") if p.strip()]
    repost["description"] = "\n".join(paragraphs[1:] + paragraphs[:1])
    repost["url"] = "/platsbanken/annonser/99000001"
    second = tmp_path / "day2.jsonl"
    second.write_text(
        "\n".join([*platsbanken_lines[400:], json.dumps(repost, ensure_ascii=False)]) + "\n",
        "utf-8",
    )
    result = ads_ingest(source="platsbanken-web", paths=[second], workers=1, now=NOW)
    assert result.new == 391
    original = JobAd.objects.get(source_id=json.loads(platsbanken_lines[5])["url"].split("/")[-1])
    assert JobAd.objects.get(source_id="99000001").cluster_id == original.cluster_id


def _clusters() -> set[frozenset[str]]:
    return {
        frozenset(a["source_id"] for a in members)
        for _cid, members in selectors.clusters_with_duplicates()
    }


def _two_days(lines: list[str], tmp_path: Path) -> tuple[Path, Path]:
    """The real ads as two days' files: the first 400, then the other 390."""
    first = tmp_path / "day1.jsonl"
    first.write_text("\n".join(lines[:400]) + "\n", "utf-8")
    second = tmp_path / "day2.jsonl"
    second.write_text("\n".join(lines[400:]) + "\n", "utf-8")
    return first, second


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the in-memory band index is used on PostgreSQL only"
)
def test_long_runs_read_the_band_index_into_memory_with_the_same_clusters(
    platsbanken_lines: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long run stops querying the band table and searches it in memory: same clusters."""
    from vagval.jobs import services

    first, second = _two_days(platsbanken_lines, tmp_path)
    ads_ingest(source="platsbanken-web", paths=[first], workers=1, now=NOW)
    ads_ingest(source="platsbanken-web", paths=[second], workers=1, now=NOW)
    by_table = _clusters()

    LshBand.objects.all().delete()
    JobAd.objects.all().delete()
    JobCluster.objects.all().delete()
    ads_ingest(source="platsbanken-web", paths=[first], workers=1, now=NOW)
    monkeypatch.setattr(services, "BAND_MEMORY_AFTER", 0)  # from the first batch on
    loaded: list[services._BandMemory] = []
    real_init = services._BandMemory.__init__

    def spy(self: services._BandMemory) -> None:
        real_init(self)
        loaded.append(self)

    monkeypatch.setattr(services._BandMemory, "__init__", spy)
    ads_ingest(source="platsbanken-web", paths=[second], workers=1, now=NOW)
    assert len(loaded) == 1
    assert _clusters() == by_table
    assert len(by_table) >= 30  # day 2 ads joined day 1 clusters through the loaded index


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the in-memory band index is used on PostgreSQL only"
)
def test_an_input_big_enough_for_a_long_run_reads_the_band_index_at_once(
    platsbanken_lines: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vagval.jobs import services

    first, second = _two_days(platsbanken_lines, tmp_path)
    ads_ingest(source="platsbanken-web", paths=[first], workers=1, now=NOW)
    loaded_at: list[int] = []
    real_match = services.AdBatchWriter._match

    def spy(self: services.AdBatchWriter, *args: Any) -> Any:
        found = real_match(self, *args)
        if self.bands is not None and not loaded_at:
            loaded_at.append(self.batch_no)
        return found

    monkeypatch.setattr(services.AdBatchWriter, "_match", spy)
    ads_ingest(source="platsbanken-web", paths=[first], workers=1, now=NOW)  # again: short
    assert loaded_at == []
    # 390 ads of ~1 KB each: a long run when an ad may take no more than 100 bytes
    monkeypatch.setattr(services, "INPUT_BYTES_PER_AD_MAX", 100)
    result = ads_ingest(source="platsbanken-web", paths=[second], workers=1, now=NOW)
    assert loaded_at == [1]
    assert result.new == 390 and result.duplicates > 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the in-memory band index is used on PostgreSQL only"
)
def test_band_memory_finds_loaded_and_added_keys() -> None:
    from vagval.jobs.services import _BandMemory, _BandRows, _bands_insert

    _bands_insert(_BandRows.from_pairs([(5, 1), (7, 1), (5, 2), (-9, 3)]))
    bands = _BandMemory()
    bands.add(_BandRows.of([4], [[7, 11, 7]]))
    bands.add(_BandRows.of([6], [[5, 12, 13]]))  # larger than the segment before: merged
    assert len(bands.segments) <= 2
    found = bands.lookup([5, 7, 11, -9, 99]).as_dict()
    assert sorted(found[5]) == [1, 2, 6]
    assert sorted(found[7]) == [1, 4]
    assert found[11] == [4] and found[-9] == [3]
    assert 99 not in found


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the in-memory band index is used on PostgreSQL only"
)
def test_a_keys_stored_ads_come_back_in_id_order_whatever_the_table_order() -> None:
    """The decision keeps the first of equally similar candidates: which one must not depend
    on the order the database hands rows back in, or two runs could cluster differently."""
    from vagval.jobs.services import _BandMemory, _BandRows, _bands_insert, _bands_lookup

    _bands_insert(_BandRows.from_pairs([(5, 9), (7, 9), (5, 2), (5, 4), (-9, 3)]))
    # rows of key 5 physically out of id order: ad 9's row rewritten, so it moves to the end
    LshBand.objects.filter(key=5, ad_id=2).delete()
    _bands_insert(_BandRows.from_pairs([(5, 2)]))
    for found in (_bands_lookup([5, 7, -9]).as_dict(), _BandMemory().lookup([5, 7, -9]).as_dict()):
        assert found == {5: [2, 4, 9], 7: [9], -9: [3]}


def test_band_rows_are_sorted_by_key_then_ad() -> None:
    from vagval.jobs.services import _by_key_then_ad

    rng = np.random.default_rng(20261122)
    keys = rng.integers(-50, 50, 5000)
    ads = rng.permutation(5000)
    sorted_keys, sorted_ads = _by_key_then_ad(keys, ads)
    order = np.lexsort((ads, keys))
    assert sorted_keys.tolist() == keys[order].tolist()
    assert sorted_ads.tolist() == ads[order].tolist()


class _Forgetful(dict):  # type: ignore[type-arg]
    """A `known` memory that keeps nothing: every candidate is read from the table."""

    def update(self, *args: object, **kwargs: object) -> None:
        pass

    def __setitem__(self, key: object, value: object) -> None:
        pass


def _second_day(lines: list[str], tmp_path: Path) -> Path:
    """Day 2 after day 1 = lines[:400], in batches of 40: near copies of 40 day-1 ads (which
    reads those ads as candidates), the 40 ads rewritten with texts not seen before, new ads,
    then near copies of the rewritten ads, which must find them by their new text."""
    reposts, rewritten, copies = [], [], []
    for n, line in enumerate(lines[:40]):
        ad = json.loads(line)
        base = ad["url"].rsplit("/", 1)[0]
        # near, not exact, copies: matched through the band index, not the content hash
        text = ad["description"] + " Välkommen med din ansökan redan idag!"
        reposts.append(json.dumps({**ad, "url": f"{base}/9900{n:04d}", "description": text}))
        ad["description"] = json.loads(lines[-1 - n])["description"]
        rewritten.append(json.dumps(ad))
        text = ad["description"] + " Välkommen med din ansökan redan idag!"
        copies.append(json.dumps({**ad, "url": f"{base}/9800{n:04d}", "description": text}))
    path = tmp_path / "day2.jsonl"
    lines_out = [*reposts, *rewritten, *lines[400:-40], *copies]
    path.write_text("\n".join(lines_out) + "\n", "utf-8")
    return path


def test_candidates_remembered_in_the_run_match_as_if_read_back(
    platsbanken_lines: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many batches, so many candidates are ads inserted, read or rewritten by earlier batches
    of the same run: the clusters are those of a run that reads every candidate afresh."""
    import functools

    from vagval.jobs import pipeline, services

    first = tmp_path / "day1.jsonl"
    first.write_text("\n".join(platsbanken_lines[:400]) + "\n", "utf-8")
    second = _second_day(platsbanken_lines, tmp_path)
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 20)
    monkeypatch.setattr(services, "run", functools.partial(pipeline.run, write_batch=40))
    remembered: list[int] = []
    real_match = services.AdBatchWriter._match

    def spy(self: services.AdBatchWriter, *args: object) -> object:
        remembered.append(len(self.known))
        return real_match(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(services.AdBatchWriter, "_match", spy)
    ads_ingest(source="platsbanken-web", paths=[first], workers=1, now=NOW)
    day2 = ads_ingest(source="platsbanken-web", paths=[second], workers=1, now=NOW)
    assert day2.updated == 40
    assert len(remembered) >= 20 and remembered[-1] >= 300
    with_memory = _clusters()
    rewritten_ids = [f"9800{n:04d}" for n in range(40)]
    together = [c for c in with_memory if any(sid in c for sid in rewritten_ids)]
    assert len(together) >= 30  # the copies joined the rewritten ads, by their new text

    LshBand.objects.all().delete()
    JobAd.objects.all().delete()
    JobCluster.objects.all().delete()
    real_init = services.AdBatchWriter.__init__

    def forgetful(self: services.AdBatchWriter, **kwargs: object) -> None:
        real_init(self, **kwargs)  # type: ignore[arg-type]
        self.known = _Forgetful()

    monkeypatch.setattr(services.AdBatchWriter, "__init__", forgetful)
    ads_ingest(source="platsbanken-web", paths=[first], workers=1, now=NOW)
    ads_ingest(source="platsbanken-web", paths=[second], workers=1, now=NOW)
    assert _clusters() == with_memory
    assert len(with_memory) >= 30


def test_ads_updated_through_the_worker_pool_keep_their_whole_text(
    platsbanken_lines: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers may send an ad without the texts its COPY fields already hold (on PostgreSQL);
    an ad that is updated, not inserted, is written with every field all the same, exactly as
    when parsed in this process."""
    from vagval.jobs import pipeline

    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 50)  # enough chunks for the pool
    day1 = tmp_path / "day1.jsonl"
    day1.write_text("\n".join(platsbanken_lines[:300]) + "\n", "utf-8")
    changed = []
    for line in platsbanken_lines[:300]:
        ad = json.loads(line)
        ad["description"] += "\n\nVälkommen med din ansökan – vi intervjuar löpande!"
        changed.append(json.dumps(ad, ensure_ascii=False))
    day2 = tmp_path / "day2.jsonl"
    day2.write_text("\n".join(changed) + "\n", "utf-8")
    columns = ("source_id", "description_text", "description_html", "record_hash", "headline")

    def stored() -> list[tuple[str, ...]]:
        return list(JobAd.objects.order_by("source_id").values_list(*columns))

    rows = []
    for workers in (2, 1):
        JobAd.objects.all().delete()
        JobCluster.objects.all().delete()
        LshBand.objects.all().delete()
        ads_ingest(source="platsbanken-web", paths=[day1], workers=workers, now=NOW)
        result = ads_ingest(source="platsbanken-web", paths=[day2], workers=workers, now=NOW)
        assert result.updated == 300 and result.timings["workers"] == workers
        rows.append(stored())
    assert rows[0] == rows[1]
    assert all(row[1].endswith("vi intervjuar löpande!") for row in rows[0])
