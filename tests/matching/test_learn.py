"""Learning feed weights from outcome signals recovers a known true weighting."""

from __future__ import annotations

import numpy as np
import pytest

from vagval.matching.feed import DEFAULT_WEIGHTS, FEATURES
from vagval.matching.learn import fit_feature_weights, labels_from_outcomes


def synthetic_signals(n: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows shaped like the feed's, labels drawn from a known logistic model."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, len(FEATURES))).astype(np.float32)
    for binary in ("occ_target", "group_target", "outside_area", "hours_mismatch"):
        j = FEATURES.index(binary)
        X[:, j] = (X[:, j] > 0.7).astype(np.float32)
    truth = np.zeros(len(FEATURES))
    truth[FEATURES.index("skill_count")] = 3.0
    truth[FEATURES.index("group_target")] = 2.0
    truth[FEATURES.index("text")] = 1.0
    truth[FEATURES.index("recency")] = 0.3
    truth[FEATURES.index("outside_area")] = -2.5
    logits = X @ truth - 2.0
    y = (rng.random(n) < 1 / (1 + np.exp(-logits))).astype(int)
    return X, y, truth


def test_learned_weights_recover_the_true_ordering() -> None:
    X, y, truth = synthetic_signals(6000)
    fitted = fit_feature_weights(X, y)
    assert fitted.learned and fitted.n_signals == 6000
    w = np.array([fitted.weights[f] for f in FEATURES])
    strong = ["skill_count", "group_target", "outside_area", "text", "recency"]
    # Same order by size and same signs as the truth for the features that matter...
    by_size = sorted(strong, key=lambda f: -abs(fitted.weights[f]))
    assert by_size == sorted(strong, key=lambda f: -abs(truth[FEATURES.index(f)]))
    assert fitted.weights["outside_area"] < 0 < fitted.weights["skill_count"]
    # ...and the irrelevant ones stay small next to the weakest real one.
    noise = [abs(w[i]) for i, f in enumerate(FEATURES) if truth[i] == 0]
    assert max(noise) < abs(fitted.weights["text"])
    # Ranking held-out pairs by the learned weights agrees with the truth.
    X2, _, _ = synthetic_signals(500, seed=99)
    corr = np.corrcoef(X2 @ w, X2 @ truth)[0, 1]
    assert corr > 0.95


def test_too_few_signals_keep_the_hand_weights() -> None:
    X, y, _ = synthetic_signals(50)
    fitted = fit_feature_weights(X, y)
    assert not fitted.learned
    assert fitted.weights == DEFAULT_WEIGHTS


def test_rows_of_vanished_ads_are_dropped_and_shapes_checked() -> None:
    X, y, _ = synthetic_signals(400)
    X[:10] = np.nan
    assert fit_feature_weights(X, y, min_signals=100).n_signals == 390
    with pytest.raises(ValueError, match="rows must be"):
        fit_feature_weights(X[:, :3], y)


def test_outcome_names_map_to_labels() -> None:
    assert labels_from_outcomes(["saved", "hidden", "hired", "ignored"]).tolist() == [1, 0, 1, 0]
    with pytest.raises(ValueError, match="clicked"):
        labels_from_outcomes(["clicked"])
