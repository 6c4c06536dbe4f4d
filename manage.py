#!/usr/bin/env python
"""Django's command-line utility for Vägval.

`platform/` is a source root (not a package), so it is put on sys.path before Django starts.
"""

import os
import sys
from pathlib import Path

# Batch commands over the job-ad and taxonomy tables only: they start with just those apps
# (`vagval.config.settings_batch`, ~2 s less start-up per run).
BATCH_COMMANDS = frozenset({"ingest", "dedup_clusters", "expire_ads"})


def main() -> None:
    root = Path(__file__).resolve().parent
    sys.path.insert(0, str(root / "platform"))
    sys.path.insert(0, str(root))
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    settings = "settings_batch" if command in BATCH_COMMANDS else "settings"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"vagval.config.{settings}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
