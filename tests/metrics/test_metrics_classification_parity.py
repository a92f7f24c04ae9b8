"""Parity of the label-based classification metrics with scikit-learn (the oracle)."""

from __future__ import annotations

import re

import numpy as np
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st
from metrics_testkit import (
    AVERAGE,
    PARITY,
    POOLS,
    ZERO_DIVISION,
    assert_parity,
    label_data,
    probabilities,
    weights,
)

import neuronlab.metrics as nlm


@st.composite
def labels_param(draw, pool):
    """None, or a non-empty list of unique labels from the pool (any order)."""
    if draw(st.booleans()):
        return None
    chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True))
    return np.array(chosen)


@PARITY
@given(data=label_data(), normalize=st.booleans())
def test_accuracy_score(data, normalize):
    _, y_true, y_pred, w = data
    assert_parity(
        nlm.accuracy_score,
        skm.accuracy_score,
        y_true,
        y_pred,
        normalize=normalize,
        sample_weight=w,
    )


@PARITY
@given(data=label_data(), draw=st.data())
def test_confusion_matrix(data, draw):
    pool, y_true, y_pred, w = data
    labels = draw.draw(labels_param(pool))
    normalize = draw.draw(st.sampled_from([None, "true", "pred", "all"]))
    cm = assert_parity(
        nlm.confusion_matrix,
        skm.confusion_matrix,
        y_true,
        y_pred,
        labels=labels,
        sample_weight=w,
        normalize=normalize,
    )
    if cm is not None and normalize is None:
        want = np.int64 if w is None or w.dtype.kind == "i" else np.float64
        assert cm.dtype == want


@PARITY
@given(data=label_data(), average=AVERAGE, zero_division=ZERO_DIVISION, draw=st.data())
def test_precision_recall_fscore_support(data, average, zero_division, draw):
    pool, y_true, y_pred, w = data
    beta = draw.draw(st.sampled_from([1.0, 0.5, 2.0, 0.0, np.inf]))
    labels = draw.draw(labels_param(pool))
    pos_label = draw.draw(st.sampled_from(pool))
    assert_parity(
        nlm.precision_recall_fscore_support,
        skm.precision_recall_fscore_support,
        y_true,
        y_pred,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=w,
        zero_division=zero_division,
    )


@PARITY
@given(
    data=label_data(),
    average=AVERAGE,
    zero_division=ZERO_DIVISION,
    name=st.sampled_from(["precision_score", "recall_score", "f1_score", "fbeta_score"]),
    draw=st.data(),
)
def test_single_scores(data, average, zero_division, name, draw):
    pool, y_true, y_pred, w = data
    kwargs = dict(average=average, sample_weight=w, zero_division=zero_division)
    kwargs["labels"] = draw.draw(labels_param(pool))
    if pool is not POOLS["int"] or draw.draw(st.booleans()):
        kwargs["pos_label"] = draw.draw(st.sampled_from(pool))
    if name == "fbeta_score":
        kwargs["beta"] = draw.draw(st.sampled_from([0.5, 2.0, 3.0]))
    assert_parity(getattr(nlm, name), getattr(skm, name), y_true, y_pred, **kwargs)


def _int_support(text):
    """Write whole supports as ints: scikit-learn prints '1.0' when no sample is correct
    (its support array becomes float in that case), neuronlab prints '1'."""
    return re.sub(r"( +)(\d+)\.0\n", r"\1  \2\n", text)


@PARITY
@given(
    data=label_data(min_classes=2), digits=st.one_of(st.integers(0, 5), st.just(14)), draw=st.data()
)
def test_classification_report(data, digits, draw):
    pool, y_true, y_pred, w = data
    labels = draw.draw(labels_param(pool))
    zero_division = draw.draw(ZERO_DIVISION)
    kwargs = dict(labels=labels, sample_weight=w, zero_division=zero_division, digits=digits)
    if labels is not None and draw.draw(st.booleans()):
        kwargs["target_names"] = [f"class <{x}>" for x in labels]
    assert_parity(
        lambda *a, **k: _int_support(nlm.classification_report(*a, **k)),
        lambda *a, **k: _int_support(skm.classification_report(*a, **k)),
        y_true,
        y_pred,
        **kwargs,
    )
    assert_parity(
        nlm.classification_report,
        skm.classification_report,
        y_true,
        y_pred,
        output_dict=True,
        **kwargs,
    )


@st.composite
def log_loss_data(draw):
    pool = POOLS[draw(st.sampled_from(["int", "str", "signed", "bool"]))]
    n = draw(st.integers(1, 30))
    k = draw(st.integers(2, len(pool)))
    classes = pool[:k]
    y_true = np.array(draw(st.lists(st.sampled_from(classes), min_size=n, max_size=n)))
    labels = None
    if draw(st.booleans()):
        labels = np.array(sorted(classes))
    n_columns = len(np.unique(y_true)) if labels is None else k
    if n_columns == 2 and draw(st.booleans()):
        y_prob = draw(probabilities(n, 2))[:, 1]  # probability of the greater label
    else:
        y_prob = draw(probabilities(n, max(n_columns, 1)))
    return y_true, y_prob, labels, draw(weights(n))


@PARITY
@given(data=log_loss_data(), normalize=st.booleans())
def test_log_loss(data, normalize):
    y_true, y_prob, labels, w = data
    assert_parity(
        nlm.log_loss,
        skm.log_loss,
        y_true,
        y_prob,
        normalize=normalize,
        sample_weight=w,
        labels=labels,
    )


def test_log_loss_clips_to_dtype_eps():
    y_prob = np.array([[1.0, 0.0], [0.0, 1.0]])
    got = nlm.log_loss([1, 0], y_prob)
    eps = np.finfo(np.float64).eps
    assert got == -np.log(eps)
    assert got == skm.log_loss([1, 0], y_prob)
    p32 = y_prob.astype(np.float32)
    np.testing.assert_allclose(nlm.log_loss([1, 0], p32), skm.log_loss([1, 0], p32), rtol=1e-6)
