"""Benchmarks of Vägval, and the harness they share.

`python -m tests.bench` (what `make bench` runs) discovers every `tests/bench/bench_*.py`, calls
its `run() -> list[dict]` and prints each dict as one JSON line. This module holds what the
benchmarks share:

- `is_quick()`: true under `--quick` (smaller inputs, same code paths);
- `BenchDatabase`: the benchmark's own databases, never the dev or test database. On
  PostgreSQL (`DATABASE_URL` set) they are `vagval_bench*` databases on the same server, made
  fresh from a migrated template with the taxonomy loaded; on SQLite they are files in a
  temporary folder;
- `run_measured()`: runs a command (e.g. `manage.py ingest`) and measures wall time, CPU time
  and peak memory of its whole process tree;
- `result()`: the common fields every JSON line carries (database vendor, quick mode).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(os.environ.get("VAGVAL_BENCH_DIR", str(REPO_ROOT / "var" / "bench")))
PYTHON = sys.executable
MANAGE = str(REPO_ROOT / "manage.py")
QUICK_ENV = "VAGVAL_BENCH_QUICK"
BENCH_DB_ENV = "VAGVAL_BENCH_DATABASE_URL"
TEMPLATE_DB_ENV = "VAGVAL_BENCH_TEMPLATE_URL"


def is_quick() -> bool:
    return os.environ.get(QUICK_ENV, "") == "1"


def log(message: str) -> None:
    """Progress goes to stderr; stdout is reserved for the JSON result lines."""
    stamp = time.strftime("%H:%M:%S", time.gmtime())  # UTC: Django changes the local zone
    print(f"[bench {stamp}Z] {message}", file=sys.stderr, flush=True)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def result(bench: str, *, target: dict[str, Any], ok: bool, **figures: Any) -> dict[str, Any]:
    """One benchmark line: its name, figures, target and verdict, and where it ran."""
    url = os.environ.get(BENCH_DB_ENV) or os.environ.get("DATABASE_URL", "")
    return {
        "bench": bench,
        **figures,
        "target": target,
        "ok": ok,
        "db": "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite",
        "quick": is_quick(),
    }


# --------------------------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------------------------
class BenchDatabase:
    """Creates and drops the benchmarks' own databases.

    `server_url` is the developer's `DATABASE_URL` (only its server and credentials are used) or
    None for SQLite files under `folder`.
    """

    def __init__(self, server_url: str | None, folder: Path | None = None) -> None:
        self.server_url = server_url if server_url and server_url.startswith("postgres") else None
        if folder is None and self.server_url is None:
            folder = Path(tempfile.mkdtemp(prefix="vagval-bench-db-"))
        self.folder = folder or Path(tempfile.gettempdir())

    @property
    def vendor(self) -> str:
        return "postgresql" if self.server_url else "sqlite"

    def url(self, name: str) -> str:
        if self.server_url:
            parts = urlsplit(self.server_url)
            return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
        return f"sqlite:///{self.folder / (name + '.sqlite3')}"

    def _admin(self, sql: str) -> None:
        import psycopg

        assert self.server_url
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def drop(self, name: str) -> None:
        if not name.startswith("vagval_bench"):
            raise ValueError(f"refusing to drop {name!r}: benchmarks only own vagval_bench*")
        if self.server_url:
            import psycopg

            try:
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except psycopg.errors.InsufficientPrivilege:
                # FORCE may not end an autovacuum worker (a superuser's process) busy on a
                # freshly filled database; a plain DROP makes autovacuum give way by itself.
                for attempt in range(10):
                    try:
                        self._admin(f'DROP DATABASE IF EXISTS "{name}"')
                        break
                    except psycopg.errors.ObjectInUse:
                        if attempt == 9:
                            raise
                        time.sleep(1)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.folder / name) + ".sqlite3" + suffix).unlink(missing_ok=True)

    def create(self, name: str, *, template: str | None = None) -> str:
        """A fresh database `name` (a copy of `template` if given); returns its URL."""
        self.drop(name)
        if self.server_url:
            clause = f' TEMPLATE "{template}"' if template else ""
            self._admin(f'CREATE DATABASE "{name}"{clause}')
        elif template:
            src = self.folder / f"{template}.sqlite3"
            shutil.copyfile(src, self.folder / f"{name}.sqlite3")
            wal = Path(str(src) + "-wal")
            if wal.exists():
                shutil.copyfile(wal, Path(str(self.folder / name) + ".sqlite3-wal"))
        return self.url(name)

    def prepare_template(self, name: str = "vagval_bench_template") -> str:
        """Migrate a fresh database and load the taxonomy into it; returns its URL."""
        url = self.create(name)
        log(f"preparing {self.vendor} template database {name} (migrate, load_taxonomy)")
        manage(["migrate", "--noinput", "-v", "0"], database_url=url)
        try:
            manage(["load_taxonomy"], database_url=url)
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(f"load_taxonomy failed: {exc.stderr[-2000:]}") from exc
        return url


def bench_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a benchmark subprocess: its own database, Celery in-process."""
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    # Work a command enqueues must be measured, so tasks run in-process; and the bench never
    # writes into the developer's Redis.
    env.pop("REDIS_URL", None)
    env["CELERY_TASK_ALWAYS_EAGER"] = "true"
    env.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    # The runner sets the site's settings for its own Django; a command must choose its own,
    # as when an operator runs it (`manage.py` starts the batch commands with
    # `settings_batch`). Inherited, every measured `ingest` loaded the whole site: ~1 s more
    # start-up, ~120 MiB more memory and ~10 % more CPU than an operator's run.
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


def manage(args: list[str], *, database_url: str, **extra: str) -> str:
    """Run `manage.py args` against `database_url`; returns stdout, raises on failure."""
    proc = subprocess.run(
        [PYTHON, MANAGE, *args],
        cwd=REPO_ROOT,
        env=bench_env(database_url, **extra),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, proc.args, proc.stdout, proc.stderr)
    return proc.stdout


# --------------------------------------------------------------------------------------------
# Measuring a process tree
# --------------------------------------------------------------------------------------------
@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    cpu_seconds: float  # user + system of the process and the children it waited for
    maxrss_mib: float  # the largest single process (getrusage)
    peak_tree_rss_mib: float  # the largest sum of RSS over the whole tree (sampled)
    peak_tree_pss_mib: float  # the same with shared pages split between processes
    samples: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name may hold spaces; fields after the last ')' are fixed.
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree_pids(root: int) -> list[int]:
    """`root` and its descendants."""
    children = _children_map()
    todo, pids = [root], []
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, ()))
    return pids


_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _tree_rss(pids: list[int]) -> int:
    """Sum of RSS in KiB (from statm: a few microseconds a process)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * _PAGE_KIB
        except (OSError, IndexError, ValueError):
            continue
    return total


def _tree_pss(pids: list[int]) -> int:
    """Sum of PSS in KiB (from smaps_rollup, which walks every page table)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


# PSS (each shared page split between the processes sharing it) is at most the RSS sum and
# mostly moves with it: it is read again when the RSS sum has grown by this factor since the
# last reading, and at least every PSS_RESAMPLE_SECONDS (copy-on-write after a fork raises
# PSS, not RSS).
PSS_RESAMPLE_GROWTH = 1.02
PSS_RESAMPLE_SECONDS = 2.0


def run_measured(cmd: list[str], *, env: dict[str, str], interval: float = 0.25) -> Measured:
    """Run `cmd`, sampling the memory of its process tree, and wait for it with wait4().

    Every `interval` the RSS of each process in the tree is read from statm (microseconds);
    PSS from smaps_rollup, which walks every page table (~15 ms of kernel time for an ingest's
    ~600 MiB, more for more), only when that RSS sum has grown since the last reading or PSS
    has not been read for PSS_RESAMPLE_SECONDS. The RSS sum stays reported: PSS's upper bound."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=err, text=True)
        peak = [0, 0, 0]  # rss, pss, samples
        done = threading.Event()

        def sample() -> None:
            pss_rss, pss_time = 0, 0.0  # the RSS sum and the time of the last PSS reading
            while not done.is_set():
                if os.path.isdir("/proc"):
                    pids = _tree_pids(proc.pid)
                    rss = _tree_rss(pids)
                    peak[0] = max(peak[0], rss)
                    now = time.perf_counter()
                    if rss > pss_rss * PSS_RESAMPLE_GROWTH or now - pss_time >= (
                        PSS_RESAMPLE_SECONDS
                    ):
                        peak[1] = max(peak[1], _tree_pss(pids))
                        pss_rss, pss_time = rss, now
                    peak[2] += 1
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            returncode=proc.returncode,
            stdout=out.read(),
            stderr=err.read(),
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            maxrss_mib=usage.ru_maxrss / 1024,
            peak_tree_rss_mib=peak[0] / 1024,
            peak_tree_pss_mib=peak[1] / 1024,
            samples=peak[2],
        )


def last_json_line(text: str) -> dict[str, Any]:
    """The JSON summary a command prints as its last line."""
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return dict(json.loads(line))
    raise ValueError(f"no JSON summary in output: {text[-500:]!r}")
