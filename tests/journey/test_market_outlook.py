"""Step 3 shows Arbetsförmedlingen's Yrkesbarometer outlook (chances of work now, demand over
five years, with the year of the assessment) as a reason and on the occupation card, read from
the real `labour_market/barometer_regional.json` through the barometer-occupation map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from journey.models import ClientProfile, MarketPlan
from tests.journey.feed_fixtures import Concepts
from vagval.matching.labour_market import SWEDEN, labour_market_load

STOCKHOLM_LAN = "CifL_Rzy_Mku"
SOFTWARE_DEVELOPERS = "KT6P_hVH_LRD"  # barometer occupation "Mjukvaru- och systemutvecklare"


@pytest.fixture(scope="module")
def barometer(real_data_dir: Path) -> dict[str, dict[str, list[str]]]:
    return json.loads((real_data_dir / "labour_market" / "barometer_regional.json").read_text())


def test_outlook_of_an_occupation_in_the_clients_region_from_the_real_file(
    real_data_dir: Path, barometer: dict[str, dict[str, list[str]]]
) -> None:
    market = labour_market_load(data_dir=real_data_dir)
    outlook = market.outlook(occupation_id="rQds_YGd_quU", ssyk="2512", regions=[STOCKHOLM_LAN])
    assert outlook is not None
    level, trend = barometer[SOFTWARE_DEVELOPERS][STOCKHOLM_LAN]
    assert (outlook.region_id, outlook.level, outlook.trend) == (STOCKHOLM_LAN, level, trend)
    assert (outlook.year, outlook.horizon_years, outlook.until) == (2025, 5, 2030)
    sv, en = outlook.texts("i Stockholms län", "in Stockholms län")
    assert sv.startswith(f"{level.capitalize()} möjligheter till arbete i Stockholms län")
    assert f"efterfrågan väntas {trend} de närmaste fem åren" in sv
    assert "yrkesbarometer 2025" in sv and "chances of work in Stockholms län" in en


def test_whole_group_outlook_falls_back_to_sweden_and_unknown_groups_have_none(
    real_data_dir: Path, barometer: dict[str, dict[str, list[str]]]
) -> None:
    market = labour_market_load(data_dir=real_data_dir)
    # Another occupation name in SSYK 2512 gets the group's barometer occupation; a region
    # the barometer did not assess falls back to the national assessment.
    outlook = market.outlook(occupation_id="not-listed", ssyk="2512", regions=["no-such-region"])
    assert outlook is not None and outlook.region_id == SWEDEN
    assert [outlook.level, outlook.trend] == barometer[SOFTWARE_DEVELOPERS][SWEDEN]
    # SSYK 2143 is split between two barometer occupations: only the named occupations get one.
    assert market.outlook(occupation_id="not-listed", ssyk="2143") is None
    named = market.outlook(occupation_id="YqiW_QLd_qHo", ssyk="2143")
    assert named is not None and named.label == "Civilingenjörer inom elektroteknik"
    assert market.outlook(occupation_id="not-listed", ssyk="9999") is None


def test_a_map_in_the_data_folder_replaces_the_committed_one(
    tmp_path: Path, real_data_dir: Path
) -> None:
    folder = tmp_path / "labour_market"
    folder.mkdir()
    for name in ("barometer_regional.json", "ssyk_salary.json"):
        (folder / name).write_text((real_data_dir / "labour_market" / name).read_text())
    (folder / "barometer_occupations.json").write_text(
        json.dumps(
            {
                "assessment_year": 2024,
                "horizon_years": 5,
                "occupations": {
                    SOFTWARE_DEVELOPERS: {"label": "X", "ssyk": ["2511"], "whole_groups": True}
                },
            }
        )
    )
    market = labour_market_load(data_dir=tmp_path)
    assert market.outlook(ssyk="2512") is None
    outlook = market.outlook(ssyk="2511")
    assert outlook is not None and outlook.year == 2024


def test_step3_shows_the_outlook_as_a_reason_and_on_the_card(
    developer: ClientProfile,
    karin_browser: Client,
    concepts: Concepts,
    barometer: dict[str, dict[str, list[str]]],
) -> None:
    html = karin_browser.get("/resa/arbetsmarknad/").content.decode()
    plan = MarketPlan.objects.get(client=developer)
    group = concepts.view.occupation_group[concepts.occupation("Systemutvecklare/Programmerare")]
    suggestion = next(s for s in plan.suggestions if s["group_id"] == group)
    level, trend = barometer[SOFTWARE_DEVELOPERS][STOCKHOLM_LAN]
    outlook = suggestion["demand"]["outlook"]
    assert outlook["region_id"] == STOCKHOLM_LAN and outlook["level"] == level
    reason = next(r for r in suggestion["reasons"] if r["code"] == "outlook")
    assert reason["sv"].startswith(f"{level.capitalize()} möjligheter till arbete i Stockholms län")
    card = html[html.index(f'id="yrke-{suggestion["concept_id"]}"') :]
    card = card[: card.index("</li>\n    <li") if "</li>\n    <li" in card else None]
    assert reason["sv"] in card
    assert (
        f"Yrkesbarometern 2025, Stockholms län: {level} möjligheter till arbete; "
        f"efterfrågan väntas {trend} till 2030." in card
    )
    # In English, too.
    karin_browser.post("/sprak/", {"language": "en", "next": "/resa/arbetsmarknad/"})
    html = karin_browser.get("/resa/arbetsmarknad/").content.decode()
    assert "chances of work in Stockholms län" in html
    assert "Yrkesbarometer 2025, Stockholms län:" in html and "until 2030" in html
