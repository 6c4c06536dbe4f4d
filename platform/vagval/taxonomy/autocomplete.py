"""In-memory autocomplete index over taxonomy terms, built once per process and taxonomy version.

A query is matched against the normalised terms (labels, synonyms, misspellings, keywords) of the
requested concept types in tiers, best first:

1. the whole term equals the query, or starts with it ("sjuksköt" -> "Sjuksköterska");
2. a later word of the term starts with it ("ekonomi" -> "Chef, ekonomi");
3. the query occurs inside a compound ("utveckl" -> "Systemutvecklare");
4. the same for the query's lemma and stem ("sjuksköterskor", "utvecklarna");
5. fuzzy (rapidfuzz) against whole terms and term prefixes, for typos ("progamerare").

Within a tier preferred labels come before synonyms, shorter labels before longer. Results are
deduplicated per concept. Diacritics are folded on both sides ("sjukskoterska").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from vagval.taxonomy.normalize import (
    fold,
    lemma_warmup,
    lemmatize,
    normalize_term,
    stem_prefix,
)

MAX_QUERY_CHARS = 80
# Term kinds, best first: a preferred label outranks a synonym of another concept.
KIND_RANK = {"label": 0, "synonym": 1, "keyword": 2, "misspelling": 3}
FUZZY_MIN_CHARS = 4
FUZZY_CUTOFF = 84.0
FUZZY_CUTOFF_SHORT = 88.0  # one typo in a six-letter word already scores about 83
# Fuzzy matching only fills in when the exact tiers found fewer than this many concepts.
FUZZY_WHEN_FEWER = 3
# How many candidate terms one tier may gather before it stops: enough to rank, bounded cost.
TIER_CAP = 400


@dataclass(frozen=True)
class ConceptInfo:
    concept_id: str
    type: str
    label: str
    ssyk: str
    parent_label: str


@dataclass
class _Group:
    """The index of one concept type."""

    norms: list[str] = field(default_factory=list)  # one per term
    concept: list[int] = field(default_factory=list)  # index into AutocompleteIndex.concepts
    kind: list[int] = field(default_factory=list)
    sorted_norms: list[str] = field(default_factory=list)
    sorted_ids: list[int] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # every later word of every term, sorted
    word_ids: list[int] = field(default_factory=list)
    all_words: list[str] = field(default_factory=list)  # every word of a multi-word term
    all_word_ids: list[int] = field(default_factory=list)
    blob: str = ""  # "\n".join(norms) for substring search
    offsets: list[int] = field(default_factory=list)

    def finish(self) -> None:
        order = sorted(range(len(self.norms)), key=self.norms.__getitem__)
        self.sorted_norms = [self.norms[i] for i in order]
        self.sorted_ids = order
        pairs = sorted(
            (word, i) for i, norm in enumerate(self.norms) for word in norm.split(" ")[1:]
        )
        self.words = [w for w, _ in pairs]
        self.word_ids = [i for _, i in pairs]
        every = [
            (word, i)
            for i, norm in enumerate(self.norms)
            if " " in norm
            for word in norm.split(" ")
            if len(word) >= FUZZY_MIN_CHARS
        ]
        self.all_words = [w for w, _ in every]
        self.all_word_ids = [i for _, i in every]
        self.blob = "\n".join(self.norms)
        offsets, position = [], 0
        for norm in self.norms:
            offsets.append(position)
            position += len(norm) + 1
        self.offsets = offsets

    def prefixed(self, keys: list[str], values: list[int], prefix: str) -> Iterable[int]:
        start = bisect.bisect_left(keys, prefix)
        for position in range(start, min(start + TIER_CAP, len(keys))):
            if not keys[position].startswith(prefix):
                break
            yield values[position]

    def containing(self, needle: str) -> Iterable[int]:
        found = 0
        start = self.blob.find(needle)
        while start != -1 and found < TIER_CAP:
            yield bisect.bisect_right(self.offsets, start) - 1
            found += 1
            start = self.blob.find(needle, start + 1)


class AutocompleteIndex:
    """Terms grouped by concept type with sorted keys for prefix search."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.concepts: list[ConceptInfo] = []
        self.groups: dict[str, _Group] = {}

    @classmethod
    def from_rows(
        cls,
        version: str,
        concepts: Iterable[tuple[str, str, str, str, str]],
        terms: Iterable[tuple[str, str, str]],
    ) -> AutocompleteIndex:
        """concepts: (id, type, label, ssyk code, parent label); terms: (concept id, norm, kind)."""
        index = cls(version)
        position: dict[str, int] = {}
        for concept_id, ctype, label, ssyk, parent_label in concepts:
            position[concept_id] = len(index.concepts)
            index.concepts.append(ConceptInfo(concept_id, ctype, label, ssyk, parent_label))
        for concept_id, norm, kind in terms:
            at = position.get(concept_id)
            if at is None or not norm:
                continue
            group = index.groups.setdefault(index.concepts[at].type, _Group())
            group.norms.append(norm)
            group.concept.append(at)
            group.kind.append(KIND_RANK.get(kind, 3))
        for group in index.groups.values():
            group.finish()
        lemma_warmup()
        return index

    def search(self, query: str, types: Iterable[str], limit: int) -> list[ConceptInfo]:
        query = query[:MAX_QUERY_CHARS]
        q = normalize_term(query)
        if not q or limit <= 0:
            return []
        variants = _variants(query, q)
        best: dict[int, tuple[float, int, int, str]] = {}  # concept -> sort key
        for ctype in types:
            group = self.groups.get(ctype)
            if group is not None:
                self._search_group(group, q, variants, best)
        ranked = sorted(best.items(), key=lambda item: item[1])
        return [self.concepts[at] for at, _key in ranked[:limit]]

    def _offer(
        self, group: _Group, term: int, tier: float, best: dict[int, tuple[float, int, int, str]]
    ) -> None:
        at = group.concept[term]
        label = self.concepts[at].label
        key = (tier, group.kind[term], len(label), label)
        old = best.get(at)
        if old is None or key < old:
            best[at] = key

    def _search_group(
        self,
        group: _Group,
        q: str,
        variants: list[tuple[str, float]],
        best: dict[int, tuple[float, int, int, str]],
    ) -> None:
        found_before = len(best)
        for variant, penalty in variants:
            for term in group.prefixed(group.sorted_norms, group.sorted_ids, variant):
                exact = group.norms[term] == variant
                self._offer(group, term, penalty + (0.0 if exact else 1.0), best)
            for term in group.prefixed(group.words, group.word_ids, variant):
                self._offer(group, term, penalty + 2.0, best)
            if len(variant) >= 3:
                for term in group.containing(variant):
                    self._offer(group, term, penalty + 3.0, best)
        if len(q) < FUZZY_MIN_CHARS or len(best) - found_before >= FUZZY_WHEN_FEWER:
            return
        # Typos: compare with whole terms, with each word of a term, and with term prefixes of
        # the query's length, so "progamerare" finds "Systemutvecklare/Programmerare" and
        # "sjuksköterksa" finds "Sjuksköterska".
        cutoff = FUZZY_CUTOFF_SHORT if len(q) <= 6 else FUZZY_CUTOFF
        width = len(q) + 1
        prefixes = [norm[:width] for norm in group.norms]
        for keys, ids in (
            (group.norms, None),
            (prefixes, None),
            (group.all_words, group.all_word_ids),
        ):
            for _match, score, position in process.extract(
                q, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=25
            ):
                term = ids[position] if ids is not None else position
                self._offer(group, term, 10.0 + (100.0 - score) / 10.0, best)


def _variants(query: str, q: str) -> list[tuple[str, float]]:
    """The normalised query `q` and its lemma / stem forms, with a rank penalty for those."""
    variants = [(q, 0.0)]
    words = q.split(" ")
    raw_words = [w for w in _WORD_SPLIT.split(query.lower()) if w]
    last = raw_words[-1] if raw_words else ""
    if len(last) >= 5:
        # Lemmatise the word as typed: the lemma dictionary has diacritics, the key has not.
        # The lemma ranks just below the query itself; the crude stem ("utvecklarna" ->
        # "utveckl") only after every lemma tier, as it also finds other words.
        lemma = fold(lemmatize(last))
        for form, penalty in ((lemma, 0.5), (stem_prefix(fold(last)), 4.0)):
            candidate = " ".join([*words[:-1], form])
            if form and all(candidate != v for v, _ in variants):
                variants.append((candidate, penalty))
    return variants


_WORD_SPLIT = re.compile(r"[^\w#+]+")
