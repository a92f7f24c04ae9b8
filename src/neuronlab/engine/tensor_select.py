"""PyTorch's reductions, selections and rearrangements of tensors, as a base class of ``Tensor``.

``prod``, ``cumsum``, ``norm`` and ``gather``/``scatter`` are primitives (``ops/reduce_more.py``,
``ops/gather.py``); ``logsumexp``, ``sort``, ``topk``, ``flip``, ``repeat``, ``roll``,
``split``, ``tril``... are composed from primitives (indexing, ``gather``, ``where``), so their
gradients move values back where they came from without a formula of their own.
"""

from __future__ import annotations

from . import function
from .backend import DEFAULT_FLOAT, as_dtype, is_floating, xp
from .ops import elementwise as E
from .ops import gather as G
from .ops import reduce_more as RM
from .ops.reduce import normalize_axis


def _constant(array):
    return function._make_tensor(xp.asarray(array), False, None)


def _array_of(x):
    """A tensor's array, or ``x`` as an array (NumPy arrays have a ``data`` attribute too)."""
    return x.data if hasattr(x, "requires_grad") else xp.asarray(x)


def _one_axis(t, dim, who) -> int:
    return normalize_axis(dim, t.ndim, who)[0] if t.ndim else 0


def _index_array(index, who):
    a = _array_of(index)
    if a.dtype.kind not in "iu":
        raise TypeError(f"{who}: the index must hold integers (int64), got dtype {a.dtype}")
    return a.astype(xp.int64, copy=False)


class TensorSelect:
    """Reductions, selections and rearrangements of ``Tensor`` (see the module docstring)."""

    __slots__ = ()

    # ----- reductions -------------------------------------------------------------------------
    def prod(self, dim=None, keepdim: bool = False, *, dtype=None):
        x = self if dtype is None else self.to(dtype)
        if x.data.dtype.kind in "bu" or x.data.dtype == xp.int32:
            x = x.long()
        axis = None if dim is None else _one_axis(x, dim, "prod")
        if x.ndim == 0:
            return x
        if not is_floating(x.dtype):
            return _constant(xp.prod(x.data, axis=axis, keepdims=keepdim))
        return RM.Prod.apply(x, axis=axis, keepdims=keepdim)

    def cumsum(self, dim, *, dtype=None):
        x = self if dtype is None else self.to(dtype)
        if x.data.dtype.kind in "bu" or x.data.dtype == xp.int32:
            x = x.long()
        if x.ndim == 0:
            return x
        return RM.CumSum.apply(x, axis=_one_axis(x, dim, "cumsum"))

    def logsumexp(self, dim, keepdim: bool = False):
        """log(sum(exp(x))) along ``dim``, as m + log(sum(exp(x - m))) with m = max(x), which
        never overflows (m is a constant for the gradient)."""
        x = self if is_floating(self.dtype) else self.to(DEFAULT_FLOAT)
        axes = normalize_axis(dim, x.ndim, "logsumexp")
        if x.data.size == 0:
            return (x.exp().sum(axes, keepdim)).log()
        m = x.data.max(axis=axes, keepdims=True)
        m = xp.where(xp.isfinite(m), m, 0)  # all -inf (or inf) rows: nothing to subtract
        out = (x - _constant(m)).exp().sum(axes, keepdims=True).log() + _constant(m)
        return out if keepdim else out.squeeze(axes)

    def norm(self, p="fro", dim=None, keepdim: bool = False):
        """The p-norm (sum |x|^p)^(1/p) over ``dim`` (all elements when None); 'fro' is p = 2,
        inf the largest |x|."""
        if p == "fro":
            p = 2.0
        if not isinstance(p, (int, float)) or isinstance(p, bool):
            raise ValueError(
                f"norm: p must be a number, float('inf'), float('-inf') or 'fro', got {p!r}"
                " (matrix norms such as 'nuc' are not available)"
            )
        x = self if is_floating(self.dtype) else self.to(DEFAULT_FLOAT)
        axis = None if dim is None else normalize_axis(dim, x.ndim, "norm")
        if p == 0:  # the number of nonzero elements: a count, with gradient 0
            return (x != 0).to(x.dtype).sum(axis, keepdim).detach()
        if p == -xp.inf:  # the smallest |x|
            return x.abs().min(axis, keepdim)
        if x.ndim == 0:
            return x.abs()
        return RM.Norm.apply(x, p=float(p), axis=axis, keepdims=keepdim)

    # ----- picking by index -------------------------------------------------------------------
    def gather(self, dim: int, index):
        """out[i][j] = x[index[i][j]][j] for dim 0 (likewise for any dim)."""
        idx = _index_array(index, "gather")
        if self.ndim == 0:
            return self.reshape(1).gather(0, idx.reshape(1)).reshape(idx.shape)
        return G.Gather.apply(self, index=idx, axis=_one_axis(self, dim, "gather"))

    def scatter(self, dim: int, index, src):
        """A copy of x with out[index[i][j]][j] = src[i][j] (dim 0); ``src`` may be a number."""
        return self._scatter(dim, index, src, None, "scatter")

    def scatter_add(self, dim: int, index, src):
        """A copy of x with src[i][j] added at out[index[i][j]][j] (dim 0); repeats add up."""
        return self._scatter(dim, index, src, "add", "scatter_add")

    def _scatter(self, dim, index, src, reduce, who):
        idx = _index_array(index, who)
        if not hasattr(src, "requires_grad"):
            src = _constant(xp.full(idx.shape, src, dtype=self.dtype))
        if self.ndim == 0:
            out = self.reshape(1)._scatter(0, idx.reshape(1), src.reshape(1), reduce, who)
            return out.reshape(())
        src = src if src.dtype == self.dtype else src.to(self.dtype)
        axis = _one_axis(self, dim, who)
        return G.Scatter.apply(self, src, index=idx, axis=axis, reduce=reduce)

    def index_select(self, dim: int, index):
        """The slices of x at positions ``index`` (1-D) along ``dim``."""
        idx = _index_array(index, "index_select").reshape(-1)
        if self.ndim == 0:
            return self.reshape(1)[idx].reshape(()) if idx.size == 1 else self.reshape(1)[idx]
        axis = _one_axis(self, dim, "index_select")
        return self[(slice(None),) * axis + (idx,)]

    def masked_fill(self, mask, value):
        """x with ``value`` where ``mask`` (boolean, broadcast) is True."""
        m = _array_of(mask)
        if m.dtype != bool:
            raise TypeError(f"masked_fill: the mask must be boolean, got dtype {m.dtype}")
        if hasattr(value, "requires_grad"):  # a 0-d tensor: it may learn, so keep its graph
            fill = value if value.dtype == self.dtype else value.to(self.dtype)
        else:
            fill = _constant(xp.asarray(value, dtype=self.dtype))
        return E.Where.apply(fill, self, cond=m)

    # ----- rearranging ------------------------------------------------------------------------
    def flip(self, dims):
        dims = (dims,) if isinstance(dims, int) else tuple(dims)
        axes = set(normalize_axis(dims, self.ndim, "flip"))
        if not axes:
            return self
        return self[
            tuple(slice(None, None, -1) if a in axes else slice(None) for a in range(self.ndim))
        ]

    def roll(self, shifts, dims=None):
        """Elements shifted ``shifts`` places along ``dims`` (the flattened tensor when None);
        those that fall off one end come back at the other."""
        if dims is None:
            return self.flatten().roll(shifts, 0).reshape(self.shape)
        shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
        dims = (dims,) if isinstance(dims, int) else tuple(dims)
        if len(shifts) != len(dims):
            raise ValueError(f"roll: give one shift per dim, got {shifts} and {dims}")
        out = self
        for shift, dim in zip(shifts, dims):
            axis = _one_axis(self, dim, "roll")
            n = self.shape[axis] if self.ndim else 1
            if n:
                out = out.index_select(axis, (xp.arange(n) - shift) % n)
        return out

    def repeat(self, *sizes):
        """x tiled ``sizes[i]`` times along axis i (new leading axes where sizes is longer)."""
        sizes = (
            tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes
        )
        if len(sizes) < self.ndim:
            raise ValueError(
                f"repeat: give at least one count per dimension ({self.ndim}), got {sizes}"
            )
        shape = (1,) * (len(sizes) - self.ndim) + self.shape
        x = self.reshape(shape)
        spread = tuple(d for n in shape for d in (1, n))  # a size-1 axis before each axis
        big = tuple(d for r, n in zip(sizes, shape) for d in (r, n))
        return x.reshape(spread).expand(*big).reshape(tuple(r * n for r, n in zip(sizes, shape)))

    def split(self, split_size_or_sections, dim: int = 0):
        """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the sizes in a
        list."""
        axis = _one_axis(self, dim, "split")
        n = self.shape[axis]
        if isinstance(split_size_or_sections, int):
            step = split_size_or_sections
            if step <= 0:
                raise ValueError(f"split: split_size must be positive, got {step}")
            sizes = [min(step, n - start) for start in range(0, n, step)] or [0]
        else:
            sizes = list(split_size_or_sections)
            if sum(sizes) != n:
                raise ValueError(
                    f"split: the sizes {sizes} add up to {sum(sizes)}, not to the size {n} of dim "
                    f"{dim}"
                )
        pieces, start = [], 0
        for size in sizes:
            pieces.append(self[(slice(None),) * axis + (slice(start, start + size),)])
            start += size
        return tuple(pieces)

    def chunk(self, chunks: int, dim: int = 0):
        """``chunks`` pieces (or fewer) of equal size along ``dim``, the last one smaller."""
        if chunks <= 0:
            raise ValueError(f"chunk: chunks must be positive, got {chunks}")
        n = self.shape[_one_axis(self, dim, "chunk")]
        return self.split(max(-(-n // chunks), 1), dim) if n else self.split([0] * chunks, dim)

    def unbind(self, dim: int = 0):
        axis = _one_axis(self, dim, "unbind")
        return tuple(self[(slice(None),) * axis + (i,)] for i in range(self.shape[axis]))

    def _triangle(self, diagonal, lower, who):
        if self.ndim < 2:
            raise ValueError(f"{who}: needs a tensor with at least 2 dimensions, got {self.shape}")
        rows, cols = self.shape[-2:]
        keep = (
            xp.tri(rows, cols, diagonal, dtype=bool)
            if lower
            else ~xp.tri(rows, cols, diagonal - 1, dtype=bool)
        )
        zero = _constant(xp.zeros((), dtype=self.dtype))
        return E.Where.apply(self, zero, cond=keep)

    def tril(self, diagonal: int = 0):
        """x with the elements above the ``diagonal``-th diagonal set to 0."""
        return self._triangle(diagonal, True, "tril")

    def triu(self, diagonal: int = 0):
        """x with the elements below the ``diagonal``-th diagonal set to 0."""
        return self._triangle(diagonal, False, "triu")

    # ----- ordering ---------------------------------------------------------------------------
    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False):
        """The positions that sort x along ``dim`` (a stable sort, so ties keep their order)."""
        if self.ndim == 0:
            return _constant(xp.zeros((), dtype=xp.int64))
        axis = _one_axis(self, dim, "argsort")
        data = self.data
        if descending:  # stable descending: sort the negated order keys
            order = xp.flip(xp.argsort(xp.flip(data, axis), axis=axis, kind="stable"), axis)
            order = (data.shape[axis] - 1) - order
        else:
            order = xp.argsort(data, axis=axis, kind="stable")
        return _constant(order.astype(xp.int64))

    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False):
        """(values, indices): x sorted along ``dim``; the values are gathered, so gradients flow
        back to where each value came from."""
        indices = self.argsort(dim, descending)
        if self.ndim == 0:
            return self, indices
        return self.gather(dim, indices), indices

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
        """(values, indices) of the ``k`` largest (or smallest) elements along ``dim``."""
        n = self.shape[_one_axis(self, dim, "topk")] if self.ndim else 1
        if not 0 <= k <= n:
            raise ValueError(f"topk: k={k} is out of range for a dimension of size {n}")
        if self.ndim == 0:
            return self, _constant(xp.zeros((), dtype=xp.int64))
        axis = _one_axis(self, dim, "topk")
        order = self.argsort(dim, descending=largest).data
        indices = _constant(xp.take(order, xp.arange(k), axis=axis))
        return self.gather(dim, indices), indices

    # ----- products and dtypes ----------------------------------------------------------------
    def outer(self, other):
        """(n,) and (m,) -> (n, m): out[i, j] = x[i] * other[j]."""
        if self.ndim != 1 or other.ndim != 1:
            raise ValueError(f"outer: needs two 1-D tensors, got {self.shape} and {other.shape}")
        return self.reshape(-1, 1) * other.reshape(1, -1)

    ger = outer

    def bmm(self, other):
        """Batched matrix product: (b, n, m) @ (b, m, p) -> (b, n, p), both 3-D."""
        if self.ndim != 3 or other.ndim != 3 or self.shape[0] != other.shape[0]:
            raise ValueError(
                f"bmm: needs two 3-D tensors with the same batch size, got {self.shape} and "
                f"{other.shape}; use matmul (@) for other shapes"
            )
        return self @ other

    def matmul(self, other):
        return self @ other

    def mm(self, other):
        if self.ndim != 2 or other.ndim != 2:
            raise ValueError(f"mm: needs two 2-D tensors, got {self.shape} and {other.shape}")
        return self @ other

    def dot(self, other):
        if self.ndim != 1 or other.ndim != 1:
            raise ValueError(f"dot: needs two 1-D tensors, got {self.shape} and {other.shape}")
        return self @ other

    def int(self):
        return self.to(xp.int32)

    def bool(self):
        return self.to(xp.bool_)

    def half(self):
        return self.to(xp.float16)

    def type(self, dtype=None):
        """With no argument, the dtype's name ('float32'); else the tensor converted to it."""
        if dtype is None:
            return str(self.dtype)
        return self.to(as_dtype(dtype))
