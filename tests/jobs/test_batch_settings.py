"""The batch commands (`ingest`, `dedup_clusters`, `expire_ads`) start with only the job-ad and
taxonomy apps (`vagval.config.settings_batch`), and still do their whole job."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_batch_commands_work_without_loading_the_web_site(
    tmp_path: Path, platsbanken_lines: list[str]
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'batch.sqlite3'}"
    env["VAGVAL_CACHE_DIR"] = str(tmp_path / "cache")
    # A database holding only what the batch settings know: if a command needed another app's
    # tables, it would fail here.
    lean = {**env, "DJANGO_SETTINGS_MODULE": "vagval.config.settings_batch"}
    _manage("migrate", "-v0", env=lean)
    _manage("load_taxonomy", env=lean)
    ads = tmp_path / "ads.jsonl"
    ads.write_text("\n".join(platsbanken_lines[:120]) + "\n", encoding="utf-8")

    ingest = _manage("ingest", "--source", "platsbanken-web", str(ads), env=env)
    summary = json.loads(ingest.stdout.strip().splitlines()[-1])
    assert summary["read"] == 120 and summary["quarantined"] == 0
    assert summary["new"] == 120 and summary["duplicates"] > 0

    # What the start-up imported: none of the web site.
    traced = _manage(
        "ingest",
        "--source",
        "platsbanken-web",
        str(ads),
        env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
    )
    imported = {line.split("|")[-1].strip() for line in traced.stderr.splitlines() if "|" in line}
    assert "vagval.jobs.pipeline" in imported
    assert not {m for m in imported if m.split(".")[0] in {"wagtail", "allauth", "journey", "cms"}}
    assert "celery" not in imported  # it enqueues nothing: Celery is the site's and workers'
    assert json.loads(traced.stdout.strip().splitlines()[-1])["new"] == 0  # and idempotent

    clusters = [
        json.loads(line)
        for line in _manage("dedup_clusters", "--json", env=env).stdout.splitlines()
    ]
    assert clusters and all(len(c["members"]) >= 2 for c in clusters)
    assert json.loads(_manage("expire_ads", env=env).stdout.strip()) == {"expired": 0}
