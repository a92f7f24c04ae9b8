"""Metric reports: every number a test-set evaluation needs, as one plain, JSON-able dict.

``classification_scores`` takes class probabilities, ``regression_scores`` predictions in the
target's own units; both return a dict that ``tables`` turns into text and the CLI stores in
``metrics.json``. The numbers come from :mod:`neuronlab.metrics` (scikit-learn's names and
definitions), so a run scored twice from the same outputs gives the same dict, bit for bit.

>>> import numpy as np
>>> proba = softmax(np.array([[2.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 3.0]]))
>>> s = classification_scores([0, 1, 1, 1], proba, classes=["no", "yes"])
>>> s["accuracy"], s["confusion_matrix"], s["roc_auc_kind"]
(0.75, [[1, 0], [1, 2]], 'binary')
>>> regression_scores([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])["mae"]
0.3333333333333333
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import metrics as M

__all__ = ["classification_scores", "regression_scores", "softmax"]


def softmax(logits: Any) -> np.ndarray:
    """Row-wise softmax in float64 (stable: the row maximum is subtracted first).

    >>> softmax(np.array([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 2:
        raise ValueError(
            f"softmax · expected logits of shape (n_samples, n_classes) · got shape {z.shape} · "
            "pass the network's raw outputs for a batch"
        )
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def classification_scores(
    y_true: Any, proba: Any, *, classes: Sequence[str] | None = None
) -> dict[str, Any]:
    """Accuracy, macro and weighted precision/recall/F1, per-class report, ROC AUC (binary, or
    one-vs-rest macro for more classes), log-loss and the confusion matrix.

    Args:
        y_true: class ids ``0 .. K-1``, shape ``(n,)``.
        proba: class probabilities, shape ``(n, K)`` (rows summing to 1; see :func:`softmax`).
        classes: the ``K`` class names (default ``'0' .. 'K-1'``).
    """
    y = np.asarray(y_true).astype(np.int64).reshape(-1)
    p = np.asarray(proba, dtype=np.float64)
    if p.ndim != 2 or p.shape[0] != y.shape[0]:
        raise ValueError(
            f"classification_scores · expected proba of shape ({y.shape[0]}, n_classes), one row "
            f"per label · got shape {p.shape} · pass softmax(logits) for the same samples"
        )
    k = p.shape[1]
    names = [str(c) for c in classes] if classes is not None else [str(i) for i in range(k)]
    if len(names) != k:
        raise ValueError(
            f"classification_scores · expected {k} class names (one per column of proba) · got "
            f"{len(names)} · pass the data set's classes"
        )
    labels = list(range(k))
    y_pred = p.argmax(axis=1)
    scores: dict[str, Any] = {"task": "classification", "n_samples": int(y.shape[0])}
    scores["accuracy"] = float(M.accuracy_score(y, y_pred))
    for average in ("macro", "weighted"):
        prec, rec, f1, _ = M.precision_recall_fscore_support(
            y, y_pred, labels=labels, average=average, zero_division=0
        )
        scores[f"precision_{average}"] = float(prec)
        scores[f"recall_{average}"] = float(rec)
        scores[f"f1_{average}"] = float(f1)
    scores["roc_auc"], scores["roc_auc_kind"] = _auc(y, p, labels)
    scores["log_loss"] = float(M.log_loss(y, p, labels=labels))
    report = M.classification_report(
        y, y_pred, labels=labels, target_names=names, output_dict=True, zero_division=0
    )
    scores["per_class"] = {
        name: {
            "precision": float(report[name]["precision"]),
            "recall": float(report[name]["recall"]),
            "f1": float(report[name]["f1-score"]),
            "support": int(report[name]["support"]),
        }
        for name in names
    }
    scores["classes"] = names
    scores["confusion_matrix"] = M.confusion_matrix(y, y_pred, labels=labels).astype(int).tolist()
    return scores


def _auc(y: np.ndarray, p: np.ndarray, labels: list[int]) -> tuple[float | None, str]:
    """ROC AUC, or ``None`` when it is undefined (a class missing from ``y``)."""
    present = np.unique(y)
    if len(labels) == 2:
        kind = "binary"
        if len(present) < 2:
            return None, "undefined: only one class in y_true"
        score = M.roc_auc_score(y, p[:, 1])
    else:
        kind = "one-vs-rest macro"
        if len(present) < len(labels):
            return None, "undefined: some class has no test samples"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # rows sum to 1 up to rounding
            score = M.roc_auc_score(y, p, multi_class="ovr", labels=labels)
    return float(score), kind


def regression_scores(y_true: Any, y_pred: Any) -> dict[str, Any]:
    """MAE, RMSE and R² (and MSE) of predictions in the target's own units."""
    t = np.asarray(y_true, dtype=np.float64).reshape(-1)
    p = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    if t.shape != p.shape:
        raise ValueError(
            f"regression_scores · expected one prediction per target · got {p.shape[0]} "
            f"predictions for {t.shape[0]} targets · predict on the same samples"
        )
    return {
        "task": "regression",
        "n_samples": int(t.shape[0]),
        "mae": float(M.mean_absolute_error(t, p)),
        "rmse": float(M.root_mean_squared_error(t, p)),
        "r2": float(M.r2_score(t, p)),
        "mse": float(M.mean_squared_error(t, p)),
    }
