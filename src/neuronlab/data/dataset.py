"""The :class:`Dataset` protocol and :class:`TensorDataset`, a data set made of aligned arrays.

A *data set* is anything with ``__len__`` and ``__getitem__(i)``; sample ``i`` is a tuple of
arrays (features, label, ...). :class:`TensorDataset` wraps arrays that share their first
dimension, which lets :class:`~neuronlab.data.DataLoader` cut a batch with one fancy index per
array instead of a Python loop over samples.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

__all__ = ["Dataset", "TensorDataset", "to_numpy"]


@runtime_checkable
class Dataset(Protocol):
    """Anything that has a length and returns sample ``i`` (usually a tuple of arrays)."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> Any: ...


def to_numpy(obj: Any, *, who: str = "to_numpy") -> np.ndarray:
    """Return ``obj`` as a NumPy array without copying when possible.

    Accepts a NumPy array, an object with a ``.data`` attribute that is an ndarray (a neuronlab
    ``Tensor``), an object with a ``.numpy()`` method (a PyTorch tensor; ``.detach()`` is called
    first when present), or anything :func:`numpy.asarray` understands (lists, scalars).

    >>> to_numpy([1, 2, 3]).dtype.kind
    'i'
    """
    if isinstance(obj, np.ndarray):
        return obj
    data = getattr(obj, "data", None)
    if isinstance(data, np.ndarray):
        return data
    if callable(getattr(obj, "numpy", None)):
        source = obj.detach() if callable(getattr(obj, "detach", None)) else obj
        if callable(getattr(source, "cpu", None)):
            source = source.cpu()
        out = source.numpy()
        if not isinstance(out, np.ndarray):
            raise TypeError(
                f"{who} · expected .numpy() to return a numpy.ndarray · "
                f"got {type(out).__name__} from {type(obj).__name__} · "
                "convert the object to a numpy array yourself"
            )
        return out
    try:
        return np.asarray(obj)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{who} · expected a numpy array, an object with .numpy() or a .data ndarray · "
            f"got {type(obj).__name__} · convert it with numpy.asarray first"
        ) from exc


class TensorDataset:
    """A data set of aligned arrays: sample ``i`` is ``(a[i], b[i], ...)``.

    Args:
        *arrays: one or more arrays (or objects with ``.numpy()`` / a ``.data`` ndarray), all
            with the same first dimension (the number of samples).

    >>> X = np.zeros((4, 3), dtype=np.float32); y = np.arange(4)
    >>> ds = TensorDataset(X, y)
    >>> len(ds), int(ds[2][1])
    (4, 2)
    """

    def __init__(self, *arrays: Any) -> None:
        if not arrays:
            raise TypeError(
                "TensorDataset · expected at least one array · got none · call TensorDataset(X, y)"
            )
        converted = [to_numpy(a, who="TensorDataset") for a in arrays]
        for i, a in enumerate(converted):
            if a.ndim == 0:
                raise ValueError(
                    f"TensorDataset · expected arrays with a first (sample) dimension · "
                    f"array {i} is a 0-d scalar {a!r} · pass an array of shape (n, ...)"
                )
        n0 = converted[0].shape[0]
        for i, a in enumerate(converted[1:], start=1):
            if a.shape[0] != n0:
                raise ValueError(
                    f"TensorDataset · expected every array to have the same first dimension · "
                    f"array 0 has {n0} samples (shape {converted[0].shape}) but array {i} has "
                    f"{a.shape[0]} (shape {a.shape}) · check that features and labels match"
                )
        self.arrays: tuple[np.ndarray, ...] = tuple(converted)

    def __len__(self) -> int:
        return int(self.arrays[0].shape[0])

    def __getitem__(self, index: Any) -> tuple[Any, ...]:
        return tuple(a[index] for a in self.arrays)

    def __repr__(self) -> str:
        parts = ", ".join(f"{a.dtype}{list(a.shape)}" for a in self.arrays)
        return f"TensorDataset({parts})"
