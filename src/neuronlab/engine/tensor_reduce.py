"""PyTorch's reductions of ``Tensor`` (``sum``, ``mean``, ``max``, ``var``, ``softmax``...), as a
base class of ``Tensor``, and the dtype rules they share with the arithmetic.

NumPy's names and PyTorch's work side by side: ``x.sum(axis=1, keepdims=True)`` is
``x.sum(dim=1, keepdim=True)``; ``dtype=`` converts the input first. Only ``sum`` and ``max``
are primitives (``ops/reduce.py``); ``mean``, ``min``, ``var`` and ``std`` are composed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import function
from .backend import is_floating, xp
from .ops import elementwise as E
from .ops import fused as F
from .ops import reduce as R

if TYPE_CHECKING:
    from .tensor import Tensor


def _constant(array):
    return function._make_tensor(xp.asarray(array), False, None)


class TensorReduce:
    """Reductions of ``Tensor`` (see the module docstring)."""

    __slots__ = ()

    def any(self, axis=None, keepdims: bool = False, *, dim=None, keepdim=None) -> Tensor:
        """True where some element (over ``axis``, or all) is nonzero; a bool tensor."""
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        axes = R.normalize_axis(axis, self.ndim, "any")
        return _constant(xp.any(self.data, axis=axes, keepdims=keepdims))

    def all(self, axis=None, keepdims: bool = False, *, dim=None, keepdim=None) -> Tensor:
        """True where every element (over ``axis``, or all) is nonzero; a bool tensor."""
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        axes = R.normalize_axis(axis, self.ndim, "all")
        return _constant(xp.all(self.data, axis=axes, keepdims=keepdims))

    def clip(self, min=None, max=None):  # noqa: A002 - PyTorch's argument names
        """min(max(x, min), max); ``min`` and ``max`` may be numbers or tensors (broadcast)."""
        if min is None and max is None:
            raise ValueError("clip: give at least one of min and max")
        if hasattr(min, "requires_grad") or hasattr(max, "requires_grad"):
            return _clip_by_tensors(self, min, max)
        return E.Clip.apply(self, low=min, high=max)

    clamp = clip

    # ----- reductions ------------------------------------------------------------------------
    # PyTorch's names work beside NumPy's: x.sum(dim=1, keepdim=True) is x.sum(axis=1,
    # keepdims=True). ``dtype`` converts the input first, as in PyTorch.
    def sum(self, axis=None, keepdims: bool = False, *, dim=None, keepdim=None, dtype=None):
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        x = self if dtype is None else self.to(dtype)
        if dtype is None and (x.data.dtype.kind in "bu" or x.data.dtype == xp.int32):
            x = x.long()  # PyTorch sums booleans and small integers as int64
        return R.Sum.apply(x, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims: bool = False, *, dim=None, keepdim=None, dtype=None):
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        x = self if dtype is None else self.to(dtype)
        count = _reduced_count(x.shape, axis, "mean")
        return _floating(x).sum(axis, keepdims) * (1.0 / count if count else float("nan"))

    def max(self, axis=None, keepdims: bool = False, *, dim=None, keepdim=None):
        """The largest value over ``axis`` (all axes when None), like ``torch.amax``; with a
        tensor argument, the element-wise maximum (``x.max(other)``, as in PyTorch)."""
        if hasattr(axis, "requires_grad"):
            return _maximum(self, axis)
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return R.Max.apply(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims: bool = False, *, dim=None, keepdim=None):
        """The smallest value over ``axis`` (like ``torch.amin``), or the element-wise minimum
        with a tensor argument."""
        if hasattr(axis, "requires_grad"):
            return -_maximum(-self, -axis) if is_floating(self.dtype) else _minimum_ints(self, axis)
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        if not is_floating(self.data.dtype):  # no gradient, and -x would break bools and ints
            R.check_not_empty(self.data, "min", "minimum")
            axes = R.normalize_axis(axis, self.ndim, "min")
            return _constant(xp.min(self.data, axis=axes, keepdims=keepdims))
        return -((-self).max(axis, keepdims))

    def var(
        self,
        axis=None,
        unbiased=None,
        keepdims: bool = False,
        *,
        correction=None,
        dim=None,
        keepdim=None,
    ):
        """Variance: sum((x - mean)^2) / (n - correction). correction=1 (the default, as in
        PyTorch) gives the unbiased estimate; correction=0 (or ``unbiased=False``) NumPy's
        default. Positional arguments are PyTorch's: ``x.var(1, False)`` is dim 1, biased;
        ``x.var(False)`` is all elements, biased. Pass ``keepdims`` by name."""
        if isinstance(axis, bool):  # x.var(True): PyTorch's positional ``unbiased``
            axis, unbiased = None, axis
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        if correction is None:
            correction = 1 if unbiased is None else int(unbiased)
        x = _floating(self)
        dof = _reduced_count(x.shape, axis, "var") - correction
        centered = x - x.mean(axis, keepdims=True)
        # like PyTorch: no degrees of freedom left gives inf (or nan for 0 / 0)
        return (centered * centered).sum(axis, keepdims) * (1.0 / dof if dof > 0 else float("inf"))

    def std(
        self,
        axis=None,
        unbiased=None,
        keepdims: bool = False,
        *,
        correction=None,
        dim=None,
        keepdim=None,
    ):
        """Standard deviation: sqrt(var(...)), same arguments as ``var``."""
        var = self.var(axis, unbiased, keepdims, correction=correction, dim=dim, keepdim=keepdim)
        return var**0.5

    def argmax(self, axis=None, keepdims: bool = False, *, dim=None, keepdim=None) -> Tensor:
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return _arg_reduce(self, xp.argmax, axis, keepdims, "argmax")

    def argmin(self, axis=None, keepdims: bool = False, *, dim=None, keepdim=None) -> Tensor:
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return _arg_reduce(self, xp.argmin, axis, keepdims, "argmin")

    def softmax(self, axis: int | None = None, dtype=None, *, dim=None):
        axis, _ = _axis_args(axis, False, dim, None)
        axis = -1 if axis is None else axis
        return F.Softmax.apply(_softmax_input(self, dtype, "softmax"), axis=axis)

    def log_softmax(self, axis: int | None = None, dtype=None, *, dim=None):
        axis, _ = _axis_args(axis, False, dim, None)
        axis = -1 if axis is None else axis
        return F.LogSoftmax.apply(_softmax_input(self, dtype, "log_softmax"), axis=axis)


def _promote(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """PyTorch's type promotion for two operands: an integer or boolean operand takes the
    floating operand's dtype (NumPy would make float32 + int64 a float64)."""
    da, db = a.data.dtype, b.data.dtype
    if da == db:
        return a, b
    fa, fb = is_floating(da), is_floating(db)
    if fa and not fb:
        return a, function._make_tensor(b.data.astype(da), False, None)
    if fb and not fa:
        return function._make_tensor(a.data.astype(db), False, None), b
    return a, b


def _axis_args(axis, keepdims, dim, keepdim):
    """NumPy's ``axis``/``keepdims`` or PyTorch's ``dim``/``keepdim`` (one of each pair)."""
    if dim is not None:
        if axis is not None:
            raise TypeError("give the axis once: axis= (NumPy's name) or dim= (PyTorch's)")
        axis = dim
    if isinstance(axis, list):
        axis = tuple(axis)
    return axis, keepdims if keepdim is None else keepdim


def _arg_reduce(t: Tensor, fn, axis, keepdims, who) -> Tensor:
    if axis is not None:
        axis = R.normalize_axis(axis, t.ndim, who)
        axis = axis[0] if axis else None
        if t.ndim == 0:
            return function._make_tensor(xp.asarray(0), False, None)
    out = xp.asarray(fn(t.data, axis=axis, keepdims=keepdims))
    return function._make_tensor(out.astype(xp.int64, copy=False), False, None)


def _softmax_input(t: Tensor, dtype, who) -> Tensor:
    if dtype is not None:
        return t.to(dtype)
    if not is_floating(t.data.dtype):
        raise TypeError(
            f"{who}: expected a floating point tensor, got dtype {t.data.dtype} (PyTorch refuses "
            f"it too); convert with x.float() or pass dtype='float32'"
        )
    return t


def _maximum(a: Tensor, b: Tensor) -> Tensor:
    return E.Maximum.apply(*_promote(a, b))


def _minimum_ints(a: Tensor, b: Tensor) -> Tensor:
    return function._make_tensor(xp.asarray(xp.minimum(a.data, b.data)), False, None)


def _clip_by_tensors(x: Tensor, low, high) -> Tensor:
    """clamp with tensor bounds: max(x, low), then min(., high); gradients reach the bounds
    where they are the answer."""
    if low is not None:
        x = _maximum(x, x._lift(low))
    if high is not None:
        high = x._lift(high)
        x = -_maximum(-x, -high) if is_floating(x.dtype) else _minimum_ints(x, high)
    return x


def _floating(t: Tensor) -> Tensor:
    """``t`` itself when floating, else converted to float32 (PyTorch's default float)."""
    return t if t.data.dtype.kind == "f" else t.float()  # kind "f": every NumPy float type


def _reduced_count(shape, axis, who) -> int:
    axes = R.normalize_axis(axis, len(shape), who)
    count = 1
    for a in axes:
        count *= shape[a]
    return count
