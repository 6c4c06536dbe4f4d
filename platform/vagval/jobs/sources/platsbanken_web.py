"""Ads scraped from the Platsbanken web pages (`jobads/platsbanken_web_*.jsonl.gz`).

Each record has `title`, `company` ("Employer -  Municipality", as the page shows it), `location`
(the län), a relative `url` (`/platsbanken/annonser/<id>`), `omfattning`, `varaktighet`,
`anställningsform`, `link_to_apply` (the employer's application page, kept as a second link) and a
plain-text `description`. There are no dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

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
from vagval.jobs.sources.jobtech import split_response
from vagval.jobs.sources.readers import iter_json_values

NAME = "platsbanken-web"
BASE_URL = "https://arbetsformedlingen.se"
_ID_RE = re.compile(r"/annonser/(\d+)")
_COMPANY_SPLIT_RE = re.compile(r"\s+-\s+(?=[^-]*$)")
NO_APPLY_LINK = "Cannot find link to apply"


class PlatsbankenWebSource:
    name: str = NAME
    extensions: tuple[str, ...] = (".json", ".jsonl")

    def records(self, path: Path) -> Iterator[RawRecord | Rejection]:
        for item in iter_json_values(path, NAME):
            if isinstance(item, Rejection):
                yield item
            elif isinstance(item[0], str | bytes):  # a JSON-lines line, decoded in a worker
                yield RawRecord(NAME, None, item[0], item[1])
            else:
                for value, origin in split_response(item[0], item[1]):
                    yield RawRecord(NAME, None, value, origin)

    def parse(self, raw: RawRecord) -> ParseResult:
        data = load_json(raw)
        if isinstance(data, Rejection):
            return data
        if not isinstance(data, dict):
            return reject(raw, QuarantineReason.WRONG_TYPE, "En annons ska vara ett JSON-objekt.")
        try:
            url = text_field(data.get("url"), "url")
            match = _ID_RE.search(url)
            if not match:
                return reject(
                    raw,
                    QuarantineReason.MISSING_FIELD,
                    "Annonsen saknar url med annons-id (/platsbanken/annonser/<id>).",
                )
            source_id = match.group(1)
            title = data.get("title")
            if not isinstance(title, str):
                if title is None:
                    return reject(
                        raw, QuarantineReason.MISSING_FIELD, "Annonsen saknar titel.", source_id
                    )
                return reject(
                    raw, QuarantineReason.WRONG_TYPE, "Fältet title ska vara text.", source_id
                )
            description = data.get("description")
            if description is not None and not isinstance(description, str):
                return reject(
                    raw, QuarantineReason.WRONG_TYPE, "Fältet description ska vara text.", source_id
                )
            company = text_field(data.get("company"), "company")
            employer, sep, municipality = company.rpartition(" -  ")  # as the page shows it
            if not sep:
                parts = _COMPANY_SPLIT_RE.split(company, maxsplit=1)
                employer, municipality = (parts[0], parts[1]) if len(parts) == 2 else (company, "")
            apply_url = text_field(data.get("link_to_apply"), "link_to_apply")
            if not apply_url.startswith(("http://", "https://")):
                apply_url = ""
            region_name = text_field(data.get("location"), "location")
            return ParsedAd(
                source=NAME,
                source_id=source_id,
                origin=raw.origin,
                raw=raw.payload,
                headline=title,
                description_text=description or "",
                url=url if url.startswith("http") else BASE_URL + url,
                apply_url=apply_url,
                employer_name=employer,
                municipality_name=municipality,
                region_name=region_name,
                location_label=municipality or region_name,
                working_hours=text_field(data.get("omfattning"), "omfattning"),
                duration=text_field(data.get("varaktighet"), "varaktighet"),
                employment_type=text_field(data.get("anställningsform"), "anställningsform"),
            )
        except TypeError as exc:
            return reject(raw, QuarantineReason.WRONG_TYPE, f"Fel typ: {exc}.")
