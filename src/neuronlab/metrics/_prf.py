"""Precision, recall and F-scores, per class or averaged.

For one class ``c`` (treated as "positive") and weights w_i::

    TP = sum_i w_i * [y_true_i == c and y_pred_i == c]
    FP = sum_i w_i * [y_true_i != c and y_pred_i == c]
    FN = sum_i w_i * [y_true_i == c and y_pred_i != c]

    precision = TP / (TP + FP)
    recall    = TP / (TP + FN)
    F_beta    = (1 + beta^2) * TP / ((1 + beta^2) * TP + beta^2 * FN + FP)

Averaging over classes (``average=``):

* ``'binary'``: only the class ``pos_label`` (binary targets only);
* ``'micro'``: sum TP, FP, FN over classes first, then apply the formulas;
* ``'macro'``: unweighted mean of the per-class scores;
* ``'weighted'``: mean weighted by the support (TP + FN) of each class;
* ``None``: the per-class scores as arrays.

A 0/0 ratio is set to ``zero_division`` (0, 1 or NaN; ``'warn'`` means 0 plus an
:class:`UndefinedMetricWarning`). NaN scores are left out of the averages.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    Targets,
    UndefinedMetricWarning,
    check_labels_param,
    check_option,
    check_targets,
    check_zero_division,
    encode,
)

__all__ = [
    "f1_score",
    "fbeta_score",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
]

AVERAGES = (None, "binary", "micro", "macro", "weighted")
Score = float | np.ndarray


def _select_labels(who: str, tg: Targets, average: str | None, labels: Any, pos_label: Any):
    """The labels to score, in output order."""
    if average == "binary":
        if tg.kind == "multiclass":
            raise ValueError(
                f"{who}: target is multiclass ({tg.classes.shape[0]} classes: "
                f"{tg.classes[:10].tolist()!r}) but average='binary'; choose another "
                "average setting, one of [None, 'micro', 'macro', 'weighted']."
            )
        if isinstance(pos_label, (str, bytes)):
            pos_kind = "str"
        elif isinstance(pos_label, (bool, int, float, np.number)):
            pos_kind = "num"
        else:
            pos_kind = "invalid"
        present = pos_kind == tg.label_kind and bool(np.isin(pos_label, tg.classes))
        if not present and (tg.classes.shape[0] >= 2 or pos_kind != tg.label_kind):
            raise ValueError(
                f"{who}: pos_label={pos_label!r} is not a valid label, the labels are "
                f"{tg.classes.tolist()!r}; pass pos_label=<one of them> or use "
                "average='macro'."
            )
        return np.asarray([pos_label])
    if pos_label not in (None, 1):
        warnings.warn(
            f"{who}: pos_label={pos_label!r} is ignored when average={average!r} (it only "
            "applies to average='binary'); use labels=[pos_label] to score one class.",
            UserWarning,
            stacklevel=4,
        )
    if labels is None:
        return tg.classes
    return check_labels_param(who, labels, tg.label_kind)


def _counts(tg: Targets, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-label (TP, TP + FP, TP + FN), weighted by ``sample_weight``."""
    n = labels.shape[0]
    it = encode(tg.y_true, labels)
    ip = encode(tg.y_pred, labels)
    w = tg.sample_weight

    def count(idx: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if w is None:
            return np.bincount(idx[mask], minlength=n)
        return np.bincount(idx[mask], weights=w[mask], minlength=n).astype(np.float64)

    tp = count(it, (it >= 0) & (it == ip))
    fp = count(ip, ip >= 0) - tp
    fn = count(it, it >= 0) - tp
    # TP + FP and TP + FN, summed from the confusion counts (with float weights this
    # rounds exactly like scikit-learn's confusion-matrix route)
    return tp, tp + fp, tp + fn


def _divide(
    who: str,
    num: np.ndarray,
    den: np.ndarray,
    zero_value: float,
    warn: bool,
    what: str,
    modifier: str,
    labels: np.ndarray | None,
) -> np.ndarray:
    """``num / den`` with 0/0 replaced by ``zero_value``; warn when asked."""
    mask = den == 0
    result = np.asarray(num, dtype=np.float64) / np.where(mask, 1, den).astype(np.float64)
    if not mask.any():
        return result
    result[mask] = zero_value
    if warn:
        if labels is None:
            where = "for the micro average"
        else:
            where = f"for label(s) {labels[mask][:10].tolist()!r}"
        warnings.warn(
            f"{who}: {what} is ill-defined and being set to 0.0 {where}, which have no "
            f"{modifier} samples; pass zero_division=0, 1 or np.nan to choose the value "
            "and silence this warning.",
            UndefinedMetricWarning,
            stacklevel=5,
        )
    return result


def _nan_average(a: np.ndarray, weights: np.ndarray | None) -> float:
    """Average ignoring NaNs; falls back to the plain mean when all weights are 0."""
    mask = np.isnan(a)
    if a.size == 0 or mask.all():
        return float("nan")
    a = a[~mask]
    if weights is None:
        return float(np.mean(a))
    weights = np.asarray(weights, dtype=np.float64)[~mask]
    total = weights.sum()
    if total == 0:
        return float(np.mean(a))
    return float(np.sum(a * weights) / total)


def _prf(
    who: str,
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    beta: float = 1.0,
    labels: ArrayLike | None = None,
    pos_label: Any = 1,
    average: str | None = None,
    warn_for: Iterable[str] = ("precision", "recall", "f-score"),
    sample_weight: ArrayLike | None = None,
    zero_division: Any = "warn",
) -> tuple[Score, Score, Score, np.ndarray | None]:
    zero_value = check_zero_division(who, zero_division)
    check_option(who, "average", average, AVERAGES)
    if not isinstance(beta, Real) or isinstance(beta, bool) or not beta >= 0:
        raise ValueError(
            f"{who}: beta must be a number >= 0, got {beta!r}; beta=1 weighs precision "
            "and recall equally, beta=2 favours recall."
        )
    tg = check_targets(who, y_true, y_pred, sample_weight)
    lab = _select_labels(who, tg, average, labels, pos_label)
    tp, pred, true = _counts(tg, lab)
    shown = lab
    if average == "micro":
        tp, pred, true = (np.atleast_1d(x.sum()) for x in (tp, pred, true))
        shown = None

    warn = isinstance(zero_division, str) and zero_division == "warn"
    warn_for = tuple(warn_for)

    def divide(num, den, metric: str, modifier: str) -> np.ndarray:
        loud = warn and metric.lower() in warn_for
        return _divide(who, num, den, zero_value, loud, metric, modifier, shown)

    precision = divide(tp, pred, "Precision", "predicted")
    recall = divide(tp, true, "Recall", "true")
    if np.isposinf(beta):
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        beta2 = float(beta) ** 2
        numerator = (1 + beta2) * tp.astype(np.float64)
        denom = beta2 * true.astype(np.float64) + pred.astype(np.float64)
        f_score = divide(numerator, denom, "F-score", "true nor predicted")

    if average is None:
        return precision, recall, f_score, true
    weights = true if average == "weighted" else None
    return (
        _nan_average(precision, weights),
        _nan_average(recall, weights),
        _nan_average(f_score, weights),
        None,
    )


def precision_recall_fscore_support(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    beta: float = 1.0,
    labels: ArrayLike | None = None,
    pos_label: Any = 1,
    average: str | None = None,
    warn_for: Iterable[str] = ("precision", "recall", "f-score"),
    sample_weight: ArrayLike | None = None,
    zero_division: Any = "warn",
) -> tuple[Score, Score, Score, np.ndarray | None]:
    """Precision, recall, F-beta and support (number of true samples) per class.

    See the module docstring for the formulas; support = TP + FN. With
    ``average=None`` four arrays (one entry per label) are returned, otherwise three
    floats and ``None`` for the support. The support is int64 when unweighted.

    >>> p, r, f, s = precision_recall_fscore_support([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1])
    >>> p
    array([0.66666667, 0.        , 0.        ])
    >>> s
    array([2, 2, 2])
    >>> precision_recall_fscore_support(["a", "b", "b"], ["a", "b", "a"], average="macro")
    (0.75, 0.75, 0.6666666666666666, None)
    """
    return _prf(
        "precision_recall_fscore_support",
        y_true,
        y_pred,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=warn_for,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def precision_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: Any = "warn",
) -> Score:
    """Precision: of the samples predicted as a class, the fraction that truly are.

    precision = TP / (TP + FP)

    >>> precision_score([0, 1, 1, 0], [0, 1, 0, 1])
    0.5
    >>> precision_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="micro")
    0.3333333333333333
    """
    p, _, _, _ = _prf(
        "precision_score",
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("precision",),
        sample_weight=sample_weight,
        zero_division=zero_division,
    )
    return p


def recall_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: Any = "warn",
) -> Score:
    """Recall (sensitivity): of the samples of a class, the fraction that was found.

    recall = TP / (TP + FN)

    >>> recall_score([0, 1, 1, 0], [0, 1, 0, 1])
    0.5
    >>> recall_score(["a", "b", "b"], ["a", "b", "a"], average=None)
    array([1. , 0.5])
    """
    _, r, _, _ = _prf(
        "recall_score",
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("recall",),
        sample_weight=sample_weight,
        zero_division=zero_division,
    )
    return r


def f1_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: Any = "warn",
) -> Score:
    """F1 score: harmonic mean of precision and recall.

    F1 = 2 * precision * recall / (precision + recall) = 2 TP / (2 TP + FP + FN)

    >>> f1_score([0, 1, 1, 0], [0, 1, 1, 1])
    0.8
    >>> f1_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro")
    0.26666666666666666
    """
    _, _, f, _ = _prf(
        "f1_score",
        y_true,
        y_pred,
        beta=1.0,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("f-score",),
        sample_weight=sample_weight,
        zero_division=zero_division,
    )
    return f


def fbeta_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    beta: float,
    labels: ArrayLike | None = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: Any = "warn",
) -> Score:
    """F-beta score: weighted harmonic mean of precision and recall.

    F_beta = (1 + beta^2) * precision * recall / (beta^2 * precision + recall)
           = (1 + beta^2) TP / ((1 + beta^2) TP + beta^2 FN + FP)

    beta < 1 favours precision, beta > 1 favours recall (beta = inf is recall).

    >>> round(fbeta_score([0, 1, 1, 0], [0, 1, 1, 1], beta=0.5), 6)
    0.714286
    """
    _, _, f, _ = _prf(
        "fbeta_score",
        y_true,
        y_pred,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("f-score",),
        sample_weight=sample_weight,
        zero_division=zero_division,
    )
    return f
