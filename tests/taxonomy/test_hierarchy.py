"""The loaded taxonomy has the right hierarchy, codes and relations (checked against JobTech)."""

from __future__ import annotations

from vagval.taxonomy import selectors
from vagval.taxonomy.models import Concept, ConceptTerm

STOCKHOLM = "AvNB_uwa_6n6"
STOCKHOLMS_LAN = "CifL_Rzy_Mku"
SYSTEMUTVECKLARE = "fg7B_yov_smw"  # Systemutvecklare/Programmerare


def test_stockholm_municipality_is_in_stockholms_lan_with_coordinates() -> None:
    stockholm = Concept.objects.get(pk=STOCKHOLM)
    assert (stockholm.type, stockholm.code, stockholm.label_sv) == (
        "municipality",
        "0180",
        "Stockholm",
    )
    assert stockholm.parent_id == STOCKHOLMS_LAN
    assert stockholm.parent is not None and stockholm.parent.code == "01"
    assert stockholm.parent.parent_id == "i46j_HmG_v64"  # Sverige
    lat, lon = selectors.municipality_coordinates()[STOCKHOLM]
    assert abs(lat - 59.33) < 0.1 and abs(lon - 18.06) < 0.15
    assert selectors.concept_by_code(type="municipality", code="0180") == stockholm
    region = selectors.region_for_municipality(concept_id=STOCKHOLM)
    assert region is not None and region.concept_id == STOCKHOLMS_LAN


def test_every_municipality_has_a_region_and_coordinates() -> None:
    municipalities = Concept.objects.filter(type="municipality")
    assert municipalities.filter(parent__type="region").count() == 290
    assert len(selectors.municipality_coordinates()) == 290


def test_an_occupation_climbs_the_ssyk_hierarchy() -> None:
    group = selectors.ssyk4_for_occupation(concept_id=SYSTEMUTVECKLARE)
    assert group is not None
    assert group.code == "2512"
    assert group.label.startswith("Mjukvaru- och systemutvecklare")
    codes = []
    node = Concept.objects.get(pk=group.concept_id)
    while node is not None:
        codes.append((node.type, node.code))
        node = node.parent
    assert codes == [
        ("ssyk-level-4", "2512"),
        ("ssyk-level-3", "251"),
        ("ssyk-level-2", "25"),
        ("ssyk-level-1", "2"),
    ]
    assert "definition" in Concept.objects.get(pk=group.concept_id).extra
    assert selectors.ssyk4_map()[SYSTEMUTVECKLARE] == group
    assert SYSTEMUTVECKLARE in {
        c.concept_id for c in selectors.occupations_in_group(ssyk4_id=group.concept_id)
    }


def test_every_current_occupation_has_an_ssyk4_group() -> None:
    current = Concept.objects.filter(type="occupation-name", deprecated=False)
    assert current.exclude(parent__type="ssyk-level-4").count() == 0
    assert len(selectors.ssyk4_map()) == current.count()


def test_deprecated_concepts_resolve_but_have_no_group() -> None:
    old = Concept.objects.filter(type="occupation-name", deprecated=True).first()
    assert old is not None
    assert selectors.ssyk4_for_occupation(concept_id=old.concept_id) is None
    assert selectors.ssyk4_for_occupation(concept_id="no-such-id") is None


def test_related_occupations_follow_substitutability() -> None:
    # JobTech: an "Elevassistent" can largely (75 %) do the job of a "Skolvärd".
    related = selectors.related_occupations(concept_id="Sbzf_iBA_MAS")
    by_label = {r.label: r.weight for r in related}
    assert by_label["Skolvärd"] == 75
    assert [r.weight for r in related] == sorted((r.weight for r in related), reverse=True)
    assert all(
        r.weight >= 75
        for r in selectors.related_occupations(concept_id="Sbzf_iBA_MAS", min_weight=75)
    )


def test_languages_and_countries_have_iso_codes_and_english_labels() -> None:
    swedish = Concept.objects.get(type="language", label_sv="Svenska")
    assert (swedish.code, swedish.label_en) == ("sv", "Swedish")
    sweden = Concept.objects.get(pk="i46j_HmG_v64")
    assert (sweden.type, sweden.code, sweden.label_en) == ("country", "SE", "Sweden")


def test_job_title_synonyms_from_the_ontology_point_at_occupations() -> None:
    terms = ConceptTerm.objects.filter(concept__type="occupation-name", kind="synonym")
    assert terms.count() > 2000
    nurse = ConceptTerm.objects.select_related("concept").get(term="allmänsjuksköterska")
    assert nurse.concept.label_sv == "Sjuksköterska, grundutbildad"
    assert nurse.kind == "synonym"
    typo = ConceptTerm.objects.select_related("concept").get(term="sjuksköterksa")
    assert (typo.kind, typo.concept_id) == ("misspelling", nurse.concept_id)


def test_concept_labels_returns_known_ids_only() -> None:
    assert selectors.concept_labels(concept_ids=[STOCKHOLM, "nope"]) == {STOCKHOLM: "Stockholm"}
