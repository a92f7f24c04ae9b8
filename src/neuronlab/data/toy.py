"""Seeded 2-D toy data sets in the spirit of TensorFlow Playground.

Classification generators return ``(X, y)`` with ``X`` a ``float32`` array of shape
``(n_samples, 2)`` in roughly ``[-6, 6]`` and ``y`` ``int64`` class ids ``0..n_classes-1``;
regression generators return a ``float32`` target in ``[-1, 1]``. Classes are balanced (sizes
differ by at most one) and the rows are shuffled. ``noise`` is a fraction (0 = clean data,
0.5 = very noisy, as the Playground's noise slider from 0 to 50).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["circle", "gaussian", "moons", "multi_gaussian", "plane", "spiral", "xor"]

Arrays = tuple[np.ndarray, np.ndarray]


def _check(who: str, n_samples: Any, noise: Any, n_classes: Any = 2, min_classes: int = 2) -> None:
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral):
        raise TypeError(
            f"{who}(n_samples) · expected an int · got {n_samples!r} "
            f"({type(n_samples).__name__}) · pass e.g. n_samples=200"
        )
    if n_samples < 1:
        raise ValueError(f"{who}(n_samples) · expected >= 1 · got {n_samples} · pass e.g. 200")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not noise >= 0:
        raise ValueError(
            f"{who}(noise) · expected a non-negative number · got {noise!r} · "
            "pass e.g. noise=0.1 (0 = clean)"
        )
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral):
        raise TypeError(f"{who}(n_classes) · expected an int · got {n_classes!r} · pass e.g. 3")
    if n_classes < min_classes:
        raise ValueError(
            f"{who}(n_classes) · expected >= {min_classes} · got {n_classes} · pass e.g. 3"
        )


def _class_sizes(n: int, k: int) -> list[int]:
    return [n // k + (1 if c < n % k else 0) for c in range(k)]


def _finish(X: np.ndarray, y: np.ndarray, rng: np.random.Generator, *, target: str) -> Arrays:
    order = rng.permutation(len(X))
    dtype = np.int64 if target == "class" else np.float32
    return (
        np.ascontiguousarray(X[order], dtype=np.float32),
        np.ascontiguousarray(y[order], dtype=dtype),
    )


def circle(n_samples: int = 200, noise: float = 0.0, seed: int | None = None) -> Arrays:
    """A disc of class 1 inside a ring of class 0 (radius 5).

    >>> X, y = circle(100, seed=0)
    >>> X.shape, X.dtype.name, y.dtype.name, int(y.sum())
    ((100, 2), 'float32', 'int64', 50)
    """
    _check("circle", n_samples, noise)
    rng = np.random.default_rng(seed)
    radius = 5.0
    n_in, n_out = _class_sizes(n_samples, 2)[::-1]
    r = np.concatenate(
        [rng.uniform(0.0, 0.5 * radius, n_in), rng.uniform(0.7 * radius, radius, n_out)]
    )
    angle = rng.uniform(0.0, 2 * np.pi, n_samples)
    X = np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1)
    X += rng.uniform(-radius, radius, X.shape) * noise
    y = np.concatenate([np.ones(n_in), np.zeros(n_out)])
    return _finish(X, y, rng, target="class")


def xor(n_samples: int = 200, noise: float = 0.0, seed: int | None = None) -> Arrays:
    """Four quadrants: class 1 where ``x * y > 0`` (before noise), class 0 elsewhere.

    >>> X, y = xor(200, seed=0)
    >>> bool(((X[:, 0] * X[:, 1] > 0) == (y == 1)).all())
    True
    """
    _check("xor", n_samples, noise)
    rng = np.random.default_rng(seed)
    pad = 0.3
    sizes = _class_sizes(n_samples, 2)
    parts, labels = [], []
    for label, size in zip((1, 0), sizes):
        # class 1 lives in quadrants (+,+) and (-,-); class 0 in (+,-) and (-,+)
        sx = rng.choice([-1.0, 1.0], size)
        sy = sx if label == 1 else -sx
        pts = np.stack([sx, sy], axis=1) * (rng.uniform(0.0, 5.0, (size, 2)) + pad)
        parts.append(pts)
        labels.append(np.full(size, label))
    X = np.concatenate(parts) + rng.uniform(-5.0, 5.0, (n_samples, 2)) * noise
    return _finish(X, np.concatenate(labels), rng, target="class")


def gaussian(
    n_samples: int = 200, noise: float = 0.0, seed: int | None = None, n_classes: int = 2
) -> Arrays:
    """Gaussian clusters, one per class; ``noise`` widens them.

    Two classes sit at (2, 2) and (-2, -2) like the Playground; more classes are spread on a
    circle of radius 4.

    >>> X, y = gaussian(300, n_classes=3, seed=0)
    >>> np.bincount(y).tolist()
    [100, 100, 100]
    """
    _check("gaussian", n_samples, noise, n_classes)
    rng = np.random.default_rng(seed)
    std = np.sqrt(0.5 + 7.0 * min(float(noise), 0.5))  # variance 0.5 .. 4 for noise 0 .. 0.5
    if n_classes == 2:
        centers = np.array([[-2.0, -2.0], [2.0, 2.0]])
    else:
        angles = 2 * np.pi * np.arange(n_classes) / n_classes + np.pi / 4
        centers = 4.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    sizes = _class_sizes(n_samples, n_classes)
    X = np.concatenate([rng.normal(c, std, (s, 2)) for c, s in zip(centers, sizes)])
    y = np.repeat(np.arange(n_classes), sizes)
    return _finish(X, y, rng, target="class")


def spiral(
    n_samples: int = 200, noise: float = 0.0, seed: int | None = None, n_classes: int = 2
) -> Arrays:
    """Interleaved spiral arms, one per class, reaching radius 5.

    >>> X, y = spiral(300, n_classes=3, seed=0)
    >>> np.bincount(y).tolist(), bool(np.abs(X).max() <= 6)
    ([100, 100, 100], True)
    """
    _check("spiral", n_samples, noise, n_classes)
    rng = np.random.default_rng(seed)
    parts, labels = [], []
    for k, size in enumerate(_class_sizes(n_samples, n_classes)):
        t = np.arange(size) / max(size, 1)
        r = 5.0 * t
        theta = 1.75 * 2 * np.pi * t + 2 * np.pi * k / n_classes
        pts = np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1)
        parts.append(pts + rng.uniform(-1.0, 1.0, pts.shape) * noise)
        labels.append(np.full(size, k))
    return _finish(np.concatenate(parts), np.concatenate(labels), rng, target="class")


def moons(n_samples: int = 200, noise: float = 0.0, seed: int | None = None) -> Arrays:
    """Two interleaving half circles (like scikit-learn's ``make_moons``), scaled to ±6.

    >>> X, y = moons(101, seed=0)
    >>> np.bincount(y).tolist()
    [51, 50]
    """
    _check("moons", n_samples, noise)
    rng = np.random.default_rng(seed)
    n0, n1 = _class_sizes(n_samples, 2)
    t0 = rng.uniform(0.0, np.pi, n0)
    t1 = rng.uniform(0.0, np.pi, n1)
    upper = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    X = (np.concatenate([upper, lower]) - [0.5, 0.25]) * 3.5
    X += rng.normal(0.0, 1.0, X.shape) * noise * 3.5
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    return _finish(X, y, rng, target="class")


def plane(n_samples: int = 200, noise: float = 0.0, seed: int | None = None) -> Arrays:
    """Regression on a tilted plane: ``y = (x1 + x2) / 10`` (clipped to ±1) on [-6, 6]².

    Noise perturbs the point where the plane is read, as in the Playground.

    >>> X, y = plane(50, seed=0)
    >>> y.dtype.name, bool(np.allclose(y, np.clip(X.sum(axis=1) / 10, -1, 1), atol=1e-5))
    ('float32', True)
    """
    _check("plane", n_samples, noise)
    rng = np.random.default_rng(seed)
    radius = 6.0
    X = rng.uniform(-radius, radius, (n_samples, 2))
    Xn = X + rng.uniform(-radius, radius, X.shape) * noise
    y = np.clip(Xn.sum(axis=1) / 10.0, -1.0, 1.0)
    return _finish(X, y, rng, target="value")


_BUMPS = np.array(
    [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]],
    dtype=np.float64,
)


def multi_gaussian(n_samples: int = 200, noise: float = 0.0, seed: int | None = None) -> Arrays:
    """Regression on six alternating bumps (+1 / -1) over [-6, 6]².

    The target is the strongest bump's value, falling linearly from ±1 at its centre to 0 at
    distance 2.

    >>> X, y = multi_gaussian(200, seed=0)
    >>> float(y.min()) >= -1 and float(y.max()) <= 1
    True
    """
    _check("multi_gaussian", n_samples, noise)
    rng = np.random.default_rng(seed)
    radius = 6.0
    X = rng.uniform(-radius, radius, (n_samples, 2))
    Xn = X + rng.uniform(-radius, radius, X.shape) * noise
    d = np.linalg.norm(Xn[:, None, :] - _BUMPS[None, :, :2], axis=2)  # (n, 6)
    values = _BUMPS[:, 2] * np.clip(1.0 - d / 2.0, 0.0, 1.0)
    strongest = np.abs(values).argmax(axis=1)
    y = values[np.arange(n_samples), strongest]
    return _finish(X, y, rng, target="value")
