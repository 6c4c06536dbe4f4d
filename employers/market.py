"""Market demand for skills: how many active ads ask for each skill.

Read from the matching engine's in-process ad index (the same active ads the feed ranks), so a
dashboard costs no scan of the ads table: the per-skill ad counts are one column sum of the
index's skill block, computed once per index version.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

import numpy as np

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_cache: dict[str, dict[str, int]] = {}


def market_skill_demand(*, skill_ids: Iterable[str]) -> dict[str, int] | None:
    """Active ads per skill id (0 when none), or None when no ads are loaded at all."""
    from vagval.matching.feed import get_ad_index

    try:
        index = get_ad_index()
    except Exception as exc:  # the feed's index is optional here: the map works without it
        logger.warning("ad index unavailable for the competence map: %s", exc)
        return None
    if index.n_ads == 0:
        return None
    with _lock:
        counts = _cache.get(index.version)
        if counts is None:
            start = index.offsets["skill_n"]
            width = len(index.skills.ids)
            block = index.X[:, start : start + width]
            df = np.asarray((block > 0).sum(axis=0)).ravel()
            counts = {sid: int(df[i]) for i, sid in enumerate(index.skills.ids)}
            _cache.clear()
            _cache[index.version] = counts
    return {s: counts.get(s, 0) for s in skill_ids}
