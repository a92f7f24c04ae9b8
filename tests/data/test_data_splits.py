"""train_test_split and train_val_test_split."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuronlab.data import train_test_split, train_val_test_split


def test_output_order_and_sizes():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, seed=0)
    assert X_tr.shape == (15, 2) and X_te.shape == (5, 2)
    np.testing.assert_array_equal(X_tr[:, 0] // 2, y_tr)  # rows stay aligned
    np.testing.assert_array_equal(X_te[:, 0] // 2, y_te)
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == list(range(20))


@pytest.mark.parametrize(
    ("n", "test_size", "train_size"),
    [
        (10, 0.25, None),
        (11, 0.3, None),
        (7, 2, None),
        (100, 0.1, 0.5),
        (9, None, 0.5),
        (13, 0.33, 4),
    ],
)
def test_sizes_match_scikit_learn(n, test_size, train_size):
    import sklearn.model_selection as ms

    X = np.arange(n)
    ours = train_test_split(X, test_size=test_size, train_size=train_size, seed=0)
    theirs = ms.train_test_split(X, test_size=test_size, train_size=train_size, random_state=0)
    assert [len(a) for a in ours] == [len(a) for a in theirs]


def test_seed_reproducible_and_shuffle_false():
    X = np.arange(30)
    a = train_test_split(X, seed=7)
    b = train_test_split(X, seed=7)
    c = train_test_split(X, seed=8)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])
    tr, te = train_test_split(X, test_size=0.2, shuffle=False)
    np.testing.assert_array_equal(tr, np.arange(24))
    np.testing.assert_array_equal(te, np.arange(24, 30))


def test_stratified_preserves_proportions():
    y = np.array([0] * 80 + [1] * 15 + [2] * 5)
    X = np.arange(100)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, seed=3)
    assert np.bincount(y_te).tolist() == [16, 3, 1]
    assert np.bincount(y_tr).tolist() == [64, 12, 4]
    np.testing.assert_array_equal(y[X_te], y_te)


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(2, 40), min_size=2, max_size=5),
    frac=st.floats(0.1, 0.6),
    seed=st.integers(0, 10_000),
)
def test_property_stratified_split(counts, frac, seed):
    y = np.repeat(np.arange(len(counts)), counts)
    n = len(y)
    n_test = int(np.ceil(frac * n))
    if n_test < len(counts) or n - n_test < len(counts):
        return
    idx_tr, idx_te = train_test_split(np.arange(n), test_size=frac, stratify=y, seed=seed)
    assert len(idx_te) == n_test and len(idx_tr) == n - n_test
    assert len(set(idx_tr) | set(idx_te)) == n  # a partition
    got = np.bincount(y[idx_te], minlength=len(counts))
    expected = np.array(counts) * n_test / n
    assert np.all(np.abs(got - expected) < 1.0 + 1e-9)  # each class within one sample


def test_frames_are_split_row_wise():
    frame = {"age": np.arange(10), "sex": np.array(["F", "M"] * 5, dtype=object)}
    y = np.arange(10)
    f_tr, f_te, y_tr, y_te = train_test_split(frame, y, test_size=3, seed=0)
    assert set(f_tr) == {"age", "sex"} and len(f_te["sex"]) == 3
    np.testing.assert_array_equal(f_te["age"], y_te)


def test_list_inputs_become_arrays():
    tr, te = train_test_split([1, 2, 3, 4], test_size=1, seed=0)
    assert isinstance(tr, np.ndarray) and len(te) == 1


def test_errors():
    X = np.arange(10)
    with pytest.raises(ValueError, match=r"same number of samples.*\[10, 9\]"):
        train_test_split(X, np.arange(9))
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        train_test_split(X, test_size=1.5)
    with pytest.raises(ValueError, match=r"int count in \[0, 10\]"):
        train_test_split(X, test_size=11)
    with pytest.raises(TypeError, match="float in"):
        train_test_split(X, test_size="half")
    with pytest.raises(ValueError, match="shuffle=True"):
        train_test_split(X, stratify=X % 2, shuffle=False)
    with pytest.raises(ValueError, match="at least 2 samples of every class"):
        train_test_split(X, stratify=np.array([0] * 9 + [1]))
    with pytest.raises(ValueError, match="non-empty"):
        train_test_split(X, test_size=0)
    with pytest.raises(ValueError, match="<= 10"):
        train_test_split(X, test_size=6, train_size=6)
    with pytest.raises(TypeError, match="at least one array"):
        train_test_split()


def test_train_val_test_split():
    X = np.arange(200).reshape(100, 2)
    y = np.array([0] * 70 + [1] * 30)
    X_tr, X_va, X_te, y_tr, y_va, y_te = train_val_test_split(
        X, y, val_size=0.2, test_size=0.1, stratify=y, seed=0
    )
    assert (len(X_tr), len(X_va), len(X_te)) == (70, 20, 10)
    assert np.bincount(y_te).tolist() == [7, 3] and np.bincount(y_va).tolist() == [14, 6]
    rows = np.concatenate([X_tr[:, 0], X_va[:, 0], X_te[:, 0]]) // 2
    assert sorted(rows.tolist()) == list(range(100))
    again = train_val_test_split(X, y, val_size=0.2, test_size=0.1, stratify=y, seed=0)
    np.testing.assert_array_equal(again[1], X_va)
    with pytest.raises(ValueError, match="val \\+ test"):
        train_val_test_split(X, val_size=0.5, test_size=0.5)
