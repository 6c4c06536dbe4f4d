"""simplemma's dictionaries through our cache files (memory-mapped tables when compiled, else
one marshal file): the same lemmas as simplemma's own."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import simplemma

from vagval import native
from vagval.taxonomy import normalize
from vagval.taxonomy.normalize import LEMMA_LANGS, _CachedDictionaries

# Both ways of keeping the dictionaries: memory-mapped tables (with the compiled extensions)
# and the marshal file (without them).
COMPILED = [
    pytest.param(True, marks=pytest.mark.skipif(not native.AVAILABLE, reason="not built")),
    False,
]


@pytest.fixture(params=COMPILED, ids=["tables", "marshal"])
def compiled(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(normalize.native, "AVAILABLE", request.param)
    return bool(request.param)


def _words(ads: dict[str, dict[str, Any]]) -> list[str]:
    found: set[str] = set()
    for ad in ads.values():
        text = " ".join(str(ad.get(k) or "") for k in ("title", "headline", "description"))
        found.update(re.findall(r"\w+", text.lower()))
    return sorted(found)


def _lemmatizer(folder: Path) -> simplemma.Lemmatizer:
    strategy = simplemma.strategies.DefaultStrategy(dictionary_factory=_CachedDictionaries(folder))
    return simplemma.Lemmatizer(lemmatization_strategy=strategy)


def test_cached_dictionaries_give_simplemmas_lemmas(
    real_ads: dict[str, dict[str, Any]], tmp_path: Path, compiled: bool
) -> None:
    words = _words(real_ads)
    assert len(words) > 5_000
    expected = [simplemma.lemmatize(w, lang=LEMMA_LANGS) for w in words]
    building = _lemmatizer(tmp_path)  # no file yet: decodes as simplemma does, writes the file
    assert [building.lemmatize(w, lang=LEMMA_LANGS) for w in words] == expected
    files = sorted(tmp_path.glob("simplemma-*"))
    assert [f.suffix for f in files] == ([".strmap"] * 2 if compiled else [".marshal"])
    assert all(f.stat().st_size > 1_000_000 for f in files)
    loading = _lemmatizer(tmp_path)  # from the file
    assert [loading.lemmatize(w, lang=LEMMA_LANGS) for w in words] == expected
    assert loading.lemmatize("sjuksköterskorna", lang=LEMMA_LANGS) == "sjuksköterska"


def test_a_broken_cache_file_is_rebuilt(tmp_path: Path, compiled: bool) -> None:
    factory = _CachedDictionaries(tmp_path)
    factory.path.write_bytes(b"not marshal at all")
    for lang in LEMMA_LANGS:  # a table cut short, one not a table at all
        tmp_path.joinpath(f"simplemma-{simplemma.__version__}-{lang}.strmap").write_bytes(
            b"VVSTRMP1\x00\x00\x00\x00\x00\x00\x01\x00" if lang == "sv" else b"nonsense"
        )
    assert factory.get_dictionary("sv")["utvecklarna"] == "utvecklare"
    assert _CachedDictionaries(tmp_path).get_dictionary("en").get("developers") == "developer"


@pytest.mark.parametrize("word", ["utvecklarna", "sjuksköterskor", "developers"])
def test_the_process_lemmatiser_uses_the_cache(word: str) -> None:
    assert normalize.lemmatize(word) == simplemma.lemmatize(word, lang=LEMMA_LANGS)


def test_without_a_writable_cache_folder_simplemma_decodes_as_usual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled: bool
) -> None:
    # A read-only folder, as the OS would report it (root may write anywhere, so say it here).
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    factory = _CachedDictionaries(tmp_path)
    assert factory.get_dictionary("sv")["utvecklarna"] == "utvecklare"
    assert factory.get_dictionary("en").get("developers") == "developer"
    assert not list(tmp_path.iterdir())  # nothing written
