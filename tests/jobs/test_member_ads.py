"""Ads member companies publish through Vägval: the same cleaning, enrichment, dedup and clusters
as ingested ads, one record at a time, withdrawn when the opening closes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.jobs.conftest import NOW
from vagval.jobs import selectors
from vagval.jobs.member_ads import MemberAdRejectedError, member_ad_upsert, member_ad_withdraw
from vagval.jobs.models import ExpiryReason, JobAd, JobCluster, Source
from vagval.jobs.services import ads_ingest

pytestmark = pytest.mark.usefixtures("jobs_db")

VASTERAS, VASTMANLANDS_LAN = "8deT_FRF_2SP", "G6DV_fKE_Viz"
PYTHON, SQL, BOKSLUT = "qfkh_ZRK_w4W", "Xnmr_kYS_YKY", "Lq2i_vZo_BEx"
MEMBER = Source.MEMBER_COMPANY.value

DESCRIPTION = (
    "Vi söker en systemutvecklare till vårt team i Västerås. Du bygger tjänster i Python och "
    "arbetar med databaser i SQL. Du trivs i ett litet team och vill utvecklas.\n\n"
    "Tjänsten är en tillsvidareanställning på heltid."
)


def publish(ref: str = "employers-opening-1", **changes: object) -> JobAd:
    fields: dict[str, object] = {
        "opening_ref": ref,
        "headline": "  Systemutvecklare\n Python ",
        "description_text": DESCRIPTION,
        "employer_name": "  Norrsken   Industri AB ",
        "employer_org_number": "556016-0680",
        "municipality_id": VASTERAS,
        "skill_ids": [BOKSLUT],
        "application_deadline": dt.date(2023, 9, 30),
        "now": NOW,
    }
    fields.update(changes)
    return member_ad_upsert(**fields)  # type: ignore[arg-type]


def test_an_opening_is_cleaned_enriched_placed_and_shown_as_its_own_job() -> None:
    ad = publish()
    assert ad.source == MEMBER and ad.source_id == "employers-opening-1"
    assert ad.headline == "Systemutvecklare Python"  # one clean line
    assert ad.employer_name == "Norrsken Industri AB"
    assert ad.employer_org_number == "5560160680"
    assert (ad.municipality_concept_id, ad.region_concept_id) == (VASTERAS, VASTMANLANDS_LAN)
    assert ad.language == "sv" and "<p>" in ad.description_as_html
    # The taxonomy matcher found the skills in the text; the employer's own come first.
    assert ad.skill_ids[0] == BOKSLUT and {PYTHON, SQL} <= set(ad.skill_ids)
    assert ad.occupation_ids, "the headline names an occupation"
    # Open all of its last day, Swedish time.
    assert ad.application_deadline == dt.datetime(2023, 9, 30, 21, 59, 59, tzinfo=dt.UTC)
    assert ad.is_active and ad.is_canonical and ad.cluster_id is not None
    assert ad.published_at == NOW
    assert len(bytes(ad.minhash)) == 512
    assert selectors.ads_active().filter(pk=ad.pk).exists()
    row = next(r for r in selectors.ads_for_matching() if r["id"] == ad.pk)
    assert row["source"] == MEMBER


def test_publishing_again_updates_the_same_row_and_unchanged_writes_nothing() -> None:
    first = publish()
    again = publish(now=NOW + dt.timedelta(hours=1))
    assert again.pk == first.pk and again.updated_at == first.updated_at
    assert again.published_at == NOW, "first publication is kept"
    changed = publish(headline="Senior systemutvecklare", now=NOW + dt.timedelta(hours=2))
    assert changed.pk == first.pk and changed.headline == "Senior systemutvecklare"
    assert changed.record_hash != first.record_hash
    # A change of the employer's skills alone is a change too.
    skills = publish(headline="Senior systemutvecklare", skill_ids=[SQL])
    assert skills.skill_ids[0] == SQL and BOKSLUT not in skills.skill_ids
    assert JobAd.objects.filter(source=MEMBER).count() == 1


def test_the_same_job_on_platsbanken_joins_the_cluster_and_the_member_ad_is_shown(
    platsbanken_lines: list[str], tmp_path: Path
) -> None:
    line = next(x for x in platsbanken_lines if "/annonser/27928924" in x)
    path = tmp_path / "one.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    ads_ingest(source="platsbanken-web", paths=[path], workers=1, now=NOW)
    other = JobAd.objects.get(source="platsbanken-web", source_id="27928924")
    assert other.is_canonical
    ad = publish(
        ref="employers-opening-7",
        headline=other.headline,
        description_text=other.description_text,
        employer_name=other.employer_name,
        municipality_id=other.municipality_concept_id,
        skill_ids=[],
    )
    other.refresh_from_db()
    assert ad.cluster_id == other.cluster_id, "a near-duplicate across sources is one job"
    assert ad.is_canonical and not other.is_canonical, "the member company's own ad is shown"
    assert JobCluster.objects.get(pk=ad.cluster_id).member_count == 2
    member_ad_withdraw(opening_ref="employers-opening-7", now=NOW)
    other.refresh_from_db()
    assert other.is_canonical, "after the opening closes the Platsbanken copy is shown again"


def test_withdrawing_takes_the_ad_out_of_the_feed_and_publishing_brings_it_back() -> None:
    ad = publish()
    member_ad_withdraw(opening_ref="employers-opening-1", now=NOW)
    member_ad_withdraw(opening_ref="employers-opening-1", now=NOW)  # twice is harmless
    ad.refresh_from_db()
    assert not ad.is_active and ad.removed_at is not None
    assert ad.expired_reason == ExpiryReason.REMOVED
    assert not selectors.ads_active().filter(pk=ad.pk).exists()
    assert not JobCluster.objects.get(pk=ad.cluster_id).is_active
    back = publish(now=NOW + dt.timedelta(days=1))
    assert back.pk == ad.pk and back.is_active and back.removed_at is None
    assert selectors.ads_active().filter(pk=ad.pk).exists()
    member_ad_withdraw(opening_ref="never-published")  # nothing to do


def test_a_past_deadline_stores_the_ad_closed() -> None:
    ad = publish(application_deadline=dt.date(2023, 8, 1))
    assert not ad.is_active and ad.expired_reason == ExpiryReason.DEADLINE


def test_what_the_pipeline_refuses_is_refused_with_its_reason() -> None:
    with pytest.raises(MemberAdRejectedError) as empty:
        publish(description_text="   ")
    assert empty.value.reason == "missing_field" and "beskrivning" in empty.value.message
    with pytest.raises(MemberAdRejectedError) as hostile:
        publish(description_text='Hej <script>alert(1)</script> <a href="javascript:x">a</a>')
    assert hostile.value.reason == "hostile_html"
    assert not JobAd.objects.filter(source=MEMBER).exists()
    with pytest.raises(ValueError):
        publish(ref="  ")
