"""What ``fit``, ``evaluate`` and ``predict`` accept as data, turned into a ``DataLoader``; the
argument checks they share; and ``model_mode``, which puts a model's mode back afterwards.

>>> import numpy as np
>>> X, y = np.zeros((10, 3)), np.arange(10) % 2
>>> len(as_loader((X, y), who="fit(train)", batch_size=4))
3
>>> as_loader(X, who="fit(train)", batch_size=4)
Traceback (most recent call last):
...
TypeError: fit(train) · expected features and targets: (X, y), a Dataset or a DataLoader · got a single ndarray of shape (10, 3) · pass the targets too: fit(model, loss_fn, optimizer, (X, y))
"""  # noqa: E501

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..data import DataLoader, Dataset, TensorDataset
from ..data.loader import check_positive_int

__all__ = ["as_loader", "check_positive_int", "feature_batches", "model_mode", "pairs"]


def _describe(data: Any) -> str:
    shape = getattr(data, "shape", None)
    return f"{type(data).__name__}" + (f" of shape {tuple(shape)}" if shape is not None else "")


def as_loader(
    data: Any, *, who: str, batch_size: int, shuffle: bool = False, seed: int | None = None
) -> DataLoader:
    """A ``DataLoader`` over ``data``: a DataLoader (used as it is), a Dataset, or ``(X, y)``.

    Raises a clear error for a single array (the targets are missing), a tuple of the wrong
    length, and data that yields no batch at all.
    """
    if isinstance(data, DataLoader):
        loader = data
    elif isinstance(data, (tuple, list)) and len(data) == 2:
        loader = DataLoader(tuple(data), batch_size=batch_size, shuffle=shuffle, seed=seed)
    elif isinstance(data, (tuple, list)):
        raise ValueError(
            f"{who} · expected (X, y): a tuple of 2 arrays · got a {type(data).__name__} of "
            f"{len(data)} items · pass features and targets as (X, y)"
        )
    elif isinstance(data, np.ndarray) or hasattr(data, "requires_grad"):
        raise TypeError(
            f"{who} · expected features and targets: (X, y), a Dataset or a DataLoader · got a "
            f"single {_describe(data)} · pass the targets too: fit(model, loss_fn, optimizer, "
            "(X, y))"
        )
    elif _is_dataset(data):
        loader = DataLoader(data, batch_size=batch_size, shuffle=shuffle, seed=seed)
    else:
        raise TypeError(
            f"{who} · expected (X, y), a Dataset or a DataLoader · got {_describe(data)} · "
            "wrap arrays as (X, y)"
        )
    if len(loader) == 0:
        n = len(loader.dataset)
        why = (
            f"drop_last=True with {n} samples and batch_size={loader.batch_size}"
            if n else "the data set has 0 samples"
        )  # fmt: skip
        raise ValueError(
            f"{who} · expected at least one batch · got none ({why}) · check that the data "
            "was loaded and split as intended"
        )
    return loader


def _is_dataset(data: Any) -> bool:
    """A Dataset (``__len__`` and ``__getitem__``) that is not an array, a Tensor or a list."""
    if isinstance(data, (np.ndarray, list, tuple)) or hasattr(data, "requires_grad"):
        return False
    return isinstance(data, (Dataset, TensorDataset))


def pairs(loader: DataLoader, who: str) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The batches of ``loader`` as ``(x, y)``; a clear error if a batch is not a pair."""
    for batch in loader:
        if len(batch) != 2:
            raise ValueError(
                f"{who} · expected every batch to be (features, targets) · got a batch of "
                f"{len(batch)} arrays with shapes {[tuple(a.shape) for a in batch]} · make the "
                "data set return (x, y) for every sample"
            )
        yield batch[0], batch[1]


def feature_batches(X: Any, batch_size: int) -> Iterator[np.ndarray]:
    """Batches of features for ``predict``: from an array or Tensor, or the first array of each
    batch of a Dataset or DataLoader."""
    if isinstance(X, DataLoader):
        loader = X
    elif _is_dataset(X):
        loader = DataLoader(X, batch_size=batch_size)
    else:
        array = np.asarray(getattr(X, "data", X))
        if array.ndim == 0 or array.shape[0] == 0:
            raise ValueError(
                f"predict(X) · expected an array of samples, shape (n, ...) with n >= 1 · got "
                f"shape {array.shape} · for one sample use X[None] or X.reshape(1, -1)"
            )
        loader = DataLoader((array,), batch_size=batch_size)
    for batch in loader:
        yield batch[0]


@contextlib.contextmanager
def model_mode(model: Any, training: bool) -> Iterator[Any]:
    """Switch ``model`` to training (True) or evaluation (False) mode; restore the old mode.

    >>> import neuronlab as nl
    >>> layer = nl.nn.Dropout(0.5)
    >>> with model_mode(layer, training=False):
    ...     layer.training
    False
    >>> layer.training
    True
    """
    previous = getattr(model, "training", None)
    model.train(training)
    try:
        yield model
    finally:
        if previous is not None:
            model.train(previous)
