"""Text normalisation shared by the snapshot builder, autocomplete and the text matcher.

Pure Python with no Django imports, so `scripts/build_taxonomy_snapshot.py` can use the very same
rules as the running site: a term normalised at build time and a query normalised at run time must
agree, or matching silently misses.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import mmap
import os
import re
import sys
import threading
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import cast

import simplemma
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

from vagval import native

logger = logging.getLogger(__name__)

# A token is a word that may hold the characters that make tech names distinct (c#, c++, .net,
# node.js, it-tekniker). Inner punctuation only counts between word characters, so a full stop or
# a dash at the end of a sentence is not part of the token. A slash separates tokens: ads write
# "Java/Kotlin" and "Python/SQL", and "CI/CD" is then "ci cd" in terms and text alike.
TOKEN_RE = re.compile(r"\.?\w+(?:[.\-&'’]\w+)*[#+]*")

# Diacritics folded for tolerant search ("sjukskoterska" finds "sjuksköterska"). NFKD + dropping
# combining marks does the same for é, ü, ø is handled explicitly as it has no decomposition.
_EXTRA_FOLD = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l"})
_NON_WORD_RE = re.compile(r"[^\w#+]+")
_SPACE_RE = re.compile(r"\s+")

# simplemma tries Swedish first, then English: job ads and CVs mix both languages.
LEMMA_LANGS = ("sv", "en")


def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Sjuksköterska" -> "sjukskoterska"."""
    lowered = text.casefold().translate(_EXTRA_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_term(text: str) -> str:
    """Search key of a term or query: folded, punctuation to spaces, single-spaced.

    Hyphens become spaces, so "IT-tekniker", "IT tekniker" and "it-tekniker" share one key.
    """
    return _SPACE_RE.sub(" ", _NON_WORD_RE.sub(" ", fold(text))).strip()


def tokenize(text: str) -> list[str]:
    """Lower-cased tokens of free text (diacritics kept: lemmatisation needs them)."""
    return TOKEN_RE.findall(text.lower())


class _CachedDictionaries:
    """simplemma's Swedish and English dictionaries, kept in files between runs.

    simplemma ships its dictionaries front-coded and lzma-compressed; decoding the two takes
    1.4-1.8 s of CPU, at the start of every ingest command and web process. With the compiled
    extensions, each is a memory-mapped hash table file (`vagval.native.strmap`): opening it
    costs nothing and every process shares its pages, where the same mapping as plain
    `dict[str, str]` (the fallback: one marshal file) still took ~0.65 s to load per process.
    It implements simplemma's `DictionaryFactory` protocol (simplemma only calls `get`), so
    the lemmatiser's strategies (and hence the lemmas) are simplemma's own; the file names hold
    simplemma's version (and Python's, for marshal's format), so an upgrade rebuilds them, and
    a broken or missing file only means decoding as simplemma does.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / (
            f"simplemma-{simplemma.__version__}-{'-'.join(LEMMA_LANGS)}"
            f"-py{sys.version_info[0]}{sys.version_info[1]}.marshal"
        )
        self._dictionaries: dict[str, Mapping[str, str]] | None = None
        self._fallback = DefaultDictionaryFactory()
        self._lock = threading.Lock()

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        if lang not in LEMMA_LANGS:
            return self._fallback.get_dictionary(lang)
        loaded = self._dictionaries
        if loaded is None:
            with self._lock:
                loaded = self._dictionaries = self._dictionaries or self._load()
        return loaded[lang]

    def _load(self) -> dict[str, Mapping[str, str]]:
        if native.AVAILABLE:
            return {lang: self._table(lang) for lang in LEMMA_LANGS}
        try:
            # Our own file, written below (marshal holds data only, no code to run).
            loaded = marshal.loads(self.path.read_bytes())  # noqa: S302
            if _complete(loaded):
                return loaded
        except (OSError, ValueError, EOFError, TypeError):
            pass
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(self.path.parent, os.W_OK):
            # No file can be kept: simplemma's own mappings, as fast as without a cache
            # (copying them into plain dicts costs twice their decoding).
            logger.warning("lemma dictionary cache folder %s not writable", self.path.parent)
            return {lang: self._fallback.get_dictionary(lang) for lang in LEMMA_LANGS}
        built: dict[str, Mapping[str, str]] = {
            lang: dict(self._fallback.get_dictionary(lang).items()) for lang in LEMMA_LANGS
        }
        try:
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(built))
            tmp.replace(self.path)
        except OSError as exc:
            logger.warning("lemma dictionary cache not written: %s", exc)
        return built

    def _table(self, lang: str) -> Mapping[str, str]:
        """`lang`'s dictionary as a memory-mapped table, written first if it is not there."""
        path = self.path.with_name(f"simplemma-{simplemma.__version__}-{lang}.strmap")
        try:
            return _mapped(path)
        except (OSError, ValueError):
            pass
        entries = self._fallback.get_dictionary(lang)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(path.parent, os.W_OK):
            logger.warning("lemma dictionary cache folder %s not writable", path.parent)
            return entries
        try:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(native.strmap.build(entries.items()))
            tmp.replace(path)
            return _mapped(path)
        except (OSError, ValueError) as exc:  # simplemma's own mapping, as fast as without
            logger.warning("lemma dictionary file %s not written: %s", path, exc)
            return entries


def _mapped(path: Path) -> Mapping[str, str]:
    """The table file at `path`, memory-mapped (its pages shared by every process)."""
    with path.open("rb") as fh:
        table = native.strmap.StrMap(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
    return cast("Mapping[str, str]", table)  # `get`, `[]`, `in`, `len`, iteration


def _complete(loaded: object) -> bool:
    return isinstance(loaded, dict) and all(isinstance(loaded.get(k), dict) for k in LEMMA_LANGS)


_lemmatizer = simplemma.Lemmatizer()


def use_lemma_cache(folder: Path) -> None:
    """Load simplemma's dictionaries through a marshal file in `folder` (see
    `_CachedDictionaries`); call once, before the first lemma is asked for."""
    global _lemmatizer
    strategy = DefaultStrategy(dictionary_factory=_CachedDictionaries(folder))
    _lemmatizer = simplemma.Lemmatizer(lemmatization_strategy=strategy)
    lemma.cache_clear()


def lemmatize(word: str) -> str:
    """simplemma's lemma of `word`, Swedish first, then English."""
    return str(_lemmatizer.lemmatize(word, lang=LEMMA_LANGS))


@lru_cache(maxsize=262_144)
def lemma(token: str) -> str:
    """Lemma of one lower-cased token, cached: the same few thousand words recur in every ad.

    Tokens under five letters are left alone: they are rarely inflected forms of taxonomy terms,
    and the lemmatiser turns short tech words into other words ("css" -> "cs", "wan" -> "want").
    """
    if len(token) < 5 or not token.isalpha():
        return token
    return lemmatize(token).lower()


# Swedish inflection endings, longest first. Used to turn a plural or definite query into a
# stem prefix when the lemmatiser does not know the word (compounds, new titles).
_SUFFIXES = (
    "arnas",
    "ernas",
    "ornas",
    "arna",
    "erna",
    "orna",
    "ande",
    "ende",
    "aren",
    "arens",
    "ens",
    "ets",
    "ar",
    "er",
    "or",
    "na",
    "en",
    "et",
    "n",
    "s",
)


def stem_prefix(word: str) -> str:
    """Strip one inflection ending, keeping at least four characters: a crude Swedish stem."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def match_lemma(token: str) -> str:
    """The lemma used for matching: only when it is not longer than the token itself.

    Swedish inflection adds endings (arkitekt -> arkitekter, sjuksköterska -> sjuksköterskor),
    so a lemma longer than its token is usually a different word that the lemmatiser guessed
    ("upphandlar", a verb, is not "upphandlare", a buyer).
    """
    base = lemma(token)
    return base if len(base) <= len(token) else token


def lemma_warmup() -> None:
    """Load simplemma's Swedish and English dictionaries now (about 2 s), not on a request."""
    for word in ("utvecklarna", "developers"):  # the second is unknown in Swedish
        lemmatize(word)
