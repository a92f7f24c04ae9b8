"""Group-specific thresholds: the constraint holds (measured by Fairlearn) and the accuracy is the
best that any pair of thresholds reaches (checked by trying every pair)."""

from __future__ import annotations

import itertools

import fairlearn.metrics as flm
import numpy as np
import pytest

from neuronlab.responsible import GroupThresholds


def case(seed, n=40):
    rng = np.random.default_rng(seed)
    g = rng.choice(["a", "b"], n)
    y = (rng.random(n) < np.where(g == "a", 0.6, 0.3)).astype(int)
    scores = np.clip(0.35 * y + rng.normal(0.3, 0.2, n) + 0.15 * (g == "a"), 0, 1)
    return np.round(scores, 2), y, g


def brute_force(scores, y, g, constraint, tolerance):
    """The most correct predictions over every pair of thresholds whose rates (the constraint's
    definition, written out) are within the tolerance."""
    cands = {k: np.concatenate([np.unique(scores[g == k]), [np.inf]]) for k in ("a", "b")}
    best = -1
    for ta, tb in itertools.product(cands["a"], cands["b"]):
        pred = np.where(g == "a", scores >= ta, scores >= tb).astype(int)
        if constraint == "demographic_parity":
            rates = [pred[g == k].mean() for k in ("a", "b")]
        else:
            rates = [pred[(g == k) & (y == 1)].mean() for k in ("a", "b")]
        if abs(rates[0] - rates[1]) <= tolerance + 1e-9:
            best = max(best, int((pred == y).sum()))
    return best


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("constraint", ["demographic_parity", "equal_opportunity"])
@pytest.mark.parametrize("tolerance", [0.0, 0.1, 0.3, 1.0])
def test_thresholds_reach_the_best_accuracy_under_the_constraint(seed, constraint, tolerance):
    scores, y, g = case(seed)
    post = GroupThresholds(constraint, tolerance=tolerance).fit(scores, y, g)
    pred = post.predict(scores, g)
    if constraint == "demographic_parity":
        gap = flm.demographic_parity_difference(y, pred, sensitive_features=g)
    else:
        gap = flm.equal_opportunity_difference(y, pred, sensitive_features=g)
    assert gap <= tolerance + 1e-9
    assert int((pred == y).sum()) == brute_force(scores, y, g, constraint, tolerance)


def test_errors_say_what_to_do():
    with pytest.raises(ValueError, match="constraint must be one of"):
        GroupThresholds("equalized_odds")
    with pytest.raises(ValueError, match=r"tolerance must be in \[0, 1\]"):
        GroupThresholds(tolerance=2)
    with pytest.raises(RuntimeError, match="call fit"):
        GroupThresholds().predict([0.5], ["a"])
    with pytest.raises(ValueError, match="has no positive example"):
        GroupThresholds("equal_opportunity").fit([0.2, 0.7, 0.4], [0, 1, 0], ["a", "b", "a"])
    post = GroupThresholds().fit([0.2, 0.7], [0, 1], ["a", "b"])
    with pytest.raises(ValueError, match=r"groups \['c'\] were not seen in fit"):
        post.predict([0.3], ["c"])
    with pytest.raises(ValueError, match="one entry per sample"):
        GroupThresholds().fit([0.2, 0.7], [0, 1], ["a"])
