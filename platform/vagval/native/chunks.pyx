# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""A text's token ids by its white-space chunks, without making a string per chunk.

`ChunkTable.tokens(text, add, lower)` gives the token ids of every white-space separated chunk
of `text` (exactly the pieces `text.split()` gives; of `text.lower()` with `lower`), in order.
The table remembers each chunk it has seen with its run of token ids; a chunk seen for the first
time is cut out as a string and handed to `add(chunk) -> token ids` (the vocabulary splits it
with the token regex and registers its tokens), then stored. Python's version of the same loop
(`split()`, a dict lookup per chunk, a gather) spends most of its time building and hashing
~600 short strings per ad.

Layout, for few cache misses per chunk (~600 per ad; the table outgrows the CPU caches in a
long run): an open-addressing table of 32-byte entries keyed by a 64-bit FNV-1a hash of the
chunk's code points; an entry holds the chunk's only token id when it has one (most chunks), so
finding it touches one entry and the chunk's characters, which are kept in an arena (one byte
per character when all are Latin-1, else four) and compared in full, so no hash collision can
return a wrong run. Runs of several tokens are kept in a third arena.

Lowering: `str.lower()` maps every Latin-1 character to one Latin-1 character (checked at
import), so Latin-1 characters are lowered through a table while reading; other characters are
left alone when lowering leaves them unchanged, which is almost always so in Swedish and English
ads (dashes, bullets, quotes). A text with any other character that lowering changes (Σ, İ, Ö in
full width...) is lowered by Python first, so the result is always that of `text.lower()`.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.unicode cimport (
    PyUnicode_1BYTE_KIND,
    PyUnicode_2BYTE_KIND,
    PyUnicode_DATA,
    PyUnicode_GET_LENGTH,
    PyUnicode_KIND,
)
from libc.stdint cimport int64_t, uint16_t, uint32_t, uint64_t, uint8_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy, memset

import numpy as np

cdef extern from "Python.h" nogil:
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)
    Py_UCS4 Py_UNICODE_TOLOWER(Py_UCS4 ch)

cdef extern from *:
    void __builtin_prefetch(const void *address) nogil

cdef extern from "<stdlib.h>" nogil:
    void *aligned_alloc(size_t alignment, size_t size)

cdef extern from *:
    """
    #include <sys/mman.h>
    /* Huge pages where the system has them (Linux); elsewhere nothing to ask for. */
    static void vagval_advise_huge_pages(void *address, size_t length) {
    #ifdef MADV_HUGEPAGE
        madvise(address, length, MADV_HUGEPAGE);
    #endif
    }
    """
    void vagval_advise_huge_pages(void *address, size_t length) nogil

cdef size_t _HUGE_PAGE = 2 << 20


cdef Entry *_entries_alloc(Py_ssize_t count) noexcept nogil:
    """Room for `count` entries (free with `free`), in huge pages when it spans several: a
    lookup reads one entry at random, and with 4 KiB pages most of those also missed the
    address translation cache."""
    cdef size_t size = count * sizeof(Entry)
    cdef void *memory
    if size < _HUGE_PAGE:
        return <Entry *>malloc(size)
    size = (size + _HUGE_PAGE - 1) // _HUGE_PAGE * _HUGE_PAGE
    memory = aligned_alloc(_HUGE_PAGE, size)
    if memory != NULL:
        vagval_advise_huge_pages(memory, size)  # only advice: refused, it is ordinary memory
    return <Entry *>memory

cdef Py_ssize_t _PREFETCH_AHEAD = 8  # chunks: enough to cover a memory read's latency

cdef uint64_t _FNV_OFFSET = 14695981039346656037ULL
cdef uint64_t _FNV_PRIME = 1099511628211ULL
cdef uint32_t _WIDE = 0x80000000U  # in `Entry.ntok`: the characters are stored 4 bytes each

# Latin-1 character -> is white space (as `str.split()` sees it), and -> its lower case.
cdef bint _SPACE[256]
cdef uint8_t _LOWER[256]
cdef int _c
for _c in range(256):
    _SPACE[_c] = Py_UNICODE_ISSPACE(<Py_UCS4>_c)
    _lowered = chr(_c).lower()
    assert len(_lowered) == 1 and ord(_lowered) < 256, "Latin-1 lowers within Latin-1"
    _LOWER[_c] = ord(_lowered)


ctypedef struct Entry:
    uint64_t hash
    int64_t tok      # the token id when the chunk has one token, else the run's offset in _runs
    int64_t chars    # offset of the characters in _narrow (bytes) or _wide (code points)
    uint32_t nchar   # length in code points; 0 marks an empty slot (chunks are never empty)
    uint32_t ntok    # tokens in the chunk, | _WIDE when the characters are in _wide


cdef inline Py_UCS4 _read(int kind, const void *data, Py_ssize_t i) noexcept nogil:
    if kind == PyUnicode_1BYTE_KIND:
        return (<const uint8_t *>data)[i]
    if kind == PyUnicode_2BYTE_KIND:
        return (<const uint16_t *>data)[i]
    return (<const uint32_t *>data)[i]


cdef inline bint _is_space(Py_UCS4 ch) noexcept nogil:
    return _SPACE[ch] if ch < 256 else Py_UNICODE_ISSPACE(ch)


cdef bint _python_must_lower(int kind, const void *data, Py_ssize_t n) noexcept nogil:
    """Whether the text has a character beyond Latin-1 that lowering changes."""
    cdef Py_ssize_t i
    cdef Py_UCS4 ch
    if kind == PyUnicode_1BYTE_KIND:
        return False
    for i in range(n):
        ch = _read(kind, data, i)
        if ch >= 256 and Py_UNICODE_TOLOWER(ch) != ch:
            return True
    return False


cdef int _reserve(void **buffer, Py_ssize_t *size, Py_ssize_t needed, size_t item,
                  Py_ssize_t initial) except -1:
    """Grow `*buffer`, of `*size` items of `item` bytes, to hold at least `needed` items."""
    cdef Py_ssize_t new_size = size[0] or initial
    while needed > new_size:
        new_size *= 2
    if new_size != size[0]:
        grown = PyMem_Realloc(buffer[0], new_size * item)
        if grown == NULL:
            raise MemoryError()
        buffer[0] = grown
        size[0] = new_size
    return 0


cdef class ChunkTable:
    cdef Entry *_entries
    cdef Py_ssize_t _mask
    cdef Py_ssize_t _count
    cdef uint8_t *_narrow
    cdef Py_ssize_t _narrow_used, _narrow_size
    cdef Py_UCS4 *_wide
    cdef Py_ssize_t _wide_used, _wide_size
    cdef int64_t *_runs
    cdef Py_ssize_t _runs_used, _runs_size

    def __cinit__(self, Py_ssize_t capacity=1 << 16):
        cdef Py_ssize_t size = 1
        while size < 2 * capacity:
            size <<= 1
        self._entries = _entries_alloc(size)
        if self._entries == NULL:
            raise MemoryError()
        memset(self._entries, 0, size * sizeof(Entry))
        self._mask = size - 1

    def __dealloc__(self):
        free(self._entries)
        PyMem_Free(self._narrow)
        PyMem_Free(self._wide)
        PyMem_Free(self._runs)

    def __len__(self):
        return self._count

    def tokens(self, str text, object add, bint lower=False):
        """int64 array of the token ids of the chunks of `text.split()` (`text.lower().split()`
        with `lower`), calling `add(chunk)` for a chunk not seen before; it returns the chunk's
        token ids (none for a chunk with no token)."""
        cdef int kind = PyUnicode_KIND(text)
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
        cdef const void *data = PyUnicode_DATA(text)
        if lower and _python_must_lower(kind, data, n):
            text = text.lower()
            lower = False
            kind = PyUnicode_KIND(text)
            n = PyUnicode_GET_LENGTH(text)
            data = PyUnicode_DATA(text)
        cdef const uint8_t *fold = _LOWER if lower else NULL
        # Per chunk (a text has at most n // 2 + 1): where it starts and ends and its hash,
        # then (token or run offset, token count) in place of start and end.
        cdef int64_t *found = <int64_t *>PyMem_Malloc((n + 2) * sizeof(int64_t))
        cdef uint64_t *hashes = <uint64_t *>PyMem_Malloc((n // 2 + 1) * sizeof(uint64_t))
        if found == NULL or hashes == NULL:
            PyMem_Free(found)
            PyMem_Free(hashes)
            raise MemoryError()
        cdef Py_ssize_t i = 0, start, end, chunks = 0, total = 0, j, k, at = 0
        cdef uint64_t h
        cdef Py_UCS4 ch
        cdef Entry *entry
        cdef int64_t[::1] view
        try:
            # 1. The chunks and their hashes.
            while i < n:
                while i < n and _is_space(_read(kind, data, i)):
                    i += 1
                if i >= n:
                    break
                start = i
                h = _FNV_OFFSET
                while i < n:
                    ch = _read(kind, data, i)
                    if _is_space(ch):
                        break
                    if fold != NULL and ch < 256:
                        ch = fold[ch]
                    h = (h ^ <uint64_t>ch) * _FNV_PRIME
                    i += 1
                found[2 * chunks] = start
                found[2 * chunks + 1] = i
                hashes[chunks] = h
                chunks += 1
            # 2. Each chunk's entry. The table outgrows the CPU caches in a long run, and then
            # reading an entry waited on memory most of the time: the entries a few chunks
            # ahead are asked for early (a prefetch), so they are in cache when their turn comes.
            for j in range(chunks):
                if j + _PREFETCH_AHEAD < chunks:
                    __builtin_prefetch(
                        &self._entries[<Py_ssize_t>(hashes[j + _PREFETCH_AHEAD] & <uint64_t>self._mask)]
                    )
                start, end = found[2 * j], found[2 * j + 1]
                entry = self._find(hashes[j], kind, data, fold, start, end)
                if entry == NULL:
                    chunk = text[start:end].lower() if fold != NULL else text[start:end]
                    # Python code runs here (and may let another thread add chunks and move
                    # the arrays): the entry is looked up again once stored.
                    entry = self._insert(hashes[j], chunk, add(chunk))
                found[2 * j] = entry.tok
                found[2 * j + 1] = entry.ntok & ~_WIDE
                total += entry.ntok & ~_WIDE
            out = np.empty(total, dtype=np.int64)
            view = out
            for j in range(chunks):
                if found[2 * j + 1] == 1:
                    view[at] = found[2 * j]
                    at += 1
                else:
                    for k in range(found[2 * j + 1]):
                        view[at] = self._runs[found[2 * j] + k]
                        at += 1
            return out
        finally:
            PyMem_Free(found)
            PyMem_Free(hashes)

    cdef Entry *_find(self, uint64_t h, int kind, const void *data, const uint8_t *fold,
                      Py_ssize_t start, Py_ssize_t end) noexcept:
        cdef Py_ssize_t slot = <Py_ssize_t>(h & <uint64_t>self._mask), length = end - start, j
        cdef Entry *entry
        cdef Py_UCS4 ch
        cdef const uint8_t *narrow = NULL
        cdef const Py_UCS4 *wide = NULL
        cdef bint same, is_wide
        while True:
            entry = &self._entries[slot]
            if entry.nchar == 0:
                return NULL
            if entry.hash == h and entry.nchar == length:
                same = True
                is_wide = entry.ntok & _WIDE
                if is_wide:
                    wide = self._wide + entry.chars
                else:
                    narrow = self._narrow + entry.chars
                for j in range(length):
                    ch = _read(kind, data, start + j)
                    if fold != NULL and ch < 256:
                        ch = fold[ch]
                    if (wide[j] if is_wide else narrow[j]) != ch:
                        same = False
                        break
                if same:
                    return entry
            slot = (slot + 1) & self._mask

    cdef Entry *_insert(self, uint64_t h, str chunk, object token_ids) except NULL:
        """Store `chunk` with its token ids (unless another thread stored it meanwhile).

        Thread safety: from here on no Python bytecode runs, so under the GIL no other thread
        sees the table half-changed."""
        cdef list ids = list(token_ids)  # the last Python-level work: before the table is read
        cdef Py_ssize_t ntok = len(ids)
        cdef int kind = PyUnicode_KIND(chunk)
        cdef const void *data = PyUnicode_DATA(chunk)
        cdef Py_ssize_t length = PyUnicode_GET_LENGTH(chunk), j
        cdef Entry *entry = self._find(h, kind, data, NULL, 0, length)
        if entry != NULL:
            return entry
        cdef bint wide = False
        for j in range(length):
            if _read(kind, data, j) >= 256:
                wide = True
                break
        # Every allocation first: a MemoryError leaves the table as it was.
        if wide:
            _reserve(<void **>&self._wide, &self._wide_size, self._wide_used + length,
                     sizeof(Py_UCS4), 1 << 10)
        else:
            _reserve(<void **>&self._narrow, &self._narrow_size, self._narrow_used + length,
                     1, 1 << 16)
        if ntok != 1:
            _reserve(<void **>&self._runs, &self._runs_size, self._runs_used + ntok,
                     sizeof(int64_t), 1 << 12)
        if 2 * (self._count + 1) > self._mask + 1:
            self._grow()
        cdef Py_ssize_t slot = <Py_ssize_t>(h & <uint64_t>self._mask)
        while self._entries[slot].nchar != 0:
            slot = (slot + 1) & self._mask
        entry = &self._entries[slot]
        if wide:
            entry.chars = self._wide_used
            for j in range(length):
                self._wide[self._wide_used + j] = _read(kind, data, j)
            self._wide_used += length
        else:
            entry.chars = self._narrow_used
            for j in range(length):
                self._narrow[self._narrow_used + j] = <uint8_t>_read(kind, data, j)
            self._narrow_used += length
        if ntok == 1:
            entry.tok = ids[0]
        else:
            entry.tok = self._runs_used
            for j in range(ntok):
                self._runs[self._runs_used + j] = ids[j]
            self._runs_used += ntok
        entry.ntok = <uint32_t>ntok | (_WIDE if wide else 0)
        entry.hash = h
        entry.nchar = <uint32_t>length  # published last: a nonzero length makes the slot used
        self._count += 1
        return entry

    cdef int _grow(self) except -1:
        cdef Py_ssize_t size = 2 * (self._mask + 1), mask = size - 1, slot, at
        cdef Entry *entries = _entries_alloc(size)
        if entries == NULL:
            raise MemoryError()
        memset(entries, 0, size * sizeof(Entry))
        for at in range(self._mask + 1):
            if self._entries[at].nchar == 0:
                continue
            slot = <Py_ssize_t>(self._entries[at].hash & <uint64_t>mask)
            while entries[slot].nchar != 0:
                slot = (slot + 1) & mask
            memcpy(&entries[slot], &self._entries[at], sizeof(Entry))
        free(self._entries)
        self._entries = entries
        self._mask = mask
        return 0


def expand(const int64_t[::1] ids, const int64_t[::1] starts, const int64_t[::1] lengths,
           const int64_t[::1] values):
    """Each id's run of `values` (from `starts[id]`, `lengths[id]` long), concatenated."""
    cdef Py_ssize_t i, j, total = 0, at = 0
    for i in range(ids.shape[0]):
        total += lengths[ids[i]]
    out = np.empty(total, dtype=np.int64)
    cdef int64_t[::1] view = out
    cdef int64_t start, length
    for i in range(ids.shape[0]):
        start = starts[ids[i]]
        length = lengths[ids[i]]
        for j in range(length):
            view[at] = values[start + j]
            at += 1
    return out


def join_runs(const int64_t[::1] ids, const int64_t[::1] starts, const int64_t[::1] lengths,
              const uint8_t[::1] arena, uint8_t separator):
    """Each id's run of `arena` bytes (from `starts[id]`, `lengths[id]` long), joined by
    `separator`, as one bytes object."""
    cdef Py_ssize_t i, n = ids.shape[0], total = 0, length
    for i in range(n):
        total += lengths[ids[i]]
    if n:
        total += n - 1
    out = PyBytes_FromStringAndSize(NULL, total)
    cdef char *at = PyBytes_AS_STRING(out)
    for i in range(n):
        if i:
            at[0] = <char>separator
            at += 1
        length = lengths[ids[i]]
        if length:
            memcpy(at, &arena[starts[ids[i]]], length)
            at += length
    return out
