# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""White-space chunks of a text and their ids, without making a string per chunk.

`ChunkTable.ids(text, add, lower)` gives, for each white-space separated chunk of `text`
(exactly the pieces `text.split()` gives; of `text.lower()` with `lower`), the chunk's id. Known chunks are found in an open-addressing
table keyed by a 64-bit FNV-1a hash of their code points and checked against the stored chunk
character by character, so no collision can return a wrong id. A chunk seen for the first time
is cut out as a string and handed to `add(chunk) -> id` (the vocabulary registers its tokens),
then stored. Python's version of the same loop (`split()` plus a dict lookup per chunk) spends
most of its time building and hashing ~600 short strings per ad.

Texts whose characters all fit in one byte (Latin-1: Swedish and English ads nearly always)
take a byte loop with 256-entry tables for white space and lower case; `str.lower()` maps
every Latin-1 character to one Latin-1 character, so lowering there is a table lookup and the
lowered copy of the text is never made. Other texts are lowered by Python first.
"""

from cpython.unicode cimport (
    PyUnicode_1BYTE_KIND,
    PyUnicode_DATA,
    PyUnicode_GET_LENGTH,
    PyUnicode_KIND,
    PyUnicode_READ,
)
from libc.stdint cimport int64_t, uint64_t, uint8_t

import numpy as np

cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)

cdef uint64_t _FNV_OFFSET = 14695981039346656037ULL
cdef uint64_t _FNV_PRIME = 1099511628211ULL

# Latin-1 character -> is white space (as `str.split()` sees it), and -> its lower case.
cdef bint _SPACE[256]
cdef uint8_t _LOWER[256]
cdef int _c
for _c in range(256):
    _SPACE[_c] = Py_UNICODE_ISSPACE(<Py_UCS4>_c)
    _lowered = chr(_c).lower()
    assert len(_lowered) == 1 and ord(_lowered) < 256, "Latin-1 lowers within Latin-1"
    _LOWER[_c] = ord(_lowered)


cdef class ChunkTable:
    cdef list _chunks          # chunk string by position in the table's insertion order
    cdef object _hash_array    # uint64 per slot
    cdef object _slot_array    # int64 per slot: index into _chunks and _ids, -1 when empty
    cdef list _ids             # the caller's id of each stored chunk
    cdef Py_ssize_t _mask

    def __init__(self, Py_ssize_t capacity=1 << 16):
        size = 1
        while size < 2 * capacity:
            size <<= 1
        self._chunks = []
        self._ids = []
        self._hash_array = np.zeros(size, dtype=np.uint64)
        self._slot_array = np.full(size, -1, dtype=np.int64)
        self._mask = size - 1

    def __len__(self):
        return len(self._chunks)

    def ids(self, str text, object add, bint lower=False):
        """int64 array of the ids of `text.split()` (`text.lower().split()` with `lower`),
        calling `add(chunk)` for chunks not seen before."""
        if PyUnicode_KIND(text) == PyUnicode_1BYTE_KIND:
            return self._ids_latin1(text, add, lower)
        if lower:
            text = text.lower()
        return self._ids_any(text, add)

    cdef object _ids_latin1(self, str text, object add, bint lower):
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
        cdef const uint8_t *data = <const uint8_t *>PyUnicode_DATA(text)
        cdef Py_ssize_t i = 0, start, slot, found, count = 0
        cdef uint64_t h
        cdef uint8_t ch
        cdef const uint8_t *fold = _LOWER if lower else NULL
        out = np.empty(n // 2 + 1, dtype=np.int64)
        cdef int64_t[::1] out_view = out
        cdef const uint64_t[::1] hashes = self._hash_array
        cdef const int64_t[::1] slots = self._slot_array
        while i < n:
            while i < n and _SPACE[data[i]]:
                i += 1
            if i >= n:
                break
            start = i
            h = _FNV_OFFSET
            while i < n:
                ch = data[i]
                if _SPACE[ch]:
                    break
                if fold != NULL:
                    ch = fold[ch]
                h = (h ^ <uint64_t>ch) * _FNV_PRIME
                i += 1
            slot = <Py_ssize_t>(h & <uint64_t>self._mask)
            found = -1
            while slots[slot] >= 0:
                if hashes[slot] == h and self._same_latin1(slots[slot], data, fold, start, i):
                    found = slots[slot]
                    break
                slot = (slot + 1) & self._mask
            if found >= 0:
                out_view[count] = self._ids[found]
            else:
                chunk = text[start:i].lower() if lower else text[start:i]
                out_view[count] = self._insert(h, chunk, add(chunk))
                # The callback ran Python code (and may have let another thread grow the
                # table): look at the current arrays from here on.
                hashes = self._hash_array
                slots = self._slot_array
            count += 1
        return out[:count]

    cdef object _ids_any(self, str text, object add):
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
        cdef int kind = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        cdef Py_ssize_t i = 0, start, slot, found, count = 0
        cdef uint64_t h
        cdef Py_UCS4 ch
        out = np.empty(n // 2 + 1, dtype=np.int64)
        cdef int64_t[::1] out_view = out
        cdef const uint64_t[::1] hashes = self._hash_array
        cdef const int64_t[::1] slots = self._slot_array
        while i < n:
            while i < n and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)):
                i += 1
            if i >= n:
                break
            start = i
            h = _FNV_OFFSET
            while i < n:
                ch = PyUnicode_READ(kind, data, i)
                if Py_UNICODE_ISSPACE(ch):
                    break
                h = (h ^ <uint64_t>ch) * _FNV_PRIME
                i += 1
            slot = <Py_ssize_t>(h & <uint64_t>self._mask)
            found = -1
            while slots[slot] >= 0:
                if hashes[slot] == h and self._same(slots[slot], text, kind, data, start, i):
                    found = slots[slot]
                    break
                slot = (slot + 1) & self._mask
            if found >= 0:
                out_view[count] = self._ids[found]
            else:
                chunk = text[start:i]
                out_view[count] = self._insert(h, chunk, add(chunk))
                hashes = self._hash_array
                slots = self._slot_array
            count += 1
        return out[:count]

    cdef bint _same_latin1(self, Py_ssize_t at, const uint8_t *data, const uint8_t *fold,
                           Py_ssize_t start, Py_ssize_t end):
        cdef str stored = self._chunks[at]
        cdef Py_ssize_t length = end - start, j
        if PyUnicode_GET_LENGTH(stored) != length or PyUnicode_KIND(stored) != PyUnicode_1BYTE_KIND:
            return False
        cdef const uint8_t *sdata = <const uint8_t *>PyUnicode_DATA(stored)
        if fold == NULL:
            for j in range(length):
                if sdata[j] != data[start + j]:
                    return False
        else:
            for j in range(length):
                if sdata[j] != fold[data[start + j]]:
                    return False
        return True

    cdef bint _same(self, Py_ssize_t at, str text, int kind, void *data,
                    Py_ssize_t start, Py_ssize_t end):
        cdef str stored = self._chunks[at]
        cdef Py_ssize_t length = end - start, j
        if PyUnicode_GET_LENGTH(stored) != length:
            return False
        cdef int skind = PyUnicode_KIND(stored)
        cdef void *sdata = PyUnicode_DATA(stored)
        for j in range(length):
            if PyUnicode_READ(skind, sdata, j) != PyUnicode_READ(kind, data, start + j):
                return False
        return True

    cdef int64_t _insert(self, uint64_t h, str chunk, object chunk_id) except? -1:
        """Store `chunk` (unless another thread stored it meanwhile) and return its id.

        Thread safety: this and `_grow` run no Python bytecode, so under the GIL no other
        thread sees the table half-changed; a chunk is published in its slot only after its
        entries in `_chunks` and `_ids` exist."""
        cdef Py_ssize_t slot = <Py_ssize_t>(h & <uint64_t>self._mask)
        cdef uint64_t[::1] hashes = self._hash_array
        cdef int64_t[::1] slots = self._slot_array
        while slots[slot] >= 0:
            if hashes[slot] == h and self._chunks[slots[slot]] == chunk:
                return self._ids[slots[slot]]
            slot = (slot + 1) & self._mask
        cdef int64_t value = chunk_id
        self._chunks.append(chunk)
        self._ids.append(value)
        hashes[slot] = h
        slots[slot] = len(self._chunks) - 1
        if 2 * len(self._chunks) > self._mask + 1:
            self._grow()
        return value

    cdef void _grow(self):
        cdef Py_ssize_t size = 2 * (self._mask + 1), mask = size - 1, slot, at
        cdef const uint64_t[::1] old_hashes = self._hash_array
        cdef const int64_t[::1] old_slots = self._slot_array
        new_hash_array = np.zeros(size, dtype=np.uint64)
        new_slot_array = np.zeros(size, dtype=np.int64)
        cdef uint64_t[::1] hashes = new_hash_array
        cdef int64_t[::1] slots = new_slot_array
        for at in range(size):
            slots[at] = -1
        for at in range(old_slots.shape[0]):
            if old_slots[at] < 0:
                continue
            slot = <Py_ssize_t>(old_hashes[at] & <uint64_t>mask)
            while slots[slot] >= 0:
                slot = (slot + 1) & mask
            hashes[slot] = old_hashes[at]
            slots[slot] = old_slots[at]
        self._hash_array = new_hash_array
        self._slot_array = new_slot_array
        self._mask = mask


def expand(const int64_t[::1] chunk_ids, const int64_t[::1] starts, const int64_t[::1] lengths,
           const int64_t[::1] tokens):
    """The token ids of a text given its chunk ids: each chunk's run of `tokens`, in order."""
    cdef Py_ssize_t i, j, total = 0, at = 0
    for i in range(chunk_ids.shape[0]):
        total += lengths[chunk_ids[i]]
    out = np.empty(total, dtype=np.int64)
    cdef int64_t[::1] view = out
    cdef int64_t start, length
    for i in range(chunk_ids.shape[0]):
        start = starts[chunk_ids[i]]
        length = lengths[chunk_ids[i]]
        for j in range(length):
            view[at] = tokens[start + j]
            at += 1
    return out
