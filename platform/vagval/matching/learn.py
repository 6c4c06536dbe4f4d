"""Learning the feed weights from what clients did with the ads they were shown.

Each outcome signal is one (client profile, ad) pair with a label: positive when the client
saved, applied for or got the job, negative when they hid it or ignored it. Its feature row is
`feed.feature_rows(profile, [ad_id])`, the very features the feed scores with, so the fitted
coefficients of a logistic regression are directly feature weights for `feed_rank(weights=...)`.

Until enough signals exist (`MIN_SIGNALS`, with both kinds present) the hand-set
`feed.DEFAULT_WEIGHTS` stay in force: a handful of clicks must not steer everyone's feed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from vagval.matching.feed import DEFAULT_WEIGHTS, FEATURES

MIN_SIGNALS = 200
MIN_PER_CLASS = 30
POSITIVE = frozenset({"saved", "applied", "interview", "hired"})
NEGATIVE = frozenset({"hidden", "ignored", "rejected"})


@dataclass(frozen=True)
class FittedWeights:
    """Weights per feature, on the scale of the hand-set defaults, and how they were got."""

    weights: dict[str, float]
    n_signals: int
    learned: bool  # False: not enough signals, these are the defaults
    intercept: float = 0.0


def labels_from_outcomes(outcomes: list[str]) -> np.ndarray:
    """1 for positive outcomes, 0 for negative; unknown outcome names are refused."""
    out = []
    for name in outcomes:
        if name in POSITIVE:
            out.append(1)
        elif name in NEGATIVE:
            out.append(0)
        else:
            raise ValueError(f"Unknown outcome {name!r}")
    return np.asarray(out, dtype=np.int8)


def fit_feature_weights(
    rows: np.ndarray,
    labels: np.ndarray,
    *,
    min_signals: int = MIN_SIGNALS,
    min_per_class: int = MIN_PER_CLASS,
    regularisation: float = 1.0,
    fallback: Mapping[str, float] = DEFAULT_WEIGHTS,
) -> FittedWeights:
    """Fit weights for `feed.FEATURES` from feature rows (n x features) and 0/1 labels.

    Rows with NaN (ads no longer indexed) are dropped. Features that never vary keep their
    fallback weight: the data says nothing about them. The learned coefficients are rescaled so
    their absolute sum equals that of the fallback weights, keeping scores on the usual scale.
    """
    X = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels).astype(int)
    if X.ndim != 2 or X.shape[1] != len(FEATURES) or len(X) != len(y):
        raise ValueError(f"rows must be n x {len(FEATURES)} with one label per row")
    keep = ~np.isnan(X).any(axis=1)
    X, y = X[keep], y[keep]
    n_pos, n_neg = int(y.sum()), int((1 - y).sum())
    if len(y) < min_signals or min(n_pos, n_neg) < min_per_class:
        return FittedWeights(dict(fallback), n_signals=len(y), learned=False)
    varying = X.std(axis=0) > 1e-9
    model = LogisticRegression(C=regularisation, max_iter=1000)
    model.fit(X[:, varying], y)
    coef = np.zeros(len(FEATURES))
    coef[varying] = model.coef_[0]
    fixed = np.array([fallback[f] for f in FEATURES])
    scale = np.abs(fixed[varying]).sum() / max(np.abs(coef[varying]).sum(), 1e-9)
    weights = {
        name: float(coef[i] * scale) if varying[i] else float(fixed[i])
        for i, name in enumerate(FEATURES)
    }
    return FittedWeights(
        weights, n_signals=len(y), learned=True, intercept=float(model.intercept_[0])
    )
