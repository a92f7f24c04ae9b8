"""PyTorch's indexing on NumPy: the index a user writes, turned into the NumPy indices that give
PyTorch's result (``Tensor.__getitem__`` applies them with the ``getitem`` primitive)."""

from __future__ import annotations

from .backend import ndarray, xp


def plain_index(index):
    """Replace tensors (and lists) inside an index by arrays."""
    if hasattr(index, "requires_grad"):
        return index.data
    if isinstance(index, tuple):
        return tuple(
            i.data if hasattr(i, "requires_grad") else xp.asarray(i) if isinstance(i, list) else i
            for i in index
        )
    if isinstance(index, list):
        return xp.asarray(index)
    return index


def _is_int(item) -> bool:
    return isinstance(item, (int, xp.integer)) and not isinstance(item, bool)


def torch_index_steps(index, ndim: int) -> list:
    """The index as one or two NumPy indices that give PyTorch's result.

    PyTorch treats an integer as plain (basic) indexing; NumPy treats it as an advanced index
    when arrays are present too, and then puts the broadcast axes first whenever the advanced
    indices are not side by side. So: apply the integers (and slices, None) first, then the
    arrays, on the axes that remain.
    """
    items = index if isinstance(index, tuple) else (index,)
    has_array = any(isinstance(i, ndarray) and i.ndim > 0 for i in items)
    if not (has_array and any(_is_int(i) for i in items)):
        return [index]
    width = sum(
        i.ndim if isinstance(i, ndarray) and i.dtype == bool else 1
        for i in items
        if i is not None and i is not Ellipsis
    )
    first, second = [], []
    for item in items:
        if item is Ellipsis:
            first.append(Ellipsis)
            second.extend([slice(None)] * (ndim - width))
        elif _is_int(item):
            first.append(item)
        elif isinstance(item, ndarray) and item.ndim > 0:
            first.extend([slice(None)] * (item.ndim if item.dtype == bool else 1))
            second.append(item)
        else:  # a slice or None: applied in the first step; its axis is kept for the second
            first.append(item)
            second.append(slice(None))
    return [tuple(first), tuple(second)]
