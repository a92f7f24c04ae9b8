"""Regression metrics: mean absolute / squared / percentage errors and R^2.

``y_true`` and ``y_pred`` are 1-D (one output) or ``(n_samples, n_outputs)``. Each
metric is computed per output column, then combined according to ``multioutput``:

* ``'raw_values'``: return the per-output array;
* ``'uniform_average'``: plain mean over outputs;
* an array of weights: weighted mean over outputs;
* ``'variance_weighted'`` (``r2_score`` only): weighted by the variance of y_true.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import UndefinedMetricWarning, check_regression_targets, weighted_mean

__all__ = [
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "r2_score",
    "root_mean_squared_error",
]

BASIC = ("raw_values", "uniform_average")
Result = float | np.ndarray


def _combine(per_output: np.ndarray, multioutput: Any) -> Result:
    """Reduce per-output values according to ``multioutput``."""
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return per_output
        return float(np.mean(per_output))
    return float(np.sum(per_output * multioutput) / np.sum(multioutput))


def mean_absolute_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: str | ArrayLike = "uniform_average",
) -> Result:
    """Mean absolute error.

    MAE = sum_i w_i * |y_true_i - y_pred_i| / sum_i w_i

    >>> mean_absolute_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.5
    >>> mean_absolute_error([[0.5, 1], [-1, 1]], [[0, 2], [-1, 2]], multioutput="raw_values")
    array([0.25, 1.  ])
    """
    who = "mean_absolute_error"
    t, p, w, multioutput = check_regression_targets(
        who, y_true, y_pred, sample_weight, multioutput, BASIC
    )
    return _combine(weighted_mean(np.abs(p - t), w, who, axis=0), multioutput)


def mean_squared_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: str | ArrayLike = "uniform_average",
) -> Result:
    """Mean squared error.

    MSE = sum_i w_i * (y_true_i - y_pred_i)^2 / sum_i w_i

    >>> mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.375
    """
    who = "mean_squared_error"
    t, p, w, multioutput = check_regression_targets(
        who, y_true, y_pred, sample_weight, multioutput, BASIC
    )
    return _combine(weighted_mean((t - p) ** 2, w, who, axis=0), multioutput)


def root_mean_squared_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: str | ArrayLike = "uniform_average",
) -> Result:
    """Root mean squared error, per output, then combined over outputs.

    RMSE = sqrt(MSE)   (for several outputs: mean over outputs of each output's RMSE)

    >>> round(root_mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 6)
    0.612372
    """
    who = "root_mean_squared_error"
    t, p, w, multioutput = check_regression_targets(
        who, y_true, y_pred, sample_weight, multioutput, BASIC
    )
    return _combine(np.sqrt(weighted_mean((t - p) ** 2, w, who, axis=0)), multioutput)


def mean_absolute_percentage_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: str | ArrayLike = "uniform_average",
) -> Result:
    """Mean absolute percentage error, as a fraction (0.1 means 10 %).

    MAPE = sum_i w_i * |y_true_i - y_pred_i| / max(|y_true_i|, eps) / sum_i w_i

    with eps the float64 machine epsilon (so y_true = 0 gives a huge, finite error).

    >>> round(mean_absolute_percentage_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 6)
    0.327381
    """
    who = "mean_absolute_percentage_error"
    t, p, w, multioutput = check_regression_targets(
        who, y_true, y_pred, sample_weight, multioutput, BASIC
    )
    eps = np.finfo(np.float64).eps
    ape = np.abs(p - t) / np.maximum(np.abs(t), eps)
    return _combine(weighted_mean(ape, w, who, axis=0), multioutput)


def r2_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: str | ArrayLike = "uniform_average",
    force_finite: bool = True,
) -> Result:
    """Coefficient of determination R^2 (1 is perfect, 0 is "predict the mean").

    R^2 = 1 - SS_res / SS_tot
    SS_res = sum_i w_i * (y_true_i - y_pred_i)^2
    SS_tot = sum_i w_i * (y_true_i - mean_w(y_true))^2

    A constant ``y_true`` (SS_tot = 0) gives 1.0 for perfect predictions and 0.0
    otherwise when ``force_finite`` is True (NaN / -inf when False). Fewer than two
    samples give NaN and an :class:`UndefinedMetricWarning`.

    >>> round(r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 6)
    0.948608
    """
    who = "r2_score"
    t, p, w, multioutput = check_regression_targets(
        who, y_true, y_pred, sample_weight, multioutput, BASIC + ("variance_weighted",)
    )
    if t.shape[0] < 2:
        warnings.warn(
            f"{who}: R^2 is not well-defined with fewer than two samples, got "
            f"{t.shape[0]}; returning NaN. Evaluate on more samples.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        return float("nan")
    weight = 1.0 if w is None else w[:, None]
    numerator = np.sum(weight * (t - p) ** 2, axis=0)
    denominator = np.sum(weight * (t - weighted_mean(t, w, who, axis=0)) ** 2, axis=0)
    nonzero_den = denominator != 0
    if force_finite:
        nonzero_num = numerator != 0
        scores = np.ones(t.shape[1])
        valid = nonzero_den & nonzero_num
        scores[valid] = 1 - numerator[valid] / denominator[valid]
        scores[nonzero_num & ~nonzero_den] = 0.0
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = 1 - numerator / denominator
    if isinstance(multioutput, str) and multioutput == "variance_weighted":
        if not nonzero_den.any():
            return float(np.mean(scores))
        return float(np.sum(scores * denominator) / np.sum(denominator))
    return _combine(scores, multioutput)
