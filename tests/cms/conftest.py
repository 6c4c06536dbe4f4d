"""Fixtures for the public-site tests.

The cache is cleared around every test: the page cache and the rate-limit counters live there
and must not leak from one test to the next (the database is rolled back, the cache is not).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tests.cms.builders import Tree, build_tree


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db: Any) -> Tree:
    return build_tree()


@pytest.fixture(scope="session")
def cms_taxonomy(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The committed JobTech taxonomy snapshot, loaded once (live figures need its labels)."""
    from vagval.jobs.places import reset_place_resolver
    from vagval.taxonomy.services import taxonomy_load

    with django_db_blocker.unblock():
        taxonomy_load()
    reset_place_resolver()
