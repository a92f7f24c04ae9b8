"""UCI Adult and the tour's model on it, built once and cached.

The official training file is split into a fitting part (80%) and a validation part (20%, for
choosing thresholds); the official test file is only measured. The model is a small MLP on all
104 encoded features, sex and race included, trained with the library's ``Trainer``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import neuronlab as nl
from neuronlab import data, nn, optim
from neuronlab.models import MLP
from neuronlab.train import Trainer, predict

PROTECTED = ("sex", "race")


@lru_cache(maxsize=1)
def adult() -> dict:
    """Arrays and the protected columns of the fitting, validation and test rows."""
    bundle = data.load_adult()
    n = len(bundle.y_train)
    order = np.random.default_rng(0).permutation(n)
    fit, val = order[: int(0.8 * n)], order[int(0.8 * n) :]
    X, y = np.asarray(bundle.X_train, np.float32), np.asarray(bundle.y_train, np.int64)
    out = {
        "names": list(bundle.feature_names),
        "X_fit": X[fit],
        "y_fit": y[fit],
        "X_val": X[val],
        "y_val": y[val],
        "X_test": np.asarray(bundle.X_test, np.float32),
        "y_test": np.asarray(bundle.y_test, np.int64),
    }
    for col in PROTECTED:
        values = np.asarray(bundle.frame_train[col], dtype=object)
        out[f"{col}_fit"], out[f"{col}_val"] = values[fit], values[val]
        out[f"{col}_test"] = np.asarray(bundle.frame_test[col], dtype=object)
    return out


def positive_probability(model, X) -> np.ndarray:
    logits = predict(model, X)
    z = logits - logits.max(axis=1, keepdims=True)
    return np.exp(z[:, 1]) / np.exp(z).sum(axis=1)


def train_mlp(X, y, *, hidden=(32,), epochs=3, lr=3e-3, batch_size=128, seed=0):
    nl.manual_seed(seed)
    model = MLP(X.shape[1], list(hidden), 2)
    opt = optim.Adam(model.parameters(), lr=lr)
    Trainer(
        model, nn.CrossEntropyLoss(), opt, (X, y), epochs=epochs, batch_size=batch_size, seed=seed
    ).run()
    return model


@lru_cache(maxsize=4)
def audited(epochs: int = 3, seed: int = 0) -> dict:
    """The tour's model: its probabilities of "above $50K" on validation and test rows."""
    d = adult()
    model = train_mlp(d["X_fit"], d["y_fit"], epochs=epochs, seed=seed)
    return {
        "p_val": positive_probability(model, d["X_val"]),
        "p_test": positive_probability(model, d["X_test"]),
    }
