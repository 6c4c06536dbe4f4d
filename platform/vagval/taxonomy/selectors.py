"""Reads of vagval.taxonomy: concept lookups, hierarchy helpers and autocomplete.

Other apps use these instead of querying the taxonomy tables themselves. Concept ids are JobTech
concept ids (strings such as "AvNB_uwa_6n6").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F

from vagval.taxonomy.autocomplete import AutocompleteIndex, ConceptInfo
from vagval.taxonomy.cache import VersionedCache, taxonomy_version_current
from vagval.taxonomy.models import Concept, ConceptRelation, ConceptTerm, RelationKind

# Public type names of the autocomplete API -> concept types they search.
AUTOCOMPLETE_TYPES: dict[str, tuple[str, ...]] = {
    "occupation": ("occupation-name",),
    "occupation-group": ("ssyk-level-4",),
    "occupation-field": ("occupation-field",),
    "skill": ("skill",),
    "municipality": ("municipality",),
    "region": ("region",),
    "country": ("country",),
    "language": ("language",),
    "driving-licence": ("driving-licence",),
    "education-field": ("sun-education-field-4", "sun-education-field-3"),
}
DEFAULT_AUTOCOMPLETE_TYPES = ("occupation", "skill")
MAX_LIMIT = 50


@dataclass(frozen=True)
class Ssyk4:
    concept_id: str
    code: str
    label: str


@dataclass(frozen=True)
class RelatedOccupation:
    concept_id: str
    label: str
    weight: float  # JobTech substitutability percentage: 25 partly, 75 largely


def taxonomy_version() -> str:
    """The version hash of the taxonomy in force ("" if none is loaded)."""
    return taxonomy_version_current()


def concept_get(*, concept_id: str) -> Concept | None:
    return Concept.objects.filter(concept_id=concept_id).select_related("parent").first()


def concept_labels(*, concept_ids: Iterable[str]) -> dict[str, str]:
    """Swedish labels of many concepts at once (unknown ids are left out)."""
    ids = list(dict.fromkeys(concept_ids))
    return dict(Concept.objects.filter(concept_id__in=ids).values_list("concept_id", "label_sv"))


def concept_list(*, type: str, include_deprecated: bool = False) -> list[Concept]:
    """All concepts of one type, by label (e.g. every region for a select box)."""
    queryset = Concept.objects.filter(type=type)
    if not include_deprecated:
        queryset = queryset.filter(deprecated=False)
    return list(queryset.order_by("label_sv"))


def concept_by_code(*, type: str, code: str) -> Concept | None:
    """Concept of a type by its code: municipality "0180", region "01", ssyk-level-4 "2512"."""
    return Concept.objects.filter(type=type, code=code).first()


def ssyk4_for_occupation(*, concept_id: str) -> Ssyk4 | None:
    """The SSYK-4 group (concept id, 4-digit code, label) of an occupation-name concept.

    Also accepts an ssyk-level-4 id (returns itself); None for deprecated or unknown concepts.
    """
    row = (
        Concept.objects.filter(concept_id=concept_id)
        .values("type", "code", "label_sv", "parent_id", "parent__type", "parent__code")
        .annotate(parent_label=F("parent__label_sv"))
        .first()
    )
    if row is None:
        return None
    if row["type"] == "ssyk-level-4":
        return Ssyk4(concept_id, row["code"], row["label_sv"])
    if row["parent__type"] != "ssyk-level-4":
        return None
    return Ssyk4(row["parent_id"], row["parent__code"], row["parent_label"])


def ssyk4_map() -> dict[str, Ssyk4]:
    """occupation-name id -> its SSYK-4 group, for every occupation (one query, for batches)."""
    rows = Concept.objects.filter(type="occupation-name", parent__type="ssyk-level-4").values_list(
        "concept_id", "parent_id", "parent__code", "parent__label_sv"
    )
    return {cid: Ssyk4(pid, code, label) for cid, pid, code, label in rows}


def occupations_in_group(*, ssyk4_id: str) -> list[Concept]:
    return list(
        Concept.objects.filter(parent_id=ssyk4_id, type="occupation-name", deprecated=False)
    )


def related_occupations(*, concept_id: str, min_weight: float = 0) -> list[RelatedOccupation]:
    """Occupations someone working as `concept_id` could take, by JobTech substitutability.

    Best first: a weight of 75 means an employer advertising the other occupation would largely
    accept them, 25 partly.
    """
    rows = (
        ConceptRelation.objects.filter(
            source_id=concept_id, kind=RelationKind.SUBSTITUTES, weight__gte=min_weight
        )
        .values_list("target_id", "target__label_sv", "weight")
        .order_by("-weight", "target__label_sv")
    )
    return [RelatedOccupation(cid, label, float(weight or 0)) for cid, label, weight in rows]


def region_for_municipality(*, concept_id: str) -> Concept | None:
    return Concept.objects.filter(children__concept_id=concept_id, type="region").first()


def municipality_coordinates() -> dict[str, tuple[float, float]]:
    """municipality concept id -> (lat, lon) of its seat or the mean of its localities."""
    result = {}
    for cid, extra in Concept.objects.filter(type="municipality").values_list(
        "concept_id", "extra"
    ):
        if extra and "lat" in extra and "lon" in extra:
            result[cid] = (float(extra["lat"]), float(extra["lon"]))
    return result


def concept_terms(*, concept_id: str) -> list[ConceptTerm]:
    return list(ConceptTerm.objects.filter(concept_id=concept_id).order_by("kind", "term"))


# ---- autocomplete --------------------------------------------------------------------------


def _build_autocomplete(version: str) -> AutocompleteIndex:
    wanted = {t for types in AUTOCOMPLETE_TYPES.values() for t in types}
    rows = (
        Concept.objects.filter(type__in=wanted, deprecated=False)
        .values_list("concept_id", "type", "label_sv", "code", "parent__type", "parent__code")
        .annotate(parent_label=F("parent__label_sv"))
    )
    concepts = []
    for cid, ctype, label, code, parent_type, parent_code, parent_label in rows.iterator():
        if ctype == "occupation-name":
            ssyk = parent_code if parent_type == "ssyk-level-4" else ""
        else:
            ssyk = code if ctype.startswith("ssyk-level") else ""
        concepts.append((cid, ctype, label, ssyk or "", parent_label or ""))
    terms = ConceptTerm.objects.filter(
        concept__type__in=wanted, concept__deprecated=False
    ).values_list("concept_id", "norm", "kind")
    return AutocompleteIndex.from_rows(version, concepts, terms.iterator(chunk_size=5000))


_autocomplete_cache: VersionedCache[AutocompleteIndex] = VersionedCache(_build_autocomplete)


def autocomplete_index() -> AutocompleteIndex:
    """The process-wide index (built on first use, rebuilt when the taxonomy version changes)."""
    return _autocomplete_cache.get()


def autocomplete_types(names: Iterable[str] | None) -> tuple[str, ...]:
    """Concept types for public type names; raises ValueError naming an unknown one."""
    result: list[str] = []
    for name in names or DEFAULT_AUTOCOMPLETE_TYPES:
        name = name.strip()
        if not name:
            continue
        if name not in AUTOCOMPLETE_TYPES:
            raise ValueError(
                f"unknown type {name!r}; use one of {', '.join(sorted(AUTOCOMPLETE_TYPES))}"
            )
        result.extend(t for t in AUTOCOMPLETE_TYPES[name] if t not in result)
    return tuple(result) or tuple(
        t for name in DEFAULT_AUTOCOMPLETE_TYPES for t in AUTOCOMPLETE_TYPES[name]
    )


def concept_autocomplete(
    *, query: str, types: Iterable[str] | None = None, limit: int = 10
) -> list[ConceptInfo]:
    """Concepts matching what someone is typing, best first, one per concept.

    `types` are public names (occupation, skill, municipality, region, language, ...; default
    occupation and skill). Tolerates typos, missing diacritics and Swedish inflection.
    """
    concept_types = autocomplete_types(types)
    limit = max(0, min(int(limit), MAX_LIMIT))
    return autocomplete_index().search(query, concept_types, limit)
