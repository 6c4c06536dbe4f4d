"""`python -m tests.bench` (`make bench`): run every benchmark, one JSON object per line.

Each `tests/bench/bench_<name>.py` exposes `run() -> list[dict]` (optionally `run(quick=...)`).
The runner first makes the benchmarks' own database: on PostgreSQL when `DATABASE_URL` is set
(databases `vagval_bench_template`, migrated with the taxonomy loaded, and `vagval_bench`, a copy
of it that in-process benchmarks use through Django), otherwise SQLite files in a temporary
folder. The developer's and the test databases are never touched.

Options: `--only NAME` (repeatable; `ingest` or `bench_ingest`), `--quick` (smaller inputs),
`--list`. Progress goes to stderr; stdout carries only the JSON lines. The exit status is 1 when
a benchmark crashed, 0 otherwise (a missed target is a figure, shown as `"ok": false`).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from tests.bench import (
    BENCH_DB_ENV,
    QUICK_ENV,
    REPO_ROOT,
    TEMPLATE_DB_ENV,
    BenchDatabase,
    log,
)

BENCH_FOLDER = Path(__file__).resolve().parent


def discover(only: list[str]) -> list[str]:
    names = sorted(p.stem for p in BENCH_FOLDER.glob("bench_*.py"))
    if only:
        wanted = {o if o.startswith("bench_") else f"bench_{o}" for o in only}
        unknown = wanted - set(names)
        if unknown:
            raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; have {names}")
        names = [n for n in names if n in wanted]
    return names


def setup_database() -> BenchDatabase:
    """Make the template and the in-process bench database, and point Django at the latter."""
    db = BenchDatabase(os.environ.get("DATABASE_URL"))
    template_url = db.prepare_template("vagval_bench_template")
    bench_url = db.create("vagval_bench", template="vagval_bench_template")
    os.environ[TEMPLATE_DB_ENV] = template_url
    os.environ[BENCH_DB_ENV] = bench_url
    os.environ["DATABASE_URL"] = bench_url
    os.environ.pop("REDIS_URL", None)  # in-process work, no writes to the developer's Redis
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vagval.config.settings")
    for path in (str(REPO_ROOT), str(REPO_ROOT / "platform")):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()
    return db


def run_one(name: str, quick: bool) -> list[dict[str, Any]]:
    module = importlib.import_module(f"tests.bench.{name}")
    run = module.run
    takes_quick = "quick" in inspect.signature(run).parameters
    return list(run(quick=quick) if takes_quick else run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, same code paths")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    names = discover(args.only)
    if args.list:
        print("\n".join(names))
        return 0
    if args.quick:
        os.environ[QUICK_ENV] = "1"
    db = setup_database()
    vendor = db.vendor
    log(f"database: {vendor}; benchmarks: {', '.join(names)}")
    crashed = 0
    for name in names:
        start = time.perf_counter()
        log(f"{name}: start")
        try:
            results = run_one(name, args.quick)
        except Exception as exc:  # one crash must not hide the other figures
            crashed += 1
            traceback.print_exc(file=sys.stderr)
            results = [{"bench": name, "ok": False, "error": f"{type(exc).__name__}: {exc}"}]
        for res in results:
            res.setdefault("db", vendor)
            res.setdefault("quick", args.quick)
            print(json.dumps(res, ensure_ascii=False, default=str), flush=True)
        log(f"{name}: done in {time.perf_counter() - start:.1f} s")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
