"""The compiled inner loops (`vagval.native`) give exactly what the Python/numpy code gives."""

from __future__ import annotations

import gzip
import json
import random
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from datasketch import MinHash

from vagval import native
from vagval.jobs import dedup
from vagval.jobs.pipeline import OCCUPATION_TYPES, SKILL_TYPES
from vagval.taxonomy import vocab
from vagval.taxonomy.normalize import TOKEN_RE

if TYPE_CHECKING:
    from vagval.taxonomy.textmatch import ConceptHit, ConceptMatcher

ADS_FILE = "jobads/platsbanken_web_2023-08_stockholm_it.jsonl.gz"


@pytest.fixture(scope="module")
def ad_texts(real_data_dir: Path) -> list[str]:
    with gzip.open(real_data_dir / ADS_FILE, "rt", encoding="utf-8") as handle:
        ads = [json.loads(line) for line in handle]
    return [f"{ad['title']}\n{ad['description']}" for ad in ads]


def test_the_extensions_are_built() -> None:
    # `pip install -e .` (make install, CI) compiles them; without them ingestion is ~1.5x
    # slower, silently. This is where a broken build shows.
    assert native.AVAILABLE, "run `pip install -e .` to build vagval.native"


def _tokens_by_split(texts: list[str], *, lower: bool) -> tuple[list[list[int]], dict[str, int]]:
    """The reference: each chunk of `split()`, its regex tokens, an id per distinct token."""
    known: dict[str, int] = {}
    return [
        [
            known.setdefault(token, len(known))
            for chunk in (t.lower() if lower else t).split()
            for token in TOKEN_RE.findall(chunk)
        ]
        for t in texts
    ], known


def _table_tokens(
    table: native.chunks.ChunkTable, texts: list[str], known: dict[str, int], *, lower: bool
) -> tuple[list[list[int]], list[str]]:
    added: list[str] = []

    def add(chunk: str) -> list[int]:
        added.append(chunk)
        return [known[token] for token in TOKEN_RE.findall(chunk)]

    return [table.tokens(t, add, lower).tolist() for t in texts], added


@pytest.mark.parametrize("lower", [True, False])
def test_chunk_tokens_are_those_of_split(ad_texts: list[str], lower: bool) -> None:
    texts = [
        *ad_texts,
        "",
        " \t\n ",
        "ÅÄÖ ÀÉ ẞ İstanbul ΣΑΣ 😀",  # lowering changes non-Latin-1 characters: Python lowers
        "– • “quoted” 😀 ok",  # wider than Latin-1, but lowering leaves those alone
        "nbsp\u00a0här\x85där\x1cfs\x1fus\u2003em\u3000ideographic",
        "Æ Ø Å ÿ µ ß",
        "— ... !! node.js/c# (java/kotlin) a.b.c.d.e.f",  # chunks of no token and of several
        "/".join(f"ord{n}" for n in range(20_000)),  # one chunk of 20,000 tokens
        "Ö" * 100_000 + " " + "–" * 50_000,  # long chunks, narrow and wide
    ]
    expected, known = _tokens_by_split(texts, lower=lower)
    table = native.chunks.ChunkTable(4)  # tiny: it must grow many times and keep every run
    found, added = _table_tokens(table, texts, known, lower=lower)
    assert found == expected
    chunks = {c for t in texts for c in (t.lower() if lower else t).split()}
    assert sorted(added) == sorted(chunks)  # each distinct chunk handed over exactly once
    assert len(table) == len(chunks)
    # again, all known now: the same tokens and nothing added
    assert _table_tokens(table, texts, known, lower=lower) == (expected, [])


def test_chunk_tokens_of_random_text_are_those_of_split() -> None:
    import random

    rng = random.Random(20261122)
    alphabet = [
        *"aAzZ019 .-#+'’_", "\t", "\n", "\xa0", "\x85", "\x1c", "Å", "ä", "Ö", "µ", "ß", "ÿ",
        "\u2003", "\u3000", "–", "•", "ẞ", "İ", "Σ", "σ", "ς", "Ω", "ǅ", "Ⅻ", "ⓐ", "Ⓐ", "😀", "𝐀",
    ]  # fmt: skip
    texts = ["".join(rng.choices(alphabet, k=rng.randrange(0, 30))) for _ in range(4000)]
    for lower in (True, False):
        expected, known = _tokens_by_split(texts, lower=lower)
        found, _ = _table_tokens(native.chunks.ChunkTable(4), texts, known, lower=lower)
        assert found == expected


def test_a_chunk_is_never_mistaken_for_another_with_the_same_hash() -> None:
    table = native.chunks.ChunkTable(4)
    # Same length, different characters, same Latin-1 bytes lowered: still different chunks.
    assert table.tokens("ab AB ba", lambda c: [{"ab": 1, "ba": 2}[c]], True).tolist() == [1, 1, 2]
    assert table.tokens("Ab", lambda c: [3, 4], False).tolist() == [3, 4]
    assert table.tokens("Ab ab ab", lambda c: [5], False).tolist() == [3, 4, 1, 1]


def test_words_joined_in_c_are_those_joined_in_python(ad_texts: list[str]) -> None:
    compiled, reference = vocab.Vocabulary(compiled=True), vocab.Vocabulary(compiled=False)
    texts = [*ad_texts, "", "node.js c# it-tekniker o’brien ÅÄÖ ΣΑΣ 😀 \ud800lone"]
    for text in texts:
        ids = compiled.tokenise(text, lower=True)
        joined = compiled.words_bytes(ids)
        assert joined == reference.words_bytes(reference.tokenise(text, lower=True))
        assert joined == compiled.words_of(ids).encode("utf-8", "surrogatepass")
    assert compiled.words_bytes(np.zeros(0, dtype=np.int64)) == b""


def test_expand_concatenates_each_ids_run() -> None:
    starts = np.array([0, 1, 3], dtype=np.int64)
    lengths = np.array([1, 2, 0], dtype=np.int64)
    values = np.array([10, 11, 12], dtype=np.int64)
    ids = np.array([1, 0, 2, 1], dtype=np.int64)
    assert native.chunks.expand(ids, starts, lengths, values).tolist() == [11, 12, 10, 11, 12]


def test_threads_sharing_a_vocabulary_get_the_tokens_of_one_thread(ad_texts: list[str]) -> None:
    reference = vocab.Vocabulary(compiled=False)
    want = [reference.strings(reference.tokenise(t, lower=True)) for t in ad_texts]
    shared = vocab.Vocabulary(compiled=True, capacity=16)
    results: dict[int, list[list[str]]] = {}

    def work(n: int) -> None:
        order = ad_texts if n % 2 else ad_texts[::-1]
        got = [shared.strings(shared.tokenise(t, lower=True)) for t in order]
        results[n] = got if n % 2 else got[::-1]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(results[n] == want for n in range(4))


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 17, 600, 5000])
def test_minhash_equals_numpy_and_datasketch(size: int) -> None:
    rng = np.random.default_rng(size)
    words = rng.integers(0, 2**32, size, dtype=np.uint64).astype(np.uint32)
    compiled = dedup.minhash_of_words(words, compiled=True)
    numpy_version = dedup.minhash_of_words(words, compiled=False)
    assert compiled.dtype == np.uint32 and compiled.shape == (dedup.NUM_PERM,)
    assert np.array_equal(compiled, numpy_version)
    if size:
        shingles = dedup.shingles_of_word_hashes(words)
        reference = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, hashfunc=int)
        reference.update_batch(shingles.tolist())
        assert np.array_equal(compiled, reference.hashvalues.astype(np.uint32))


def test_minhash_of_real_ads_equals_numpy(ad_texts: list[str]) -> None:
    words = vocab.Vocabulary()
    for text in ad_texts[:200]:
        ids = words.tokenise(text, lower=True)
        hashes = words.word_hashes_of(ids)
        assert np.array_equal(
            dedup.minhash_of_words(hashes, compiled=True),
            dedup.minhash_of_words(hashes, compiled=False),
        )


def test_band_keys_equal_hashlibs_blake2b(ad_texts: list[str]) -> None:
    words = vocab.Vocabulary()
    rng = np.random.default_rng(11)
    signatures = [
        dedup.minhash_of_words(words.word_hashes_of(words.tokenise(text, lower=True)))
        for text in ad_texts
    ]
    signatures += [rng.integers(0, 2**32, dedup.NUM_PERM, dtype=np.uint64).astype(np.uint32)]
    signatures += [
        np.zeros(dedup.NUM_PERM, np.uint32),
        np.full(dedup.NUM_PERM, 2**32 - 1, np.uint32),
    ]
    for sig in signatures:
        for employer, title in (("", ""), ("acme ab", "java utvecklare")):
            compiled = dedup.band_keys(sig, employer_key=employer, title_key=title, compiled=True)
            reference = dedup.band_keys(sig, employer_key=employer, title_key=title, compiled=False)
            assert compiled == reference
            assert len(compiled) == dedup.BANDS + (1 if employer else 0)
    with pytest.raises(ValueError):
        native.minhash.band_keys(signatures[0], 30, 5)  # more rows than the signature has


# Characters that `clean_text` treats specially, and some it must leave alone.
_AWKWARD = [
    " ", "  ", "\t", "\n", "\r", "\r\n", "\x00", "\x0b", "\x0c", "\x1c", "\x1f", "\x7f", "\x85",
    "\x9f", "\xa0", "\u1680", "\u2003", "\u200b", "\u200c", "\u200f", "\u2028", "\u2029",
    "\u202f", "\u2060", "\u3000", "\ufeff", "a", "Ö", "é", "•", "😀", "ΣΑΣ", "-", ".",
]  # fmt: skip


def _clean_both(text: str) -> tuple[str, str]:
    import unicodedata

    from vagval.jobs.normalise import _clean_text_python

    nfc = unicodedata.normalize("NFC", text)
    return native.text.clean_text(nfc), _clean_text_python(nfc)


def test_clean_text_is_the_python_reference_on_real_ads(ad_texts: list[str]) -> None:
    for text in ad_texts:
        compiled, reference = _clean_both(text)
        assert compiled == reference
    # and on the same texts with Windows line ends, tabs and no-break spaces in them
    for text in ad_texts[:100]:
        messy = text.replace("\n", "\r\n \t").replace(" ", "\u00a0 ")
        compiled, reference = _clean_both(messy)
        assert compiled == reference


def test_clean_text_is_the_python_reference_on_awkward_strings() -> None:
    import random

    rng = random.Random(20261122)
    for _ in range(20_000):
        text = "".join(rng.choices(_AWKWARD, k=rng.randrange(0, 40)))
        compiled, reference = _clean_both(text)
        assert compiled == reference, repr(text)
    assert native.text.clean_text("  Rad ett \r\n\r\n\r\n\t rad\x00 två\u200bord  ") == (
        "Rad ett\n\nrad två ord"
    )


def _windows_both(text: str, window: int = 70) -> tuple[list[str] | None, list[str] | None]:
    """The remote-work windows of `text`, compiled and by the Python reference (None where
    lowering changes the length: the caller scans the whole text then)."""
    from vagval.jobs.normalise import _REMOTE_HINTS, _remote_windows

    spans = native.text.hint_windows(text, _REMOTE_HINTS, window)
    compiled = None if spans is None else [text[start:end] for start, end in spans]
    low = text.lower()
    reference = _remote_windows(text, low, window=window) if len(low) == len(text) else None
    return compiled, reference


def test_hint_windows_are_the_python_reference_on_real_ads(ad_texts: list[str]) -> None:
    found = 0
    for text in ad_texts:
        compiled, reference = _windows_both(text)
        assert compiled == reference
        found += bool(reference)
    assert found > 50  # the real ads do speak of remote work


def test_hint_windows_are_the_python_reference_on_awkward_strings() -> None:
    import random

    rng = random.Random(20261122)
    pieces = ["distans", "DISTANS", "Remote", "hYbRiD", "hemifrån", "HEMIFRÅN", "from home",
              "From  home", "wfh", "anyWhere", "remot", "distan", "hemarbet", " ", "\n", "a",
              "Ö", "–", "😀", "\u212a", "ΣΟΦΙΑ", "x" * 40]  # fmt: skip
    for _ in range(20_000):
        text = "".join(rng.choices(pieces, k=rng.randrange(0, 12)))
        window = rng.choice([0, 3, 70])
        compiled, reference = _windows_both(text, window)
        assert compiled == reference, (repr(text), window)
    # "İ" lowers to two characters: no offsets, the caller scans the whole text
    assert native.text.hint_windows("İstanbul, remote", ("remote",), 5) is None
    assert native.text.hint_windows("ab REMOTE cd", ("remote",), 2) == [(1, 11)]
    with pytest.raises(ValueError, match="lower-case"):
        native.text.hint_windows("text", ("Remote",), 5)


def test_copy_fields_are_the_python_reference_on_real_ads(ad_texts: list[str]) -> None:
    import datetime as dt

    from vagval.jobs import copyrows

    when = dt.datetime(2026, 11, 22, 8, 30, tzinfo=dt.UTC)
    for n, text in enumerate(ad_texts):
        row = [text, None, n % 2 == 0, n, text.encode()[:64], when, text.split()[:5], "", "x"]
        assert native.text.copy_fields(row, copyrows.field) == copyrows.encode_fields_python(row)


def test_copy_fields_are_the_python_reference_on_awkward_values() -> None:
    import datetime as dt
    import random

    from vagval.jobs import copyrows
    from vagval.jobs.models import Source

    rng = random.Random(20261122)
    specials = ["\\", "\t", "\n", "\r", "\\N", "\\.", "a", "Ö", "😀", "\x00", " "]
    others = [None, True, False, 0, -7, 2**40, b"\x00\xff", Source.JOBTECH, {"k": "v\t"}]
    others.append(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    for _ in range(5_000):
        row = [
            "".join(rng.choices(specials, k=rng.randrange(0, 12)))
            if rng.random() < 0.6
            else rng.choice(others)
            for _ in range(rng.randrange(0, 8))
        ]
        compiled = native.text.copy_fields(row, copyrows.field)
        assert compiled == copyrows.encode_fields_python(row), repr(row)
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate, as `str.encode` refuses it
        native.text.copy_fields(["ok", "\ud800"], copyrows.field)
    with pytest.raises(ValueError):  # and other values as the Python fields do
        native.text.copy_fields([dt.datetime(2026, 1, 1)], copyrows.field)


def test_term_starts_are_the_numpy_reference_on_real_ads(
    ad_texts: list[str], taxonomy_loaded: str
) -> None:
    from vagval.taxonomy.textmatch import get_matcher

    matcher = get_matcher()
    words = vocab.current()
    found = 0
    for text in ad_texts:
        ids = words.tokenise(text, lower=True)
        for which, token_ids in ((0, ids), (1, words.lemma_ids(ids))):
            starts, heads, nexts = native.match.term_starts(
                matcher._flags[which], matcher._pairs[which], token_ids, matcher._flag_limit
            )
            assert starts == matcher._starts_numpy(which, token_ids)
            seq = token_ids.tolist()
            assert heads == [seq[at] for at in starts]
            assert nexts == [seq[at + 1] if at + 1 < len(seq) else -1 for at in starts]
            found += len(starts)
    assert found > 10 * len(ad_texts)  # ads are full of skills and occupations
    empty = np.zeros(0, dtype=np.int64)
    assert native.match.term_starts(matcher._flags[0], matcher._pairs[0], empty, 5) == ([], [], [])


def _both_searches(
    matcher: ConceptMatcher, words: vocab.Vocabulary, text: str, types: frozenset[str] | None
) -> list[ConceptHit]:
    """`find_tokens` compiled and in Python, as `find` and ingestion call it; both the same."""
    ids = words.tokenise(text, lower=True)
    for matched in (True, False):
        # compiled first: the text's new tokens have no lemma yet, so that path runs too
        compiled = matcher.find_tokens(ids, words, types=types, matched=matched, compiled=True)
        reference = matcher.find_tokens(ids, words, types=types, matched=matched, compiled=False)
        assert compiled == reference, (text[:80], types, matched)
        assert [type(hit) for hit in compiled] == [type(hit) for hit in reference]
    return compiled


_TYPE_FILTERS = [None, frozenset({"skill"}), OCCUPATION_TYPES | SKILL_TYPES]


def test_find_tokens_is_the_python_reference_on_real_ads(
    ad_texts: list[str], taxonomy_loaded: str
) -> None:
    from vagval.taxonomy.textmatch import get_matcher

    matcher = get_matcher()
    words = vocab.current()
    hits = ties = 0
    for text in ad_texts:
        for types in _TYPE_FILTERS:
            found = _both_searches(matcher, words, text, types)
            hits += len(found)
            ranks = [(hit.count, hit.matched) for hit in found]
            ties += len(ranks) - len(set(ranks))
    assert hits > 10 * len(ad_texts)
    assert ties > 100  # the order within a tie is compared too, not only the hits


def test_find_tokens_is_the_python_reference_on_crafted_texts(taxonomy_loaded: str) -> None:
    from vagval.taxonomy.textmatch import get_matcher

    matcher = get_matcher()
    words = vocab.current()
    texts = [
        "",
        "och",
        "java",
        "Java java JAVA, python och SQL. Java!",  # a term repeated
        # longer terms over shorter ones, and overlapping each other
        "java enterprise edition programmeringsspråk och java programmeringsspråk",
        "hibernate ramverk java ramverk hibernate ramverk java",
        "kompetensbevis industriteknik bas inriktning automation, kompetensbevis industriteknik "
        "bas inriktning underhåll och kompetensbevis industriteknik bas",
        # found by their lemma, as written, and both; one term for several concepts (ties)
        "Sjuksköterskorna och sjuksköterska, sjuksköterskor; farmacevt måleri farmacevt måleri",
        "måleri farmacevt",
        # at the very end, whole and cut short
        "erfarenhet av java enterprise edition",
        "erfarenhet av java enterprise",
        "kompetensbevis industriteknik",
        "helt nya ordxq41 och sjuksköterskornaxq41 sjuksköterskorna",  # lemmas not yet known
    ]
    for text in texts:
        for types in _TYPE_FILTERS:
            _both_searches(matcher, words, text, types)
    tie = _both_searches(matcher, words, "farmacevt", None)  # one term of two concepts
    assert len(tie) == 2 and tie[0].count == tie[1].count
    assert _both_searches(matcher, words, "", None) == []


def test_find_tokens_is_the_python_reference_on_texts_full_of_terms(
    taxonomy_loaded: str,
) -> None:
    """Random runs of taxonomy terms and their words: many ties, overlaps and repeats."""
    import random

    from vagval.taxonomy.textmatch import get_matcher

    matcher = get_matcher()
    words = vocab.current()
    terms = sorted(
        {
            (first, second, *rest)
            for first, (_single, following) in matcher._surface.items()
            for second, entries in (following or {}).items()
            for rest, _concepts in entries
        }
        | {(first,) for first, (single, _following) in matcher._surface.items() if single}
    )
    rng = random.Random(20261122)
    pool = rng.sample([t for t in terms if len(t) > 1], 150) + rng.sample(terms, 150)
    tokens = sorted({token for term in pool for token in term})
    for _ in range(1500):
        parts = [
            " ".join(rng.choice(pool)) if rng.random() < 0.6 else rng.choice(tokens)
            for _ in range(rng.randrange(0, 25))
        ]
        for types in _TYPE_FILTERS:
            _both_searches(matcher, words, " ".join(parts), types)


def test_find_concepts_asks_for_missing_lemmas_and_checks_its_arrays(
    taxonomy_loaded: str,
) -> None:
    from vagval.taxonomy.textmatch import get_matcher

    matcher = get_matcher()
    words = vocab.current()
    assert matcher._term_indexes is not None
    surface, lemma = matcher._term_indexes
    wanted = matcher._wanted_mask(None)
    ids = words.tokenise("java och sjuksköterskornazz42", lower=True)  # a token never seen
    assert native.match.find_concepts(surface, lemma, ids, words.lemma, wanted) is None
    words.lemma_ids(ids)
    found = native.match.find_concepts(surface, lemma, ids, words.lemma, wanted)
    assert found is not None
    concepts, counts, firsts, lasts = found
    assert [matcher._concepts[at][2] for at in concepts] == ["Java, programmeringsspråk"]
    assert (counts, firsts, lasts) == ([1], [0], [0])
    empty = np.zeros(0, dtype=np.int64)
    assert native.match.find_concepts(surface, lemma, empty, words.lemma, wanted) == (
        [], [], [], []
    )  # fmt: skip
    with pytest.raises(ValueError):  # a pair too few: the entries would be read out of bounds
        native.match.TermIndex(
            matcher._flags[0], matcher._pairs[0][:-1], *matcher._flat[0], matcher._flag_limit
        )
    # the compiled objects are never pickled; the arrays by id only with the vocabulary's
    # tokens they stand for (a loader with ids of its own registers the terms again)
    state = matcher.__getstate__()
    assert not {"_term_indexes", "_wanted"} & set(state)
    assert state["_vocabulary_prefix"]["tokens"] == words.tokens[: matcher._flag_limit]


def test_string_map_holds_exactly_its_entries() -> None:
    from vagval.native import strmap

    rng = random.Random(5)
    alphabet = "abcåäöéü-' ΣσςİǅĀ😀\u0301"
    entries = {
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12))): str(rng.random())
        for _ in range(5000)
    }
    entries["utvecklarna"] = "utvecklare"
    table = strmap.StrMap(strmap.build(entries.items()))
    assert len(table) == len(entries)
    assert dict(table.items()) == entries
    for key, value in entries.items():
        assert table.get(key) == table[key] == value and key in table
    for missing in ("utvecklarnas", "utvecklarn", "UTVECKLARNA", "\ud800", "x" * 300):
        assert missing not in entries
        assert table.get(missing) is None and missing not in table
        with pytest.raises(KeyError):
            table[missing]
    assert table.get("nope", "default") == "default"
    with pytest.raises(ValueError):
        strmap.StrMap(b"not a table")
