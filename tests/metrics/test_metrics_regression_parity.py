"""Parity of the regression metrics with scikit-learn."""

from __future__ import annotations

import numpy as np
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st
from metrics_testkit import PARITY, assert_parity, weights

import neuronlab.metrics as nlm

# whole numbers make ties and zeros likely; tiny values probe MAPE's epsilon floor
VALUE = st.one_of(
    st.floats(-100, 100),
    st.integers(-3, 3).map(float),
    st.sampled_from([1e-17, -3e-16, 1e-300]),
)


@st.composite
def regression_data(draw, min_size=1):
    """(y_true, y_pred, sample_weight, n_outputs) with 1-D or 2-D targets."""
    n = draw(st.integers(min_size, 30))
    n_outputs = draw(st.sampled_from([None, 1, 2, 3]))  # None: 1-D arrays
    shape = (n,) if n_outputs is None else (n, n_outputs)
    size = int(np.prod(shape))
    y_true = np.array(draw(st.lists(VALUE, min_size=size, max_size=size))).reshape(shape)
    kind = draw(st.sampled_from(["random", "perfect", "constant_true"]))
    if kind == "perfect":
        y_pred = y_true.copy()
    else:
        y_pred = np.array(draw(st.lists(VALUE, min_size=size, max_size=size))).reshape(shape)
    if kind == "constant_true":
        y_true = np.full(shape, draw(VALUE))
    return y_true, y_pred, draw(weights(n)), n_outputs or 1


def multioutput_options(n_outputs, extra=()):
    options = ["raw_values", "uniform_average", *extra]
    if n_outputs > 1:
        options.append("weights")
    return st.sampled_from(options)


@PARITY
@given(
    data=regression_data(),
    name=st.sampled_from(
        [
            "mean_absolute_error",
            "mean_squared_error",
            "root_mean_squared_error",
            "mean_absolute_percentage_error",
        ]
    ),
    draw=st.data(),
)
def test_error_metrics(data, name, draw):
    y_true, y_pred, w, n_outputs = data
    multioutput = draw.draw(multioutput_options(n_outputs))
    if multioutput == "weights":
        positive = st.floats(0.1, 3)
        multioutput = np.array(
            draw.draw(st.lists(positive, min_size=n_outputs, max_size=n_outputs))
        )
    assert_parity(
        getattr(nlm, name),
        getattr(skm, name),
        y_true,
        y_pred,
        sample_weight=w,
        multioutput=multioutput,
    )


@PARITY
@given(data=regression_data(), force_finite=st.booleans(), draw=st.data())
def test_r2_score(data, force_finite, draw):
    y_true, y_pred, w, n_outputs = data
    multioutput = draw.draw(multioutput_options(n_outputs, extra=("variance_weighted",)))
    if multioutput == "weights":
        multioutput = np.linspace(1.0, 2.0, n_outputs)
    assert_parity(
        nlm.r2_score,
        skm.r2_score,
        y_true,
        y_pred,
        sample_weight=w,
        multioutput=multioutput,
        force_finite=force_finite,
    )


def test_r2_known_values():
    assert nlm.r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]) == 1.0
    assert nlm.r2_score([1.0, 2.0, 3.0], [2.0, 2.0, 2.0]) == 0.0  # predicting the mean
    assert nlm.r2_score([2.0, 2.0], [2.0, 2.0]) == 1.0  # constant and perfect
    assert nlm.r2_score([2.0, 2.0], [1.0, 2.0]) == 0.0  # constant, imperfect, forced finite
    assert nlm.r2_score([2.0, 2.0], [1.0, 2.0], force_finite=False) == -np.inf
