"""Undo broadcasting in a gradient: the single place where that happens.

When ``a`` of shape (3, 1) is added to ``b`` of shape (4,), NumPy broadcasts both to (3, 4). Each
element of ``a`` was used 4 times, so its gradient is the sum of the 4 gradients it fed into.
In general: sum over the leading axes that broadcasting added, then over the axes that were 1.
"""

from __future__ import annotations


def unbroadcast(grad, shape: tuple[int, ...]):
    """Sum ``grad`` down to ``shape``, the shape of the operand before broadcasting.

    >>> import numpy as np
    >>> unbroadcast(np.ones((3, 4)), (3, 1)).tolist()
    [[4.0], [4.0], [4.0]]
    >>> unbroadcast(np.ones((2, 3)), ()).item()
    6.0
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    ones = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if ones:
        grad = grad.sum(axis=ones, keepdims=True)
    return grad
