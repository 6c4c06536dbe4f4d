"""`manage.py feed --profile FILE --top N --json`: a portable profile -> the ranked job feed.

FILE is a portable profile (`export_profile`, schema `vagval.portable-profile` version 1) or
just its `match_profile` object; "-" reads standard input. The feed is ranked over the active
ads in the database by `vagval.matching.feed_rank` and printed as a JSON list of
{"ad_id", "score", "reasons"} (reasons with code, Swedish and English text and weight), best
first; without --json a readable table. Bad input gets a clear message and exit status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from journey.matchprofile import ad_index_get
from vagval.matching.feed import feed_rank
from vagval.matching.types import MatchProfile

SCHEMA = "vagval.portable-profile"
KNOWN_VERSIONS = (1,)


def match_profile_from_document(document: Any) -> MatchProfile:
    """The MatchProfile inside a portable profile (or a bare match profile object)."""
    if not isinstance(document, dict):
        raise CommandError("The profile must be a JSON object")
    if "schema" in document:
        if document["schema"] != SCHEMA:
            raise CommandError(f"Not a portable profile: schema is {document['schema']!r}")
        if document.get("version") not in KNOWN_VERSIONS:
            raise CommandError(
                f"Portable profile version {document.get('version')!r} is not supported "
                f"(this version reads {', '.join(map(str, KNOWN_VERSIONS))})"
            )
        journey = document.get("journey") or {}
        data = journey.get("match_profile") if isinstance(journey, dict) else None
        if not data:
            raise CommandError(
                "The portable profile has no journey.match_profile: the person has not started "
                "the journey (no competences, targets or places yet)"
            )
    else:
        data = document.get("match_profile", document)
    try:
        return MatchProfile.from_dict(data)
    except (TypeError, ValueError, AttributeError) as exc:
        raise CommandError(f"The match profile is not valid: {exc}") from exc


class Command(BaseCommand):
    help = "Rank the active job ads for a portable profile (JSON list of ad_id, score, reasons)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", required=True, help="a portable profile JSON, or -")
        parser.add_argument("--top", type=int, default=20, help="how many ads (default 20)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["top"] < 1:
            raise CommandError("--top must be at least 1")
        source = options["profile"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {source}") from exc
        except IsADirectoryError as exc:
            raise CommandError(f"{source} is a folder, not a file") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{source} is not UTF-8 text") from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {source}: {exc}") from exc
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{source} is not valid JSON: {exc}") from exc
        profile = match_profile_from_document(document)
        ranked = feed_rank(profile, options["top"], index=ad_index_get().index)
        if options["json"]:
            payload = [r.as_dict() for r in ranked]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        cards = ad_index_get().cards
        for r in ranked:
            card = cards.get(r.ad_id)
            why = "; ".join(x.text_sv for x in r.reasons)
            head = f"{card.headline} ({card.employer})" if card else ""
            self.stdout.write(f"{r.score:6.2f}  {r.ad_id:>8}  {head}  – {why}")
