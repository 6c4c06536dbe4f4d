"""Near-duplicate detection: MinHash signatures, LSH band keys and the pair decision.

Design (see also `services.ads_write_batch`):

- **Shingles**: word 3-grams of the lower-cased description text (word tokens, punctuation and
  layout ignored), so re-flowed whitespace, changed markup and reordered paragraphs change only
  the few shingles at paragraph borders.
- **Signature**: 128-value MinHash with datasketch's `affine32` permutations (seed 1); computed
  by a compiled kernel (`vagval.native.minhash`, `minhash_of_words`), or with vectorised numpy
  where it is not built, instead of datasketch's per-item Python loop. Tests check both equal
  `datasketch.MinHash.update_batch` bit for bit. Stored as 512 bytes.
- **LSH**: 25 bands of 5 rows (125 of the 128 values). A pair with Jaccard similarity s becomes a
  candidate with probability 1 - (1 - s^5)^25: 0.55 at 0.5, 0.87 at 0.6, 0.987 at 0.7, 0.9998
  at 0.8. One extra *block* key (employer + title words) makes every pair with the same employer
  and the same title a candidate whatever its text similarity, so heavily edited reposts of the
  same job are still compared. Band keys are 64-bit ints persisted in an indexed table
  (`LshBand`), so incremental runs query only the keys of the new ads.
- **Decision**: a candidate pair is a duplicate when the titles are compatible (same title words,
  or one title's words contain the other's: "Java Developer" ~ "Senior Java Developer -
  Stockholm", but not "Java Developer" ~ "Python Developer") and the estimated Jaccard similarity
  is at least 0.5 for the same employer (name or organisation number) or 0.7 for different
  employer names (recruiters and job sites rename the employer). Real ads in the Platsbanken set
  show why the title matters: one consultancy's ads for different roles share 85-93 % of their
  text.
- **Batch decision** (`assign_batch`): the serial writer decides a batch's ads in input order,
  each against the stored ads under its band keys and the batch's earlier ads; compiled
  (`vagval.native.clusters`), since it is on the one serial path every ad takes.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat

import numpy as np

from vagval import native

NUM_PERM = 128
BANDS = 25
ROWS = 5
SEED = 1
SHINGLE = 3
BLOCK_BAND = BANDS  # the band number of the employer+title block key

SAME_EMPLOYER_THRESHOLD = 0.5
OTHER_EMPLOYER_THRESHOLD = 0.7

# datasketch's affine32 permutations for (NUM_PERM, SEED), drawn the way datasketch draws them
# (odd a, any b, from numpy's legacy RandomState). Not imported from datasketch: its package
# pulls in scipy, 0.8 s of start-up for every `ingest`. `test_signature_equals_datasketch`
# checks the signature against datasketch's bit for bit.
_GEN = np.random.RandomState(SEED)
_A = _GEN.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
_B = _GEN.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
del _GEN
_MAX32 = np.uint32(0xFFFFFFFF)
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)
_MASK32 = np.uint64(0xFFFFFFFF)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (what datasketch's affine32 scheme applies first)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


# Word -> crc32, per process. Ads share most of their vocabulary, so after a few hundred ads
# nearly every token is a dict hit (~50 ns) instead of an encode + crc32 (~500 ns).
_TOKEN_CACHE: dict[str, int] = {}
_TOKEN_CACHE_MAX = 1_000_000


def _token_hashes(words: list[str]) -> list[int]:
    out = list(map(_TOKEN_CACHE.get, words))  # map in C: half the cost of a comprehension
    if None in out:
        if len(_TOKEN_CACHE) > _TOKEN_CACHE_MAX:
            _TOKEN_CACHE.clear()
        crc = zlib.crc32
        for i, value in enumerate(out):
            if value is None:
                word = words[i]
                out[i] = _TOKEN_CACHE[word] = crc(word.encode())
    return out  # type: ignore[return-value]


def shingle_hashes(words: list[str], *, distinct: bool = True) -> np.ndarray:
    """32-bit hashes of the word 3-grams (single words for very short texts), distinct unless
    `distinct=False`: a MinHash signature is the same with repeats, so the pipeline skips the
    unique pass (~0.1 ms per ad)."""
    return shingles_of_word_hashes(
        np.array(_token_hashes(words), dtype=np.uint32), distinct=distinct
    )


def shingles_of_word_hashes(hashed: np.ndarray, *, distinct: bool = True) -> np.ndarray:
    """`shingle_hashes` of words given by their crc32 (`vocab.Vocabulary.word_hashes_of` gives
    them from per-token columns, so the pipeline never hashes a word twice in a process)."""
    if not hashed.size:
        return np.zeros(0, dtype=np.uint32)
    th = hashed.astype(np.uint64)
    if len(th) >= SHINGLE:
        mixed = (th[:-2] * _M1) ^ ((th[1:-1] * _M2) >> np.uint64(7)) ^ (th[2:] << np.uint64(11))
        mixed ^= mixed >> np.uint64(32)
        th = mixed
    hashes = (th & _MASK32).astype(np.uint32)
    return np.unique(hashes) if distinct else hashes


# Rows of the (shingles x permutations) work array of `signature`. One array per thread, reused:
# allocating ~300 KB per ad (mmap, then page faults) cost as much as the arithmetic.
_BLOCK = 2048
_work = threading.local()


def signature(hashes: np.ndarray) -> np.ndarray:
    """MinHash signature (uint32[NUM_PERM]) of 32-bit shingle hashes."""
    if hashes.size == 0:
        return np.full(NUM_PERM, _MAX32, dtype=np.uint32)
    buffer = getattr(_work, "buffer", None)
    if buffer is None:
        buffer = _work.buffer = np.empty((_BLOCK, NUM_PERM), dtype=np.uint32)
    with np.errstate(over="ignore"):
        hv = _fmix32(hashes.reshape(-1, 1))
        result = np.full(NUM_PERM, _MAX32, dtype=np.uint32)
        for start in range(0, len(hv), _BLOCK):
            block = hv[start : start + _BLOCK]
            work = buffer[: len(block)]
            np.multiply(block, _A, out=work)
            np.add(work, _B, out=work)
            np.minimum(result, work.min(axis=0), out=result)
        return result


def minhash_of_words(word_hashes: np.ndarray, *, compiled: bool | None = None) -> np.ndarray:
    """`signature(shingles_of_word_hashes(word_hashes, distinct=False))`: the MinHash of a text
    given the crc32 of its words. Compiled (`vagval.native.minhash`, ~10x faster) unless
    `compiled` is False or the extension is not built."""
    if native.AVAILABLE if compiled is None else compiled:
        hashes = np.ascontiguousarray(word_hashes, dtype=np.uint32)
        return native.minhash.signature(hashes, _A, _B)  # type: ignore[no-any-return]
    return signature(shingles_of_word_hashes(word_hashes, distinct=False))


def signature_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def signature_from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u4")


def _key(*parts: bytes) -> int:
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        h.update(part)
    return int.from_bytes(h.digest(), "big", signed=True)


_BAND_PREFIX = [bytes((band,)) for band in range(BANDS)]


def band_keys(
    sig: np.ndarray, *, employer_key: str, title_key: str, compiled: bool | None = None
) -> list[int]:
    """The LSH keys of one ad: one per band, plus the employer+title block key if both known.

    Compiled (`vagval.native.minhash.band_keys`, the same BLAKE2b in C, ~6 instead of ~40 us
    per ad) unless `compiled` is False or the extension is not built."""
    if native.AVAILABLE if compiled is None else compiled:
        keys: list[int] = native.minhash.band_keys(
            np.ascontiguousarray(sig, dtype=np.uint32), BANDS, ROWS
        )
        if employer_key and title_key:
            keys.append(
                _key(bytes((BLOCK_BAND,)), employer_key.encode(), b"\x1f", title_key.encode())
            )
        return keys
    raw = sig.astype("<u4").tobytes()
    width = ROWS * 4
    blake, from_bytes = hashlib.blake2b, int.from_bytes
    # = _key(bytes((band,)), rows) per band, in one call each: this runs 26 times per ad.
    keys = [
        from_bytes(
            blake(
                _BAND_PREFIX[band] + raw[band * width : (band + 1) * width], digest_size=8
            ).digest(),
            "big",
            signed=True,
        )
        for band in range(BANDS)
    ]
    if employer_key and title_key:
        keys.append(_key(bytes((BLOCK_BAND,)), employer_key.encode(), b"\x1f", title_key.encode()))
    return keys


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / NUM_PERM


def titles_compatible(a: str, b: str) -> bool:
    """Same title words, or one title's words all in the other (wrappers add words)."""
    if not a or not b or a == b:
        return True
    sa, sb = set(a.split()), set(b.split())
    return sa <= sb or sb <= sa


@dataclass(frozen=True, slots=True)
class DedupKeys:
    """What the pair decision needs of one ad."""

    sig: np.ndarray
    title_key: str
    employer_key: str
    org_number: str
    # The title's words, split once: an ad is compared with a handful of candidates.
    title_words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "title_words", frozenset(self.title_key.split()))


def is_duplicate(a: DedupKeys, b: DedupKeys) -> float:
    """The estimated similarity if `a` and `b` are the same job, else 0.0."""
    # = titles_compatible(a.title_key, b.title_key), with each title split once
    differ = a.title_key and b.title_key and a.title_key != b.title_key
    if differ and not (a.title_words <= b.title_words or b.title_words <= a.title_words):
        return 0.0
    same_employer = (a.employer_key and a.employer_key == b.employer_key) or (
        a.org_number and a.org_number == b.org_number
    )
    threshold = SAME_EMPLOYER_THRESHOLD if same_employer else OTHER_EMPLOYER_THRESHOLD
    sim = estimated_jaccard(a.sig, b.sig)
    return sim if sim >= threshold else 0.0


# --- the batch decision ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredBands:
    """Stored ads under band keys: `keys` sorted and distinct, key k's ads (in the order they
    were stored) `ads[ptr[k] : ptr[k + 1]]`."""

    keys: np.ndarray  # int64
    ptr: np.ndarray  # int64, len(keys) + 1
    ads: np.ndarray  # int64

    @classmethod
    def of_pairs(cls, keys: np.ndarray, ads: np.ndarray) -> StoredBands:
        """From (key, ad) pairs in stored order (a key's ads keep their order)."""
        keys = np.asarray(keys, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        keys, ads = keys[order], np.asarray(ads, dtype=np.int64)[order]
        firsts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys
        return cls(keys[firsts], np.append(firsts, len(keys)).astype(np.int64), ads)

    def ad_ids(self) -> np.ndarray:
        return np.unique(self.ads)

    def as_dict(self) -> dict[int, list[int]]:
        ads = self.ads.tolist()
        bounds = self.ptr.tolist()
        return {key: ads[bounds[j] : bounds[j + 1]] for j, key in enumerate(self.keys.tolist())}


@dataclass(frozen=True, slots=True)
class BatchAd:
    """What the batch decision reads of one ad being written."""

    content_hash: str
    band_keys: list[int]
    keys: DedupKeys


Assignment = tuple[int | None, int | None]  # (existing cluster, or None and the founding slot)


def assign_batch(
    ads: Sequence[BatchAd],
    *,
    exact: dict[str, int],
    stored: StoredBands,
    candidates: dict[int, tuple[int | None, DedupKeys]],
    codes: KeyCodes | None = None,
    compiled: bool | None = None,
) -> tuple[list[Assignment], list[int]]:
    """Each ad's cluster, decided in input order; and the slots (indexes) that found one.

    An ad joins: the cluster of a stored ad with its content hash (`exact`); else that of an
    earlier ad of the batch with its content hash; else that of its most similar duplicate
    (`is_duplicate`) among the stored ads under its band keys that are in `candidates` (ad id ->
    cluster and keys) and then the batch's earlier ads under them, each looked at once in order
    of first appearance, a later one winning only when strictly more similar. Else it founds a
    new cluster, (None, its own index); ads that join it get (None, that index).

    Compiled (`vagval.native.clusters.assign`) unless `compiled` is False or it is not built;
    the loop below is the reference. `codes`: the run's `KeyCodes` (a fresh one if None)."""
    if native.AVAILABLE if compiled is None else compiled:
        return _assign_compiled(
            ads, exact=exact, stored=stored, candidates=candidates, codes=codes or KeyCodes()
        )
    index = stored.as_dict()
    assignment: list[Assignment] = []
    founders: list[int] = []
    batch_exact: dict[str, int] = {}
    batch_bands: dict[int, list[int]] = defaultdict(list)
    for i, ad in enumerate(ads):
        choice: Assignment | None = None
        if ad.content_hash in exact:
            choice = (exact[ad.content_hash], None)
        elif ad.content_hash in batch_exact:
            choice = assignment[batch_exact[ad.content_hash]]
        else:
            best = 0.0
            for ad_id in first_seen(index, ad.band_keys):
                if ad_id not in candidates:
                    continue
                stored_cluster, other = candidates[ad_id]
                sim = is_duplicate(ad.keys, other)
                if sim > best and stored_cluster is not None:
                    best, choice = sim, (stored_cluster, None)
            for j in first_seen(batch_bands, ad.band_keys):
                sim = is_duplicate(ad.keys, ads[j].keys)
                if sim > best:
                    best, choice = sim, assignment[j]
        if choice is None:
            choice = (None, i)
            founders.append(i)
        assignment.append(choice)
        batch_exact.setdefault(ad.content_hash, i)
        for key in ad.band_keys:
            batch_bands[key].append(i)
    return assignment, founders


def first_seen(index: dict[int, list[int]], keys: list[int]) -> Iterable[int]:
    """The ids listed under `keys` in `index`, each once, in order of first appearance."""
    # In C (dict.fromkeys over a chain): a band shared by many ads (an employer's
    # boilerplate) would otherwise mean thousands of Python-level "seen already" checks.
    return dict.fromkeys(chain.from_iterable(map(index.get, keys, repeat((), len(keys)))))


class KeyCodes:
    """What the compiled decision reads of the ads a writer compares, as arrays: small ints
    for titles, employers and organisation numbers, each title's words as a sorted run of word
    ids, and the signatures; kept for a whole run, since the same candidates come back batch
    after batch. "" is the empty title (0) and an unknown employer or number (-1)."""

    ROWS_MAX = 100_000  # stored ads whose columns are kept (~0.5 KB each)

    def __init__(self) -> None:
        self.titles: dict[str, int] = {"": 0}
        self.employers: dict[str, int] = {"": -1}
        self.orgs: dict[str, int] = {"": -1}
        self.words: dict[str, int] = {}
        self.title_words: list[list[int]] = [[]]
        self._arrays: tuple[np.ndarray, np.ndarray] | None = None
        # The columns of stored ads met as candidates, by ad id: stacking ~5,000 signatures
        # and coding their strings again for every batch cost more than the decision itself.
        self.rows: dict[int, int] = {}
        self._store: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] = (
            np.zeros((0, NUM_PERM), dtype=np.uint32),
            *(np.zeros(0, dtype=np.int32) for _ in range(3)),
        )  # type: ignore[assignment]
        self._filled = 0

    def stored_columns(
        self, ad_ids: list[int], keys: Callable[[int], DedupKeys]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """`columns` of the stored ads `ad_ids` (`keys(ad_id)` gives an ad's keys), each ad's
        computed once for the run (until `forget`)."""
        rows = list(map(self.rows.get, ad_ids))
        if None in rows:
            missing = [i for i, row in enumerate(rows) if row is None]
            if self._filled + len(missing) > self.ROWS_MAX:  # bounded: start again
                if len(ad_ids) > self.ROWS_MAX:  # more than it holds: not kept at all
                    return self.columns([keys(ad_id) for ad_id in ad_ids])
                self.rows.clear()
                self._filled = 0
                return self.stored_columns(ad_ids, keys)
            new = self.columns([keys(ad_ids[i]) for i in missing])
            start, end = self._filled, self._filled + len(missing)
            if end > len(self._store[1]):
                size = max(end, 2 * len(self._store[1]), 1024)
                self._store = tuple(  # type: ignore[assignment]
                    np.concatenate(
                        [
                            column[: self._filled],
                            np.zeros((size - self._filled, *column.shape[1:]), dtype=column.dtype),
                        ]
                    )
                    for column in self._store
                )
            for column, values in zip(self._store, new, strict=True):
                column[start:end] = values
            self._filled = end
            for j, i in enumerate(missing):
                rows[i] = self.rows[ad_ids[i]] = start + j
        at = np.array(rows, dtype=np.int64)
        sig, title, employer, org = self._store
        return np.ascontiguousarray(sig[at]), title[at], employer[at], org[at]

    def forget(self, ad_ids: Iterable[int]) -> None:
        """The keys of these stored ads changed: their columns are computed again."""
        for ad_id in ad_ids:
            self.rows.pop(ad_id, None)

    def columns(
        self, keys: Sequence[DedupKeys]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(signatures, title ids, employer ids, org ids) of `keys`, as arrays."""
        sig = (
            np.stack([k.sig for k in keys]).astype(np.uint32, copy=False)
            if keys
            else np.zeros((0, NUM_PERM), dtype=np.uint32)
        )
        titles = self._codes(self.titles, [k.title_key for k in keys], 0, keys)
        employers = self._codes(self.employers, [k.employer_key for k in keys], -1)
        orgs = self._codes(self.orgs, [k.org_number for k in keys], -1)
        return np.ascontiguousarray(sig), titles, employers, orgs

    def title_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Each title's words: title t's are words[ptr[t] : ptr[t + 1]]."""
        if self._arrays is None:
            ptr = np.zeros(len(self.title_words) + 1, dtype=np.int64)
            np.cumsum([len(w) for w in self.title_words], out=ptr[1:])
            words = np.fromiter(
                chain.from_iterable(self.title_words), dtype=np.int32, count=int(ptr[-1])
            )
            self._arrays = (ptr, words)
        return self._arrays

    def _codes(
        self,
        table: dict[str, int],
        values: list[str],
        empty: int,
        titles_of: Sequence[DedupKeys] | None = None,
    ) -> np.ndarray:
        """The codes of `values` in `table` (whose "" is `empty`), adding the new ones; with
        `titles_of` (the keys the values are the titles of), a new title's words too."""
        found = list(map(table.get, values))  # one dict probe each, in C
        if None in found:
            for i, code in enumerate(found):
                if code is None:
                    code = table.get(values[i])  # added for an earlier value of this call?
                    if code is None:
                        code = table[values[i]] = empty + len(table)
                        if titles_of is not None:
                            self._add_title_words(titles_of[i])
                    found[i] = code
        return np.array(found, dtype=np.int32)

    def _add_title_words(self, keys: DedupKeys) -> None:
        words = self.words
        self.title_words.append(sorted(words.setdefault(w, len(words)) for w in keys.title_words))
        self._arrays = None


def _assign_compiled(
    ads: Sequence[BatchAd],
    *,
    exact: dict[str, int],
    stored: StoredBands,
    candidates: dict[int, tuple[int | None, DedupKeys]],
    codes: KeyCodes,
) -> tuple[list[Assignment], list[int]]:
    """`assign_batch` with the candidates, titles and employers as arrays of ints."""
    n = len(ads)
    if not n:
        return [], []
    hashes = [ad.content_hash for ad in ads]
    exact_cluster = np.fromiter((exact.get(h, -1) for h in hashes), dtype=np.int64, count=n)
    first_with: dict[str, int] = {}
    same_as = np.fromiter(
        (first_with.setdefault(h, i) for i, h in enumerate(hashes)), dtype=np.int64, count=n
    )
    same_as[same_as == np.arange(n)] = -1

    ad_sig, ad_title, ad_employer, ad_org = codes.columns([ad.keys for ad in ads])
    cand_ids = np.fromiter(sorted(candidates), dtype=np.int64, count=len(candidates))
    cand_info = [candidates[ad_id] for ad_id in cand_ids.tolist()]
    cand_cluster = np.fromiter(
        (-1 if c is None else c for c, _k in cand_info), dtype=np.int64, count=len(cand_info)
    )
    cand_sig, cand_title, cand_employer, cand_org = codes.stored_columns(
        cand_ids.tolist(), lambda ad_id: candidates[ad_id][1]
    )
    lengths = np.fromiter((len(ad.band_keys) for ad in ads), dtype=np.int64, count=n)
    key_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=key_ptr[1:])
    flat = np.fromiter(
        chain.from_iterable(ad.band_keys for ad in ads), dtype=np.int64, count=int(key_ptr[-1])
    )
    # Stored candidates under each key position, as candidate indexes (-1: not a candidate).
    if len(stored.keys):
        at = np.minimum(np.searchsorted(stored.keys, flat), len(stored.keys) - 1)
        hit = stored.keys[at] == flat
        stored_start = np.where(hit, stored.ptr[at], 0)
        stored_end = np.where(hit, stored.ptr[at + 1], 0)
    else:
        stored_start = stored_end = np.zeros(len(flat), dtype=np.int64)
    if len(cand_ids):
        where = np.minimum(np.searchsorted(cand_ids, stored.ads), len(cand_ids) - 1)
        stored_cand = np.where(cand_ids[where] == stored.ads, where, -1).astype(np.int64)
    else:
        stored_cand = np.full(len(stored.ads), -1, dtype=np.int64)
    # The batch's own ads under each key: positions sorted by key (then position), and where
    # each position's key starts in that order.
    order = np.argsort(flat, kind="stable")
    sorted_keys = flat[order]
    batch_order = np.repeat(np.arange(n, dtype=np.int64), lengths)[order]
    group_first = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]] if len(flat) else flat
    starts = np.maximum.accumulate(np.where(group_first, np.arange(len(flat)), 0))
    batch_start = np.empty(len(flat), dtype=np.int64)
    batch_start[order] = starts
    title_ptr, words = codes.title_arrays()
    cluster, slot = native.clusters.assign(
        exact_cluster,
        same_as,
        ad_sig,
        ad_title,
        ad_employer,
        ad_org,
        key_ptr,
        np.ascontiguousarray(stored_start, dtype=np.int64),
        np.ascontiguousarray(stored_end, dtype=np.int64),
        stored_cand,
        batch_order,
        batch_start,
        cand_cluster,
        cand_sig,
        cand_title,
        cand_employer,
        cand_org,
        title_ptr,
        words,
        SAME_EMPLOYER_THRESHOLD,
        OTHER_EMPLOYER_THRESHOLD,
    )
    assignment: list[Assignment] = [
        (None if c < 0 else c, None if s < 0 else s)
        for c, s in zip(cluster.tolist(), slot.tolist(), strict=True)
    ]
    founders = np.flatnonzero(slot == np.arange(n)).tolist()
    return assignment, founders
