"""Find taxonomy concepts (occupations, skills, languages, driving licences) in free text.

Used by job-ad enrichment and by the CV and competence steps. The text is split into lower-cased
tokens; each token also gets its Swedish/English lemma (simplemma, once per distinct token in
the process's `vocab.Vocabulary`). Two token indexes hold the taxonomy terms as token
sequences, keyed by their first token, so a term only matches whole words:

- the surface index holds every term as written ("sjuksköterskor", "c#", "b-körkort");
- the lemma index holds the terms that are already in base form, keyed by their lemma, and
  runs over the lemmatised tokens, so "sjuksköterskorna" finds "Sjuksköterska".

Why not Aho-Corasick over the joined text (the first version): terms are whole-token sequences,
so looking at tokens finds the same hits as an automaton walking every character (~4,000 per
ad). The tokens are looked at in bulk, by their vocabulary ids. Compiled
(`vagval.native.match.find_concepts`, used when the extension is built), one C loop runs over
a text's ids and their lemma ids (read from the vocabulary's lemma column), reading the two
indexes as flat arrays (`_FlatTerms`), and counts and orders the concepts it finds: ~10 us per
ad. The Python version, the reference, gathers flag arrays that say where a term can start and
examines only those few dozen places in Python: ~36 us per ad (~0.5 ms when every token was
looked up in a loop).

Terms that are ordinary words or too short (`ConceptTerm.matchable` is False, decided from word
frequencies and the real ad corpus when the snapshot was built) are never used here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from vagval import native
from vagval.taxonomy import vocab as vocabulary
from vagval.taxonomy.cache import VersionedCache
from vagval.taxonomy.normalize import TOKEN_RE, lemma_warmup, match_lemma

MATCH_TYPES = frozenset({"occupation-name", "skill", "language", "driving-licence"})


class ConceptHit(NamedTuple):
    # A named tuple, not a frozen dataclass: ingestion makes ~8 per ad, and a frozen
    # dataclass's __init__ (object.__setattr__ per field) cost ~2 us each.
    concept_id: str
    type: str
    label: str
    matched: str  # the text as it first occurred, e.g. "Sjuksköterskor"
    count: int  # type: ignore[assignment]  # places in the text (shadows tuple.count)


class ConceptMatcher:
    """Matches taxonomy terms in text. Build once (see `get_matcher`), then call `find`."""

    def __init__(self, version: str, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """rows: (concept id, concept type, concept label, term) for every usable term."""
        self.version = version
        self._concepts: list[tuple[str, str, str]] = []
        position: dict[str, int] = {}
        surface: dict[tuple[str, ...], set[int]] = {}
        lemmatised: dict[tuple[str, ...], set[int]] = {}
        for concept_id, ctype, label, term in rows:
            tokens = [t.lower() for t in TOKEN_RE.findall(term)]
            if not tokens or (len(tokens) == 1 and len(tokens[0]) < 2):
                continue
            at = position.get(concept_id)
            if at is None:
                at = position[concept_id] = len(self._concepts)
                self._concepts.append((concept_id, ctype, label))
            surface.setdefault(tuple(tokens), set()).add(at)
            lemmas = [match_lemma(t) for t in tokens]
            if lemmas == tokens:  # base form: inflected forms in the text will lemmatise to it
                lemmatised.setdefault(tuple(lemmas), set()).add(at)
        lemma_warmup()
        self._surface = _token_index(surface)
        self._lemma = _token_index(lemmatised)
        self.term_count = len(surface)
        self._register_terms()

    def _register_terms(self) -> None:
        """The indexes by vocabulary id, for `find_tokens`, which reads them for a whole text
        at once.

        Per index, a flag array (bit 1: a one-word term is this token; bit 2: longer terms start
        with it) and the sorted (first, second) id pairs of the longer terms: most tokens that
        start a longer term ("teknisk", "data") are not followed by any term's second word. The
        Python search gathers the flags, so only the few places where a term starts get a
        Python-level look; the compiled one reads the same arrays and the whole index as flat
        arrays (`_FlatTerms`, wrapped as `vagval.native.match.TermIndex`)."""
        words = vocabulary.current()
        # The indexes again with vocabulary ids for tokens: `find_tokens` compares ints.
        self._id_index: list[_IdIndex] = []
        for index in (self._surface, self._lemma):
            by_id: _IdIndex = {}
            for first, (single, following) in index.items():
                by_id[words.id(first)] = (
                    single,
                    {
                        words.id(second): tuple(
                            (tuple(words.id(token) for token in rest), concepts)
                            for rest, concepts in entries
                        )
                        for second, entries in following.items()
                    }
                    if following
                    else None,
                )
            self._id_index.append(by_id)
        words.pin()
        self._flag_limit = len(words)  # ids from here on were not terms when this was built
        # The tokens these ids stand for: a pickle carries them only while they still do.
        self._registered = words.tokens[: self._flag_limit]
        self._flags: list[np.ndarray] = []
        self._pairs: list[np.ndarray] = []
        for index in (self._surface, self._lemma):
            flags = np.zeros(self._flag_limit + 1, dtype=np.uint8)
            pairs: list[int] = []
            for first, (single, following) in index.items():
                at = words.index[first]
                if single:
                    flags[at] |= 1
                if following:
                    flags[at] |= 2
                    pairs.extend((at << 32) | words.index[second] for second in following)
            pairs.append(np.iinfo(np.int64).max)  # a sentinel: searchsorted stays in bounds
            self._flags.append(flags)
            self._pairs.append(np.array(sorted(pairs), dtype=np.int64))
        # The same indexes again as flat arrays, which the compiled search reads without a
        # Python object per token or term, and each concept's type as a small int, so the
        # `types` filter is a mask it reads too.
        self._flat = [
            _flat_terms(by_id, pairs, self._flag_limit)
            for by_id, pairs in zip(self._id_index, self._pairs, strict=True)
        ]
        self._type_codes: dict[str, int] = {}
        self._concept_types = np.array(
            [
                self._type_codes.setdefault(ctype, len(self._type_codes))
                for _, ctype, _ in self._concepts
            ],
            dtype=np.int16,
        )
        self._compile()

    def _compile(self) -> None:
        """The compiled search's view of the arrays (not picklable: made again on loading)."""
        self._wanted: dict[frozenset[str] | None, np.ndarray] = {}
        self._term_indexes: list[native.match.TermIndex] | None = (
            [
                native.match.TermIndex(flags, pairs, *flat, self._flag_limit)
                for flags, pairs, flat in zip(self._flags, self._pairs, self._flat, strict=True)
            ]
            if native.AVAILABLE
            else None
        )

    def _wanted_mask(self, types: frozenset[str] | None) -> np.ndarray:
        """1 for each concept of one of `types` (every concept when None), for the compiled
        search; remembered per `types` (callers use a handful of sets)."""
        mask = self._wanted.get(types)
        if mask is None:
            codes = [
                code for ctype, code in self._type_codes.items() if types is None or ctype in types
            ]
            mask = np.isin(self._concept_types, codes).astype(np.uint8)
            self._wanted[types] = mask
        return mask

    def _starts(self, which: int, ids: np.ndarray) -> tuple[list[int], list[int], list[int]]:
        """Token positions where a term of index `which` (0 surface, 1 lemma) may start, the
        ids there and the ids after them (-1 after the last token)."""
        if native.AVAILABLE:  # the same in one compiled pass (tests/native)
            return native.match.term_starts(
                self._flags[which], self._pairs[which], ids, self._flag_limit
            )
        starts = np.array(self._starts_numpy(which, ids), dtype=np.int64)
        after = np.append(ids, -1)[starts + 1]
        return starts.tolist(), ids[starts].tolist(), after.tolist()

    def _starts_numpy(self, which: int, ids: np.ndarray) -> list[int]:
        """`_starts`' positions in numpy: the reference for the compiled version."""
        flags = self._flags[which][np.minimum(ids, self._flag_limit)]
        single = flags & 1
        longer = np.flatnonzero(flags[:-1] & 2)
        if longer.size:
            pairs = self._pairs[which]
            codes = (ids[longer] << 32) | ids[longer + 1]
            known = pairs[np.searchsorted(pairs, codes)] == codes
            single[longer[known]] = 1
        return np.flatnonzero(single).tolist()  # type: ignore[no-any-return]

    # Vocabulary ids belong to one process. A pickled matcher (the ingest cache) carries the
    # vocabulary's first ids, the terms', with the indexes by id: a process that has handed out
    # no id yet (a batch command starting) adopts them as they are, ~0.15 s less start-up than
    # registering every term again (each term's lemma), which any other process does.
    _BY_ID = (
        "_registered",
        "_flag_limit",
        "_flags",
        "_pairs",
        "_id_index",
        "_flat",
        "_type_codes",
        "_concept_types",
    )

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state.pop("_wanted", None)
        state.pop("_term_indexes", None)
        words = vocabulary.current()
        if words.tokens[: self._flag_limit] == self._registered:
            state["_vocabulary_prefix"] = words.snapshot(upto=self._flag_limit)
        else:  # the ids are no longer this vocabulary's: the loader registers the terms
            for name in self._BY_ID:
                state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        prefix = state.pop("_vocabulary_prefix", None)
        self.__dict__.update(state)
        # (a process that has ids of its own would refuse them: not worth restoring then)
        if (
            isinstance(prefix, dict)
            and not len(vocabulary.current())
            and vocabulary.adopt(vocabulary.Vocabulary.from_snapshot(prefix))
        ):
            self._compile()
            return
        for name in self._BY_ID:
            self.__dict__.pop(name, None)
        self._register_terms()

    def __len__(self) -> int:
        return len(self._concepts)

    def find(
        self, text: str, *, types: frozenset[str] | None = None, as_written: bool = True
    ) -> list[ConceptHit]:
        """Concepts found in `text`, most frequent first (then in order of first occurrence).

        `as_written=False` leaves `ConceptHit.matched` as the lower-cased tokens instead of
        finding the words again in the text as written (ingestion needs only the ids)."""
        if not text or not self._concepts:
            return []
        lowered = text.lower()
        words = vocabulary.current()
        ids = words.tokenise(lowered)  # = TOKEN_RE.findall(lowered), as ids
        if not ids.size:
            return []
        found = self.find_tokens(ids, words, types=types)
        if as_written:
            found = [
                ConceptHit(
                    h.concept_id,
                    h.type,
                    h.label,
                    _original(text, lowered, h.matched.split()),
                    h.count,
                )
                for h in found
            ]
        return found

    def find_tokens(
        self,
        ids: np.ndarray,
        words: vocabulary.Vocabulary,
        *,
        types: frozenset[str] | None = None,
        matched: bool = True,
        compiled: bool | None = None,
    ) -> list[ConceptHit]:
        """Like `find` for text already split by `TOKEN_RE` (lower case), given as its tokens'
        ids in `words`; `ConceptHit.matched` is the lower-cased tokens (left empty when not
        `matched`: ingestion keeps only the concepts).

        Compiled (`vagval.native.match.find_concepts`, ~4x faster) unless `compiled` is False
        or the extension is not built; `_find_tokens_python` is the reference, and both give
        the same hits in the same order (tests/native)."""
        if not ids.size or not self._concepts:
            return []
        if not (native.AVAILABLE if compiled is None else compiled):
            return self._find_tokens_python(ids, words, types=types, matched=matched)
        if self._term_indexes is None:
            raise RuntimeError("vagval.native is not built: run `pip install -e .`")
        surface, lemma = self._term_indexes
        wanted = self._wanted_mask(types)
        found = native.match.find_concepts(surface, lemma, ids, words.lemma, wanted)
        if found is None:  # tokens whose lemma was never asked for: compute them, search again
            words.lemma_ids(ids)
            found = native.match.find_concepts(surface, lemma, ids, words.lemma, wanted)
            assert found is not None
        concepts, counts, firsts, lasts = found
        known = self._concepts
        # tuple.__new__, as `ConceptHit._make` does: ConceptHit(...) runs a Python-level
        # __new__, ~0.4 us a hit, a fifth of what this call costs an ad (~5 hits).
        new_hit = tuple.__new__
        if not matched:
            return [
                new_hit(ConceptHit, known[at] + ("", count))
                for at, count in zip(concepts, counts, strict=True)
            ]
        return [
            ConceptHit(*known[at], " ".join(words.strings(ids[first : last + 1])), count)
            for at, count, first, last in zip(concepts, counts, firsts, lasts, strict=True)
        ]

    def _find_tokens_python(
        self,
        ids: np.ndarray,
        words: vocabulary.Vocabulary,
        *,
        types: frozenset[str] | None,
        matched: bool,
    ) -> list[ConceptHit]:
        """`find_tokens` in Python: the reference for the compiled search (tests/native)."""
        lemma_ids = words.lemma_ids(ids)
        places: dict[int, dict[int, int]] = {}  # concept -> {first token: last token}
        for which, token_ids in ((0, ids), (1, lemma_ids)):
            starts, heads, nexts = self._starts(which, token_ids)
            index = self._id_index[which]
            for first, head, second in zip(starts, heads, nexts, strict=True):
                single, following = index[head]
                for at in single:
                    seen = places.get(at)
                    if seen is None:
                        places[at] = {first: first}
                    elif first not in seen:
                        seen[first] = first
                # Multi-word terms are keyed by their second token too: common first words
                # ("teknisk", "data") start hundreds of terms, and most never continue here.
                if following and (entries := following.get(second)):
                    for rest, concepts in entries:
                        last = first + 1 + len(rest)
                        if rest and tuple(token_ids[first + 2 : last + 1].tolist()) != rest:
                            continue
                        for at in concepts:
                            places.setdefault(at, {}).setdefault(first, last)
        hits = []
        for at, occurrences in places.items():
            concept_id, ctype, label = self._concepts[at]
            if types is not None and ctype not in types:
                continue
            first = min(occurrences)
            text = " ".join(words.strings(ids[first : occurrences[first] + 1])) if matched else ""
            hits.append(
                (
                    -len(occurrences),
                    first,
                    ConceptHit(concept_id, ctype, label, text, len(occurrences)),
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


_Entries = tuple[tuple[tuple[str, ...], tuple[int, ...]], ...]
_Index = dict[str, tuple[tuple[int, ...], dict[str, _Entries] | None]]
_IdEntries = tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
_IdIndex = dict[int, tuple[tuple[int, ...], dict[int, _IdEntries] | None]]


def _token_index(keys: dict[tuple[str, ...], set[int]]) -> _Index:
    """first token -> (concepts of the one-word term, {second token: ((the tokens after the
    second, concepts), ...)} for the longer terms)."""
    single: dict[str, tuple[int, ...]] = {}
    longer: dict[str, dict[str, list[tuple[tuple[str, ...], tuple[int, ...]]]]] = {}
    for tokens, concepts in keys.items():
        if len(tokens) == 1:
            single[tokens[0]] = tuple(sorted(concepts))
        else:
            following = longer.setdefault(tokens[0], {})
            following.setdefault(tokens[1], []).append((tokens[2:], tuple(sorted(concepts))))
    # Shorter terms first: a tie in `find`'s order (same count, same first token) keeps the
    # shorter term first, as the automaton of the first version reported it.
    return {
        first: (
            single.get(first, ()),
            {
                second: tuple(sorted(entries, key=lambda entry: len(entry[0])))
                for second, entries in longer[first].items()
            }
            if first in longer
            else None,
        )
        for first in single.keys() | longer.keys()
    }


class _FlatTerms(NamedTuple):
    """One `_IdIndex` as flat arrays (see `vagval.native.match.TermIndex`): per first-token id,
    its one-word term's concepts; per (first, second) pair of `ConceptMatcher._pairs`, in that
    order, its entries; per entry, the ids after the second token and the concepts."""

    single_start: np.ndarray  # first-token id -> start in single_concepts (limit + 1 values)
    single_concepts: np.ndarray
    pair_start: np.ndarray  # first-token id -> its first pair in pairs (limit + 1 values)
    entry_start: np.ndarray  # pair position -> start of its entries (one more than pairs)
    rest_start: np.ndarray  # entry -> start in rest_ids (one more than entries)
    rest_ids: np.ndarray
    concept_start: np.ndarray  # entry -> start in concepts (one more than entries)
    concepts: np.ndarray


def _flat_terms(by_id: _IdIndex, pairs: np.ndarray, limit: int) -> _FlatTerms:
    """`by_id` as `_FlatTerms`; `pairs` are its sorted (first << 32) | second codes and the
    sentinel, so the position a binary search finds for a pair indexes its entries."""
    single_count = np.zeros(limit + 1, dtype=np.int64)
    single_concepts: list[int] = []
    for first in sorted(by_id):  # single_concepts in id order, as single_start counts them
        single = by_id[first][0]
        single_count[first + 1] = len(single)
        single_concepts.extend(single)
    entry_start = [0]
    rest_start = [0]
    rest_ids: list[int] = []
    concept_start = [0]
    concepts: list[int] = []
    for code in pairs[:-1].tolist():  # not the sentinel, which has no entries
        following = by_id[code >> 32][1]
        assert following is not None  # a pair exists only for a first token with longer terms
        for rest, entry_concepts in following[code & 0xFFFFFFFF]:
            rest_ids.extend(rest)
            rest_start.append(len(rest_ids))
            concepts.extend(entry_concepts)
            concept_start.append(len(concepts))
        entry_start.append(len(rest_start) - 1)
    entry_start.append(entry_start[-1])

    def array(values: list[int]) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    return _FlatTerms(
        np.cumsum(single_count),
        array(single_concepts),
        np.searchsorted(pairs, np.arange(limit + 1, dtype=np.int64) << 32).astype(np.int64),
        array(entry_start),
        array(rest_start),
        array(rest_ids),
        array(concept_start),
        array(concepts),
    )


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
