"""Labour-market aggregates for occupation suggestions: demand, outlook, salary, transitions.

Read from `$VAGVAL_DATA_DIR/labour_market/` (see shared/data/README.md, section 5):

* `ssyk_id_region_annonser_2024.json`: Platsbanken ads in 2024 per SSYK-4 concept and region;
* `barometer_regional.json`: Yrkesbarometer level and 5-year outlook per barometer occupation
  and region. Barometer occupations are their own taxonomy type, absent from our snapshot, so
  `barometer_occupations.json` says which occupation names and SSYK-4 groups each covers (the
  committed `data/barometer_occupations.json` holds the verified pairs; a file of the same
  shape in the data folder replaces it); see `LabourMarket.outlook`;
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
BAROMETER_MAP = "barometer_occupations.json"
DEFAULT_BAROMETER_MAP = Path(__file__).resolve().parent / "data" / BAROMETER_MAP

# Yrkesbarometer's words, as in the file, and how the page says them.
LEVELS = {
    "stora": ("Stora", "Good"),
    "medelstora": ("Medelstora", "Fair"),
    "små": ("Små", "Small"),
}
TRENDS = {
    "öka": ("öka", "grow"),
    "vara oförändrad": ("vara oförändrad", "stay the same"),
    "minska": ("minska", "shrink"),
}
FIVE_YEARS_SV = {1: "det närmaste året", 5: "de närmaste fem åren"}
FIVE_YEARS_EN = {1: "the coming year", 5: "the next five years"}


@dataclass(frozen=True)
class Outlook:
    """One Yrkesbarometer assessment: chances of work now and demand over the horizon."""

    barometer_id: str
    label: str  # the barometer occupation, e.g. "Mjukvaru- och systemutvecklare"
    region_id: str  # the region assessed, or SWEDEN
    level: str  # "stora" | "medelstora" | "små"
    trend: str  # "öka" | "vara oförändrad" | "minska"
    year: int | None  # when it was assessed
    horizon_years: int

    @property
    def until(self) -> int | None:
        return self.year + self.horizon_years if self.year else None

    def texts(self, where_sv: str, where_en: str) -> tuple[str, str]:
        """The outlook in plain Swedish and English; `where_*` names the region ("i
        Stockholms län"), empty for Sweden as a whole."""
        level_sv, level_en = LEVELS.get(self.level, (self.level.capitalize(), self.level))
        trend_sv, trend_en = TRENDS.get(self.trend, (self.trend, self.trend))
        span_sv = FIVE_YEARS_SV.get(self.horizon_years, f"de närmaste {self.horizon_years} åren")
        span_en = FIVE_YEARS_EN.get(self.horizon_years, f"the next {self.horizon_years} years")
        source_sv = f"Arbetsförmedlingens yrkesbarometer {self.year or ''}".rstrip()
        source_en = f"Arbetsförmedlingen's Yrkesbarometer {self.year or ''}".rstrip()
        sv = (
            f"{level_sv} möjligheter till arbete {where_sv or 'i Sverige'}; efterfrågan väntas "
            f"{trend_sv} {span_sv} ({source_sv})"
        )
        en = (
            f"{level_en} chances of work {where_en or 'in Sweden'}; demand is expected to "
            f"{trend_en} over {span_en} ({source_en})"
        )
        return sv, en

    def as_dict(self) -> dict[str, Any]:
        return {
            "barometer_id": self.barometer_id,
            "label": self.label,
            "region_id": self.region_id,
            "level": self.level,
            "trend": self.trend,
            "year": self.year,
            "horizon_years": self.horizon_years,
        }


@dataclass
class BarometerMap:
    """Which barometer occupation covers an occupation name or a whole SSYK-4 group."""

    by_occupation: dict[str, str] = field(default_factory=dict)
    by_code: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    horizon_years: int = 5
    source: str = ""


def barometer_map_load(path: Path) -> BarometerMap:
    """Read a barometer_occupations.json (see data/barometer_occupations.json's `_about`)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    out = BarometerMap(
        year=_to_int(raw.get("assessment_year")),
        horizon_years=_to_int(raw.get("horizon_years")) or 5,
        source=str(path),
    )
    codes: dict[str, list[str]] = {}
    for bid, entry in (raw.get("occupations") or {}).items():
        out.labels[bid] = str(entry.get("label") or "")
        for occ in entry.get("occupation_ids") or []:
            out.by_occupation[str(occ)] = bid
        if entry.get("whole_groups"):
            for code in entry.get("ssyk") or []:
                codes.setdefault(str(code), []).append(bid)
    # A group shared by two barometer occupations says nothing certain about its other names.
    out.by_code = {code: bids[0] for code, bids in codes.items() if len(bids) == 1}
    return out


@dataclass
class LabourMarket:
    """The aggregates, keyed as in the files. Empty when the data folder is absent."""

    ads_by_group_region: dict[str, dict[str, int]] = field(default_factory=dict)
    barometer: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    salary_by_code: dict[str, tuple[int | None, int | None, int | None]] = field(
        default_factory=dict
    )
    flows_by_code: dict[str, list[str]] = field(default_factory=dict)
    barometer_map: BarometerMap = field(default_factory=BarometerMap)
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

    def outlook(
        self,
        *,
        occupation_id: str = "",
        ssyk: str = "",
        regions: tuple[str, ...] | list[str] = (),
    ) -> Outlook | None:
        """The Yrkesbarometer outlook for an occupation name (or, failing that, its SSYK-4
        group): in the first of `regions` that has an assessment, else for Sweden. None when
        no barometer occupation is known to cover it."""
        bmap = self.barometer_map
        bid = bmap.by_occupation.get(occupation_id) or bmap.by_code.get(ssyk)
        per_region = self.barometer.get(bid or "")
        if not bid or not per_region:
            return None
        for region in [*regions, SWEDEN]:
            value = per_region.get(region)
            if isinstance(value, list) and len(value) >= 2 and value[0] and value[1]:
                return Outlook(
                    barometer_id=bid,
                    label=bmap.labels.get(bid, ""),
                    region_id=region,
                    level=str(value[0]),
                    trend=str(value[1]),
                    year=bmap.year,
                    horizon_years=bmap.horizon_years,
                )
        return None

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
    if market.barometer:
        override = folder / BAROMETER_MAP
        path = override if override.is_file() else DEFAULT_BAROMETER_MAP
        try:
            market.barometer_map = barometer_map_load(path)
        except (OSError, ValueError, AttributeError) as exc:
            logger.warning("unreadable barometer occupation map %s: %s", path, exc)
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
