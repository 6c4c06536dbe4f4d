"""`python manage.py ingest --source SOURCE PATH [PATH ...]`: run job-ad files through the pipeline.

The last line on stdout is always the JSON summary
`{"read": n, "new": n, "updated": n, "duplicates": n, "quarantined": n, "seconds": x}`.
A progress bar is drawn on stderr only when stderr is a terminal.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vagval.jobs.services import TaxonomyMissingError, ads_ingest
from vagval.jobs.sources import ADAPTERS
from vagval.jobs.sources.readers import InputError


class Command(BaseCommand):
    help = "Read job ads from files or folders of one source into the database."
    # The system checks import the whole site (URLconf, Wagtail, DRF, ...): over a second of a
    # batch job's start-up, for checks about serving web pages. `manage.py check` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, choices=sorted(ADAPTERS))
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="worker processes for parsing and normalising (default: the CPUs available)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        progress = None
        bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(unit=" ads", file=sys.stderr, desc="ingest", dynamic_ncols=True)
            progress = bar.update
        try:
            summary = ads_ingest(
                source=options["source"],
                paths=options["paths"],
                workers=options["workers"],
                progress=progress,
            )
        except (InputError, TaxonomyMissingError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if bar is not None:
                bar.close()
        details = {
            "run": summary.run_id,
            "unchanged": summary.unchanged,
            "removed": summary.removed,
            "timings": summary.timings,
        }
        self.stdout.write(f"details: {json.dumps(details)}")
        self.stdout.write(json.dumps(summary.as_cli_dict()))
