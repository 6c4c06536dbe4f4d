# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""A read-only str -> str mapping laid out in one bytes buffer (a file, memory-mapped).

simplemma's Swedish and English dictionaries hold 1.15 million entries. As Python dicts they
take ~0.65 s to load in every process that lemmatises (each ingest command, web process and
Celery worker), most of an ingest command's start-up, and ~200 MB of objects per process. In
this layout the file is the table: opening it costs nothing, the pages are shared by every
process through the page cache, and a lookup is a hash, a probe and a compare, in C.

Layout (little-endian): 16 bytes of header (magic, slot count); the slots, 16 bytes each
(64-bit FNV-1a hash of the key's UTF-8, 0 for an empty slot; offsets of the key and the value
in the arena); the arena, strings as a 32-bit length and UTF-8 bytes. Open addressing with
linear probing, at most half the slots used. `build` writes it; `StrMap` reads it.
"""

from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.stdint cimport uint32_t, uint64_t
from libc.string cimport memcmp, memcpy

MAGIC = b"VVSTRMP1"
cdef Py_ssize_t HEADER = 16
cdef Py_ssize_t SLOT = 16


cdef inline uint64_t _hash(const unsigned char* data, Py_ssize_t size) noexcept nogil:
    cdef uint64_t h = 0xCBF29CE484222325ULL
    cdef Py_ssize_t i
    for i in range(size):
        h = (h ^ data[i]) * 0x100000001B3ULL
    return h if h != 0 else 1  # 0 marks an empty slot


def build(items) -> bytes:
    """The buffer of a mapping with `items` ((str, str) pairs, keys distinct)."""
    pairs = [(k.encode("utf-8"), v.encode("utf-8")) for k, v in items]
    cdef Py_ssize_t n = len(pairs), n_slots = 16
    while n_slots < 2 * n:
        n_slots *= 2
    arena = bytearray()
    value_at = {}
    slots = bytearray(n_slots * SLOT)
    cdef unsigned char[::1] view = slots
    cdef uint64_t h, mask = n_slots - 1, at
    cdef uint32_t key_off, val_off
    cdef const unsigned char[::1] key_view
    base = HEADER + n_slots * SLOT
    for key, value in pairs:
        key_off = base + len(arena)
        arena += len(key).to_bytes(4, "little") + key
        val_off = value_at.get(value, 0)
        if not val_off:  # each distinct value once (lemmas repeat)
            val_off = value_at[value] = base + len(arena)
            arena += len(value).to_bytes(4, "little") + value
        key_view = key
        h = _hash(&key_view[0], len(key)) if len(key) else _hash(NULL, 0)
        at = h & mask
        while (<uint64_t*>&view[at * SLOT])[0] != 0:
            at = (at + 1) & mask
        memcpy(&view[at * SLOT], &h, 8)
        memcpy(&view[at * SLOT + 8], &key_off, 4)
        memcpy(&view[at * SLOT + 12], &val_off, 4)
    header = MAGIC + n_slots.to_bytes(8, "little")
    return bytes(header + slots + arena)


cdef class StrMap:
    """The mapping in `buffer` (bytes, or a memory map of a file `build` wrote): `get`, `in`,
    `[]`, `len`, iteration; read-only, shareable between threads and forked processes."""

    cdef object _buffer
    cdef const unsigned char[::1] _data
    cdef Py_ssize_t _slots
    cdef Py_ssize_t _size

    def __init__(self, buffer) -> None:
        self._buffer = buffer
        self._data = buffer
        if len(self._data) < HEADER or bytes(self._data[:8]) != MAGIC:
            raise ValueError("not a string map")
        self._slots = int.from_bytes(bytes(self._data[8:16]), "little")
        if self._slots <= 0 or self._slots & (self._slots - 1) or (
            HEADER + self._slots * SLOT > len(self._data)
        ):
            raise ValueError("a damaged string map")
        self._size = -1

    cdef Py_ssize_t _find(self, str key) except -2:
        """The slot of `key`, or -1."""
        cdef bytes encoded
        try:
            encoded = key.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no key holds one
            return -1
        cdef const unsigned char* k = encoded
        cdef Py_ssize_t size = len(encoded)
        cdef uint64_t h = _hash(k, size), mask = self._slots - 1, at = h & mask, stored
        cdef uint32_t off, length
        cdef const unsigned char* data = &self._data[0]
        while True:
            memcpy(&stored, data + HEADER + at * SLOT, 8)
            if stored == 0:
                return -1
            if stored == h:
                memcpy(&off, data + HEADER + at * SLOT + 8, 4)
                memcpy(&length, data + off, 4)
                if length == size and memcmp(data + off + 4, k, size) == 0:
                    return at
            at = (at + 1) & mask

    cdef str _string(self, Py_ssize_t slot, Py_ssize_t field):
        cdef uint32_t off, length
        cdef const unsigned char* data = &self._data[0]
        memcpy(&off, data + HEADER + slot * SLOT + field, 4)
        memcpy(&length, data + off, 4)
        return PyUnicode_DecodeUTF8(<const char*>(data + off + 4), length, NULL)

    def get(self, str key, default=None):
        cdef Py_ssize_t slot = self._find(key)
        return default if slot < 0 else self._string(slot, 12)

    def __getitem__(self, str key) -> str:
        cdef Py_ssize_t slot = self._find(key)
        if slot < 0:
            raise KeyError(key)
        return self._string(slot, 12)

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and self._find(key) >= 0

    def __iter__(self):
        cdef Py_ssize_t slot
        cdef uint64_t stored
        for slot in range(self._slots):
            memcpy(&stored, &self._data[HEADER + slot * SLOT], 8)
            if stored != 0:
                yield self._string(slot, 8)

    def items(self):
        for key in self:
            yield key, self[key]

    def __len__(self) -> int:
        cdef Py_ssize_t slot, count = 0
        cdef uint64_t stored
        if self._size < 0:
            for slot in range(self._slots):
                memcpy(&stored, &self._data[HEADER + slot * SLOT], 8)
                count += stored != 0
            self._size = count
        return self._size
