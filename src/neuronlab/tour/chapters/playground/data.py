"""The playground's data: generated toy sets, the user's own points, the train/test split, the input
features, and the CSV reader with messages that name the line and the reason.
"""

from __future__ import annotations

import numpy as np

from ....data import toy
from ....data.points_csv import MAX_CSV_BYTES, CSVError, read_points_csv
from .config import DOMAIN, MAX_CLASSES, MAX_POINTS, PlaygroundConfig

__all__ = ["MAX_CSV_BYTES", "CSVError", "features", "generate", "grid_points", "parse_csv", "split"]

# Each input feature as a function of the two coordinates; the page draws the same formulas.
FEATURE_FUNCS = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1sq": lambda a, b: a * a,
    "x2sq": lambda a, b: b * b,
    "x1x2": lambda a, b: a * b,
    "sinx1": lambda a, b: np.sin(a),
    "sinx2": lambda a, b: np.sin(b),
}


def features(X: np.ndarray, names: list[str]) -> np.ndarray:
    """The chosen input features of points ``X`` (n, 2) as a float32 array (n, len(names))."""
    a, b = X[:, 0].astype(np.float32), X[:, 1].astype(np.float32)
    return np.ascontiguousarray(
        np.stack([FEATURE_FUNCS[n](a, b) for n in names], axis=1), dtype=np.float32
    )


def grid_points(size: int) -> np.ndarray:
    """Cell centres of a ``size`` x ``size`` grid over the plane, row 0 at the top (x2 = +6).

    Row-major, so ``values.reshape(size, size)`` is an image the page draws as it comes.
    """
    step = 2 * DOMAIN / size
    centres = -DOMAIN + step * (np.arange(size) + 0.5)
    x1, x2 = np.meshgrid(centres, centres[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1).astype(np.float32)


def generate(cfg: PlaygroundConfig) -> tuple[np.ndarray, np.ndarray]:
    """All points of the configured data set (generated, or the user's), before the split."""
    if cfg.dataset == "custom":
        pts = np.asarray(cfg.points, dtype=np.float64).reshape(-1, 3)
        X, y = pts[:, :2], pts[:, 2]
    else:
        make = getattr(toy, cfg.dataset)
        kwargs = {"n_classes": cfg.classes} if cfg.dataset in ("gaussian", "spiral") else {}
        X, y = make(cfg.n_samples, noise=cfg.noise / 100, seed=cfg.seed, **kwargs)
    y_dtype = np.float32 if cfg.problem == "regression" else np.int64
    return X.astype(np.float32), y.astype(y_dtype)


def split(cfg: PlaygroundConfig) -> dict[str, np.ndarray]:
    """``{"X_train", "y_train", "X_test", "y_test"}``; clicked points join the training set."""
    X, y = generate(cfg)
    rng = np.random.default_rng(cfg.seed + 1)
    order = rng.permutation(len(X))
    n_train = max(1, min(len(X) - 1, round(len(X) * cfg.train_ratio / 100)))
    train, test = order[:n_train], order[n_train:]
    X_train, y_train = X[train], y[train]
    if cfg.dataset != "custom" and cfg.points:
        extra = np.asarray(cfg.points, dtype=np.float32)
        X_train = np.concatenate([X_train, extra[:, :2]])
        y_train = np.concatenate([y_train, extra[:, 2].astype(y.dtype)])
    return {"X_train": X_train, "y_train": y_train, "X_test": X[test], "y_test": y[test]}


def parse_csv(text: str | bytes, problem: str = "classification") -> dict:
    """Read ``x1,x2,label`` rows into playground points scaled to the ±6 plane (the reader
    is :func:`neuronlab.data.points_csv.read_points_csv`).

    >>> parse_csv("x1,x2,label\\n0,0,a\\n1,1,b\\n2,0,a\\n0,2,b")["classes"]
    2
    """
    return read_points_csv(
        text, problem, domain=DOMAIN, max_points=MAX_POINTS, max_classes=MAX_CLASSES
    )
