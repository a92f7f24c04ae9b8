"""More element-wise primitives: the trigonometric pair, log1p and expm1 (accurate near 0, where
log(1 + x) and exp(x) - 1 lose every digit), and the piecewise-constant functions (sign, floor,
ceil, round, trunc), whose derivative is 0 wherever it exists.

Everything else of the math surface (log2, rsqrt, square, silu, softplus, ...) is composed from
primitives in ``neuronlab.engine.math`` and needs no backward of its own.
"""

from __future__ import annotations

from ..backend import xp
from ..function import Function, register


@register
class Sin(Function):
    """y = sin(x)

    Backward: dy/dx = cos(x).
    """

    name = "sin"

    def forward(self, x):
        self.x = x
        return xp.sin(x)

    def backward(self, dout):
        return (dout * xp.cos(self.x),)


@register
class Cos(Function):
    """y = cos(x)

    Backward: dy/dx = -sin(x).
    """

    name = "cos"

    def forward(self, x):
        self.x = x
        return xp.cos(x)

    def backward(self, dout):
        return (-(dout * xp.sin(self.x)),)


@register
class Log1p(Function):
    """y = log(1 + x), accurate for tiny x

    Backward: dy/dx = 1 / (1 + x).
    """

    name = "log1p"

    def forward(self, x):
        self.x = x
        return xp.log1p(x)

    def backward(self, dout):
        return (dout / (1 + self.x),)


@register
class Expm1(Function):
    """y = exp(x) - 1, accurate for tiny x

    Backward: dy/dx = exp(x) = y + 1, so the output is saved.
    """

    name = "expm1"

    def forward(self, x):
        self.y = xp.expm1(x)
        return self.y

    def backward(self, dout):
        return (dout * (self.y + 1),)


class _PiecewiseConstant(Function):
    """y = f(x) for a step function f (constant between its jumps).

    Backward: dy/dx = 0 (PyTorch's convention, also at the jumps).
    """

    def forward(self, x):
        return self.fn(x)

    def backward(self, dout):
        return (xp.zeros_like(dout),)


@register
class Sign(_PiecewiseConstant):
    """y = -1, 0 or 1 as x is negative, zero or positive.  Backward: dx = 0."""

    name = "sign"
    fn = staticmethod(xp.sign)


@register
class Floor(_PiecewiseConstant):
    """y = the largest whole number <= x.  Backward: dx = 0."""

    name = "floor"
    fn = staticmethod(xp.floor)


@register
class Ceil(_PiecewiseConstant):
    """y = the smallest whole number >= x.  Backward: dx = 0."""

    name = "ceil"
    fn = staticmethod(xp.ceil)


@register
class Round(_PiecewiseConstant):
    """y = x rounded to ``decimals`` places, halves to even (as PyTorch and NumPy).
    Backward: dx = 0."""

    name = "round"

    def forward(self, x, decimals=0):
        return xp.round(x, decimals)


@register
class Trunc(_PiecewiseConstant):
    """y = x with its fractional part dropped (rounded toward zero).  Backward: dx = 0."""

    name = "trunc"
    fn = staticmethod(xp.trunc)
