"""The data and the trained models behind the evaluation stop, each built once and cached.

* ``rare_income``: a real imbalanced problem. UCI Adult restricted to people younger than 28:
  only about 3 in 100 of them earn more than $50K a year, so "above $50K" is a rare class. The
  official training file gives the training and validation rows, the official test file the test
  rows (no row is in two of them).
* ``scored``: a small MLP trained on it with the library's ``Trainer``; its test-set
  probabilities feed every classification experiment.
* ``regression``: scikit-learn's diabetes set and a linear model, also trained by ``Trainer``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import neuronlab as nl
from neuronlab import data, nn, optim
from neuronlab.models import MLP
from neuronlab.train import Trainer, predict

AGE_LIMIT = 28


def _young(frame, X, y):
    keep = frame["age"].astype(float) < AGE_LIMIT
    return np.asarray(X[keep], np.float32), np.asarray(y[keep], np.int64)


@lru_cache(maxsize=1)
def rare_income() -> dict[str, np.ndarray]:
    """Train / validation / test arrays of Adult under 28; the label is income above $50K."""
    bundle = data.load_adult()
    X, y = _young(bundle.frame_train, bundle.X_train, bundle.y_train)
    X_test, y_test = _young(bundle.frame_test, bundle.X_test, bundle.y_test)
    X_train, X_val, y_train, y_val = data.train_test_split(X, y, test_size=0.25, stratify=y, seed=0)
    return {
        "X_train": X_train,
        "y_train": y_train,
        "X_val": X_val,
        "y_val": y_val,
        "X_test": X_test,
        "y_test": y_test,
    }


def softmax_positive(logits: np.ndarray) -> np.ndarray:
    """P(class 1) from two logits."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e[:, 1] / e.sum(axis=1)


@lru_cache(maxsize=4)
def scored(epochs: int = 6, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``(y_test, p_test)``: an MLP's probabilities of "above $50K" on the test rows."""
    d = rare_income()
    nl.manual_seed(seed)
    model = MLP(d["X_train"].shape[1], [16], 2)
    opt = optim.Adam(model.parameters(), lr=3e-3)
    Trainer(
        model,
        nn.CrossEntropyLoss(),
        opt,
        (d["X_train"], d["y_train"]),
        epochs=epochs,
        batch_size=64,
        seed=seed,
    ).run()
    return d["y_test"], softmax_positive(predict(model, d["X_test"]))


@lru_cache(maxsize=1)
def diabetes_split() -> dict[str, np.ndarray]:
    bundle = data.load_diabetes()
    X, y = np.asarray(bundle.X, np.float32), np.asarray(bundle.y, np.float32)
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_size=100, seed=0)
    return {"X_train": X_tr, "y_train": y_tr, "X_test": X_te, "y_test": y_te}


@lru_cache(maxsize=1)
def regression() -> tuple[np.ndarray, np.ndarray]:
    """``(y_test, y_pred)`` of a linear model on diabetes (disease progression a year later)."""
    d = diabetes_split()
    scale = float(d["y_train"].std())
    nl.manual_seed(0)
    model = nn.Linear(d["X_train"].shape[1], 1)
    Trainer(
        model,
        nn.MSELoss(),
        optim.Adam(model.parameters(), lr=0.05),
        (d["X_train"], (d["y_train"] / scale)[:, None]),
        epochs=200,
        batch_size=64,
        seed=0,
    ).run()
    return d["y_test"], predict(model, d["X_test"])[:, 0] * scale
