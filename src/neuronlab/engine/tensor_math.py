"""The rest of PyTorch's element-wise tensor methods, as a base class of ``Tensor``.

``add``/``sub``/``mul``/``div`` with their options, ``//`` and ``%``, the bit-wise operators on
booleans and integers, and the math functions (``sin``, ``log2``, ``rsqrt``, ``floor``...).
Only ``sin``, ``cos``, ``log1p``, ``expm1`` and the step functions are primitives
(``ops/elementwise_math.py``); everything else here is composed from primitives, so its gradient
comes from theirs. Integer inputs of functions whose values are fractions become float32 first,
as in PyTorch.
"""

from __future__ import annotations

import math

from . import function
from .backend import DEFAULT_FLOAT, is_floating, xp
from .ops import elementwise as E
from .ops import elementwise_math as EM

ROUNDING_MODES = (None, "trunc", "floor")


def _constant(array):
    return function._make_tensor(xp.asarray(array), False, None)


def _array_of(x):
    """A tensor's array, or ``x`` as an array (NumPy arrays have a ``data`` attribute too)."""
    return x.data if hasattr(x, "requires_grad") else xp.asarray(x)


def _as_float(t):
    return t if is_floating(t.data.dtype) else t.to(DEFAULT_FLOAT)


def _bitwise_operands(a, b, who):
    b_data = _array_of(b)
    for d in (a.data.dtype, b_data.dtype):
        if d.kind not in "biu":
            raise TypeError(
                f"{who}: defined for boolean and integer tensors only, got dtype {d} (PyTorch "
                "refuses floats too); compare first (x > 0) to get a boolean mask"
            )
    if isinstance(b, bool):
        b_data = xp.asarray(b, dtype=a.data.dtype) if a.data.dtype == bool else b_data
    return a.data, b_data


def _scaled(t, factor):
    return t if factor == 1 else t * factor


class TensorMath:
    """Element-wise methods of ``Tensor`` (see the module docstring)."""

    __slots__ = ()

    # ----- the four operations with PyTorch's options ------------------------------------------
    def add(self, other, *, alpha=1):
        """self + alpha * other"""
        return self + (other if alpha == 1 else other * alpha)

    def sub(self, other, *, alpha=1):
        """self - alpha * other"""
        return self - (other if alpha == 1 else other * alpha)

    def mul(self, other):
        return self * other

    def div(self, other, *, rounding_mode=None):
        """self / other; ``rounding_mode`` 'trunc' rounds toward zero, 'floor' toward -inf (the
        gradient of a rounded quotient is 0, as in PyTorch). Integer inputs with a rounding mode
        stay integers."""
        if rounding_mode not in ROUNDING_MODES:
            raise ValueError(
                f"div: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}"
            )
        if rounding_mode is None:
            return self / other
        o = _array_of(other)
        if not is_floating(self.data.dtype) and o.dtype.kind in "biu":
            if rounding_mode == "floor":
                return _constant(xp.floor_divide(self.data, o))
            with xp.errstate(divide="raise"):
                return _constant((xp.trunc(self.data / o)).astype(xp.result_type(self.data, o)))
        q = self / other
        return q.floor() if rounding_mode == "floor" else q.trunc()

    true_divide = divide = div
    subtract = sub
    multiply = mul

    def __floordiv__(self, other):
        """floor(self / other), without a gradient (PyTorch defines none for floor_divide)."""
        return self.div(other, rounding_mode="floor").detach()

    def __rfloordiv__(self, other):
        return self._lift(other).div(self, rounding_mode="floor").detach()

    floor_divide = __floordiv__

    def __mod__(self, other):
        """self - floor(self / other) * other: the remainder with the sign of ``other`` (Python's
        and PyTorch's ``%``)."""
        o = _array_of(other)
        if not is_floating(self.data.dtype) and not is_floating(o.dtype):
            return _constant(xp.remainder(self.data, o))
        return self - self.div(other, rounding_mode="floor") * other

    def __rmod__(self, other):
        return self._lift(other) % self

    remainder = __mod__

    # ----- bit-wise and logical, on booleans and integers (never differentiated) ----------------
    def __and__(self, other):
        return _constant(xp.bitwise_and(*_bitwise_operands(self, other, "& (bitwise and)")))

    def __or__(self, other):
        return _constant(xp.bitwise_or(*_bitwise_operands(self, other, "| (bitwise or)")))

    def __xor__(self, other):
        return _constant(xp.bitwise_xor(*_bitwise_operands(self, other, "^ (bitwise xor)")))

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__
    bitwise_and, bitwise_or, bitwise_xor = __and__, __or__, __xor__

    def __invert__(self):
        """~x: logical not of a boolean tensor, bit-wise not (-x - 1) of an integer one."""
        return _constant(xp.invert(_bitwise_operands(self, True, "~ (bitwise not)")[0]))

    bitwise_not = __invert__

    def logical_not(self):
        return _constant(xp.logical_not(self.data))

    def logical_and(self, other):
        return _constant(xp.logical_and(self.data, _array_of(other)))

    def logical_or(self, other):
        return _constant(xp.logical_or(self.data, _array_of(other)))

    # ----- math functions ---------------------------------------------------------------------
    def sin(self):
        return EM.Sin.apply(_as_float(self))

    def cos(self):
        return EM.Cos.apply(_as_float(self))

    def log1p(self):
        return EM.Log1p.apply(_as_float(self))

    def expm1(self):
        return EM.Expm1.apply(_as_float(self))

    def log2(self):
        """log(x) / log(2)"""
        return self.log() * (1 / math.log(2))

    def log10(self):
        """log(x) / log(10)"""
        return self.log() * (1 / math.log(10))

    def rsqrt(self):
        """1 / sqrt(x)"""
        with xp.errstate(divide="ignore"):
            return _as_float(self) ** -0.5

    def reciprocal(self):
        """1 / x"""
        return 1.0 / _as_float(self)

    def square(self):
        """x * x (integers stay integers)"""
        return self * self

    def neg(self):
        return -self

    negative = neg

    def sign(self):
        return EM.Sign.apply(self) if is_floating(self.dtype) else _constant(xp.sign(self.data))

    def floor(self):
        return EM.Floor.apply(self) if is_floating(self.dtype) else self

    def ceil(self):
        return EM.Ceil.apply(self) if is_floating(self.dtype) else self

    def trunc(self):
        return EM.Trunc.apply(self) if is_floating(self.dtype) else self

    fix = trunc

    def round(self, decimals: int = 0):
        """x rounded to ``decimals`` places; exact halves go to the even neighbour."""
        if not is_floating(self.dtype):
            return self
        return EM.Round.apply(self, decimals=decimals)

    def isnan(self):
        return _constant(xp.isnan(self.data))

    def isinf(self):
        return _constant(xp.isinf(self.data))

    def isfinite(self):
        return _constant(xp.isfinite(self.data))

    def nan_to_num(self, nan: float = 0.0, posinf=None, neginf=None):
        """nan -> ``nan``, +inf -> ``posinf``, -inf -> ``neginf`` (the dtype's largest and
        smallest finite values by default); the gradient passes where x was finite."""
        if not is_floating(self.dtype):
            return self
        info = xp.finfo(self.dtype)
        hi = info.max if posinf is None else posinf
        lo = info.min if neginf is None else neginf
        d = self.data
        fill = xp.where(xp.isnan(d), nan, xp.where(d > 0, hi, lo)).astype(d.dtype)
        return E.Where.apply(self, _constant(fill), cond=xp.isfinite(d))

    def pow(self, exponent):
        return self**exponent

    def exp2(self):
        return 2.0 ** _as_float(self)

    def type_as(self, other):
        return self.to(other.dtype)

    # ----- more composed functions -------------------------------------------------------------
    def tan(self):
        """sin(x) / cos(x)"""
        x = _as_float(self)
        return x.sin() / x.cos()

    def sinh(self):
        """(exp(x) - exp(-x)) / 2"""
        x = _as_float(self)
        return (x.exp() - (-x).exp()) * 0.5

    def cosh(self):
        """(exp(x) + exp(-x)) / 2"""
        x = _as_float(self)
        return (x.exp() + (-x).exp()) * 0.5

    def frac(self):
        """x - trunc(x): the fractional part, with the sign of x."""
        return self - self.trunc()

    def fmod(self, other):
        """The remainder of x / other with the sign of x (C's fmod; ``%`` follows other)."""
        if not is_floating(self.data.dtype) and _array_of(other).dtype.kind in "biu":
            return _constant(xp.fmod(self.data, _array_of(other)))
        return self - self.div(other, rounding_mode="trunc") * other

    def sgn(self):
        return self.sign()

    def positive(self):
        return self

    def clamp_min(self, min):  # noqa: A002 - PyTorch's argument name
        return self.clip(min=min)

    def clamp_max(self, max):  # noqa: A002
        return self.clip(max=max)

    def lerp(self, end, weight):
        """x + weight * (end - x)"""
        return self + (end - self) * weight

    def logaddexp(self, other):
        """log(exp(x) + exp(other)) = max + log1p(exp(-|x - other|)), without overflow."""
        x, o = _as_float(self), other if hasattr(other, "requires_grad") else self._lift(other)
        return x.maximum(o) + (-(x - o).abs()).exp().log1p()

    def maximum(self, other):
        return self.max(other if hasattr(other, "requires_grad") else self._lift(other))

    def minimum(self, other):
        return self.min(other if hasattr(other, "requires_grad") else self._lift(other))

    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        """beta * x + alpha * (mat1 @ mat2)"""
        return _scaled(self, beta) + _scaled(mat1 @ mat2, alpha)

    def addcmul(self, tensor1, tensor2, *, value=1):
        """x + value * tensor1 * tensor2"""
        return self + _scaled(tensor1 * tensor2, value)

    def addcdiv(self, tensor1, tensor2, *, value=1):
        """x + value * tensor1 / tensor2"""
        return self + _scaled(tensor1 / tensor2, value)

    def nansum(self, dim=None, keepdim: bool = False):
        """The sum with NaNs counted as 0 (their gradient is 0)."""
        if not is_floating(self.dtype):
            return self.sum(dim, keepdim)
        clean = E.Where.apply(_constant(xp.zeros((), self.dtype)), self, cond=xp.isnan(self.data))
        return clean.sum(dim, keepdim)

    # comparisons under their PyTorch names
    def eq(self, other):
        return self == other

    def ne(self, other):
        return self != other

    def lt(self, other):
        return self < other

    def le(self, other):
        return self <= other

    def gt(self, other):
        return self > other

    def ge(self, other):
        return self >= other

    def __abs__(self):
        return self.abs()

    def __pos__(self):
        return self
