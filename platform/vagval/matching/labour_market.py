"""Labour-market aggregates for occupation suggestions: demand, outlook, salary, transitions.

Read from `$VAGVAL_DATA_DIR/labour_market/` (see shared/data/README.md, section 5):

* `ssyk_id_region_annonser_2024.json`: Platsbanken ads in 2024 per SSYK-4 concept and region;
* `barometer_regional.json`: Yrkesbarometer level and 5-year outlook per barometer occupation
  and region (barometer occupation ids are not in our taxonomy; kept for when a mapping exists);
* `ssyk_salary.json`: SCB monthly salary P10 / mean / P90 per SSYK-4 code;
* `labour_flow_data.json`: the SSYK-4 codes people most often move to, per SSYK-4 code.

The data folder is optional (a production site may not ship it): without it `get_labour_market`
returns an empty `LabourMarket` whose `available` is False, every lookup answers "unknown", and
suggestions simply leave out the demand, salary and transition reasons. A broken file is
logged and treated the same way; it never breaks a page.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

SWEDEN = "i46j_HmG_v64"  # the country concept id used as the national key
FILES = {
    "ads": "ssyk_id_region_annonser_2024.json",
    "barometer": "barometer_regional.json",
    "salary": "ssyk_salary.json",
    "flows": "labour_flow_data.json",
}


@dataclass
class LabourMarket:
    """The aggregates, keyed as in the files. Empty when the data folder is absent."""

    ads_by_group_region: dict[str, dict[str, int]] = field(default_factory=dict)
    barometer: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    salary_by_code: dict[str, tuple[int | None, int | None, int | None]] = field(
        default_factory=dict
    )
    flows_by_code: dict[str, list[str]] = field(default_factory=dict)
    source: str = ""
    missing: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return bool(self.ads_by_group_region or self.salary_by_code or self.flows_by_code)

    def ads(self, group_id: str, regions: tuple[str, ...] | list[str] = ()) -> int | None:
        """2024 ads for a group in the given regions (all of Sweden when none given)."""
        per_region = self.ads_by_group_region.get(group_id)
        if per_region is None:
            return None
        if not regions:
            return int(per_region.get(SWEDEN, sum(per_region.values())))
        return int(sum(per_region.get(r, 0) for r in regions))

    def ads_by_region(self, group_id: str) -> dict[str, int]:
        """Ads per region for a group (the demand-by-region chart), without the national key."""
        return {r: n for r, n in self.ads_by_group_region.get(group_id, {}).items() if r != SWEDEN}

    def salary(self, code: str) -> tuple[int | None, int | None, int | None]:
        """(P10, mean, P90) monthly SEK for an SSYK-4 code; None where SCB has no value."""
        return self.salary_by_code.get(code, (None, None, None))

    def transitions(self, code: str) -> list[tuple[str, int]]:
        """SSYK-4 codes people move to from `code`, with how often each is listed, best first."""
        counts = Counter(self.flows_by_code.get(code, []))
        order = {c: i for i, c in enumerate(dict.fromkeys(self.flows_by_code.get(code, [])))}
        return sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))

    def demand_score(self, group_id: str, regions: tuple[str, ...] | list[str] = ()) -> float:
        """Demand in [0, 1]: log ads relative to the largest group in the same area."""
        n = self.ads(group_id, regions)
        if not n:
            return 0.0
        top = self._max_ads(tuple(sorted(regions)))
        return math.log1p(n) / math.log1p(top) if top else 0.0

    def _max_ads(self, regions: tuple[str, ...]) -> int:
        key = ("max", regions)
        cached = self._memo.get(key)
        if cached is None:
            cached = max((self.ads(g, regions) or 0 for g in self.ads_by_group_region), default=0)
            self._memo[key] = cached
        return int(cached)

    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)


def _to_int(value: Any) -> int | None:
    try:
        return int(str(value).replace(" ", ""))
    except (TypeError, ValueError):
        return None


def labour_market_load(*, data_dir: Path) -> LabourMarket:
    """Load the aggregates from `data_dir/labour_market`; missing or bad files are skipped."""
    folder = data_dir / "labour_market"
    market = LabourMarket(source=str(folder))
    if not folder.is_dir():
        logger.warning("no labour-market data in %s: suggestions go without demand", folder)
        market.missing = list(FILES.values())
        return market
    raw: dict[str, Any] = {}
    for key, name in FILES.items():
        path = folder / name
        try:
            raw[key] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            market.missing.append(name)
        except (OSError, ValueError) as exc:
            logger.warning("unreadable labour-market file %s: %s", path, exc)
            market.missing.append(name)
    market.ads_by_group_region = {
        g: {r: int(n) for r, n in regions.items()} for g, regions in raw.get("ads", {}).items()
    }
    market.barometer = raw.get("barometer", {})
    market.salary_by_code = {
        code: (_to_int(v[0]), _to_int(v[1]), _to_int(v[2]))
        for code, v in raw.get("salary", {}).items()
        if isinstance(v, list) and len(v) == 3
    }
    market.flows_by_code = {code: list(v) for code, v in raw.get("flows", {}).items()}
    return market


_lock = threading.Lock()
_cached: LabourMarket | None = None


def get_labour_market() -> LabourMarket:
    """The process-wide aggregates from settings.VAGVAL_DATA_DIR (loaded once)."""
    global _cached
    with _lock:
        if _cached is None:
            _cached = labour_market_load(data_dir=Path(settings.VAGVAL_DATA_DIR))
        return _cached


def reset_labour_market() -> None:
    global _cached
    with _lock:
        _cached = None
