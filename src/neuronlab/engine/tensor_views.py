"""PyTorch's small shape helpers, as a base class of ``Tensor``: copies, views shaped like
another tensor, moving and narrowing axes, tiling, differences, and ``new_*`` constructors.

Each is one or two lines over reshape, permute, indexing and ``gather`` (so the gradients come
from those primitives), and each exists because code written for PyTorch calls it.
"""

from __future__ import annotations

from . import function
from .backend import as_dtype, check_device, xp
from .ops import shape as S
from .ops.reduce import normalize_axis


def _constant(array):
    return function._make_tensor(xp.asarray(array), False, None)


def _sizes(args) -> tuple:
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args


class TensorViews:
    """Shape helpers of ``Tensor`` (see the module docstring)."""

    __slots__ = ()

    def clone(self):
        """A copy that owns its data; gradients flow back to the original."""
        return self * 1 if self.requires_grad else _constant(self.data.copy())

    def contiguous(self):
        """The tensor itself: NumPy arrays need no contiguous copy for any op here."""
        return self

    def expand_as(self, other):
        return self.expand(*other.shape)

    def view_as(self, other):
        return self.reshape(other.shape)

    reshape_as = view_as

    def ravel(self):
        return self.reshape(-1)

    def t(self):
        """The transpose of a matrix (a vector or 0-d tensor is returned as it is)."""
        if self.ndim > 2:
            raise ValueError(
                f"t: expects a tensor with at most 2 dimensions, got {self.shape}; "
                "use transpose(dim0, dim1) or mT"
            )
        return self.transpose(0, 1) if self.ndim == 2 else self

    @property
    def mT(self):  # noqa: N802 - PyTorch's name
        """The last two axes swapped (a batch of matrices transposed)."""
        if self.ndim < 2:
            raise ValueError(f"mT: needs at least 2 dimensions, got shape {self.shape}")
        return self.transpose(-2, -1)

    def movedim(self, source, destination):
        """Axes ``source`` moved to positions ``destination``; the others keep their order."""
        src = normalize_axis(source, self.ndim, "movedim")
        dst = normalize_axis(destination, self.ndim, "movedim")
        if len(src) != len(dst):
            raise ValueError(
                f"movedim: source {source} and destination {destination} must "
                "name the same number of axes"
            )
        order = [a for a in range(self.ndim) if a not in src]
        for d, s in sorted(zip(dst, src)):
            order.insert(d, s)
        return self.permute(*order) if self.ndim else self

    moveaxis = movedim

    def narrow(self, dim: int, start: int, length: int):
        """The slice start:start + length along ``dim``."""
        axis = normalize_axis(dim, self.ndim, "narrow")[0]
        start, length = int(start), int(length)  # PyTorch also takes 0-d tensors here
        n = self.shape[axis]
        start = start + n if start < 0 else start
        if not 0 <= start <= n or length < 0 or start + length > n:
            raise ValueError(
                f"narrow: start {start} and length {length} do not fit dim {dim} of size {n}"
            )
        return self[(slice(None),) * axis + (slice(start, start + length),)]

    def select(self, dim: int, index: int):
        """The slice at ``index`` along ``dim`` (that axis removed)."""
        axis = normalize_axis(dim, self.ndim, "select")[0]
        return self[(slice(None),) * axis + (index,)]

    def unflatten(self, dim: int, sizes):
        """Axis ``dim`` split into ``sizes`` (one of them may be -1)."""
        axis = normalize_axis(dim, self.ndim, "unflatten")[0]
        return self.reshape(self.shape[:axis] + tuple(sizes) + self.shape[axis + 1 :])

    def tile(self, *dims):
        """``repeat`` with fewer counts than axes allowed (the missing leading counts are 1)."""
        dims = _sizes(dims)
        return self.repeat(*((1,) * (self.ndim - len(dims)) + tuple(dims)))

    def repeat_interleave(self, repeats, dim=None):
        """Each element (along ``dim``; of the flattened tensor when None) repeated ``repeats``
        times in place: [1, 2] -> [1, 1, 2, 2]."""
        x = self.reshape(-1) if dim is None else self
        axis = 0 if dim is None else normalize_axis(dim, x.ndim, "repeat_interleave")[0]
        counts = repeats.data if hasattr(repeats, "requires_grad") else repeats
        positions = xp.repeat(xp.arange(x.shape[axis]), counts)
        return x.index_select(axis, positions)

    def take_along_dim(self, indices, dim=None):
        """``gather`` after broadcasting ``indices`` against the tensor (NumPy's
        take_along_axis); with no ``dim``, on the flattened tensor."""
        idx = indices.data if hasattr(indices, "requires_grad") else xp.asarray(indices)
        if dim is None:
            return self.reshape(-1).gather(0, idx.reshape(-1))
        axis = normalize_axis(dim, self.ndim, "take_along_dim")[0]
        idx = xp.where(idx < 0, idx + self.shape[axis], idx)  # negative positions count back
        shape = list(
            xp.broadcast_shapes(
                tuple(n if a != axis else 1 for a, n in enumerate(self.shape)),
                tuple(n if a != axis else 1 for a, n in enumerate(idx.shape)),
            )
        )
        x = self.expand(*(shape[:axis] + [self.shape[axis]] + shape[axis + 1 :]))
        shape[axis] = idx.shape[axis]
        return x.gather(axis, xp.broadcast_to(idx, shape))

    def diff(self, n: int = 1, dim: int = -1, prepend=None, append=None):
        """x[i + 1] - x[i] along ``dim``, ``n`` times over, after joining ``prepend`` before and
        ``append`` after x along ``dim`` (a number stands for one slice of that value)."""
        axis = normalize_axis(dim, self.ndim, "diff")[0]
        out = self
        if prepend is not None or append is not None:
            out = S.Concatenate.apply(
                *[_edge(self, p, axis) for p in (prepend, self, append) if p is not None],
                axis=axis,
            )
        for _ in range(n):
            size = out.shape[axis]
            front = (slice(None),) * axis
            out = out[front + (slice(1, size),)] - out[front + (slice(0, max(size - 1, 0)),)]
        return out

    # ----- new tensors like this one (its dtype unless told) ------------------------------------
    def _new(self, array, device, requires_grad):
        check_device(device)
        t = _constant(array)
        return t.requires_grad_(True) if requires_grad else t

    def _new_dtype(self, dtype):
        return as_dtype(dtype) if dtype is not None else self.dtype

    def new_zeros(self, *size, dtype=None, device=None, requires_grad: bool = False):
        return self._new(xp.zeros(_sizes(size), self._new_dtype(dtype)), device, requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad: bool = False):
        return self._new(xp.ones(_sizes(size), self._new_dtype(dtype)), device, requires_grad)

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad: bool = False):
        array = xp.full(tuple(size), fill_value, self._new_dtype(dtype))
        return self._new(array, device, requires_grad)

    def new_tensor(self, data, dtype=None, device=None, requires_grad: bool = False):
        array = xp.array(data, self._new_dtype(dtype))
        return self._new(array, device, requires_grad)


def _edge(x, part, axis):
    """``part`` of diff's prepend/append as a tensor that joins x along ``axis``."""
    if part is x or hasattr(part, "requires_grad"):
        return part if part.dtype == x.dtype else part.to(x.dtype)
    shape = x.shape[:axis] + (1,) + x.shape[axis + 1 :]
    return _constant(xp.full(shape, part, dtype=x.dtype))
