"""Ranking scores: ROC AUC and average precision, binary and one-vs-rest multiclass.

Both summarise a threshold curve (see :mod:`neuronlab.metrics._curves`) in one number.
For multiclass targets each class is scored against the rest and the per-class
values are averaged (``average='macro'``: plain mean, ``'weighted'``: by class
support, ``'micro'``: one binary problem on the flattened one-hot matrix, ``None``:
the per-class array).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._curves import _binary_inputs, _pr, _roc, auc
from ._validation import (
    UndefinedMetricWarning,
    check_float_array,
    check_label_array,
    check_labels_param,
    check_option,
    check_same_length,
    check_sample_weight,
)

__all__ = ["average_precision_score", "roc_auc_score"]

AVERAGES = (None, "micro", "macro", "weighted")


def _binary_roc_auc(y: np.ndarray, s: np.ndarray, w: np.ndarray | None, who: str) -> float:
    if np.unique(y).shape[0] != 2:
        warnings.warn(
            f"{who}: only one class is present in y_true, so ROC AUC is not defined "
            "(NaN); evaluate on data that contains both classes.",
            UndefinedMetricWarning,
            stacklevel=4,
        )
        return float("nan")
    fpr, tpr, _ = _roc(y, s, w, True, who)
    return auc(fpr, tpr)


def _average_over_classes(
    metric: Callable[..., float],
    Y: np.ndarray,
    S: np.ndarray,
    w: np.ndarray | None,
    average: str | None,
    who: str,
) -> float | np.ndarray:
    """One-vs-rest: apply a binary ``metric`` to each column and average."""
    if average == "micro":
        ww = None if w is None else np.repeat(w, Y.shape[1])
        return float(metric(Y.ravel(), S.ravel(), ww, who))
    avg_weight = None
    if average == "weighted":
        avg_weight = Y.sum(axis=0) if w is None else (Y * w[:, None]).sum(axis=0)
        if np.isclose(avg_weight.sum(), 0):
            return 0.0
    scores = np.array([metric(Y[:, c], S[:, c], w, who) for c in range(Y.shape[1])])
    if average is None:
        return scores
    if avg_weight is None:
        return float(np.mean(scores))
    scores[avg_weight == 0] = 0  # a class with no weight must not turn the mean into NaN
    return float(np.sum(scores * avg_weight) / np.sum(avg_weight))


def roc_auc_score(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    average: str | None = "macro",
    sample_weight: ArrayLike | None = None,
    multi_class: str = "raise",
    labels: ArrayLike | None = None,
) -> float | np.ndarray:
    """Area under the ROC curve: probability that a random positive outranks a random
    negative (ties count one half).

    AUC = auc(FPR, TPR) over all thresholds (see :func:`roc_curve`).

    *Binary* ``y_true``: ``y_score`` is 1-D, the score of the greater label.
    *Multiclass* ``y_true``: ``y_score`` has shape ``(n_samples, n_classes)`` with rows
    summing to 1 and ``multi_class='ovr'`` is required: each class against the rest,
    then averaged (``'macro'`` mean, ``'weighted'`` by class support, ``'micro'`` on
    the flattened one-hot problem, ``None`` per class). ``labels`` names the columns.

    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    >>> y_prob = [[0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.3, 0.3, 0.4], [0.1, 0.2, 0.7]]
    >>> roc_auc_score([0, 1, 2, 2], y_prob, multi_class="ovr")
    1.0
    """
    who = "roc_auc_score"
    t, kind = check_label_array(who, "y_true", y_true)
    s = check_float_array(who, "y_score", y_score, max_ndim=2)
    if s.ndim == 2 and s.shape[1] == 1:
        s = s.ravel()
    n = check_same_length(who, y_true=t, y_score=s)
    w = check_sample_weight(who, sample_weight, n)
    check_option(who, "average", average, AVERAGES)
    check_option(who, "multi_class", multi_class, ("raise", "ovr"))
    classes = np.unique(t)
    if classes.shape[0] > 2 or (s.ndim == 2 and s.shape[1] > 2):
        if multi_class == "raise":
            raise ValueError(
                f"{who}: y_true is multiclass ({classes.shape[0]} classes) or y_score has "
                f"{s.shape[1:] or 1} columns; pass multi_class='ovr' to average one-vs-rest "
                "AUCs."
            )
        return _ovr_roc_auc(who, t, kind, s, w, average, labels)
    if s.ndim == 2:
        raise ValueError(
            f"{who}: binary y_true needs a 1-D y_score (score of the greater label "
            f"{classes[-1].item()!r}), got shape {s.shape}; pass y_score[:, 1]."
        )
    return _binary_roc_auc(t == classes[-1], s, w, who)


def _ovr_roc_auc(who, t, kind, s, w, average, labels):
    if s.ndim != 2:
        raise ValueError(
            f"{who}: y_true has several classes, so y_score must have shape "
            f"(n_samples, n_classes), got {s.shape}; pass the class probabilities."
        )
    row_sum = s.sum(axis=1)
    if not np.allclose(1, row_sum):
        raise ValueError(
            f"{who}: multiclass y_score must hold probabilities whose rows sum to 1, got "
            f"row sums such as {row_sum[np.argmax(np.abs(row_sum - 1))].item()!r}; apply softmax."
        )
    if labels is not None:
        classes = check_labels_param(who, labels, kind)
        missing = ~np.isin(t, classes)
        if missing.any():
            raise ValueError(
                f"{who}: y_true contains {np.unique(t[missing]).tolist()!r} which are not in "
                f"labels={classes.tolist()!r}; add them to labels."
            )
    else:
        classes = np.unique(t)
    if classes.shape[0] != s.shape[1]:
        raise ValueError(
            f"{who}: y_score must have one column per class, got {s.shape[1]} columns for "
            f"{classes.shape[0]} classes {classes[:10].tolist()!r}; "
            + ("pass labels=[...] naming the columns." if labels is None else "fix labels.")
        )
    Y = (t[:, None] == classes[None, :]).astype(np.int64)
    return _average_over_classes(_binary_roc_auc, Y, s, w, average, who)


def _binary_ap(y: np.ndarray, s: np.ndarray, w: np.ndarray | None, who: str) -> float:
    precision, recall, _ = _pr(y, s, w, False, who)
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


def average_precision_score(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    average: str | None = "macro",
    pos_label: Any = 1,
    sample_weight: ArrayLike | None = None,
) -> float | np.ndarray:
    """Average precision: precision averaged over recall levels (no interpolation).

    AP = sum_k (R_k - R_{k-1}) * P_k  over thresholds k (step-wise area under the
    precision-recall curve).

    Binary ``y_true``: ``y_score`` is 1-D, the score of ``pos_label``. Multiclass
    ``y_true``: ``y_score`` has one column per class (sorted labels), each class is
    scored against the rest and averaged as in :func:`roc_auc_score`.

    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 6)
    0.833333
    """
    who = "average_precision_score"
    t, kind = check_label_array(who, "y_true", y_true)
    s = check_float_array(who, "y_score", y_score, max_ndim=2)
    n = check_same_length(who, y_true=t, y_score=s)
    w = check_sample_weight(who, sample_weight, n)
    check_option(who, "average", average, AVERAGES)
    classes = np.unique(t)
    if classes.shape[0] <= 2:
        if classes.shape[0] == 2 and not (
            ("str" if isinstance(pos_label, (str, bytes)) else "num") == kind
            and np.isin(pos_label, classes)
        ):
            raise ValueError(
                f"{who}: pos_label={pos_label!r} is not a valid label, the labels are "
                f"{classes.tolist()!r}; pass pos_label=<one of them>."
            )
        if s.ndim == 2 and s.shape[1] == 1:
            s = s.ravel()
        if s.ndim != 1:
            raise ValueError(
                f"{who}: binary y_true needs a 1-D y_score (score of pos_label), got shape "
                f"{s.shape}; pass the column of pos_label, e.g. y_score[:, 1]."
            )
        y, s, w = _binary_inputs(who, t, s, pos_label, w)
        return _binary_ap(y, s, w, who)
    if pos_label != 1:
        raise ValueError(
            f"{who}: pos_label is fixed to 1 for multiclass y_true, got {pos_label!r}; "
            "do not set pos_label (every class is scored against the rest)."
        )
    if s.ndim != 2 or s.shape[1] != classes.shape[0]:
        raise ValueError(
            f"{who}: y_score must have shape (n_samples, n_classes) = ({n}, "
            f"{classes.shape[0]}) since y_true has classes {classes[:10].tolist()!r}, got "
            f"{s.shape}; pass one score column per class in sorted label order."
        )
    Y = (t[:, None] == classes[None, :]).astype(np.int64)
    return _average_over_classes(_binary_ap, Y, s, w, average, who)
