"""The management commands: ingest's summary line and errors, dedup_clusters, expire_ads."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from vagval.jobs.models import JobAd

pytestmark = pytest.mark.usefixtures("jobs_db")


def _run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_ingest_prints_the_summary_last(recorded_files: dict[str, Path]) -> None:
    path = str(recorded_files["jobstream_snapshot.json"])
    lines = _run("ingest", "--source", "jobtech", path, "--workers", "1")
    summary = json.loads(lines[-1])
    assert list(summary) == ["read", "new", "updated", "duplicates", "quarantined", "seconds"]
    assert summary["read"] == 40 and summary["new"] == 40 and summary["quarantined"] == 0
    assert isinstance(summary["seconds"], float)
    again = json.loads(_run("ingest", "--source", "jobtech", path, "--workers", "1")[-1])
    assert (again["new"], again["updated"], again["read"]) == (0, 0, 40)


def test_ingest_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Hittar inte"):
        _run("ingest", "--source", "jobtech", str(tmp_path / "missing.json"))
    unreadable = tmp_path / "locked.json"
    unreadable.write_text("{}")
    unreadable.chmod(0)
    try:
        import os

        if os.geteuid() != 0:  # root reads anything; the check only means something for others
            with pytest.raises(CommandError, match="Kan inte läsa"):
                _run("ingest", "--source", "jobtech", str(unreadable))
    finally:
        unreadable.chmod(0o644)
    with pytest.raises(CommandError, match="invalid choice"):
        _run("ingest", "--source", "monster", str(unreadable))
    assert not JobAd.objects.exists()


def test_ingest_error_exit_without_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "ingest", "--source", "rss", str(tmp_path / "nope.xml")],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert result.returncode != 0
    assert "Hittar inte" in result.stderr
    assert "Traceback" not in result.stderr


def test_dedup_clusters_json_and_expire(platsbanken_path: Path) -> None:
    _run("ingest", "--source", "platsbanken-web", str(platsbanken_path), "--workers", "1")
    lines = [json.loads(line) for line in _run("dedup_clusters", "--json")]
    assert len(lines) >= 30
    for cluster in lines:
        assert set(cluster) == {"cluster", "members"}
        assert len(cluster["members"]) >= 2
        assert all(set(m) == {"source", "source_id", "url"} for m in cluster["members"])
    biggest = max(lines, key=lambda c: len(c["members"]))
    assert len(biggest["members"]) == 25
    assert json.loads(_run("expire_ads")[-1]) == {"expired": 0}  # these ads have no deadline
