"""`python manage.py load_taxonomy [--snapshot PATH] [--force]`: import the taxonomy snapshot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vagval.taxonomy.services import taxonomy_load
from vagval.taxonomy.snapshot import DEFAULT_SNAPSHOT_PATH, SnapshotError


class Command(BaseCommand):
    help = "Load the JobTech taxonomy snapshot (idempotent: skips a version already loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--snapshot",
            type=Path,
            default=DEFAULT_SNAPSHOT_PATH,
            help="snapshot file (default: the one committed in vagval/taxonomy/data)",
        )
        parser.add_argument(
            "--force", action="store_true", help="compare and write even if already loaded"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = taxonomy_load(path=options["snapshot"], force=options["force"])
        except SnapshotError as exc:
            raise CommandError(str(exc)) from exc
        if result.skipped:
            self.stdout.write(f"Taxonomy {result.version} is already loaded; nothing to do.")
        else:
            self.stdout.write(
                f"Loaded taxonomy {result.version} in {result.seconds:.1f} s: "
                f"created {result.created}, updated {result.updated}, deleted {result.deleted}, "
                f"newly deprecated {result.deprecated}."
            )
        summary = {
            "version": result.version,
            "skipped": result.skipped,
            "changed": result.changed,
            **result.totals,
            "seconds": round(result.seconds, 3),
        }
        self.stdout.write(json.dumps(summary))
