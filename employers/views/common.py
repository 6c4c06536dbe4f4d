"""Helpers shared by the portal's views: CSV downloads and taxonomy look-ups from form text."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from employers.stats import csv_safe


def csv_response(*, filename: str, rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A UTF-8 (with BOM, so Excel reads å, ä, ö) semicolon CSV with formula injection
    neutralised in every cell."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return response


def concept_from_text(*, concept_id: str, text: str, type: str) -> tuple[str, str]:
    """(concept id, label) for a combobox field: the id chosen with JavaScript if it is of the
    right type, else the best autocomplete hit for the typed text (works without JavaScript)."""
    from vagval.taxonomy.selectors import concept_autocomplete, concept_get

    concept_types = {"occupation": "occupation-name", "skill": "skill", "region": "region"}
    if concept_id:
        concept = concept_get(concept_id=concept_id)
        if concept is not None and concept.type == concept_types[type]:
            return concept.concept_id, concept.label_sv
    text = text.strip()
    if not text:
        return "", ""
    found = concept_autocomplete(query=text, types=[type], limit=1)
    return (found[0].concept_id, found[0].label) if found else ("", "")


def skills_from_text(text: str) -> tuple[list[str], list[str]]:
    """(skill ids, parts not recognised) from a comma-separated list of skill names."""
    ids: list[str] = []
    unknown: list[str] = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        concept_id, _label = concept_from_text(concept_id="", text=part, type="skill")
        if concept_id:
            ids.append(concept_id)
        else:
            unknown.append(part)
    return list(dict.fromkeys(ids)), unknown
