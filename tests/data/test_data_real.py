"""The real files: UCI Adult and German credit as shipped inside the package, Fashion-MNIST
from Debian."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from neuronlab.data import (
    DATASETS,
    CorruptDatasetError,
    check_integrity,
    load_adult,
    load_fashion_mnist,
    load_german_credit,
    packaged,
)
from neuronlab.data.tabular import read_adult

DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")


def test_packaged_files_are_the_official_files():
    """Each shipped .gz decompresses to the file whose SHA-256 UCI publishes (the catalogue's
    value, checked here with hashlib, not with the loader's own check)."""
    manifest = json.loads((packaged.PACKAGED_DIR / "SOURCES.json").read_text())
    for name in ("adult", "german_credit"):
        assert manifest[name]["licence"].startswith("CC BY 4.0")
        assert manifest[name]["source"] == DATASETS[name].source
        for spec in DATASETS[name].files:
            raw = gzip.decompress((packaged.PACKAGED_DIR / f"{spec.name}.gz").read_bytes())
            assert hashlib.sha256(raw).hexdigest() == spec.sha256
            assert len(raw) == spec.size
    assert "CC BY 4.0" in (packaged.PACKAGED_DIR / "README.md").read_text()


def test_packaged_copy_is_verified_on_load(tmp_path, monkeypatch):
    copy = tmp_path / "packaged"
    shutil.copytree(packaged.PACKAGED_DIR, copy)
    monkeypatch.setattr(packaged, "PACKAGED_DIR", copy)
    monkeypatch.setattr("neuronlab.data.tabular.PACKAGED_DIR", copy)
    assert load_german_credit(encode=False).X.shape == (1000, 20)
    rows = gzip.decompress((copy / "german.data.gz").read_bytes()).replace(b"A11", b"A12", 1)
    (copy / "german.data.gz").write_bytes(gzip.compress(rows, mtime=0))
    with pytest.raises(CorruptDatasetError, match="expected file sha256 .* was altered"):
        load_german_credit()
    manifest = json.loads((copy / "SOURCES.json").read_text())
    manifest["german_credit"]["files"][0]["sha256_gz"] = hashlib.sha256(
        (copy / "german.data.gz").read_bytes()
    ).hexdigest()
    (copy / "SOURCES.json").write_text(json.dumps(manifest))
    with pytest.raises(CorruptDatasetError, match="expected official content sha256"):
        load_german_credit()
    (copy / "adult.test.gz").unlink()
    with pytest.raises(CorruptDatasetError, match="adult.test.gz listed in SOURCES.json"):
        load_adult()
    with pytest.raises(ValueError, match=r"load_adult\(source\) · expected one of 'package'"):
        load_adult(source="web")


def test_packaged_and_official_files_give_the_same_bundle(data_home):
    """The download path still works: the official files in a data folder, read with
    source='official', give exactly the packaged bundle."""
    folder = data_home / "uci-german-credit"
    folder.mkdir()
    raw = gzip.decompress((packaged.PACKAGED_DIR / "german.data.gz").read_bytes())
    (folder / "german.data").write_bytes(raw)
    official = load_german_credit(source="official", verify=True)
    shipped = load_german_credit()
    np.testing.assert_array_equal(official.X, shipped.X)
    np.testing.assert_array_equal(official.y, shipped.y)
    assert official.location == str(folder) and shipped.location == str(packaged.PACKAGED_DIR)
    assert check_integrity(folder / "german.data", DATASETS["german_credit"].files[0]) == "file"


def test_real_adult(isolated_home):
    raw = load_adult(missing="category", encode=False)
    assert len(raw.y_train) == 32_561 and len(raw.y_test) == 16_281
    b = load_adult()
    assert len(b.y_train) == 30_162 and len(b.y_test) == 15_060  # after dropping '?' rows
    assert b.X_train.shape[1] == b.X_test.shape[1] == len(b.feature_names)
    assert np.isfinite(b.X_train).all() and b.X_train.dtype == np.float32
    assert 0.24 < b.y_train.mean() < 0.25  # 24.9% earn more than $50K
    assert set(b.frame_train["sex"]) == {"Female", "Male"}
    assert len(set(b.frame_train["race"])) == 5
    assert b.frame_test["age"].min() >= 17
    assert b.protected_attributes == ("sex", "race", "age")
    frame, _ = read_adult(packaged.PACKAGED_DIR / "adult.test.gz")  # the parser reads .gz too
    assert len(frame["age"]) == 16_281


def test_real_german(isolated_home):
    b = load_german_credit()
    assert b.X.shape[0] == 1000 and len(b.frame["age"]) == 1000
    assert (b.y == 0).mean() == pytest.approx(0.7)  # 70% good
    codes = set(load_german_credit(decode=False, encode=False).frame["purpose"])
    assert codes <= {f"A4{i}" for i in range(10)} | {"A410"}
    assert not any(v.startswith("A") and v[1:].isdigit() for v in b.frame["purpose"])
    assert "personal_status_sex" in b.protected_attributes


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
