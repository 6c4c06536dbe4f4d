"""Every adapter on real samples: JobTech shapes, Auranest, JSON-LD pages, scraped JSONL, feeds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.jobs.conftest import NOW
from vagval.jobs.models import JobAd, QuarantinedRecord
from vagval.jobs.services import ads_expire, ads_ingest
from vagval.jobs.sources import get_adapter

pytestmark = pytest.mark.usefixtures("jobs_db")


def test_jobtech_snapshot_array(recorded_files: dict[str, Path]) -> None:
    summary = ads_ingest(
        source="jobtech", paths=[recorded_files["jobstream_snapshot.json"]], workers=1, now=NOW
    )
    assert (summary.read, summary.new, summary.quarantined) == (40, 40, 0)
    ad = JobAd.objects.get(source="jobtech", source_id="27928924")
    assert ad.headline == "Senior Software Engineer"
    assert ad.municipality_concept_id == "AvNB_uwa_6n6"
    assert ad.region_concept_id == "CifL_Rzy_Mku"
    assert ad.employment_type == "Vanlig anställning"
    # "2023-08-01T09:00:00" Swedish summer time is 07:00 UTC.
    assert ad.published_at == dt.datetime(2023, 8, 1, 7, 0, tzinfo=dt.UTC)
    assert ad.application_deadline == dt.datetime(2023, 8, 31, 21, 59, 59, tzinfo=dt.UTC)
    assert ad.is_active


def test_jobtech_search_response_jsonl_and_single_object(recorded_files: dict[str, Path]) -> None:
    paths = [
        recorded_files["jobsearch_search_response.json"],
        recorded_files["jobtech_ads.jsonl"],
        recorded_files["jobtech_single_ad.json"],
    ]
    summary = ads_ingest(source="jobtech", paths=paths, workers=1, now=NOW)
    assert (summary.read, summary.new, summary.quarantined) == (71, 71, 0)


def test_jobtech_folder_input(recorded_files: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.json").write_text(recorded_files["jobtech_single_ad.json"].read_text("utf-8"))
    (folder / "notes.txt").write_text("not an ad")
    summary = ads_ingest(source="jobtech", paths=[folder], workers=1, now=NOW)
    assert (summary.read, summary.new) == (1, 1)


def test_jobtech_official_example_with_org_number(tmp_path: Path) -> None:
    """The README §6 ad (a real 2024 ad), with its organisation number and concept ids."""
    ad = {
        "id": "28746073",
        "webpage_url": "https://arbetsformedlingen.se/platsbanken/annonser/28746073",
        "headline": "Group Product Manager - Customer Care",
        "application_deadline": "2024-05-08T23:59:59",
        "description": {"text": "Volvo Cars söker en produktchef för kundservice.\nVälkommen!",
                        "text_formatted": "Volvo Cars söker en produktchef för kundservice."},
        "employment_type": {"concept_id": "PFZr_Syz_cUq", "label": "Vanlig anställning"},
        "working_hours_type": {"concept_id": "6YE1_gAC_R2G", "label": "Heltid"},
        "employer": {"organization_number": "5560743089", "name": "Volvo Personvagnar AB",
                     "workplace": "Volvo Car Corporation"},
        "application_details": {"url": "https://volvo-car-corporation.contactrh.com/jobs/9669"},
        "occupation": {"concept_id": "32bC_YdL_JtU", "label": "Produktutvecklare"},
        "occupation_group": {"concept_id": "mp2Y_vyC_RFV"},
        "occupation_field": {"concept_id": "6Hq3_tKo_V57"},
        "workplace_address": {"municipality": "Stockholm", "municipality_code": "0180",
                              "municipality_concept_id": "AvNB_uwa_6n6", "region": "Stockholms län",
                              "region_code": "01", "region_concept_id": "CifL_Rzy_Mku",
                              "country_code": "199"},
        "publication_date": "2024-04-24T14:27:02",
        "removed": False,
    }  # fmt: skip
    path = tmp_path / "ad.json"
    path.write_text(json.dumps(ad), "utf-8")
    ads_ingest(
        source="jobtech", paths=[path], workers=1, now=dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    )
    stored = JobAd.objects.get(source_id="28746073")
    assert stored.employer_org_number == "5560743089"
    assert stored.occupation_concept_id == "32bC_YdL_JtU"
    assert stored.occupation_ids[0] == "32bC_YdL_JtU"
    assert stored.occupation_field_concept_id == "6Hq3_tKo_V57"
    assert stored.apply_url == "https://volvo-car-corporation.contactrh.com/jobs/9669"


def test_auranest_elasticsearch_response(auranest_path: Path) -> None:
    summary = ads_ingest(source="jobtech", paths=[auranest_path], workers=1, now=NOW)
    assert (summary.read, summary.new, summary.quarantined) == (10, 10, 0)
    ads = {a.source_id: a for a in JobAd.objects.all()}
    huddinge = ads["9e39fb20-104b-47f4-b1cf-e4290407c45a"]
    assert huddinge.headline == "Visual Merchandiser Länna Extra"
    assert huddinge.employer_name == "Techbuddy AB"
    assert huddinge.municipality_concept_id and huddinge.region_concept_id == "CifL_Rzy_Mku"
    # Offentliga Jobb's XML became paragraphs and lists.
    nurse = ads["05a69dfb-c8e9-4cab-a669-8fe14a0de10e"]
    assert nurse.headline == "Sjuksköterskor till Hjärtavdelning Malmö"
    assert "<h3>Om arbetsplatsen</h3>" in nurse.description_html
    # A US employer without a place lands without a municipality.
    us = ads["9114a3da-260f-40be-bcb8-cbb240e9ad3a"]
    assert us.employer_name == "Baylor College of Medicine"
    assert us.municipality_concept_id == ""
    assert "<li>" in us.description_html


def test_jsonld_career_pages(recorded_files: dict[str, Path]) -> None:
    paths = [recorded_files["career_graph.html"], recorded_files["career_list.html"]]
    summary = ads_ingest(source="jobposting", paths=paths, workers=1, now=NOW)
    assert (summary.read, summary.new, summary.quarantined) == (6, 6, 0)
    ad = JobAd.objects.filter(source="jobposting").order_by("id").first()
    assert ad is not None
    assert ad.source_id.startswith(ad.employer_name + ":ref-")
    assert ad.url.startswith("https://karriar.example.se/jobb/")
    assert ad.municipality_concept_id and ad.region_concept_id
    assert ad.employment_type == "FULL_TIME"
    assert ad.published_at == dt.datetime(2023, 7, 31, 22, 0, tzinfo=dt.UTC)


def test_scraped_postings_wrapped_in_original_job_posting(
    recorded_files: dict[str, Path], platsbanken_path: Path
) -> None:
    ads_ingest(source="platsbanken-web", paths=[platsbanken_path], workers=1, now=NOW)
    summary = ads_ingest(
        source="jobposting", paths=[recorded_files["scraped_postings.jsonl"]], workers=1, now=NOW
    )
    assert (summary.new, summary.quarantined) == (10, 0)
    # The career-page copies are the same jobs as the Platsbanken ads: one cluster each.
    assert summary.duplicates == 10
    for ad in JobAd.objects.filter(source="jobposting"):
        members = set(
            JobAd.objects.filter(cluster_id=ad.cluster_id).values_list("source", flat=True)
        )
        assert members == {"jobposting", "platsbanken-web"}
        # Platsbanken ranks above a career-page copy for the ad shown.
        assert not ad.is_canonical


def test_page_without_jobposting_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "about.html"
    page.write_text("<html><body><h1>Om oss</h1></body></html>", "utf-8")
    summary = ads_ingest(source="jobposting", paths=[page], workers=1, now=NOW)
    assert summary.quarantined == 1
    assert QuarantinedRecord.objects.get().reason == "unsupported"


def test_rss_and_atom_feeds(recorded_files: dict[str, Path]) -> None:
    summary = ads_ingest(
        source="rss",
        paths=[recorded_files["feed.rss.xml"], recorded_files["feed.atom.xml"]],
        workers=1,
        now=NOW,
    )
    assert (summary.read, summary.new, summary.quarantined) == (13, 13, 0)
    rss = JobAd.objects.filter(source_id__startswith="rss-").order_by("id")
    assert rss.count() == 8
    first = rss[0]
    assert first.url.startswith("https://jobb.example.se/annons/")
    assert first.municipality_concept_id  # from <job:location>
    assert first.published_at == dt.datetime(2023, 8, 1, 9, 0, tzinfo=dt.UTC)
    atom = JobAd.objects.filter(source_id__startswith="urn:jobb:")
    assert atom.count() == 5 and all(a.employer_name for a in atom)


def test_removed_in_stream_expires_and_deadline_expiry(recorded_files: dict[str, Path]) -> None:
    ads_ingest(
        source="jobtech", paths=[recorded_files["jobstream_snapshot.json"]], workers=1, now=NOW
    )
    summary = ads_ingest(
        source="jobtech", paths=[recorded_files["jobstream_stream.json"]], workers=1, now=NOW
    )
    assert summary.new == 5 and summary.removed == 2
    assert summary.updated == 3  # one changed headline, two removals
    removed = JobAd.objects.filter(removed_at__isnull=False)
    assert removed.count() == 2
    assert all(not a.is_active and a.expired_reason == "removed" for a in removed)
    assert JobAd.objects.get(
        source_id=json.loads(recorded_files["jobstream_stream.json"].read_text("utf-8"))[5]["id"]
    ).headline.endswith("(uppdaterad)")
    # Deadlines are 30 days after publication (2023-08-31 ...): expire them a month later.
    later = dt.datetime(2023, 10, 1, tzinfo=dt.UTC)
    assert ads_expire(now=later) == JobAd.objects.count() - 2
    assert not JobAd.objects.filter(is_active=True).exists()
    assert ads_expire(now=later) == 0


def test_an_ad_removed_at_the_source_comes_back_when_published_again(
    recorded_files: dict[str, Path],
) -> None:
    snapshot = recorded_files["jobstream_snapshot.json"]
    ads_ingest(source="jobtech", paths=[snapshot], workers=1, now=NOW)
    ads_ingest(
        source="jobtech", paths=[recorded_files["jobstream_stream.json"]], workers=1, now=NOW
    )
    removed_ids = set(
        JobAd.objects.filter(removed_at__isnull=False).values_list("source_id", flat=True)
    )
    assert len(removed_ids) == 2
    # The employer re-publishes: the same ads, unchanged, arrive again in a later snapshot.
    again = ads_ingest(source="jobtech", paths=[snapshot], workers=1, now=NOW)
    assert again.updated >= 2
    back = JobAd.objects.filter(source_id__in=removed_ids)
    assert all(a.is_active and a.removed_at is None and a.expired_reason == "" for a in back)
    assert all(a.cluster is not None and a.cluster.is_active for a in back)


def test_adapters_parse_every_real_platsbanken_ad(platsbanken_lines: list[str]) -> None:
    from vagval.jobs.sources import ParsedAd, RawRecord

    adapter = get_adapter("platsbanken-web")
    parsed = [
        adapter.parse(RawRecord("platsbanken-web", None, line, "x")) for line in platsbanken_lines
    ]
    assert all(isinstance(p, ParsedAd) for p in parsed)
    first = parsed[0]
    assert isinstance(first, ParsedAd)
    assert (first.employer_name, first.municipality_name) == ("Gasverket Stockholm", "Stockholm")


def _postings_of(page: Path) -> list[dict]:
    """The JobPosting objects of a recorded career page (a JSON-LD list)."""
    body = page.read_text("utf-8").split("application/ld+json'>", 1)[1].split("</script>", 1)[0]
    return json.loads(body.replace("<\\/", "</"))


def test_career_page_quirks_real_sites_have(
    recorded_files: dict[str, Path], tmp_path: Path
) -> None:
    """Raw line breaks inside JSON-LD strings, HTML escaped once too often, entities in the
    title and employer, `name` instead of `title`: what browsers read, the ad reads too."""
    first, second, third = _postings_of(recorded_files["career_list.html"])
    second["description"] = second["description"].replace("<", "&lt;").replace(">", "&gt;")
    second["title"] = "Lager &amp; logistik: " + second["title"]
    second["hiringOrganization"]["name"] += " &amp; Co"
    third["name"] = third.pop("title")
    # A CMS pasting the text as typed: line breaks and tabs straight into the JSON strings.
    block = json.dumps([first, second, third], ensure_ascii=False)
    block = block.replace("</p><p>", "</p>\n\t<p>").replace("</", "<\\/")
    assert "\n\t" in block
    with pytest.raises(json.JSONDecodeError):
        json.loads(block)  # not strict JSON any more
    page = tmp_path / "jobb.html"
    page.write_text(
        f"<html><head><script type='application/ld+json'>{block}</script></head></html>", "utf-8"
    )
    summary = ads_ingest(source="jobposting", paths=[page], workers=1, now=NOW)
    assert (summary.read, summary.new, summary.quarantined) == (3, 3, 0)
    by_url = {ad.url: ad for ad in JobAd.objects.filter(source="jobposting")}
    escaped = by_url[second["url"]]
    assert escaped.headline.startswith("Lager & logistik: ")
    assert escaped.employer_name.endswith(" & Co")
    assert "<p>" in escaped.description_html and "&lt;" not in escaped.description_html
    assert "<p>" not in escaped.description_text and "&lt;" not in escaped.description_text
    assert by_url[third["url"]].headline == third["name"]


def test_escaped_html_with_a_script_is_quarantined(
    recorded_files: dict[str, Path], tmp_path: Path
) -> None:
    (posting, *_rest) = _postings_of(recorded_files["career_list.html"])
    posting["description"] = "&lt;p&gt;Hej&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    path = tmp_path / "ads.jsonl"
    path.write_text(json.dumps(posting, ensure_ascii=False) + "\n", "utf-8")
    summary = ads_ingest(source="jobposting", paths=[path], workers=1, now=NOW)
    assert (summary.new, summary.quarantined) == (0, 1)
    assert QuarantinedRecord.objects.get().reason == "hostile_html"
