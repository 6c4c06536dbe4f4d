# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Where taxonomy terms may start in a text, in one pass over its token ids.

`vagval.taxonomy.textmatch.ConceptMatcher._starts` in numpy (the reference): a token starts a
one-word term (flag bit 1), or starts longer terms (bit 2) and the next token is the second word
of one of them (its (first, second) pair is in the sorted `pairs`). In numpy that is a dozen
array operations per text and index, ~25 us each, for the ~25 places an ad has.
"""

from libc.stdint cimport int64_t, uint8_t


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
