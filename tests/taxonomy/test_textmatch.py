"""The text matcher finds occupations, skills, languages and licences in real ads."""

from __future__ import annotations

from typing import Any

import pytest

from vagval.taxonomy.textmatch import ConceptHit, ConceptMatcher, get_matcher

JAVA = "jCsR_WQX_CKD"
KOTLIN = "Xakb_qAt_g9u"
PYTHON = "qfkh_ZRK_w4W"
SQL = "Xnmr_kYS_YKY"
SWEDISH = "zSLA_vw2_FXN"
ENGLISH = "NVxJ_hLg_TYS"
SYSTEMUTVECKLARE = "fg7B_yov_smw"
DOCKER = "ZipR_ckJ_YQC"
POSTGRESQL = "4chh_Dqk_bre"


def ad_text(ad: dict[str, Any]) -> str:
    return f"{ad['title']}\n{ad['description']}"


def found(text: str, **kwargs: Any) -> dict[str, ConceptHit]:
    return {hit.concept_id: hit for hit in get_matcher().find(text, **kwargs)}


def test_a_swedish_java_ad(real_ads: dict[str, dict[str, Any]]) -> None:
    ad = real_ads["27920853"]  # "Systemutvecklare Java / Kotlin"
    hits = found(ad_text(ad))
    for concept_id in (SYSTEMUTVECKLARE, JAVA, KOTLIN, PYTHON, SQL, SWEDISH, ENGLISH):
        assert concept_id in hits, sorted(h.label for h in hits.values())
    assert hits[SYSTEMUTVECKLARE].type == "occupation-name"
    assert hits[JAVA].type == "skill"
    assert hits[JAVA].label == "Java, programmeringsspråk"
    assert hits[JAVA].matched == "Java"
    assert hits[SYSTEMUTVECKLARE].count >= 2


def test_a_backend_ad_lists_its_tools(real_ads: dict[str, dict[str, Any]]) -> None:
    hits = found(ad_text(real_ads["27922345"]))  # "Utvecklare med fokus på Java och backend"
    assert {JAVA, DOCKER, POSTGRESQL} <= set(hits)
    assert hits[JAVA].count >= 3


def test_an_english_ad_finds_languages_by_their_english_names(
    real_ads: dict[str, dict[str, Any]],
) -> None:
    hits = found(ad_text(real_ads["27925416"]))  # "Experienced Java Developer"
    assert JAVA in hits
    assert {SWEDISH, ENGLISH} <= set(hits)


def test_results_are_ordered_by_count_and_filtered_by_type(
    real_ads: dict[str, dict[str, Any]],
) -> None:
    hits = get_matcher().find(ad_text(real_ads["27920853"]))
    counts = [h.count for h in hits]
    assert counts == sorted(counts, reverse=True)
    skills_only = get_matcher().find(ad_text(real_ads["27920853"]), types=frozenset({"skill"}))
    assert skills_only and {h.type for h in skills_only} == {"skill"}


def test_inflected_and_compound_forms() -> None:
    hits = found(
        "Sjuksköterskorna på avdelningen söker fler sjuksköterskor. "
        "Vi kräver B-körkort och goda kunskaper i svenska."
    )
    nurse = next(h for h in hits.values() if h.label == "Sjuksköterska, grundutbildad")
    assert nurse.count == 2
    assert nurse.matched == "Sjuksköterskorna"
    licence = next(h for h in hits.values() if h.type == "driving-licence")
    assert (licence.label, licence.matched) == ("B", "B-körkort")


def test_whole_words_only_and_no_everyday_words() -> None:
    # "JavaScript" is not "Java"; "ansvar", "team", "service" and "kollektivavtal" are not skills.
    hits = found(
        "Du har erfarenhet av JavaScript, tar ansvar i teamet, ger god service. Kollektivavtal."
    )
    assert JAVA not in hits
    labels = {h.label for h in hits.values()}
    assert "JavaScript, programmeringsspråk" in labels
    assert not {"Ansvar", "Team", "Service", "Kollektivavtal"} & labels
    assert found("") == {} and found("   ...  ") == {}


def test_python_and_sql_written_with_a_slash() -> None:
    hits = found("Erfarenhet av Python/SQL och CI/CD.")
    assert {PYTHON, SQL} <= set(hits)


def test_matcher_is_cached_per_taxonomy_version() -> None:
    assert get_matcher() is get_matcher()
    assert len(get_matcher()) > 5000


@pytest.mark.parametrize("text", ["C# och C++ samt .NET", "c#, c++"])
def test_symbols_in_tech_names(text: str) -> None:
    labels = {h.label for h in found(text).values()}
    assert {"C#, programmeringsspråk", "C++, programmeringsspråk"} <= labels


def test_a_matcher_built_from_rows() -> None:
    matcher = ConceptMatcher("test", [("x1", "skill", "Kylteknik", "Kylteknik")])
    (hit,) = matcher.find("Kunskap i kylteknik krävs. KYLTEKNIK!")
    assert (hit.concept_id, hit.count, hit.matched) == ("x1", 2, "kylteknik")
