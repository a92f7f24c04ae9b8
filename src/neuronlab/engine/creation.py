"""Functions that make tensors: ``tensor``, ``zeros``, ``ones``, ``randn``, ``arange``...

Names and arguments follow PyTorch (``zeros(2, 3)`` or ``zeros((2, 3))``). Floating tensors are
float32 unless ``dtype`` says otherwise.
"""

from __future__ import annotations

from .backend import DEFAULT_FLOAT, as_dtype, xp
from .random import default_generator
from .tensor import Tensor, _make, _shape_args


def _new(array, requires_grad: bool) -> Tensor:
    t = _make(array, False, None)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _float_dtype(dtype):
    return DEFAULT_FLOAT if dtype is None else as_dtype(dtype)


def tensor(data, requires_grad: bool = False, dtype=None) -> Tensor:
    """A new tensor holding a copy of ``data`` (numbers, nested lists or an array)."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def zeros(*shape, dtype=None, requires_grad: bool = False) -> Tensor:
    return _new(xp.zeros(_shape_args(shape), dtype=_float_dtype(dtype)), requires_grad)


def ones(*shape, dtype=None, requires_grad: bool = False) -> Tensor:
    return _new(xp.ones(_shape_args(shape), dtype=_float_dtype(dtype)), requires_grad)


def full(shape, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    return _new(xp.full(_shape_args((shape,)), fill_value, dtype=_float_dtype(dtype)),
                requires_grad)


def eye(n: int, m: int | None = None, dtype=None, requires_grad: bool = False) -> Tensor:
    return _new(xp.eye(n, m, dtype=_float_dtype(dtype)), requires_grad)


def zeros_like(t: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    return _new(xp.zeros(t.shape, dtype=as_dtype(dtype) if dtype else t.dtype), requires_grad)


def ones_like(t: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    return _new(xp.ones(t.shape, dtype=as_dtype(dtype) if dtype else t.dtype), requires_grad)


def full_like(t: Tensor, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    return _new(xp.full(t.shape, fill_value, dtype=as_dtype(dtype) if dtype else t.dtype),
                requires_grad)


def randn(*shape, dtype=None, requires_grad: bool = False, generator=None) -> Tensor:
    """Samples from the standard normal distribution N(0, 1)."""
    rng = generator or default_generator()
    data = rng.standard_normal(_shape_args(shape), dtype=xp.float64).astype(_float_dtype(dtype))
    return _new(data, requires_grad)


def rand(*shape, dtype=None, requires_grad: bool = False, generator=None) -> Tensor:
    """Samples from the uniform distribution on [0, 1)."""
    rng = generator or default_generator()
    data = rng.random(_shape_args(shape), dtype=xp.float64).astype(_float_dtype(dtype))
    return _new(data, requires_grad)


def randint(low: int, high: int, shape, generator=None) -> Tensor:
    """Integers drawn uniformly from [low, high)."""
    rng = generator or default_generator()
    return _new(rng.integers(low, high, size=_shape_args((shape,)), dtype=xp.int64), False)


def randn_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    return randn(*t.shape, dtype=t.dtype, requires_grad=requires_grad)


def rand_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    return rand(*t.shape, dtype=t.dtype, requires_grad=requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad: bool = False) -> Tensor:
    """Evenly spaced values in [start, end); integers stay int64 unless a float is involved."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        is_int = all(isinstance(v, int) for v in (start, end, step))
        dtype = xp.int64 if is_int else DEFAULT_FLOAT
    return _new(xp.arange(start, end, step, dtype=as_dtype(dtype)), requires_grad)


def linspace(start, end, steps: int, dtype=None, requires_grad: bool = False) -> Tensor:
    return _new(xp.linspace(start, end, steps, dtype=_float_dtype(dtype)), requires_grad)


def from_numpy(array) -> Tensor:
    """A tensor that shares memory with ``array`` (no copy, dtype kept as it is)."""
    return _make(xp.asarray(array), False, None)
