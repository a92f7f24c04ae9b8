"""Toy 2-D generators: shapes, dtypes, balance, ranges, seeds; and one picture of each."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from neuronlab.data import toy

CLASSIFIERS = ["circle", "xor", "gaussian", "spiral", "moons"]
REGRESSORS = ["plane", "multi_gaussian"]


@pytest.mark.parametrize("name", CLASSIFIERS)
@pytest.mark.parametrize("n", [1, 2, 101, 400])
def test_classification_shapes_balance_and_range(name, n):
    X, y = getattr(toy, name)(n, noise=0.1, seed=0)
    assert X.shape == (n, 2) and X.dtype == np.float32 and X.flags.c_contiguous
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=2)
    assert counts.max() - counts.min() <= 1
    assert np.abs(X).max() <= 7.0  # about [-6, 6], a little more with noise


@pytest.mark.parametrize("name", REGRESSORS)
def test_regression_targets(name):
    X, y = getattr(toy, name)(500, seed=1)
    assert X.dtype == np.float32 and y.dtype == np.float32 and y.shape == (500,)
    assert np.abs(X).max() <= 6.0
    assert -1.0 <= y.min() < 0 < y.max() <= 1.0


@pytest.mark.parametrize("name", CLASSIFIERS + REGRESSORS)
def test_seeded_and_noise(name):
    gen = getattr(toy, name)
    a, b, c = gen(200, seed=5), gen(200, seed=5), gen(200, seed=6)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    clean, noisy = gen(300, noise=0.0, seed=0), gen(300, noise=0.5, seed=0)
    assert not np.allclose(clean[0], noisy[0]) or not np.allclose(clean[1], noisy[1])


@pytest.mark.parametrize("name", ["gaussian", "spiral"])
@pytest.mark.parametrize("k", [2, 3, 5])
def test_multiclass(name, k):
    X, y = getattr(toy, name)(100 * k + 1, seed=0, n_classes=k)
    counts = np.bincount(y)
    assert len(counts) == k and counts.max() - counts.min() <= 1


def test_clean_sets_are_separable_where_they_should_be():
    X, y = toy.circle(400, seed=0)
    r = np.linalg.norm(X, axis=1)
    assert r[y == 1].max() <= 2.5 + 1e-5 and r[y == 0].min() >= 3.5 - 1e-5
    X, y = toy.xor(400, seed=0)
    assert np.all((X[:, 0] * X[:, 1] > 0) == (y == 1))
    assert np.abs(X).min() >= 0.3 - 1e-6  # the Playground's padding around the axes
    X, y = toy.gaussian(400, seed=0)
    assert X[y == 1].mean(axis=0) == pytest.approx([2, 2], abs=0.2)
    X, y = toy.plane(100, seed=0)
    np.testing.assert_allclose(y, np.clip(X.sum(axis=1) / 10, -1, 1), atol=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"n_samples": 0}, ValueError),
        ({"n_samples": 2.5}, TypeError),
        ({"noise": -0.1}, ValueError),
        ({"noise": float("nan")}, ValueError),
        ({"n_classes": 1}, ValueError),
        ({"n_classes": 2.0}, TypeError),
    ],
)
def test_validation(kwargs, error):
    with pytest.raises(error, match="expected"):
        toy.spiral(**{"n_samples": 10, **kwargs})


def test_save_a_picture_of_every_generator(tmp_path, save_scatter):
    """Draw each set once (set NEURONLAB_TEST_ARTIFACTS=folder to keep the PNGs)."""
    out = Path(os.environ.get("NEURONLAB_TEST_ARTIFACTS", tmp_path)) / "toy"
    out.mkdir(parents=True, exist_ok=True)
    sets = {name: getattr(toy, name)(400, noise=0.05, seed=0) for name in CLASSIFIERS + REGRESSORS}
    sets["gaussian_4"] = toy.gaussian(400, noise=0.05, seed=0, n_classes=4)
    sets["spiral_3"] = toy.spiral(600, noise=0.05, seed=0, n_classes=3)
    for name, (X, y) in sets.items():
        path = out / f"{name}.png"
        save_scatter(path, X, y)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 200
