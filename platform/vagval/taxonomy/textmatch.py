"""Find taxonomy concepts (occupations, skills, languages, driving licences) in free text.

Used by job-ad enrichment and by the CV and competence steps. The text is split into lower-cased
tokens; each token also gets its Swedish/English lemma (simplemma, cached per token). Two
Aho-Corasick automatons (pyahocorasick) hold the taxonomy terms as space-delimited token
sequences, so a term only matches whole words:

- the surface automaton holds every term as written ("sjuksköterskor", "c#", "b-körkort");
- the lemma automaton holds the terms that are already in base form, keyed by their lemma, and
  runs over the lemmatised text, so "sjuksköterskorna" finds "Sjuksköterska".

Terms that are ordinary words or too short (`ConceptTerm.matchable` is False, decided from word
frequencies and the real ad corpus when the snapshot was built) are never used here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from vagval.taxonomy.cache import VersionedCache
from vagval.taxonomy.normalize import TOKEN_RE, lemma_warmup, match_lemma

MATCH_TYPES = frozenset({"occupation-name", "skill", "language", "driving-licence"})


@dataclass(frozen=True)
class ConceptHit:
    concept_id: str
    type: str
    label: str
    matched: str  # the text as it first occurred, e.g. "Sjuksköterskor"
    count: int  # number of places in the text where it occurs


class ConceptMatcher:
    """Matches taxonomy terms in text. Build once (see `get_matcher`), then call `find`."""

    def __init__(self, version: str, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """rows: (concept id, concept type, concept label, term) for every usable term."""
        self.version = version
        self._concepts: list[tuple[str, str, str]] = []
        position: dict[str, int] = {}
        surface: dict[str, set[int]] = {}
        lemmatised: dict[str, set[int]] = {}
        for concept_id, ctype, label, term in rows:
            tokens = [t.lower() for t in TOKEN_RE.findall(term)]
            if not tokens or (len(tokens) == 1 and len(tokens[0]) < 2):
                continue
            at = position.get(concept_id)
            if at is None:
                at = position[concept_id] = len(self._concepts)
                self._concepts.append((concept_id, ctype, label))
            surface.setdefault(f" {' '.join(tokens)} ", set()).add(at)
            lemmas = [match_lemma(t) for t in tokens]
            if lemmas == tokens:  # base form: inflected forms in the text will lemmatise to it
                lemmatised.setdefault(f" {' '.join(lemmas)} ", set()).add(at)
        lemma_warmup()
        self._surface = _automaton(surface)
        self._lemma = _automaton(lemmatised)
        self.term_count = len(surface)

    def __len__(self) -> int:
        return len(self._concepts)

    def find(self, text: str, *, types: frozenset[str] | None = None) -> list[ConceptHit]:
        """Concepts found in `text`, most frequent first (then in order of first occurrence)."""
        if not text or not self._concepts:
            return []
        lowered = text.lower()
        tokens = TOKEN_RE.findall(lowered)
        if not tokens:
            return []
        cache = _LEMMAS
        lemma_tokens = [cache[t] if t in cache else _remember(t) for t in tokens]
        places: dict[int, dict[int, int]] = {}  # concept -> {first token: last token}
        for automaton, words in ((self._surface, tokens), (self._lemma, lemma_tokens)):
            if len(automaton) == 0:
                continue
            # " a b c ": every token between single spaces, so keys match whole words only. The
            # token index of a hit is the number of spaces before it (counted in C, per hit).
            joined = f" {' '.join(words)} "
            for end, (length, size, concepts) in automaton.iter(joined):
                first = joined.count(" ", 0, end - length + 1)
                for at in concepts:
                    places.setdefault(at, {}).setdefault(first, first + size - 1)
        hits = []
        for at, occurrences in places.items():
            concept_id, ctype, label = self._concepts[at]
            if types is not None and ctype not in types:
                continue
            first = min(occurrences)
            matched = _original(text, lowered, tokens[first : occurrences[first] + 1])
            hits.append(
                (
                    -len(occurrences),
                    first,
                    ConceptHit(concept_id, ctype, label, matched, len(occurrences)),
                )
            )
        hits.sort(key=lambda item: (item[0], item[1]))
        return [hit for _count, _first, hit in hits]


def _original(text: str, lowered: str, words: list[str]) -> str:
    """The words as written in the text (case kept), found again only for the hits."""
    position = lowered.find(words[0])
    if position < 0 or len(lowered) != len(text):
        return " ".join(words)
    end = position
    for word in words:
        end = lowered.find(word, end)
        if end < 0:
            return " ".join(words)
        end += len(word)
    return text[position:end]


# Lemma per token for matching. A plain dict is the cheapest lookup in the hot loop; it stops
# growing at a bound so a stream of odd tokens (ids, numbers) cannot eat memory.
_LEMMAS: dict[str, str] = {}
_LEMMA_CACHE_MAX = 500_000


def _remember(token: str) -> str:
    base = match_lemma(token)
    if len(_LEMMAS) < _LEMMA_CACHE_MAX:
        _LEMMAS[token] = base
    return base


def _automaton(keys: dict[str, set[int]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key, concepts in keys.items():
        automaton.add_word(key, (len(key), key.count(" ") - 1, tuple(sorted(concepts))))
    if keys:
        automaton.make_automaton()
    return automaton


def _build_matcher(version: str) -> ConceptMatcher:
    from vagval.taxonomy.models import ConceptTerm

    rows = (
        ConceptTerm.objects.filter(
            matchable=True, concept__type__in=MATCH_TYPES, concept__deprecated=False
        )
        .order_by("concept_id", "term")
        .values_list("concept_id", "concept__type", "concept__label_sv", "term")
    )
    return ConceptMatcher(version, rows.iterator(chunk_size=5000))


_matcher_cache: VersionedCache[ConceptMatcher] = VersionedCache(_build_matcher)


def get_matcher() -> ConceptMatcher:
    """The process-wide matcher; rebuilt when the loaded taxonomy version changes."""
    return _matcher_cache.get()
