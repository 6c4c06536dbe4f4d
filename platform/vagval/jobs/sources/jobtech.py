"""JobTech ads: the JobSearch/JobStream ad object and the older Auranest (Elasticsearch) records.

Accepted input (files `.json`/`.jsonl`, optionally gzipped):
- one ad object; a JSON array of ads; JSON lines of ads;
- a JobSearch `/search` response (`{"total": ..., "hits": [ad, ...]}`);
- a JobStream `/v2/stream` or `/v2/snapshot` body (a JSON array of ads, where an ad with
  `"removed": true` says it was taken down);
- an Elasticsearch response of the Auranest index (`hits.hits[]._source`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vagval.jobs.models import QuarantineReason
from vagval.jobs.sources.base import (
    ParsedAd,
    ParseResult,
    RawRecord,
    Rejection,
    Removal,
    get_path,
    load_json,
    reject,
    text_field,
)
from vagval.jobs.sources.readers import iter_json_values

NAME = "jobtech"
_AURANEST_TAGS = {
    "document": "",
    "/document": "",
    "paragraph": "<p>",
    "/paragraph": "</p>",
    "header": "<h3>",
    "/header": "</h3>",
    "list": "<ul>",
    "/list": "</ul>",
    "item": "<li>",
    "/item": "</li>",
}
_AURANEST_TAG_RE = re.compile(r"<(/?)(document|paragraph|header|list|item)\s*>")


def split_response(value: Any, origin: str) -> Iterator[tuple[Any, str]]:
    """The ads inside one decoded JSON value (a response, a list, or one ad)."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield item, f"{origin}#{i}"
        return
    if isinstance(value, dict):
        hits = value.get("hits")
        if isinstance(hits, dict) and isinstance(hits.get("hits"), list):
            for i, hit in enumerate(hits["hits"]):
                yield hit, f"{origin}#hits.hits[{i}]"
            return
        if isinstance(hits, list) and "headline" not in value:
            for i, hit in enumerate(hits):
                yield hit, f"{origin}#hits[{i}]"
            return
    yield value, origin


class JobTechSource:
    name: str = NAME
    extensions: tuple[str, ...] = (".json", ".jsonl")

    def records(self, path: Path) -> Iterator[RawRecord | Rejection]:
        for item in iter_json_values(path, NAME):
            if isinstance(item, Rejection):
                yield item
                continue
            value, origin = item
            if isinstance(value, str | bytes):  # a JSON-lines line, decoded in a worker
                yield RawRecord(NAME, None, value, origin)
                continue
            for ad, ad_origin in split_response(value, origin):
                yield RawRecord(NAME, None, ad, ad_origin)

    def parse(self, raw: RawRecord) -> ParseResult:
        data = load_json(raw)
        if isinstance(data, Rejection):
            return data
        if not isinstance(data, dict):
            return reject(raw, QuarantineReason.WRONG_TYPE, "En annons ska vara ett JSON-objekt.")
        if isinstance(data.get("_source"), dict):
            data = data["_source"]
        try:
            if "header" in data and isinstance(data.get("content"), dict | None):
                return _parse_auranest(raw, data)
            return _parse_jobtech(raw, data)
        except TypeError as exc:
            return reject(raw, QuarantineReason.WRONG_TYPE, f"Fel typ: {exc}.", _id_of(data))


def _id_of(data: dict[str, Any]) -> str:
    value = data.get("id")
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _label(obj: Any, name: str) -> str:
    if obj is None:
        return ""
    if isinstance(obj, dict):
        return text_field(obj.get("label"), f"{name}.label")
    raise TypeError(f"fältet {name} ska vara ett objekt med label")


def _concept(obj: Any, name: str) -> str:
    if obj is None:
        return ""
    if isinstance(obj, dict):
        return text_field(obj.get("concept_id"), f"{name}.concept_id")
    raise TypeError(f"fältet {name} ska vara ett objekt med concept_id")


def _parse_jobtech(raw: RawRecord, data: dict[str, Any]) -> ParseResult:
    source_id = _id_of(data)
    if not source_id:
        if "id" in data:
            return reject(raw, QuarantineReason.WRONG_TYPE, "Fältet id ska vara text eller tal.")
        return reject(raw, QuarantineReason.MISSING_FIELD, "Annonsen saknar id.")
    if data.get("removed") is True:
        return Removal(NAME, source_id, data.get("removed_date"), raw.origin)
    headline = data.get("headline")
    if headline is None or headline == "":
        return reject(
            raw, QuarantineReason.MISSING_FIELD, "Annonsen saknar rubrik (headline).", source_id
        )
    if not isinstance(headline, str):
        return reject(raw, QuarantineReason.WRONG_TYPE, "Fältet headline ska vara text.", source_id)
    description = data.get("description")
    if isinstance(description, dict):
        text = text_field(description.get("text"), "description.text")
        formatted = text_field(description.get("text_formatted"), "description.text_formatted")
    elif isinstance(description, str):
        text, formatted = description, ""
    elif description is None:
        text, formatted = "", ""
    else:
        raise TypeError("fältet description ska vara ett objekt med text")
    employer = data.get("employer")
    if employer is not None and not isinstance(employer, dict):
        raise TypeError("fältet employer ska vara ett objekt")
    employer = employer or {}
    address = data.get("workplace_address")
    if address is not None and not isinstance(address, dict):
        raise TypeError("fältet workplace_address ska vara ett objekt")
    address = address or {}
    application = data.get("application_details")
    apply_url = get_path(application, "url") if isinstance(application, dict) else ""
    municipality = text_field(address.get("municipality"), "workplace_address.municipality")
    return ParsedAd(
        source=NAME,
        source_id=source_id,
        origin=raw.origin,
        raw=raw.payload,
        headline=headline,
        description_text=text,
        description_html=formatted if "<" in formatted else "",
        url=data.get("webpage_url") or "",
        apply_url=apply_url or "",
        employer_name=text_field(employer.get("name"), "employer.name")
        or text_field(employer.get("workplace"), "employer.workplace"),
        employer_org_number=employer.get("organization_number") or "",
        municipality_id=text_field(
            address.get("municipality_concept_id"), "workplace_address.municipality_concept_id"
        ),
        municipality_code=text_field(
            address.get("municipality_code"), "workplace_address.municipality_code"
        ),
        municipality_name=municipality,
        region_id=text_field(
            address.get("region_concept_id"), "workplace_address.region_concept_id"
        ),
        region_code=text_field(address.get("region_code"), "workplace_address.region_code"),
        region_name=text_field(address.get("region"), "workplace_address.region"),
        country_code=text_field(address.get("country_code"), "workplace_address.country_code"),
        location_label=municipality or text_field(address.get("city"), "workplace_address.city"),
        occupation_id=_concept(data.get("occupation"), "occupation"),
        occupation_group_id=_concept(data.get("occupation_group"), "occupation_group"),
        occupation_field_id=_concept(data.get("occupation_field"), "occupation_field"),
        employment_type=_label(data.get("employment_type"), "employment_type"),
        working_hours=_label(data.get("working_hours_type"), "working_hours_type"),
        duration=_label(data.get("duration"), "duration"),
        published_at=data.get("publication_date"),
        application_deadline=data.get("application_deadline"),
    )


def _auranest_html(xml: str) -> str:
    return _AURANEST_TAG_RE.sub(lambda m: _AURANEST_TAGS[m.group(1) + m.group(2)], xml)


def _parse_auranest(raw: RawRecord, data: dict[str, Any]) -> ParseResult:
    source_id = _id_of(data)
    if not source_id:
        return reject(raw, QuarantineReason.MISSING_FIELD, "Annonsen saknar id.")
    headline = text_field(data.get("header"), "header").strip() or text_field(
        get_path(data, "title", "freetext"), "title.freetext"
    )
    if not headline:
        return reject(
            raw, QuarantineReason.MISSING_FIELD, "Annonsen saknar rubrik (header).", source_id
        )
    content = data.get("content") or {}
    xml = text_field(content.get("xml"), "content.xml")
    text = text_field(content.get("text"), "content.text")
    source = data.get("source") if isinstance(data.get("source"), dict) else {}
    assert isinstance(source, dict)
    if source.get("removedAt"):
        return Removal(NAME, source_id, source.get("removedAt"), raw.origin)
    place = text_field(get_path(data, "location", "translations", "sv-SE"), "location")
    employer = text_field(get_path(data, "employer", "name"), "employer.name") or text_field(
        get_path(source, "site", "name"), "source.site.name"
    )
    return ParsedAd(
        source=NAME,
        source_id=source_id,
        origin=raw.origin,
        raw=raw.payload,
        headline=headline,
        description_html=_auranest_html(xml) if xml.strip() else "",
        description_text=text,
        url=source.get("url") or "",
        apply_url=get_path(data, "application", "url") or "",
        employer_name=employer,
        municipality_name=place,
        location_label=place,
        # Auranest places are Google Maps names of towns anywhere in the world.
        strict_location=False,
        published_at=source.get("firstSeenAt"),
        application_deadline=get_path(data, "application", "deadline"),
    )
