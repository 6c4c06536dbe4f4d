"""Normalisation of job-ad fields: HTML, plain text, employer, organisation number, dates.

Pure functions without database access, so they run in the worker processes of the pipeline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import nh3
from dateutil import parser as dateparser

from vagval import native
from vagval.accounts.orgnumber import org_number_is_valid

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC

# Tags and attributes an ad may keep: text structure and links, nothing that runs or styles.
ALLOWED_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "blockquote",
    "hr",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Tags whose content is dropped with them (nh3 keeps the text of other removed tags).
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "noscript", "template"}

# Things that only a hostile or broken page puts into an ad text: active content. A record with
# any of these is quarantined instead of silently cleaned, so someone can look at the source.
_HOSTILE_RE = re.compile(
    r"<\s*(?:script|iframe|object|embed|applet|meta|base|form)\b"
    r"|<[^>]*\son[a-z]+\s*="
    r"|<[^>]*(?:href|src|action)\s*=\s*[\"']?\s*(?:javascript|vbscript|data):",
    re.IGNORECASE,
)
_BLOCK_TAG_RE = re.compile(
    r"<\s*(?:br|/p|/h[1-6]|/div|/tr|/dt|/dd|/blockquote|hr|/ul|/ol|/table)\s*/?\s*>",
    re.IGNORECASE,
)
_LI_RE = re.compile(r"<\s*li\b[^>]*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")
_HS = r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]"
_HS_NOT_SPACE = r"[\t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]"
# Runs of horizontal space that need changing: two or more, or one that is not a plain space.
# (Matching every single space too would make this the slowest step of normalisation.)
_HSPACE_RE = re.compile(f" {_HS}+|{_HS_NOT_SPACE}{_HS}*")
# Control and invisible format characters (not tab or newline), which only break display.
_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200c-\u200f\u2028\u2029\u2060\ufeff]"
)
_NEWLINES_RE = re.compile(r"\n\s*\n\s*(?:\n\s*)+")
_BLANK_LINE_RE = re.compile(r"\n\s*\n")
_WORD_RE = re.compile(r"\w+")
# Title words keep a trailing # or + ("c#", "c++"): they name different jobs than "c".
_TITLE_WORD_RE = re.compile(r"\w+[#+]*")
_LEGAL_SUFFIX_RE = re.compile(
    r"\b(?:ab|aktiebolag|publ|hb|kb|ek för|ekonomisk förening|ltd|limited|inc|llc|gmbh|oy|as|"
    r"a/s|asa|bv|sa|plc|co)\b",
    re.IGNORECASE,
)


def is_hostile_html(markup: str) -> bool:
    """True when the markup holds scripts, event handlers or script URLs."""
    return "<" in markup and _HOSTILE_RE.search(markup) is not None


# Built once: `nh3.clean` builds the same sanitiser from these sets at every call (~17 us of
# the ~60 an HTML ad's cleaning costs).
_SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
)


def sanitise_html(markup: str) -> str:
    """Keep only structural tags and safe links (nh3, an allow-list sanitiser)."""
    return _SANITISER.clean(markup)


def html_to_text(markup: str) -> str:
    """Plain text of (sanitised) HTML: block ends become line breaks, entities are decoded."""
    text = _LI_RE.sub("\n• ", markup)
    text = _BLOCK_TAG_RE.sub("\n", text)
    text = html.unescape(_TAG_RE.sub("", text))
    return clean_text(text)


def text_to_html(text: str) -> str:
    """Safe HTML of plain text: one paragraph per blank-line block, line breaks kept."""
    text = html.escape(text)  # once for the whole text: escaping adds no line breaks
    blocks = [b.strip() for b in _BLANK_LINE_RE.split(text) if b.strip()]
    if len(blocks) <= 1:
        blocks = [b.strip() for b in text.split("\n") if b.strip()]
        return "".join(f"<p>{b}</p>" for b in blocks)
    return "".join("<p>" + "<br>".join(b.split("\n")) + "</p>" for b in blocks)


def clean_text(text: str) -> str:
    """Single spaces, at most one blank line, no control characters, trimmed lines."""
    text = unicodedata.normalize("NFC", text)
    if native.AVAILABLE:  # one pass in C, the same result (tests/native compare the two)
        return native.text.clean_text(text)  # type: ignore[no-any-return]
    return _clean_text_python(text)


def _clean_text_python(text: str) -> str:
    """`clean_text` of NFC text in Python: the reference for the compiled version."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text).replace("\u200b", " ")
    # Per line, split() + join collapses every run of horizontal space (the control characters
    # that str.split also splits on are gone by now) and trims: a third of the cost of a regex.
    text = "\n".join([" ".join(line.split()) for line in text.split("\n")])
    return _NEWLINES_RE.sub("\n\n", text).strip()


def clean_line(value: str) -> str:
    """A one-line field (headline, employer name): single-spaced, trimmed."""
    return _HSPACE_RE.sub(" ", value.replace("\n", " ").replace("\r", " ")).strip()


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, the unit of shingles and title keys."""
    return _WORD_RE.findall(text.lower())


# Trailing words that name the same employer in different ways ("Acme Sverige AB" = "Acme").
_EMPLOYER_TAIL = frozenset({"sverige", "sweden", "nordic", "nordics", "scandinavia", "group", "i"})


def employer_key(name: str) -> str:
    """Comparable employer name: lower case, no legal form ("AB", "(publ)", "Sverige AB")."""
    words = _WORD_RE.findall(_LEGAL_SUFFIX_RE.sub(" ", name.lower()))
    while len(words) > 1 and words[-1] in _EMPLOYER_TAIL:
        words.pop()
    return " ".join(words)


# Words that say nothing about which job a title names (seniority is kept: it matters).
_TITLE_NOISE = frozenset(
    [
        "till",
        "och",
        "or",
        "and",
        "the",
        "a",
        "an",
        "i",
        "in",
        "på",
        "at",
        "för",
        "for",
        "to",
        "of",
        "med",
        "with",
        "söker",
        "sökes",
        "we",
        "are",
        "looking",
        "vi",
        "heltid",
        "deltid",
        "sverige",
        "sweden",
        "jobb",
        "job",
    ]
)


# Abbreviations that mean the same title word.
_TITLE_SYNONYMS = {"sr": "senior", "jr": "junior", "snr": "senior"}


def title_key(title: str) -> str:
    """Sorted distinct title words without noise words: "Java-utvecklare till X" ~ "X java"."""
    words = _TITLE_WORD_RE.findall(title.lower())
    return " ".join(sorted({_TITLE_SYNONYMS.get(t, t) for t in words if t not in _TITLE_NOISE}))


def normalise_org_number(value: object) -> str:
    """Ten digits when `value` is a valid Swedish organisation number (Luhn), else ""."""
    if not isinstance(value, str | int):
        return ""
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if len(digits) == 12 and digits.startswith(("16", "19", "20")):
        digits = digits[2:]  # "16" prefix and century digits are sometimes written out
    if len(digits) != 10:
        return ""
    return digits if org_number_is_valid(digits) else ""


def parse_datetime(value: object, *, local_tz: dt.tzinfo = STOCKHOLM) -> dt.datetime | None:
    """An aware UTC datetime from ISO text, a date, or epoch milliseconds; None if unusable.

    Naive values are Swedish local time (JobTech writes them so); a bare date means its start.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    parsed: dt.datetime
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                parsed = dateparser.parse(text)
            except (ValueError, OverflowError):
                return None
    else:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=local_tz)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


_SV_WORDS = frozenset(
    [
        "och",
        "att",
        "det",
        "som",
        "är",
        "för",
        "på",
        "med",
        "en",
        "ett",
        "av",
        "till",
        "har",
        "du",
        "vi",
        "den",
        "om",
        "inte",
        "kan",
        "vara",
        "du",
        "dig",
        "din",
        "våra",
        "vår",
        "oss",
        "hos",
        "eller",
        "samt",
        "inom",
        "både",
    ]
)
_EN_WORDS = frozenset(
    [
        "and",
        "the",
        "to",
        "of",
        "is",
        "for",
        "in",
        "with",
        "you",
        "we",
        "our",
        "are",
        "a",
        "an",
        "be",
        "as",
        "on",
        "your",
        "will",
        "have",
        "this",
        "that",
        "or",
        "at",
        "from",
        "within",
        "both",
    ]
)


def detect_language(words: list[str]) -> str:
    """ "sv" or "en" by counting common function words (fast and good enough for ads), else ""."""
    return language_of_counts(*function_word_counts(words[:150]))


def function_word_counts(words: Iterable[str]) -> tuple[int, int]:
    """(Swedish, English) function words among `words` (a word of both lists is Swedish)."""
    sv = en = 0
    for w in words:
        if w in _SV_WORDS:
            sv += 1
        elif w in _EN_WORDS:
            en += 1
    return sv, en


def language_of_counts(sv: int, en: int) -> str:
    """`detect_language`'s verdict on the counts of `function_word_counts`."""
    if sv == en == 0:
        return ""
    return "sv" if sv >= en else "en"


# Remote work is rarely a structured field in Swedish ads; it is written in the text, in Swedish
# or English. Full remote needs an explicit phrase; anything else about distance work is hybrid.
_REMOTE_FULL_RE = re.compile(
    r"\b(?:helt\s+på\s+distans|helt\s+remote|100\s*%\s*(?:på\s+)?(?:distans|remote)"
    r"|fully\s+remote|full[- ]time\s+remote|remote[- ]first|remote[- ]only|100\s*%\s*remote"
    r"|work\s+from\s+anywhere|helt\s+hemifrån)",
    re.IGNORECASE,
)
_REMOTE_PARTLY_RE = re.compile(
    r"\b(?:hybrid\w*|distans(?:arbete|jobb)?\b|\w+distans\b|på\s+distans"
    r"|(?:arbeta|jobba)\s+hemifrån|hemarbete|work(?:ing)?\s+from\s+home|remote(?:ly)?\b|wfh\b)"
    # IT ads speak of hybrid clouds and remote configuration: not about where one works.
    r"(?!\s*-?\s*(?:config\w*|management|access|sensing|control\w*|desktop|solution\w*"
    r"|lösning\w*|cloud|moln\w*|infra\w*|environments|state\b|mode\b|app\w*|architect\w*"
    r"|arkitektur\w*|system\w*|integration\w*|fordon\w*|vehicle\w*|teknik\w*))",
    re.IGNORECASE,
)
# "Kan ej garantera distansarbete", "no remote work": a negation just before the phrase.
_REMOTE_NEGATION_RE = re.compile(
    r"\b(?:ej|inte|ingen|inga|utan|no|not|non|cannot|can't)\b[\w\s,-]{0,24}$", re.IGNORECASE
)
# "Distans" also means distance in other senses; these never concern where one works.
_REMOTE_FALSE_FRIENDS = frozenset(
    {"distansutbildning", "distansstudier", "distanskurs", "hybrider", "hybridfederated"}
)


def _remote_mentions(pattern: re.Pattern[str], text: str) -> bool:
    for match in pattern.finditer(text):
        if match.group(0).lower() in _REMOTE_FALSE_FRIENDS:
            continue
        if not _REMOTE_NEGATION_RE.search(text[max(0, match.start() - 40) : match.start()]):
            return True
    return False


# Substrings one of which every phrase above contains. The regexes run only on short windows
# around them: most ads have none, and scanning a whole 4,000-character ad with the regexes would
# cost ~150 us, against a few microseconds for these substring searches.
_REMOTE_HINTS = ("distans", "remote", "hybrid", "hemifrån", "hemarbete", "from home", "wfh",
                 "anywhere")  # fmt: skip
# The same hints as they lie within one word: a text none of whose tokens holds one of these
# cannot mention remote work ("from home" spans two tokens; its "home" is enough to look).
_REMOTE_WORD_HINTS = ("distans", "remote", "hybrid", "hemifrån", "hemarbete", "home", "wfh",
                      "anywhere")  # fmt: skip


def may_mention_remote(token: str) -> bool:
    """False when a lower-cased token cannot be part of a remote-work phrase."""
    return any(hint in token for hint in _REMOTE_WORD_HINTS)


_WINDOW = 70  # characters kept on each side of a hint: the longest phrase plus the negation


def _remote_windows(text: str, low: str, window: int = _WINDOW) -> list[str]:
    """Pieces of `text` around every hint, overlapping pieces merged (same offsets in `low`):
    the reference for the compiled `hint_windows`."""
    spans: list[tuple[int, int]] = []
    for hint in _REMOTE_HINTS:
        at = low.find(hint)
        while at >= 0:
            spans.append((max(0, at - window), at + len(hint) + window))
            at = low.find(hint, at + len(hint))
    if not spans:
        return []
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return [text[start:end] for start, end in merged]


def remote_work_detect(headline: str, text: str) -> str:
    """ "full", "hybrid" or "" (not stated) from what the ad says about working remotely."""
    both = f"{headline}\n{text}"
    # Compiled: the same windows in one pass, without lowering the text (tests/native).
    spans = native.text.hint_windows(both, _REMOTE_HINTS, _WINDOW) if native.AVAILABLE else None
    if spans is not None:
        windows = [both[start:end] for start, end in spans]
    else:
        low = both.lower()
        if len(low) != len(both):  # a rare character whose lower case is longer: scan it all
            windows = [both] if any(hint in low for hint in _REMOTE_HINTS) else []
        else:
            windows = _remote_windows(both, low)
    if any(_remote_mentions(_REMOTE_FULL_RE, w) for w in windows):
        return "full"
    if any(_remote_mentions(_REMOTE_PARTLY_RE, w) for w in windows):
        return "hybrid"
    return ""


def digest(*parts: str | bytes) -> str:
    """A 128-bit hex digest of the parts (blake2b; not for security, only identity). A bytes
    part is the UTF-8 of a text (lone surrogates kept), as a text part is encoded."""
    if all(isinstance(part, str) for part in parts):
        # each part, then a unit separator: encoded and hashed in one go (~30 parts per ad)
        text = "\x1f".join(parts) + "\x1f" if parts else ""  # type: ignore[arg-type]
        data = text.encode("utf-8", "surrogatepass")
    else:
        data = b"".join(
            (part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")) + b"\x1f"
            for part in parts
        )
    return hashlib.blake2b(data, digest_size=16).hexdigest()
