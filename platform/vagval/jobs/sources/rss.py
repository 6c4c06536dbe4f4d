"""RSS 2.0 and Atom feeds of job ads (career sites, job boards), read with feedparser.

One entry is one ad: its `id`/`guid` (else its link) is the ad id, `title` the headline, the
content or summary the description (HTML), `author` the employer (else the feed's title), and a
`location`-like element, when the feed has one, the place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser

from vagval.jobs.models import QuarantineReason
from vagval.jobs.sources.base import ParsedAd, ParseResult, RawRecord, Rejection, reject, text_field
from vagval.jobs.sources.readers import PREVIEW_BYTES, open_binary

NAME = "rss"
_PLACE_KEYS = ("job_location", "location", "jobs_location", "city", "region", "georss_featurename")
_EMPLOYER_KEYS = ("job_company", "company", "hiringorganization", "dc_publisher", "author")


def _struct_time(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return dt.datetime(*value[:6]).replace(tzinfo=dt.UTC).isoformat()
    except (TypeError, ValueError):
        return None


class RssSource:
    name: str = NAME
    extensions: tuple[str, ...] = (".xml", ".rss", ".atom")

    def records(self, path: Path) -> Iterator[RawRecord | Rejection]:
        with open_binary(path) as fh:
            data = fh.read()
        feed = feedparser.parse(data)
        if feed.bozo and not feed.entries:
            yield Rejection(
                NAME,
                "",
                str(QuarantineReason.MALFORMED),
                f"Ogiltigt RSS/Atom-flöde: {feed.get('bozo_exception')}",
                data[:PREVIEW_BYTES].decode("utf-8", "replace"),
                str(path),
            )
            return
        feed_title = feed.feed.get("title", "") if isinstance(feed.feed, dict) else ""
        for i, entry in enumerate(feed.entries):
            payload = _entry_payload(entry, feed_title)
            yield RawRecord(NAME, payload.get("id") or None, payload, f"{path}#item{i}")

    def parse(self, raw: RawRecord) -> ParseResult:
        data = raw.payload
        if not isinstance(data, dict):
            return reject(raw, QuarantineReason.WRONG_TYPE, "Ett flödesinlägg ska vara ett objekt.")
        try:
            source_id = text_field(data.get("id"), "id") or text_field(data.get("link"), "link")
            if not source_id:
                return reject(
                    raw, QuarantineReason.MISSING_FIELD, "Inlägget saknar id/guid och länk."
                )
            title = text_field(data.get("title"), "title")
            if not title.strip():
                return reject(
                    raw, QuarantineReason.MISSING_FIELD, "Inlägget saknar titel.", source_id
                )
            place = text_field(data.get("place"), "place")
            return ParsedAd(
                source=NAME,
                source_id=source_id,
                origin=raw.origin,
                raw=raw.payload,
                headline=title,
                description_html=text_field(data.get("html"), "description"),
                url=text_field(data.get("link"), "link"),
                employer_name=text_field(data.get("employer"), "employer"),
                municipality_name=place,
                location_label=place,
                strict_location=False,
                published_at=data.get("published"),
                application_deadline=data.get("deadline"),
            )
        except TypeError as exc:
            return reject(raw, QuarantineReason.WRONG_TYPE, f"Fel typ: {exc}.")


def _entry_payload(entry: Any, feed_title: str) -> dict[str, Any]:
    """A plain, picklable dict of what we use from a feedparser entry (also the quarantine copy)."""
    content = entry.get("content") or []
    body = ""
    if content and isinstance(content, list):
        body = content[0].get("value", "")
    body = body or entry.get("summary", "") or entry.get("description", "")
    employer = next((entry.get(k) for k in _EMPLOYER_KEYS if entry.get(k)), "") or feed_title
    place = next((entry.get(k) for k in _PLACE_KEYS if entry.get(k)), "")
    return {
        "id": entry.get("id") or entry.get("guid") or "",
        "link": entry.get("link", ""),
        "title": entry.get("title", ""),
        "html": body,
        "employer": employer if isinstance(employer, str) else "",
        "place": place if isinstance(place, str) else "",
        "published": _struct_time(entry.get("published_parsed") or entry.get("updated_parsed")),
        "deadline": entry.get("job_deadline") or entry.get("validthrough") or None,
    }
