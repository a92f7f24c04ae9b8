"""The per-group rates a fairness audit compares, with Fairlearn's names and signatures.

For binary labels and predictions, with P the true positives and N the true negatives::

    selection_rate      = (predicted positive) / (all)            P[h(X) = 1]
    true_positive_rate  = TP / (TP + FN)                          P[h(X) = 1 | Y = 1]
    false_negative_rate = FN / (TP + FN)  = 1 - TPR
    false_positive_rate = FP / (FP + TN)                          P[h(X) = 1 | Y = 0]
    true_negative_rate  = TN / (FP + TN)  = 1 - FPR

A rate whose denominator is zero (TPR of a group with no positive example) is undefined. Like
Fairlearn (which takes scikit-learn's normalized confusion matrix) these functions return 0.0
then, so numbers carry over, but they say so with an ``UndefinedMetricWarning``.

>>> true_positive_rate([1, 1, 0, 0], [1, 0, 1, 0]), selection_rate([1, 1, 0, 0], [1, 0, 1, 1])
(0.5, 0.75)
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..metrics import UndefinedMetricWarning

__all__ = [
    "false_negative_rate",
    "false_positive_rate",
    "selection_rate",
    "true_negative_rate",
    "true_positive_rate",
]


def _vector(who: str, name: str, values: Any) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim == 2 and 1 in array.shape:
        array = array.reshape(-1)
    if array.ndim != 1:
        raise ValueError(
            f"{who}: {name} must be one value per sample (a 1-D array), got shape "
            f"{array.shape}; pass a flat list or array"
        )
    return array


def _weights(who: str, sample_weight: Any, n: int) -> np.ndarray:
    if sample_weight is None:
        return np.ones(n)
    w = _vector(who, "sample_weight", sample_weight).astype(float)
    if len(w) != n:
        raise ValueError(
            f"{who}: sample_weight must have one weight per sample ({n}), got {len(w)}; pass "
            "weights aligned with y_true"
        )
    return w


def selection_rate(y_true, y_pred, *, pos_label: Any = 1, sample_weight=None) -> float:
    """The (weighted) share of predictions equal to ``pos_label``; ``y_true`` is not used."""
    y_pred = _vector("selection_rate", "y_pred", y_pred)
    if len(y_pred) == 0:
        raise ValueError(
            "selection_rate: y_pred is empty, so no rate exists; pass at least one prediction"
        )
    w = _weights("selection_rate", sample_weight, len(y_pred))
    return float(np.dot(y_pred == pos_label, w) / w.sum())


def _positive_label(who: str, y_true: np.ndarray, y_pred: np.ndarray, pos_label: Any) -> Any:
    labels = set(np.unique(np.concatenate([y_true, y_pred])).tolist())
    if len(labels) > 2:
        raise ValueError(
            f"{who}: expected binary labels (at most two distinct values in y_true and y_pred), "
            f"got {sorted(labels, key=str)}; threshold scores first, or map the classes to 0/1"
        )
    if pos_label is None:
        if labels <= {0, 1} or labels <= {-1, 1}:
            return 1
        raise ValueError(
            f"{who}: with pos_label=None the labels must be from {{0, 1}} or {{-1, 1}}, got "
            f"{sorted(labels, key=str)}; pass pos_label= (the value that means 'positive')"
        )
    if len(labels) == 2 and pos_label not in labels:
        raise ValueError(
            f"{who}: pos_label={pos_label!r} is not among the labels {sorted(labels, key=str)}"
        )
    return pos_label


def confusion_rates(y_true, y_pred, sample_weight=None, pos_label=None, who="rates"):
    """``(tnr, fpr, fnr, tpr)``: the confusion matrix normalized over each true class (rows
    without examples give 0.0 and a warning)."""
    y_true = _vector(who, "y_true", y_true)
    y_pred = _vector(who, "y_pred", y_pred)
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"{who}: y_true and y_pred must have the same number of samples, got "
            f"{len(y_true)} and {len(y_pred)}"
        )
    pos = _positive_label(who, y_true, y_pred, pos_label)
    w = _weights(who, sample_weight, len(y_true))
    actual, predicted = y_true == pos, y_pred == pos
    tp, fn = w[actual & predicted].sum(), w[actual & ~predicted].sum()
    fp, tn = w[~actual & predicted].sum(), w[~actual & ~predicted].sum()
    return (*_row(who, tn, fp, "negative"), *_row(who, fn, tp, "positive"))


def _row(who: str, a: float, b: float, kind: str) -> tuple[float, float]:
    total = a + b
    if total == 0:
        warnings.warn(
            f"{who}: there is no {kind} example (y_true), so a rate over the {kind}s is "
            "undefined; it is reported as 0.0, as Fairlearn does",
            UndefinedMetricWarning,
            stacklevel=4,
        )
        return 0.0, 0.0
    return float(a / total), float(b / total)


def true_positive_rate(y_true, y_pred, sample_weight=None, pos_label=None) -> float:
    """TP / (TP + FN): the share of real positives that the model finds (recall)."""
    return confusion_rates(y_true, y_pred, sample_weight, pos_label, "true_positive_rate")[3]


def false_negative_rate(y_true, y_pred, sample_weight=None, pos_label=None) -> float:
    """FN / (TP + FN): the share of real positives that the model misses."""
    return confusion_rates(y_true, y_pred, sample_weight, pos_label, "false_negative_rate")[2]


def false_positive_rate(y_true, y_pred, sample_weight=None, pos_label=None) -> float:
    """FP / (FP + TN): the share of real negatives wrongly flagged positive."""
    return confusion_rates(y_true, y_pred, sample_weight, pos_label, "false_positive_rate")[1]


def true_negative_rate(y_true, y_pred, sample_weight=None, pos_label=None) -> float:
    """TN / (FP + TN): the share of real negatives correctly left alone (specificity)."""
    return confusion_rates(y_true, y_pred, sample_weight, pos_label, "true_negative_rate")[0]
