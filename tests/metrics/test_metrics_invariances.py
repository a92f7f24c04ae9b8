"""Invariance tables: properties every metric must have, whatever the oracle says.

* permuting the samples changes nothing;
* integer sample weights equal repeating samples; scaling all weights changes nothing;
* renaming the classes (a bijection applied to y_true and y_pred) changes nothing;
* swapping y_true and y_pred: micro F1 and accuracy are symmetric, the confusion
  matrix is transposed, precision and recall trade places.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neuronlab.metrics as nlm

SETTINGS = settings(max_examples=40, deadline=None)


def _close(a, b):
    if isinstance(a, tuple):
        for x, y in zip(a, b):
            _close(x, y)
    elif a is not None:
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, equal_nan=True)


def _labels(y_true, y_pred, y_score):
    return y_true, y_pred


def _score(y_true, y_pred, y_score):
    return y_true, y_score


def _proba(y_true, y_pred, y_score):
    return y_true, np.stack([1 - y_score, y_score], axis=1)


def _regression(y_true, y_pred, y_score):
    return y_true + 0.5 * y_score, y_pred - y_score


# (id, metric, how to build its inputs from (y_true, y_pred, y_score), kwargs)
TABLE = [
    ("accuracy", nlm.accuracy_score, _labels, {}),
    ("precision_macro", nlm.precision_score, _labels, {"average": "macro", "zero_division": 0}),
    ("recall_weighted", nlm.recall_score, _labels, {"average": "weighted", "zero_division": 1}),
    ("f1_micro", nlm.f1_score, _labels, {"average": "micro", "zero_division": 0}),
    ("fbeta_none", nlm.fbeta_score, _labels, {"beta": 2, "average": None, "zero_division": 0}),
    ("prfs", nlm.precision_recall_fscore_support, _labels, {"zero_division": 0}),
    ("confusion_matrix", nlm.confusion_matrix, _labels, {"labels": [0, 1, 2]}),
    ("log_loss", nlm.log_loss, _proba, {"labels": [0, 1]}),
    ("roc_auc", nlm.roc_auc_score, _score, {}),
    ("average_precision", nlm.average_precision_score, _score, {}),
    ("mae", nlm.mean_absolute_error, _regression, {}),
    ("mse", nlm.mean_squared_error, _regression, {}),
    ("rmse", nlm.root_mean_squared_error, _regression, {}),
    ("r2", nlm.r2_score, _regression, {}),
    ("mape", nlm.mean_absolute_percentage_error, _regression, {}),
]
IDS = [row[0] for row in TABLE]
BINARY = {"log_loss", "roc_auc", "average_precision"}


@st.composite
def samples(draw, binary):
    n = draw(st.integers(4, 30))
    k = 2 if binary else 3
    y_true = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    y_true[:2] = [0, 1]  # both classes present: every metric is defined
    y_pred = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    y_score = np.array(draw(st.lists(st.integers(0, 8), min_size=n, max_size=n))) / 8
    return y_true, y_pred, y_score


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(("name", "metric", "build", "kwargs"), TABLE, ids=IDS)
@SETTINGS
@given(draw=st.data())
def test_permuting_samples_changes_nothing(name, metric, build, kwargs, draw):
    y_true, y_pred, y_score = draw.draw(samples(name in BINARY))
    perm = np.array(draw.draw(st.permutations(range(len(y_true)))))
    a, b = build(y_true, y_pred, y_score)
    _close(metric(a[perm], b[perm], **kwargs), metric(a, b, **kwargs))


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(("name", "metric", "build", "kwargs"), TABLE, ids=IDS)
@SETTINGS
@given(draw=st.data())
def test_integer_weights_equal_repetition(name, metric, build, kwargs, draw):
    y_true, y_pred, y_score = draw.draw(samples(name in BINARY))
    n = len(y_true)
    w = np.array(draw.draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    a, b = build(y_true, y_pred, y_score)
    weighted = metric(a, b, sample_weight=w, **kwargs)
    repeated = metric(np.repeat(a, w, axis=0), np.repeat(b, w, axis=0), **kwargs)
    _close(weighted, repeated)
    if name not in ("confusion_matrix", "prfs"):  # those report (weighted) counts
        _close(metric(a, b, sample_weight=2.5 * w, **kwargs), weighted)


@pytest.mark.parametrize("average", ["micro", "macro", "weighted"])
@SETTINGS
@given(draw=st.data())
def test_renaming_classes_changes_nothing(average, draw):
    y_true, y_pred, _ = draw.draw(samples(binary=False))
    names = np.array(draw.draw(st.permutations(["cat", "dog", "emu"])))
    for metric in (nlm.precision_score, nlm.recall_score, nlm.f1_score):
        renamed = metric(names[y_true], names[y_pred], average=average, zero_division=0)
        assert renamed == pytest.approx(
            metric(y_true, y_pred, average=average, zero_division=0), rel=1e-12
        )
    assert nlm.accuracy_score(names[y_true], names[y_pred]) == nlm.accuracy_score(y_true, y_pred)


@SETTINGS
@given(draw=st.data())
def test_swapping_true_and_pred(draw):
    y_true, y_pred, _ = draw.draw(samples(binary=False))
    assert nlm.f1_score(y_true, y_pred, average="micro") == nlm.f1_score(
        y_pred, y_true, average="micro"
    )
    assert nlm.accuracy_score(y_true, y_pred) == nlm.accuracy_score(y_pred, y_true)
    labels = [0, 1, 2]
    np.testing.assert_array_equal(
        nlm.confusion_matrix(y_true, y_pred, labels=labels),
        nlm.confusion_matrix(y_pred, y_true, labels=labels).T,
    )
    kw = dict(labels=labels, average=None, zero_division=0)
    np.testing.assert_array_equal(
        nlm.precision_score(y_true, y_pred, **kw), nlm.recall_score(y_pred, y_true, **kw)
    )
    f_ab = nlm.f1_score(y_true, y_pred, **kw)
    np.testing.assert_allclose(f_ab, nlm.f1_score(y_pred, y_true, **kw), rtol=1e-12)


def test_confusion_matrix_rows_sum_to_support():
    y_true = np.array([0, 1, 2, 2, 1, 0, 2])
    y_pred = np.array([0, 2, 2, 1, 1, 0, 0])
    cm = nlm.confusion_matrix(y_true, y_pred)
    _, _, _, support = nlm.precision_recall_fscore_support(y_true, y_pred)
    np.testing.assert_array_equal(cm.sum(axis=1), support)
    np.testing.assert_array_equal(np.diag(cm), [2, 1, 1])
    assert nlm.accuracy_score(y_true, y_pred) == np.trace(cm) / cm.sum()
