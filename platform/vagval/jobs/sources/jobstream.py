"""Live client of JobTech's JobStream API (`/v2/snapshot`, `/v2/stream`), feeding the pipeline.

- `/v2/snapshot`: every published ad (a JSON array, ~40,000 ads). Used when there is no cursor.
- `/v2/stream?updated-after=YYYY-MM-DDTHH:MM:SS[&updated-before=...]`: the ads changed in that
  window, as a JSON array; an ad taken down appears as `{"id": ..., "removed": true,
  "removed_date": ...}`. Times are Swedish local time without an offset, like the ads' own dates.

Requests have timeouts and are retried with exponential backoff (and `Retry-After` when given) on
429, 5xx, timeouts and connection errors. Bodies are spooled to a temporary file and read item by
item with ijson, so a snapshot never sits in memory as one string. The sync resumes from the
`SourceCursor` row of `jobstream`, a little before the last window's end (re-reading is harmless:
the pipeline is idempotent).
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import httpx
import ijson

from vagval.jobs.normalise import STOCKHOLM
from vagval.jobs.sources.base import RawRecord, Rejection
from vagval.jobs.sources.jobtech import NAME as JOBTECH

logger = logging.getLogger(__name__)

CURSOR_NAME = "jobstream"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
# Re-read a little before the cursor: ads updated while the last request ran are not missed.
OVERLAP = dt.timedelta(minutes=5)
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


class JobStreamError(Exception):
    """The API could not be read (after retries) or answered with something unusable."""


def format_time(moment: dt.datetime) -> str:
    """An aware datetime as JobStream's parameter: Swedish local time, no offset."""
    return moment.astimezone(STOCKHOLM).strftime(DATE_FORMAT)


@dataclass(slots=True)
class JobStreamClient:
    base_url: str
    api_key: str = ""
    timeout: float = 60.0
    max_attempts: int = 5
    backoff_base: float = 2.0
    backoff_max: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None

    def _client(self) -> httpx.Client:
        headers = {"accept": "application/json", "user-agent": "vagval-jobstream/1"}
        if self.api_key:
            headers["api-key"] = self.api_key
        return httpx.Client(
            base_url=self.base_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(self.timeout, connect=10.0),
            transport=self.transport,
            follow_redirects=True,
        )

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None:
            retry_after = response.headers.get("retry-after", "")
            if retry_after.isdigit():
                return min(float(retry_after), self.backoff_max)
        return min(self.backoff_base * (2 ** (attempt - 1)), self.backoff_max)

    def fetch(self, path: str, params: dict[str, str] | None = None) -> IO[bytes]:
        """GET `path` into a temporary file (rewound), retrying transient failures."""
        last_error = ""
        with self._client() as client:
            for attempt in range(1, self.max_attempts + 1):
                response: httpx.Response | None = None
                try:
                    with client.stream("GET", path, params=params) as response:
                        if response.status_code == 200:
                            body = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
                            for chunk in response.iter_bytes():
                                body.write(chunk)
                            body.seek(0)
                            return body  # type: ignore[return-value]
                        if response.status_code not in RETRY_STATUS:
                            response.read()
                            raise JobStreamError(
                                f"JobStream {path} svarade {response.status_code}: "
                                f"{response.text[:300]}"
                            )
                        last_error = f"HTTP {response.status_code}"
                except (httpx.TimeoutException, httpx.TransportError) as exc:
                    last_error = f"{type(exc).__name__}: {exc}"
                    response = None
                if attempt < self.max_attempts:
                    delay = self._delay(attempt, response)
                    logger.warning(
                        "JobStream %s failed (%s), retry %d in %.0f s",
                        path,
                        last_error,
                        attempt,
                        delay,
                    )
                    self.sleep(delay)
        raise JobStreamError(
            f"JobStream {path} gav upp efter {self.max_attempts} försök: {last_error}"
        )

    def snapshot(self) -> IO[bytes]:
        return self.fetch("/v2/snapshot")

    def stream(
        self, *, updated_after: dt.datetime, updated_before: dt.datetime | None = None
    ) -> IO[bytes]:
        params = {"updated-after": format_time(updated_after)}
        if updated_before is not None:
            params["updated-before"] = format_time(updated_before)
        return self.fetch("/v2/stream", params)


def iter_ads(body: IO[bytes], origin: str) -> Iterator[RawRecord | Rejection]:
    """The ads of a snapshot/stream body (a JSON array), item by item."""
    index = -1
    try:
        for index, item in enumerate(ijson.items(body, "item", use_float=True)):
            yield RawRecord(JOBTECH, None, item, f"{origin}#{index}")
    except ijson.JSONError as exc:
        body.seek(0)
        yield Rejection(
            JOBTECH,
            "",
            "malformed",
            f"JobStream-svaret är inte giltig JSON efter post {index}: {exc}",
            body.read(64 * 1024).decode("utf-8", "replace"),
            f"{origin}#{index + 1}",
        )


def client_from_settings(**overrides: Any) -> JobStreamClient:
    from django.conf import settings

    return JobStreamClient(
        base_url=settings.JOBSTREAM_URL, api_key=settings.JOBSTREAM_API_KEY, **overrides
    )
