"""Demo data of the jobs app: real job ads (or the committed invented sample) made current.

`load_demo` runs this before the portals, so the journey's demo feed finds ads. It ingests the
scraped Platsbanken ads and the Auranest `/search` response from `settings.VAGVAL_DATA_DIR/jobads`
through the normal pipeline (`ads_ingest`). Without that folder it ingests
`data/sample_ads.jsonl`: about 25 short Swedish ads INVENTED for this project (no real employer
or person; a few near-duplicate reposts so the dedup view has something to show).

The real ads are from 2019 and 2023 with no or past dates, so - for the demo only - their
publication dates are spread over the last 14 days and their deadlines set in the future
(`ads_demo_dates_set`). Real ingestion keeps the dates the sources give. Idempotent: a second run
on the same day changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from django.conf import settings

from vagval.web.demoloader import DemoLogin

from .services import TaxonomyMissingError, ads_demo_dates_set, ads_ingest
from .sources import ParsedAd, RawRecord, get_adapter
from .sources.readers import iter_input_files

SAMPLE_ADS = Path(__file__).resolve().parent / "data" / "sample_ads.jsonl"
PLATSBANKEN_FILE = "platsbanken_web_2023-08_stockholm_it.jsonl.gz"
AURANEST_FILE = "jobtech_auranest_search_response_2019.json"


def demo_ad_inputs() -> list[tuple[str, Path]]:
    """(source, file) pairs the demo ingests: the real files when present, else the sample."""
    folder = Path(settings.VAGVAL_DATA_DIR) / "jobads"
    real = [
        (source, folder / name)
        for source, name in (("platsbanken-web", PLATSBANKEN_FILE), ("jobtech", AURANEST_FILE))
        if (folder / name).is_file()
    ]
    return real or [("jobtech", SAMPLE_ADS)]


def _source_ids(source: str, path: Path) -> list[str]:
    adapter = get_adapter(source)
    ids = []
    for file in iter_input_files([path], adapter.extensions):
        for record in adapter.records(file):
            parsed = adapter.parse(record) if isinstance(record, RawRecord) else None
            if isinstance(parsed, ParsedAd):
                ids.append(parsed.source_id)
    return ids


def load_demo_data(*, stdout: TextIO) -> list[DemoLogin]:
    """Ingest the demo ads and make them current; print one line with the counts."""
    new = total = 0
    names = []
    try:
        for source, path in demo_ad_inputs():
            summary = ads_ingest(source=source, paths=[path], workers=1)
            ids = _source_ids(source, path)
            ads_demo_dates_set(source=source, source_ids=ids)
            new += summary.new
            total += len(ids)
            names.append(path.name)
    except TaxonomyMissingError as exc:
        stdout.write(f"  hoppar över annonserna: {exc}\n")
        return []
    stdout.write(
        f"  {total} demoannonser ({new} nya) från {', '.join(names)}; "
        "datum flyttade till de senaste 14 dagarna (endast demo)\n"
    )
    return []
