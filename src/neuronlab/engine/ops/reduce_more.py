"""More reductions along an axis: the running sum ``cumsum``, the product ``prod`` and the
vector ``norm``. Each is a primitive because its composed form would be wrong somewhere: the
product's gradient prod / x divides by zero, the norm's gradient x / ||x|| at x = 0.
"""

from __future__ import annotations

from ..backend import xp
from ..function import Function, register


@register
class CumSum(Function):
    """y_i = x_0 + x_1 + ... + x_i   along ``axis``

    Backward: x_j feeds every y_i with i >= j, so dx_j = dout_j + dout_(j+1) + ...: the running
    sum of dout taken from the end.
    """

    name = "cumsum"

    def forward(self, x, axis):
        self.axis = axis
        return xp.cumsum(x, axis=axis)

    def backward(self, dout):
        flipped = xp.flip(dout, self.axis)
        return (xp.flip(xp.cumsum(flipped, axis=self.axis), self.axis),)


def _exclusive_products(x, axis):
    """For each element, the product of all the others along ``axis`` (no division, so zeros
    are fine): the product of those before it times the product of those after it."""
    if x.shape[axis] == 0:
        return xp.zeros_like(x)
    ones = xp.ones_like(xp.take(x, [0], axis=axis))
    before = xp.cumprod(xp.concatenate([ones, x], axis=axis), axis=axis)
    after = xp.flip(
        xp.cumprod(xp.concatenate([ones, xp.flip(x, axis)], axis=axis), axis=axis), axis
    )
    n = x.shape[axis]
    return xp.take(before, range(n), axis=axis) * xp.take(after, range(1, n + 1), axis=axis)


@register
class Prod(Function):
    """y = x_0 * x_1 * ... along ``axis`` (all axes when None)

    Backward: dx_i = dout * (the product of all the other elements), computed from prefix and
    suffix products, so an input with zeros gets the right gradient.
    """

    name = "prod"

    def forward(self, x, axis=None, keepdims=False):
        self.x, self.axis, self.keepdims = x, axis, keepdims
        return xp.prod(x, axis=axis, keepdims=keepdims)

    def backward(self, dout):
        x, axis = self.x, self.axis
        if axis is None:
            others = _exclusive_products(x.reshape(-1), 0).reshape(x.shape)
            return (dout * others,)
        g = dout if self.keepdims else xp.expand_dims(dout, axis)
        return (g * _exclusive_products(x, axis),)


@register
class Norm(Function):
    """y = (sum |x|^p)^(1/p) over ``axis`` (all axes when None); p = inf gives max |x|

    Backward: dx = dout * sign(x) * |x|^(p-1) / y^(p-1), and 0 where y = 0 (PyTorch's choice
    for the kink at the origin); for p = inf the gradient goes to the largest |x| (ties share).
    """

    name = "norm"

    def forward(self, x, p=2.0, axis=None, keepdims=False):
        self.x, self.p, self.axis = x, p, axis
        a = xp.abs(x)
        if p == float("inf"):
            y = a.max(axis=axis, keepdims=True)
        elif p == 2:
            y = xp.sqrt((a * a).sum(axis=axis, keepdims=True))
        elif p == 1:
            y = a.sum(axis=axis, keepdims=True)
        else:
            y = (a**p).sum(axis=axis, keepdims=True) ** (1 / p)
        self.y = y
        return y if keepdims else xp.squeeze(y, axis=axis)

    def backward(self, dout):
        x, p, y = self.x, self.p, self.y
        g = dout.reshape(y.shape)
        safe = xp.where(y == 0, 1, y)
        if p == float("inf"):
            top = xp.abs(x) == y
            share = top / top.sum(axis=self.axis, keepdims=True)
            dx = xp.sign(x) * share
        elif p == 1:
            dx = xp.sign(x)
        else:
            dx = xp.sign(x) * xp.abs(x) ** (p - 1) / safe ** (p - 1)
        return ((g * xp.where(y == 0, 0, dx)).astype(dout.dtype, copy=False),)
