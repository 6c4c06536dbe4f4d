#!/usr/bin/env python
"""Build the committed taxonomy snapshot from the real JobTech data in $VAGVAL_DATA_DIR.

Usage:
    .venv/bin/python scripts/build_taxonomy_snapshot.py [--data-dir DIR] [--out PATH] [--report]

Reads `taxonomy/**` (JobTech Taxonomy datasets, the 2020 legacy concept map, localities and the
derived municipality table), `ontology/termer_koncept_yrke.csv.gz` (job-title synonyms) and the
real Platsbanken ads (only to find terms that are too common to match in free text). Writes
`platform/vagval/taxonomy/data/taxonomy-snapshot.json.gz` deterministically: the same inputs and
the same versions of `wordfreq` and `pycountry` give the same bytes and the same version hash.
See `platform/vagval/taxonomy/data/SOURCES.md` for where each input comes from.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "platform"))

from vagval.taxonomy.normalize import fold, match_lemma, normalize_term, tokenize  # noqa: E402
from vagval.taxonomy.snapshot import DEFAULT_SNAPSHOT_PATH, Snapshot, snapshot_write  # noqa: E402

SWEDEN = "i46j_HmG_v64"
# Concept types whose terms the free-text matcher may use; other types are never matched in text.
TEXT_TYPES = {"occupation-name", "skill", "language", "driving-licence"}
# A one-word term this common in ordinary Swedish or English (Zipf scale, wordfreq) is an
# everyday word ("ansvar", "team", "service"), too ambiguous to count as a skill or occupation.
ZIPF_SV_LIMIT = 4.2
ZIPF_EN_LIMIT = 4.6
# Occupation names are common words because the occupations are common ("läkare"): such a name
# is only dropped when it is an everyday word AND shows up in the ads without meaning the job
# ("modeller" in IT ads means data models, not fashion models).
OCCUPATION_AD_SHARE_LIMIT = 0.01
# Skill labels that the real ads use as terms of employment or boilerplate, not as requirements
# (checked on the Platsbanken ads: "kollektivavtal", "friskvårdsbidrag", "bra arbetsmiljö").
BOILERPLATE = {"kollektivavtal", "arbetsmiljö", "optioner", "verktyg", "friskvård"}
# A term found in more than this share of the real ads says nothing about any one ad.
AD_SHARE_LIMIT = 0.35
# Skill labels "<name>, <category>" whose category says the name is a technology, so the name
# alone is what ads write ("Python", "PostgreSQL", "Docker"). Taken from the skill labels.
TECH_TAILS = (
    "programmeringsspråk",
    "frågespråk",
    "märkspråk",
    "databashanterare",
    "operativsystem",
    "systemutvecklingsverktyg",
    "systemutvecklingsmetod",
    "programmeringsverktyg",
    "versionshanteringssystem",
    "stilmall",
    "plattform",
    "ramverk",
    "utvecklingsmiljö",
    "molntjänst",
)
# Legacy type names mapped to the ones used here.
LEGACY_TYPES = {
    "driving-license": "driving-licence",
    "occupation-experience-years": "occupation-experience-year",
}
LEGACY_ONLY_TYPES = (
    "occupation-field",
    "driving-license",
    "employment-type",
    "employment-duration",
    "worktime-extent",
    "wage-type",
)


def load_json(path: Path) -> Any:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        return json.load(handle)


def dataset(data_dir: Path, name: str) -> list[dict[str, Any]]:
    folder = data_dir / "taxonomy" / "jobtech_datasets"
    path = folder / name
    if not path.exists():
        path = folder / f"{name}.gz"
    document = load_json(path)["data"]
    return list(next(iter(document.values())))


def walk(
    nodes: list[dict[str, Any]], parent: str | None = None
) -> Iterator[tuple[dict, str | None]]:
    for node in nodes:
        yield node, parent
        yield from walk(node.get("narrower") or [], node.get("id"))


class Builder:
    """Collects concepts, relations and terms, then decides which terms are safe to match."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.concepts: dict[str, dict[str, Any]] = {}
        self.relations: dict[tuple[str, str, str], float | None] = {}
        # (concept_id, term) -> [kind, lang]
        self.terms: dict[tuple[str, str], list[str]] = {}
        self.report: dict[str, Any] = {}
        # All-capital parts of slash labels ("Mödravårdscentral/MVC", "Dialektisk
        # beteendeterapi/DBT", "…/ENGINEER") mean other things in ads (MVC and dbt in IT ads):
        # they stay searchable but are not matched in free text.
        self.acronym_parts: set[tuple[str, str]] = set()

    # ---- concepts -------------------------------------------------------------------------
    def concept(
        self,
        concept_id: str,
        ctype: str,
        label: str,
        *,
        code: str = "",
        parent: str | None = None,
        label_en: str | None = None,
        deprecated: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> None:
        label = " ".join(label.split())
        row = self.concepts.get(concept_id)
        if row is None:
            row = self.concepts[concept_id] = {
                "type": ctype,
                "label_sv": label,
                "label_en": label_en,
                "code": code or "",
                "parent": parent,
                "deprecated": deprecated,
                "extra": {},
            }
        else:  # a later, more specific source fills in what an earlier one lacked
            row["code"] = row["code"] or code or ""
            row["parent"] = row["parent"] or parent
            row["label_en"] = row["label_en"] or label_en
        if extra:
            row["extra"].update(extra)

    def term(self, concept_id: str, term: str, kind: str, lang: str = "sv") -> None:
        term = " ".join(term.split())
        if not term or len(term) > 255 or not normalize_term(term):
            return
        key = (concept_id, term)
        rank = {"label": 0, "synonym": 1, "keyword": 2, "misspelling": 3}
        old = self.terms.get(key)
        if old is None or rank[kind] < rank[old[0]]:
            self.terms[key] = [kind, lang]

    # ---- sources --------------------------------------------------------------------------
    def add_ssyk(self) -> None:
        for node, parent in walk(
            dataset(self.data_dir, "the-ssyk-hierarchy-with-occupations.json")
        ):
            extra = {}
            if node["type"] == "ssyk-level-4" and node.get("definition"):
                extra["definition"] = " ".join(node["definition"].split())
            self.concept(
                node["id"],
                node["type"],
                node["preferred_label"],
                code=node.get("ssyk_code_2012") or "",
                parent=parent,
                extra=extra,
            )
        for group in dataset(self.data_dir, "ssyk-level-4-with-related-isco-level-4-groups.json"):
            for isco in group.get("related") or []:
                self.concept(
                    isco["id"], "isco-level-4", isco["preferred_label"], code=isco["isco_code_08"]
                )
                self.relations[(group["id"], isco["id"], "related")] = None
        for isco in dataset(self.data_dir, "isco-level-4-groups.json"):
            self.concept(
                isco["id"], "isco-level-4", isco["preferred_label"], code=isco["isco_code_08"]
            )
        collection = dataset(self.data_dir, "occupations-with-no-educational-requirements.json")
        for item in collection[0].get("related") or []:
            if item["id"] in self.concepts:
                self.concepts[item["id"]]["extra"]["no_education_required"] = True

    def add_skills(self) -> None:
        for skill in dataset(self.data_dir, "skills.json"):
            self.concept(skill["id"], "skill", skill["preferred_label"])

    def add_substitutability(self) -> None:
        # X.substitutes lists Y  <=>  Y.substituted_by lists X (checked on the data). We store it
        # as (X, Y, "substitutes"): someone who works as X can take a job advertised as Y, with
        # the JobTech substitutability percentage (25 = partly, 75 = largely) as weight.
        for occupation in dataset(
            self.data_dir, "substitutability-relations-between-occupations.json"
        ):
            for other in occupation.get("substitutes") or []:
                weight = other.get("substitutability_percentage")
                self.relations[(occupation["id"], other["id"], "substitutes")] = weight
            for other in occupation.get("substituted_by") or []:
                weight = other.get("substitutability_percentage")
                self.relations[(other["id"], occupation["id"], "substitutes")] = weight

    def add_keywords(self) -> None:
        for keyword in dataset(self.data_dir, "keyword-concepts-with-relations.json"):
            self.concept(keyword["id"], "keyword", keyword["preferred_label"])
            related = keyword.get("related") or []
            for target in related:
                if target["id"] not in self.concepts:  # e.g. employment types newer than 2020
                    self.concept(target["id"], target["type"], target["preferred_label"])
                self.relations[(keyword["id"], target["id"], "keyword")] = None
                # A keyword that points to one or two occupations, skills or employment types is
                # a synonym of them for search; one pointing to many is only a topic.
                wanted = {"occupation-name", "skill", "employment-type"}
                if target["type"] in wanted and len(related) <= 2:
                    self.term(target["id"], keyword["preferred_label"], "keyword")

    def add_sun(self) -> None:
        for name, code_key in (
            ("sun-field-hierarchy.json", "sun_education_field_code_2020"),
            ("sun-level-hierarchy.json", "sun_education_level_code_2020"),
        ):
            for node, parent in walk(dataset(self.data_dir, name)):
                self.concept(
                    node["id"],
                    node["type"],
                    node["preferred_label"],
                    code=node.get(code_key) or "",
                    parent=parent,
                )

    def add_places(self, pycountry: Any) -> None:
        for country in dataset(self.data_dir, "countries.json"):
            alpha2 = country.get("iso_3166_1_alpha_2_2013") or ""
            found = pycountry.countries.get(alpha_2=alpha2) if alpha2 else None
            self.concept(
                country["id"],
                "country",
                country["preferred_label"],
                code=alpha2,
                label_en=getattr(found, "common_name", None) or getattr(found, "name", None),
                extra={"iso_alpha3": country.get("iso_3166_1_alpha_3_2013")} if alpha2 else None,
            )
        for region in dataset(self.data_dir, "eu-regions.json"):
            code = region.get("national_nuts_level_3_code_2019")
            if code:  # the 21 Swedish län; other EU NUTS-3 regions are left out
                self.concept(
                    region["id"],
                    "region",
                    region["preferred_label"],
                    code=code,
                    parent=SWEDEN,
                    extra={"nuts3": region.get("nuts_level_3_code_2021")},
                )
        # Municipality coordinates from the localities (tätorter) in platser.json: the locality
        # that bears the municipality's name (its seat) if there is one, else the mean of all.
        places = load_json(self.data_dir / "taxonomy" / "legacy_2020" / "platser.json.gz")
        by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for place in places:
            by_code[place["kommunkod"]].append(place)
        path = self.data_dir / "taxonomy" / "municipalities_sweden.csv"
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                extra: dict[str, Any] = {}
                localities = by_code.get(row["municipality_code"], [])
                seat = [p for p in localities if fold(p["label"]) == fold(row["municipality"])]
                chosen = seat or localities
                if chosen:
                    extra = {
                        "lat": round(statistics.fmean(p["latitud"] for p in chosen), 5),
                        "lon": round(statistics.fmean(p["longitud"] for p in chosen), 5),
                        "coord": "seat" if seat else f"mean of {len(chosen)} localities",
                    }
                self.concept(
                    row["municipality_concept_id"],
                    "municipality",
                    row["municipality"],
                    code=row["municipality_code"],
                    parent=row["region_concept_id"],
                    extra=extra,
                )
                # Localities help people find their municipality ("Kista" is in Stockholm).
                for place in localities:
                    if fold(place["label"]) != fold(row["municipality"]):
                        self.term(row["municipality_concept_id"], place["label"], "synonym")

    def add_languages(self, pycountry: Any) -> None:
        for language in dataset(self.data_dir, "languages.json"):
            alpha2 = (language.get("iso_639_1_2002") or "").lower()
            alpha3 = (
                language.get("iso_639_2_1998") or language.get("iso_639_3_2007") or ""
            ).lower()
            found = None
            if alpha2:
                found = pycountry.languages.get(alpha_2=alpha2)
            if found is None and alpha3:
                found = pycountry.languages.get(alpha_3=alpha3)
            self.concept(
                language["id"],
                "language",
                language["preferred_label"],
                code=alpha2 or alpha3,
                label_en=getattr(found, "name", None),
            )

    def add_legacy(self) -> dict[str, dict[str, Any]]:
        legacy = load_json(
            self.data_dir / "taxonomy" / "legacy_2020" / "taxonomy_to_concept.json.gz"
        )
        for ltype in LEGACY_ONLY_TYPES:
            ctype = LEGACY_TYPES.get(ltype, ltype)
            for code, item in legacy[ltype].items():
                self.concept(item["conceptId"], ctype, item["preferredTerm"], code=code)
        for item in legacy["region"].values():  # "90" Ospecificerad is only in the legacy map
            if item["conceptId"] not in self.concepts:
                self.concept(item["conceptId"], "region", item["preferredTerm"], code="90")
        for ctype in ("occupation-name", "skill"):
            for item in legacy[ctype].values():
                concept_id = item["conceptId"]
                if concept_id not in self.concepts:
                    # Gone from today's taxonomy; kept so old ads and profiles still resolve.
                    self.concept(concept_id, ctype, item["preferredTerm"], deprecated=True)
                elif fold(item["preferredTerm"]) != fold(self.concepts[concept_id]["label_sv"]):
                    # The 2020 label of a concept that was renamed is a synonym of the new one.
                    self.term(concept_id, item["preferredTerm"], "synonym")
        return legacy

    def add_labels(self) -> None:
        for concept_id, row in self.concepts.items():
            if row["deprecated"]:
                continue
            self.term(concept_id, row["label_sv"], "label")
            if row["label_en"] and fold(row["label_en"]) != fold(row["label_sv"]):
                self.term(concept_id, row["label_en"], "label", "en")
            if row["type"] == "driving-licence" and len(row["label_sv"]) <= 3:
                licence = row["label_sv"]
                for variant in (f"{licence}-körkort", f"körkort {licence}", f"{licence} körkort"):
                    self.term(concept_id, variant, "synonym")
        self.add_label_parts()

    def add_label_parts(self) -> None:
        """Synonyms from the parts of composite labels, as people write them in free text.

        "Systemutvecklare/Programmerare" gives "Systemutvecklare" and "Programmerare";
        "Java, programmeringsspråk" gives "Java". A part is only used when no other concept of
        the same type has it as a label or part ("Projektledare, IT" does not give
        "Projektledare": there are a dozen of those).
        """
        parts_of: dict[str, list[str]] = {}
        owners: dict[tuple[str, str], set[str]] = defaultdict(set)
        for concept_id, row in self.concepts.items():
            if row["deprecated"] or row["type"] not in {"occupation-name", "skill"}:
                continue
            label = row["label_sv"]
            owners[(row["type"], normalize_term(label))].add(concept_id)
            pieces = [label]
            slashed = [p.strip() for p in label.split("/")]
            if len(slashed) > 1 and all(len(p) >= 3 and p[0].isalpha() for p in slashed):
                pieces = slashed
                self.acronym_parts.update((concept_id, p) for p in slashed if p.isupper())
            parts = []
            for piece in pieces:
                parts.append(piece)
                head, _, tail = piece.partition(", ")
                # A skill's head is a name in its own right only for technologies ("Java,
                # programmeringsspråk"); "Balans, redovisningssystem" or "E-post,
                # sårbarhetsanalys" would turn everyday words into skills.
                if tail and (row["type"] == "occupation-name" or tail.endswith(TECH_TAILS)):
                    parts.append(head.strip())
            parts = [
                p
                for p in dict.fromkeys(parts)
                if normalize_term(p) != normalize_term(label)
                and len(normalize_term(p)) >= 2
                and p[0].isalnum() | (p[:1] == ".")
            ]
            parts_of[concept_id] = parts
            for part in parts:
                owners[(row["type"], normalize_term(part))].add(concept_id)
        for concept_id, parts in parts_of.items():
            ctype = self.concepts[concept_id]["type"]
            for part in parts:
                claimants = owners[(ctype, normalize_term(part))]
                # "Java" is the head of "Java, programmeringsspråk" and "Java, ramverk": the
                # language wins, as that is what "Java" means in an ad.
                languages = {
                    cid
                    for cid in claimants
                    if self.concepts[cid]["label_sv"].endswith(", programmeringsspråk")
                }
                if claimants == {concept_id} or languages == {concept_id}:
                    self.term(concept_id, part, "synonym")

    def add_occupation_synonyms(self) -> None:
        """Map job-title terms of the 2019 ontology to occupation-name concepts by label.

        The ontology's uuids are not taxonomy ids. A group of terms (one ontology concept) is
        mapped to the current occupation whose name (label, label part or 2020 label) equals the
        group's concept label, or else to the one occupation whose name equals one of the
        group's own terms.
        """
        path = self.data_dir / "ontology" / "termer_koncept_yrke.csv.gz"
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter=";"))
        # Names of current occupations: labels, unique parts of composite labels ("Programmerare"
        # of "Systemutvecklare/Programmerare") and 2020 labels, all added before this runs.
        by_label: dict[str, set[str]] = defaultdict(set)
        for (concept_id, term), (kind, _lang) in self.terms.items():
            row = self.concepts[concept_id]
            if row["type"] == "occupation-name" and not row["deprecated"] and kind != "keyword":
                by_label[normalize_term(term)].add(concept_id)
        groups: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in rows:
            groups[row["uuid"]].append(row)
        mapped = mapped_terms = 0
        for members in groups.values():
            targets = by_label.get(normalize_term(members[0]["concept"]), set())
            if not targets:
                hits = {
                    cid
                    for row in members
                    if row["term_misspelled"] != "True"
                    for cid in by_label.get(normalize_term(row["term"]), set())
                }
                targets = hits
            if len(targets) != 1:
                continue
            (target,) = targets
            mapped += 1
            for row in members:
                kind = "misspelling" if row["term_misspelled"] == "True" else "synonym"
                self.term(target, row["term"], kind)
                mapped_terms += 1
        self.report["ontology"] = {
            "groups": len(groups),
            "groups_mapped": mapped,
            "terms_mapped": mapped_terms,
        }

    # ---- ambiguity ------------------------------------------------------------------------
    def term_keys(self, term: str) -> tuple[str, str]:
        tokens = tokenize(term)
        return " ".join(tokens), " ".join(match_lemma(t) for t in tokens)

    def ad_shares(self) -> dict[str, float]:
        """Share of the real ads each one-word term (surface or lemma) occurs in."""
        path = self.data_dir / "jobads" / "platsbanken_web_2023-08_stockholm_it.jsonl.gz"
        if not path.exists():
            return {}
        counts: Counter[str] = Counter()
        ads = 0
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                ad = json.loads(line)
                tokens = tokenize(f"{ad.get('title', '')}\n{ad.get('description', '')}")
                counts.update(set(tokens) | {match_lemma(t) for t in tokens})
                ads += 1
        return {word: n / ads for word, n in counts.items()} if ads else {}

    def matchable(self, wordfreq: Any) -> dict[tuple[str, str], bool]:
        shares = self.ad_shares()
        result: dict[tuple[str, str], bool] = {}
        excluded: dict[str, list[str]] = defaultdict(list)
        for (concept_id, term), (_kind, _lang) in self.terms.items():
            ctype = self.concepts[concept_id]["type"]
            surface, lemmatised = self.term_keys(term)
            ok, reason = True, ""
            if len(normalize_term(term)) < 2 or not surface:
                ok, reason = False, "short"
            elif ctype == "driving-licence" and len(term) <= 3:
                ok, reason = False, "short"  # "B", "CE": only "B-körkort", "körkort B" match
            elif (concept_id, term) in self.acronym_parts:
                ok, reason = False, "acronym"
            elif len(surface) < 3 and not any(ch in "#+" for ch in surface):
                ok, reason = False, "short"  # "ML", "IT": too many meanings
            elif " " not in surface:
                # wordfreq splits "a-körkort" or "it-rätt" into common parts; such compounds and
                # codes are specific, so only plain words are checked against word frequency.
                plain = not any(ch.isdigit() or ch in "-#+" for ch in surface)
                zipf = zipf_en = 0.0
                if plain:
                    zipf = max(
                        wordfreq.zipf_frequency(surface, "sv"),
                        wordfreq.zipf_frequency(lemmatised, "sv"),
                    )
                    zipf_en = wordfreq.zipf_frequency(surface, "en")
                share = max(shares.get(surface, 0.0), shares.get(lemmatised, 0.0))
                if ctype == "language":
                    # Language names are common words because languages are often mentioned:
                    # keep them unless they are also everyday words of another meaning. An
                    # English name ("Swedish") is kept when the Swedish one ("Svenska") is.
                    label = normalize_term(self.concepts[concept_id]["label_sv"])
                    if (
                        len(surface) <= 3
                        or (_lang == "sv" and zipf >= 4.0 and not surface.endswith("ska"))
                        or (
                            _lang == "en"
                            and (
                                len(label) <= 3
                                or (
                                    wordfreq.zipf_frequency(label, "sv") >= 4.0
                                    and not label.endswith("ska")
                                )
                            )
                        )
                    ):
                        ok, reason = False, "everyday word"
                elif surface in BOILERPLATE or lemmatised in BOILERPLATE:
                    ok, reason = False, "ad boilerplate"
                elif ctype == "occupation-name":
                    everyday = zipf_en >= ZIPF_EN_LIMIT or zipf >= ZIPF_SV_LIMIT
                    english = zipf_en - zipf >= 0.8  # "officer", "manager": English words
                    if everyday and (english or share >= OCCUPATION_AD_SHARE_LIMIT):
                        ok, reason = False, "everyday word"
                elif zipf >= ZIPF_SV_LIMIT or zipf_en >= ZIPF_EN_LIMIT:
                    ok, reason = False, "everyday word"
                elif share > AD_SHARE_LIMIT:
                    ok, reason = False, "in most ads"
            result[(concept_id, term)] = ok
            if not ok and ctype in TEXT_TYPES:
                excluded[reason].append(term)
        self.report["not_matchable"] = {k: sorted(set(v)) for k, v in excluded.items()}
        return result

    # ---- output ---------------------------------------------------------------------------
    def snapshot(self, wordfreq: Any, pycountry: Any) -> Snapshot:
        self.add_ssyk()
        self.add_skills()
        self.add_sun()
        self.add_places(pycountry)
        self.add_languages(pycountry)
        self.add_legacy()
        self.add_keywords()
        self.add_substitutability()
        self.add_labels()
        self.add_occupation_synonyms()
        # Drop dangling references so the snapshot loads with its foreign keys intact.
        for row in self.concepts.values():
            if row["parent"] not in self.concepts:
                row["parent"] = None
        self.relations = {
            key: weight
            for key, weight in self.relations.items()
            if key[0] in self.concepts and key[1] in self.concepts and key[0] != key[1]
        }
        matchable = self.matchable(wordfreq)
        concepts = [
            [
                cid,
                row["type"],
                row["label_sv"],
                row["label_en"],
                row["code"],
                row["parent"],
                row["deprecated"],
                row["extra"],
            ]
            for cid, row in self.concepts.items()
        ]
        relations = [[s, t, kind, w] for (s, t, kind), w in self.relations.items()]
        terms = [
            [cid, term, kind, lang, matchable[(cid, term)]]
            for (cid, term), (kind, lang) in self.terms.items()
        ]
        sources = [
            {"name": "JobTech Taxonomy datasets", "path": "taxonomy/jobtech_datasets"},
            {"name": "JobTech legacy taxonomy map 2020", "path": "taxonomy/legacy_2020"},
            {"name": "Municipalities (derived)", "path": "taxonomy/municipalities_sweden.csv"},
            {"name": "JobTech ontology job titles", "path": "ontology/termer_koncept_yrke.csv.gz"},
            {"name": "Platsbanken ads (term frequency only)", "path": "jobads"},
            {"name": "wordfreq", "version": package_version("wordfreq")},
            {"name": "pycountry", "version": package_version("pycountry")},
            {"name": "simplemma", "version": package_version("simplemma")},
        ]
        return Snapshot(concepts=concepts, relations=relations, terms=terms, sources=sources)


def build(data_dir: Path, out: Path) -> tuple[str, dict[str, Any]]:
    """Build the snapshot into `out`; return its version and a report of what was decided."""
    try:
        import pycountry
        import wordfreq
    except ImportError as exc:  # build-time only tools, installed with the dev extras
        raise SystemExit(f"install the dev extras first (pip install -e '.[dev]'): {exc}") from exc
    if not (data_dir / "taxonomy").is_dir():
        raise SystemExit(f"no taxonomy data in {data_dir}; set VAGVAL_DATA_DIR")
    builder = Builder(data_dir)
    snapshot = builder.snapshot(wordfreq, pycountry)
    version = snapshot_write(snapshot, out)
    builder.report["counts"] = {
        "concepts": Counter(row[1] for row in snapshot.concepts),
        "relations": Counter(row[2] for row in snapshot.relations),
        "terms": Counter(row[2] for row in snapshot.terms),
    }
    builder.report["bytes"] = out.stat().st_size
    return version, builder.report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_data = os.environ.get("VAGVAL_DATA_DIR", str(REPO.parent / "shared" / "data"))
    parser.add_argument("--data-dir", type=Path, default=Path(default_data))
    parser.add_argument("--out", type=Path, default=DEFAULT_SNAPSHOT_PATH)
    parser.add_argument("--report", action="store_true", help="print what was left unmatchable")
    args = parser.parse_args()
    version, report = build(args.data_dir, args.out)
    if not args.report:
        report.pop("not_matchable", None)
    print(json.dumps({"version": version, "out": str(args.out), **report}, ensure_ascii=False))


if __name__ == "__main__":
    main()
