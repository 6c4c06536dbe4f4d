"""Resolve municipality and region concept ids from what a source gives: ids, codes or names.

The data comes from the loaded JobTech taxonomy (`vagval.taxonomy`): every municipality with its
kommunkod and region, and its localities (tätorter) as synonyms, so "Kista" or "Gustavsberg" find
their municipality. It is read once per process into plain dicts (a few hundred kB) and then
shared with the pipeline's worker processes by fork.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_SPLIT_RE = re.compile(r"[,;/()|]+|\s+-\s+")
_SUFFIX_RE = re.compile(
    r"\s+(?:kommun|kommune|municipality|stad|city|län|county|region|s län)$", re.IGNORECASE
)


def place_key(name: str) -> str:
    """Lower-case, accents kept (Swedish å/ä/ö distinguish places), single-spaced."""
    text = unicodedata.normalize("NFC", name).casefold().strip()
    return " ".join(text.replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class Place:
    municipality_id: str
    region_id: str
    label: str


@dataclass(slots=True)
class PlaceResolver:
    """Lookup tables: municipality id -> region id; code and names -> municipality."""

    municipality_region: dict[str, str] = field(default_factory=dict)
    municipality_label: dict[str, str] = field(default_factory=dict)
    by_code: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)  # label: preferred over synonyms
    by_synonym: dict[str, str] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)  # region id -> label
    region_by_code: dict[str, str] = field(default_factory=dict)
    region_by_name: dict[str, str] = field(default_factory=dict)

    @property
    def loaded(self) -> bool:
        return bool(self.municipality_region)

    def municipality(self, municipality_id: str) -> Place | None:
        region = self.municipality_region.get(municipality_id)
        if region is None:
            return None
        return Place(municipality_id, region, self.municipality_label.get(municipality_id, ""))

    def by_municipality_code(self, code: str) -> Place | None:
        mid = self.by_code.get(code.strip().zfill(4)) if code else None
        return self.municipality(mid) if mid else None

    def by_place_name(self, name: str) -> Place | None:
        """A municipality from a municipality or locality name; tries each part of "A, B"."""
        if not name:
            return None
        candidates = [name, *(p for p in _SPLIT_RE.split(name) if p.strip())]
        for candidate in candidates:
            key = place_key(_SUFFIX_RE.sub("", candidate.strip()))
            mid = self.by_name.get(key) or self.by_synonym.get(key)
            if mid:
                return self.municipality(mid)
        return None

    def region_id(self, *, code: str = "", name: str = "") -> str:
        if code and (rid := self.region_by_code.get(code.strip().zfill(2))):
            return rid
        if name:
            key = place_key(name)
            return (
                self.region_by_name.get(key)
                or self.region_by_name.get(place_key(_SUFFIX_RE.sub("", name.strip())))
                or ""
            )
        return ""


_RESOLVER: PlaceResolver | None = None


def _build_resolver() -> PlaceResolver:
    # Read through the taxonomy's models: one query per table, at most once per process.
    from vagval.taxonomy.models import Concept, ConceptTerm

    r = PlaceResolver()
    for cid, label_sv, label_en, code in Concept.objects.filter(type="region").values_list(
        "concept_id", "label_sv", "label_en", "code"
    ):
        r.regions[cid] = label_sv
        if code:
            r.region_by_code[code.zfill(2)] = cid
        for label in (label_sv, label_en):
            if label:
                short = place_key(_SUFFIX_RE.sub("", label))
                r.region_by_name[place_key(label)] = cid
                r.region_by_name[short] = cid
                # "Dalarnas län" is also just "Dalarna", "Skåne län" "Skåne".
                if short.endswith("s") and label_sv.endswith("s län"):
                    r.region_by_name.setdefault(short[:-1], cid)
    for cid, label, code, parent in Concept.objects.filter(type="municipality").values_list(
        "concept_id", "label_sv", "code", "parent_id"
    ):
        r.municipality_region[cid] = parent or ""
        r.municipality_label[cid] = label
        if code:
            r.by_code[code.zfill(4)] = cid
        r.by_name[place_key(label)] = cid
    for cid, term in ConceptTerm.objects.filter(concept__type="municipality").values_list(
        "concept_id", "term"
    ):
        key = place_key(term)
        if key not in r.by_name:
            r.by_synonym.setdefault(key, cid)
    return r


def get_place_resolver() -> PlaceResolver:
    """The process-wide resolver (built on first use; rebuilt if the taxonomy was empty)."""
    global _RESOLVER
    if _RESOLVER is None or not _RESOLVER.loaded:
        _RESOLVER = _build_resolver()
    return _RESOLVER


def reset_place_resolver() -> None:
    """Forget the cached tables (tests load the taxonomy between cases)."""
    global _RESOLVER
    _RESOLVER = None
