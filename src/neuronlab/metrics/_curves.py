"""Threshold curves from scores: ROC curve, precision-recall curve, and ``auc``.

Sorting the scores in decreasing order and lowering a threshold t through every
distinct score gives, with weights w_i::

    TP(t) = sum_i w_i * [score_i >= t and y_i positive]
    FP(t) = sum_i w_i * [score_i >= t and y_i negative]

    TPR = recall = TP / P,   FPR = FP / N,   precision = TP / (TP + FP)

where P and N are the total (weighted) positives and negatives.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    UndefinedMetricWarning,
    as_array,
    check_float_array,
    check_label_array,
    check_same_length,
    check_sample_weight,
)

__all__ = ["auc", "precision_recall_curve", "roc_curve"]

Curve = tuple[np.ndarray, np.ndarray, np.ndarray]


# ---------------------------------------------------------------------------------------
# validation and the shared counting core
# ---------------------------------------------------------------------------------------


def _binary_inputs(
    who: str, y_true: Any, y_score: Any, pos_label: Any, sample_weight: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Validate inputs of a binary curve; return ``(is_positive, score, weight)``."""
    t, kind = check_label_array(who, "y_true", y_true)
    s = check_float_array(who, "y_score", y_score)
    n = check_same_length(who, y_true=t, y_score=s)
    w = check_sample_weight(who, sample_weight, n)
    classes = np.unique(t)
    if pos_label is None:
        numeric_01 = kind == "num" and (
            np.isin(classes, [0, 1]).all() or np.isin(classes, [-1, 1]).all()
        )
        if not numeric_01:
            raise ValueError(
                f"{who}: y_true takes values {classes[:10].tolist()!r} and pos_label is "
                "not given; make y_true take values in {0, 1} or {-1, 1}, or pass "
                "pos_label=<the positive class>."
            )
        pos_label = 1
    elif ("str" if isinstance(pos_label, (str, bytes)) else "num") != kind:
        raise ValueError(
            f"{who}: pos_label={pos_label!r} is not of the same type as the labels of "
            f"y_true ({classes[:10].tolist()!r}); pass one of those labels."
        )
    return t == pos_label, s, w


def _threshold_counts(
    y: np.ndarray, s: np.ndarray, w: np.ndarray | None, who: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cumulative (FP, TP) at each distinct score, scores decreasing; and the scores."""
    if w is not None:
        keep = w != 0
        y, s, w = y[keep], s[keep], w[keep]
        if y.size == 0:
            raise ValueError(
                f"{who}: every sample has weight 0, so no curve can be drawn; "
                "give at least one sample a positive weight."
            )
    # stable sort by decreasing score: ties keep their input order
    order = s.shape[0] - 1 - np.argsort(s[::-1], kind="stable")[::-1]
    s, y = s[order], y[order].astype(np.float64)
    # last index of each run of equal scores
    idx = np.append(np.flatnonzero(np.diff(s)), y.shape[0] - 1)
    if w is None:
        tps = np.cumsum(y)[idx]
        fps = 1 + idx - tps
    else:
        w = w[order].astype(np.float64)
        tps = np.cumsum(y * w)[idx]
        fps = np.cumsum((1 - y) * w)[idx]
    return fps, tps, s[idx]


# ---------------------------------------------------------------------------------------
# ROC
# ---------------------------------------------------------------------------------------


def _roc(y: np.ndarray, s: np.ndarray, w: np.ndarray | None, drop: bool, who: str) -> Curve:
    fps, tps, thr = _threshold_counts(y, s, w, who)
    if drop and fps.shape[0] > 2:
        # keep only corners: points where the slope of the curve changes
        corner = np.logical_or(np.diff(fps, 2), np.diff(tps, 2))
        keep = np.flatnonzero(np.concatenate([[True], corner, [True]]))
        fps, tps, thr = fps[keep], tps[keep], thr[keep]
    tps = np.concatenate([[0.0], tps])
    fps = np.concatenate([[0.0], fps])
    thr = np.concatenate([[np.inf], thr.astype(np.float64)])
    if fps[-1] <= 0:
        warnings.warn(
            f"{who}: y_true has no negative samples, so the false positive rate is "
            "undefined (NaN); evaluate on data that contains both classes.",
            UndefinedMetricWarning,
            stacklevel=3,
        )
        fpr = np.full(fps.shape, np.nan)
    else:
        fpr = fps / fps[-1]
    if tps[-1] <= 0:
        warnings.warn(
            f"{who}: y_true has no positive samples, so the true positive rate is "
            "undefined (NaN); evaluate on data that contains both classes.",
            UndefinedMetricWarning,
            stacklevel=3,
        )
        tpr = np.full(tps.shape, np.nan)
    else:
        tpr = tps / tps[-1]
    return fpr, tpr, thr


def roc_curve(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
    drop_intermediate: bool = True,
) -> Curve:
    """Receiver operating characteristic: (FPR, TPR) for every distinct threshold.

    FPR = FP / N and TPR = TP / P at threshold t (predict positive when score >= t).
    The first threshold is ``+inf`` (nothing predicted positive, point (0, 0)); the
    others are the distinct scores, decreasing. ``drop_intermediate`` removes points
    on straight segments (they do not change the curve or its area). ``pos_label``
    defaults to 1 for labels in {0, 1} or {-1, 1}. Returns ``(fpr, tpr, thresholds)``.

    >>> fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr
    array([0. , 0. , 0.5, 0.5, 1. ])
    >>> tpr
    array([0. , 0.5, 0.5, 1. , 1. ])
    >>> thresholds
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    who = "roc_curve"
    y, s, w = _binary_inputs(who, y_true, y_score, pos_label, sample_weight)
    return _roc(y, s, w, bool(drop_intermediate), who)


def auc(x: ArrayLike, y: ArrayLike) -> float:
    """Area under a curve given by points (x, y), with the trapezoidal rule.

    area = sum_k (x[k+1] - x[k]) * (y[k+1] + y[k]) / 2

    ``x`` must be monotonic (increasing or decreasing; a decreasing x gives the same
    positive area). NaN coordinates give a NaN area.

    >>> auc([0.0, 0.5, 1.0], [0.0, 1.0, 1.0])
    0.75
    """
    who = "auc"
    xs = as_array(who, "x", x).astype(np.float64).ravel()
    ys = as_array(who, "y", y).astype(np.float64).ravel()
    check_same_length(who, x=xs, y=ys)
    if xs.shape[0] < 2:
        raise ValueError(
            f"{who}: at least 2 points are needed to compute an area, got x of shape "
            f"{xs.shape}; pass the whole curve."
        )
    dx = np.diff(xs)
    direction = 1.0
    if np.any(dx < 0):
        if not np.all(dx <= 0):
            raise ValueError(
                f"{who}: x must be increasing or decreasing, got {xs[:6].tolist()!r}...; "
                "sort the points by x first (e.g. order = np.argsort(x))."
            )
        direction = -1.0
    return float(direction * np.sum(dx * (ys[1:] + ys[:-1]) / 2.0))


# ---------------------------------------------------------------------------------------
# precision-recall
# ---------------------------------------------------------------------------------------


def _pr(y: np.ndarray, s: np.ndarray, w: np.ndarray | None, drop: bool, who: str) -> Curve:
    fps, tps, thr = _threshold_counts(y, s, w, who)
    if drop and fps.shape[0] > 2:
        # keep the first and last point of each run of equal recall
        changes = np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:]))
        keep = np.flatnonzero(np.concatenate([[True], changes, [True]]))
        fps, tps, thr = fps[keep], tps[keep], thr[keep]
    predicted = tps + fps
    precision = np.divide(tps, predicted, out=np.zeros_like(tps), where=predicted != 0)
    if tps[-1] == 0:
        warnings.warn(
            f"{who}: no positive class found in y_true, recall is set to one for all "
            "thresholds; evaluate on data that contains positives.",
            UndefinedMetricWarning,
            stacklevel=3,
        )
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    return (
        np.concatenate([precision[::-1], [1.0]]),
        np.concatenate([recall[::-1], [0.0]]),
        thr[::-1],
    )


def precision_recall_curve(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
    drop_intermediate: bool = False,
) -> Curve:
    """Precision and recall for every distinct score used as threshold.

    precision = TP / (TP + FP),  recall = TP / P  (predict positive when score >= t)

    Thresholds are increasing; ``precision`` and ``recall`` have one more entry, the
    final point (precision 1, recall 0) that has no threshold.

    >>> p, r, thresholds = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> p
    array([0.5       , 0.66666667, 0.5       , 1.        , 1.        ])
    >>> r
    array([1. , 1. , 0.5, 0.5, 0. ])
    >>> thresholds
    array([0.1 , 0.35, 0.4 , 0.8 ])
    """
    who = "precision_recall_curve"
    y, s, w = _binary_inputs(who, y_true, y_score, pos_label, sample_weight)
    return _pr(y, s, w, bool(drop_intermediate), who)
