"""StandardScaler, MinMaxScaler and OneHotEncoder."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from neuronlab.data import MinMaxScaler, OneHotEncoder, StandardScaler

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
matrices = hnp.arrays(
    np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1), elements=finite
)


@pytest.mark.parametrize("cls", [StandardScaler, MinMaxScaler, OneHotEncoder])
@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
def test_use_before_fit_raises_runtime_error(cls, method):
    with pytest.raises(RuntimeError, match=r"call .*fit"):
        getattr(cls(), method)(np.zeros((2, 2)))


def test_standard_scaler_statistics_and_constant_column():
    X = np.array([[1.0, 7.0, 0.0], [3.0, 7.0, 4.0], [5.0, 7.0, 8.0]])
    s = StandardScaler().fit(X)
    np.testing.assert_allclose(s.mean_, X.mean(axis=0))
    np.testing.assert_allclose(s.var_, X.var(axis=0))
    np.testing.assert_allclose(s.scale_, [X[:, 0].std(), 1.0, X[:, 2].std()])
    Z = s.transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z[:, 1], 0)
    assert s.n_features_in_ == 3 and s.n_samples_seen_ == 3


def test_standard_scaler_keeps_float32_and_promotes_ints():
    X32 = np.arange(6, dtype=np.float32).reshape(3, 2)
    assert StandardScaler().fit_transform(X32).dtype == np.float32
    assert StandardScaler().fit_transform(np.arange(6).reshape(3, 2)).dtype == np.float64


def test_standard_scaler_is_fitted_on_train_only():
    train, test = np.array([[0.0], [2.0]]), np.array([[10.0]])
    s = StandardScaler().fit(train)
    assert s.transform(test).item() == pytest.approx(9.0)


def test_input_validation_messages():
    s = StandardScaler().fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"expected 2 features.*got 3"):
        s.transform(np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"2-D.*reshape"):
        StandardScaler().fit(np.zeros(4))
    with pytest.raises(TypeError, match="numeric"):
        StandardScaler().fit(np.array([["a"], ["b"]], dtype=object))
    with pytest.raises(ValueError, match="at least one sample"):
        StandardScaler().fit(np.zeros((0, 2)))


@settings(max_examples=50, deadline=None)
@given(matrices)
def test_property_standard_scaler_round_trip(X):
    s = StandardScaler().fit(X)
    np.testing.assert_allclose(
        s.inverse_transform(s.transform(X)), X, atol=1e-6 * (1 + abs(X).max())
    )


@settings(max_examples=50, deadline=None)
@given(matrices)
def test_property_min_max_range_and_round_trip(X):
    m = MinMaxScaler(feature_range=(-1, 1)).fit(X)
    Z = m.transform(X)
    assert Z.min() >= -1 - 1e-9 and Z.max() <= 1 + 1e-9
    np.testing.assert_allclose(m.inverse_transform(Z), X, atol=1e-6 * (1 + abs(X).max()))


def test_min_max_scaler_values():
    X = np.array([[0.0, 5.0], [10.0, 5.0], [5.0, 5.0]])
    m = MinMaxScaler().fit(X)
    np.testing.assert_allclose(m.transform(X), [[0, 0], [1, 0], [0.5, 0]])
    np.testing.assert_allclose(m.data_min_, [0, 5])
    np.testing.assert_allclose(m.data_range_, [10, 0])
    assert MinMaxScaler(clip=True).fit(X).transform(np.array([[20.0, 5.0]])).max() == 1.0
    with pytest.raises(ValueError, match="low < high"):
        MinMaxScaler(feature_range=(1, 0))


def test_one_hot_categories_transform_and_names():
    X = np.array([["b", 3], ["a", 1], ["b", 1]], dtype=object)
    enc = OneHotEncoder().fit(X)
    assert [c.tolist() for c in enc.categories_] == [["a", "b"], [1, 3]]
    np.testing.assert_array_equal(enc.transform(X), [[0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 1, 0]])
    assert enc.transform(X).dtype == np.float32
    assert enc.get_feature_names_out().tolist() == ["x0_a", "x0_b", "x1_1", "x1_3"]
    assert enc.get_feature_names_out(["letter", "n"]).tolist()[:2] == ["letter_a", "letter_b"]
    np.testing.assert_array_equal(enc.inverse_transform(enc.transform(X)), X)
    with pytest.raises(ValueError, match="one name per column"):
        enc.get_feature_names_out(["only-one"])


def test_one_hot_unknown_values():
    train = np.array([["red"], ["blue"]])
    test = np.array([["green"], ["red"]])
    with pytest.raises(ValueError, match=r"unknown \['green'\].*handle_unknown='ignore'"):
        OneHotEncoder().fit(train).transform(test)
    enc = OneHotEncoder(handle_unknown="ignore").fit(train)
    out = enc.transform(test)
    np.testing.assert_array_equal(out, [[0, 0], [0, 1]])
    assert enc.inverse_transform(out)[:, 0].tolist() == [None, "red"]


def test_one_hot_does_not_truncate_longer_strings():
    enc = OneHotEncoder(handle_unknown="ignore").fit(np.array([["ab"], ["cd"]]))
    assert enc.transform(np.array([["abc"]])).sum() == 0


def test_one_hot_explicit_categories_and_validation():
    enc = OneHotEncoder(categories=[["lo", "mid", "hi"]]).fit(np.array([["hi"], ["lo"]]))
    assert enc.categories_[0].tolist() == ["lo", "mid", "hi"]
    np.testing.assert_array_equal(enc.transform(np.array([["mid"]])), [[0, 1, 0]])
    with pytest.raises(ValueError, match="found"):
        OneHotEncoder(categories=[["lo"]]).fit(np.array([["hi"]]))
    with pytest.raises(ValueError, match="one category list per column"):
        OneHotEncoder(categories=[["a"], ["b"]]).fit(np.array([["a"]]))
    with pytest.raises(ValueError, match="'error' or 'ignore'"):
        OneHotEncoder(handle_unknown="skip")
    with pytest.raises(ValueError, match="shape"):
        enc.inverse_transform(np.zeros((1, 2)))


def test_matches_scikit_learn():
    import sklearn.preprocessing as skp

    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 4)) * [1, 10, 100, 0]
    np.testing.assert_allclose(
        StandardScaler().fit_transform(X), skp.StandardScaler().fit_transform(X)
    )
    np.testing.assert_allclose(
        MinMaxScaler((-2, 3)).fit_transform(X), skp.MinMaxScaler((-2, 3)).fit_transform(X)
    )
    C = rng.choice(np.array(["x", "y", "z"], dtype=object), size=(30, 2))
    ours = OneHotEncoder().fit(C)
    theirs = skp.OneHotEncoder(sparse_output=False).fit(C)
    np.testing.assert_array_equal(ours.transform(C), theirs.transform(C))
    assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()


def test_min_max_subnormal_range_is_constant_like_sklearn():
    """Regression: a column spanning [0, 5e-324] gave inf scale and nan outputs."""
    from sklearn.preprocessing import MinMaxScaler as SkMinMax

    X = np.array([[5e-324], [0.0]])
    ours = MinMaxScaler(feature_range=(-1, 1)).fit_transform(X)
    np.testing.assert_array_equal(ours, SkMinMax(feature_range=(-1, 1)).fit_transform(X))
