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


@pytest.mark.parametrize("compiled", COMPILED)
def test_a_restored_snapshot_gives_the_same_ids_and_columns(compiled: bool) -> None:
    from vagval.jobs.normalise import may_mention_remote

    learned = vocab.Vocabulary(compiled=compiled)
    learned.tokenise("pinned terms: sjuksköterska systemutvecklare", lower=True)
    learned.pin()
    ids = [learned.tokenise(text, lower=True) for text in TRICKY]
    for each in ids:
        learned.lemma_ids(each)
    remote = learned.marks("remote", may_mention_remote)
    restored = vocab.Vocabulary.from_snapshot(
        pickle.loads(pickle.dumps(learned.snapshot())),  # noqa: S301 - our own bytes
        compiled=compiled,
    )
    assert restored.pinned == learned.pinned and len(restored) == len(learned)
    for text, before in zip(TRICKY, ids, strict=True):
        again = restored.tokenise(text, lower=True)  # its chunk table starts empty
        assert again.tolist() == before.tolist()
        assert restored.words_bytes(again) == learned.words_bytes(before)
        assert restored.word_hashes_of(again).tolist() == learned.word_hashes_of(before).tolist()
        assert (restored.lemma[again] >= 0).all()  # the lemmas come with it, not recomputed
        assert restored.lemma_ids(again).tolist() == learned.lemma_ids(before).tolist()
    column, done = restored._marks["remote"]
    assert done == len(learned) and column[:done].tolist() == remote[:done].tolist()
    # it keeps learning where the other left off
    fresh = restored.tokenise("ett helt nytt ord: blåbärssoppa", lower=True)
    assert restored.strings(fresh)[-1] == "blåbärssoppa"
    assert sorted(set(fresh.tolist()) - set(range(len(learned)))) == list(
        range(len(learned), len(restored))
    )


def test_a_snapshot_is_installed_only_onto_the_same_pinned_terms() -> None:
    saved = vocab._current
    try:
        vocab._current = vocab.Vocabulary()
        vocab._current.tokenise("arkitekt lärare", lower=True)
        vocab._current.pin()
        other = vocab.Vocabulary()
        other.tokenise("arkitekt snickare", lower=True)
        other.pin()
        other.tokenise("och mer", lower=True)
        assert not vocab.install(vocab.Vocabulary.from_snapshot(other.snapshot()))
        same = vocab.Vocabulary()
        same.tokenise("arkitekt lärare", lower=True)
        same.pin()
        same.tokenise("och mer", lower=True)
        assert vocab.snapshot_key(same, salt=b"x") == vocab.snapshot_key(vocab._current, salt=b"x")
        assert vocab.snapshot_key(same, salt=b"x") != vocab.snapshot_key(other, salt=b"x")
        assert vocab.snapshot_key(same, salt=b"x") != vocab.snapshot_key(same, salt=b"y")
        vocab._current.tokenise("redan inlärt", lower=True)  # ids handed out: too late
        assert not vocab.install(vocab.Vocabulary.from_snapshot(same.snapshot()))
    finally:
        vocab._current = saved


@pytest.mark.parametrize("compiled", COMPILED)
def test_a_snapshot_of_the_first_ids_restores_just_those(compiled: bool) -> None:
    learned = vocab.Vocabulary(compiled=compiled)
    first = learned.tokenise("node.js-utvecklare sökes, c# och java", lower=True)
    learned.lemma_ids(first)
    learned.pin()
    upto = len(learned)
    learned.tokenise("sedan fler ord: blåbärssoppa", lower=True)
    part = vocab.Vocabulary.from_snapshot(learned.snapshot(upto=upto), compiled=compiled)
    assert part.tokens == learned.tokens[:upto] and part.pinned == upto
    again = part.tokenise("node.js-utvecklare sökes, c# och java", lower=True)
    assert again.tolist() == first.tolist()
    assert part.words_bytes(again) == learned.words_bytes(first)
    assert part.word_hashes_of(again).tolist() == learned.word_hashes_of(first).tolist()
    assert part.lemma_ids(again).tolist() == learned.lemma_ids(first).tolist()
    # what it learns next gets the ids after the prefix, with its own columns
    later = part.tokenise("blåbärssoppa", lower=True)
    assert later.tolist() == [upto] and part.words_of(later) == "blåbärssoppa"


def test_a_pickled_matcher_brings_its_ids_to_a_process_that_has_none_yet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A batch command starting (nothing tokenised yet) takes the matcher's vocabulary as it
    is, instead of registering every term again; a process with ids of its own may not."""
    terms = [
        ("x1", "skill", "Kylteknik", "Kylteknik"),
        ("x2", "skill", "Teknisk ritning", "Teknisk ritning"),
        ("x3", "occupation-name", "Sjuksköterska", "Sjuksköterska"),
    ]
    monkeypatch.setattr(vocab, "_current", vocab.Vocabulary())
    matcher = ConceptMatcher("test", terms)
    built = vocab.current()
    data = pickle.dumps(matcher)
    text = "Sjuksköterskor och teknisk ritning; kylteknik, teknisk dokumentation."
    expected = {(h.concept_id, h.count) for h in matcher.find(text)}

    empty = vocab.Vocabulary()
    monkeypatch.setattr(vocab, "_current", empty)
    loaded = pickle.loads(data)  # noqa: S301 - our own bytes
    adopted = vocab.current()
    assert adopted is not empty and adopted.tokens[: built.pinned] == built.tokens[: built.pinned]
    assert adopted.pinned == built.pinned
    assert {(h.concept_id, h.count) for h in loaded.find(text)} == expected

    busy = vocab.Vocabulary()
    busy.tokenise("egna ord först", lower=True)
    monkeypatch.setattr(vocab, "_current", busy)
    registered = pickle.loads(data)  # noqa: S301 - our own bytes
    assert vocab.current() is busy and busy.tokens[:3] == ["egna", "ord", "först"]
    assert {(h.concept_id, h.count) for h in registered.find(text)} == expected
    # and pickled again from there, it carries the ids of that process
    again = pickle.loads(pickle.dumps(registered))  # noqa: S301 - our own bytes
    assert {(h.concept_id, h.count) for h in again.find(text)} == expected


def test_a_snapshot_of_the_first_ids_leaves_out_lemmas_learned_after_them() -> None:
    words = vocab.Vocabulary()
    ids = words.tokenise("sjuksköterskorna", lower=True)
    upto = len(words)
    words.lemma_ids(ids)  # the lemma, "sjuksköterska", is a new token: its id is past `upto`
    assert words.lemma[ids[0]] >= upto
    part = vocab.Vocabulary.from_snapshot(words.snapshot(upto=upto))
    assert part.lemma[ids[0]] == -1  # not an id that means something else there
    part.tokenise("något helt annat", lower=True)  # ids past `upto` go to other tokens
    assert part.strings(part.lemma_ids(ids)) == ["sjuksköterska"]
