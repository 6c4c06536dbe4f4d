"""MinHash signatures, band keys and the duplicate decision, on real ad text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from datasketch import MinHash

from vagval.jobs import dedup
from vagval.jobs.normalise import employer_key, title_key, tokens


def _keys(text: str, title: str, employer: str) -> dedup.DedupKeys:
    sig = dedup.signature(dedup.shingle_hashes(tokens(text)))
    return dedup.DedupKeys(sig, title_key(title), employer_key(employer), "")


def test_signature_equals_datasketch(platsbanken_lines: list[str]) -> None:
    import json

    text = json.loads(platsbanken_lines[0])["description"]
    hashes = dedup.shingle_hashes(tokens(text))
    reference = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, hashfunc=int)
    reference.update_batch([int(h) for h in hashes])
    assert np.array_equal(dedup.signature(hashes), reference.hashvalues)
    assert len(dedup.signature_bytes(dedup.signature(hashes))) == 512


def test_reordered_and_trimmed_text_stays_similar(platsbanken_lines: list[str]) -> None:
    import json

    ad = json.loads(platsbanken_lines[1])
    paragraphs = [p for p in ad["description"].split("\n") if p.strip()]
    reordered = "\n".join(paragraphs[::-1])
    trimmed = "\n".join(paragraphs[:-1])
    a = _keys(ad["description"], ad["title"], "Quest Consulting Sverige AB")
    b = _keys(reordered, ad["title"], "Quest Consulting")
    c = _keys(trimmed, ad["title"] + " - Stockholm", "Quest Consulting Sverige AB")
    assert dedup.is_duplicate(a, b) > 0.8
    assert dedup.is_duplicate(a, c) > 0.5
    # Same text but another job title: different jobs (consultancies reuse their ad text).
    d = _keys(ad["description"], "Python Developer", "Quest Consulting Sverige AB")
    assert dedup.is_duplicate(a, d) == 0.0


def test_unrelated_ads_are_not_duplicates(platsbanken_lines: list[str]) -> None:
    import json

    a, b = (json.loads(line) for line in platsbanken_lines[:2])
    ka = _keys(a["description"], a["title"], "X")
    kb = _keys(b["description"], a["title"], "X")
    assert dedup.is_duplicate(ka, kb) == 0.0
    assert dedup.estimated_jaccard(ka.sig, kb.sig) < 0.2


def test_band_keys_are_stable_and_include_block_key() -> None:
    sig = dedup.signature(dedup.shingle_hashes(tokens("en två tre fyra fem sex sju")))
    keys = dedup.band_keys(sig, employer_key="acme", title_key="developer java")
    assert len(keys) == dedup.BANDS + 1
    assert keys == dedup.band_keys(sig, employer_key="acme", title_key="developer java")
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert len(dedup.band_keys(sig, employer_key="", title_key="developer java")) == dedup.BANDS


def test_titles_compatible() -> None:
    assert dedup.titles_compatible(title_key("Java Developer"), title_key("Senior Java Developer"))
    assert not dedup.titles_compatible(
        title_key("C# .NET Software Developer"), title_key("C++ Software Developer")
    )
    assert not dedup.titles_compatible(title_key("Java Developer"), title_key("Python Developer"))


def test_signature_ignores_repeated_shingles(platsbanken_lines: list[str]) -> None:
    """The pipeline hashes without the unique pass; the signature must not change."""
    import json

    words = tokens(json.loads(platsbanken_lines[3])["description"])
    repeated = dedup.shingle_hashes(words + words, distinct=False)
    assert repeated.size > dedup.shingle_hashes(words).size
    assert np.array_equal(dedup.signature(repeated), dedup.signature(dedup.shingle_hashes(words)))


def test_signature_of_a_long_text_equals_datasketch() -> None:
    # more shingles than one block of the signature's work array
    hashes = np.random.default_rng(7).integers(0, 2**32, size=5000, dtype=np.uint32)
    reference = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, hashfunc=int)
    reference.update_batch([int(h) for h in hashes])
    assert np.array_equal(dedup.signature(hashes), reference.hashvalues)


def test_pipeline_words_are_the_text_tokens(platsbanken_lines: list[str]) -> None:
    import json

    from vagval.jobs.pipeline import _tokenise

    for line in platsbanken_lines[:200]:
        ad = json.loads(line)
        tokenised = _tokenise(ad["title"], ad["description"])
        words = tokens(ad["description"])
        assert tokenised.text_words_joined() == " ".join(words).encode()
        assert tokenised.first_text_words(150) == words[:150]  # what language detection reads
        assert np.array_equal(
            dedup.shingles_of_word_hashes(tokenised.text_word_hashes),
            dedup.shingle_hashes(tokens(ad["description"])),
        )


def test_language_from_token_counts_is_that_of_the_first_words(
    platsbanken_lines: list[str],
) -> None:
    import json

    from vagval.jobs.normalise import detect_language
    from vagval.jobs.pipeline import LANGUAGE_WORDS, _tokenise

    texts = [json.loads(line)["description"] for line in platsbanken_lines[:300]]
    filler = "ord " * (LANGUAGE_WORDS - 1)
    texts += [
        "",
        "1234 5678",
        "the and of " * 60 + "och att " * 5,  # English first, Swedish after the limit
        "och att " * 40 + "the and of " * 40,
        filler + "the-och-att och",  # a token of several words cut by the limit
        filler + "och-the the the",
        "x " * (LANGUAGE_WORDS - 2) + "och-the-and",
        "och/the " * 100,
    ]
    languages = set()
    for text in texts:
        tokenised = _tokenise("Rubrik", text)
        expected = detect_language(tokenised.first_text_words(LANGUAGE_WORDS))
        assert tokenised.language() == expected, text[-80:]
        languages.add(expected)
    assert languages == {"sv", "en", ""}


def test_a_normalised_ad_crosses_to_the_writer_unchanged(
    platsbanken_path: Path, taxonomy_loaded: str
) -> None:
    import itertools
    import pickle

    from vagval.jobs.pipeline import NormalisedAd, prepare_context, process_chunk, read_records

    prepare_context(enrich=False)
    records = list(itertools.islice(read_records("platsbanken-web", [platsbanken_path]), 3))
    ads = [ad for ad in process_chunk(records) if isinstance(ad, NormalisedAd)]
    assert len(ads) == 3
    # what the worker pool does with every good ad
    assert pickle.loads(pickle.dumps(ads, protocol=pickle.HIGHEST_PROTOCOL)) == ads  # noqa: S301
