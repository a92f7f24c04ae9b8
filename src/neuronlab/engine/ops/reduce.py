"""Reductions: sum and max over some axes. mean, min and var are composed from these."""

from __future__ import annotations

from ..backend import xp
from ..function import Function, register


def normalize_axis(axis, ndim, who="reduce"):
    """``axis`` (None, an int or a tuple) as a tuple of non-negative axes, checked.

    A 0-d tensor accepts axis 0 or -1 (as in PyTorch) and reduces over nothing.
    """
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if not (-ndim <= a < ndim or (ndim == 0 and a in (0, -1))):
            raise ValueError(
                f"{who}: axis {a} is out of range for a tensor with {ndim} dimensions; "
                f"use an axis between {-max(ndim, 1)} and {max(ndim, 1) - 1}"
            )
    return tuple(a % ndim for a in axes) if ndim else ()


def check_not_empty(x, who: str, what: str) -> None:
    if x.size == 0:
        raise ValueError(f"{who}: cannot take the {what} of an empty tensor")


def _expand_reduced(g, in_ndim, axes, keepdims):
    """Put back the reduced axes (as size 1) so ``g`` broadcasts against the input."""
    if keepdims or in_ndim == 0:
        return g
    return xp.expand_dims(g, axes)


@register
class Sum(Function):
    """y = sum of x over ``axis`` (all axes when None)

    Backward: every input element contributed once, so dx = dout copied back over the summed axes.
    """

    name = "sum"

    def forward(self, x, axis=None, keepdims=False):
        self.in_shape = x.shape
        self.axes = normalize_axis(axis, x.ndim, self.name)
        self.keepdims = keepdims
        return xp.sum(x, axis=self.axes, keepdims=keepdims)

    def backward(self, dout):
        g = _expand_reduced(dout, len(self.in_shape), self.axes, self.keepdims)
        return (xp.broadcast_to(g, self.in_shape),)

    def describe(self):
        if not hasattr(self, "axes"):
            return self.name
        return "sum" if self.keepdims is False and len(self.axes) == len(self.in_shape) else (
            f"sum(axis={self.axes[0] if len(self.axes) == 1 else self.axes})"
        )


@register
class Max(Function):
    """y = max of x over ``axis`` (all axes when None)

    Backward: the gradient goes to the element(s) that were the maximum; ties share it evenly.
    """

    name = "max"

    def forward(self, x, axis=None, keepdims=False):
        check_not_empty(x, "max", "maximum")
        self.x = x
        self.axes = normalize_axis(axis, x.ndim, self.name)
        self.keepdims = keepdims
        self.y = xp.max(x, axis=self.axes, keepdims=True)
        return self.y if keepdims else xp.squeeze(self.y, axis=self.axes)

    def backward(self, dout):
        g = _expand_reduced(dout, self.x.ndim, self.axes, self.keepdims)
        winners = self.x == self.y
        count = winners.sum(axis=self.axes, keepdims=True)
        return (winners * (g / count.astype(g.dtype)),)
