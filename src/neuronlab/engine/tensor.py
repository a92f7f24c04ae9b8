"""``Tensor``: an n-dimensional array that remembers how it was computed.

A tensor holds ``data`` (a NumPy array) and, once ``backward()`` has run, ``grad`` (an array of the
same shape). A tensor made by an op keeps that op in ``_op``; the op keeps its inputs, so every
result can say where it came from (``neuronlab.graph``). Methods here only route to the primitive
ops in ``ops/`` or compose them; no gradient formula lives in this file.
"""

from __future__ import annotations

import numbers

from . import function
from .autograd import backward as _backward
from .backend import DEFAULT_FLOAT, as_dtype, is_floating, ndarray, xp
from .ops import elementwise as E
from .ops import fused as F
from .ops import matrix as M
from .ops import reduce as R
from .ops import shape as S
from .ops.reduce import normalize_axis


def _to_array(data, dtype):
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return xp.array(data, dtype=as_dtype(dtype))
    arr = xp.array(data)
    if arr.dtype.kind == "f":
        return arr if arr.dtype == DEFAULT_FLOAT else arr.astype(DEFAULT_FLOAT)
    if arr.dtype.kind in "iu":
        return arr.astype(xp.int64, copy=False)
    if arr.dtype.kind == "b":
        return arr
    raise TypeError(
        f"Tensor: cannot make a tensor from data of dtype {arr.dtype} ({type(data).__name__}); "
        "pass numbers, nested lists of numbers, or a numeric NumPy array"
    )


class Tensor:
    """An array with reverse-mode automatic differentiation.

    Floating point data becomes float32 unless ``dtype`` says otherwise (``dtype="float64"`` for
    gradient checks); integers become int64. Only floating tensors can require grad.

    >>> import neuronlab as nl
    >>> x = nl.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad.tolist()
    [2.0, 4.0, 6.0]
    """

    __slots__ = ("data", "grad", "requires_grad", "_op", "_retains_grad", "name")
    __array_ufunc__ = None  # NumPy defers to Tensor's reflected operators (array + tensor works)

    def __init__(self, data, requires_grad: bool = False, dtype=None, name: str | None = None):
        self.data = _to_array(data, dtype)
        self.grad = None
        self._op = None
        self._retains_grad = False
        self.name = name
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # ----- properties ------------------------------------------------------------------------
    shape = property(lambda self: self.data.shape, doc="The shape, a tuple of ints.")
    dtype = property(lambda self: self.data.dtype, doc="The NumPy dtype of ``data``.")
    ndim = property(lambda self: self.data.ndim, doc="The number of dimensions.")

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user (parameters, inputs), False for results of ops."""
        return self._op is None

    @property
    def grad_fn(self):
        """The op that produced this tensor (None for a leaf)."""
        return self._op

    @property
    def T(self) -> Tensor:  # noqa: N802 - PyTorch's and NumPy's name
        """All axes reversed (the transpose, for a matrix)."""
        return self.permute(*reversed(range(self.ndim)))

    def numel(self) -> int:
        return int(self.data.size)

    def size(self, dim: int | None = None):
        return self.data.shape if dim is None else self.data.shape[dim]

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if requires_grad and not is_floating(self.data.dtype):
            raise TypeError(
                f"only floating point tensors can require gradients, this one is "
                f"{self.data.dtype}; create it with floats or dtype='float32'"
            )
        if not requires_grad and self._op is not None:
            raise RuntimeError("requires_grad_(False) only works on leaves; use .detach()")
        self.requires_grad = requires_grad
        return self

    @property
    def retains_grad(self) -> bool:
        """Whether backward keeps this (non-leaf) tensor's gradient in ``.grad``."""
        return self._retains_grad

    def retain_grad(self) -> Tensor:
        """Keep this intermediate tensor's gradient in ``.grad`` after backward (leaves always
        do)."""
        self._retains_grad = True
        return self

    def numpy(self) -> ndarray:
        """The data as a NumPy array (shared, not copied)."""
        return self.data

    def item(self):
        if self.data.size != 1:
            raise ValueError(
                f"item() needs a tensor with exactly one element, this one has shape {self.shape}"
            )
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def detach(self) -> Tensor:
        """The same data as a new leaf that does not require grad (cuts the graph here)."""
        return _make(self.data, False, None)

    def backward(self, grad=None, retain_graph: bool = False) -> None:
        """Compute gradients of this tensor with respect to every leaf that requires grad.

        For a scalar (a loss) no argument is needed. Otherwise pass ``grad``, the gradient of some
        final scalar with respect to this tensor, with this tensor's shape. The graph's saved
        values are freed afterwards unless ``retain_graph=True``.
        """
        _backward(self, grad, retain_graph)

    def to(self, dtype) -> Tensor:
        dtype = as_dtype(dtype)
        if dtype == self.data.dtype:
            return self
        if self.requires_grad and is_floating(dtype):
            return E.Cast.apply(self, dtype=dtype)
        return _make(self.data.astype(dtype), False, None)

    def float(self) -> Tensor:
        return self.to(xp.float32)

    def double(self) -> Tensor:
        return self.to(xp.float64)

    def long(self) -> Tensor:
        return self.to(xp.int64)

    # ----- representation --------------------------------------------------------------------
    def __repr__(self) -> str:
        body = xp.array2string(self.data, precision=4, separator=", ", prefix="tensor(")
        extras = []
        if self.data.dtype != DEFAULT_FLOAT:
            extras.append(f"dtype={self.data.dtype}")
        if self._op is not None:
            extras.append(f"op={self._op.describe()}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return f"tensor({body}{''.join(', ' + e for e in extras)})"

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError(
                f"the truth value of a tensor of shape {self.shape} is ambiguous; "
                "use (t > 0).any() or .all()"
            )
        return bool(self.data)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    __hash__ = object.__hash__  # tensors are hashable by identity, as in PyTorch

    # ----- arithmetic (routing to primitives, or composing them) ------------------------------
    def _lift(self, other) -> Tensor:
        if isinstance(other, Tensor):
            return other
        if isinstance(other, numbers.Number) and not isinstance(other, bool):
            dtype = self.data.dtype
            if not is_floating(dtype) and isinstance(other, float):
                dtype = DEFAULT_FLOAT
            return _make(xp.asarray(other, dtype=dtype), False, None)
        return Tensor(other, dtype=self.data.dtype if is_floating(self.data.dtype) else None)

    def __add__(self, other):
        return E.Add.apply(*_promote(self, self._lift(other)))

    def __radd__(self, other):
        return E.Add.apply(*_promote(self._lift(other), self))

    def __mul__(self, other):
        return E.Mul.apply(*_promote(self, self._lift(other)))

    def __rmul__(self, other):
        return E.Mul.apply(*_promote(self._lift(other), self))

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        if isinstance(other, numbers.Number):
            return self + (-other)
        return self + (-self._lift(other))

    def __rsub__(self, other):
        return self._lift(other) + (-self)

    def __truediv__(self, other):
        x = self if is_floating(self.data.dtype) else self.float()  # true division gives floats
        if isinstance(other, numbers.Number) and other != 0:
            return x * (1.0 / other)
        return x * _reciprocal(x._lift(other))

    def __rtruediv__(self, other):
        x = self if is_floating(self.data.dtype) else self.float()
        return x._lift(other) * _reciprocal(x)

    def __pow__(self, exponent):
        if isinstance(exponent, numbers.Number):
            exponent = exponent.item() if hasattr(exponent, "item") else exponent  # NumPy scalar
            return E.Pow.apply(self, p=exponent)
        return E.PowTensor.apply(*_promote(self, self._lift(exponent)))

    def __rpow__(self, base):
        return E.PowTensor.apply(*_promote(self._lift(base), self))

    def __matmul__(self, other):
        return M.MatMul.apply(*_promote(self, self._lift(other)))

    def __rmatmul__(self, other):
        return M.MatMul.apply(*_promote(self._lift(other), self))

    # comparisons give boolean tensors and are never differentiated
    def _compare(self, other, ufunc):
        other = other.data if isinstance(other, Tensor) else other
        return _make(ufunc(self.data, other), False, None)

    def __lt__(self, other):
        return self._compare(other, xp.less)

    def __le__(self, other):
        return self._compare(other, xp.less_equal)

    def __gt__(self, other):
        return self._compare(other, xp.greater)

    def __ge__(self, other):
        return self._compare(other, xp.greater_equal)

    def __eq__(self, other):
        return self._compare(other, xp.equal)

    def __ne__(self, other):
        return self._compare(other, xp.not_equal)

    def __getitem__(self, index):
        return S.GetItem.apply(self, index=_plain_index(index))

    # ----- element-wise functions ------------------------------------------------------------
    def exp(self):
        return E.Exp.apply(self)

    def log(self):
        return E.Log.apply(self)

    def sqrt(self):
        return self**0.5

    def abs(self):
        return E.Abs.apply(self)

    def tanh(self):
        return E.Tanh.apply(self)

    def sigmoid(self):
        return E.Sigmoid.apply(self)

    def relu(self):
        return E.ReLU.apply(self)

    def erf(self):
        return E.Erf.apply(self)

    def clip(self, min=None, max=None):  # noqa: A002 - PyTorch's argument names
        if min is None and max is None:
            raise ValueError("clip: give at least one of min and max")
        return E.Clip.apply(self, low=min, high=max)

    clamp = clip

    # ----- reductions ------------------------------------------------------------------------
    def sum(self, axis=None, keepdims: bool = False):
        return R.Sum.apply(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims: bool = False):
        count = _reduced_count(self.shape, axis, "mean")
        return self.sum(axis, keepdims) * (1.0 / count if count else float("nan"))

    def max(self, axis=None, keepdims: bool = False):
        return R.Max.apply(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims: bool = False):
        return -((-self).max(axis, keepdims))

    def var(self, axis=None, keepdims: bool = False, correction: int = 1):
        """Variance: sum((x - mean)^2) / (n - correction). correction=1 (the default, as in
        PyTorch) gives the unbiased estimate; correction=0 gives NumPy's default."""
        dof = _reduced_count(self.shape, axis, "var") - correction
        centered = self - self.mean(axis, keepdims=True)
        # like PyTorch: no degrees of freedom left gives inf (or nan for 0 / 0)
        return (centered * centered).sum(axis, keepdims) * (1.0 / dof if dof > 0 else float("inf"))

    def argmax(self, axis=None, keepdims: bool = False) -> Tensor:
        return _make(xp.argmax(self.data, axis=axis, keepdims=keepdims), False, None)

    def argmin(self, axis=None, keepdims: bool = False) -> Tensor:
        return _make(xp.argmin(self.data, axis=axis, keepdims=keepdims), False, None)

    def softmax(self, axis: int = -1):
        return F.Softmax.apply(self, axis=axis)

    def log_softmax(self, axis: int = -1):
        return F.LogSoftmax.apply(self, axis=axis)

    # ----- shape -----------------------------------------------------------------------------
    def reshape(self, *shape):
        shape = _shape_args(shape)
        if shape == self.shape:
            return self
        return S.Reshape.apply(self, shape=shape)

    view = reshape

    def permute(self, *axes):
        axes = _shape_args(axes)
        if sorted(a % max(self.ndim, 1) for a in axes) != list(range(self.ndim)):
            raise ValueError(
                f"permute: {axes} is not an ordering of the {self.ndim} axes of a tensor of shape "
                f"{self.shape}; give each axis 0..{self.ndim - 1} exactly once"
            )
        return S.Permute.apply(self, axes=tuple(a % self.ndim for a in axes))

    def transpose(self, dim0: int = -2, dim1: int = -1):
        axes = list(range(self.ndim))
        axes[dim0], axes[dim1] = axes[dim1], axes[dim0]
        return self.permute(*axes)

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        if self.ndim == 0:
            return self.reshape(1)
        start, end = (normalize_axis(d, self.ndim, "flatten")[0] for d in (start_dim, end_dim))
        if start > end:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for "
                             f"a tensor of shape {self.shape}")
        return self.reshape(self.shape[:start] + (-1,) + self.shape[end + 1 :])

    def squeeze(self, axis=None):
        if axis is None:
            return self.reshape(tuple(n for n in self.shape if n != 1))
        if self.ndim == 0:
            normalize_axis(axis, 0, "squeeze")
            return self
        axis = normalize_axis(axis, self.ndim, "squeeze")[0]
        if self.shape[axis] != 1:
            return self
        return self.reshape(self.shape[:axis] + self.shape[axis + 1 :])

    def unsqueeze(self, axis: int):
        axis = axis % (self.ndim + 1)
        return self.reshape(self.shape[:axis] + (1,) + self.shape[axis:])

    def expand(self, *shape):
        shape = _shape_args(shape)
        shape = tuple(
            old if new == -1 else new
            for old, new in zip((None,) * (len(shape) - self.ndim) + self.shape, shape)
        )
        return S.Expand.apply(self, shape=shape)


def _make(data, requires_grad, op) -> Tensor:
    """Build a tensor around an existing array without converting it (the ops' fast path)."""
    t = Tensor.__new__(Tensor)
    t.data = data
    t.grad = None
    t.requires_grad = requires_grad
    t._op = op
    t._retains_grad = False
    t.name = None
    return t


function.register_tensor_factory(_make)


def _promote(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """PyTorch's type promotion for two operands: an integer or boolean operand takes the
    floating operand's dtype (NumPy would make float32 + int64 a float64)."""
    da, db = a.data.dtype, b.data.dtype
    if da == db:
        return a, b
    fa, fb = is_floating(da), is_floating(db)
    if fa and not fb:
        return a, _make(b.data.astype(da), False, None)
    if fb and not fa:
        return _make(a.data.astype(db), False, None), b
    return a, b


def _reciprocal(t: Tensor) -> Tensor:
    """1 / t, where 1 / 0 is inf as in IEEE arithmetic (and PyTorch)."""
    t = t if is_floating(t.data.dtype) else t.float()
    with xp.errstate(divide="ignore"):
        return t**-1


def _shape_args(args) -> tuple:
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def _plain_index(index):
    """Replace tensors inside an index by their arrays."""
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    if isinstance(index, list):
        return xp.asarray(index)
    return index


def _reduced_count(shape, axis, who) -> int:
    axes = R.normalize_axis(axis, len(shape), who)
    count = 1
    for a in axes:
        count *= shape[a]
    return count
