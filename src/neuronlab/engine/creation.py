"""Functions that make tensors: ``tensor``, ``zeros``, ``ones``, ``randn``, ``arange``...

Names and arguments follow PyTorch (``zeros(2, 3)`` or ``zeros((2, 3))``, ``dtype=``,
``device='cpu'``, ``requires_grad=``). Floating tensors are float32 unless ``dtype`` says
otherwise. Where PyTorch and NumPy disagree, PyTorch's answer is given and the docstring says so.
"""

from __future__ import annotations

import numbers

from .backend import DEFAULT_FLOAT, as_dtype, check_device, xp
from .random import default_generator
from .tensor import Tensor, _make, _shape_args


def _new(array, requires_grad: bool, device=None) -> Tensor:
    check_device(device)
    t = _make(array, False, None)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _float_dtype(dtype):
    return DEFAULT_FLOAT if dtype is None else as_dtype(dtype)


def _like_dtype(t: Tensor, dtype):
    return as_dtype(dtype) if dtype is not None else t.dtype


def tensor(data, requires_grad: bool = False, dtype=None, device=None) -> Tensor:
    """A new tensor holding a copy of ``data`` (numbers, nested lists or an array)."""
    check_device(device)
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def zeros(*shape, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    return _new(xp.zeros(_shape_args(shape), dtype=_float_dtype(dtype)), requires_grad, device)


def ones(*shape, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    return _new(xp.ones(_shape_args(shape), dtype=_float_dtype(dtype)), requires_grad, device)


def _fill_dtype(fill_value, dtype):
    """PyTorch's dtype for a fill value: bool for True/False, int64 for whole numbers, float32 for
    floats (NumPy's ``full`` would keep the int, and make floats float64)."""
    if dtype is not None:
        return as_dtype(dtype)
    if isinstance(fill_value, (bool, xp.bool_)):
        return xp.dtype(xp.bool_)
    if isinstance(fill_value, numbers.Integral):
        return xp.dtype(xp.int64)
    return DEFAULT_FLOAT


def full(shape, fill_value, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """A tensor of ``shape`` filled with ``fill_value``. As in PyTorch, the dtype follows the
    value: ``full((2,), 4)`` is int64, ``full((2,), True)`` bool, ``full((2,), 0.5)`` float32."""
    dtype = _fill_dtype(fill_value, dtype)
    return _new(xp.full(_shape_args((shape,)), fill_value, dtype=dtype), requires_grad, device)


def eye(n: int, m: int | None = None, dtype=None, requires_grad: bool = False,
        device=None) -> Tensor:
    return _new(xp.eye(n, m, dtype=_float_dtype(dtype)), requires_grad, device)


def zeros_like(t: Tensor, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    return _new(xp.zeros(t.shape, dtype=_like_dtype(t, dtype)), requires_grad, device)


def ones_like(t: Tensor, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    return _new(xp.ones(t.shape, dtype=_like_dtype(t, dtype)), requires_grad, device)


def full_like(t: Tensor, fill_value, dtype=None, requires_grad: bool = False,
              device=None) -> Tensor:
    return _new(xp.full(t.shape, fill_value, dtype=_like_dtype(t, dtype)), requires_grad, device)


def randn(*shape, dtype=None, requires_grad: bool = False, generator=None, device=None) -> Tensor:
    """Samples from the standard normal distribution N(0, 1)."""
    rng = generator or default_generator()
    data = rng.standard_normal(_shape_args(shape), dtype=xp.float64).astype(_float_dtype(dtype))
    return _new(data, requires_grad, device)


def rand(*shape, dtype=None, requires_grad: bool = False, generator=None, device=None) -> Tensor:
    """Samples from the uniform distribution on [0, 1)."""
    rng = generator or default_generator()
    data = rng.random(_shape_args(shape), dtype=xp.float64).astype(_float_dtype(dtype))
    return _new(data, requires_grad, device)


def randint(low: int, high: int | None = None, size=None, generator=None, dtype=None,
            device=None) -> Tensor:
    """Integers drawn uniformly from [low, high) (``randint(high, size)`` draws from [0, high),
    as in PyTorch)."""
    if size is None:  # randint(high, size): the size came second
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    rng = generator or default_generator()
    data = rng.integers(low, high, size=_shape_args((size,)), dtype=xp.int64)
    return _new(data.astype(as_dtype(dtype)) if dtype else data, False, device)


def randn_like(t: Tensor, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    return randn(*t.shape, dtype=_like_dtype(t, dtype), requires_grad=requires_grad,
                 device=device)


def rand_like(t: Tensor, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    return rand(*t.shape, dtype=_like_dtype(t, dtype), requires_grad=requires_grad, device=device)


def arange(start, end=None, step=1, dtype=None, requires_grad: bool = False,
           device=None) -> Tensor:
    """Evenly spaced values in [start, end); integers stay int64 unless a float is involved."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        is_int = all(isinstance(v, int) for v in (start, end, step))
        dtype = xp.int64 if is_int else DEFAULT_FLOAT
    return _new(xp.arange(start, end, step, dtype=as_dtype(dtype)), requires_grad, device)


def linspace(start, end, steps: int, dtype=None, requires_grad: bool = False,
             device=None) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included.

    With an integer ``dtype`` the values are computed in floating point and then truncated
    toward zero, as in PyTorch (NumPy rounds them down instead: -1.7 gives -1 here, -2 there).
    """
    start, end = (float(v.item()) if isinstance(v, Tensor) else v for v in (start, end))
    dtype = _float_dtype(dtype)
    values = xp.linspace(start, end, steps, dtype=xp.float64)
    return _new(values.astype(dtype), requires_grad, device)


def from_numpy(array) -> Tensor:
    """A tensor that shares memory with ``array`` (no copy, dtype kept as it is)."""
    return _make(xp.asarray(array), False, None)
