"""UndefinedMetricWarning where scikit-learn warns, and silence where it does not."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from sklearn.exceptions import UndefinedMetricWarning as SkUndefinedMetricWarning

import neuronlab.metrics as nlm
from neuronlab.metrics import UndefinedMetricWarning

# (name, args, kwargs, pattern of our message, value we return)
UNDEFINED = [
    (
        "precision_score",
        ([0, 1, 0], [0, 0, 0]),
        {},
        r"precision_score: Precision is ill-defined and being set to 0.0 for label\(s\) \[1\], "
        r"which have no predicted samples; pass zero_division=",
        0.0,
    ),
    (
        "recall_score",
        ([0, 0], [0, 1]),
        {},
        r"Recall is ill-defined .* no true samples",
        0.0,
    ),
    (
        "f1_score",
        ([0, 0], [0, 0]),
        {},
        r"F-score is ill-defined .* no true nor predicted samples",
        0.0,
    ),
    (
        "precision_score",
        ([0, 1, 2], [0, 0, 0]),
        {"average": "macro"},
        r"for label\(s\) \[1, 2\]",
        1 / 3 / 3,
    ),
    (
        "precision_recall_fscore_support",
        ([0, 0], [1, 1]),
        {"average": "micro", "labels": [0]},
        r"Precision is ill-defined and being set to 0.0 for the micro average",
        (0.0, 0.0, 0.0, None),
    ),
    (
        "roc_auc_score",
        ([1, 1, 1], [0.2, 0.5, 0.9]),
        {},
        r"roc_auc_score: only one class is present in y_true, so ROC AUC is not defined",
        np.nan,
    ),
    (
        "roc_curve",
        ([1, 1], [0.2, 0.5]),
        {},
        r"roc_curve: y_true has no negative samples",
        None,
    ),
    (
        "roc_curve",
        ([0, 0], [0.2, 0.5]),
        {},
        r"roc_curve: y_true has no positive samples",
        None,
    ),
    (
        "r2_score",
        ([1.0], [2.0]),
        {},
        r"r2_score: R\^2 is not well-defined with fewer than two samples",
        np.nan,
    ),
]


@pytest.mark.parametrize(("name", "args", "kwargs", "pattern", "value"), UNDEFINED)
def test_undefined_metric_warning_like_sklearn(name, args, kwargs, pattern, value):
    with pytest.warns(UndefinedMetricWarning, match=pattern):
        ours = getattr(nlm, name)(*args, **kwargs)
    with pytest.warns(SkUndefinedMetricWarning):
        theirs = getattr(skm, name)(*args, **kwargs)
    if value is not None:
        if isinstance(value, tuple):
            assert ours == value
        else:
            np.testing.assert_allclose(ours, value, equal_nan=True)
    for a, b in zip(np.atleast_1d(ours), np.atleast_1d(theirs)):
        if a is not None:
            np.testing.assert_allclose(a, b, equal_nan=True)


@pytest.mark.parametrize("zero_division", [0, 1, 0.0, 1.0, np.nan])
def test_explicit_zero_division_is_silent_and_used(zero_division):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = nlm.precision_score([0, 1, 0], [0, 0, 0], zero_division=zero_division)
    np.testing.assert_equal(got, float(zero_division))
    np.testing.assert_equal(
        got, skm.precision_score([0, 1, 0], [0, 0, 0], zero_division=zero_division)
    )


def test_well_defined_metrics_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nlm.f1_score([0, 1, 1, 0], [0, 1, 0, 0])
        nlm.precision_recall_fscore_support([0, 1, 2], [0, 1, 2])
        nlm.roc_auc_score([0, 1], [0.1, 0.9])
        nlm.r2_score([1.0, 2.0], [1.0, 2.5])
        # f1 is defined when a class is predicted-only or true-only (its precision or
        # recall is 0/0, but F = 2 TP / (2 TP + FP + FN) has a non-zero denominator)
        nlm.f1_score([0, 0, 1], [0, 1, 0])


def test_no_positive_in_precision_recall_curve_warns():
    # scikit-learn emits a plain UserWarning here; ours is the more specific subclass
    with pytest.warns(UndefinedMetricWarning, match=r"no positive class found in y_true"):
        p, r, _ = nlm.precision_recall_curve([0, 0], [0.3, 0.6])
    np.testing.assert_array_equal(r, [1.0, 1.0, 0.0])
    with pytest.warns(UserWarning, match=r"No positive class found"):
        skm.precision_recall_curve([0, 0], [0.3, 0.6])


def test_user_warnings_that_are_not_undefined_metric():
    assert issubclass(UndefinedMetricWarning, UserWarning)
    with pytest.warns(UserWarning, match=r"pos_label='a' is ignored when average='macro'"):
        nlm.f1_score(["a", "b"], ["a", "b"], pos_label="a", average="macro")
    with pytest.warns(UserWarning, match=r"only one label was found .* pass labels="):
        nlm.confusion_matrix([1, 1], [1, 1])
    with pytest.warns(UserWarning, match=r"rows of y_proba do not sum to one"):
        nlm.log_loss([0, 1], [[0.5, 0.6], [0.2, 0.8]])
    with pytest.warns(UserWarning, match=r"labels=\[1, 0\] are not sorted"):
        nlm.log_loss([0, 1], [[0.5, 0.5], [0.2, 0.8]], labels=[1, 0])
