"""MNIST, Fashion-MNIST and CIFAR-10 loaders on small generated files."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib

import numpy as np
import pytest

from neuronlab.data import (
    DATASETS,
    CorruptDatasetError,
    DatasetNotFoundError,
    check_integrity,
    load,
    load_cifar10,
    load_fashion_mnist,
    load_mnist,
)


@pytest.mark.parametrize(
    ("loader", "folder"), [(load_fashion_mnist, "fashion-mnist"), (load_mnist, "mnist")]
)
def test_idx_loaders_layouts(data_home, factory, loader, folder):
    arrays = factory.idx_set(data_home / folder, n_train=30, n_test=10)
    b = loader(download=False)
    assert b.X_train.shape == (30, 28, 28) and b.X_train.dtype == np.float32
    assert b.X_test.shape == (10, 28, 28) and b.y_test.dtype == np.int64
    assert b.X_train.min() >= 0.0 and b.X_train.max() <= 1.0
    np.testing.assert_allclose(b.X_train * 255, arrays["train-images-idx3-ubyte.gz"], atol=1e-3)
    np.testing.assert_array_equal(b.y_train, arrays["train-labels-idx1-ubyte.gz"])
    assert b.location == str(data_home / folder) and len(b.classes) == 10
    assert loader(layout="flat", download=False).X_train.shape == (30, 784)
    assert loader(layout="nchw", download=False).X_test.shape == (10, 1, 28, 28)
    raw = loader(normalize=False, download=False)
    assert raw.X_train.dtype == np.uint8
    with pytest.raises(ValueError, match="layout"):
        loader(layout="nhwc", download=False)


def test_uncompressed_idx_files_are_accepted(data_home, factory):
    folder = data_home / "fashion-mnist"
    factory.idx_set(folder, n_train=5, n_test=5)
    for gz in folder.glob("*.gz"):
        gz.with_suffix("").write_bytes(gzip.decompress(gz.read_bytes()))
        gz.unlink()
    assert load_fashion_mnist(download=False).X_train.shape == (5, 28, 28)


def test_describe_mentions_everything(data_home, factory):
    factory.idx_set(data_home / "fashion-mnist")
    text = load_fashion_mnist(download=False).describe()
    for part in ["Fashion-MNIST", "X_train  float32[30, 28, 28]", "Ankle boot", "MIT", "Xiao"]:
        assert part in text
    assert "counts 3, 3, 3" in text


def test_missing_files_without_download(data_home, monkeypatch):
    info = DATASETS["fashion_mnist"]
    monkeypatch.setitem(
        DATASETS, "fashion_mnist", dataclasses.replace(info, system_dirs=("/nonexistent/fm",))
    )
    with pytest.raises(DatasetNotFoundError) as err:
        load_fashion_mnist(download=False)
    e = err.value
    assert isinstance(e, FileNotFoundError)
    text = str(e)
    assert str(data_home / "fashion-mnist") in text and "/nonexistent/fm" in text
    assert "apt-get install dataset-fashion-mnist" in text
    assert (
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz"
        in text
    )
    assert "download=True" in text
    assert e.searched[0] == str(data_home / "fashion-mnist") and len(e.urls) == 4


def test_locate_requires_every_file(data_home, factory):
    folder = data_home / "mnist"
    factory.idx_set(folder)
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetNotFoundError, match="ossci-datasets"):
        load_mnist(download=False)


def test_corrupt_file_is_named(data_home, factory):
    folder = data_home / "mnist"
    factory.idx_set(folder)
    target = folder / "train-images-idx3-ubyte.gz"
    target.write_bytes(target.read_bytes()[:100])
    with pytest.raises(CorruptDatasetError, match="delete .*train-images-idx3-ubyte.gz"):
        load_mnist(download=False)


def test_inconsistent_files_are_reported(data_home, factory):
    folder = data_home / "mnist"
    factory.idx_set(folder, n_train=30)
    from neuronlab.data import write_idx

    write_idx(folder / "train-labels-idx1-ubyte.gz", np.zeros(29, np.uint8), compress=True)
    with pytest.raises(CorruptDatasetError, match=r"n 28x28 images and n labels"):
        load_mnist(download=False)
    write_idx(folder / "train-labels-idx1-ubyte.gz", np.full(30, 12, np.uint8), compress=True)
    with pytest.raises(CorruptDatasetError, match="labels 0..9"):
        load_mnist(download=False)


def test_verify_checks_local_files(data_home, factory, monkeypatch):
    folder = data_home / "mnist"
    factory.idx_set(folder)
    with pytest.raises(CorruptDatasetError, match="published checksum"):
        load_mnist(download=False, verify=True)
    info = DATASETS["mnist"]
    files = []
    for spec in info.files:
        data = (folder / spec.name).read_bytes()
        files.append(
            dataclasses.replace(
                spec, sha256=hashlib.sha256(data).hexdigest(), md5=hashlib.md5(data).hexdigest()
            )
        )
    monkeypatch.setitem(DATASETS, "mnist", dataclasses.replace(info, files=tuple(files)))
    assert load_mnist(download=False, verify=True).X_train.shape[0] == 30


def test_check_integrity_accepts_recompressed_content(tmp_path):
    payload = b"\x00\x00\x08\x01\x00\x00\x00\x02\x05\x06"
    a, b = tmp_path / "a" / "x.gz", tmp_path / "b" / "x.gz"
    a.parent.mkdir()
    b.parent.mkdir()
    a.write_bytes(gzip.compress(payload, mtime=0))
    b.write_bytes(gzip.compress(payload, mtime=12345, compresslevel=1))
    spec = DATASETS["mnist"].files[0]
    spec = dataclasses.replace(
        spec,
        name="x.gz",
        sha256=hashlib.sha256(a.read_bytes()).hexdigest(),
        md5=None,
        content_sha256=hashlib.sha256(payload).hexdigest(),
    )
    assert check_integrity(a, spec) == "file"
    assert check_integrity(b, spec) == "content"
    raw = tmp_path / "x"
    raw.write_bytes(payload)
    assert check_integrity(raw, spec) == "content"
    raw.write_bytes(payload + b"!")
    with pytest.raises(CorruptDatasetError, match="delete"):
        check_integrity(raw, spec)


@pytest.mark.parametrize(
    ("layout", "shape"),
    [("nchw", (30, 3, 32, 32)), ("nhwc", (30, 32, 32, 3)), ("flat", (30, 3072))],
)
def test_cifar10_loader(data_home, factory, layout, shape):
    factory.cifar_tar(data_home / "cifar-10" / "cifar-10-python.tar.gz", factory.cifar_members(n=6))
    b = load_cifar10(layout=layout, download=False)
    assert b.X_train.shape == shape and b.X_train.dtype == np.float32
    assert b.X_test.shape[0] == 6 and b.y_train.dtype == np.int64
    assert b.X_train.min() >= 0 and b.X_train.max() <= 1 and b.X_train.flags.c_contiguous
    assert b.classes[-1] == "truck"


def test_cifar10_extracted_folder_and_raw_pixels(data_home, factory):
    folder = data_home / "cifar-10" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    members = factory.cifar_members(n=3)
    for name, raw in members.items():
        (folder / name).write_bytes(raw)
    b = load("cifar10", normalize=False, download=False)
    assert b.X_train.dtype == np.uint8 and b.X_train.shape == (15, 3, 32, 32)
    nhwc = load_cifar10(layout="nhwc", normalize=False, download=False).X_train
    np.testing.assert_array_equal(nhwc, b.X_train.transpose(0, 2, 3, 1))


def test_cifar10_not_found_lists_url(data_home):
    with pytest.raises(DatasetNotFoundError, match=r"cifar-10-python\.tar\.gz") as err:
        load_cifar10(download=False)
    assert "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz" in str(err.value)
