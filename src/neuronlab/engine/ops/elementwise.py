"""Element-wise primitive ops. Each backward is the local derivative times ``dout``.

Broadcasting is undone by the engine (``unbroadcast``), so binary ops return gradients in the
broadcast shape and need not know the input shapes.
"""

from __future__ import annotations

import math

from ..backend import xp
from ..function import Function, register
from ..special import erf, sigmoid
from . import workers
from ._messages import broadcast_error


class _Broadcasting(Function):
    def explain_error(self, shapes, error):
        if "broadcast" in str(error):
            return broadcast_error(self.name, shapes)
        return None


@register
class Add(_Broadcasting):
    """y = a + b

    Backward: dy/da = 1 and dy/db = 1, so da = dout and db = dout.
    """

    name = "add"

    def forward(self, a, b):
        if workers.splittable(a, b):  # two large arrays of one shape (a residual connection)
            y = xp.empty_like(a)
            workers.split(xp.add, a, b, y)
            return y
        return a + b

    def backward(self, dout):
        return dout, dout


@register
class Mul(_Broadcasting):
    """y = a * b

    Backward: dy/da = b and dy/db = a, so da = dout * b and db = dout * a.
    """

    name = "mul"

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, dout):
        da = dout * self.b if self.needs_grad(0) else None
        db = dout * self.a if self.needs_grad(1) else None
        return da, db


@register
class Pow(Function):
    """y = x ** p, for a constant exponent p

    Backward: dy/dx = p * x ** (p - 1).
    """

    name = "pow"

    def forward(self, x, p):
        self.x, self.p = x, p
        return _power(x, p)

    def backward(self, dout):
        x, p = self.x, self.p
        if p == 0:
            return (xp.zeros_like(dout),)
        return (dout * (p * _power(x, p - 1)),)

    def describe(self):
        return f"pow({self.p:g})" if hasattr(self, "p") else self.name


def _power(x, p):
    """x ** p; small whole powers by multiplication (NumPy's float32 power is far slower)."""
    if p in (2, 3, 4) and float(p).is_integer():
        y = x * x
        return y * (x if p == 3 else y) if p > 2 else y
    return x**p


@register
class PowTensor(_Broadcasting):
    """y = a ** b, with a tensor exponent

    Backward: dy/da = b * a ** (b - 1) and dy/db = a ** b * log(a). As in PyTorch, dy/da is 0
    where b = 0, and dy/db is 0 where a = 0 and b >= 0 (elsewhere log(a) of a negative base is nan,
    because a real power of a negative number is undefined).
    """

    name = "pow_tensor"

    def forward(self, a, b):
        self.a, self.b = a, b
        self.y = a**b
        return self.y

    def backward(self, dout):
        a, b, y = self.a, self.b, self.y
        zero = xp.zeros((), dtype=dout.dtype)
        da = db = None
        with xp.errstate(divide="ignore", invalid="ignore"):
            if self.needs_grad(0):
                da = xp.where(b == 0, zero, dout * (b * a ** (b - 1)))
            if self.needs_grad(1):
                db = dout * xp.where((a == 0) & (b >= 0), zero, y * xp.log(a))
        return da, db


@register
class Exp(Function):
    """y = exp(x)

    Backward: dy/dx = exp(x) = y, so the output is saved, not the input.
    """

    name = "exp"

    def forward(self, x):
        self.y = xp.exp(x)
        return self.y

    def backward(self, dout):
        return (dout * self.y,)


@register
class Log(Function):
    """y = log(x)   (natural logarithm)

    Backward: dy/dx = 1 / x.
    """

    name = "log"

    def forward(self, x):
        self.x = x
        return xp.log(x)

    def backward(self, dout):
        return (dout / self.x,)


@register
class Tanh(Function):
    """y = tanh(x)

    Backward: dy/dx = 1 - tanh(x)^2 = 1 - y^2.
    """

    name = "tanh"

    def forward(self, x):
        self.y = xp.tanh(x)
        return self.y

    def backward(self, dout):
        y = self.y
        return (dout * (1 - y * y),)


@register
class Sigmoid(Function):
    """y = 1 / (1 + exp(-x)), computed as (1 + tanh(x / 2)) / 2, which never overflows

    Backward: dy/dx = y * (1 - y).
    A primitive rather than a composite because the composite overflows exp(-x) for x << 0.
    """

    name = "sigmoid"

    def forward(self, x):
        self.y = sigmoid(x)
        return self.y

    def backward(self, dout):
        y = self.y
        return (dout * (y * (1 - y)),)


@register
class ReLU(Function):
    """y = max(x, 0)

    Backward: dy/dx = 1 where x > 0, else 0 (0 at x = 0, as in PyTorch).
    """

    name = "relu"

    def forward(self, x):
        if workers.splittable(x):  # a large activation: both cores take half
            self.y = xp.empty_like(x)
            workers.split(_relu_into, x, self.y)
        else:
            self.y = xp.maximum(x, 0)
        return self.y

    def backward(self, dout):
        if workers.splittable(dout, self.y):
            dx = xp.empty_like(dout)
            workers.split(_relu_grad_into, dout, self.y, dx)
            return (dx,)
        return (dout * (self.y > 0),)


def _relu_into(x, out):
    xp.maximum(x, 0, out=out)


def _relu_grad_into(dout, y, out):
    xp.multiply(dout, y > 0, out=out)


@register
class Abs(Function):
    """y = |x|

    Backward: dy/dx = sign(x) (0 at x = 0).
    """

    name = "abs"

    def forward(self, x):
        self.x = x
        return xp.abs(x)

    def backward(self, dout):
        return (dout * xp.sign(self.x),)


@register
class Erf(Function):
    """y = erf(x) = 2 / sqrt(pi) * integral from 0 to x of exp(-t^2) dt

    Backward: dy/dx = 2 / sqrt(pi) * exp(-x^2).
    """

    name = "erf"

    def forward(self, x):
        self.x = x
        return erf(x)

    def backward(self, dout):
        x = self.x
        return (dout * ((2 / math.sqrt(math.pi)) * xp.exp(-(x * x))),)


@register
class Maximum(_Broadcasting):
    """y = max(a, b), element by element

    Backward: the gradient goes to the larger input; on a tie it is split evenly (as PyTorch does).
    """

    name = "maximum"

    def forward(self, a, b):
        self.a, self.b = a, b
        return xp.maximum(a, b)

    def backward(self, dout):
        a, b = self.a, self.b
        share = (a > b) + (a == b) * dout.dtype.type(0.5)
        da = dout * share if self.needs_grad(0) else None
        db = dout * (1 - share) if self.needs_grad(1) else None
        return da, db


@register
class Clip(Function):
    """y = min(max(x, low), high)   (either bound may be None)

    Backward: dy/dx = 1 where low <= x <= high, else 0 (PyTorch's clamp convention).
    """

    name = "clip"

    def forward(self, x, low=None, high=None):
        self.x, self.low, self.high = x, low, high
        return xp.clip(x, low, high)

    def backward(self, dout):
        x, inside = self.x, True
        if self.low is not None:
            inside = x >= self.low
        if self.high is not None:
            inside = inside & (x <= self.high)
        return (dout * inside,)


@register
class Where(_Broadcasting):
    """y = a where cond else b   (cond is a boolean array, not differentiated)

    Backward: da = dout where cond else 0; db = dout where not cond else 0.
    """

    name = "where"

    def explain_error(self, shapes, error):
        if "broadcast" in str(error):
            return broadcast_error(self.name, [self.cond.shape, *shapes]).replace(
                "shapes", "shapes (condition, a, b)", 1)
        return None

    def forward(self, a, b, cond):
        self.cond = cond
        return xp.where(cond, a, b)

    def backward(self, dout):
        zero = xp.zeros((), dtype=dout.dtype)
        da = xp.where(self.cond, dout, zero) if self.needs_grad(0) else None
        db = xp.where(self.cond, zero, dout) if self.needs_grad(1) else None
        return da, db


@register
class Cast(Function):
    """y = x converted to another floating dtype

    Backward: dx = dout converted back to x's dtype.
    """

    name = "cast"

    def forward(self, x, dtype):
        self.in_dtype = x.dtype
        return x.astype(dtype)

    def backward(self, dout):
        return (dout.astype(self.in_dtype),)
