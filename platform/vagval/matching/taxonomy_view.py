"""The slice of the JobTech taxonomy that matching needs, as plain in-memory tables.

Matching works on arrays, not rows, so it reads the taxonomy once per process: occupation names
with their SSYK-4 group, the groups' codes and definitions (plus the related ISCO-4 texts),
search terms, substitutability between occupations, keywords pointing at occupations, skill
labels, and municipalities with their region and coordinates.

The source is the taxonomy app's tables (`vagval.taxonomy.models`, filled by `load_taxonomy`).
When they are empty (a fresh checkout before `load_taxonomy`, or a unit test that does not load
it) the same rows are read from the taxonomy app's committed snapshot file, and only if that is
missing from the JobTech dataset files in `VAGVAL_DATA_DIR`. Concept ids are JobTech's in all
three, so results agree.
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

MIN_DB_OCCUPATIONS = 100  # fewer rows than this means load_taxonomy has not run


@dataclass
class TaxonomyView:
    """Taxonomy facts keyed by JobTech concept id."""

    source: str
    occupation_label: dict[str, str] = field(default_factory=dict)
    occupation_group: dict[str, str] = field(default_factory=dict)  # occupation -> ssyk-4 id
    group_label: dict[str, str] = field(default_factory=dict)
    group_code: dict[str, str] = field(default_factory=dict)  # ssyk-4 id -> "2512"
    group_definition: dict[str, str] = field(default_factory=dict)
    group_isco_text: dict[str, list[str]] = field(default_factory=dict)
    # (term, concept id, kind) for occupation names and groups; kind label/synonym/keyword/...
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    # (source occupation, target occupation, weight in [0, 1]): someone who is `source` can do
    # the job `target` (JobTech substitutability 25/50/75 %).
    substitutes: list[tuple[str, str, float]] = field(default_factory=list)
    skill_label: dict[str, str] = field(default_factory=dict)
    municipality_label: dict[str, str] = field(default_factory=dict)
    municipality_region: dict[str, str] = field(default_factory=dict)
    municipality_code: dict[str, str] = field(default_factory=dict)
    municipality_coords: dict[str, tuple[float, float]] = field(default_factory=dict)  # lat, lon
    region_label: dict[str, str] = field(default_factory=dict)
    label_en: dict[str, str] = field(default_factory=dict)

    @property
    def code_group(self) -> dict[str, str]:
        """ "2512" -> ssyk-level-4 concept id."""
        return {code: gid for gid, code in self.group_code.items()}

    def version(self) -> str:
        return f"{self.source}:{len(self.occupation_label)}:{len(self.terms)}"


_lock = threading.Lock()
_cached: TaxonomyView | None = None


def get_taxonomy_view(*, refresh: bool = False) -> TaxonomyView:
    """The process-wide view, from the database when loaded, else from the data files."""
    global _cached
    with _lock:
        if _cached is None or refresh:
            view = taxonomy_view_from_db() or taxonomy_view_from_snapshot()
            if view is None:
                view = taxonomy_view_from_files(data_dir=Path(settings.VAGVAL_DATA_DIR))
            _cached = view
        return _cached


def reset_taxonomy_view() -> None:
    """Forget the cached view (tests that load the taxonomy call this)."""
    global _cached
    with _lock:
        _cached = None


# --- database and committed snapshot -------------------------------------------------------------

_WANTED_TYPES = ("occupation-name", "ssyk-level-4", "isco-level-4", "skill", "municipality",
                 "region", "keyword")  # fmt: skip


def taxonomy_view_from_db() -> TaxonomyView | None:
    """Read the view from `vagval.taxonomy` tables, or None when they are not loaded."""
    try:
        from vagval.taxonomy.models import Concept, ConceptRelation, ConceptTerm
    except ImportError:  # the taxonomy app has not landed its models yet
        return None
    try:
        if Concept.objects.filter(type="occupation-name").count() < MIN_DB_OCCUPATIONS:
            return None
    except Exception:  # no table yet (migrations not run): use the snapshot or files
        logger.info("taxonomy tables not available, matching reads the snapshot")
        return None
    concepts = Concept.objects.filter(type__in=_WANTED_TYPES).values_list(
        "concept_id", "type", "label_sv", "label_en", "code", "parent_id", "deprecated", "extra"
    )
    relations = ConceptRelation.objects.values_list("source_id", "target_id", "kind", "weight")
    terms = ConceptTerm.objects.filter(
        concept__type__in=("occupation-name", "ssyk-level-4")
    ).values_list("concept_id", "term", "kind", "lang", "matchable")
    return taxonomy_view_from_rows(
        source="db",
        concepts=concepts.iterator(),
        relations=relations.iterator(),
        terms=terms.iterator(),
    )


def taxonomy_view_from_snapshot() -> TaxonomyView | None:
    """Read the view from the taxonomy app's committed snapshot file (no database needed)."""
    try:
        from vagval.taxonomy.snapshot import DEFAULT_SNAPSHOT_PATH, snapshot_read
    except ImportError:
        return None
    if not DEFAULT_SNAPSHOT_PATH.exists():
        return None
    snap = snapshot_read(DEFAULT_SNAPSHOT_PATH)
    return taxonomy_view_from_rows(
        source="snapshot",
        concepts=iter(snap.concepts),
        relations=iter(snap.relations),
        terms=iter(snap.terms),
    )


def taxonomy_view_from_rows(
    *,
    source: str,
    concepts: Iterator[Any],
    relations: Iterator[Any],
    terms: Iterator[Any],
) -> TaxonomyView:
    """Build the view from taxonomy table rows (the snapshot's column order).

    concepts: (concept_id, type, label_sv, label_en, code, parent, deprecated, extra)
    relations: (source, target, kind, weight); terms: (concept_id, term, kind, lang, matchable)
    """
    view = TaxonomyView(source=source)
    isco_text: dict[str, str] = {}
    keyword_label: dict[str, str] = {}
    for cid, ctype, label, label_en, code, parent, deprecated, extra in concepts:
        extra = extra or {}
        if ctype not in _WANTED_TYPES:
            continue
        if label_en:
            view.label_en[cid] = label_en
        if ctype == "occupation-name":
            # Deprecated names stay: old ads and CVs still use them, and they keep their group.
            if parent:
                view.occupation_label[cid] = label
                view.occupation_group[cid] = parent
        elif ctype == "ssyk-level-4":
            view.group_label[cid] = label
            view.group_code[cid] = code
            view.group_definition[cid] = str(extra.get("definition") or "")
        elif ctype == "isco-level-4":
            isco_text[cid] = f"{label}. {extra.get('definition') or ''}"
        elif ctype == "skill" and not deprecated:
            view.skill_label[cid] = label
        elif ctype == "municipality":
            view.municipality_label[cid] = label
            view.municipality_code[cid] = code
            if parent:
                view.municipality_region[cid] = parent
            coords = _coords_from_extra(extra)
            if coords:
                view.municipality_coords[cid] = coords
        elif ctype == "region":
            view.region_label[cid] = label
        elif ctype == "keyword":
            keyword_label[cid] = label
    for src, tgt, kind, weight in relations:
        if kind == "substitutes":
            if src in view.occupation_label and tgt in view.occupation_label:
                w = float(weight if weight is not None else 50)
                view.substitutes.append((src, tgt, w / 100.0 if w > 1 else w))
        elif kind == "related":
            for group, isco in ((src, tgt), (tgt, src)):
                if group in view.group_code and isco in isco_text:
                    view.group_isco_text.setdefault(group, []).append(isco_text[isco])
        elif kind == "keyword" and src in keyword_label and tgt in view.occupation_label:
            view.terms.append((keyword_label[src], tgt, "keyword"))
    for cid, term, kind, _lang, matchable in terms:
        known = cid in view.occupation_label or cid in view.group_label
        if known and (matchable or kind == "label"):
            view.terms.append((term, cid, kind))
    _add_label_terms(view)
    return view


def _coords_from_extra(extra: dict[str, Any]) -> tuple[float, float] | None:
    """Municipality coordinates as (lat, lon), whatever key the loader used."""
    for lat_key, lon_key in (("lat", "lon"), ("latitude", "longitude"), ("latitud", "longitud")):
        if lat_key in extra and lon_key in extra:
            try:
                return float(extra[lat_key]), float(extra[lon_key])
            except (TypeError, ValueError):
                return None
    coords = extra.get("coordinates")
    if isinstance(coords, list | tuple) and len(coords) == 2:
        lon, lat = float(coords[0]), float(coords[1])  # GeoJSON order, as JobTech ads use
        return lat, lon
    return None


# --- data files --------------------------------------------------------------------------------


def _concepts(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        return list(json.load(fh)["data"]["concepts"])


def taxonomy_view_from_files(*, data_dir: Path) -> TaxonomyView:
    """Read the view from the JobTech dataset files under `data_dir/taxonomy`."""
    view = TaxonomyView(source="files")
    tax = data_dir / "taxonomy" / "jobtech_datasets"
    if not tax.is_dir():
        logger.warning("no taxonomy in %s: occupation matching has nothing to work with", tax)
        return view

    def walk(nodes: list[dict[str, Any]], group: str | None) -> None:
        for node in nodes:
            ntype = node.get("type")
            if ntype == "ssyk-level-4":
                view.group_label[node["id"]] = node["preferred_label"]
                view.group_code[node["id"]] = node.get("ssyk_code_2012", "")
                walk(node.get("narrower", []), node["id"])
            elif ntype == "occupation-name" and group:
                view.occupation_label[node["id"]] = node["preferred_label"]
                view.occupation_group[node["id"]] = group
            else:
                walk(node.get("narrower", []), group)

    walk(_concepts(tax / "the-ssyk-hierarchy-with-occupations.json.gz"), None)
    for node in _concepts(tax / "ssyk-level-4-with-related-isco-level-4-groups.json.gz"):
        view.group_definition[node["id"]] = node.get("definition", "")
        for isco in node.get("related", []):
            if isco.get("type") == "isco-level-4":
                text = f"{isco['preferred_label']}. {isco.get('definition', '')}"
                view.group_isco_text.setdefault(node["id"], []).append(text)
    for node in _concepts(tax / "substitutability-relations-between-occupations.json.gz"):
        for sub in node.get("substitutes", []):
            # node `substitutes` sub: someone from `node` can take `sub`'s job.
            pct = float(sub.get("substitutability_percentage") or 50) / 100.0
            view.substitutes.append((node["id"], sub["id"], pct))
        for sub in node.get("substituted_by", []):
            pct = float(sub.get("substitutability_percentage") or 50) / 100.0
            view.substitutes.append((sub["id"], node["id"], pct))
    view.substitutes = sorted(set(view.substitutes))
    for node in _concepts(tax / "keyword-concepts-with-relations.json.gz"):
        for rel in node.get("related", []):
            if rel.get("type") == "occupation-name":
                view.terms.append((node["preferred_label"], rel["id"], "keyword"))
    for node in _concepts(tax / "skills.json.gz"):
        if node.get("type") == "skill":
            view.skill_label[node["id"]] = node["preferred_label"]

    municipalities = data_dir / "taxonomy" / "municipalities_sweden.csv"
    if municipalities.exists():
        with municipalities.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                mid = row["municipality_concept_id"]
                view.municipality_label[mid] = row["municipality"]
                view.municipality_region[mid] = row["region_concept_id"]
                view.municipality_code[mid] = row["municipality_code"]
                view.region_label[row["region_concept_id"]] = row["region"]
    _add_coords_from_places(view, data_dir)
    _add_label_terms(view)
    return view


def _add_label_terms(view: TaxonomyView) -> None:
    """Every occupation and group label is a term; "A/B" labels name two titles."""
    for cid, label in [*view.occupation_label.items(), *view.group_label.items()]:
        view.terms.append((label, cid, "label"))
        if "/" in label:
            for part in label.split("/"):
                if part.strip():
                    view.terms.append((part.strip(), cid, "label-part"))


def _add_coords_from_places(view: TaxonomyView, data_dir: Path) -> None:
    """Municipality centres as the mean of its localities (tätorter) in platser.json.

    Only used when the taxonomy rows carry no coordinates. The first listed locality of a
    municipality is usually its main town, which the mean leans towards anyway.
    """
    path = data_dir / "taxonomy" / "legacy_2020" / "platser.json.gz"
    if not path.exists():
        return
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        places = json.load(fh)
    by_code: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for place in places:
        try:
            by_code[str(place["kommunkod"])].append(
                (float(place["latitud"]), float(place["longitud"]))
            )
        except (KeyError, TypeError, ValueError):
            continue
    for mid, code in view.municipality_code.items():
        points = by_code.get(code)
        if points and mid not in view.municipality_coords:
            # The municipality's first locality is its seat; weight it like all others together.
            seat = points[0]
            lat = (seat[0] * len(points) + sum(p[0] for p in points)) / (2 * len(points))
            lon = (seat[1] * len(points) + sum(p[1] for p in points)) / (2 * len(points))
            view.municipality_coords[mid] = (lat, lon)


def iter_occupations(view: TaxonomyView) -> Iterator[tuple[str, str, str]]:
    """(occupation id, label, group id) for every occupation that has a group."""
    for occ, label in view.occupation_label.items():
        group = view.occupation_group.get(occ)
        if group:
            yield occ, label, group
