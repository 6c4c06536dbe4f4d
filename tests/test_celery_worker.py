"""A task goes through Redis to a real Celery worker process, which sees our committed rows.

Skipped unless `REDIS_URL` is set (conftest.py); `.ci/run` runs it on its own with PostgreSQL
and Redis. The worker is a separate `celery worker` process pointed at the same PostgreSQL test
database as this test (pytest-django's `test_<name>`), so the test uses `transactional_db`:
rows must really be committed for another process to see them. The task is enqueued with
`transaction.on_commit`, exactly as application code does.

The worker listens on a queue of its own, so a developer's worker on the same Redis cannot
steal the task, and this worker cannot take anyone else's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from celery.result import AsyncResult
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db import connection, transaction

from vagval.config.celery import app as celery_app
from vagval.config.tasks import ping, ping_cache_key

pytestmark = pytest.mark.celery_worker

ROOT = Path(__file__).resolve().parents[1]
TASK_TIMEOUT_SECONDS = 40


@dataclass
class Worker:
    queue: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def result(self, sent: AsyncResult, timeout: float) -> object:
        """Wait for `sent`; fail at once, with the worker's log, if the worker has died."""
        deadline = time.monotonic() + timeout
        while not sent.ready():
            if self.proc.poll() is not None:
                pytest.fail(f"the worker exited with {self.proc.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no answer in {timeout} s; worker log:\n{self.log()}")
            time.sleep(0.2)
        return sent.get(timeout=1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]


def _database_url() -> str:
    """A DATABASE_URL for the database this test is connected to right now (the test DB)."""
    db = connection.settings_dict
    user = quote(str(db["USER"] or ""), safe="")
    password = quote(str(db["PASSWORD"] or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{host}{port}/{quote(str(db['NAME']), safe='')}"


@pytest.fixture
def migrated_data_restored(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """After the flush that ends a transactional test, put back what the migrations seeded.

    Requested before the database fixtures, so its teardown runs after their flush. Without it
    a reused test database (`--reuse-db`) would start the next run without the seeded rows
    (Wagtail's root page, published questionnaires), and unrelated tests would fail.
    """
    yield
    serialized = getattr(connection, "_test_serialized_contents", None)
    if serialized:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(serialized)


@pytest.fixture
def worker(
    migrated_data_restored: None,
    transactional_db: None,
    django_db_serialized_rollback: None,
    tmp_path: Path,
) -> Iterator[Worker]:
    """Start a real worker on a queue of its own; stop it (and all its processes) after."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker must share the test database: set DATABASE_URL to PostgreSQL")
    queue = f"test-worker-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "vagval.config.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        "PYTHONUNBUFFERED": "1",
    }
    # The suite may run tasks eagerly for other tests; this one must go through the broker.
    eager_before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                *("-m", "celery", "-A", "vagval.config", "worker"),
                *("--pool", "solo", "--queues", queue, "--hostname", f"{queue}@%h"),
                *("--loglevel", "INFO", "--without-gossip", "--without-mingle"),
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown stops all of it
        )
    try:
        yield Worker(queue=queue, proc=proc, log_path=log_path)
    finally:
        celery_app.conf.task_always_eager = eager_before
        # Warm shutdown first (finish the current task), then make sure it is gone.
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_task_is_sent_on_commit_and_completed_by_a_real_worker(worker: Worker) -> None:
    token = uuid.uuid4().hex
    domain = f"{token}.worker-test.example"
    sent: list[AsyncResult] = []

    with transaction.atomic():
        Site.objects.update_or_create(pk=1, defaults={"domain": domain, "name": "Vägval"})
        transaction.on_commit(
            lambda: sent.append(ping.apply_async(kwargs={"token": token}, queue=worker.queue))
        )
        # Nothing leaves before the commit: a worker must never see a row that is not there yet.
        assert sent == []

    assert len(sent) == 1
    answer = worker.result(sent[0], timeout=TASK_TIMEOUT_SECONDS)
    assert isinstance(answer, dict)

    assert sent[0].successful()
    assert answer["token"] == token
    # The worker ran in another process, against this test's database, and saw the new row.
    assert answer["database"] == connection.settings_dict["NAME"]
    assert answer["site_domain"] == domain
    assert answer["migrations_applied"] > 0
    # Its side effect went through the shared Redis cache.
    assert cache.get(ping_cache_key(token)) == answer
