"""schema.org `JobPosting`: JSON-LD in career pages, or JSON/JSONL of posting objects.

Accepted input:
- `.html` pages with one or more `<script type="application/ld+json">` blocks; a block may hold a
  JobPosting, a list of them, or an `@graph` with them among other things;
- `.json`/`.jsonl` of bare JobPosting objects, or of objects that wrap one under
  `originalJobPosting` (as JobTech's scraped-ads importer stores them; the wrapper's `id` and
  `url` are used when present).

The ad id is the posting's `identifier` (value, or text), else its `url`, else the wrapper's id.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from lxml import html as lxml_html

from vagval.jobs.models import QuarantineReason
from vagval.jobs.sources.base import (
    ParsedAd,
    ParseResult,
    RawRecord,
    Rejection,
    load_json,
    reject,
    text_field,
)
from vagval.jobs.sources.readers import PREVIEW_BYTES, base_suffix, iter_json_values, read_text

NAME = "jobposting"
_SWEDEN = {"se", "sv", "swe", "sweden", "sverige"}
_LD_JSON_RE = re.compile(r"^\s*<!--|-->\s*$")


def _is_posting(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    kind = obj.get("@type")
    if isinstance(kind, list):
        return "JobPosting" in kind
    return kind == "JobPosting" or "originalJobPosting" in obj


def find_postings(value: Any) -> Iterator[Any]:
    """JobPosting objects in a JSON-LD value: itself, list items, `@graph` members."""
    if isinstance(value, list):
        for item in value:
            yield from find_postings(item)
    elif isinstance(value, dict):
        if _is_posting(value):
            yield value
        elif "@graph" in value:
            yield from find_postings(value["@graph"])


class JobPostingSource:
    name: str = NAME
    extensions: tuple[str, ...] = (".json", ".jsonl", ".html", ".htm")

    def records(self, path: Path) -> Iterator[RawRecord | Rejection]:
        if base_suffix(path) in (".html", ".htm"):
            yield from self._html_records(path)
            return
        for item in iter_json_values(path, NAME):
            if isinstance(item, Rejection):
                yield item
            elif isinstance(item[0], str | bytes):  # a JSON-lines line, decoded in a worker
                yield RawRecord(NAME, None, item[0], item[1])
            else:
                value, origin = item
                found = False
                for i, posting in enumerate(find_postings(value)):
                    found = True
                    yield RawRecord(NAME, None, posting, f"{origin}#{i}")
                if not found:
                    yield RawRecord(NAME, None, value, origin)  # parse() explains what is wrong

    def _html_records(self, path: Path) -> Iterator[RawRecord | Rejection]:
        text = read_text(path)
        try:
            doc = lxml_html.fromstring(text) if text.strip() else None
        except (ValueError, lxml_html.etree.ParserError) as exc:
            yield Rejection(
                NAME,
                "",
                str(QuarantineReason.MALFORMED),
                f"Ogiltig HTML: {exc}",
                text[:PREVIEW_BYTES],
                str(path),
            )
            return
        blocks = doc.xpath('//script[@type="application/ld+json"]') if doc is not None else []
        found = 0
        for b, block in enumerate(blocks):
            body = _LD_JSON_RE.sub("", block.text or "")
            try:
                value = _load_ld_json(body)
            except ValueError as exc:
                yield Rejection(
                    NAME,
                    "",
                    str(QuarantineReason.MALFORMED),
                    f"Ogiltig JSON-LD i block {b + 1}: {exc}",
                    body,
                    f"{path}#ld{b}",
                )
                continue
            for i, posting in enumerate(find_postings(value)):
                found += 1
                yield RawRecord(NAME, None, posting, f"{path}#ld{b}.{i}")
        if not found and not blocks:
            yield Rejection(
                NAME,
                "",
                str(QuarantineReason.UNSUPPORTED),
                "Sidan har ingen JobPosting i JSON-LD.",
                text[:PREVIEW_BYTES],
                str(path),
            )

    def parse(self, raw: RawRecord) -> ParseResult:
        data = load_json(raw)
        if isinstance(data, Rejection):
            return data
        if not isinstance(data, dict):
            return reject(
                raw, QuarantineReason.WRONG_TYPE, "En JobPosting ska vara ett JSON-objekt."
            )
        wrapper: dict[str, Any] = {}
        if isinstance(data.get("originalJobPosting"), dict):
            wrapper, data = data, data["originalJobPosting"]
        if not _is_posting(data) and not wrapper:
            return reject(
                raw, QuarantineReason.UNSUPPORTED, "Objektet är ingen schema.org JobPosting."
            )
        try:
            return _parse_posting(raw, data, wrapper)
        except TypeError as exc:
            return reject(raw, QuarantineReason.WRONG_TYPE, f"Fel typ: {exc}.")


def _load_ld_json(body: str) -> Any:
    """A JSON-LD block's value. Career pages often put raw line breaks and tabs inside JSON
    strings (a CMS pasting the description as typed), which strict JSON forbids; browsers and
    search engines read such blocks, so a second, lenient reading accepts them."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as strict_error:
        try:
            return json.loads(body, strict=False)
        except ValueError:
            raise ValueError(str(strict_error)) from None


def _unescaped(value: str) -> str:
    """Text with its HTML entities decoded: some sites escape once more than JSON needs
    ("Lager &amp; logistik", a description of "&lt;p&gt;...")."""
    return html.unescape(value) if "&" in value else value


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text_or_name(value: Any, name: str) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return text_field(value.get("name") or value.get("value") or value.get("@id"), name)
    return text_field(value, name)


def _identifier(data: dict[str, Any], wrapper: dict[str, Any]) -> str:
    ident = _first(data.get("identifier"))
    if isinstance(ident, dict):
        value = ident.get("value") or ident.get("@id")
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            prefix = ident.get("name")
            return f"{prefix}:{value}" if isinstance(prefix, str) and prefix.strip() else str(value)
    elif isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip():
        return str(ident)
    for value in (data.get("url"), wrapper.get("id"), wrapper.get("url"), data.get("@id")):
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value)
    return ""


def _place(data: dict[str, Any]) -> tuple[str, str, str, str]:
    """(locality, region, postal code, country) of the first job location."""
    location = _first(data.get("jobLocation"))
    address = location.get("address") if isinstance(location, dict) else None
    address = _first(address)
    if isinstance(address, str):
        return address, "", "", ""
    if not isinstance(address, dict):
        return "", "", "", ""
    country = address.get("addressCountry")
    if isinstance(country, dict):
        country = country.get("name") or country.get("identifier") or ""
    return (
        text_field(address.get("addressLocality"), "addressLocality"),
        text_field(address.get("addressRegion"), "addressRegion"),
        text_field(address.get("postalCode"), "postalCode"),
        text_field(country, "addressCountry"),
    )


def _remote_work(data: dict[str, Any]) -> str:
    """schema.org marks a remote job with jobLocationType TELECOMMUTE; with a physical
    jobLocation beside it the job is (at least partly) on site, so hybrid."""
    kinds = data.get("jobLocationType")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if not any(isinstance(k, str) and k.strip().upper() == "TELECOMMUTE" for k in kinds):
        return ""
    return "hybrid" if data.get("jobLocation") else "full"


def _parse_posting(raw: RawRecord, data: dict[str, Any], wrapper: dict[str, Any]) -> ParseResult:
    source_id = _identifier(data, wrapper)
    if not source_id:
        return reject(
            raw,
            QuarantineReason.MISSING_FIELD,
            "JobPosting saknar identifier och url, så den kan inte kännas igen igen.",
        )
    title = data.get("title")
    if title is None or title == "":
        title = data.get("name")  # schema.org's generic name, which some sites use instead
    if title is None or title == "":
        return reject(raw, QuarantineReason.MISSING_FIELD, "JobPosting saknar title.", source_id)
    if not isinstance(title, str):
        return reject(raw, QuarantineReason.WRONG_TYPE, "Fältet title ska vara text.", source_id)
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        return reject(
            raw, QuarantineReason.WRONG_TYPE, "Fältet description ska vara text.", source_id
        )
    if description and "<" not in description and "&lt;" in description:
        # HTML escaped once too often: read it as the HTML it is (so it is sanitised, and
        # checked for active content, like any other), not as text full of tags.
        description = html.unescape(description)
    org = _first(data.get("hiringOrganization"))
    employer = ""
    org_number: Any = ""
    if isinstance(org, dict):
        employer = text_field(org.get("name") or org.get("legalName"), "hiringOrganization.name")
        org_number = (
            org.get("taxID")
            or org.get("vatID")
            or _text_or_name(org.get("identifier"), "identifier")
        )
    elif isinstance(org, str):
        employer = org
    locality, region, _postal, country = _place(data)
    employment = data.get("employmentType")
    if isinstance(employment, list):
        employment = ", ".join(str(e) for e in employment if isinstance(e, str))
    in_sweden = not country or country.strip().lower() in _SWEDEN
    url = data.get("url") if isinstance(data.get("url"), str) else wrapper.get("url")
    return ParsedAd(
        source=NAME,
        source_id=source_id,
        origin=raw.origin,
        raw=raw.payload,
        headline=_unescaped(title),
        description_html=description or "",
        url=url if isinstance(url, str) else "",
        apply_url="",
        employer_name=_unescaped(employer),
        employer_org_number=org_number if isinstance(org_number, str) else "",
        municipality_name=locality if in_sweden else "",
        region_name=region if in_sweden else "",
        country_code="SE" if in_sweden and (locality or region) else (country or ""),
        location_label=", ".join(p for p in (locality, region) if p) or country or "",
        strict_location=False,
        employment_type=text_field(employment, "employmentType"),
        remote_work=_remote_work(data),
        published_at=data.get("datePosted"),
        application_deadline=data.get("validThrough"),
    )
