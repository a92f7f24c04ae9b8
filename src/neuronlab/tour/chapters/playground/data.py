"""The playground's data: generated toy sets, the user's own points, the train/validation/test
split, the plane's grid, and the CSV reader with messages that name the line and the reason.

The input features themselves are a layer of the network (``models.PointFeatures``).
"""

from __future__ import annotations

import numpy as np

from ....data import toy
from ....data.points_csv import CSVError, read_points_csv
from .config import PlaygroundConfig
from .params import DOMAIN, MAX_CLASSES, MAX_CSV_BYTES, MAX_POINTS

__all__ = ["MAX_CSV_BYTES", "CSVError", "generate", "grid_points", "parse_csv", "split"]


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
    """``X_train, y_train, X_val, y_val, X_test, y_test``: float32 points, labels as the loss
    wants them (int64 classes, float32 targets).

    ``train_ratio`` percent of the points form the training share, of which ``val_fraction``
    percent (at least one point when it is above 0) are held out for validation; the rest are
    test points, only looked at. Clicked points on a generated set join the training points.
    """
    X, y = generate(cfg)
    rng = np.random.default_rng(cfg.seed + 1)
    order = rng.permutation(len(X))
    least = 2 if cfg.val_fraction else 1  # a validation point needs a training point beside it
    n_share = max(least, min(len(X) - 1, round(len(X) * cfg.train_ratio / 100)))
    n_val = max(1, round(n_share * cfg.val_fraction / 100)) if cfg.val_fraction else 0
    train, val, test = order[n_val:n_share], order[:n_val], order[n_share:]
    X_train, y_train = X[train], y[train]
    if cfg.dataset != "custom" and cfg.points:
        extra = np.asarray(cfg.points, dtype=np.float32)
        X_train = np.concatenate([X_train, extra[:, :2]])
        y_train = np.concatenate([y_train, extra[:, 2].astype(y.dtype)])
    return {"X_train": X_train, "y_train": y_train, "X_val": X[val], "y_val": y[val],
            "X_test": X[test], "y_test": y[test]}  # fmt: skip


def parse_csv(text: str | bytes, problem: str = "classification") -> dict:
    """Read ``x1,x2,label`` rows into playground points scaled to the ±6 plane (the reader
    is :func:`neuronlab.data.points_csv.read_points_csv`).

    >>> parse_csv("x1,x2,label\\n0,0,a\\n1,1,b\\n2,0,a\\n0,2,b")["classes"]
    2
    """
    return read_points_csv(
        text, problem, domain=DOMAIN, max_points=MAX_POINTS, max_classes=MAX_CLASSES
    )
