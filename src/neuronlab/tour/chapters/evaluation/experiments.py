"""Quick experiments of the evaluation stop; every number comes from ``neuronlab.metrics``.

* ``accuracy_trap``  the always-"no" model against the trained one, at threshold 0.5
* ``thresholds``     ROC and precision-recall curves, and every threshold's confusion matrix
* ``regression``     MAE against RMSE on the same predictions, with outliers the learner moves
"""

from __future__ import annotations

import numpy as np

from neuronlab import metrics as M

from ...frames import series, table
from .models import AGE_LIMIT, regression, scored

#: Thresholds the slider can take (their confusion matrices are sent once).
THRESHOLDS = np.round(np.linspace(0.01, 0.99, 99), 2)


def summary(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    """Accuracy, precision, recall, F1 and the confusion matrix of 0/1 predictions."""
    cm = M.confusion_matrix(y_true, y_pred, labels=[0, 1])
    return {
        "accuracy": M.accuracy_score(y_true, y_pred),
        "precision": M.precision_score(y_true, y_pred, zero_division=0.0),
        "recall": M.recall_score(y_true, y_pred, zero_division=0.0),
        "f1": M.f1_score(y_true, y_pred, zero_division=0.0),
        "confusion": cm.tolist(),
    }


def accuracy_trap(epochs: int, seed: int) -> dict:
    """The model that always says "no" against the trained MLP, both measured on the test rows."""
    y, p = scored(epochs, seed)
    always_no = summary(y, np.zeros_like(y))
    model = summary(y, (p >= 0.5).astype(np.int64))
    rows = [
        [name, r["accuracy"], r["precision"], r["recall"], r["f1"]]
        for name, r in (("always no", always_no), ("trained MLP", model))
    ]
    return {
        "n_test": int(len(y)),
        "positives": int(y.sum()),
        "rare_rate": float(y.mean()),
        "age_limit": AGE_LIMIT,
        "always_no": always_no,
        "model": model,
        "result": table(
            ["model", "accuracy", "precision", "recall", "F1"],
            rows,
            title="Income above $50K, people under 28 (test rows)",
        ),
    }


def thresholds(cost_fp: float, cost_fn: float, epochs: int, seed: int) -> dict:
    """ROC and PR curves, AUC and AP, and for every threshold on the slider: the confusion
    matrix, precision, recall, F1, false positive rate and the total cost of its mistakes."""
    y, p = scored(epochs, seed)
    fpr, tpr, _ = M.roc_curve(y, p)
    precision, recall, _ = M.precision_recall_curve(y, p)
    rows = []
    for t in THRESHOLDS:
        s = summary(y, (p >= t).astype(np.int64))
        (tn, fp), (fn, tp) = s["confusion"]
        rows.append(
            {
                "threshold": float(t),
                "tn": tn,
                "fp": fp,
                "fn": fn,
                "tp": tp,
                "precision": s["precision"],
                "recall": s["recall"],
                "f1": s["f1"],
                "fpr": fp / max(fp + tn, 1),
                "cost": cost_fp * fp + cost_fn * fn,
            }
        )
    best = min(range(len(rows)), key=lambda i: rows[i]["cost"])
    sweep = {str(c): _cheapest(rows, cost_fp, c) for c in COST_SWEEP}
    return {
        "roc": {"fpr": fpr.tolist(), "tpr": tpr.tolist()},
        "pr": {"recall": recall.tolist(), "precision": precision.tolist()},
        "auc": M.roc_auc_score(y, p),
        "ap": M.average_precision_score(y, p),
        "base_rate": float(y.mean()),
        "grid": rows,
        "best": rows[best],
        "cost_fp": cost_fp,
        "cheapest_by_fn_cost": sweep,
        "cost_fn": cost_fn,
        "roc_curve": series(
            fpr.tolist(),
            xlabel="false positive rate",
            ylabel="true positive rate",
            ROC=tpr.tolist(),
        ),
        "result": table(
            ["threshold", "precision", "recall", "F1", "cost"],
            [
                [r["threshold"], r["precision"], r["recall"], r["f1"], r["cost"]]
                for r in rows[::14] + [rows[best]]
            ],
            title=f"Cost: false positive {cost_fp:g}, false negative {cost_fn:g}; "
            f"cheapest threshold {rows[best]['threshold']:.2f}",
        ),
    }


#: False-negative costs for which the cheapest threshold is reported (false positive cost fixed).
COST_SWEEP = (1.0, 5.0, 20.0)


def _cheapest(rows: list[dict], cost_fp: float, cost_fn: float) -> float:
    costs = [cost_fp * r["fp"] + cost_fn * r["fn"] for r in rows]
    return rows[int(np.argmin(costs))]["threshold"]


#: The test rows the learner can turn into outliers (the first few of the test split).
OUTLIER_ROWS = 5


def regression_errors(shifts: list[float]) -> dict:
    """MAE and RMSE of the same linear model's predictions, before and after moving the true
    values of a few test rows by ``shifts`` (one per outlier row)."""
    y, pred = regression()
    moved = y.copy()
    moved[: len(shifts)] += np.asarray(shifts, dtype=moved.dtype)
    clean = {"mae": M.mean_absolute_error(y, pred), "rmse": M.root_mean_squared_error(y, pred)}
    dirty = {
        "mae": M.mean_absolute_error(moved, pred),
        "rmse": M.root_mean_squared_error(moved, pred),
    }
    return {
        "points": {"pred": pred.tolist(), "true": moved.tolist()},
        "outliers": list(range(len(shifts))),
        "clean": clean,
        "with_outliers": dirty,
        "growth": {k: dirty[k] / clean[k] for k in clean},
        "result": table(
            ["", "MAE", "RMSE"],
            [
                ["clean", clean["mae"], clean["rmse"]],
                ["with outliers", dirty["mae"], dirty["rmse"]],
            ],
            title="Diabetes progression, linear model (100 test rows)",
        ),
    }
