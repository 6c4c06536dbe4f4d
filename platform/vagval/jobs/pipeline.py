"""The ingestion pipeline: read -> parse -> normalise -> dedup keys -> enrich, then one writer.

Stages 2-5 are pure CPU work on one record at a time and run in worker processes (fork, so the
taxonomy matcher and the place tables built once in the parent are shared copy-on-write). The
parent reads the input as a stream, hands out chunks with a bounded number in flight (memory stays
flat whatever the input size), and passes the results, in input order, to a single writer
(`services.AdBatchWriter`), which does the database side in bulk: exact and near-duplicate
matching against stored ads, inserts/updates, quarantine, cluster refresh.

Every stage is idempotent: a record's `record_hash` covers everything stored, so re-reading
unchanged input writes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import itertools
import logging
import multiprocessing
import os
import pickle
import queue
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from vagval.jobs import copyrows, dedup
from vagval.jobs.models import QuarantineReason
from vagval.jobs.normalise import (
    clean_line,
    clean_text,
    digest,
    employer_key,
    function_word_counts,
    html_to_text,
    is_hostile_html,
    language_of_counts,
    may_mention_remote,
    normalise_org_number,
    parse_datetime,
    remote_work_detect,
    sanitise_html,
    title_key,
)
from vagval.jobs.places import PlaceResolver, get_place_resolver
from vagval.jobs.sources import ParsedAd, ParseResult, RawRecord, Rejection, Removal, get_adapter
from vagval.jobs.sources.readers import iter_input_files
from vagval.taxonomy import vocab as vocabulary

logger = logging.getLogger(__name__)

# Ads longer than this are not ads (real ones stay well under 30,000 characters).
MAX_DESCRIPTION_CHARS = 200_000
MAX_HEADLINE_CHARS = 500
CHUNK_SIZE = 250
WRITE_BATCH = 1000  # ads per writer batch (one transaction)
# The words `detect_language` reads (`_Tokens.language`).
LANGUAGE_WORDS = 150
OCCUPATION_TYPES = frozenset({"occupation-name"})
SKILL_TYPES = frozenset({"skill"})


@dataclass(slots=True)
class NormalisedAd:
    """A clean ad, ready to store, with its dedup keys and concept ids."""

    source: str
    source_id: str
    origin: str
    url: str
    apply_url: str
    headline: str
    description_text: str
    description_html: str
    language: str
    employer_name: str
    employer_org_number: str
    location_label: str
    municipality_concept_id: str
    region_concept_id: str
    country_code: str
    occupation_concept_id: str
    occupation_group_concept_id: str
    occupation_field_concept_id: str
    occupation_ids: list[str]
    skill_ids: list[str]
    employment_type: str
    working_hours: str
    duration: str
    remote_work: str
    published_at: dt.datetime | None
    application_deadline: dt.datetime | None
    content_hash: str
    record_hash: str
    minhash: bytes
    band_keys: list[int]
    title_key: str
    employer_key: str
    raw: Any = field(default=None, repr=False)  # kept only until the writer has checked the batch
    # `CONTENT_COLUMNS` as PostgreSQL COPY text (`copyrows`), when the context asks for it.
    copy_fields: bytes = field(default=b"", repr=False)
    # The record it came from, when a worker sent the ad with its content columns only in
    # `copy_fields` (`slim`): the writer needs them again only for an ad it updates
    # (`ad_with_texts`).
    record: RawRecord | None = field(default=None, repr=False)
    slim: bool = False

    def __reduce__(self) -> tuple[type[NormalisedAd], tuple[Any, ...]]:
        # Pickled by its field values in order (rebuilt by the constructor): every good ad
        # travels from a worker to the writer, and the default protocol for a slots dataclass
        # (a Python-level __getstate__/__setstate__ per object) cost ~70 us per ad to load.
        return (NormalisedAd, tuple(map(self.__getattribute__, self.__slots__)))

    def model_fields(self) -> dict[str, Any]:
        """The JobAd column values (everything but ids, cluster and activity)."""
        return {name: getattr(self, name) for name in CONTENT_COLUMNS}


# The JobAd columns an ad's own content decides, in `NormalisedAd.copy_fields` order; the
# writer decides the others (id, source and id, cluster, activity, times).
CONTENT_COLUMNS: tuple[str, ...] = (
    "url",
    "apply_url",
    "headline",
    "description_text",
    "description_html",
    "language",
    "employer_name",
    "employer_org_number",
    "location_label",
    "municipality_concept_id",
    "region_concept_id",
    "country_code",
    "occupation_concept_id",
    "occupation_group_concept_id",
    "occupation_field_concept_id",
    "occupation_ids",
    "skill_ids",
    "employment_type",
    "working_hours",
    "duration",
    "remote_work",
    "published_at",
    "application_deadline",
    "content_hash",
    "record_hash",
    "minhash",
    "title_key",
    "employer_key",
)


Result = NormalisedAd | Removal | Rejection


class Matcher(Protocol):
    def find(
        self, text: str, *, types: frozenset[str] | None = None, as_written: bool = True
    ) -> list[Any]: ...

    def find_tokens(
        self,
        ids: np.ndarray,
        words: vocabulary.Vocabulary,
        *,
        types: frozenset[str] | None = None,
        matched: bool = True,
    ) -> list[Any]: ...


# --- per-process context (set in the parent before the workers fork) ------------------------


@dataclass(slots=True)
class StageContext:
    places: PlaceResolver
    matcher: Matcher | None
    now: dt.datetime
    copy_rows: bool = False  # encode each ad's COPY fields (the writer uses PostgreSQL COPY)


_CONTEXT: StageContext | None = None


def _cache_folder() -> Path:
    """The folder of what ingestion keeps between runs (the matcher, the vocabulary)."""
    from django.conf import settings

    return Path(getattr(settings, "VAGVAL_CACHE_DIR", settings.BASE_DIR / "var" / "cache"))


def _matcher_cache_path() -> Path | None:
    """Where the built matcher of the taxonomy in force is kept between runs (None: no cache).

    Building the matcher takes 5-20 s (every taxonomy term lemmatised, two automatons); loading
    the pickle takes 0.05 s, which is what makes a 2,500-ad delta fit in a few seconds. The key
    holds the taxonomy version and a hash of the matcher's code, so either change rebuilds it.
    """
    from vagval.taxonomy import normalize, textmatch, vocab
    from vagval.taxonomy.selectors import taxonomy_version

    version = taxonomy_version()
    if not version:
        return None
    code = hashlib.blake2b(digest_size=6)
    for module in (textmatch, normalize, vocab):
        code.update(Path(str(module.__file__)).read_bytes())
    folder = _cache_folder()
    return folder / f"jobs-matcher-{version}-{code.hexdigest()}-py{sys.version_info[1]}.pickle"


def load_matcher() -> Matcher | None:
    """The taxonomy's text matcher (from the disk cache when it is there), or None."""
    try:
        from vagval.taxonomy.textmatch import get_matcher
    except ImportError:
        logger.warning("vagval.taxonomy.textmatch is not available: ads are not enriched")
        return None
    path = _matcher_cache_path()
    if path is not None and path.is_file():
        try:
            with path.open("rb") as fh:
                matcher = pickle.load(fh)  # noqa: S301 - our own file
            # The lemmatiser's dictionaries (~1 s CPU) load here, before the workers fork, so
            # they share one copy instead of each loading it at its first unknown token.
            from vagval.taxonomy.normalize import lemma_warmup

            lemma_warmup()
            return matcher  # type: ignore[no-any-return]
        except Exception:  # a stale or broken cache is rebuilt
            logger.warning("matcher cache %s unreadable; rebuilding", path)
    matcher = get_matcher()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(matcher, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except (OSError, pickle.PicklingError, TypeError) as exc:
            logger.warning("matcher cache not written: %s", exc)
    return matcher


# --- the vocabulary kept between runs ----------------------------------------------------------
# Every worker learns each word it meets once in its life (`vocab`): ~35 us per new token, the
# lemma above all, ~12 % of a worker's time in a run of 20,000 ads and most of a small daily
# delta's. Each run's largest worker vocabulary is kept in the cache folder and the next run's
# parent starts with it before forking, so its workers learn only the words that are new.

# Snapshots smaller than the vocabulary a run started with, plus this, are not written.
VOCABULARY_SAVE_MIN_GROWTH = 1000


def vocabulary_snapshot_path() -> Path:
    """Where the vocabulary of the taxonomy and code in force is kept between runs: the key
    holds the pinned taxonomy terms and a hash of the code that fills the vocabulary's columns
    (the lemmatiser and its dictionaries' version, the marks' questions), so either change
    starts from scratch."""
    folder = _cache_folder()
    key = vocabulary.snapshot_key(vocabulary.current(), salt=_vocabulary_salt())
    return folder / f"jobs-vocabulary-{key}-py{sys.version_info[1]}.pickle"


@functools.cache
def _vocabulary_salt() -> bytes:
    """The code part of the key: read once per process (the run's start and end both ask)."""
    import simplemma

    from vagval.jobs import normalise
    from vagval.taxonomy import normalize

    code = hashlib.blake2b(digest_size=10)
    code.update(getattr(simplemma, "__version__", "?").encode())
    for module in (vocabulary, normalize, normalise, sys.modules[__name__]):
        code.update(Path(str(module.__file__)).read_bytes())
    return code.digest()


def _vocabulary_path_or_none() -> Path | None:
    """`vocabulary_snapshot_path()`, or None where there is no configured Django (the pipeline
    run on its own) or the key cannot be made."""
    try:
        return vocabulary_snapshot_path()
    except Exception:  # without a place to keep it, nothing is kept
        return None


def vocabulary_restore() -> bool:
    """Start this process's vocabulary from the kept snapshot, if there is one for it (and the
    vocabulary holds nothing yet but the taxonomy's terms). A broken file is ignored."""
    path = vocabulary_snapshot_path()
    if not path.is_file():
        return False
    try:
        with path.open("rb") as fh:
            words = vocabulary.Vocabulary.from_snapshot(pickle.load(fh))  # noqa: S301 - ours
    except Exception:  # a broken cache is only a cold start
        logger.warning("vocabulary snapshot %s unreadable; starting without it", path)
        return False
    return vocabulary.install(words)


def _vocabulary_write(path: Path, words: vocabulary.Vocabulary) -> Path:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tmp.open("wb") as fh:
        pickle.dump(words.snapshot(), fh, protocol=pickle.HIGHEST_PROTOCOL)
    return tmp


def _vocabulary_keep(path: Path, written: list[tuple[str, int]]) -> None:
    """Keep the largest of the snapshots written (temporary files) as `path`; drop the rest,
    and the snapshots of other keys (an older taxonomy or code)."""
    if not written:
        return
    best, _tokens = max(written, key=lambda item: item[1])
    for tmp, _n in written:
        if tmp != best:
            Path(tmp).unlink(missing_ok=True)
    Path(best).replace(path)
    for old in path.parent.glob("jobs-vocabulary-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)


def _vocabulary_save_here(path: Path, *, min_tokens: int) -> None:
    words = vocabulary.current()
    if len(words) < min_tokens:
        return
    try:
        _vocabulary_keep(path, [(str(_vocabulary_write(path, words)), len(words))])
    except OSError as exc:
        logger.warning("vocabulary snapshot not written: %s", exc)


def prepare_context(
    *, now: dt.datetime | None = None, enrich: bool = True, copy_rows: bool = False
) -> StageContext:
    """Build the shared read-only context (place tables, matcher) in this process.

    `copy_rows`: the workers also encode each ad's content columns for PostgreSQL's COPY
    (`NormalisedAd.copy_fields`), work the serial writer would otherwise do."""
    global _CONTEXT
    matcher = load_matcher() if enrich else None
    if matcher is not None:
        vocabulary_restore()
        # Load the lemmatiser's dictionaries (~2 s) here, once: forked workers share them.
        matcher.find("Vi söker utvecklare och sjuksköterskor. We are hiring developers.")
    _CONTEXT = StageContext(
        places=get_place_resolver(),
        matcher=matcher,
        now=now or dt.datetime.now(dt.UTC),
        copy_rows=copy_rows,
    )
    return _CONTEXT


# --- stages ---------------------------------------------------------------------------------


class _Reject(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # NUL has no place in text and PostgreSQL refuses it (sources that are not JSON lines
        # can still bring one: JSON arrays, feeds, pages).
        return value.replace("\x00", "") if "\x00" in value else value
    raise _Reject(QuarantineReason.WRONG_TYPE, f"Fältet {name} ska vara text.")


def _url(value: Any) -> str:
    if isinstance(value, str) and value.startswith(("http://", "https://")) and len(value) <= 2000:
        return value.strip()
    return ""


def _stated_ids(value: Any) -> list[str]:
    """Concept ids a source states itself: a list of strings, anything else is an error."""
    if value is None or value == "" or value == ():
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _Reject(QuarantineReason.WRONG_TYPE, "Fältet skill_ids ska vara en lista med id.")
    return [v for v in dict.fromkeys(v.strip() for v in value) if v]


def _remote_work(given: Any, headline: str, text: str, tokens: _Tokens) -> str:
    """The source's own statement when it makes one, else what the text says."""
    stated = _text(given, "remote_work").strip().lower()
    if stated in ("full", "hybrid"):
        return stated
    # Most ads say nothing of it: the token marks tell so without scanning the text again.
    if not tokens.words.marks("remote", may_mention_remote)[tokens.ids].any():
        return ""
    return remote_work_detect(headline, text)


def _date(value: Any, name: str) -> dt.datetime | None:
    if value is None or value == "":
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise _Reject(QuarantineReason.WRONG_TYPE, f"Fältet {name} är inget datum: {value!r:.60}.")
    return parsed


def _resolve_place(ad: ParsedAd, places: PlaceResolver) -> tuple[str, str]:
    """(municipality id, region id); raises _Reject for an unknown place in a strict source."""
    mid = _text(ad.municipality_id, "municipality_concept_id").strip()
    code = _text(ad.municipality_code, "municipality_code").strip()
    name = clean_line(_text(ad.municipality_name, "municipality"))
    place = None
    if mid:
        place = places.municipality(mid)
        if place is None and ad.strict_location:
            raise _Reject(
                QuarantineReason.UNKNOWN_MUNICIPALITY,
                f"Kommunens begrepps-id {mid!r} finns inte i taxonomin.",
            )
    elif code:
        place = places.by_municipality_code(code)
        if place is None and ad.strict_location:
            raise _Reject(QuarantineReason.UNKNOWN_MUNICIPALITY, f"Okänd kommunkod {code!r}.")
    elif name:
        place = places.by_place_name(name)
        if place is None and ad.strict_location:
            raise _Reject(QuarantineReason.UNKNOWN_MUNICIPALITY, f"Okänd kommun {name!r}.")
    if place is not None:
        return place.municipality_id, place.region_id
    region_id = _text(ad.region_id, "region_concept_id").strip()
    if region_id and region_id in places.regions:
        return "", region_id
    return "", places.region_id(
        code=_text(ad.region_code, "region_code"), name=_text(ad.region_name, "region")
    )


@dataclass(slots=True)
class _Tokens:
    """One ad's text, tokenised once for the matcher and for deduplication."""

    ids: np.ndarray  # ids in `words` of the TOKEN_RE tokens (lower case) of headline + text
    words: vocabulary.Vocabulary
    body_ids: np.ndarray  # the ids of the text's tokens alone
    text_word_hashes: np.ndarray  # crc32 of each \w+ word of the text (the shingles' unit)

    def text_words_joined(self) -> bytes:
        r"""The \w+ words of the text, space-separated, UTF-8 (what the content hash reads)."""
        return self.words.words_bytes(self.body_ids)

    def first_text_words(self, count: int) -> list[str]:
        r"""The first `count` \w+ words of the text (a token holds at least one)."""
        head = self.words.words_bytes(self.body_ids[:count])
        return head.decode("utf-8", "surrogatepass").split()[:count]

    def language(self) -> str:
        """`detect_language(self.first_text_words(LANGUAGE_WORDS))`, from per-token counts of
        function words (one gather) instead of the words themselves."""
        words, ids = self.words, self.body_ids[:LANGUAGE_WORDS]  # a token holds >= 1 word
        ends = np.cumsum(words.word_count[ids])
        whole = int(np.searchsorted(ends, LANGUAGE_WORDS, side="right"))  # tokens wholly in
        sv = int(words.tallies("sv-words", _swedish_words)[ids[:whole]].sum())
        en = int(words.tallies("en-words", _english_words)[ids[:whole]].sum())
        left = LANGUAGE_WORDS - (int(ends[whole - 1]) if whole else 0)
        if whole < len(ids) and left > 0:  # the words of a token cut by the limit
            part_sv, part_en = function_word_counts(words.word_form[ids[whole]].split()[:left])
            sv, en = sv + part_sv, en + part_en
        return language_of_counts(sv, en)


def _swedish_words(token: str) -> int:
    return function_word_counts(vocabulary.token_words(token))[0]


def _english_words(token: str) -> int:
    return function_word_counts(vocabulary.token_words(token))[1]


def _tokenise(headline: str, text: str) -> _Tokens:
    r"""Tokens of headline + text, and the hashes of the text's words, from one pass over each.

    Every `\w+` run lies inside exactly one TOKEN_RE token ("node.js", "c#", "it-tekniker"
    hold several), so the words are the tokens' words in order, which the vocabulary keeps
    per token: the same list `tokens(text)` gives, without scanning the text again."""
    words = vocabulary.current()
    head_ids = words.tokenise(headline, lower=True)
    body_ids = words.tokenise(text, lower=True)
    ids = np.concatenate((head_ids, body_ids))
    return _Tokens(ids, words, body_ids, words.word_hashes_of(body_ids))


def _enrich(matcher: Matcher | None, tokens: _Tokens) -> tuple[list[str], list[str]]:
    if matcher is None:
        return [], []
    occupations: dict[str, None] = {}
    skills: dict[str, None] = {}
    found = matcher.find_tokens(
        tokens.ids, tokens.words, types=OCCUPATION_TYPES | SKILL_TYPES, matched=False
    )
    for hit in found:
        if hit.type in OCCUPATION_TYPES:
            occupations[hit.concept_id] = None
        elif hit.type in SKILL_TYPES:
            skills[hit.concept_id] = None
    return list(occupations), list(skills)


def normalise(ad: ParsedAd, ctx: StageContext) -> NormalisedAd | Rejection:
    """Clean, check and key one parsed ad; a Rejection says what is wrong with it."""
    try:
        return _normalise(ad, ctx)
    except _Reject as exc:
        return Rejection(ad.source, ad.source_id, str(exc.reason), exc.message, ad.raw, ad.origin)


def _normalise(ad: ParsedAd, ctx: StageContext) -> NormalisedAd:
    headline = clean_line(_text(ad.headline, "headline"))
    if not headline:
        raise _Reject(QuarantineReason.MISSING_FIELD, "Annonsen saknar rubrik.")
    html_in = _text(ad.description_html, "description")
    text_in = _text(ad.description_text, "description")
    size = len(html_in) + len(text_in)
    if size > MAX_DESCRIPTION_CHARS:
        raise _Reject(
            QuarantineReason.TOO_LARGE,
            f"Beskrivningen har {size:,} tecken; gränsen är {MAX_DESCRIPTION_CHARS:,}.",
        )
    if is_hostile_html(html_in) or is_hostile_html(text_in) or is_hostile_html(headline):
        raise _Reject(
            QuarantineReason.HOSTILE_HTML,
            "Annonsen innehåller skript, händelseattribut eller skript-länkar i HTML.",
        )
    if html_in.strip():
        html = sanitise_html(html_in)
        text = html_to_text(html)
        if not text and text_in:
            text = clean_text(text_in)
    else:
        # Plain text only: no HTML copy is stored; `JobAd.description_as_html` renders the
        # text when asked (half the bytes per ad, written, logged and compressed once fewer).
        text = clean_text(text_in)
        html = ""
    if not text:
        raise _Reject(QuarantineReason.MISSING_FIELD, "Annonsen saknar beskrivning.")
    municipality_id, region_id = _resolve_place(ad, ctx.places)
    employer = clean_line(_text(ad.employer_name, "employer"))[:300]
    org_number = normalise_org_number(ad.employer_org_number)
    published_at = _date(ad.published_at, "publiceringsdatum")
    deadline = _date(ad.application_deadline, "sista ansökningsdag")

    tokenised = _tokenise(headline, text)
    sig = dedup.minhash_of_words(tokenised.text_word_hashes)
    t_key = title_key(headline)[:500]
    e_key = employer_key(employer)[:300]
    occupation_ids, skill_ids = _enrich(ctx.matcher, tokenised)
    own_occupation = _text(ad.occupation_id, "occupation.concept_id").strip()
    if own_occupation and own_occupation not in occupation_ids:
        occupation_ids.insert(0, own_occupation)
    stated_skills = _stated_ids(ad.skill_ids)
    if stated_skills:  # the source's own choice first, then what the text adds
        skill_ids = [*stated_skills, *(s for s in skill_ids if s not in stated_skills)]
    values: dict[str, Any] = {
        "url": _url(ad.url),
        "apply_url": _url(ad.apply_url),
        "headline": headline[:MAX_HEADLINE_CHARS],
        "description_text": text,
        "description_html": html,
        "language": tokenised.language(),
        "employer_name": employer,
        "employer_org_number": org_number,
        "location_label": clean_line(_text(ad.location_label, "location"))[:200],
        "municipality_concept_id": municipality_id,
        "region_concept_id": region_id,
        "country_code": clean_line(_text(ad.country_code, "country_code"))[:8],
        "occupation_concept_id": own_occupation,
        "occupation_group_concept_id": _text(ad.occupation_group_id, "occupation_group").strip(),
        "occupation_field_concept_id": _text(ad.occupation_field_id, "occupation_field").strip(),
        "occupation_ids": occupation_ids,
        "skill_ids": skill_ids,
        "employment_type": clean_line(_text(ad.employment_type, "employment_type"))[:200],
        "working_hours": clean_line(_text(ad.working_hours, "working_hours"))[:200],
        "duration": clean_line(_text(ad.duration, "duration"))[:200],
        "remote_work": _remote_work(ad.remote_work, headline, text, tokenised),
        "published_at": published_at,
        "application_deadline": deadline,
    }
    content_hash = digest(e_key, headline.lower(), tokenised.text_words_joined())
    record_hash = digest(
        *(
            f"{k}={v}"
            for k, v in values.items()
            if k not in ("description_text", "description_html")
        ),
        content_hash,
        html,
    )
    normalised = NormalisedAd(
        source=ad.source,
        source_id=ad.source_id.replace("\x00", "")[:255],
        origin=ad.origin,
        content_hash=content_hash,
        record_hash=record_hash,
        minhash=dedup.signature_bytes(sig),
        band_keys=dedup.band_keys(sig, employer_key=e_key, title_key=t_key),
        title_key=t_key,
        employer_key=e_key,
        raw=ad.raw,
        **values,
    )
    if ctx.copy_rows:
        normalised.copy_fields = copyrows.encode_fields(
            map(normalised.__getattribute__, CONTENT_COLUMNS)
        )
    return normalised


def process_record(raw: RawRecord, ctx: StageContext) -> Result:
    adapter = get_adapter(raw.source)
    try:
        parsed: ParseResult = adapter.parse(raw)
    except Exception as exc:
        logger.exception("parser crashed on %s", raw.origin)
        return Rejection(
            raw.source,
            raw.source_id or "",
            str(QuarantineReason.MALFORMED),
            f"Posten kunde inte tolkas: {type(exc).__name__}: {exc}",
            raw.payload,
            raw.origin,
        )
    if isinstance(parsed, ParsedAd):
        try:
            return normalise(parsed, ctx)
        except Exception as exc:
            logger.exception("normalisation crashed on %s", raw.origin)
            return Rejection(
                parsed.source,
                parsed.source_id,
                str(QuarantineReason.MALFORMED),
                f"Posten kunde inte normaliseras: {type(exc).__name__}: {exc}",
                raw.payload,
                raw.origin,
            )
    return parsed


def process_chunk(chunk: list[RawRecord | Rejection]) -> list[Result]:
    """Parse and normalise a chunk of records (in this process)."""
    ctx = _CONTEXT
    assert ctx is not None, "prepare_context() must run before the workers start"
    return [item if isinstance(item, Rejection) else process_record(item, ctx) for item in chunk]


def _process_chunk_in_worker(chunk: list[RawRecord | Rejection]) -> list[Result]:
    """Worker entry point: like `process_chunk`, but the good ads come back without their raw
    payload, which the parent still holds (`_reattach_raw`): it is most of the bytes a result
    would be pickled with, and the writer needs it only for the rare repeated id. An ad whose
    COPY fields are encoded comes back without its texts too (`slim`): the COPY fields hold
    them, so they would cross the pipe twice, and the writer reads them only to update an ad,
    from `ad_with_texts`."""
    results = process_chunk(chunk)
    for item in results:
        if isinstance(item, NormalisedAd):
            item.raw = None
            if item.copy_fields:
                for name, blank in _SLIM_BLANKS:
                    setattr(item, name, blank() if callable(blank) else blank)
                item.slim = True
    return results


# What the writer reads of an ad it inserts by COPY (`services.AdBatchWriter`: its duplicate
# decision and activity). A slim ad's other content columns cross the pipe only in its COPY
# fields: each field pickled and loaded again cost ~13 us per ad, half of it on the writer's
# process, for values the writer never reads (an update normalises the ad again).
_SLIM_KEEPS = frozenset(
    {
        "employer_org_number",
        "application_deadline",
        "content_hash",
        "record_hash",
        "minhash",
        "title_key",
        "employer_key",
    }
)
_SLIM_BLANKS: tuple[tuple[str, Any], ...] = tuple(
    (
        name,
        list if name in ("occupation_ids", "skill_ids") else None if name == "published_at" else "",
    )
    for name in CONTENT_COLUMNS
    if name not in _SLIM_KEEPS
)


def _reattach_raw(chunk: list[RawRecord | Rejection], results: list[Result]) -> list[Result]:
    for record, item in zip(chunk, results, strict=True):
        if isinstance(item, NormalisedAd) and isinstance(record, RawRecord):
            item.raw = record.payload
            if item.slim:
                item.record = record
    return results


def ad_with_texts(ad: NormalisedAd) -> NormalisedAd:
    """The ad with every field, `slim` or not: a slim ad (its content columns only in its COPY
    fields) is normalised again from its record (in this process, with the same context, so to
    the same values)."""
    if not ad.slim:
        return ad
    assert ad.record is not None, "a slim ad keeps its record"
    ctx = _CONTEXT
    assert ctx is not None, "prepare_context() must run before the workers start"
    full = process_record(ad.record, ctx)
    if not isinstance(full, NormalisedAd) or full.record_hash != ad.record_hash:
        raise RuntimeError(f"ad {ad.source}:{ad.source_id} normalised differently in the writer")
    full.raw = ad.raw
    return full


# --- orchestration ----------------------------------------------------------------------------


class BatchWriter(Protocol):
    def write(self, results: list[Result]) -> None: ...


def read_records(source: str, paths: list[Path]) -> Iterator[RawRecord | Rejection]:
    """Every raw record of every input file, streamed."""
    adapter = get_adapter(source)
    for path in iter_input_files(paths, adapter.extensions):
        yield from adapter.records(path)


def _chunks(records: Iterable[RawRecord | Rejection], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def default_workers() -> int:
    """Worker processes: the CPUs this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(slots=True)
class RunStats:
    read: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def run(
    records: Iterable[RawRecord | Rejection],
    writer: BatchWriter,
    *,
    workers: int = 1,
    write_batch: int = WRITE_BATCH,
    progress: Callable[[int], None] | None = None,
) -> RunStats:
    """Feed records through the CPU stages (in `workers` processes) into `writer`, in order.

    With more than one worker, and more than two chunks of input, the stages run in a fork pool
    and the writing overlaps them (see `_run_pool`); the input is never read far ahead.
    """
    stats = RunStats()
    with _collector_for_bulk_work():
        _run_stages(
            records, writer, stats, workers=workers, write_batch=write_batch, progress=progress
        )
    return stats


def _run_stages(
    records: Iterable[RawRecord | Rejection],
    writer: BatchWriter,
    stats: RunStats,
    *,
    workers: int,
    write_batch: int,
    progress: Callable[[int], None] | None,
) -> None:
    t_start = time.perf_counter()
    timer = _StageTimer()
    chunks = _chunks(records, CHUNK_SIZE)
    head: list[list[Any]] = []
    for chunk in chunks:
        head.append(chunk)
        if len(head) > 2:
            break
    use_pool = workers > 1 and len(head) > 2 and "fork" in multiprocessing.get_all_start_methods()

    def write(batch: list[Result]) -> None:
        stats.read += len(batch)
        with timer.measure("write"):
            writer.write(batch)
        if progress:
            progress(len(batch))

    keep = _vocabulary_path_or_none()
    if not use_pool:
        start_tokens = len(vocabulary.current())
        pending: list[Result] = []
        for chunk in [*head, *chunks]:
            with timer.measure("parse_normalise"):
                pending.extend(process_chunk(chunk))
            if len(pending) >= write_batch:
                write(pending)
                pending = []
        if pending:
            write(pending)
        if keep is not None:
            _vocabulary_save_here(keep, min_tokens=start_tokens + VOCABULARY_SAVE_MIN_GROWTH)
    else:
        _run_pool(
            itertools.chain(head, chunks),
            write,
            workers=workers,
            write_batch=write_batch,
            timer=timer,
            keep_vocabulary=keep,
        )
    stats.timings = {
        "total": round(time.perf_counter() - t_start, 3),
        **timer.rounded(),
        "workers": workers if use_pool else 1,
    }


# Young-generation threshold while a run is on (CPython's default is 700 allocations).
BULK_GC_THRESHOLD = 100_000


@contextmanager
def _collector_for_bulk_work() -> Iterator[None]:
    """Python's cyclic garbage collector tuned for a run, then restored.

    A run allocates millions of short-lived objects (each result unpickled, each row read) and
    builds long-lived ones (the candidate memory, the seen ids). At the default thresholds the
    collector ran every 700 allocations and, every so often, walked the whole heap: ~8 % of
    the writing process's CPU, on the serial stage. What exists when the run starts (the
    settings, the matcher, the vocabulary) is frozen out of the collector's sight, which also
    spares the forked workers copying those pages when a collection would touch them; the
    young generation is collected every BULK_GC_THRESHOLD allocations. Cycles are still
    collected, only less often."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(BULK_GC_THRESHOLD, thresholds[1], thresholds[2])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


class _StageTimer:
    """Wall seconds per stage, and the CPU seconds of the writing (this thread only)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def measure(self, stage: str) -> Iterator[None]:
        t, c = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - t
            if stage == "write":
                self.seconds["write_cpu"] += time.thread_time() - c

    def rounded(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in self.seconds.items()}


_DONE = object()
# How much the workers step back for the writer (a nice increment, 0-19).
WORKER_NICENESS = 10


_WORKER_BARRIER: Any = None  # set in each pool worker (`_worker_init`)


def _worker_init(barrier: Any) -> None:
    global _WORKER_BARRIER
    _WORKER_BARRIER = barrier
    _worker_yields_cpu()


def _vocabulary_save_in_worker(path: str, min_tokens: int) -> tuple[str, int] | None:
    """Pool task, sent once per worker: write this worker's vocabulary next to `path` and say
    where and how large. Each first waits at the barrier for the others, so that no worker
    takes two of these tasks and every worker's vocabulary is offered."""
    if _WORKER_BARRIER is not None:
        try:
            _WORKER_BARRIER.wait(timeout=30)
        except threading.BrokenBarrierError:
            return None
    words = vocabulary.current()
    if len(words) < min_tokens:
        return None
    return str(_vocabulary_write(Path(path), words)), len(words)


def _vocabulary_save_from_workers(pool: Any, *, workers: int, path: Path, min_tokens: int) -> None:
    try:
        pending = [
            pool.apply_async(_vocabulary_save_in_worker, (str(path), min_tokens))
            for _ in range(workers)
        ]
        written = [item for item in (p.get(timeout=60) for p in pending) if item]
        _vocabulary_keep(path, written)
    except Exception as exc:  # the run's ads are written; this is only a cache
        logger.warning("vocabulary snapshot not written: %s", exc)


def _worker_yields_cpu() -> None:
    """Pool initializer: the workers run at a lower scheduling priority than this process.

    The writer is the serial stage: every ad passes through its one thread and its one
    PostgreSQL backend, while the workers are ahead of it and wait on a full queue much of the
    time. When all of them want the same cores (PostgreSQL on the same machine), the scheduler
    should serve the writer and the database first and give the workers what is left; at equal
    priority it shares the cores evenly and the serial stage crawls."""
    with suppress(OSError):  # not permitted here: equal priority, as before
        os.nice(WORKER_NICENESS)


def _run_pool(
    chunks: Iterator[list[Any]],
    write: Callable[[list[Result]], None],
    *,
    workers: int,
    write_batch: int,
    timer: _StageTimer,
    keep_vocabulary: Path | None = None,
) -> None:
    """Normalise in a fork pool while this thread writes; at the end, keep the largest worker
    vocabulary as `keep_vocabulary` (when given) for the next run.

    A feeder thread keeps a bounded number of chunks in flight in the pool and hands complete
    batches, in input order, to this thread over a small queue; this thread only writes, so the
    database works while the workers parse, instead of each waiting for the other. The writing
    stays on this thread because the database connection (the ingest lock, and in tests the open
    transaction) belongs to it. The pool is forked before the feeder thread starts: forking a
    process that runs other threads could copy a lock one of them holds.

    Workers never touch the database, and they end through os._exit (pool termination), so the
    parent's connection stays open and usable.
    """
    batches: queue.Queue[Any] = queue.Queue(maxsize=2)
    stop = threading.Event()
    # Enough chunks in flight that the workers never wait for the feeder, never more: the
    # input is not read far ahead.
    max_in_flight = workers * 2 + 2

    def hand_over(item: Any) -> bool:
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def feed(pool: Any) -> None:
        try:
            in_flight: deque[Any] = deque()
            batch: list[Result] = []
            exhausted = False
            while not stop.is_set():
                while not exhausted and len(in_flight) < max_in_flight:
                    try:
                        chunk = next(chunks)
                    except StopIteration:
                        exhausted = True
                        break
                    in_flight.append((chunk, pool.apply_async(_process_chunk_in_worker, (chunk,))))
                if not in_flight:
                    break
                chunk, result = in_flight.popleft()
                batch.extend(_reattach_raw(chunk, result.get()))
                if len(batch) >= write_batch:
                    if not hand_over(batch):
                        return
                    batch = []
            if batch and not hand_over(batch):
                return
            hand_over(_DONE)
        except BaseException as exc:  # handed to the writing thread, which raises it
            hand_over(exc)

    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(workers)
    min_tokens = len(vocabulary.current()) + VOCABULARY_SAVE_MIN_GROWTH
    with ctx.Pool(processes=workers, initializer=_worker_init, initargs=(barrier,)) as pool:
        feeder = threading.Thread(target=feed, args=(pool,), name="ingest-feeder", daemon=True)
        feeder.start()
        try:
            while True:
                with timer.measure("wait_for_workers"):
                    item = batches.get()
                if item is _DONE:
                    break
                if isinstance(item, BaseException):
                    raise item
                write(item)
        finally:
            stop.set()
            feeder.join()
        if keep_vocabulary is not None:
            _vocabulary_save_from_workers(
                pool, workers=workers, path=keep_vocabulary, min_tokens=min_tokens
            )


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()
