"""`python manage.py dedup_clusters --json`: every job posted as two or more ads, one per line.

Each line is `{"cluster": id, "members": [{"source": s, "source_id": s, "url": s}, ...]}`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vagval.jobs.selectors import clusters_with_duplicates


class Command(BaseCommand):
    help = "List the clusters of duplicate ads (jobs published as more than one ad)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args: Any, **options: Any) -> None:
        for cluster_id, members in clusters_with_duplicates():
            if options["json"]:
                self.stdout.write(json.dumps({"cluster": cluster_id, "members": members}))
            else:
                self.stdout.write(f"cluster {cluster_id}: {len(members)} ads")
                for m in members:
                    self.stdout.write(f"  {m['source']}:{m['source_id']} {m['url']}")
