"""Fixtures of the taxonomy tests: the real taxonomy, loaded once per session."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

ADS_FILE = "jobads/platsbanken_web_2023-08_stockholm_it.jsonl.gz"


@pytest.fixture(autouse=True)
def _taxonomy(taxonomy_loaded: str) -> str:
    """Every test here runs against the real taxonomy."""
    return taxonomy_loaded


@pytest.fixture(scope="session")
def real_ads(real_data_dir: Path) -> dict[str, dict[str, Any]]:
    """The real Platsbanken ads, keyed by their ad id."""
    ads = {}
    with gzip.open(real_data_dir / ADS_FILE, "rt", encoding="utf-8") as handle:
        for line in handle:
            ad = json.loads(line)
            ads[ad["url"].rsplit("/", 1)[1]] = ad
    return ads
