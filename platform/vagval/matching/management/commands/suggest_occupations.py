"""`manage.py suggest_occupations --text FILE --top N --json`: free text -> occupations.

Prints a JSON list of {"concept_id", "label", "ssyk", "score", "reasons"} (one occupation per
SSYK-4 group, best first); without --json a readable table. FILE "-" reads standard input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vagval.matching.occupations import occupations_from_text


class Command(BaseCommand):
    help = "Suggest occupations (taxonomy concept id, label, SSYK-4) for a free text."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--text", required=True, help="a UTF-8 text file, or - for stdin")
        parser.add_argument("--top", type=int, default=10, help="how many occupations")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--level",
            choices=("occupation-name", "ssyk-level-4"),
            default="occupation-name",
            help="occupation names (default) or the SSYK-4 groups themselves",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["top"] < 1:
            raise CommandError("--top must be at least 1")
        source = options["text"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {source}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{source} is not UTF-8 text") from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {source}: {exc}") from exc
        if not text.strip():
            raise CommandError(f"{source} is empty")
        results = occupations_from_text(text=text, top=options["top"], level=options["level"])
        if options["json"]:
            payload = [
                {
                    "concept_id": r.concept_id,
                    "label": r.label,
                    "ssyk": r.ssyk,
                    "score": round(r.score, 4),
                    "reasons": [reason.text_sv for reason in r.reasons],
                }
                for r in results
            ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for r in results:
            why = "; ".join(reason.text_sv for reason in r.reasons)
            self.stdout.write(f"{r.score:6.2f}  {r.ssyk}  {r.label}  ({r.concept_id})  {why}")
