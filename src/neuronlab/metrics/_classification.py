"""Label-based classification metrics: accuracy, confusion matrix and log loss.

All functions take ``(y_true, y_pred, *, ...)`` like scikit-learn. Labels may be
ints, bools or strings (not a mix of strings and numbers).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    check_float_array,
    check_label_array,
    check_labels_param,
    check_option,
    check_same_length,
    check_sample_weight,
    check_targets,
    encode,
    weighted_mean,
)

__all__ = ["accuracy_score", "confusion_matrix", "log_loss"]


def accuracy_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    normalize: bool = True,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Fraction (or weighted count) of samples whose predicted label is the true one.

    Formula, with weights w_i (all 1 when ``sample_weight`` is None)::

        accuracy = sum_i w_i * [y_pred_i == y_true_i] / sum_i w_i

    With ``normalize=False`` the numerator alone is returned (the number of correct
    samples, weighted).

    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3])
    0.5
    >>> accuracy_score(["cat", "dog", "dog"], ["cat", "cat", "dog"], normalize=False)
    2.0
    """
    who = "accuracy_score"
    tg = check_targets(who, y_true, y_pred, sample_weight)
    correct = (tg.y_true == tg.y_pred).astype(np.float64)
    if not normalize:
        w = tg.sample_weight
        return float(correct.sum() if w is None else np.sum(correct * w))
    return float(weighted_mean(correct, tg.sample_weight, who))


def confusion_matrix(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
    normalize: str | None = None,
) -> np.ndarray:
    """Count matrix ``C`` where ``C[i, j]`` is the (weighted) number of samples whose
    true label is ``labels[i]`` and whose predicted label is ``labels[j]``.

    Rows are true classes, columns are predicted classes::

        C[i, j] = sum_k w_k * [y_true_k == labels[i] and y_pred_k == labels[j]]

    ``labels`` picks and orders the classes (default: sorted union of the labels in
    ``y_true`` and ``y_pred``); samples with other labels are ignored. ``normalize``
    divides by the row sums (``'true'``), column sums (``'pred'``) or the total
    (``'all'``); 0/0 becomes 0. The dtype is int64 for unweighted or integer-weighted
    counts, float64 otherwise.

    >>> confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])
    array([[2, 0, 0],
           [0, 0, 1],
           [1, 0, 2]])
    >>> confusion_matrix(["a", "b", "b"], ["a", "a", "b"], normalize="true")
    array([[1. , 0. ],
           [0.5, 0.5]])
    """
    who = "confusion_matrix"
    check_option(who, "normalize", normalize, (None, "true", "pred", "all"))
    tg = check_targets(who, y_true, y_pred, sample_weight)
    if labels is None:
        lab = tg.classes
    else:
        lab = check_labels_param(who, labels, tg.label_kind)
        if not np.isin(lab, tg.y_true).any():
            raise ValueError(
                f"{who}: at least one of the labels must occur in y_true, got labels="
                f"{lab.tolist()!r} and y_true values {np.unique(tg.y_true)[:10].tolist()!r}; "
                "pass labels as they appear in y_true."
            )
    n = lab.shape[0]
    it = encode(tg.y_true, lab)
    ip = encode(tg.y_pred, lab)
    keep = (it >= 0) & (ip >= 0)
    flat = it[keep] * n + ip[keep]
    w = tg.sample_weight
    if w is None:
        cm = np.bincount(flat, minlength=n * n).astype(np.int64)
    elif w.dtype.kind in "iu":
        cm = np.zeros(n * n, dtype=np.int64)
        np.add.at(cm, flat, w[keep].astype(np.int64))
    else:
        cm = np.bincount(flat, weights=w[keep], minlength=n * n).astype(np.float64)
    cm = cm.reshape(n, n)

    if normalize is not None:
        with np.errstate(all="ignore"):
            if normalize == "true":
                cm = cm / cm.sum(axis=1, keepdims=True)
            elif normalize == "pred":
                cm = cm / cm.sum(axis=0, keepdims=True)
            else:
                cm = cm / cm.sum()
        cm = np.nan_to_num(cm)
    if cm.shape == (1, 1):
        warnings.warn(
            f"{who}: only one label was found in y_true and y_pred, so the matrix is 1x1; "
            "pass labels=[...] with all classes to get the full matrix.",
            UserWarning,
            stacklevel=2,
        )
    return cm


def log_loss(
    y_true: ArrayLike,
    y_proba: ArrayLike,
    *,
    normalize: bool = True,
    sample_weight: ArrayLike | None = None,
    labels: ArrayLike | None = None,
) -> float:
    """Cross-entropy between the true labels and predicted class probabilities.

    With ``Y[i, k] = 1`` when sample i has class k (0 otherwise) and p the
    probabilities clipped to ``[eps, 1 - eps]`` (eps = machine epsilon of p's dtype)::

        log_loss = - sum_i w_i * sum_k Y[i, k] * log(p[i, k]) / sum_i w_i

    ``y_proba`` has shape ``(n_samples, n_classes)`` with columns in the sorted order
    of the classes, or shape ``(n_samples,)`` with the probability of the greater
    label of a binary problem. The classes are taken from ``y_true`` or from
    ``labels`` (needed when ``y_true`` lacks some class). Rows that do not sum to 1
    trigger a ``UserWarning`` (they are not renormalised).

    >>> round(log_loss(["spam", "ham", "ham", "spam"],
    ...                [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]), 6)
    0.216162
    >>> round(log_loss([0, 1, 1], [0.1, 0.8, 0.7]), 6)
    0.228393
    """
    who = "log_loss"
    t, kind = check_label_array(who, "y_true", y_true)
    p = check_float_array(who, "y_proba", y_proba, max_ndim=2)
    if p.ndim == 2 and p.shape[1] == 1:
        p = p.ravel()
    n = check_same_length(who, y_true=t, y_proba=p)
    w = check_sample_weight(who, sample_weight, n)
    if p.max() > 1 or p.min() < 0:
        bad = p.max() if p.max() > 1 else p.min()
        raise ValueError(
            f"{who}: y_proba must hold probabilities in [0, 1], got {bad.item()!r}; apply "
            "softmax (or a sigmoid for one column) to the raw model outputs first."
        )
    classes = _log_loss_classes(who, t, kind, labels)
    if p.ndim == 1:
        p = np.stack([1 - p, p], axis=1)
    eps = np.finfo(p.dtype).eps
    row_sum = p.sum(axis=1)
    if not np.isclose(row_sum, 1, rtol=math.sqrt(eps), atol=1e-8).all():
        warnings.warn(
            f"{who}: the rows of y_proba do not sum to one (e.g. {row_sum[0].item()!r}); "
            "pass probabilities, e.g. softmax of the logits.",
            UserWarning,
            stacklevel=2,
        )
    if classes.shape[0] != p.shape[1]:
        origin = "labels" if labels is not None else "y_true"
        raise ValueError(
            f"{who}: y_proba must have one column per class, got {p.shape[1]} columns but "
            f"{classes.shape[0]} classes in {origin} ({classes.tolist()!r}); "
            + (
                "pass labels=[...] listing every class of the model."
                if labels is None
                else "make labels list exactly the classes of the columns."
            )
        )
    p = np.clip(p, eps, 1 - eps)
    picked = p[np.arange(n), encode(t, classes)]
    loss = -np.log(picked).astype(np.float64)
    if not normalize:
        return float(loss.sum() if w is None else np.sum(loss * w))
    return float(weighted_mean(loss, w, who))


def _log_loss_classes(who: str, t: np.ndarray, kind: str, labels: Any) -> np.ndarray:
    """Sorted classes for ``log_loss``: from ``labels`` when given, else from ``y_true``."""
    if labels is None:
        classes = np.unique(t)
        if classes.shape[0] < 2:
            raise ValueError(
                f"{who}: y_true contains only one label ({classes[0].item()!r}), so the class "
                "columns of y_proba are ambiguous; pass labels=[...] with all classes."
            )
        return classes
    lab = check_labels_param(who, labels, kind)
    classes = np.unique(lab)
    if not np.array_equal(classes, lab):
        warnings.warn(
            f"{who}: labels={lab.tolist()!r} are not sorted; the columns of y_proba are "
            f"assumed to follow the sorted order {classes.tolist()!r}. Pass the sorted "
            "labels and order the columns accordingly.",
            UserWarning,
            stacklevel=3,
        )
    missing = ~np.isin(t, classes)
    if missing.any():
        raise ValueError(
            f"{who}: y_true contains values {np.unique(t[missing]).tolist()!r} that are "
            f"not in labels={lab.tolist()!r}; add them to labels."
        )
    if classes.shape[0] < 2:
        raise ValueError(
            f"{who}: labels must contain at least two classes, got {classes.tolist()!r}; "
            "list every class of the model."
        )
    return classes
