"""A per-process vocabulary: every token seen gets a dense integer id and a few columns.

Job-ad ingestion looks at ~600 tokens per ad three times: the taxonomy matcher wants each
token's lemma and whether a term starts there, deduplication wants each word's 32-bit hash. Done
per token in Python that was most of the CPU an ad costs. With ids, each of those becomes one
numpy gather over the ad (`lemma_ids`, `word_hash`, `marks`, the matcher's flag arrays), and
per-token Python work happens once per distinct token in the life of a process, not once per
occurrence. Text is turned into ids by `tokenise`, which remembers white-space chunks too.

Columns, by id:

- `lemma` — the id of the token's lemma for matching (`match_lemma`), or -1 until first asked
  for (simplemma costs ~20 us per new word, and only the matcher needs it);
- the token's `\\w+` words, the unit of the dedup shingles: one for most tokens, several for
  "c#"-, "node.js"- or "it-tekniker"-like ones. `word_form` holds them as one space-separated
  string, and `word_start`/`word_count` their run of crc32s in `word_hashes` (UTF-8), so a
  text's words are a gather (`words_of`) and their hashes one `expand` (`word_hashes_of`);
  `form_start`/`form_length` locate the same string as UTF-8 in `form_bytes`, which the
  compiled `join_runs` joins for a whole text (`words_bytes`, what the content hash reads).

Ids of the tokens registered before `pin()` (the taxonomy terms) never change. When the
vocabulary grows past `max_size` (a stream of odd ids and typos), it is replaced by a fresh one
that keeps only the pinned prefix, so memory stays bounded; the old object stays consistent for
whoever still holds it, which is why callers get the vocabulary once per text (`current()`).

What a process learned can start the next one (`snapshot`, `from_snapshot`, `install`): job-ad
ingestion keeps its workers' vocabulary between runs, keyed by the pinned prefix and the code
(`snapshot_key`), and a new process installs it only while it holds nothing but that same
prefix, so every id handed out keeps its meaning.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from vagval import native
from vagval.taxonomy.normalize import TOKEN_RE, match_lemma

_WORD_RE = re.compile(r"\w+")
# Tokens (and, separately, chunks) before a reset: at ~120 bytes each, ~150 MB at most per
# process. The 100,000-ad bench corpus brings 58,000 tokens and 56,000 chunks into a process
# (+70 MB); a year of real ads has more typos and ids, hence the bound.
MAX_SIZE = 600_000
SNAPSHOT_FORMAT = 1  # of `Vocabulary.snapshot`; a change makes old snapshots unreadable


def token_words(token: str) -> list[str]:
    """The `\\w+` words of a token ("node.js": node, js), as the vocabulary keeps them."""
    return [token] if _WORD_RE.fullmatch(token) else _WORD_RE.findall(token)


class Vocabulary:
    def __init__(
        self, *, max_size: int = MAX_SIZE, capacity: int = 1 << 16, compiled: bool | None = None
    ) -> None:
        """`compiled`: find chunks with `vagval.native.chunks` (default: when it is built)."""
        self.max_size = max_size
        self.index: dict[str, int] = {}
        self.tokens: list[str] = []
        self.pinned = 0
        self.lemma = np.full(capacity, -1, dtype=np.int64)
        self.word_start = np.zeros(capacity, dtype=np.int64)
        self.word_count = np.zeros(capacity, dtype=np.int64)
        self.word_form = np.empty(capacity, dtype=object)
        # `word_form` again as UTF-8 in one arena (`form_bytes`, filled up to `_form_fill`), so
        # a text's words are joined in C without touching a Python object per token.
        self.form_start = np.zeros(capacity, dtype=np.int64)
        self.form_length = np.zeros(capacity, dtype=np.int64)
        self.form_bytes = np.zeros(capacity * 8, dtype=np.uint8)
        self._form_fill = 0
        self.word_hashes = np.zeros(capacity, dtype=np.int64)  # filled up to `_word_fill`
        self._word_fill = 0
        self.token_array = np.empty(capacity, dtype=object)  # `tokens` again, for `strings`
        self._marks: dict[str, tuple[np.ndarray | None, int]] = {}
        self._lock = threading.Lock()
        use_compiled = native.AVAILABLE if compiled is None else compiled
        # Compiled, the chunk table (`vagval.native.chunks`) remembers every white-space chunk
        # of text with its run of token ids; in Python, the dict and arrays below do.
        self._chunk_table = native.chunks.ChunkTable(capacity) if use_compiled else None
        self.chunk_index: dict[str, int] = {}
        chunk_capacity = 1 if use_compiled else capacity
        self.chunk_start = np.zeros(chunk_capacity, dtype=np.int64)
        self.chunk_length = np.zeros(chunk_capacity, dtype=np.int64)
        self.chunk_tokens = np.zeros(chunk_capacity, dtype=np.int64)
        self._chunk_count = 0
        self._chunk_fill = 0

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def full(self) -> bool:
        chunks = self._chunk_count if self._chunk_table is None else len(self._chunk_table)
        return len(self.tokens) >= self.max_size or chunks >= self.max_size

    def tokenise(self, text: str, *, lower: bool = False) -> np.ndarray:
        """The ids of `TOKEN_RE.findall(text)` (of `text.lower()` with `lower`), without running
        the regex over the text.

        No token spans white space, so the tokens of a text are those of its white-space
        chunks in order. Chunks recur ("arbete,", "(java/kotlin)", "och"): each distinct one
        is split by the regex once and remembered as its run of token ids; a text then costs
        finding its chunks and joining their runs. Compiled (`vagval.native.chunks`), that is one
        C loop over the characters (~10x faster than the Python below: `split()`, one dict
        lookup per chunk, numpy gathers; which is itself ~4x faster than `findall`)."""
        if self._chunk_table is not None:
            return self._chunk_table.tokens(text, self._chunk_token_ids, lower)
        chunks = (text.lower() if lower else text).split()
        found = np.fromiter(
            map(self.chunk_index.get, chunks, itertools.repeat(-1, len(chunks))),
            dtype=np.int64,
            count=len(chunks),
        )
        missing = np.flatnonzero(found < 0)
        if missing.size:
            with self._lock:
                for at in missing.tolist():
                    found[at] = self._add_chunk(chunks[at])
        lengths = self.chunk_length[found]
        starts = self.chunk_start[found]
        if lengths.min(initial=1) == 1 and lengths.max(initial=1) == 1:
            return self.chunk_tokens[starts]
        ends = np.cumsum(lengths)
        total = int(ends[-1]) if ends.size else 0
        offsets = np.repeat(starts - ends + lengths, lengths) + np.arange(total)
        return self.chunk_tokens[offsets]

    def _chunk_token_ids(self, chunk: str) -> list[int]:
        """The ids of a chunk's tokens, registering them (the compiled table's callback)."""
        with self._lock:
            return [self._add(token) for token in TOKEN_RE.findall(chunk)]

    def words_of(self, ids: np.ndarray) -> str:
        """The `\\w+` words of the tokens `ids`, space-separated ("node.js" gives "node js")."""
        return " ".join(self.word_form[ids].tolist())

    def words_bytes(self, ids: np.ndarray) -> bytes:
        """`words_of(ids)` as UTF-8 (lone surrogates kept, as `digest` encodes them)."""
        if self._chunk_table is not None:  # compiled
            return native.chunks.join_runs(
                ids, self.form_start, self.form_length, self.form_bytes, 0x20
            )
        return self.words_of(ids).encode("utf-8", "surrogatepass")

    def word_hashes_of(self, ids: np.ndarray) -> np.ndarray:
        """crc32 (uint32) of every `\\w+` word of the tokens `ids`, in order."""
        if self._chunk_table is not None:  # compiled
            hashes = native.chunks.expand(ids, self.word_start, self.word_count, self.word_hashes)
        else:
            counts = self.word_count[ids]
            ends = np.cumsum(counts)
            total = int(ends[-1]) if ends.size else 0
            starts = self.word_start[ids]
            hashes = self.word_hashes[np.repeat(starts - ends + counts, counts) + np.arange(total)]
        return hashes.astype(np.uint32)

    def strings(self, ids: np.ndarray) -> list[str]:
        """The tokens of `ids`."""
        return self.token_array[ids].tolist()  # type: ignore[no-any-return]

    def id(self, token: str) -> int:
        at = self.index.get(token)
        if at is None:
            with self._lock:
                at = self._add(token)
        return at

    def marks(self, name: str, predicate: Callable[[str], bool]) -> np.ndarray:
        """A bool per id, `predicate(token)`, computed once per token: index it with a text's
        ids to ask a per-token question of the whole text in one numpy gather."""
        return self._column(name, predicate, np.bool_)

    def tallies(self, name: str, count: Callable[[str], int]) -> np.ndarray:
        """Like `marks`, a small count per id (`count(token)`, 0 to 32,767)."""
        return self._column(name, count, np.int16)

    def _column(self, name: str, value: Callable[[str], int], dtype: type) -> np.ndarray:
        column, done = self._marks.get(name, (None, 0))
        if column is None or done < len(self.tokens):
            with self._lock:
                column, done = self._marks.get(name, (None, 0))
                upto = len(self.tokens)
                # Filled in place up to the capacity: most texts bring a new token or two, and
                # copying the column for each cost more than the tokens' own values.
                if column is None or len(column) < upto:
                    grown: np.ndarray = np.zeros(len(self.lemma), dtype=dtype)
                    if column is not None:
                        grown[:done] = column[:done]
                    column = grown
                for at in range(done, upto):
                    column[at] = value(self.tokens[at])
                self._marks[name] = (column, upto)
        return column

    def snapshot(self, *, upto: int | None = None) -> dict[str, Any]:
        """Everything learned so far (tokens, their columns, the marks), for `from_snapshot`:
        a later process starts with it instead of learning the same words again. The chunk
        table is not kept: a chunk is cheap to learn once its tokens are known.

        `upto`: only the first `upto` ids (a pickled matcher keeps its terms' ids this way)."""
        with self._lock:
            n = len(self.tokens) if upto is None else min(upto, len(self.tokens))
            # The arenas are filled in id order: id n's run starts where the first n end.
            whole = n == len(self.tokens)
            form_fill = self._form_fill if whole else int(self.form_start[n])
            word_fill = self._word_fill if whole else int(self.word_start[n])
            return {
                "format": SNAPSHOT_FORMAT,
                "pinned": min(self.pinned, n),
                "tokens": self.tokens[:n],
                "word_form": self.word_form[:n].tolist(),
                **{name: getattr(self, name)[:n].copy() for name in _ID_COLUMNS if name != "lemma"},
                # a lemma learned later may have an id past `upto`: not in the snapshot
                "lemma": np.where(self.lemma[:n] < n, self.lemma[:n], -1),
                "form_bytes": self.form_bytes[:form_fill].copy(),
                "word_hashes": self.word_hashes[:word_fill].copy(),
                "marks": {
                    name: column[: min(done, n)].copy()
                    for name, (column, done) in self._marks.items()
                    if column is not None
                },
            }

    @classmethod
    def from_snapshot(
        cls, data: dict[str, Any], *, max_size: int = MAX_SIZE, compiled: bool | None = None
    ) -> Vocabulary:
        """A vocabulary holding what `snapshot` saved, with the same ids."""
        if data.get("format") != SNAPSHOT_FORMAT:
            raise ValueError("not a vocabulary snapshot of this format")
        tokens: list[str] = data["tokens"]
        n = len(tokens)
        capacity = 1 << 16
        while capacity < n + n // 4:
            capacity <<= 1
        words = cls(max_size=max_size, capacity=capacity, compiled=compiled)
        words.tokens = list(tokens)
        words.index = dict(zip(tokens, range(n), strict=True))
        words.token_array[:n] = tokens
        words.word_form[:n] = data["word_form"]
        for name in _ID_COLUMNS:
            getattr(words, name)[:n] = data[name]
        words.form_bytes = _appended(words.form_bytes, 0, data["form_bytes"])
        words._form_fill = len(data["form_bytes"])
        words.word_hashes = _appended(words.word_hashes, 0, data["word_hashes"])
        words._word_fill = len(data["word_hashes"])
        words.pinned = int(data["pinned"])
        for name, values in data["marks"].items():
            column = np.zeros(capacity, dtype=values.dtype)
            column[: len(values)] = values
            words._marks[name] = (column, len(values))
        return words

    def pin(self) -> None:
        """Ids registered so far survive a reset (see the module docstring)."""
        self.pinned = len(self.tokens)

    def lemma_ids(self, ids: np.ndarray) -> np.ndarray:
        """The lemma id of every id in `ids`, computing the missing ones."""
        lemmas = self.lemma[ids]
        if (lemmas < 0).any():
            with self._lock:
                for at in np.unique(ids[lemmas < 0]).tolist():
                    if self.lemma[at] < 0:
                        self.lemma[at] = self._add(match_lemma(self.tokens[at]))
            lemmas = self.lemma[ids]
        return lemmas

    def reset_copy(self) -> Vocabulary:
        """A new vocabulary holding only the pinned tokens, with the same ids."""
        fresh = Vocabulary(
            max_size=self.max_size,
            capacity=max(1 << 16, 2 * self.pinned),
            compiled=self._chunk_table is not None,
        )
        for token in self.tokens[: self.pinned]:
            fresh._add(token)
        keep = self.lemma[: self.pinned]
        fresh.lemma[: self.pinned] = np.where(keep < self.pinned, keep, -1)
        fresh.pinned = self.pinned
        return fresh

    def _add(self, token: str) -> int:
        at = self.index.get(token)  # another thread may have added it meanwhile
        if at is not None:
            return at
        at = len(self.tokens)
        if at >= len(self.lemma):
            self._grow()
        words = token_words(token)
        fill = self._word_fill
        self.word_hashes = _appended(self.word_hashes, fill, [_crc(word) for word in words])
        self.word_start[at] = fill
        self.word_count[at] = len(words)
        form = " ".join(words)
        self.word_form[at] = form
        self._word_fill = fill + len(words)
        encoded = np.frombuffer(form.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        fill = self._form_fill
        self.form_bytes = _appended(self.form_bytes, fill, encoded)
        self.form_start[at] = fill
        self.form_length[at] = len(encoded)
        self._form_fill = fill + len(encoded)
        self.tokens.append(token)
        self.token_array[at] = token
        self.index[token] = at  # published last: readers never see an id without its columns
        return at

    def _add_chunk(self, chunk: str) -> int:
        at = self.chunk_index.get(chunk)
        if at is not None:
            return at
        ids = [self._add(token) for token in TOKEN_RE.findall(chunk)]
        at = self._chunk_count
        if at >= len(self.chunk_start):
            self.chunk_start = _grown(self.chunk_start, 0)
            self.chunk_length = _grown(self.chunk_length, 0)
        fill = self._chunk_fill
        self.chunk_tokens = _appended(self.chunk_tokens, fill, ids)
        self.chunk_start[at] = fill
        self.chunk_length[at] = len(ids)
        self._chunk_fill = fill + len(ids)
        self._chunk_count = at + 1
        self.chunk_index[chunk] = at  # published last, as in `_add`
        return at

    def _grow(self) -> None:
        size = 2 * len(self.lemma)
        lemma = np.full(size, -1, dtype=np.int64)
        lemma[: len(self.lemma)] = self.lemma
        word_form = np.empty(size, dtype=object)
        word_form[: len(self.word_form)] = self.word_form
        token_array = np.empty(size, dtype=object)
        token_array[: len(self.token_array)] = self.token_array
        self.word_start = _grown(self.word_start, 0)
        self.word_count = _grown(self.word_count, 0)
        self.form_start = _grown(self.form_start, 0)
        self.form_length = _grown(self.form_length, 0)
        self.lemma, self.word_form = lemma, word_form
        self.token_array = token_array


# The per-id integer columns a snapshot keeps (the words' arenas are kept up to their fill).
_ID_COLUMNS = ("lemma", "word_start", "word_count", "form_start", "form_length")


def _grown(array: np.ndarray, fill: int) -> np.ndarray:
    bigger = np.full(2 * len(array), fill, dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


def _appended(array: np.ndarray, fill: int, values: Sequence[int] | np.ndarray) -> np.ndarray:
    """`array` with `values` written from `fill` on (a grown copy when it is too short)."""
    while fill + len(values) > len(array):
        array = _grown(array, 0)
    array[fill : fill + len(values)] = values
    return array


def _crc(word: str) -> int:
    return zlib.crc32(word.encode("utf-8", "surrogatepass"))


_current = Vocabulary()
_swap_lock = threading.Lock()


def snapshot_key(words: Vocabulary, *, salt: bytes) -> str:
    """What a snapshot of `words` may be restored onto: its pinned prefix (the taxonomy's
    terms, in order), and `salt`, which the caller makes of the code that fills the columns
    (the lemmatiser, the marks' questions), so that changed code never meets old answers."""
    key = hashlib.blake2b(digest_size=10)
    key.update(b"vocabulary-%d\x00" % SNAPSHOT_FORMAT)
    key.update(salt)
    key.update("\x1f".join(words.tokens[: words.pinned]).encode("utf-8", "surrogatepass"))
    return key.hexdigest()


def install(words: Vocabulary) -> bool:
    """Make `words` (a restored snapshot) the process's vocabulary, if the current one holds
    nothing but the same pinned prefix: ids handed out already stay valid. Returns whether it
    did."""
    global _current
    with _swap_lock:
        now = _current
        if len(now) != now.pinned or words.pinned != now.pinned:
            return False
        if words.tokens[: words.pinned] != now.tokens:
            return False
        _current = words
        return True


def adopt(words: Vocabulary) -> bool:
    """Make `words` the process's vocabulary if the current one holds nothing yet (no id has
    been handed out, so none can change meaning). Returns whether it did."""
    global _current
    with _swap_lock:
        if len(_current):
            return False
        _current = words
        return True


def current() -> Vocabulary:
    """The process's vocabulary; a full one is replaced by its pinned prefix first."""
    global _current
    if _current.full:
        with _swap_lock:
            if _current.full:
                _current = _current.reset_copy()
    return _current
