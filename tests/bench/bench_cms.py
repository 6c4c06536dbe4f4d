"""Benchmark of the public CMS pages: requests per second served from the page cache versus
rendered by Wagtail, side by side, with the SQL queries of one request of each kind.

Run: `.venv/bin/python -m tests.bench.bench_cms` (prints one JSON object per line), or call
`run()`.

How it is measured:
* in-process with Django's test client (`django.test.Client`): no network and no web server,
  so the numbers are the cost of the Django stack (middleware, Wagtail routing, templates,
  database) per request on one core, not of a WSGI server;
* on a throw-away test database (created and migrated like the test suite's, SQLite in the
  embedded default, PostgreSQL when DATABASE_URL says so), filled by the CMS demo loader
  (`cms.demo.load_demo_data`), so the pages are the real demo pages with their authors,
  topics, images, charts and comments;
* "cached": anonymous GETs after one warm-up request, answered by `cms.cache.PageCacheMiddleware`
  (the response carries `X-Page-Cache: hit`);
* "uncached": the same GETs with the page cache switched off (`CMS_PAGE_CACHE_SECONDS=0`), so
  every request routes and renders the page (the other caches, e.g. image renditions and the
  menu, stay warm as on a running site).
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vagval.config.settings")

CACHED_REQUESTS = 400
UNCACHED_REQUESTS = 60
PAGES = {
    "article": "/analys/ai-forandrar-tjanstemannayrken/",
    "debate": "/debatt/gor-omstallningsstudiestodet-enklare/",
    "home": "/",
}


def _setup_django() -> None:
    root = Path(__file__).resolve().parents[2]
    for p in (str(root), str(root / "platform")):
        if p not in sys.path:
            sys.path.insert(0, p)
    import django

    django.setup()


def _rps(client: Any, url: str, n: int, *, expect_hit: bool) -> float:
    start = time.perf_counter()
    for _ in range(n):
        response = client.get(url)
        if response.status_code != 200 or (response.get("X-Page-Cache") == "hit") != expect_hit:
            raise RuntimeError(f"{url}: status {response.status_code}, cache hit {not expect_hit}")
    return n / (time.perf_counter() - start)


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def _measure() -> list[dict[str, Any]]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings

    from cms.demo import load_demo_data

    cache.clear()
    load_demo_data(stdout=io.StringIO())
    results = []
    for name, url in PAGES.items():
        client = Client()
        client.get(url)  # warm-up: stores the page
        cached_queries = _queries(client, url)
        cached = _rps(client, url, CACHED_REQUESTS, expect_hit=True)
        with override_settings(CMS_PAGE_CACHE_SECONDS=0):
            client.get(url)  # warm-up of renditions, menu and live figures
            uncached_queries = _queries(client, url)
            uncached = _rps(client, url, UNCACHED_REQUESTS, expect_hit=False)
        results.append(
            {
                "benchmark": f"cms_{name}_page",
                "url": url,
                "cached_rps": round(cached, 1),
                "uncached_rps": round(uncached, 1),
                "speedup": round(cached / uncached, 1),
                "cached_queries": cached_queries,
                "uncached_queries": uncached_queries,
                "requests": {"cached": CACHED_REQUESTS, "uncached": UNCACHED_REQUESTS},
                "client": "django.test.Client, in-process, one core",
                "database": connection.vendor,
            }
        )
    return results


def run() -> list[dict[str, Any]]:
    """Create a test database, load the CMS demo, measure, drop the database."""
    _setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        results = _measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    for result in results:
        print(json.dumps(result, ensure_ascii=False))
    return results


if __name__ == "__main__":
    run()
