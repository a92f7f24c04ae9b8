"""Parity of the score-based metrics (curves, AUCs) with scikit-learn."""

from __future__ import annotations

import numpy as np
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st
from metrics_testkit import PARITY, POOLS, assert_parity, probabilities, scores, weights

import neuronlab.metrics as nlm


@st.composite
def binary_scores(draw, min_size=1, max_size=40):
    """(y_true, y_score, pos_label, sample_weight) for binary (or one-class) y_true."""
    pool_name = draw(st.sampled_from(["01", "-11", "str", "bool", "multi"]))
    pool = {
        "01": [0, 1],
        "-11": [-1, 1],
        "str": ["neg", "pos"],
        "bool": [False, True],
        "multi": [0, 1, 2],
    }[pool_name]
    n = draw(st.integers(min_size, max_size))
    y_true = np.array(draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n)))
    y_score = draw(scores(n, ties=draw(st.booleans())))
    if pool_name in ("01", "-11", "bool") and draw(st.booleans()):
        pos_label = None  # inferred: 1 (or True)
    else:
        pos_label = draw(st.sampled_from(pool))
    return y_true, y_score, pos_label, draw(weights(n))


@PARITY
@given(data=binary_scores(), drop=st.booleans())
def test_roc_curve(data, drop):
    y_true, y_score, pos_label, w = data
    assert_parity(
        nlm.roc_curve,
        skm.roc_curve,
        y_true,
        y_score,
        pos_label=pos_label,
        sample_weight=w,
        drop_intermediate=drop,
        exact=True,
    )


@PARITY
@given(data=binary_scores(), drop=st.booleans())
def test_precision_recall_curve(data, drop):
    y_true, y_score, pos_label, w = data
    assert_parity(
        nlm.precision_recall_curve,
        skm.precision_recall_curve,
        y_true,
        y_score,
        pos_label=pos_label,
        sample_weight=w,
        drop_intermediate=drop,
        exact=True,
        their_user_warning_is_undefined=True,  # "No positive class found in y_true"
    )


@PARITY
@given(
    x=st.lists(st.floats(-10, 10), min_size=2, max_size=20),
    y=st.lists(st.floats(-10, 10), min_size=20, max_size=20),
    order=st.sampled_from(["up", "down", "any"]),
)
def test_auc(x, y, order):
    x = np.array(x)
    x = {"up": np.sort(x), "down": np.sort(x)[::-1], "any": x}[order]
    y = np.array(y[: len(x)])
    assert_parity(nlm.auc, skm.auc, x, y)


@PARITY
@given(data=binary_scores(min_size=1))
def test_binary_roc_auc_score(data):
    y_true, y_score, _, w = data
    if len(np.unique(y_true)) > 2:
        y_true = y_true % 2
    assert_parity(nlm.roc_auc_score, skm.roc_auc_score, y_true, y_score, sample_weight=w)


@PARITY
@given(data=binary_scores())
def test_binary_average_precision_score(data):
    y_true, y_score, pos_label, w = data
    if len(np.unique(y_true)) > 2:
        y_true = y_true % 2
    kwargs = {} if pos_label in (None, 1) else {"pos_label": pos_label}
    assert_parity(
        nlm.average_precision_score,
        skm.average_precision_score,
        y_true,
        y_score,
        sample_weight=w,
        their_user_warning_is_undefined=True,
        **kwargs,
    )


@st.composite
def multiclass_scores(draw, with_labels=True):
    """(y_true, y_prob, labels, sample_weight) with 3+ classes (sometimes absent ones)."""
    pool = POOLS[draw(st.sampled_from(["int", "str", "signed"]))]
    k = draw(st.integers(3, len(pool)))
    classes = pool[:k]
    n = draw(st.integers(3, 40))
    drawn = draw(st.lists(st.sampled_from(classes), min_size=n - 3, max_size=n - 3))
    y_true = np.array(drawn + classes[:3])  # at least three classes present: multiclass
    labels = None
    if with_labels and draw(st.booleans()):
        # sometimes one more label than y_true can contain: a class with no samples
        labels = np.array(sorted(pool[: k + draw(st.integers(0, 1))]))
    n_columns = len(labels) if labels is not None else len(np.unique(y_true))
    y_prob = draw(probabilities(n, n_columns))  # grid values make ties common
    return y_true, y_prob, labels, draw(weights(n))


@PARITY
@given(data=multiclass_scores(), average=st.sampled_from(["macro", "weighted", "micro", None]))
def test_ovr_roc_auc_score(data, average):
    y_true, y_prob, labels, w = data
    assert_parity(
        nlm.roc_auc_score,
        skm.roc_auc_score,
        y_true,
        y_prob,
        multi_class="ovr",
        average=average,
        labels=labels,
        sample_weight=w,
    )


@PARITY
@given(
    data=multiclass_scores(with_labels=False),
    average=st.sampled_from(["macro", "weighted", "micro", None]),
)
def test_multiclass_average_precision_score(data, average):
    y_true, y_prob, _, w = data
    assert_parity(
        nlm.average_precision_score,
        skm.average_precision_score,
        y_true,
        y_prob,
        average=average,
        sample_weight=w,
        their_user_warning_is_undefined=True,
    )


def test_roc_thresholds_start_with_inf_and_are_float64():
    fpr, tpr, thr = nlm.roc_curve([0, 1, 1], np.array([1, 2, 2], dtype=np.int64))
    assert thr[0] == np.inf and thr.dtype == np.float64
    np.testing.assert_array_equal(thr, [np.inf, 2.0, 1.0])
    np.testing.assert_array_equal(fpr, [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(tpr, [0.0, 1.0, 1.0])


def test_roc_auc_counts_ties_as_half():
    # one positive and one negative with equal scores: probability 1/2
    assert nlm.roc_auc_score([0, 1], [0.3, 0.3]) == 0.5
    assert nlm.roc_auc_score([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert nlm.roc_auc_score([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == 0.0
