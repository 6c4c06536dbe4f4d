"""Bad records are quarantined with a clear reason while the rest of the batch lands."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.jobs.conftest import NOW
from vagval.jobs.models import JobAd, QuarantinedRecord
from vagval.jobs.services import ads_ingest

pytestmark = pytest.mark.usefixtures("jobs_db")


def _variant(line: str, new_id: str, **changes: object) -> str:
    ad = json.loads(line)
    ad["url"] = f"/platsbanken/annonser/{new_id}"
    for key, value in changes.items():
        if value is None:
            ad.pop(key, None)
        else:
            ad[key] = value
    return json.dumps(ad, ensure_ascii=False)


@pytest.fixture
def bad_batch(platsbanken_lines: list[str], tmp_path: Path) -> Path:
    good = platsbanken_lines[:20]
    bad = [
        '{"title": "Trasig rad", "company": "X -  Stockholm", "url": "/platsbanken/annonser/9',
        _variant(good[0], "91000001", title=None),
        _variant(good[1], "91000002", title=["Utvecklare"]),
        _variant(good[2], "91000003", description="Lorem ipsum dolor. " * 280_000),
        _variant(
            good[3],
            "91000004",
            description=json.loads(good[3])["description"] + "<script>fetch('/steal')</script>",
        ),
        _variant(good[4], "91000005", company="Acme AB -  Atlantis"),
        good[5],  # the same ad id again in the same batch
    ]
    path = tmp_path / "batch.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(good[:10] + bad + good[10:]) + "\n")
    return path


def test_each_bad_record_is_quarantined_with_its_reason(bad_batch: Path) -> None:
    summary = ads_ingest(source="platsbanken-web", paths=[bad_batch], workers=1, now=NOW)
    assert summary.read == 27
    assert summary.new == 20
    assert summary.quarantined == 7
    assert JobAd.objects.count() == 20
    reasons = {(q.source_id, q.reason): q for q in QuarantinedRecord.objects.all()}
    assert {r for _, r in reasons} == {
        "malformed",
        "missing_field",
        "wrong_type",
        "too_large",
        "hostile_html",
        "unknown_municipality",
        "duplicate_id",
    }
    malformed = reasons[("", "malformed")]
    assert malformed.origin.endswith("batch.jsonl.gz:11")
    assert malformed.raw_payload.startswith('{"title": "Trasig rad"')
    assert "JSON" in malformed.message
    assert reasons[("91000001", "missing_field")].message == "Annonsen saknar titel."
    assert reasons[("91000002", "wrong_type")].message == "Fältet title ska vara text."
    big = reasons[("91000003", "too_large")]
    assert big.raw_truncated and big.raw_size > 5_000_000
    assert len(big.raw_payload) == QuarantinedRecord.RAW_LIMIT
    assert "skript" in reasons[("91000004", "hostile_html")].message
    assert "Atlantis" in reasons[("91000005", "unknown_municipality")].message
    dup = next(q for q in reasons.values() if q.reason == "duplicate_id")
    assert dup.source_id == JobAd.objects.order_by("id")[5].source_id
    assert all(q.run_id == summary.run_id for q in reasons.values())


def test_rerun_adds_no_quarantine_rows(bad_batch: Path) -> None:
    ads_ingest(source="platsbanken-web", paths=[bad_batch], workers=1, now=NOW)
    rows = QuarantinedRecord.objects.count()
    again = ads_ingest(source="platsbanken-web", paths=[bad_batch], workers=1, now=NOW)
    assert (again.new, again.updated) == (0, 0)
    assert again.quarantined == 7  # still reported for this run...
    assert QuarantinedRecord.objects.count() == rows  # ...but stored once


def test_truncated_json_file_is_quarantined(
    tmp_path: Path, recorded_files: dict[str, Path]
) -> None:
    text = recorded_files["jobstream_snapshot.json"].read_text("utf-8")
    broken = tmp_path / "cut.json"
    broken.write_text(text[: len(text) // 2], "utf-8")
    summary = ads_ingest(source="jobtech", paths=[broken], workers=1, now=NOW)
    # The ads before the cut land; the rest of the file is reported, not silently dropped.
    assert summary.new >= 15
    row = QuarantinedRecord.objects.get(reason="malformed")
    assert "bryts efter post" in row.message


def test_object_that_is_no_ad(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text('[1, 2, 3]\n"text"\n{"id": true, "headline": "x"}\n', "utf-8")
    summary = ads_ingest(source="jobtech", paths=[path], workers=1, now=NOW)
    assert summary.quarantined == 3 and summary.new == 0
    assert set(QuarantinedRecord.objects.values_list("reason", flat=True)) == {"wrong_type"}


def test_nul_characters_never_fail_a_batch(platsbanken_lines: list[str], tmp_path: Path) -> None:
    """PostgreSQL text cannot hold NUL: an escaped one in JSON is dropped from the ad, a raw
    one (broken JSON) is quarantined with the line shown, and the rest of the batch lands."""
    good = platsbanken_lines[:5]
    ad = json.loads(good[0])
    ad["title"] = "Utveck\u0000lare"
    ad["company"] = ad["company"].replace(" - ", "\u0000 - ", 1)
    ad["description"] = "Rad\u0000 ett\n" + ad["description"]
    escaped = json.dumps(ad, ensure_ascii=False)
    assert "\\u0000" in escaped
    broken = good[1][:40] + "\x00" + good[1][40:]  # a raw NUL byte: not JSON at all
    path = tmp_path / "nul.jsonl"
    path.write_text("\n".join([escaped, broken, *good[2:]]) + "\n", "utf-8")
    summary = ads_ingest(source="platsbanken-web", paths=[path], workers=1, now=NOW)
    assert (summary.read, summary.new, summary.quarantined) == (5, 4, 1)
    stored = JobAd.objects.get(headline="Utvecklare")
    assert "\x00" not in stored.employer_name + stored.description_text
    assert stored.description_text.startswith("Rad ett\n")
    quarantined = QuarantinedRecord.objects.get()
    assert quarantined.reason == "malformed" and "\\u0000" in quarantined.raw_payload


def test_a_line_that_is_not_utf8_is_quarantined_as_such(
    platsbanken_lines: list[str], tmp_path: Path
) -> None:
    """Lines reach the workers as bytes; one in another encoding (Latin-1 here) is quarantined
    with that reason and its text, and the lines around it land."""
    good = [line.encode("utf-8") for line in platsbanken_lines[:4]]
    line = _variant(platsbanken_lines[4], "91000009", title="Sjuksköterska")
    latin1 = line.encode("latin-1", "replace")
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join([good[0], good[1], latin1, good[2], good[3]]) + b"\n")
    summary = ads_ingest(source="platsbanken-web", paths=[path], workers=1, now=NOW)
    assert (summary.read, summary.new, summary.quarantined) == (5, 4, 1)
    quarantined = QuarantinedRecord.objects.get()
    assert quarantined.reason == "malformed"
    assert "inte UTF-8" in quarantined.message
    assert "Sjuksk" in quarantined.raw_payload and quarantined.origin.endswith(":3")
