"""The real files: UCI Adult and German credit from shared/data, Fashion-MNIST from Debian."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from neuronlab.data import (
    DATASETS,
    check_integrity,
    load_adult,
    load_fashion_mnist,
    load_german_credit,
)

SHARED = Path(__file__).parents[2].parent / "shared" / "data"
DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")


@pytest.fixture
def real_home(data_home):
    """$NEURONLAB_DATA holding symlinks to the shared copies, in the loaders' folder layout."""
    if not (SHARED / "uci-adult" / "adult.data").exists():
        pytest.fail(f"shared data not found at {SHARED}: the tests need shared/ beside the repo")
    for folder, names in {
        "uci-adult": ["adult.data", "adult.test"],
        "uci-german-credit": ["german.data"],
    }.items():
        (data_home / folder).mkdir()
        for name in names:
            (data_home / folder / name).symlink_to(SHARED / folder / name)
    return data_home


def test_shared_files_match_the_registry_checksums(real_home):
    for name in ("adult", "german_credit"):
        info = DATASETS[name]
        for spec in info.files:
            assert check_integrity(real_home / info.folder / spec.name, spec) == "file"


def test_real_adult(real_home):
    raw = load_adult(missing="category", encode=False, verify=True)
    assert len(raw.y_train) == 32_561 and len(raw.y_test) == 16_281
    b = load_adult()
    assert len(b.y_train) == 30_162 and len(b.y_test) == 15_060  # after dropping '?' rows
    assert b.X_train.shape[1] == b.X_test.shape[1] == len(b.feature_names)
    assert np.isfinite(b.X_train).all() and b.X_train.dtype == np.float32
    assert 0.24 < b.y_train.mean() < 0.25  # 24.9% earn more than $50K
    assert set(b.frame_train["sex"]) == {"Female", "Male"}
    assert len(set(b.frame_train["race"])) == 5
    assert b.frame_test["age"].min() >= 17


def test_real_german(real_home):
    b = load_german_credit(verify=True)
    assert b.X.shape[0] == 1000 and len(b.frame["age"]) == 1000
    assert (b.y == 0).mean() == pytest.approx(0.7)  # 70% good
    codes = set(load_german_credit(decode=False, encode=False).frame["purpose"])
    assert codes <= {f"A4{i}" for i in range(10)} | {"A410"}
    assert not any(v.startswith("A") and v[1:].isdigit() for v in b.frame["purpose"])


@pytest.mark.slow
def test_real_fashion_mnist_from_debian(isolated_home):
    if not (DEBIAN_FASHION / "train-images-idx3-ubyte.gz").exists():
        pytest.fail("dataset-fashion-mnist is not installed (make system-data installs it)")
    b = load_fashion_mnist(download=False, verify=True)  # Debian's recompressed files
    assert b.location == str(DEBIAN_FASHION)
    assert b.X_train.shape == (60_000, 28, 28) and b.X_test.shape == (10_000, 28, 28)
    assert np.bincount(b.y_train).tolist() == [6000] * 10
    assert np.bincount(b.y_test).tolist() == [1000] * 10
    assert b.X_train.dtype == np.float32 and b.X_train.min() == 0 and b.X_train.max() == 1
    for spec in DATASETS["fashion_mnist"].files:
        assert check_integrity(DEBIAN_FASHION / spec.name, spec) == "content"
