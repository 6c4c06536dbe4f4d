"""Text normalisation shared by the snapshot builder, autocomplete and the text matcher.

Pure Python with no Django imports, so `scripts/build_taxonomy_snapshot.py` can use the very same
rules as the running site: a term normalised at build time and a query normalised at run time must
agree, or matching silently misses.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma

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


@lru_cache(maxsize=262_144)
def lemma(token: str) -> str:
    """Lemma of one lower-cased token, cached: the same few thousand words recur in every ad.

    Tokens under five letters are left alone: they are rarely inflected forms of taxonomy terms,
    and the lemmatiser turns short tech words into other words ("css" -> "cs", "wan" -> "want").
    """
    if len(token) < 5 or not token.isalpha():
        return token
    return str(simplemma.lemmatize(token, lang=LEMMA_LANGS)).lower()


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
        simplemma.lemmatize(word, lang=LEMMA_LANGS)
