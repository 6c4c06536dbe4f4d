"""The live JobStream client against recorded payloads served by respx (only the API is faked)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
import pytest
import respx
from django.test import override_settings

from vagval.jobs import tasks
from vagval.jobs.models import JobAd, SourceCursor
from vagval.jobs.services import jobstream_sync
from vagval.jobs.sources.jobstream import JobStreamClient, JobStreamError

pytestmark = pytest.mark.usefixtures("jobs_db")

BASE = "https://jobstream.test"
FIRST = dt.datetime(2023, 8, 2, 8, 0, tzinfo=dt.UTC)
SECOND = dt.datetime(2023, 8, 4, 8, 0, tzinfo=dt.UTC)


def _client(sleeps: list[float]) -> JobStreamClient:
    return JobStreamClient(base_url=BASE, api_key="test-key", sleep=sleeps.append)


@respx.mock
def test_first_sync_reads_the_snapshot_then_resumes_from_cursor(
    recorded_files: dict[str, Path],
) -> None:
    snapshot = recorded_files["jobstream_snapshot.json"].read_bytes()
    stream = recorded_files["jobstream_stream.json"].read_bytes()
    snap_route = respx.get(f"{BASE}/v2/snapshot").mock(
        return_value=httpx.Response(200, content=snapshot)
    )
    stream_route = respx.get(f"{BASE}/v2/stream").mock(
        return_value=httpx.Response(200, content=stream)
    )
    sleeps: list[float] = []

    first = jobstream_sync(client=_client(sleeps), now=FIRST)
    assert (first.read, first.new) == (40, 40)
    assert snap_route.call_count == 1 and stream_route.call_count == 0
    assert snap_route.calls[0].request.headers["api-key"] == "test-key"
    assert SourceCursor.objects.get(source="jobstream").last_timestamp == FIRST

    second = jobstream_sync(client=_client(sleeps), now=SECOND)
    assert stream_route.call_count == 1
    params = stream_route.calls[0].request.url.params
    # Resume 5 minutes before the cursor, in Swedish local time (UTC+2 in August).
    assert params["updated-after"] == "2023-08-02T09:55:00"
    assert params["updated-before"] == "2023-08-04T10:00:00"
    assert (second.new, second.removed) == (5, 2)
    assert JobAd.objects.filter(source="jobtech", removed_at__isnull=False).count() == 2
    assert SourceCursor.objects.get(source="jobstream").last_timestamp == SECOND
    assert sleeps == []


@respx.mock
def test_backoff_on_503_and_timeout_then_success(recorded_files: dict[str, Path]) -> None:
    SourceCursor.objects.create(source="jobstream", last_timestamp=FIRST)
    stream = recorded_files["jobstream_stream.json"].read_bytes()
    route = respx.get(f"{BASE}/v2/stream").mock(
        side_effect=[
            httpx.Response(503, text="Service Unavailable"),
            httpx.ReadTimeout("slow"),
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(200, content=stream),
        ]
    )
    sleeps: list[float] = []
    summary = jobstream_sync(client=_client(sleeps), now=SECOND)
    assert route.call_count == 4
    assert sleeps == [2.0, 4.0, 7.0]  # exponential backoff, then the server's Retry-After
    assert summary.new == 6  # 5 new ads + the changed one (not stored before)


@respx.mock
def test_failure_keeps_the_cursor(recorded_files: dict[str, Path]) -> None:
    SourceCursor.objects.create(source="jobstream", last_timestamp=FIRST)
    respx.get(f"{BASE}/v2/stream").mock(return_value=httpx.Response(502))
    sleeps: list[float] = []
    with pytest.raises(JobStreamError, match="5 försök"):
        jobstream_sync(client=_client(sleeps), now=SECOND)
    assert len(sleeps) == 4
    assert SourceCursor.objects.get(source="jobstream").last_timestamp == FIRST
    respx.get(f"{BASE}/v2/stream").mock(return_value=httpx.Response(401, text="bad key"))
    with pytest.raises(JobStreamError, match="401"):
        jobstream_sync(client=_client(sleeps), now=SECOND)


@respx.mock
def test_task_is_disabled_unless_enabled(recorded_files: dict[str, Path]) -> None:
    route = respx.get("https://jobstream.celery.test/v2/snapshot").mock(
        return_value=httpx.Response(
            200, content=recorded_files["jobstream_snapshot.json"].read_bytes()
        )
    )
    with override_settings(JOBSTREAM_ENABLED=False):
        assert tasks.jobstream_sync.delay().get() == {"skipped": "JOBSTREAM_ENABLED is false"}
    assert route.call_count == 0
    with override_settings(JOBSTREAM_ENABLED=True, JOBSTREAM_URL="https://jobstream.celery.test"):
        result = tasks.jobstream_sync.delay().get()
    assert route.call_count == 1
    assert result["new"] == 40
    assert tasks.jobstream_sync.acks_late and tasks.ads_expire.acks_late


def test_expire_task(recorded_files: dict[str, Path]) -> None:
    from tests.jobs.conftest import NOW
    from vagval.jobs.services import ads_ingest

    ads_ingest(
        source="jobtech", paths=[recorded_files["jobtech_single_ad.json"]], workers=1, now=NOW
    )
    # The real clock is long past the fixture's 2023 deadlines.
    assert tasks.ads_expire.delay().get() == {"expired": 1}
    assert json.loads(json.dumps(tasks.ads_expire.delay().get())) == {"expired": 0}
