"""TensorDataset and DataLoader."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuronlab.data import DataLoader, Dataset, TensorDataset


class FakeTorchTensor:
    """Mimics a PyTorch tensor: .detach().cpu().numpy()."""

    def __init__(self, a):
        self._a = np.asarray(a)

    def detach(self):
        return self

    def cpu(self):
        return self

    def numpy(self):
        return self._a


class FakeEngineTensor:
    """Mimics a neuronlab Tensor: a .data ndarray and a .shape."""

    def __init__(self, a):
        self.data = np.asarray(a)
        self.shape = self.data.shape


class ListDataset:
    """A generic data set (no arrays exposed)."""

    def __init__(self, n):
        self.n = n
        self.calls = 0

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        self.calls += 1
        return np.full(3, float(i)), i % 2


def test_tensor_dataset_basics():
    X = np.arange(12.0).reshape(4, 3)
    y = np.array([0, 1, 0, 1])
    ds = TensorDataset(X, y)
    assert len(ds) == 4
    xs, ys = ds[1]
    np.testing.assert_array_equal(xs, X[1])
    assert ys == 1
    assert isinstance(ds, Dataset)
    assert repr(ds) == "TensorDataset(float64[4, 3], int64[4])"


def test_tensor_dataset_accepts_tensor_like_objects():
    ds = TensorDataset(FakeTorchTensor(np.ones((3, 2))), FakeEngineTensor([1, 2, 3]), [4, 5, 6])
    assert [a.shape for a in ds.arrays] == [(3, 2), (3,), (3,)]


def test_tensor_dataset_length_mismatch_names_both_lengths():
    with pytest.raises(ValueError, match=r"array 0 has 5 samples.*array 1 has 4"):
        TensorDataset(np.zeros((5, 2)), np.zeros(4))


def test_tensor_dataset_rejects_nothing_and_scalars():
    with pytest.raises(TypeError, match="at least one array"):
        TensorDataset()
    with pytest.raises(ValueError, match="0-d scalar"):
        TensorDataset(np.float64(3.0))


def test_loader_dtypes_and_contiguity():
    X = np.asfortranarray(np.random.default_rng(0).normal(size=(10, 3)))  # float64, F-order
    y = np.arange(10, dtype=np.int32)
    batches = list(DataLoader((X, y), batch_size=4))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    for xb, yb in batches:
        assert xb.dtype == np.float32 and xb.flags.c_contiguous
        assert yb.dtype == np.int64
    np.testing.assert_allclose(np.concatenate([b[0] for b in batches]), X.astype(np.float32))


def test_loader_len_and_drop_last():
    X = np.zeros((10, 2))
    assert len(DataLoader(X, batch_size=3)) == 4
    assert len(DataLoader(X, batch_size=3, drop_last=True)) == 3
    assert [len(b[0]) for b in DataLoader(X, batch_size=3, drop_last=True)] == [3, 3, 3]
    assert len(DataLoader(X, batch_size=20, drop_last=True)) == 0


def test_single_array_yields_one_tuples():
    (batch,) = list(DataLoader(np.arange(3.0), batch_size=8))
    assert isinstance(batch, tuple) and len(batch) == 1


def test_same_seed_same_batches_epoch_after_epoch():
    X = np.arange(50.0).reshape(25, 2)
    y = np.arange(25)
    a = DataLoader((X, y), batch_size=7, shuffle=True, seed=123)
    b = DataLoader((X, y), batch_size=7, shuffle=True, seed=123)
    epochs_a = [[yb.copy() for _, yb in a] for _ in range(3)]
    epochs_b = [[yb.copy() for _, yb in b] for _ in range(3)]
    for ea, eb in zip(epochs_a, epochs_b):
        for ba, bb in zip(ea, eb):
            np.testing.assert_array_equal(ba, bb)
    orders = [np.concatenate(e) for e in epochs_a]
    assert not np.array_equal(orders[0], orders[1])  # a new permutation each epoch
    for order in orders:
        assert sorted(order.tolist()) == list(range(25))  # every sample once per epoch


def test_different_seeds_differ_and_no_shuffle_keeps_order():
    y = np.arange(100)
    a = np.concatenate([b[0] for b in DataLoader(y, batch_size=10, shuffle=True, seed=1)])
    b = np.concatenate([b[0] for b in DataLoader(y, batch_size=10, shuffle=True, seed=2)])
    assert not np.array_equal(a, b)
    c = np.concatenate([b[0] for b in DataLoader(y, batch_size=10)])
    np.testing.assert_array_equal(c, y)


def test_batches_are_copies_not_views():
    X = np.zeros((4, 2), dtype=np.float32)
    (xb,) = next(iter(DataLoader(X, batch_size=2)))
    xb += 1
    assert X.sum() == 0


def test_fast_path_does_no_per_sample_work(monkeypatch):
    X, y = np.zeros((64, 3)), np.zeros(64, dtype=np.int64)
    loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True, seed=0)

    def boom(self, i):
        raise AssertionError("per-sample __getitem__ called on the fast path")

    monkeypatch.setattr(TensorDataset, "__getitem__", boom)
    assert sum(len(yb) for _, yb in loader) == 64


def test_generic_dataset_is_stacked_like_the_fast_path():
    ds = ListDataset(10)
    slow = list(DataLoader(ds, batch_size=4, shuffle=True, seed=5))
    X = np.stack([np.full(3, float(i)) for i in range(10)])
    fast = list(DataLoader((X, np.arange(10) % 2), batch_size=4, shuffle=True, seed=5))
    assert ds.calls == 10
    for (xs, ys), (xf, yf) in zip(slow, fast):
        np.testing.assert_array_equal(xs, xf)
        np.testing.assert_array_equal(ys, yf)
        assert xs.dtype == np.float32 and ys.dtype == np.int64


def test_generic_dataset_with_inconsistent_samples():
    class Bad(ListDataset):
        def __getitem__(self, i):
            return (np.zeros(2), 1) if i == 0 else (np.zeros(2),)

    with pytest.raises(ValueError, match="same length"):
        list(DataLoader(Bad(3), batch_size=3))


@pytest.mark.parametrize("bad", [0, -3])
def test_batch_size_value_errors(bad):
    with pytest.raises(ValueError, match=r"batch_size.*positive int.*got"):
        DataLoader(np.zeros(3), batch_size=bad)


@pytest.mark.parametrize("bad", [2.0, "8", None, True])
def test_batch_size_type_errors(bad):
    with pytest.raises(TypeError, match=r"batch_size.*positive int"):
        DataLoader(np.zeros(3), batch_size=bad)


def test_numpy_integer_batch_size_is_fine():
    assert len(DataLoader(np.zeros(10), batch_size=np.int64(5))) == 2


def test_unsupported_input_type():
    with pytest.raises(TypeError, match="expected a Dataset"):
        DataLoader(object())


def test_tensor_like_input():
    (xb,) = next(iter(DataLoader(FakeEngineTensor(np.ones((4, 2))), batch_size=4)))
    assert xb.shape == (4, 2) and xb.dtype == np.float32


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 60), bs=st.integers(1, 17), shuffle=st.booleans(), drop=st.booleans())
def test_property_batches_partition_the_data(n, bs, shuffle, drop):
    y = np.arange(n)
    loader = DataLoader(y, batch_size=bs, shuffle=shuffle, drop_last=drop, seed=0)
    batches = [b[0] for b in loader]
    assert len(batches) == len(loader)
    assert all(len(b) == bs for b in batches[:-1])
    seen = np.concatenate(batches) if batches else np.empty(0, dtype=np.int64)
    assert len(np.unique(seen)) == len(seen)
    assert len(seen) == (n // bs) * bs if drop else len(seen) == n
