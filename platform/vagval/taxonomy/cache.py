"""Which taxonomy version is loaded, cheaply, for the in-memory indexes built from it.

Autocomplete and the text matcher build their indexes once per process and must rebuild them when
a new snapshot is loaded. Asking the database on every request would cost a query per keystroke,
so the version is re-read at most every `RECHECK_SECONDS`; a load in this process resets it at
once (`taxonomy_version_reset`), other processes notice within that interval.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

RECHECK_SECONDS = 10.0

T = TypeVar("T")

_lock = threading.Lock()
_version: str | None = None
_checked_at = 0.0


def taxonomy_version_current() -> str:
    """Version hash of the snapshot in force, or "" if none was loaded."""
    global _version, _checked_at
    now = time.monotonic()
    if _version is None or now - _checked_at > RECHECK_SECONDS:
        from vagval.taxonomy.models import TaxonomyRelease

        latest = TaxonomyRelease.objects.order_by("-loaded_at", "-id").values_list(
            "version", flat=True
        )
        with _lock:
            _version = latest.first() or ""
            _checked_at = now
    return _version


def taxonomy_version_reset() -> None:
    """Forget the cached version (after a load, or when tests swap databases)."""
    global _version
    with _lock:
        _version = None


class VersionedCache(Generic[T]):
    """One object built from the taxonomy, rebuilt when the taxonomy version changes."""

    def __init__(self, build: Callable[[str], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._value: T | None = None
        self._value_version: str | None = None

    def get(self) -> T:
        version = taxonomy_version_current()
        value = self._value
        if value is not None and self._value_version == version:
            return value
        with self._lock:  # one thread builds, the others wait and reuse it
            if self._value is None or self._value_version != version:
                self._value = self._build(version)
                self._value_version = version
            return self._value

    def clear(self) -> None:
        with self._lock:
            self._value = None
            self._value_version = None
