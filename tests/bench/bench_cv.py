"""Benchmarks of step 4 (journey.cv): exporting a two-page CV and parsing an uploaded one.

Targets (issue 4): PDF export of a two-page CV p95 <= 1 s, DOCX export p95 <= 300 ms, parsing an
uploaded two-page PDF (page check, text extraction, jobs and taxonomy skills) p95 <= 1 s, each
with peak memory. Runs in-process (`python -m tests.bench --only cv`); the parse needs the
taxonomy (the runner's database has it; loaded here from the committed snapshot if missing).

Memory: `peak_python_mib` is tracemalloc's peak over one traced run of the operation (Python
objects only); `peak_rss_mib` is the process's maximum resident size after all runs, which also
counts what Pango, HarfBuzz and the fonts allocate in C for WeasyPrint. The first run of each
operation in the process (imports, font discovery, the matcher build) is reported apart as
`cold_s`.
"""

from __future__ import annotations

import io
import os
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import django
from django.apps import apps

from tests.bench import is_quick, log, result

PDF_TARGET_P95_S = 1.0
DOCX_TARGET_P95_S = 0.3
PARSE_TARGET_P95_S = 1.0

JOBS = [
    ("IT-projektledare", "Volvo Cars", "2016-03", ""),
    ("Teknisk projektledare", "Volvo Cars", "2013-01", "2016-02"),
    ("Systemutvecklare", "Ericsson", "2008-08", "2012-12"),
    ("Systemutvecklare", "Saab", "2005-06", "2008-07"),
    ("Konsult, systemutveckling", "Sigma", "2002-09", "2005-05"),
    ("Supporttekniker", "Telia", "2000-01", "2002-08"),
]
DESCRIPTION = (
    "Ledde agila utvecklingsprojekt med Scrum för fabrikens produktionssystem, med ansvar för "
    "kravhantering, budget och leveransplan. Samordnade fyra team och leverantörer i Indien och "
    "Polen. Införde kontinuerlig integration och automatiska tester i Java och SQL, vilket "
    "halverade tiden från beställning till driftsättning.\n\n"
    "Rapporterade till IT-chefen och styrgruppen; coachade nya projektledare."
)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vagval.config.settings")
    if not apps.ready:
        django.setup()


def two_page_cv() -> dict[str, Any]:
    """A realistic CV that renders to exactly two A4 pages in the classic look."""
    from journey.cv.builder import default_sections

    return {
        "content": {
            "basics": {
                "name": "Karin Berg",
                "headline": "Projektledare, IT",
                "email": "karin@example.se",
                "phone": "070-123 45 67",
                "city": "Göteborg",
                "summary": "IT-projektledare med tjugo års erfarenhet från fordons- och "
                "telekomindustrin. Van att leda agila projekt från krav till drift, med budget- "
                "och personalansvar. Söker en ny roll som projektledare inom IT.",
            },
            "experience": [
                {
                    "key": f"j{i}",
                    "title": t,
                    "employer": e,
                    "occupation_id": "",
                    "start": s,
                    "end": end,
                    "current": not end,
                    "description": DESCRIPTION,
                    "hidden": False,
                }
                for i, (t, e, s, end) in enumerate(JOBS)
            ],
            "education": [
                {
                    "key": "e1",
                    "name": "Civilingenjör datateknik",
                    "institution": "Chalmers",
                    "start_year": 1995,
                    "end_year": 2000,
                    "hidden": False,
                },
                {
                    "key": "e2",
                    "name": "Certifierad projektledare (IPMA C)",
                    "institution": "IPMA",
                    "start_year": None,
                    "end_year": 2015,
                    "hidden": False,
                },
            ],
            "skills": [
                {"concept_id": f"s{i}", "label": label, "level": 4, "hidden": False}
                for i, label in enumerate(
                    [
                        "Projektledning, IT",
                        "Agila arbetsmetoder",
                        "Kravhantering, systemutveckling",
                        "Scrum, systemutvecklingsmetod",
                        "Java, programmeringsspråk",
                        "SQL, frågespråk",
                        "Budgetansvar",
                        "Förändringsledning",
                        "ITIL Foundation",
                        "Personalansvar",
                    ]
                )
            ],
            "languages": [
                {"concept_id": "sv", "label": "Svenska", "level": "native", "hidden": False},
                {"concept_id": "en", "label": "Engelska", "level": "fluent", "hidden": False},
            ],
            "licences": [{"concept_id": "b", "label": "B", "hidden": False}],
        },
        "sections": default_sections(),
        "language": "sv",
        "template": "classic",
        "layout": "one",
        "title": "CV – Projektledare, IT",
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _measure(name: str, operation: Callable[[], Any], rounds: int) -> dict[str, Any]:
    started = time.perf_counter()
    operation()
    first = time.perf_counter() - started
    timings = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        operation()
        timings.append(time.perf_counter() - t0)
    tracemalloc.start()
    operation()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    log(f"{name}: p95 {_percentile(timings, 0.95):.3f} s over {rounds} runs")
    return {
        "runs": rounds,
        "first_s": round(first, 3),
        "median_s": round(statistics.median(timings), 3),
        "p95_s": round(_percentile(timings, 0.95), 3),
        "max_s": round(max(timings), 3),
        "peak_python_mib": round(peak / 2**20, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run() -> list[dict[str, Any]]:
    _setup()
    from journey.cv.render import pdf_pages
    from journey.cv.services import cv_render, cv_text_to_content, pages_check
    from journey.cvparse import cv_text_extract
    from vagval.taxonomy.models import Concept
    from vagval.taxonomy.services import taxonomy_load

    if not Concept.objects.filter(type="occupation-name").exists():
        taxonomy_load()
    rounds = 5 if is_quick() else 20
    cv = two_page_cv()
    started = time.perf_counter()
    pdf = cv_render(fmt="pdf", **cv)  # cold: WeasyPrint's imports and font discovery
    cold_pdf = time.perf_counter() - started
    pages = pdf_pages(pdf)
    if pages != 2:
        log(f"warning: the benchmark CV has {pages} pages, not 2")

    def parse() -> dict[str, Any]:
        stream = io.BytesIO(pdf)
        pages_check(stream=stream, size=len(pdf))
        extracted = cv_text_extract(stream=stream, size=len(pdf))
        return cv_text_to_content(extracted.text)

    started = time.perf_counter()
    parsed = parse()  # cold: pypdf's imports and the taxonomy matcher's build
    cold_parse = time.perf_counter() - started
    out = []
    figures = _measure("cv_export_pdf", lambda: cv_render(fmt="pdf", **cv), rounds)
    out.append(
        result(
            "cv_export_pdf",
            target={"p95_s": PDF_TARGET_P95_S},
            ok=figures["p95_s"] <= PDF_TARGET_P95_S,
            pages=pages,
            bytes=len(pdf),
            cold_s=round(cold_pdf, 3),
            **figures,
        )
    )
    figures = _measure("cv_export_docx", lambda: cv_render(fmt="docx", **cv), rounds)
    out.append(
        result(
            "cv_export_docx",
            target={"p95_s": DOCX_TARGET_P95_S},
            ok=figures["p95_s"] <= DOCX_TARGET_P95_S,
            **figures,
        )
    )
    figures = _measure("cv_parse_pdf", parse, rounds)
    out.append(
        result(
            "cv_parse_pdf",
            target={"p95_s": PARSE_TARGET_P95_S},
            ok=figures["p95_s"] <= PARSE_TARGET_P95_S,
            pages=pages,
            cold_s=round(cold_parse, 3),
            jobs_found=len(parsed["experience"]),
            skills_found=len(parsed["skill_ids"]),
            **figures,
        )
    )
    return out


if __name__ == "__main__":
    import json

    for line in run():
        print(json.dumps(line, ensure_ascii=False))
