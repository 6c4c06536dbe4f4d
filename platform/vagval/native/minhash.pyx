# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""MinHash signature of an ad's words, in one C loop (see `vagval.jobs.dedup` for the scheme).

Same arithmetic as the numpy version there, value for value: word 3-gram shingle hashes mixed
in 64-bit, MurmurHash3's 32-bit finaliser, then datasketch's affine32 permutations
`a * h + b` (mod 2**32) and the minimum per permutation. numpy needs a (shingles x 128) work
array and several passes over it; here each shingle's 128 values are folded into the result
as they are computed, eight at a time on CPUs with AVX2 (`minhash_kernel.h`).
"""

from libc.stdint cimport uint32_t

import numpy as np

cdef extern from "minhash_kernel.h" nogil:
    void vagval_minhash(const uint32_t *w, Py_ssize_t n, const uint32_t *a, const uint32_t *b,
                        uint32_t *out, Py_ssize_t perms)


def signature(const uint32_t[::1] word_hashes, const uint32_t[::1] a, const uint32_t[::1] b):
    """uint32[len(a)] signature of the word 3-grams of `word_hashes` (the words themselves
    when there are fewer than three)."""
    if a.shape[0] != b.shape[0]:
        raise ValueError("a and b must have the same length")
    result = np.full(a.shape[0], 0xFFFFFFFF, dtype=np.uint32)
    cdef uint32_t[::1] out = result
    if word_hashes.shape[0]:
        with nogil:
            vagval_minhash(&word_hashes[0], word_hashes.shape[0], &a[0], &b[0], &out[0],
                           a.shape[0])
    return result
