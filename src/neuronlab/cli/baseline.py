"""The scikit-learn baseline of ``neuronlab train`` on tabular sets.

A plain linear model next to the network answers the first question about any network: is it
better than the simple thing? ``LogisticRegression(max_iter=1000)`` for classification,
``LinearRegression()`` for regression, fitted on the same training rows with the same
preprocessing and scored by the same functions (``neuronlab.report``) on the same test set.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import report
from ._output import Output
from .prepare import IMAGE_SETS, PreparedData

__all__ = ["fit_baseline"]


def fit_baseline(prepared: PreparedData, out: Output) -> dict[str, Any] | None:
    """LogisticRegression / LinearRegression on the same training rows and preprocessing."""
    if prepared.recipe["name"] in IMAGE_SETS:
        return None
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import LinearRegression, LogisticRegression
    except ImportError:
        out.line("scikit-learn is not installed: no baseline (pip install scikit-learn).")
        return {"skipped": "scikit-learn is not installed"}
    X_train, X_test = prepared.X_train.astype(np.float64), prepared.X_test.astype(np.float64)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        if prepared.task == "classification":
            name = "LogisticRegression(max_iter=1000)"
            clf = LogisticRegression(max_iter=1000).fit(X_train, prepared.y_train)
            proba = np.zeros((len(X_test), len(prepared.classes)))
            proba[:, clf.classes_] = clf.predict_proba(X_test)  # a class absent in train: 0
            scores = report.classification_scores(prepared.y_test, proba, classes=prepared.classes)
        else:
            name = "LinearRegression()"
            reg = LinearRegression().fit(X_train, prepared.y_train.astype(np.float64))
            scores = report.regression_scores(prepared.y_test, reg.predict(X_test))
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    if not converged:
        out.line(f"Baseline {name} did not converge; its scores are shown anyway.")
    return {
        "model": name,
        "fit_on": "the network's training rows, same preprocessing",
        "converged": converged,
        "scores": scores,
    }
