"""Mini-batch iteration: :class:`DataLoader`.

Iterating a loader yields tuples of NumPy arrays, one tuple per mini-batch. Floating arrays come
out as contiguous ``float32``, integer arrays (labels) as ``int64``; other dtypes (bool, str)
are left alone. Shuffling is reproducible: the loader owns one random generator seeded once, and
every epoch (every ``iter(loader)``) draws a fresh permutation from it, so two loaders built with
the same seed yield identical batches epoch after epoch.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from typing import Any

import numpy as np

from .dataset import Dataset, TensorDataset, to_numpy

__all__ = ["DataLoader", "as_batch_array"]


def as_batch_array(array: Any) -> np.ndarray:
    """Convert one array to the dtype a batch carries: float → float32, integer → int64.

    >>> as_batch_array(np.array([1.5, 2.0])).dtype, as_batch_array(np.array([1, 2], np.uint8)).dtype
    (dtype('float32'), dtype('int64'))
    """
    a = to_numpy(array, who="DataLoader")
    if a.dtype.kind == "f" and a.dtype != np.float32:
        a = a.astype(np.float32)
    elif a.dtype.kind in "iu" and a.dtype != np.int64:
        a = a.astype(np.int64)
    return np.ascontiguousarray(a)


def _is_array_like(obj: Any) -> bool:
    """An ndarray, a tensor with ``.numpy()``, or a tensor whose ``.data`` is an ndarray."""
    if isinstance(obj, np.ndarray) or callable(getattr(obj, "numpy", None)):
        return True
    data = getattr(obj, "data", None)
    return isinstance(data, np.ndarray) and getattr(obj, "shape", None) == data.shape


def check_positive_int(who: str, name: str, value: Any, example: int) -> int:
    """``value`` if it is an int >= 1, else a ``TypeError``/``ValueError`` that shows a fix."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{who}({name}=...) · expected a positive int · got {value!r} "
            f"({type(value).__name__}) · pass e.g. {name}={example}"
        )
    if value <= 0:
        raise ValueError(
            f"{who}({name}=...) · expected a positive int · got {value} · pass e.g. "
            f"{name}={example}"
        )
    return int(value)


class DataLoader:
    """Iterate over a data set in mini-batches.

    Args:
        dataset_or_arrays: a :class:`TensorDataset`, any :class:`Dataset` (``__len__`` and
            ``__getitem__`` returning a tuple of arrays, or one array), a single array, or a
            tuple/list of aligned arrays such as ``(X, y)``.
        batch_size: samples per batch (a positive int). The last batch may be smaller.
        shuffle: draw a new random order each epoch.
        drop_last: drop the final, smaller batch.
        seed: seed of the loader's random generator (``None``: fresh entropy).

    Batches from a :class:`TensorDataset` (or arrays) are cut with one fancy index per array;
    a generic data set falls back to stacking its samples one by one.

    >>> X = np.arange(10, dtype=np.float64).reshape(5, 2); y = np.array([0, 1, 0, 1, 1])
    >>> loader = DataLoader((X, y), batch_size=2)
    >>> len(loader)
    3
    >>> [(xb.dtype.name, yb.dtype.name, len(yb)) for xb, yb in loader]
    [('float32', 'int64', 2), ('float32', 'int64', 2), ('float32', 'int64', 1)]
    """

    def __init__(
        self,
        dataset_or_arrays: Any,
        batch_size: int = 32,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int | None = None,
    ) -> None:
        self.batch_size = check_positive_int("DataLoader", "batch_size", batch_size, 32)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.seed = seed
        self._rng = np.random.default_rng(seed)
        data = dataset_or_arrays
        if isinstance(data, (tuple, list)):
            data = TensorDataset(*data)
        elif _is_array_like(data):
            data = TensorDataset(data)
        elif not isinstance(data, (TensorDataset, Dataset)):
            raise TypeError(
                "DataLoader · expected a Dataset (with __len__ and __getitem__), an array or a "
                f"tuple of arrays · got {type(data).__name__} · wrap arrays as DataLoader((X, y))"
            )
        self.dataset: Any = data
        # fast path: convert each array once, then every batch is one fancy index per array
        self._arrays: tuple[np.ndarray, ...] | None = None
        if isinstance(data, TensorDataset):
            self._arrays = tuple(as_batch_array(a) for a in data.arrays)

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _order(self) -> np.ndarray:
        n = len(self.dataset)
        return self._rng.permutation(n) if self.shuffle else np.arange(n)

    def __iter__(self) -> Iterator[tuple[np.ndarray, ...]]:
        order = self._order()
        n, size, count = order.shape[0], self.batch_size, len(self)  # a new batch_size: next pass
        for b in range(count):
            idx = order[b * size : min((b + 1) * size, n)]
            if self._arrays is not None:
                yield tuple(a[idx] for a in self._arrays)
            else:
                yield self._stack([self.dataset[int(i)] for i in idx])

    @staticmethod
    def _stack(samples: list[Any]) -> tuple[np.ndarray, ...]:
        first = samples[0]
        if not isinstance(first, tuple):
            return (as_batch_array(np.stack([to_numpy(s) for s in samples])),)
        width = len(first)
        for s in samples:
            if not isinstance(s, tuple) or len(s) != width:
                raise ValueError(
                    "DataLoader · expected every sample to be a tuple of the same length · "
                    f"got {type(s).__name__} {s!r:.60} after a {width}-tuple · "
                    "make __getitem__ return the same structure for every index"
                )
        return tuple(
            as_batch_array(np.stack([to_numpy(s[k]) for s in samples])) for k in range(width)
        )

    def __repr__(self) -> str:
        return (
            f"DataLoader({self.dataset!r}, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last}, seed={self.seed})"
        )
