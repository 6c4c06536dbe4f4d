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
    if command in BATCH_COMMANDS:
        # Their parallelism is worker processes, one per core. numpy's BLAS would start a
        # thread per core of its own in each, which spin between calls: ~0.5 % of the CPU.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    if command in BATCH_COMMANDS:  # it succeeded: a failure raised SystemExit above
        _exit_at_once()


def _exit_at_once() -> None:
    """End a finished batch command without tearing its heap down object by object.

    An ingest process holds ~1 GB of small objects (the lemma dictionaries, the vocabulary, the
    run's candidate memory); the interpreter's orderly shutdown frees each of them, ~0.3 s of
    every run, for memory the OS takes back at once on exit. What shutdown would still do that
    matters is done here: the database connections closed, logs and output flushed."""
    import logging

    from django.db import connections

    connections.close_all()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
