"""Picking and placing along one axis by an index array: ``gather`` and ``scatter``.

They are each other's backward: what ``gather`` picked, its backward places back (adding where
an element was picked twice); what ``scatter`` placed, its backward picks.
Shapes follow PyTorch: ``index`` has as many axes as ``x``, and along every axis but ``axis`` it
is no larger than ``x`` (``gather``) or ``src`` (``scatter``).
"""

from __future__ import annotations

from ..backend import xp
from ..function import Function, register


def _along(index, axis):
    """The full NumPy index that pairs ``index`` with the positions of the other axes:
    out[i, j, k] = x[index[i, j, k], j, k] for axis 0 (and so on)."""
    grids = list(xp.indices(index.shape, sparse=True))
    grids[axis] = index
    return tuple(grids)


def check_index(who, x_shape, index, axis, src_shape=None):
    if not xp.issubdtype(index.dtype, xp.integer):
        raise TypeError(f"{who}: the index must hold integers (int64), got dtype {index.dtype}")
    if index.ndim != len(x_shape):
        raise ValueError(
            f"{who}: the index must have as many dimensions as the input ({len(x_shape)}), got "
            f"shape {index.shape} for an input of shape {tuple(x_shape)}"
        )
    for a, n in enumerate(index.shape):
        limits = [x_shape[a]] if a != axis else []
        if src_shape is not None:
            limits.append(src_shape[a])
        if any(n > m for m in limits):
            raise ValueError(
                f"{who}: index of shape {index.shape} is larger than the input "
                f"{tuple(x_shape)} along axis {a}, which is not the gathered axis {axis}"
            )
    if index.size and (index.min() < 0 or index.max() >= x_shape[axis]):
        raise ValueError(
            f"{who}: index values must lie in [0, {x_shape[axis]}) for axis {axis} of size "
            f"{x_shape[axis]}, got values from {index.min()} to {index.max()}"
        )


@register
class Gather(Function):
    """y[i][j] = x[index[i][j]][j]   (axis 0; likewise for any axis)

    Backward: dx = zeros, with dout added at the picked positions (twice-picked ones add up).
    """

    name = "gather"

    def forward(self, x, index, axis):
        check_index(self.name, x.shape, index, axis)
        self.x_shape, self.where = x.shape, _along(index, axis)
        return x[self.where]

    def backward(self, dout):
        dx = xp.zeros(self.x_shape, dtype=dout.dtype)
        xp.add.at(dx, self.where, dout)
        return (dx,)


@register
class Scatter(Function):
    """y = x, then y[index[i][j]][j] = src[i][j] (axis 0), or += with ``reduce='add'``
    (``scatter_add``). With plain scatter, an index that repeats keeps one of the values.

    Backward: dsrc = dout picked at the scattered positions; dx = dout, zeroed where a value was
    overwritten (``scatter``) and unchanged where it was added to (``scatter_add``).
    """

    name = "scatter"

    def forward(self, x, src, index, axis, reduce=None):
        check_index(self.name, x.shape, index, axis, src.shape)
        where = _along(index, axis)
        picked = tuple(xp.indices(index.shape, sparse=True))
        y = x.copy()
        values = src[picked]
        if reduce == "add":
            xp.add.at(y, where, values)
        else:
            y[where] = values
        self.where, self.picked, self.src_shape, self.reduce = where, picked, src.shape, reduce
        return y

    def backward(self, dout):
        dx = dsrc = None
        if self.needs_grad(0):
            dx = dout.copy()
            if self.reduce != "add":
                dx[self.where] = 0
        if self.needs_grad(1):
            dsrc = xp.zeros(self.src_shape, dtype=dout.dtype)
            dsrc[self.picked] = dout[self.where]
        return dx, dsrc
