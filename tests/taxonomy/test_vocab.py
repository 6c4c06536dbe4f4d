"""The per-process token vocabulary: same tokens as the regex, stable ids, bounded size."""

from __future__ import annotations

import pickle
import re
import zlib
from typing import Any

import numpy as np
import pytest

from vagval.taxonomy import vocab
from vagval.taxonomy.normalize import TOKEN_RE
from vagval.taxonomy.textmatch import ConceptMatcher

TRICKY = [
    "",
    "   \n\t ",
    "Vi söker en .NET-utvecklare (C#/C++), node.js & Vue.js; CI/CD!",
    "Erfarenhet av it-tekniker-arbete... Rock'n'roll – o’brien, 50%, 1.5 år",
    "• Punkt ett\n• Punkt två\u00a0och\u2003tre — slut.",
    "a.b.c. ..x #hash c# +plus e-post: namn.efternamn@firma.se",
    "ÅÄÖ åäö ﬁnans İstanbul straße",
    "Ærø ÀÉÎ ÿ µ ß\x85next\x1cfile\x1fsep \u00a0nbsp",
    "Emoji 😀 och ΣΟΦΙΑ: ΟΔΟΣ",
]
# Chunks found by the compiled loop (`vagval.native.chunks`) and by Python's `split()`.
COMPILED = [pytest.param(True, id="compiled"), pytest.param(False, id="python")]


@pytest.mark.parametrize("compiled", COMPILED)
@pytest.mark.parametrize("text", TRICKY)
def test_tokenise_gives_the_regex_tokens(text: str, compiled: bool) -> None:
    words = vocab.Vocabulary(compiled=compiled)
    lowered = text.lower()
    assert words.strings(words.tokenise(lowered)) == TOKEN_RE.findall(lowered)
    # a second time from the remembered chunks, and lowered by the vocabulary itself
    assert words.strings(words.tokenise(text, lower=True)) == TOKEN_RE.findall(lowered)
    assert words.strings(words.tokenise(text)) == TOKEN_RE.findall(text)


@pytest.mark.parametrize("compiled", COMPILED)
def test_tokenise_gives_the_regex_tokens_on_every_real_ad(
    real_ads: dict[str, dict[str, Any]], compiled: bool
) -> None:
    words = vocab.Vocabulary(compiled=compiled, capacity=16)  # grows many times on the way
    for ad in real_ads.values():
        text = f"{ad['title']}\n{ad['description']}"
        lowered = text.lower()
        assert words.strings(words.tokenise(text, lower=True)) == TOKEN_RE.findall(lowered)
        assert words.strings(words.tokenise(lowered)) == TOKEN_RE.findall(lowered)


def test_columns_hash_words_and_split_composites() -> None:
    import zlib

    words = vocab.Vocabulary()
    java, node = words.id("java"), words.id("node.js")
    assert words.words_of(np.array([java])) == "java"
    assert words.word_hashes_of(np.array([java])).tolist() == [zlib.crc32(b"java")]
    assert words.words_of(np.array([node, java])) == "node js java"
    assert words.word_hashes_of(np.array([node])).tolist() == [
        zlib.crc32(b"node"),
        zlib.crc32(b"js"),
    ]
    assert words.id("java") == java  # ids are stable


def test_lemmas_and_marks_are_computed_once_per_token() -> None:
    words = vocab.Vocabulary()
    ids = words.tokenise("utvecklarna java utvecklarna")
    lemmas = words.strings(words.lemma_ids(ids))
    assert lemmas == ["utvecklare", "java", "utvecklare"]
    calls: list[str] = []

    def has_v(token: str) -> bool:
        calls.append(token)
        return "v" in token

    assert words.marks("v", has_v)[ids].tolist() == [True, True, True]
    words.marks("v", has_v)
    assert len(calls) == len(set(calls)) == len(words)  # each token asked once


def test_a_full_vocabulary_is_replaced_by_its_pinned_part(monkeypatch: pytest.MonkeyPatch) -> None:
    small = vocab.Vocabulary(max_size=50)
    monkeypatch.setattr(vocab, "_current", small)
    matcher = ConceptMatcher("test", [("x1", "skill", "Kylteknik", "Kylteknik")])
    assert vocab.current() is small
    pinned = small.index["kylteknik"]
    small.tokenise(" ".join(f"ord{n}" for n in range(60)))  # a stream of odd tokens fills it
    fresh = vocab.current()
    assert fresh is not small and len(fresh) == small.pinned < 50
    assert fresh.index["kylteknik"] == pinned
    (hit,) = matcher.find("Vi behöver kylteknik och ord7.")
    assert hit.concept_id == "x1"


def test_a_pickled_matcher_works_in_another_process_vocabulary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    matcher = ConceptMatcher(
        "test",
        [
            ("x1", "skill", "Kylteknik", "Kylteknik"),
            ("x2", "skill", "Teknisk ritning", "Teknisk ritning"),
        ],
    )
    data = pickle.dumps(matcher)
    other = vocab.Vocabulary()
    other.tokenise("något annat först")  # the ids of this "process" differ
    monkeypatch.setattr(vocab, "_current", other)
    loaded = pickle.loads(data)  # noqa: S301 - our own bytes
    hits = loaded.find("Teknisk ritning och kylteknik, teknisk dokumentation.")
    assert {(h.concept_id, h.count) for h in hits} == {("x1", 1), ("x2", 1)}
    assert loaded.find("teknisk dokumentation") == []


@pytest.mark.parametrize("compiled", COMPILED)
def test_the_words_of_tokens_and_their_hashes(compiled: bool) -> None:
    """A text's `\\w+` words (composite tokens split) and their crc32s, from its token ids."""
    words = vocab.Vocabulary(compiled=compiled, capacity=8)  # grows many times on the way
    for text in [*TRICKY, " ".join(TRICKY) * 3]:
        ids = words.tokenise(text, lower=True)
        expected = re.findall(r"\w+", text.lower())
        assert words.words_of(ids).split() == expected
        assert words.word_hashes_of(ids).tolist() == [
            zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in expected
        ]
        assert words.word_hashes_of(ids).dtype == np.uint32
