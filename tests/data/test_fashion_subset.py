"""The shipped Fashion-MNIST subset: the official images, stratified, checksummed."""

import shutil

import numpy as np
import pytest

import neuronlab.data.fashion_subset as fs
from neuronlab.data import (
    CorruptDatasetError,
    load_fashion_mnist,
    load_fashion_mnist_or_subset,
    load_fashion_mnist_subset,
)


def test_the_subset_is_stratified_and_small():
    small = load_fashion_mnist_subset(layout="flat", normalize=False)
    assert small.X_train.shape == (8000, 784) and small.X_test.shape == (1000, 784)
    assert small.X_train.dtype == np.uint8
    assert np.bincount(small.y_train).tolist() == [800] * 10
    assert np.bincount(small.y_test).tolist() == [100] * 10
    assert fs._FILE.stat().st_size < 5_000_000


def test_the_subset_holds_the_official_images_at_the_stored_positions():
    full = load_fashion_mnist(normalize=False, download=False)  # Debian's package (make test)
    small = load_fashion_mnist_subset(normalize=False)
    train, test = small.extras["train_index"], small.extras["test_index"]
    np.testing.assert_array_equal(small.X_train, full.X_train[train])
    np.testing.assert_array_equal(small.y_train, full.y_train[train])
    np.testing.assert_array_equal(small.X_test, full.X_test[test])
    np.testing.assert_array_equal(small.y_test, full.y_test[test])


def test_layouts_and_normalization_match_the_full_loader():
    nchw = load_fashion_mnist_subset(layout="nchw")
    assert nchw.X_train.shape == (8000, 1, 28, 28) and nchw.X_train.dtype == np.float32
    assert nchw.X_train.min() >= 0.0 and nchw.X_train.max() <= 1.0
    with pytest.raises(ValueError, match="layout"):
        load_fashion_mnist_subset(layout="nhwc")


def test_a_damaged_file_is_refused_by_its_checksum(tmp_path, monkeypatch):
    copy = tmp_path / "package"
    shutil.copytree(fs.PACKAGE, copy)
    data = bytearray((copy / "fashion_mnist_subset.npz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / "fashion_mnist_subset.npz").write_bytes(bytes(data))
    monkeypatch.setattr(fs, "PACKAGE", copy)
    monkeypatch.setattr(fs, "_FILE", copy / "fashion_mnist_subset.npz")
    with pytest.raises(CorruptDatasetError, match="SHA-256"):
        load_fashion_mnist_subset()


def test_or_subset_falls_back_when_the_full_set_is_missing(tmp_path, monkeypatch):
    import neuronlab.data.fashion_subset as module

    def missing(**kwargs):
        raise FileNotFoundError("no Fashion-MNIST here")

    monkeypatch.setattr(module, "load_fashion_mnist", missing)
    assert load_fashion_mnist_or_subset().extras["subset"] is True
