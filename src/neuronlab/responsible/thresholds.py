"""Post-processing mitigation: one decision threshold per group, chosen for parity.

A trained model gives each person a score ``s`` (a probability of the positive class). One
threshold for everybody (``s >= 0.5``) can select the groups at very different rates. Here each
group ``g`` gets its own threshold ``t_g``, chosen on held-out data so that

* ``constraint='demographic_parity'``: the groups' selection rates ``P[s >= t_g | A=g]``,
* ``constraint='equal_opportunity'``: the groups' true positive rates
  ``P[s >= t_g | A=g, Y=1]``,

all lie within one window ``[r, r + tolerance]``, and, among all such choices, the number of
correct predictions on that data is largest. ``tolerance=0`` asks for (nearly) equal rates,
``tolerance=1`` is no constraint at all (each group's own most accurate threshold). The model is
not retrained; only the cut-off moves, so the price of the constraint is measured in accuracy.

How the search works: for each group, sort its scores from high to low; selecting the top ``k``
gives a rate (``k / n_g`` or ``TP_k / P_g``) and a number of correct predictions
``TP_k + (N_g - FP_k)``, all from cumulative sums. The lowest rate of any allowed choice is a
rate that some group reaches, so those rates are the window starts ``r`` to try; for each, each
group takes its best ``k`` whose rate lies in ``[r, r + tolerance]`` and the ``r`` with the most
correct predictions in total wins: the exact optimum on the fitting data. Ties in scores are
never split (a threshold selects all equal scores or none).

This is deterministic thresholding, a simpler relative of Hardt, Price and Srebro (2016) and
Fairlearn's ``ThresholdOptimizer`` (which mixes two thresholds at random to hit rates exactly).

>>> import numpy as np
>>> scores = np.array([0.9, 0.8, 0.3, 0.2, 0.45, 0.4, 0.3, 0.1])   # group b scored lower
>>> group = np.array(list("aaaabbbb"))
>>> y = np.array([1, 1, 0, 0, 1, 1, 0, 0])
>>> (scores >= 0.5).astype(int).tolist()                           # one threshold: no b chosen
[1, 1, 0, 0, 0, 0, 0, 0]
>>> post = GroupThresholds("demographic_parity", tolerance=0.0).fit(scores, y, group)
>>> post.thresholds_, post.predict(scores, group).tolist()
({'a': 0.8, 'b': 0.4}, [1, 1, 0, 0, 1, 1, 0, 0])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .metric_frame import group_masks

__all__ = ["CONSTRAINTS", "GroupThresholds"]

CONSTRAINTS = ("demographic_parity", "equal_opportunity")


@dataclass
class _Curve:
    """One group's choices: selecting the top ``k`` scores, for the allowed ``k``."""

    thresholds: np.ndarray  # (K,) the threshold that selects exactly those k
    rates: np.ndarray  # (K,) the constrained rate at that k
    correct: np.ndarray  # (K,) correct predictions at that k


def _best_in_windows(c: _Curve, starts: np.ndarray, width: float):
    """For each window ``[r, r + width]``: the index range ``[lo, hi)`` of the choices whose rate
    lies in it (rates grow with k) and their most correct predictions (-inf: none), every
    range's maximum taken at once by one ``maximum.reduceat``."""
    eps = 1e-12
    lo = np.searchsorted(c.rates, starts - eps, side="left")
    hi = np.searchsorted(c.rates, starts + width + eps, side="right")
    padded = np.append(c.correct, -np.inf)  # reduceat needs an index past the last range
    bounds = np.stack([lo, hi], axis=1).reshape(-1)
    maxima = np.maximum.reduceat(padded, bounds)[::2]
    return lo, hi, np.where(hi > lo, maxima, -np.inf)


def _curve(scores: np.ndarray, y: np.ndarray, constraint: str, who: str, group) -> _Curve:
    order = np.argsort(-scores, kind="stable")
    s, t = scores[order], y[order].astype(bool)
    n, positives = len(s), int(t.sum())
    tp = np.concatenate([[0], np.cumsum(t)])  # TP when the top k are selected, k = 0..n
    fp = np.arange(n + 1) - tp
    cuts = np.concatenate([[0], np.flatnonzero(np.diff(s) != 0) + 1, [n]])  # k between ties
    if constraint == "equal_opportunity":
        if positives == 0:
            raise ValueError(
                f"{who}: group {group!r} has no positive example in y_true, so its true "
                "positive rate is undefined and equal opportunity cannot be asked of it; use "
                "more data for that group, or constraint='demographic_parity'"
            )
        rates = tp[cuts] / positives
    else:
        rates = cuts / n
    correct = tp[cuts] + (n - positives) - fp[cuts]
    thresholds = np.where(cuts == 0, np.inf, s[np.maximum(cuts - 1, 0)])
    return _Curve(thresholds, rates.astype(float), correct.astype(float))


class GroupThresholds:
    """Group-specific thresholds for demographic parity or equal opportunity.

    Args:
        constraint: ``'demographic_parity'`` or ``'equal_opportunity'``.
        tolerance: how far apart (at most) the groups' rates may be, from 0 to 1.

    After :meth:`fit`: ``thresholds_`` ``{group: t}`` (``inf``: select nobody), ``rates_``
    ``{group: rate on the fitting data}``.
    """

    def __init__(self, constraint: str = "demographic_parity", tolerance: float = 0.0) -> None:
        if constraint not in CONSTRAINTS:
            raise ValueError(
                f"GroupThresholds: constraint must be one of {list(CONSTRAINTS)}, got "
                f"{constraint!r}"
            )
        if not 0.0 <= float(tolerance) <= 1.0:
            raise ValueError(f"GroupThresholds: tolerance must be in [0, 1], got {tolerance!r}")
        self.constraint, self.tolerance = constraint, float(tolerance)

    def fit(self, scores, y_true, sensitive_features: Any) -> GroupThresholds:
        """Choose the thresholds on ``(scores, y_true)``, e.g. a validation set."""
        who = "GroupThresholds.fit"
        scores, y = _check(who, scores, y_true)
        masks = group_masks(sensitive_features, len(scores))
        curves = {g: _curve(scores[m], y[m], self.constraint, who, g) for g, m in masks.items()}
        top = 1.0 - self.tolerance  # the lowest rate of a solution is a window start
        rates = np.concatenate([c.rates for c in curves.values()])
        starts = np.unique(np.concatenate([rates[rates <= top], [top]]))
        total = np.zeros(len(starts))
        ranges = {}
        for g, c in curves.items():
            lo, hi, gains = _best_in_windows(c, starts, self.tolerance)
            ranges[g] = (lo, hi)
            total += gains
        if not np.isfinite(total).any():
            raise RuntimeError(
                f"{who}: no common window of width {self.tolerance} holds a reachable rate of "
                "every group (a group with very few examples has few possible rates); raise "
                "the tolerance"
            )
        r = int(np.argmax(total))
        chosen = {}
        for g, c in curves.items():  # the first k that reaches the group's best in window r
            lo, hi = ranges[g][0][r], ranges[g][1][r]
            chosen[g] = lo + int(np.argmax(c.correct[lo:hi]))
        self.thresholds_ = {g: float(curves[g].thresholds[k]) for g, k in chosen.items()}
        self.rates_ = {g: float(curves[g].rates[k]) for g, k in chosen.items()}
        return self

    def predict(self, scores, sensitive_features: Any) -> np.ndarray:
        """1 where a score reaches its group's threshold, else 0 (groups unseen in fit: error)."""
        if not hasattr(self, "thresholds_"):
            raise RuntimeError("GroupThresholds.predict: call fit(scores, y_true, groups) first")
        scores = np.asarray(scores, dtype=float).reshape(-1)
        masks = group_masks(sensitive_features, len(scores))
        unknown = [g for g in masks if g not in self.thresholds_]
        if unknown:
            raise ValueError(
                f"GroupThresholds.predict: groups {unknown} were not seen in fit (it saw "
                f"{list(self.thresholds_)}); fit on data that holds every group"
            )
        out = np.zeros(len(scores), dtype=np.int64)
        for g, m in masks.items():
            out[m] = scores[m] >= self.thresholds_[g]
        return out


def _check(who: str, scores, y_true) -> tuple[np.ndarray, np.ndarray]:
    scores = np.asarray(scores, dtype=float).reshape(-1)
    y = np.asarray(y_true).reshape(-1)
    if len(scores) != len(y):
        raise ValueError(
            f"{who}: scores and y_true must have one entry per sample, got {len(scores)} and "
            f"{len(y)}"
        )
    if not set(np.unique(y).tolist()) <= {0, 1}:
        raise ValueError(f"{who}: y_true must hold 0/1 labels, got {np.unique(y)[:5].tolist()}")
    if not np.all(np.isfinite(scores)):
        raise ValueError(f"{who}: scores must be finite numbers")
    return scores, y
