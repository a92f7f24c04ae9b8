"""Functions of several tensors: ``concatenate``, ``stack``, ``where``, ``maximum``, ``minimum``."""

from __future__ import annotations

from .backend import is_floating, xp
from .ops import einsum as E_
from .ops import elementwise as E
from .ops import shape as S
from .ops.reduce import normalize_axis
from .tensor import Tensor, _promote


def _as_tensors(tensors, who):
    if isinstance(tensors, Tensor) or not len(tensors):
        raise TypeError(f"{who} expects a non-empty list or tuple of tensors")
    return [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]


def concatenate(tensors, axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join tensors along an existing axis (``torch.cat``).

    As in PyTorch, 1-D empty tensors (shape ``(0,)``) are skipped when joined with others, so a
    running result can start from ``nl.zeros(0)``.
    """
    axis = axis if dim is None else dim  # PyTorch's name for the axis
    tensors = _as_tensors(tensors, "concatenate")
    kept = [t for t in tensors if t.shape != (0,)] or tensors[:1]
    normalize_axis(axis, max(kept[0].ndim, 1), "concatenate")
    if kept[0].ndim == 0:
        raise ValueError(
            "concatenate: 0-d tensors have no axis to join along; use stack, or reshape them "
            "with t.reshape(1) first"
        )
    return S.Concatenate.apply(*kept, axis=axis)


cat = concatenate


def stack(tensors, axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join tensors along a new axis: each gets a new axis of size 1, then they are concatenated."""
    axis = axis if dim is None else dim
    tensors = _as_tensors(tensors, "stack")
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise ValueError(f"stack: all tensors must have the same shape, got {sorted(shapes)}")
    return concatenate([t.unsqueeze(axis) for t in tensors], axis=axis)


def where(condition, a, b) -> Tensor:
    """``a`` where ``condition`` is true, else ``b`` (the condition gets no gradient)."""
    cond = condition.data if isinstance(condition, Tensor) else xp.asarray(condition)
    if cond.dtype != bool:
        raise TypeError(f"where: the condition must be boolean, got dtype {cond.dtype}")
    ta = a if isinstance(a, Tensor) else None
    tb = b if isinstance(b, Tensor) else None
    ref = ta if ta is not None else tb
    if ref is None:
        return Tensor(xp.where(cond, a, b))
    return E.Where.apply(ref._lift(a), ref._lift(b), cond=cond)


def _pair(a, b):
    ref = a if isinstance(a, Tensor) else b if isinstance(b, Tensor) else Tensor(a)
    return _promote(ref._lift(a), ref._lift(b))


def maximum(a, b) -> Tensor:
    """Element-wise maximum; the gradient goes to the larger input (split evenly on ties)."""
    return E.Maximum.apply(*_pair(a, b))


def minimum(a, b) -> Tensor:
    """Element-wise minimum, composed as -maximum(-a, -b) (directly, without a gradient, for
    integer and boolean tensors, where negation would overflow or is undefined)."""
    a, b = _pair(a, b)
    if not (is_floating(a.dtype) or is_floating(b.dtype)):
        return Tensor(xp.minimum(a.data, b.data))
    return -maximum(-a, -b)


def einsum(equation: str, *operands) -> Tensor:
    """Sums of products written as index strings (``torch.einsum``): ``einsum("ij,jk->ik", a,
    b)`` is ``a @ b``, ``einsum("bi,bi->b", x, y)`` a batch of dot products, ``einsum("ij->ji",
    a)`` a transpose. Operands may also be given as one list. Each letter names an axis; letters
    missing from the output are summed over.

    >>> import neuronlab as nl
    >>> einsum("i,i->", nl.tensor([1.0, 2.0]), nl.tensor([3.0, 4.0])).item()
    11.0
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    tensors = _as_tensors(operands, "einsum")
    floats = [t.dtype for t in tensors if is_floating(t.dtype)]
    if floats:
        dtype = max(floats, key=lambda d: d.itemsize)
        tensors = [t if t.dtype == dtype else t.to(dtype) for t in tensors]
    return E_.Einsum.apply(*tensors, equation=equation)
