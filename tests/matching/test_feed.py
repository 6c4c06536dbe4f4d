"""Feed ranking over a small index of real taxonomy concepts: order, filters, reasons, batch."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.matching.conftest import NOW, Ids
from vagval.matching.feed import (
    DEFAULT_WEIGHTS,
    FEATURES,
    AdIndex,
    AdRecord,
    feature_rows,
    feed_rank,
    feed_rank_many,
)
from vagval.matching.types import Hours, MatchProfile, RemoteWish

DAY = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def world(tax, ids: Ids):  # type: ignore[no-untyped-def]
    python = ids.skill("Python, programmeringsspråk")
    java = ids.skill("Java, programmeringsspråk")
    sql = ids.skill("SQL, frågespråk")
    linux = ids.skill("Linux, operativsystem")
    js = ids.skill("JavaScript, programmeringsspråk")
    care = ids.skill("Omvårdnad")
    dev = ids.occupation("Systemutvecklare/Programmerare")
    backend = ids.occupation("Backend-utvecklare")
    analyst = ids.occupation("Systemanalytiker/Systemutredare")
    nurse = ids.occupation("Sjuksköterska, grundutbildad")
    stockholm = ids.municipality("Stockholm")
    solna = ids.municipality("Solna")
    malmo = ids.municipality("Malmö")
    kiruna = ids.municipality("Kiruna")

    def ad(ad_id: str, **kw):  # type: ignore[no-untyped-def]
        kw.setdefault("published_at", NOW - 3 * DAY)
        kw.setdefault("deadline", NOW + 20 * DAY)
        return AdRecord(ad_id=ad_id, **kw)

    records = [
        ad("best", occupation_ids=(dev,), skill_ids=(python, java, sql, linux),
           municipality_id=solna,
           headline="Systemutvecklare Python", text="Vi söker en systemutvecklare med Python."),
        ad("weaker", occupation_ids=(backend,), skill_ids=(python,), municipality_id=solna,
           headline="Backend-utvecklare", text="Backend med Python."),
        ad("far", occupation_ids=(dev,), skill_ids=(python, java, sql, linux),
           municipality_id=malmo,
           headline="Systemutvecklare", text="Systemutvecklare i Malmö."),
        ad("remote", occupation_ids=(dev,), skill_ids=(python, java), municipality_id=kiruna,
           headline="Systemutvecklare, distans", text="Helt på distans.", remote=True),
        ad("hybrid", occupation_ids=(dev,), skill_ids=(python, java), municipality_id=malmo,
           headline="Systemutvecklare, hybrid", text="Två dagar hemifrån.", remote=True,
           remote_partly=True),
        ad("related", occupation_ids=(analyst,), skill_ids=(sql,), municipality_id=stockholm,
           headline="Systemanalytiker", text="Kravställning och analys."),
        ad("nurse", occupation_ids=(nurse,), skill_ids=(care,), municipality_id=stockholm,
           headline="Sjuksköterska", text="Omvårdnad på avdelning."),
        ad("expired", occupation_ids=(dev,), skill_ids=(python, java, sql, linux, js),
           municipality_id=stockholm, headline="Systemutvecklare", text="Python.",
           deadline=NOW - DAY),
        ad("new", occupation_ids=(dev,), skill_ids=(js,), municipality_id=stockholm,
           headline="Systemutvecklare", text="JavaScript och Python.",
           published_at=NOW - dt.timedelta(hours=5), hours=Hours.PART_TIME),
    ]  # fmt: skip
    index = AdIndex.build(records, taxonomy=tax, version="test")
    profile = MatchProfile(
        skills={python: 1.0, java: 1.0, sql: 0.5, linux: 1.0, js: 0.5},
        target_occupations=(dev,),
        municipalities=(stockholm,),
        max_commute_km=30,
    )
    return {"index": index, "profile": profile, "ids": locals()}


def ranked_ids(world, profile: MatchProfile, k: int = 20) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.ad_id for r in feed_rank(profile, k, index=world["index"], now=NOW)]


def test_best_matching_nearby_ad_comes_first(world) -> None:  # type: ignore[no-untyped-def]
    order = ranked_ids(world, world["profile"])
    assert order[0] == "best"
    # Same skills and occupation, but 500 km away and not remote: below both nearby dev ads.
    assert order.index("far") > order.index("best")
    assert order.index("far") > order.index("weaker")


def test_more_skills_and_target_occupation_beat_fewer(world) -> None:  # type: ignore[no-untyped-def]
    order = ranked_ids(world, world["profile"])
    assert order.index("best") < order.index("weaker") < order.index("related")


def test_unrelated_and_expired_ads_are_not_in_the_feed(world) -> None:  # type: ignore[no-untyped-def]
    order = ranked_ids(world, world["profile"])
    assert "nurse" not in order
    assert "expired" not in order


def test_hidden_ads_are_excluded(world) -> None:  # type: ignore[no-untyped-def]
    profile = world["profile"]
    hidden = MatchProfile(**{**_fields(profile), "excluded_ad_ids": frozenset({"best"})})
    order = ranked_ids(world, hidden)
    assert "best" not in order
    assert order[0] != "best" and "weaker" in order


def test_reasons_in_plain_swedish_and_english(world) -> None:  # type: ignore[no-untyped-def]
    ranked = {r.ad_id: r for r in feed_rank(world["profile"], 20, index=world["index"], now=NOW)}
    best = {r.code: r for r in ranked["best"].reasons}
    assert best["skills"].text_sv == "Matchar 4 av dina kompetenser"
    assert best["skills"].text_en == "Matches 4 of your skills"
    assert best["target_occupation"].text_sv == (
        "Samma yrke som ditt mål: Systemutvecklare/Programmerare"
    )
    assert best["commute"].text_sv.startswith("Inom pendlingsavstånd (Solna, ")
    assert best["commute"].text_sv.endswith(" km)")
    km = int(best["commute"].text_sv.split(", ")[1].split(" ")[0])
    assert 2 <= km <= 12  # Solna's centre is a few km from Stockholm's
    new = {r.code: r for r in ranked["new"].reasons}
    assert new["new"].text_sv == "Nytt sedan igår"
    assert new["place_home"].text_sv == "I Stockholm"
    assert ranked["new"].is_new and not ranked["best"].is_new
    related = {r.code for r in ranked["related"].reasons}
    assert "related_occupation" in related
    # Strongest reason first.
    weights = [r.weight for r in ranked["best"].reasons]
    assert weights == sorted(weights, reverse=True)


def test_remote_wish_only_keeps_remote_or_local_ads(world) -> None:  # type: ignore[no-untyped-def]
    profile = MatchProfile(**{**_fields(world["profile"]), "remote": RemoteWish.ONLY})
    order = ranked_ids(world, profile)
    assert "far" not in order
    assert "remote" in order
    remote = next(r for r in feed_rank(profile, 20, index=world["index"], now=NOW)
                  if r.ad_id == "remote")  # fmt: skip
    assert "Distansarbete möjligt" in [r.text_sv for r in remote.reasons]
    # Hybrid work 600 km away still means commuting there: not for someone who wants only remote.
    assert "hybrid" not in order


def test_remote_wanted_ranks_full_remote_above_hybrid(world) -> None:  # type: ignore[no-untyped-def]
    profile = MatchProfile(**{**_fields(world["profile"]), "remote": RemoteWish.WANTED})
    ranked = {r.ad_id: r for r in feed_rank(profile, 20, index=world["index"], now=NOW)}
    assert ranked["remote"].score > ranked["hybrid"].score
    assert "Delvis distans" in [r.text_sv for r in ranked["hybrid"].reasons]


def test_full_time_wish_demotes_part_time_only(world) -> None:  # type: ignore[no-untyped-def]
    profile = MatchProfile(**{**_fields(world["profile"]), "hours": Hours.FULL_TIME})
    base = {
        r.ad_id: r.score for r in feed_rank(world["profile"], 20, index=world["index"], now=NOW)
    }
    full = {r.ad_id: r.score for r in feed_rank(profile, 20, index=world["index"], now=NOW)}
    # The part-time ad loses exactly the mismatch weight; full-time ads lose nothing.
    assert full["new"] == pytest.approx(base["new"] + DEFAULT_WEIGHTS["hours_mismatch"])
    assert full["best"] == pytest.approx(base["best"])


def test_batch_equals_single(world) -> None:  # type: ignore[no-untyped-def]
    ids = world["ids"]
    profiles = [
        world["profile"],
        MatchProfile(skills={ids["care"]: 1.0}, target_occupations=(ids["nurse"],)),
        MatchProfile(free_text="systemanalytiker kravställning", regions=("CifL_Rzy_Mku",)),
        MatchProfile(skills={ids["sql"]: 1.0}, excluded_ad_ids=frozenset({"related"})),
    ]
    many = feed_rank_many(profiles, 5, index=world["index"], now=NOW, chunk=3)
    for profile, batch in zip(profiles, many, strict=True):
        single = feed_rank(profile, 5, index=world["index"], now=NOW)
        assert [(r.ad_id, round(r.score, 5), r.reasons) for r in batch] == [
            (r.ad_id, round(r.score, 5), r.reasons) for r in single
        ]
    assert [r.ad_id for r in many[1]] == ["nurse"]


def test_feature_rows_match_the_scores(world) -> None:  # type: ignore[no-untyped-def]
    from vagval.matching.feed import weight_vector

    ranked = feed_rank(world["profile"], 3, index=world["index"], now=NOW)
    rows = feature_rows(world["profile"], [r.ad_id for r in ranked] + ["gone"],
                        index=world["index"], now=NOW)  # fmt: skip
    assert rows.shape == (4, len(FEATURES))
    assert np.isnan(rows[3]).all()
    np.testing.assert_allclose(rows[:3] @ weight_vector(), [r.score for r in ranked], rtol=1e-5)


def test_empty_profile_gets_an_empty_feed(world) -> None:  # type: ignore[no-untyped-def]
    assert feed_rank(MatchProfile(), 10, index=world["index"], now=NOW) == []


def test_profile_from_json_refuses_unknown_fields() -> None:
    with pytest.raises(ValueError, match="skils"):
        MatchProfile.from_dict({"skils": ["x"]})
    p = MatchProfile.from_dict(
        {"skills": ["a", "b"], "remote": "only", "seen_before": "2024-05-01"}
    )
    assert p.skills == {"a": 1.0, "b": 1.0} and p.remote == RemoteWish.ONLY
    assert p.seen_before == dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


def _fields(profile: MatchProfile) -> dict:  # type: ignore[type-arg]
    return {name: getattr(profile, name) for name in profile.__dataclass_fields__}
