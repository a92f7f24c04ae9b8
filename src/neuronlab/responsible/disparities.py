"""One-number fairness summaries, with Fairlearn's names, signatures and values.

* demographic parity: every group is selected at the same rate, ``P[h(X)=1 | A=a]``;
* equal opportunity: every group's real positives are found at the same rate (TPR);
* equalized odds: both the TPR and the FPR agree across groups; ``agg='worst_case'`` reports
  the larger of the two differences (the smaller of the two ratios), ``agg='mean'`` their mean.

``*_difference`` is 0 and ``*_ratio`` is 1 when the groups are treated alike. ``method`` is
``'between_groups'`` (largest minus smallest group) or ``'to_overall'`` (largest distance of a
group from the whole population); see :class:`~neuronlab.responsible.MetricFrame`.

>>> y_true, y_pred = [1, 0, 1, 0, 1, 0], [1, 1, 1, 0, 0, 0]
>>> demographic_parity_difference(y_true, y_pred, sensitive_features=list("aaabbb"))
1.0
"""

from __future__ import annotations

import math
from typing import Any

from .metric_frame import MetricFrame
from .rates import false_positive_rate, selection_rate, true_positive_rate

__all__ = [
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equal_opportunity_difference",
    "equal_opportunity_ratio",
    "equalized_odds_difference",
    "equalized_odds_ratio",
]

_AGGS = ("worst_case", "mean")


def _frame(metrics, y_true, y_pred, sensitive_features, sample_weight) -> MetricFrame:
    weights = {"sample_weight": sample_weight}
    params = weights if callable(metrics) else {name: weights for name in metrics}
    return MetricFrame(
        metrics=metrics,
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features=sensitive_features,
        sample_params=params,
    )


def demographic_parity_difference(
    y_true, y_pred, *, sensitive_features: Any, method: str = "between_groups", sample_weight=None
) -> float:
    """Largest minus smallest group selection rate (0: every group selected equally often)."""
    frame = _frame(selection_rate, y_true, y_pred, sensitive_features, sample_weight)
    return frame.difference(method=method)


def demographic_parity_ratio(
    y_true, y_pred, *, sensitive_features: Any, method: str = "between_groups", sample_weight=None
) -> float:
    """Smallest over largest group selection rate (1: every group selected equally often)."""
    frame = _frame(selection_rate, y_true, y_pred, sensitive_features, sample_weight)
    return frame.ratio(method=method)


def _odds(y_true, y_pred, sensitive_features, sample_weight) -> MetricFrame:
    metrics = {"tpr": true_positive_rate, "fpr": false_positive_rate}
    return _frame(metrics, y_true, y_pred, sensitive_features, sample_weight)


def _mean(values: list[float]) -> float:
    """The mean of the values that are defined (NaN when none is), as pandas' mean."""
    defined = [v for v in values if not math.isnan(v)]
    return sum(defined) / len(defined) if defined else math.nan


def _check_agg(who: str, agg: str) -> None:
    if agg not in _AGGS:
        raise ValueError(f"{who}: agg must be one of {list(_AGGS)}, got {agg!r}")


def equalized_odds_difference(
    y_true,
    y_pred,
    *,
    sensitive_features: Any,
    method: str = "between_groups",
    sample_weight=None,
    agg: str = "worst_case",
) -> float:
    """The TPR and FPR differences between groups: the larger one, or their mean."""
    _check_agg("equalized_odds_difference", agg)
    diffs = _odds(y_true, y_pred, sensitive_features, sample_weight).difference(method=method)
    values = [diffs["tpr"], diffs["fpr"]]
    return max(values) if agg == "worst_case" else _mean(values)


def equalized_odds_ratio(
    y_true,
    y_pred,
    *,
    sensitive_features: Any,
    method: str = "between_groups",
    sample_weight=None,
    agg: str = "worst_case",
) -> float:
    """The TPR and FPR ratios between groups: the smaller one, or their mean."""
    _check_agg("equalized_odds_ratio", agg)
    ratios = _odds(y_true, y_pred, sensitive_features, sample_weight).ratio(method=method)
    values = [ratios["tpr"], ratios["fpr"]]
    return min(values) if agg == "worst_case" else _mean(values)


def equal_opportunity_difference(
    y_true, y_pred, *, sensitive_features: Any, method: str = "between_groups", sample_weight=None
) -> float:
    """Largest minus smallest group true positive rate."""
    frame = _frame(true_positive_rate, y_true, y_pred, sensitive_features, sample_weight)
    return frame.difference(method=method)


def equal_opportunity_ratio(
    y_true, y_pred, *, sensitive_features: Any, method: str = "between_groups", sample_weight=None
) -> float:
    """Smallest over largest group true positive rate."""
    frame = _frame(true_positive_rate, y_true, y_pred, sensitive_features, sample_weight)
    return frame.ratio(method=method)
