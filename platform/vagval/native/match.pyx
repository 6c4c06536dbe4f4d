# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Finding taxonomy terms in a text, in passes over its token ids.

`term_starts`, where terms may start: `vagval.taxonomy.textmatch.ConceptMatcher._starts` in
numpy (the reference): a token starts a one-word term (flag bit 1), or starts longer terms
(bit 2) and the next token is the second word of one of them (its (first, second) pair is in
the sorted `pairs`). In numpy that is a dozen array operations per text and index, ~25 us each,
for the ~25 places an ad has.

`find_concepts`, the whole search of `ConceptMatcher.find_tokens` (its Python version,
`_find_tokens_python`, is the reference): both token indexes, read as flat arrays
(`TermIndex`), over the text's ids and their lemma ids, each concept's places counted, and the
concepts ordered as the Python version orders them. Job-ad ingestion calls it once per ad:
~10 us, against ~36 us for the Python loop (a dict of dicts per concept, and a sort), the
largest Python item left in the ingestion workers.
"""

from libc.stdint cimport int64_t, uint8_t
from libc.stdlib cimport free, malloc, qsort, realloc


def term_starts(const uint8_t[::1] flags, const int64_t[::1] pairs, const int64_t[::1] ids,
                Py_ssize_t limit):
    """(positions in `ids` where a term may start, the ids there, the ids after them (-1 after
    the last)); ids at or past `limit` have no flags. The ids are all the matcher reads of the
    text after this, for the few positions found, instead of all ~600 of them as a list."""
    cdef Py_ssize_t n = ids.shape[0], i, lo, hi, mid, size = pairs.shape[0]
    cdef int64_t a, code
    cdef uint8_t f
    out = []
    heads = []
    nexts = []
    cdef bint start
    for i in range(n):
        a = ids[i]
        f = flags[a if a < limit else limit]
        start = False
        if f & 1:
            start = True
        elif f & 2 and i + 1 < n:
            code = (a << 32) | ids[i + 1]
            lo = 0
            hi = size
            while lo < hi:  # the first pair >= code
                mid = (lo + hi) >> 1
                if pairs[mid] < code:
                    lo = mid + 1
                else:
                    hi = mid
            start = lo < size and pairs[lo] == code
        if start:
            out.append(i)
            heads.append(a)
            nexts.append(ids[i + 1] if i + 1 < n else -1)
    return out, heads, nexts


# --- the whole search: every concept found, counted and ordered ------------------------------

cdef class TermIndex:
    """One of the matcher's token indexes (surface or lemma) as flat arrays, for `find_concepts`.

    Built once per process by `ConceptMatcher._register_terms` (the ids are the process's
    vocabulary ids). For a first-token id `a` below `limit`:

    - `flags[a]`: bit 1, a one-word term is this token; bit 2, longer terms start with it;
    - `single_concepts[single_start[a]:single_start[a + 1]]`: the one-word term's concepts;
    - `pairs[pair_start[a]:pair_start[a + 1]]`: the pairs that start with it.

    `pairs` holds the longer terms' sorted (first << 32) | second codes (and a sentinel); the
    pair at position p has the entries `entry_start[p]:entry_start[p + 1]`, and
    entry e is the ids after the second token, `rest_ids[rest_start[e]:rest_start[e + 1]]`, with
    the concepts `concepts[concept_start[e]:concept_start[e + 1]]`, shorter terms first.
    """

    # The arrays are kept so the pointers below stay valid; the loops read the pointers.
    cdef readonly object arrays
    cdef Py_ssize_t limit
    cdef const uint8_t *flags
    cdef const int64_t *pairs
    cdef const int64_t *single_start
    cdef const int64_t *single_concepts
    cdef const int64_t *pair_start
    cdef const int64_t *entry_start
    cdef const int64_t *rest_start
    cdef const int64_t *rest_ids
    cdef const int64_t *concept_start
    cdef const int64_t *concepts

    def __init__(self, const uint8_t[::1] flags, const int64_t[::1] pairs,
                 const int64_t[::1] single_start, const int64_t[::1] single_concepts,
                 const int64_t[::1] pair_start, const int64_t[::1] entry_start, const int64_t[::1] rest_start,
                 const int64_t[::1] rest_ids, const int64_t[::1] concept_start,
                 const int64_t[::1] concepts, Py_ssize_t limit):
        # The sizes the loops rely on (they do not check bounds): a wrong build fails here.
        if (flags.shape[0] < limit + 1 or flags[limit] != 0 or single_start.shape[0] < limit + 1
                or pair_start.shape[0] < limit + 1 or pair_start[limit] >= pairs.shape[0]
                or pairs.shape[0] < 1 or entry_start.shape[0] != pairs.shape[0] + 1
                or rest_start.shape[0] != concept_start.shape[0]
                or entry_start[pairs.shape[0]] + 1 != rest_start.shape[0]):
            raise ValueError("inconsistent term index arrays")
        self.arrays = (flags, pairs, single_start, single_concepts, pair_start, entry_start,
                       rest_start, rest_ids, concept_start, concepts)
        self.limit = limit
        self.flags = &flags[0]
        self.pairs = &pairs[0]
        self.single_start = &single_start[0]
        self.single_concepts = &single_concepts[0] if single_concepts.shape[0] else NULL
        self.pair_start = &pair_start[0]
        self.entry_start = &entry_start[0]
        self.rest_start = &rest_start[0]
        self.rest_ids = &rest_ids[0] if rest_ids.shape[0] else NULL
        self.concept_start = &concept_start[0]
        self.concepts = &concepts[0] if concepts.shape[0] else NULL


# One (concept, first token, last token) found, in the order the Python loop finds them (`seq`).
ctypedef struct Place:
    int64_t concept
    int64_t first
    int64_t last
    int64_t seq


# A concept's result: how many first tokens, the first of them and its last token, and `order`,
# when the concept was first found (where the Python version's dict inserted it).
ctypedef struct Ranked:
    int64_t count
    int64_t first
    int64_t order
    int64_t concept
    int64_t last


ctypedef struct Places:
    Place *items
    Py_ssize_t size
    Py_ssize_t capacity


cdef int _record(Places *places, int64_t concept, int64_t first, int64_t last) except -1:
    cdef Place *grown
    cdef Place *place
    if places.size == places.capacity:
        grown = <Place *>realloc(places.items, 2 * places.capacity * sizeof(Place))
        if grown is NULL:
            raise MemoryError()
        places.items = grown
        places.capacity *= 2
    place = &places.items[places.size]
    place.concept = concept
    place.first = first
    place.last = last
    place.seq = places.size
    places.size += 1
    return 0


cdef int _scan(TermIndex index, const int64_t *ids, Py_ssize_t n, const uint8_t *wanted,
               Py_ssize_t concept_count, Places *places) except -1:
    """Record every term of `index` that occurs in `ids[:n]`, position by position."""
    cdef Py_ssize_t i, k, e, lo, hi, mid, length
    cdef int64_t a, code, c, last, begin
    cdef uint8_t f
    cdef bint same
    for i in range(n):
        a = ids[i]
        # flags[limit] is 0: ids past it (new words, ~60% of an ad's tokens) read it without
        # a branch of their own, which mispredicted on every other token.
        f = index.flags[a if a < index.limit else index.limit]
        if f == 0:
            continue
        if f & 1:
            for k in range(index.single_start[a], index.single_start[a + 1]):
                c = index.single_concepts[k]
                if c < concept_count and wanted[c]:
                    _record(places, c, i, i)
        if f & 2 and i + 1 < n:
            code = (a << 32) | ids[i + 1]
            # Only this token's pairs are searched (1.6 on average): a search over all ~5,000
            # pairs was most of the time, its branches mispredicted at every step.
            lo = index.pair_start[a]
            hi = index.pair_start[a + 1]
            while lo < hi:  # the first of them >= code
                mid = (lo + hi) >> 1
                if index.pairs[mid] < code:
                    lo = mid + 1
                else:
                    hi = mid
            if lo == index.pair_start[a + 1] or index.pairs[lo] != code:
                continue
            for e in range(index.entry_start[lo], index.entry_start[lo + 1]):
                begin = index.rest_start[e]
                length = index.rest_start[e + 1] - begin
                last = i + 1 + length
                if last >= n:
                    continue
                same = True
                for k in range(length):
                    if ids[i + 2 + k] != index.rest_ids[begin + k]:
                        same = False
                        break
                if not same:
                    continue
                for k in range(index.concept_start[e], index.concept_start[e + 1]):
                    c = index.concepts[k]
                    if c < concept_count and wanted[c]:
                        _record(places, c, i, last)
    return 0


cdef int _by_concept(const void *left, const void *right) noexcept nogil:
    """Places grouped by concept, then by first token, then in the order they were found."""
    cdef const Place *x = <const Place *>left
    cdef const Place *y = <const Place *>right
    if x.concept != y.concept:
        return -1 if x.concept < y.concept else 1
    if x.first != y.first:
        return -1 if x.first < y.first else 1
    return -1 if x.seq < y.seq else (1 if x.seq > y.seq else 0)


cdef int _by_rank(const void *left, const void *right) noexcept nogil:
    """Most places first, then the earliest first token, then the earliest found."""
    cdef const Ranked *x = <const Ranked *>left
    cdef const Ranked *y = <const Ranked *>right
    if x.count != y.count:
        return -1 if x.count > y.count else 1
    if x.first != y.first:
        return -1 if x.first < y.first else 1
    return -1 if x.order < y.order else (1 if x.order > y.order else 0)


def find_concepts(TermIndex surface, TermIndex lemma, const int64_t[::1] ids,
                  const int64_t[::1] lemma_of, const uint8_t[::1] wanted):
    """(concept indexes, counts, first tokens, last tokens) of the concepts found, in the
    order `ConceptMatcher.find_tokens` returns them; only the concepts with `wanted[c]` set.

    `lemma_of` is the vocabulary's lemma column (`Vocabulary.lemma`: the lemma id of a token
    id, -1 until computed). None when a token's lemma is not there yet: the caller computes
    them (`Vocabulary.lemma_ids`) and asks again. Reading the column here costs nothing next
    to the scan; `lemma_ids` (two numpy operations and an array) cost a third of the search.

    What the Python loop of `find_tokens` computes: the surface index runs over `ids`, then
    the lemma index over the lemma ids; for each concept, the places it occurs keep the first
    last token found for a first token; its count is the number of distinct first tokens over
    both indexes, and its first place the smallest. Concepts are ordered by count (descending),
    first token, then by when they were first found, which is the order a stable sort of the
    Python dict (filled in that order) gives."""
    cdef Places places
    cdef Ranked *ranked = NULL
    cdef Ranked *hit
    cdef int64_t *lemma_ids
    cdef Py_ssize_t n = ids.shape[0], known = lemma_of.shape[0], i, j, hits = 0, distinct
    cdef int64_t order, token
    cdef const uint8_t *wanted_at = &wanted[0] if wanted.shape[0] else NULL
    if n == 0:
        return [], [], [], []
    places.items = NULL
    lemma_ids = <int64_t *>malloc(n * sizeof(int64_t))
    if lemma_ids is NULL:
        raise MemoryError()
    try:
        for i in range(n):
            token = ids[i]
            if token < 0 or token >= known or lemma_of[token] < 0:
                return None
            lemma_ids[i] = lemma_of[token]
        places.size = 0
        places.capacity = 64
        places.items = <Place *>malloc(places.capacity * sizeof(Place))
        if places.items is NULL:
            raise MemoryError()
        _scan(surface, &ids[0], n, wanted_at, wanted.shape[0], &places)
        _scan(lemma, lemma_ids, n, wanted_at, wanted.shape[0], &places)
        if places.size == 0:
            return [], [], [], []
        qsort(places.items, places.size, sizeof(Place), _by_concept)
        ranked = <Ranked *>malloc(places.size * sizeof(Ranked))
        if ranked is NULL:
            raise MemoryError()
        i = 0
        while i < places.size:
            # One concept's places, by first token: the group's head is its first place, and
            # of the places with that first token, the one found first (whose last token the
            # Python dict kept).
            hit = &ranked[hits]
            hit.concept = places.items[i].concept
            hit.first = places.items[i].first
            hit.last = places.items[i].last
            order = places.items[i].seq
            distinct = 1
            j = i + 1
            while j < places.size and places.items[j].concept == hit.concept:
                if places.items[j].first != places.items[j - 1].first:
                    distinct += 1
                if places.items[j].seq < order:
                    order = places.items[j].seq
                j += 1
            hit.count = distinct
            hit.order = order
            hits += 1
            i = j
        qsort(ranked, hits, sizeof(Ranked), _by_rank)
        concepts = [ranked[i].concept for i in range(hits)]
        counts = [ranked[i].count for i in range(hits)]
        firsts = [ranked[i].first for i in range(hits)]
        lasts = [ranked[i].last for i in range(hits)]
        return concepts, counts, firsts, lasts
    finally:
        free(lemma_ids)
        free(places.items)
        free(ranked)
