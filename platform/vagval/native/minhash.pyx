# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""MinHash signature of an ad's words, in one C loop (see `vagval.jobs.dedup` for the scheme),
and the signature's LSH band keys (`band_keys`, BLAKE2b as hashlib computes it).

Same arithmetic as the numpy version there, value for value: word 3-gram shingle hashes mixed
in 64-bit, MurmurHash3's 32-bit finaliser, then datasketch's affine32 permutations
`a * h + b` (mod 2**32) and the minimum per permutation. numpy needs a (shingles x 128) work
array and several passes over it; here each shingle's 128 values are folded into the result
as they are computed, eight at a time on CPUs with AVX2 (`minhash_kernel.h`).
"""

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy, memset

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


# --- LSH band keys: BLAKE2b (RFC 7693) of one short block, in C ------------------------------
# `vagval.jobs.dedup.band_keys` hashes each band's rows with hashlib.blake2b (8-byte digest),
# 25 times per ad at ~1.7 us each in Python. Stored keys must not change, so this is the same
# function, written from the RFC for a message of at most one 128-byte block, unkeyed.

cdef uint64_t _IV[8]
_IV[:] = [
    0x6A09E667F3BCC908ULL, 0xBB67AE8584CAA73BULL, 0x3C6EF372FE94F82BULL, 0xA54FF53A5F1D36F1ULL,
    0x510E527FADE682D1ULL, 0x9B05688C2B3E6C1FULL, 0x1F83D9ABFB41BD6BULL, 0x5BE0CD19137E2179ULL,
]
cdef uint8_t _SIGMA[192]  # the message word order of each of the 12 rounds, 16 each
_SIGMA[:] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
    11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
    7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
    9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
    2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
    12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
    13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
    6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
    10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
]


cdef inline uint64_t _rotr(uint64_t x, int n) noexcept nogil:
    return (x >> n) | (x << (64 - n))


cdef inline void _mix(uint64_t *v, int a, int b, int c, int d, uint64_t x, uint64_t y) noexcept nogil:
    v[a] = v[a] + v[b] + x
    v[d] = _rotr(v[d] ^ v[a], 32)
    v[c] = v[c] + v[d]
    v[b] = _rotr(v[b] ^ v[c], 24)
    v[a] = v[a] + v[b] + y
    v[d] = _rotr(v[d] ^ v[a], 16)
    v[c] = v[c] + v[d]
    v[b] = _rotr(v[b] ^ v[c], 63)


cdef uint64_t _blake2b_one_block(const uint8_t *data, Py_ssize_t length,
                                 int digest_size) noexcept nogil:
    """The first 8 bytes of BLAKE2b-`digest_size` of `length` (<= 128) bytes, as a
    little-endian word (h[0] after the one compression)."""
    cdef uint64_t m[16]
    cdef uint64_t v[16]
    cdef uint64_t h0
    cdef uint8_t block[128]
    cdef int i, r
    memset(block, 0, 128)
    memcpy(block, data, length)
    for i in range(16):  # little-endian words
        m[i] = (
            <uint64_t>block[8 * i] | (<uint64_t>block[8 * i + 1] << 8)
            | (<uint64_t>block[8 * i + 2] << 16) | (<uint64_t>block[8 * i + 3] << 24)
            | (<uint64_t>block[8 * i + 4] << 32) | (<uint64_t>block[8 * i + 5] << 40)
            | (<uint64_t>block[8 * i + 6] << 48) | (<uint64_t>block[8 * i + 7] << 56)
        )
    h0 = _IV[0] ^ 0x01010000ULL ^ <uint64_t>digest_size  # no key, fan-out 1, depth 1
    v[0] = h0
    for i in range(1, 8):
        v[i] = _IV[i]
    for i in range(8):
        v[8 + i] = _IV[i]
    v[12] ^= <uint64_t>length  # bytes hashed so far (the high word stays 0)
    v[14] = ~v[14]  # the last block
    for r in range(12):
        _mix(v, 0, 4, 8, 12, m[_SIGMA[16 * r + 0]], m[_SIGMA[16 * r + 1]])
        _mix(v, 1, 5, 9, 13, m[_SIGMA[16 * r + 2]], m[_SIGMA[16 * r + 3]])
        _mix(v, 2, 6, 10, 14, m[_SIGMA[16 * r + 4]], m[_SIGMA[16 * r + 5]])
        _mix(v, 3, 7, 11, 15, m[_SIGMA[16 * r + 6]], m[_SIGMA[16 * r + 7]])
        _mix(v, 0, 5, 10, 15, m[_SIGMA[16 * r + 8]], m[_SIGMA[16 * r + 9]])
        _mix(v, 1, 6, 11, 12, m[_SIGMA[16 * r + 10]], m[_SIGMA[16 * r + 11]])
        _mix(v, 2, 7, 8, 13, m[_SIGMA[16 * r + 12]], m[_SIGMA[16 * r + 13]])
        _mix(v, 3, 4, 9, 14, m[_SIGMA[16 * r + 14]], m[_SIGMA[16 * r + 15]])
    return h0 ^ v[0] ^ v[8]


def band_keys(const uint32_t[::1] sig, Py_ssize_t bands, Py_ssize_t rows):
    """For each band b: blake2b(bytes((b,)) + the band's rows as little-endian uint32,
    digest_size=8), read as a big-endian signed 64-bit int; a list of `bands` ints."""
    if bands > 256 or bands * rows > sig.shape[0] or 1 + 4 * rows > 128:
        raise ValueError("bands x rows must fit the signature, and a band one block")
    cdef uint8_t message[128]
    cdef Py_ssize_t band, j
    cdef uint32_t word
    cdef uint64_t h, swapped
    cdef int k
    out = []
    for band in range(bands):
        message[0] = <uint8_t>band
        for j in range(rows):
            word = sig[band * rows + j]
            message[1 + 4 * j] = word & 0xFF
            message[2 + 4 * j] = (word >> 8) & 0xFF
            message[3 + 4 * j] = (word >> 16) & 0xFF
            message[4 + 4 * j] = (word >> 24) & 0xFF
        h = _blake2b_one_block(message, 1 + 4 * rows, 8)
        swapped = 0  # the digest's bytes are h's little-endian bytes, read big-endian
        for k in range(8):
            swapped = (swapped << 8) | ((h >> (8 * k)) & 0xFF)
        out.append(<int64_t>swapped)
    return out
