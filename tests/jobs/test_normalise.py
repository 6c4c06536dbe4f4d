"""Normalisation of ad fields: HTML, text, organisation numbers, dates, employer keys, remote."""

from __future__ import annotations

import datetime as dt

import pytest

from vagval.jobs.normalise import (
    digest,
    employer_key,
    html_to_text,
    is_hostile_html,
    normalise_org_number,
    parse_datetime,
    remote_work_detect,
    sanitise_html,
    text_to_html,
)


def test_sanitise_keeps_structure_and_drops_active_content() -> None:
    dirty = (
        '<h2 style="x">Om jobbet</h2><p onclick="steal()">Du <b>kodar</b></p>'
        '<script>alert(1)</script><a href="javascript:alert(1)">länk</a>'
        '<a href="https://example.se/ansok">Ansök</a><ul><li>Python</li><li>SQL</li></ul>'
    )
    clean = sanitise_html(dirty)
    assert "<script" not in clean and "alert" not in clean and "onclick" not in clean
    assert "javascript:" not in clean and "style=" not in clean
    assert (
        '<a href="https://example.se/ansok" rel="noopener noreferrer nofollow">Ansök</a>' in clean
    )
    assert html_to_text(clean).splitlines() == [
        "Om jobbet",
        "Du kodar",
        "länkAnsök",
        "• Python",
        "• SQL",
    ]


def test_hostile_html_detection() -> None:
    assert is_hostile_html("<p>hej</p><script>x()</script>")
    assert is_hostile_html('<img src="a.png" onerror="x()">')
    assert is_hostile_html('<a href="javascript:alert(1)">x</a>')
    assert not is_hostile_html("<p>Kunskap i JavaScript: React och Node.js</p>")
    assert not is_hostile_html("Erfarenhet av on-call och C# < 5 år")


def test_text_to_html_escapes_and_keeps_paragraphs() -> None:
    out = text_to_html("Rad <1>\nRad 2")
    assert out == "<p>Rad &lt;1&gt;</p><p>Rad 2</p>"


def test_org_number_luhn() -> None:
    assert normalise_org_number("556074-3089") == "5560743089"  # Volvo Personvagnar AB
    assert normalise_org_number("5560743088") == ""
    assert normalise_org_number("16556074-3089") == "5560743089"
    assert normalise_org_number(None) == ""
    assert normalise_org_number("123") == ""


def test_dates_become_aware_utc() -> None:
    # JobTech writes Swedish local time without an offset (summer time: UTC+2).
    assert parse_datetime("2024-04-24T14:27:02") == dt.datetime(
        2024, 4, 24, 12, 27, 2, tzinfo=dt.UTC
    )
    assert parse_datetime("2018-12-17T15:16:15Z") == dt.datetime(
        2018, 12, 17, 15, 16, 15, tzinfo=dt.UTC
    )
    assert parse_datetime(1713965113220) == dt.datetime(
        2024, 4, 24, 13, 25, 13, 220000, tzinfo=dt.UTC
    )
    assert parse_datetime("2023-09-30") == dt.datetime(2023, 9, 29, 22, 0, tzinfo=dt.UTC)
    assert parse_datetime("not a date") is None


def test_employer_key_drops_legal_form() -> None:
    assert employer_key("Volvo Personvagnar AB") == employer_key("VOLVO PERSONVAGNAR (publ)")
    assert employer_key("Genvalues AB") == "genvalues"


@pytest.mark.parametrize(
    ("headline", "text", "expected"),
    [
        ("Backend-utvecklare", "Tjänsten är helt på distans inom Sverige.", "full"),
        ("Senior Engineer", "This is a fully remote position.", "full"),
        ("Redovisningsekonom", "Möjlighet att arbeta hemifrån två dagar i veckan.", "hybrid"),
        ("Data Engineer", "This position is hybrid with 2-3 days/week from home.", "hybrid"),
        ("Konsult", "Nackdelar: kan ej garantera distansarbete.", ""),
        ("Drifttekniker", "Erfarenhet av hybrid cloud och remote configuration.", ""),
        ("Lärare", "Undervisning i klassrum, ingen distansundervisning.", ""),
        ("Lagerarbetare", "Plock och pack i Jönköping.", ""),
    ],
)
def test_remote_work_is_read_from_the_text(headline: str, text: str, expected: str) -> None:
    assert remote_work_detect(headline, text) == expected


def test_digests_stay_those_already_stored() -> None:
    # Stored ads keep their content and record hashes across versions: a changed digest would
    # make every stored ad look changed (rewritten and matched again) at the next ingest.
    assert digest() == "cae66941d9efbd404e4d88758ea67670"
    assert digest("arbetsgivare", "rubrik = Sjuksköterska", "") == (
        "dd790d4f13004a199bec5b626f46dbae"
    )
    assert digest("\ud800x", "ö") == "3d1d2cd3aef02c74f0d1d9982c60f73b"  # a lone surrogate
    # a part given as its UTF-8 bytes counts as the text
    assert digest("\ud800x", "ö".encode()) == "3d1d2cd3aef02c74f0d1d9982c60f73b"
