"""Occupation suggestions: from free text, for a profile, the CLI's JSON, the data loader."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.matching.conftest import NOW, Ids
from vagval.matching.feed import AdIndex, AdRecord
from vagval.matching.labour_market import labour_market_load
from vagval.matching.occupations import occupations_from_text, occupations_suggest
from vagval.matching.types import MatchProfile


@pytest.mark.parametrize(
    ("text", "ssyk"),
    [
        ("Sjuksköterskor till Hjärtavdelning Malmö\nVi söker sjuksköterskor.", "2221"),
        ("Motor Trend söker Lagerarbetare till Karlstad\nPlock och pack.", "4322"),
        ("Senior Software Engineer\nBuild our backend in Go and Python.", "2512"),
        ("Redovisningsekonom till växande byrå\nDu sköter bokslut.", "3313"),
    ],
)
def test_text_gives_the_ads_group_first(text: str, ssyk: str) -> None:
    top = occupations_from_text(text=text, top=5)
    assert top[0].ssyk == ssyk
    assert len({s.group_id for s in top}) == len(top)  # one suggestion per SSYK-4 group
    assert top[0].reasons and top[0].reasons[0].code == "title"


def test_groups_level_returns_group_concepts(tax) -> None:  # type: ignore[no-untyped-def]
    top = occupations_from_text(text="Undersköterska hemtjänst", top=3, level="ssyk-level-4")
    assert top[0].concept_id == tax.code_group["5321"]
    assert top[0].label == tax.group_label[top[0].concept_id]


def test_systemutvecklare_gets_related_it_occupations_with_missing_skills(tax, ids: Ids) -> None:  # type: ignore[no-untyped-def]
    python = ids.skill("Python, programmeringsspråk")
    java = ids.skill("Java, programmeringsspråk")
    sql = ids.skill("SQL, frågespråk")
    linux = ids.skill("Linux, operativsystem")
    testing = ids.skill("Systemtestning")
    dev = ids.occupation("Systemutvecklare/Programmerare")
    tester = ids.occupation("Systemtestare/Funktionstestare")
    analyst = ids.occupation("Systemanalytiker/Systemutredare")
    nurse = ids.occupation("Sjuksköterska, grundutbildad")
    care = ids.skill("Omvårdnad")
    records = []
    # A small corpus: testers' ads ask for testing and SQL, developers' for Python and Java.
    for i in range(6):
        records.append(AdRecord(f"t{i}", occupation_ids=(tester,), skill_ids=(testing, sql),
                                published_at=NOW))  # fmt: skip
        records.append(AdRecord(f"d{i}", occupation_ids=(dev,), skill_ids=(python, java, linux),
                                published_at=NOW))  # fmt: skip
        records.append(AdRecord(f"a{i}", occupation_ids=(analyst,), skill_ids=(sql, linux),
                                published_at=NOW))  # fmt: skip
        records.append(AdRecord(f"n{i}", occupation_ids=(nurse,), skill_ids=(care,),
                                published_at=NOW))  # fmt: skip
    index = AdIndex.build(records, taxonomy=tax)
    profile = MatchProfile(
        skills={python: 1.0, java: 1.0, sql: 1.0},
        occupations_held=(dev,),
        municipalities=(ids.municipality("Stockholm"),),
    )
    out = occupations_suggest(profile=profile, top=6, index=index)
    codes = [s.ssyk for s in out]
    assert codes[0] == "2512"
    assert {"2514", "2511"} <= set(codes)  # testers and analysts: substitutable IT work
    assert "2221" not in codes  # nothing links a developer to nursing
    tester_sugg = next(s for s in out if s.ssyk == "2514")
    assert [s.concept_id for s in tester_sugg.missing_skills] == [testing]
    assert [s.concept_id for s in tester_sugg.matched_skills] == [sql]
    codes_of_reasons = {r.code for r in tester_sugg.reasons}
    assert {"related", "skills", "demand"} <= codes_of_reasons
    demand = next(r for r in tester_sugg.reasons if r.code == "demand")
    assert demand.text_sv.endswith("annonser i dina län under 2024")
    assert tester_sugg.demand["ads_2024"] > 0


def test_cli_prints_the_json_shape(tmp_path: Path) -> None:
    ad = tmp_path / "ad.txt"
    ad.write_text("Elektriker\nVi söker en serviceelektriker till våra kunder.", encoding="utf-8")
    out = StringIO()
    call_command("suggest_occupations", "--text", str(ad), "--top", "3", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data) == 3
    for row in data:
        assert set(row) == {"concept_id", "label", "ssyk", "score", "reasons"}
        assert len(row["ssyk"]) == 4 and row["ssyk"].isdigit()
        assert isinstance(row["score"], float) and all(isinstance(r, str) for r in row["reasons"])
    assert data[0]["ssyk"].startswith("741")
    assert [r["score"] for r in data] == sorted((r["score"] for r in data), reverse=True)


def test_cli_refuses_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("suggest_occupations", "--text", str(tmp_path / "nope.txt"), "--json")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(CommandError, match="empty"):
        call_command("suggest_occupations", "--text", str(empty), "--json")


def test_labour_market_loader_reads_the_real_files(real_data_dir: Path, tax) -> None:  # type: ignore[no-untyped-def]
    market = labour_market_load(data_dir=real_data_dir)
    assert market.available and not market.missing
    dev_group = tax.code_group["2512"]
    assert market.ads(dev_group) > market.ads(dev_group, ["CifL_Rzy_Mku"]) > 0
    p10, mean, p90 = market.salary("2512")
    assert p10 < mean < p90
    assert market.transitions("2512")[0][0] != ""
    assert 0 < market.demand_score(dev_group) <= 1


def test_labour_market_loader_falls_back_without_data(tmp_path: Path) -> None:
    market = labour_market_load(data_dir=tmp_path)
    assert not market.available
    assert market.ads("anything") is None
    assert market.salary("2512") == (None, None, None)
    assert market.transitions("2512") == [] and market.demand_score("x") == 0.0
    # A broken file is skipped, the others still load.
    folder = tmp_path / "labour_market"
    folder.mkdir()
    (folder / "ssyk_salary.json").write_text('{"2512": ["1", "2", "3"]}', encoding="utf-8")
    (folder / "labour_flow_data.json").write_text("{not json", encoding="utf-8")
    market = labour_market_load(data_dir=tmp_path)
    assert market.salary("2512") == (1, 2, 3)
    assert "labour_flow_data.json" in market.missing


def test_suggestions_work_without_labour_market_data(tmp_path: Path, tax, ids: Ids) -> None:  # type: ignore[no-untyped-def]
    dev = ids.occupation("Systemutvecklare/Programmerare")
    index = AdIndex.build([], taxonomy=tax)
    out = occupations_suggest(
        profile=MatchProfile(occupations_held=(dev,)),
        top=3,
        index=index,
        market=labour_market_load(data_dir=tmp_path),
    )
    assert out and all(s.demand == {} for s in out)
    assert all(r.code not in {"demand", "salary", "transition"} for s in out for r in s.reasons)


def test_suggestions_work_when_no_ad_names_an_occupation(tax, ids: Ids) -> None:  # type: ignore[no-untyped-def]
    # Ads stored before the taxonomy was loaded carry skills but no occupation: step 3 must
    # still answer (from relations and text) instead of failing on an empty occupation block.
    dev = ids.occupation("Systemutvecklare/Programmerare")
    python = ids.skill("Python, programmeringsspråk")
    records = [AdRecord(f"x{i}", skill_ids=(python,), published_at=NOW) for i in range(5)]
    index = AdIndex.build(records, taxonomy=tax)
    out = occupations_suggest(
        profile=MatchProfile(skills={python: 1.0}, occupations_held=(dev,)), top=3, index=index
    )
    assert all(s.ssyk.startswith("25") for s in out)  # IT work related to the one held
    assert all(not s.matched_skills for s in out)  # no occupation has an ad profile yet
