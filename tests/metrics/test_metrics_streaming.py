"""Streaming wrappers: the value over batches equals the pure function on all data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neuronlab.metrics as nlm

SETTINGS = settings(max_examples=40, deadline=None)


@st.composite
def batches(draw, n_classes=3):
    """Cut n samples into consecutive batches; returns (cuts, y_true, probabilities)."""
    n = draw(st.integers(3, 40))
    y_true = np.array(draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n)))
    y_true[:n_classes] = np.arange(n_classes)
    logits = np.array(
        draw(st.lists(st.floats(-5, 5), min_size=n * n_classes, max_size=n * n_classes))
    ).reshape(n, n_classes)
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    cuts = sorted(set(draw(st.lists(st.integers(1, n - 1), max_size=5))))
    return cuts, y_true, proba


def _split(cuts, *arrays):
    return zip(*(np.split(a, cuts) for a in arrays))


@SETTINGS
@given(data=batches(), weighted=st.booleans())
def test_accuracy_over_batches_equals_accuracy_score(data, weighted):
    cuts, y_true, proba = data
    w = np.linspace(0.5, 2.0, len(y_true)) if weighted else None
    acc = nlm.Accuracy()
    for part in _split(cuts, y_true, proba, *([w] if weighted else [])):
        acc.update(part[0], part[1], sample_weight=part[2] if weighted else None)
    expected = nlm.accuracy_score(y_true, proba.argmax(axis=1), sample_weight=w)
    assert acc.result() == pytest.approx(expected, rel=1e-12)
    acc.reset()
    with pytest.raises(ValueError, match=r"Accuracy.result: no samples"):
        acc.result()


def test_accuracy_reads_scores_probabilities_and_labels():
    acc = nlm.Accuracy()
    assert acc.name == "accuracy"
    acc.update([0, 1, 1, 0], np.array([0.2, 0.7, 0.5, 0.49]))  # 1-D: p >= 0.5 is class 1
    assert acc.result() == 1.0
    acc.reset()
    acc.update([1, 0], np.array([[0.6], [0.1]]))  # one column: same threshold
    assert acc.result() == 1.0
    acc.reset()
    acc.update([2, 0], np.array([[-1.0, 0.0, 3.0], [5.0, 1.0, 2.0]]))  # logits: argmax
    assert acc.result() == 1.0
    acc.reset()
    acc.update(["a", "b"], ["a", "a"])  # labels pass through
    assert acc.result() == 0.5
    acc.reset()
    acc.update([2, 3], np.array([2.0, 3.0]))  # whole floats are labels, not probabilities
    assert acc.result() == 1.0
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\], got values in \[-0.5, 1.5\]"):
        acc.update([0, 1], np.array([-0.5, 1.5]))


@SETTINGS
@given(data=batches(), average=st.sampled_from(["micro", "macro", "weighted"]))
def test_streaming_f1_equals_f1_on_all_data(data, average):
    cuts, y_true, proba = data
    y_pred = proba.argmax(axis=1)
    f1 = nlm.Streaming(nlm.f1_score, average=average, zero_division=0)
    assert f1.name == "f1_score"
    for t, p in _split(cuts, y_true, y_pred):
        f1.update(t, p)
    # the same pure function on the concatenation: exactly equal, not merely close
    assert f1.result() == nlm.f1_score(y_true, y_pred, average=average, zero_division=0)


@SETTINGS
@given(data=batches())
def test_streaming_roc_auc_and_log_loss_with_weights(data):
    cuts, y_true, proba = data
    w = np.arange(1, len(y_true) + 1, dtype=float)
    auc = nlm.Streaming(nlm.roc_auc_score, name="auc", multi_class="ovr")
    loss = nlm.Streaming(nlm.log_loss)
    for t, p, ww in _split(cuts, y_true, proba, w):
        auc.update(t, p, sample_weight=ww)
        loss.update(t, p, sample_weight=ww)
    assert auc.name == "auc"
    assert auc.result() == nlm.roc_auc_score(y_true, proba, multi_class="ovr", sample_weight=w)
    assert loss.result() == nlm.log_loss(y_true, proba, sample_weight=w)
    auc.reset()
    with pytest.raises(ValueError, match=r"Streaming\('auc'\).result: no batches"):
        auc.result()


def test_streaming_rejects_mixed_weighting_and_bad_batches():
    s = nlm.Streaming(nlm.accuracy_score)
    s.update([0, 1], [0, 1])
    with pytest.raises(ValueError, match=r"sample_weight must be given for every batch or"):
        s.update([0], [0], sample_weight=[1.0])
    with pytest.raises(ValueError, match=r"same number of samples, got 2 and 1"):
        s.update([0, 1], [0])
    with pytest.raises(TypeError, match=r"metric_fn must be a function"):
        nlm.Streaming(0.5)


@SETTINGS
@given(
    values=st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=20),
    weights=st.lists(st.floats(0.1, 10), min_size=20, max_size=20),
)
def test_mean_is_the_weighted_mean(values, weights):
    weights = weights[: len(values)]
    m = nlm.Mean(name="loss")
    for v, w in zip(values, weights):
        m.update(v, weight=w)
    assert m.name == "loss"
    expected = np.average(values, weights=weights)
    assert m.result() == pytest.approx(expected, rel=1e-9, abs=1e-9)
    m.reset()
    m.update(np.array(values))  # an array of values, each with weight 1
    assert m.result() == pytest.approx(np.mean(values), rel=1e-9, abs=1e-9)


def test_mean_errors():
    m = nlm.Mean()
    with pytest.raises(ValueError, match=r"Mean\('mean'\).result: no values"):
        m.result()
    with pytest.raises(ValueError, match=r"must not contain NaN or inf"):
        m.update(float("nan"))
    with pytest.raises(ValueError, match=r"weight must be >= 0, got -1.0"):
        m.update(1.0, weight=-1.0)
    with pytest.raises(ValueError, match=r"weight must be a scalar or have the shape"):
        m.update([1.0, 2.0], weight=[1.0, 2.0, 3.0])
