"""Autocomplete: prefixes, inflection, typos, missing diacritics, type filters, bad input."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from vagval.taxonomy.selectors import concept_autocomplete


def labels(query: str, types: list[str] | None = None, limit: int = 10) -> list[str]:
    return [c.label for c in concept_autocomplete(query=query, types=types, limit=limit)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sjuksköt", "Sjuksköterska, grundutbildad"),  # prefix
        ("systemutveckl", "Systemutvecklare/Programmerare"),  # prefix of a compound
        ("sjukskoterska", "Sjuksköterska, grundutbildad"),  # no diacritics
        ("progamerare", "Systemutvecklare/Programmerare"),  # typo
        ("sjuksköterskor", "Sjuksköterska, grundutbildad"),  # plural
        ("SJUKSKÖTERSKAN", "Sjuksköterska, grundutbildad"),  # definite form, upper case
    ],
)
def test_occupations_are_found_despite_inflection_typos_and_diacritics(
    query: str, expected: str
) -> None:
    found = labels(query, ["occupation"], limit=5)
    assert expected in found, found


def test_definite_plural_finds_the_developers() -> None:
    found = concept_autocomplete(query="utvecklarna", types=["occupation"], limit=10)
    assert found
    assert all("utvecklare" in c.label.lower() for c in found), [c.label for c in found]


def test_prefix_matches_rank_before_fuzzy_and_labels_before_synonyms() -> None:
    found = labels("läkare", ["occupation"], limit=5)
    assert found[0] == "Läkare"
    # "Programmerare" is a synonym of one concept only: it comes once, under its label.
    found = labels("programmerare", ["occupation"])
    assert found.count("Systemutvecklare/Programmerare") == 1


def test_results_carry_ssyk_and_parent_for_occupations() -> None:
    (first,) = concept_autocomplete(
        query="systemutvecklare/programmerare", types=["occupation"], limit=1
    )
    assert first.type == "occupation-name"
    assert first.ssyk == "2512"
    assert first.parent_label.startswith("Mjukvaru- och systemutvecklare")


def test_type_filter_keeps_to_the_type() -> None:
    municipalities = concept_autocomplete(query="stockh", types=["municipality"], limit=5)
    assert [c.label for c in municipalities][:1] == ["Stockholm"]
    assert municipalities[0].parent_label == "Stockholms län"
    assert {c.type for c in municipalities} == {"municipality"}
    assert labels("skåne", ["region"]) == ["Skåne län"]
    assert labels("engelsk", ["language"])[0] == "Engelska"
    skills = concept_autocomplete(query="java", types=["skill"], limit=10)
    assert skills and {c.type for c in skills} == {"skill"}
    assert "Java, programmeringsspråk" in [c.label for c in skills]


def test_empty_overlong_and_odd_queries_return_quickly_without_error() -> None:
    assert labels("") == []
    assert labels("   ") == []
    assert labels("!!!") == []
    assert labels("x" * 10_000) == []
    assert labels("sjuksköterska" + " " * 500 + "x" * 500) is not None
    assert labels("sjuksköt", limit=0) == []
    assert len(labels("a", limit=500)) <= 50


def test_unknown_type_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown type"):
        concept_autocomplete(query="a", types=["planet"])


def test_the_json_endpoint() -> None:
    url = reverse("taxonomy:autocomplete")
    assert url == "/api/taxonomy/autocomplete"
    response = Client().get(url, {"q": "sjuksköt", "type": "occupation", "limit": 3})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    assert set(results[0]) == {"concept_id", "label", "type", "ssyk", "parent_label"}
    assert "Sjuksköterska, grundutbildad" in [r["label"] for r in results]
    both = Client().get(url, {"q": "stockholm", "type": "municipality,region"}).json()["results"]
    assert {r["type"] for r in both} == {"municipality", "region"}


def test_the_endpoint_explains_bad_parameters() -> None:
    url = reverse("taxonomy:autocomplete")
    response = Client().get(url, {"q": "x", "type": "planet"})
    assert response.status_code == 400
    assert "unknown type" in response.json()["error"]
    response = Client().get(url, {"q": "x", "limit": "ten"})
    assert response.status_code == 400
    assert Client().get(url).json() == {"results": []}
    assert Client().post(url, {"q": "x"}).status_code == 405


def test_the_html_fragment_is_an_accessible_listbox() -> None:
    url = reverse("taxonomy:autocomplete")
    response = Client().get(url, {"q": "progamerare", "format": "html", "listbox": "occ-list"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<ul id="occ-list" role="listbox"' in html
    assert 'role="option"' in html
    assert 'data-value="fg7B_yov_smw"' in html
    assert "Systemutvecklare/Programmerare" in html
    assert 'aria-live="polite"' in html
    empty = Client().get(url, {"q": "qqqqqqqq", "format": "html"}).content.decode()
    assert "Inga förslag" in empty
    # htmx requests get the fragment without asking for it.
    htmx = Client().get(url, {"q": "läkare"}, HTTP_HX_REQUEST="true")
    assert 'role="listbox"' in htmx.content.decode()
