"""Small, fast, seeded problems and scripted callbacks shared by the neuronlab.train tests."""

from __future__ import annotations

import numpy as np

import neuronlab as nl
from neuronlab.train import Callback, LambdaCallback


def blobs(n: int = 96, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two well separated Gaussian blobs in 4-D: float32 features, int64 labels."""
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 2).astype(np.int64)
    X = rng.normal(size=(n, 4)).astype(np.float32) + (2.0 * y[:, None] - 1.0).astype(np.float32)
    return X, y


def mlp(n_in: int = 4, n_out: int = 2, seed: int = 0, dropout: float = 0.0):
    nl.manual_seed(seed)
    layers = [nl.nn.Linear(n_in, 8), nl.nn.Tanh()]
    if dropout:
        layers.append(nl.nn.Dropout(dropout))
    return nl.nn.Sequential(*layers, nl.nn.Linear(8, n_out))


def weights(model) -> dict[str, np.ndarray]:
    return {k: np.array(v.data, copy=True) for k, v in model.state_dict().items()}


def same_weights(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def scripted(key: str, values: list[float]) -> LambdaCallback:
    """Overwrite ``logs[key]`` at each epoch end with the next scripted value (put it first)."""
    return LambdaCallback(on_epoch_end=lambda epoch, logs: logs.__setitem__(key, values[epoch]))


class Snapshots(Callback):
    """Keep a copy of the weights at the end of every epoch."""

    def on_train_begin(self, logs=None):
        self.by_epoch = {}

    def on_epoch_end(self, epoch, logs=None):
        self.by_epoch[epoch] = weights(self.model)


class Recorder(Callback):
    """Record every hook call as (hook, index or None)."""

    def __init__(self):
        self.calls = []

    def __getattribute__(self, name):
        if name.startswith("on_"):
            calls = object.__getattribute__(self, "calls")

            def hook(*args):
                calls.append((name, args[0] if len(args) == 2 else None))

            return hook
        return object.__getattribute__(self, name)


class RaiseAt(Callback):
    """Raise ``error`` (or call ``action``) in on_train_batch_end at (epoch, batch)."""

    def __init__(self, epoch: int, batch: int, action):
        self.at, self.action = (epoch, batch), action

    def on_train_batch_end(self, batch, logs=None):
        if (self.context.epoch, batch) == self.at:
            self.action()


class PoisonAt(Callback):
    """Make the first parameter NaN before (epoch, batch): the loss becomes NaN there."""

    def __init__(self, epoch: int, batch: int):
        self.at = (epoch, batch)

    def on_train_batch_begin(self, batch, logs=None):
        if (self.context.epoch, batch) == self.at:
            next(iter(self.model.parameters())).data[...] = np.nan


def train(model=None, callbacks=(), epochs=6, val=True, **kwargs):
    """fit on the blobs (validation on other blobs) with SGD; returns (history, model)."""
    model = mlp() if model is None else model
    X, y = blobs()
    kwargs.setdefault("verbose", False)
    history = nl.train.fit(
        model,
        nl.nn.CrossEntropyLoss(),
        nl.optim.SGD(model.parameters(), lr=0.1),
        (X, y),
        val=blobs(48, seed=1) if val else None,
        epochs=epochs,
        batch_size=16,
        callbacks=list(callbacks),
        seed=0,
        **kwargs,
    )
    return history, model
