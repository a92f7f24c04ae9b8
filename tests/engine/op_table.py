"""The engine's op table: one record per operation, which every table-driven test iterates.

Like PyTorch's OpInfo. A record (``OpInfo``) gives, for one operation:

* ``op``: the neuronlab function of tensors (a primitive's public route, or a composite),
* ``ref``: a NumPy reference of the forward, written independently of the engine,
* ``torch_ref``: the same computation in PyTorch (the oracle for forward and gradients),
* ``samples``: inputs -- shapes (random values drawn from the record's ``domain``) or fixed
  values -- and options, including ``()`` scalars and broadcasting pairs,
* ``domain``: where inputs are drawn so that the op is smooth there and central differences are
  valid (positive for log/sqrt, away from the kinks of abs/relu/max/clip),
* ``errors``: inputs that must raise, with the exception type and a regex of the message, which
  should name the op, show the shapes that arrived and say how to fix it.

Every name in ``neuronlab.engine.function.REGISTRY`` has a record of the same name that goes
through that primitive (``test_engine_op_table.py`` checks both), so a new primitive cannot go
untested. Known engine bugs are marked per sample and per kind of test (``Sample.bug``); the
tests turn them into strict xfails, so a fix shows up as an XPASS to remove the mark.
"""

from __future__ import annotations

import dataclasses
import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as TF

import neuronlab as nl
from neuronlab.engine.ops import fused as F
from neuronlab.engine.ops import matrix as M

# ----- the kinds of test a sample goes through (a known bug can be marked for some of them) -----
FORWARD = "forward"  # forward equals the NumPy reference (float64)
GRADCHECK = "gradcheck"  # neuronlab.gradcheck (float64 central differences)
TORCH = "torch"  # forward and every input gradient equal PyTorch's (float64)
FLOAT32 = "float32"  # float32 in -> float32 out, float32 leaf gradients
BACKWARD_DTYPE = "backward_dtype"  # every primitive's backward keeps float32 gradients float32
KINDS = (FORWARD, GRADCHECK, TORCH, FLOAT32, BACKWARD_DTYPE)

# ----- sample inputs ----------------------------------------------------------------------------
@dataclass(frozen=True)
class In:
    """One tensor input: random values of ``shape`` drawn from the record's domain, or the fixed
    ``value``. Floating values take the test's dtype unless ``dtype`` fixes one."""

    shape: tuple = ()
    value: Any = None
    grad: bool = True
    dtype: str | None = None

    def label(self) -> str:
        shape = self.shape if self.value is None else np.shape(self.value)
        fixed = "" if self.value is None else "fixed"
        return fixed + str(tuple(shape)).replace(" ", "") + ("" if self.grad else "const")


def Const(value, dtype=None) -> In:  # noqa: N802 - reads like a type in the table
    """A fixed input that does not require grad (labels, masks, class weights)."""
    return In(value=np.asarray(value), grad=False, dtype=dtype)


def Var(value) -> In:  # noqa: N802
    """A fixed input that requires grad (chosen points, e.g. each branch of erf)."""
    return In(value=np.asarray(value, dtype=np.float64))


@dataclass(frozen=True)
class Sample:
    """Positional ``args`` and keyword ``kwargs`` for op, ref and torch_ref. ``In`` entries become
    tensors (a bare tuple among ``args`` is shorthand for ``In(shape)``); anything else (axis,
    shape, index, a Python number) is passed unchanged."""

    args: tuple
    kwargs: dict
    id: str
    bugs: tuple = ()  # ((kind, reason), ...)

    def named(self, id: str) -> Sample:  # noqa: A002
        return dataclasses.replace(self, id=id)

    def bug(self, reason: str, *kinds: str) -> Sample:
        """Mark a known engine bug for these kinds of test (all kinds when none given)."""
        added = tuple((k, reason) for k in (kinds or KINDS))
        return dataclasses.replace(self, bugs=self.bugs + added)

    def bug_for(self, kind: str) -> str | None:
        return next((reason for k, reason in self.bugs if k == kind), None)


def _label(value) -> str:
    if isinstance(value, In):
        return value.label()
    if isinstance(value, np.ndarray):
        return f"array{value.shape}".replace(" ", "")
    return repr(value).replace(" ", "")


def S(*args, **kwargs) -> Sample:  # noqa: N802
    args = tuple(In(a) if isinstance(a, tuple) else a for a in args)
    parts = "&".join(_label(a) for a in args)
    options = ",".join(f"{k}={_label(v)}" for k, v in kwargs.items())
    return Sample(args, kwargs, f"{parts}|{options}" if options else parts)


@dataclass(frozen=True)
class Err:
    """Inputs (drawn in float32) on which ``op`` must raise ``exc`` with a message matching
    ``match``; ``bug`` marks a known engine bug (strict xfail)."""

    sample: Sample
    exc: type
    match: str
    bug: str | None = None


# ----- input domains ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Domain:
    """Where the random inputs of a sample are drawn (applied jointly to all of them)."""

    name: str
    transform: Callable  # (list of float64 arrays, rng) -> list of float64 arrays

    def __call__(self, arrays, rng):
        return self.transform(arrays, rng)


def _away_from_zero(arrays, rng):
    return [np.where(a < 0, -1.0, 1.0) * (np.abs(a) + 0.2) for a in arrays]


def _distinct(arrays, rng):
    """Every value distinct, 0.1 apart, and an odd multiple of 0.05 -- so there are no ties in
    max/maximum (even after broadcasting) and no value within 0.05 of clip's bounds +-0.5."""
    n = sum(a.size for a in arrays)
    grid = (rng.permutation(n) - n // 2) * 0.1 + 0.05
    out, start = [], 0
    for a in arrays:
        out.append(grid[start : start + a.size].reshape(a.shape))
        start += a.size
    return out


REAL = Domain("real: standard normal", lambda arrays, rng: arrays)
POSITIVE = Domain("positive: |N(0,1)| + 0.5", lambda arrays, rng: [np.abs(a) + 0.5 for a in arrays])
AWAY_FROM_ZERO = Domain("away from 0: |x| >= 0.2", _away_from_zero)
DISTINCT = Domain("distinct values 0.1 apart, odd multiples of 0.05", _distinct)


# ----- the record -------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpInfo:
    name: str
    op: Callable
    ref: Callable
    torch_ref: Callable
    samples: tuple
    domain: Domain = REAL
    errors: tuple = ()
    out_dtype: str | None = None  # a fixed output dtype (to("float64")); None: the input's
    gradcheck_options: dict = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "samples", tuple(self.samples))
        object.__setattr__(self, "errors", tuple(self.errors))


# ----- turning a sample into inputs for neuronlab, NumPy or PyTorch -----------------------------
def _arrays(op: OpInfo, sample: Sample, dtype):
    """The sample's inputs as NumPy arrays, deterministic per (record, sample)."""
    rng = np.random.default_rng(zlib.crc32(f"{op.name}/{sample.id}".encode()))
    slots = [("arg", i, a) for i, a in enumerate(sample.args) if isinstance(a, In)]
    slots += [("kw", k, v) for k, v in sample.kwargs.items() if isinstance(v, In)]
    drawn = {(w, k): rng.standard_normal(x.shape) for w, k, x in slots if x.value is None}
    drawn = dict(zip(drawn, op.domain(list(drawn.values()), rng)))
    arrays = {}
    for where, key, x in slots:
        a = drawn[where, key] if x.value is None else np.array(x.value)
        if x.dtype is not None:
            a = a.astype(x.dtype)
        elif a.dtype.kind == "f":
            a = a.astype(dtype)
        arrays[where, key] = a
    return slots, arrays


def _build(op, sample, dtype, convert):
    slots, arrays = _arrays(op, sample, dtype)
    made = {(w, k): convert(arrays[w, k], x.grad) for w, k, x in slots}
    args = [made.get(("arg", i), a) for i, a in enumerate(sample.args)]
    kwargs = {k: made.get(("kw", k), v) for k, v in sample.kwargs.items()}
    leaves = [made[w, k] for w, k, x in slots if x.grad]
    return args, kwargs, leaves


def neuronlab_inputs(op: OpInfo, sample: Sample, dtype=np.float64):
    """(args, kwargs, leaves): neuronlab tensors; ``leaves`` are those that require grad."""
    return _build(op, sample, dtype, lambda a, g: nl.Tensor(a, dtype=a.dtype, requires_grad=g))


def torch_inputs(op: OpInfo, sample: Sample, dtype=np.float64):
    return _build(op, sample, dtype, lambda a, g: torch.tensor(a, requires_grad=g))


def numpy_inputs(op: OpInfo, sample: Sample, dtype=np.float64):
    args, kwargs, _ = _build(op, sample, dtype, lambda a, g: a)
    return args, kwargs


def samples_for(kind: str):
    """(op, sample) pairs for a kind of test, as pytest params; known bugs become strict xfails."""
    import pytest

    params = []
    for op in OPS:
        for sample in op.samples:
            reason = sample.bug_for(kind)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(op, sample, id=f"{op.name}[{sample.id}]", marks=marks))
    return params


# ----- NumPy references, written from the formulas (not from the engine) -----------------------
def _np_log_softmax(x, axis=-1):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _np_cross_entropy(
    x, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0
):
    out_shape = np.shape(target)
    if x.ndim == 1:
        x, target = x[None], np.reshape(target, 1)
    C = x.shape[1]
    logp = _np_log_softmax(np.moveaxis(x, 1, -1).reshape(-1, C), axis=1)  # (rows, C)
    t = np.reshape(target, -1)
    w = np.ones(C) if weight is None else weight
    per, denominator = [], 0.0
    for row, label in zip(logp, t):
        if label == ignore_index:
            per.append(0.0)
            continue
        nll = -w[label] * row[label]
        smooth = -(w * row).sum()
        per.append((1 - label_smoothing) * nll + label_smoothing / C * smooth)
        denominator += w[label]
    per = np.array(per)
    if reduction == "none":
        return per.reshape(out_shape)
    total = per.sum()
    return total / denominator if reduction == "mean" else total


def _np_bce_with_logits(x, y, weight=None, pos_weight=None, reduction="mean"):
    log_p = -np.logaddexp(0, -x)  # log sigmoid(x)
    log_not_p = -np.logaddexp(0, x)  # log (1 - sigmoid(x))
    pw = 1.0 if pos_weight is None else pos_weight
    per = -(pw * y * log_p + (1 - y) * log_not_p)
    if weight is not None:
        per = per * weight
    return {"none": per, "sum": per.sum(), "mean": per.mean()}[reduction]


_np_erf = np.vectorize(math.erf, otypes=[np.float64])


# ----- small PyTorch helpers ----------------------------------------------------------------------
def _dims(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    return (axis,) if isinstance(axis, int) else tuple(axis)


def _torch_index(x, index):
    """x[index] in PyTorch: NumPy arrays become tensors; a negative-step slice becomes flip."""
    items = index if isinstance(index, tuple) else (index,)
    converted = []
    for axis, item in enumerate(items):
        if isinstance(item, slice) and item.step is not None and item.step < 0:
            assert item.start is None and item.stop is None and Ellipsis not in items[:axis]
            x = x.flip(axis)
            item = slice(None, None, -item.step)
        converted.append(torch.from_numpy(item) if isinstance(item, np.ndarray) else item)
    return x[tuple(converted) if isinstance(index, tuple) else converted[0]]


def _t_linear(x, W, b=None):
    return TF.linear(x, W, b)


def _nl_linear(x, W, b=None):
    return M.Linear.apply(x, W) if b is None else M.Linear.apply(x, W, b)


def _nl_cross_entropy(x, target, weight=None, **options):
    return F.CrossEntropy.apply(
        x, target, weight=None if weight is None else weight.data, **options
    )


def _nl_bce(x, y, weight=None, pos_weight=None, **options):
    return F.BCEWithLogits.apply(
        x,
        y,
        weight=None if weight is None else weight.data,
        pos_weight=None if pos_weight is None else pos_weight.data,
        **options,
    )


# ----- the shared sample sets -------------------------------------------------------------------
BROADCAST_PAIRS = (
    S((3, 4), (3, 4)),
    S((), ()),
    S((3, 1), (4,)),
    S((2, 3, 4), (4,)),
    S((), (2, 2)),
    S((2, 2), ()),
    S((2, 1, 3), (4, 1)),
)
UNARY = (S(()), S((5,)), S((3, 4)), S((2, 3, 4)))
SCALAR_OPERAND = (S((), c=2.5), S((3, 4), c=2.5), S((2, 3), c=-3))
REDUCE = (
    S(()),
    S((3, 4)),
    S((3, 4), axis=0),
    S((3, 4), axis=-1, keepdims=True),
    S((2, 3, 4), axis=(0, 2)),
    S((2, 3, 4), axis=1, keepdims=True),
    S((2, 3, 4), keepdims=True),
)
SOFTMAX = (S((5,)), S((3, 4)), S((3, 4), axis=0), S((2, 3, 4), axis=1), S(()))
MASK = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])
_BROADCAST_MESSAGE = r"cannot broadcast shapes \(3, 4\) and \(5,\) together.*x\.reshape\(-1, 1\)"


def _broadcast_error(op_name: str) -> Err:
    return Err(S((3, 4), (5,)), ValueError, rf"{op_name}: {_BROADCAST_MESSAGE}")


def _axis_error(op_name: str, exc=ValueError, **options) -> Err:
    return Err(
        S((3, 4), axis=5, **options),
        exc,
        rf"{op_name}.*axis 5.*\(3, 4\)|{op_name}.*axis 5.*2 dimensions",
    )


# ----- the table ---------------------------------------------------------------------------------
OPS: list[OpInfo] = [
    # --- element-wise, binary (primitives add, mul, pow, maximum, where and their composites) ---
    OpInfo(
        "add",
        lambda a, b: a + b,
        np.add,
        torch.add,
        BROADCAST_PAIRS,
        errors=[_broadcast_error("add")],
    ),
    OpInfo(
        "add_scalar", lambda x, c: x + c, lambda x, c: x + c, lambda x, c: x + c, SCALAR_OPERAND
    ),
    OpInfo("radd", lambda x, c: c + x, lambda x, c: c + x, lambda x, c: c + x, SCALAR_OPERAND),
    OpInfo(
        "radd_array",
        lambda x, m: m.data + x,
        lambda x, m: m + x,
        lambda x, m: m + x,
        [S((3, 4), Const(np.arange(4.0))), S((), Const(np.ones((2, 2))))],
    ),
    OpInfo(
        "sub",
        lambda a, b: a - b,
        np.subtract,
        torch.sub,
        BROADCAST_PAIRS,
        errors=[Err(S((3, 4), (5,)), ValueError, _BROADCAST_MESSAGE)],
    ),
    OpInfo(
        "sub_scalar", lambda x, c: x - c, lambda x, c: x - c, lambda x, c: x - c, SCALAR_OPERAND
    ),
    OpInfo("rsub", lambda x, c: c - x, lambda x, c: c - x, lambda x, c: c - x, SCALAR_OPERAND),
    OpInfo(
        "mul",
        lambda a, b: a * b,
        np.multiply,
        torch.mul,
        BROADCAST_PAIRS,
        errors=[_broadcast_error("mul")],
    ),
    OpInfo(
        "mul_scalar", lambda x, c: x * c, lambda x, c: x * c, lambda x, c: x * c, SCALAR_OPERAND
    ),
    OpInfo("rmul", lambda x, c: c * x, lambda x, c: c * x, lambda x, c: c * x, SCALAR_OPERAND),
    OpInfo(
        "div",
        lambda a, b: a / b,
        np.divide,
        torch.div,
        BROADCAST_PAIRS,
        domain=AWAY_FROM_ZERO,
        errors=[Err(S((3, 4), (5,)), ValueError, _BROADCAST_MESSAGE)],
    ),
    OpInfo(
        "div_scalar", lambda x, c: x / c, lambda x, c: x / c, lambda x, c: x / c, SCALAR_OPERAND
    ),
    OpInfo(
        "rdiv",
        lambda x, c: c / x,
        lambda x, c: c / x,
        lambda x, c: c / x,
        SCALAR_OPERAND,
        domain=AWAY_FROM_ZERO,
    ),
    OpInfo(
        "pow",
        lambda x, p: x**p,
        lambda x, p: x**p,
        lambda x, p: x**p,
        [
            S((3, 4), p=2),
            S((), p=3),
            S((5,), p=0.5),
            S((2, 3), p=-1),
            S((2, 3), p=1.5),
            S((4,), p=-2.5),
            S((3,), p=0),
        ],
        domain=POSITIVE,
    ),
    OpInfo(
        "pow_integer",
        lambda x, p: x**p,
        lambda x, p: x**p,
        lambda x, p: x**p,
        [S((3, 4), p=2), S((2, 3), p=3), S((), p=2)],
    ),
    OpInfo("pow_tensor", lambda a, b: a**b, np.power, torch.pow, BROADCAST_PAIRS, domain=POSITIVE),
    OpInfo(
        "rpow",
        lambda x, c: c**x,
        lambda x, c: c**x,
        lambda x, c: c**x,
        [S((), c=2.0), S((3, 4), c=2.0), S((2, 3), c=0.5)],
    ),
    OpInfo("neg", lambda x: -x, np.negative, torch.neg, UNARY),
    OpInfo(
        "maximum",
        nl.maximum,
        np.maximum,
        torch.maximum,
        list(BROADCAST_PAIRS),
        domain=DISTINCT,
        errors=[_broadcast_error("maximum")],
    ),
    OpInfo(
        "minimum",
        nl.minimum,
        np.minimum,
        torch.minimum,  # composed as -maximum(-a, -b)
        list(BROADCAST_PAIRS),
        domain=DISTINCT,
        errors=[_broadcast_error("maximum")],
    ),
    OpInfo(
        "where",
        lambda cond, a, b: nl.where(cond, a, b),
        np.where,
        torch.where,
        [
            S(Const(MASK), (), (3, 4)),
            S(Const(MASK), 2.0, (3, 4)),
            S(Const(MASK), (3, 4), (3, 4)),
            S(Const(MASK), (3, 1), (4,)),
            S(Const(MASK[0]), (3, 1), (3, 4)),
            S(Const(MASK), (3, 4), -1.0),
            S(Const(np.array(True)), (2, 2), ()),
        ],
        errors=[
            Err(
                S(Const(np.ones((2, 2), bool)), 1.0, (3,)),
                ValueError,
                r"where: cannot broadcast .*\(2, 2\).*\(3,\)",
            ),
            Err(
                S(Const(np.ones(3)), (3,), (3,)),
                TypeError,
                r"where: the condition must be boolean, got dtype float",
            ),
        ],
    ),
    # --- element-wise, unary ---
    OpInfo("exp", lambda x: x.exp(), np.exp, torch.exp, UNARY),
    OpInfo("log", lambda x: x.log(), np.log, torch.log, UNARY, domain=POSITIVE),
    OpInfo("sqrt", lambda x: x.sqrt(), np.sqrt, torch.sqrt, UNARY, domain=POSITIVE),
    OpInfo("abs", lambda x: x.abs(), np.abs, torch.abs, UNARY, domain=AWAY_FROM_ZERO),
    OpInfo(
        "tanh",
        lambda x: x.tanh(),
        np.tanh,
        torch.tanh,
        (*UNARY, S(Var([-20.0, -3.0, 0.0, 3.0, 20.0]))),
    ),
    OpInfo(
        "sigmoid",
        lambda x: x.sigmoid(),
        lambda x: np.exp(-np.logaddexp(0, -x)),
        torch.sigmoid,
        (*UNARY, S(Var([-100.0, -30.0, -3.0, 0.0, 3.0, 30.0, 100.0]))),
    ),
    OpInfo(
        "relu",
        lambda x: x.relu(),
        lambda x: np.maximum(x, 0),
        torch.relu,
        UNARY,
        domain=AWAY_FROM_ZERO,
    ),
    OpInfo(
        "erf",
        lambda x: x.erf(),
        _np_erf,
        torch.erf,
        # |x| <= 0.5, 0.5 < |x| <= 4 and |x| > 4 are three different formulas
        (*UNARY, S(Var([-5.0, -4.2, -2.0, -0.5, -0.3, 0.0, 0.1, 0.49, 0.7, 3.0, 4.5]))),
    ),
    OpInfo(
        "clip",
        lambda x, **bounds: x.clip(**bounds),
        lambda x, min=None, max=None: np.clip(x, min, max),  # noqa: A002
        lambda x, **bounds: torch.clamp(x, **bounds),
        [
            S((4, 5), min=-0.5, max=0.5),
            S((4, 5), min=-0.5),
            S((4, 5), max=0.5),
            S((), min=-0.5, max=0.5),
        ],
        domain=DISTINCT,
        errors=[Err(S((3,)), ValueError, r"clip: give at least one of min and max")],
    ),
    OpInfo(
        "cast",  # float64 -> float32 -> float64, so the float64 gradcheck goes through Cast
        lambda x: x.to("float32").to("float64"),
        lambda x: x.astype(np.float32).astype(np.float64),
        lambda x: x.to(torch.float32).to(torch.float64),
        [S(()), S((3, 4))],
        out_dtype="float64",
        gradcheck_options={"eps": 1e-2},  # float32 rounding in the middle: a wider step
    ),
    OpInfo(
        "to_float64",
        lambda x: x.to("float64"),
        lambda x: x.astype(np.float64),
        lambda x: x.to(torch.float64),
        [S(In((), dtype="float32")), S(In((3, 4), dtype="float32"))],
        out_dtype="float64",
    ),
    # --- reductions (primitives sum, max) ---
    OpInfo(
        "sum",
        lambda x, axis=None, keepdims=False: x.sum(axis, keepdims),
        lambda x, axis=None, keepdims=False: np.sum(x, axis=axis, keepdims=keepdims),
        lambda x, axis=None, keepdims=False: torch.sum(x, _dims(axis, x.ndim), keepdims),
        (*REDUCE, S((), axis=0)),
        errors=[_axis_error("sum")],
    ),
    OpInfo(
        "mean",
        lambda x, axis=None, keepdims=False: x.mean(axis, keepdims),
        lambda x, axis=None, keepdims=False: np.mean(x, axis=axis, keepdims=keepdims),
        lambda x, axis=None, keepdims=False: torch.mean(x, _dims(axis, x.ndim), keepdims),
        REDUCE,
        errors=[_axis_error("mean")],
    ),
    OpInfo(
        "max",
        lambda x, axis=None, keepdims=False: x.max(axis, keepdims),
        lambda x, axis=None, keepdims=False: np.max(x, axis=axis, keepdims=keepdims),
        lambda x, axis=None, keepdims=False: torch.amax(x, _dims(axis, x.ndim), keepdims),
        list(REDUCE) + [S((), axis=0)],
        domain=DISTINCT,
        errors=[
            _axis_error("max"),
            Err(S((0,)), ValueError, r"max: cannot take the maximum of an empty tensor"),
        ],
    ),
    OpInfo(
        "min",
        lambda x, axis=None, keepdims=False: x.min(axis, keepdims),
        lambda x, axis=None, keepdims=False: np.min(x, axis=axis, keepdims=keepdims),
        lambda x, axis=None, keepdims=False: torch.amin(x, _dims(axis, x.ndim), keepdims),
        list(REDUCE),
        domain=DISTINCT,
    ),
    OpInfo(
        "var",
        lambda x, axis=None, keepdims=False, correction=1: x.var(
            axis, keepdims=keepdims, correction=correction
        ),
        lambda x, axis=None, keepdims=False, correction=1: np.var(
            x, axis=axis, keepdims=keepdims, ddof=correction
        ),
        lambda x, axis=None, keepdims=False, correction=1: torch.var(
            x, _dims(axis, x.ndim), correction=correction, keepdim=keepdims
        ),
        [
            S((3, 4)),
            S((3, 4), axis=0, correction=0),
            S((2, 3, 4), axis=(0, 2), keepdims=True),
            S((6,), correction=2),
            S((3, 4), axis=-1, keepdims=True),
            S((), correction=0),
            S((2, 3, 4), keepdims=True),
        ],
        errors=[_axis_error("var")],
    ),
    OpInfo(
        "softmax",
        lambda x, axis=-1: x.softmax(axis),
        lambda x, axis=-1: np.exp(_np_log_softmax(x, axis)),
        lambda x, axis=-1: torch.softmax(x, axis),
        SOFTMAX,
        errors=[_axis_error("softmax")],
    ),
    OpInfo(
        "log_softmax",
        lambda x, axis=-1: x.log_softmax(axis),
        _np_log_softmax,
        lambda x, axis=-1: torch.log_softmax(x, axis),
        SOFTMAX,
        errors=[_axis_error("log_softmax")],
    ),
    # --- shape and indexing (primitives reshape, permute, expand, getitem, concatenate) ---
    OpInfo(
        "reshape",
        lambda x, shape: x.reshape(shape),
        lambda x, shape: np.reshape(x, shape),
        lambda x, shape: torch.reshape(x, shape),
        [
            S((3, 4), shape=(4, 3)),
            S((3, 4), shape=(2, 6)),
            S((3, 4), shape=(-1,)),
            S((2, 3, 4), shape=(6, -1)),
            S((), shape=(1, 1)),
            S((1,), shape=()),
            S((2, 3), shape=(2, 3)),
        ],
        errors=[
            Err(
                S((2, 3), shape=(4,)),
                ValueError,
                r"reshape: cannot reshape a tensor of shape \(2, 3\) \(6 elements\).*"
                r"\(4,\).*same number of elements.*-1",
            )
        ],
    ),
    OpInfo(
        "permute",
        lambda x, axes: x.permute(*axes),
        lambda x, axes: np.transpose(x, axes),
        lambda x, axes: torch.permute(x, axes),
        [
            S((2, 3, 4), axes=(2, 0, 1)),
            S((3, 4), axes=(1, 0)),
            S((2, 3, 4), axes=(-1, 0, 1)),
            S((), axes=()),
        ],
        errors=[
            Err(
                S((3, 4), axes=(0, 0)),
                ValueError,
                r"permute: \(0, 0\) is not an ordering of the 2 axes of a tensor of shape "
                r"\(3, 4\); give each axis 0..1 exactly once",
            )
        ],
    ),
    OpInfo(
        "transpose",
        lambda x, *dims: x.transpose(*dims),
        lambda x, *dims: np.swapaxes(x, *(dims or (-2, -1))),
        lambda x, *dims: torch.transpose(x, *(dims or (-2, -1))),
        [S((3, 4)), S((2, 3, 4)), S((2, 3, 4), 0, 2), S((2, 3, 4), 1, -3)],
    ),
    OpInfo(
        "T",
        lambda x: x.T,
        lambda x: x.T,
        lambda x: x.permute(tuple(reversed(range(x.ndim)))),
        [S(()), S((5,)), S((3, 4)), S((2, 3, 4))],
    ),
    OpInfo(
        "flatten",
        lambda x, *dims: x.flatten(*dims),
        lambda x, start=0, end=-1: (
            np.reshape(x, x.shape[:start] + (-1,) + x.shape[end % max(x.ndim, 1) + 1 :])
            if x.ndim
            else x.reshape(1)
        ),
        lambda x, *dims: torch.flatten(x, *dims),
        [S((2, 3, 4)), S((2, 3, 4), 1), S((2, 3, 4, 1), 1, 2), S(()), S((5,))],
    ),
    OpInfo(
        "squeeze",
        lambda x, *axis: x.squeeze(*axis),
        lambda x, *axis: np.squeeze(x, *axis) if not axis or x.shape[axis[0]] == 1 else x,
        lambda x, *axis: torch.squeeze(x, *axis),
        [S((1, 3, 1)), S((1, 3, 1), 0), S((1, 3, 1), -1), S((1, 3, 1), 1), S((3, 4))],
    ),
    OpInfo(
        "unsqueeze",
        lambda x, axis: x.unsqueeze(axis),
        np.expand_dims,
        torch.unsqueeze,
        [S((3, 4), 0), S((3, 4), -1), S((3, 4), 1), S((), 0)],
    ),
    OpInfo(
        "expand",
        lambda x, shape: x.expand(*shape),
        lambda x, shape: np.broadcast_to(
            x,
            tuple(
                o if n == -1 else n for o, n in zip((1,) * (len(shape) - x.ndim) + x.shape, shape)
            ),
        ),
        lambda x, shape: x.expand(*shape),
        [
            S((3, 1), shape=(3, 4)),
            S((4,), shape=(2, 3, 4)),
            S((), shape=(2, 2)),
            S((1, 4), shape=(3, -1)),
            S((2, 1, 3), shape=(2, 4, 3)),
        ],
        errors=[
            Err(
                S((3, 4), shape=(5, 4)),
                ValueError,
                r"expand: cannot expand shape \(3, 4\).*\(5,4\).*Only dimensions of size 1",
            )
        ],
    ),
    OpInfo(
        "getitem",
        lambda x, index, as_tensor=False: x[nl.tensor(index) if as_tensor else index],
        lambda x, index, as_tensor=False: x[index],
        lambda x, index, as_tensor=False: _torch_index(x, index),
        [
            S((5, 4), index=slice(1, 3)),
            S((5, 4), index=1),
            S((5, 4), index=-1),
            S((5, 4), index=(None, slice(None, None, 2))),
            S((2, 3, 4), index=(Ellipsis, 1)),
            S((2, 3, 4), index=(1, Ellipsis, None)),
            S((5, 4), index=(slice(None, None, -2), slice(1, None))),
            S((5, 4), index=np.array([0, 0, 2])).named("ints-repeated"),
            S((5, 4), index=[3, 3, 1]).named("list-repeated"),
            S((5, 4), index=(np.array([1, 1, 0]), np.array([0, 0, 3]))).named("pairs-repeated"),
            S((5, 4), index=(slice(None), np.array([3, 3]))).named("slice+ints"),
            S((5,), index=np.array([True, False, True, True, False])).named("bool-mask"),
            S((3, 4), index=MASK).named("bool-mask-2d"),
            S((5, 4), index=np.array([2, 2]), as_tensor=True).named("tensor-index"),
            S((5,), index=np.int64(2)).named("numpy-int"),
        ],
        errors=[
            Err(S((3, 4), index=5), IndexError, r"getitem: index 5 does not fit shape \(3, 4\)")
        ],
    ),
    OpInfo(
        "concatenate",
        lambda *xs, axis=0: nl.concatenate(list(xs), axis=axis),
        lambda *xs, axis=0: np.concatenate(xs, axis=axis),
        lambda *xs, axis=0: torch.cat(xs, dim=axis),
        [
            S((2, 3), (4, 3)),
            S((2, 3), (2, 1), (2, 2), axis=1),
            S((2, 3), (2, 2), axis=-1),
            S((3,), (2,)),
            S((2, 3), In((1, 3), grad=False)),
        ],
        errors=[
            Err(
                S((3, 4), (3, 5)),
                ValueError,
                r"concatenate: shapes \(3, 4\) and \(3, 5\) cannot be joined along axis 0: "
                r"all dimensions except that axis must match",
            )
        ],
    ),
    OpInfo(
        "stack",
        lambda *xs, axis=0: nl.stack(list(xs), axis=axis),
        lambda *xs, axis=0: np.stack(xs, axis=axis),
        lambda *xs, axis=0: torch.stack(xs, dim=axis),
        [S((3, 4), (3, 4)), S((3, 4), (3, 4), (3, 4), axis=-1), S((), ()), S((2,), (2,), axis=1)],
        errors=[
            Err(
                S((3, 4), (3, 5)),
                ValueError,
                r"stack: all tensors must have the same shape, got \[\(3, 4\), \(3, 5\)\]",
            )
        ],
    ),
    # --- matrix products (primitives matmul, linear) ---
    OpInfo(
        "matmul",
        lambda a, b: a @ b,
        np.matmul,
        torch.matmul,
        [
            S((3, 4), (4, 5)),
            S((2, 3, 4), (4, 5)),
            S((3, 4), (2, 4, 5)),
            S((2, 1, 3, 4), (5, 4, 2)),
            S((4,), (4, 5)),
            S((3, 4), (4,)),
            S((2, 3, 4), (4,)),
            S((4,), (2, 4, 5)),
            S((4,), (4,)),  # a dot product
        ],
        errors=[
            Err(
                S((32, 128), (256, 10)),
                ValueError,
                r"matmul: shapes \(32, 128\) and \(256, 10\) do not line up: the last dimension "
                r"of the left operand \(128\) must equal the second-to-last dimension of the "
                r"right operand \(256\)\. Transpose one operand",
            ),
            Err(
                S((3, 4), (5,)),
                ValueError,
                r"matmul: shapes \(3, 4\) and \(5,\) do not line up.*first dimension",
            ),
            Err(
                S((), (3,)),
                ValueError,
                r"matmul: both operands need at least 1 dimension, got shapes \(\) and \(3,\)",
            ),
        ],
    ),
    OpInfo(
        "rmatmul",
        lambda x, m: m.data @ x,
        lambda x, m: m @ x,
        lambda x, m: m @ x,
        [
            S((4, 5), Const(np.arange(12.0).reshape(3, 4) / 10)),
            S((4,), Const(np.arange(12.0).reshape(3, 4) / 10)),
        ],
    ),
    OpInfo(
        "linear",
        _nl_linear,
        lambda x, W, b=None: x @ W.T + (0 if b is None else b),
        _t_linear,
        [
            S((4, 3), (2, 3), (2,)),
            S((4, 3), (2, 3)),
            S((2, 5, 3), (2, 3), (2,)),
            S((3,), (2, 3), (2,)),
            S(In((4, 3), grad=False), (2, 3), (2,)),
        ],
        errors=[
            Err(
                S((32, 128), (10, 256)),
                ValueError,
                r"linear.*\(32, 128\).*\(10, 256\)",
            )
        ],
    ),
    # --- fused softmax + losses (primitives cross_entropy, bce_with_logits) ---
    OpInfo(
        "cross_entropy",
        _nl_cross_entropy,
        _np_cross_entropy,
        lambda x, target, **options: TF.cross_entropy(x, target, **options),
        [
            S((4, 3), Const([0, 2, 1, 2])),
            S((4, 3), Const([0, 2, 1, 2]), reduction="sum"),
            S((4, 3), Const([0, 2, 1, 2]), reduction="none"),
            S((4, 3), Const([0, 2, 1, 2]), weight=Const([0.2, 1.0, 3.0])),
            S((4, 3), Const([0, 2, 1, 2]), weight=Const([0.2, 1.0, 3.0]), reduction="sum"),
            S((4, 3), Const([0, 2, 1, 2]), label_smoothing=0.1),
            S((4, 3), Const([0, 2, 1, 2]), label_smoothing=0.2, weight=Const([0.2, 1.0, 3.0])),
            S((4, 3), Const([0, -100, 1, 2])).named("ignored-label"),
            S((4, 3), Const([0, 1, 1, 7]), ignore_index=7, reduction="none"),
            S(
                (4, 3), Const([0, -100, 1, 2]), label_smoothing=0.3, weight=Const([0.2, 1.0, 3.0])
            ).named("ignored-label,smoothing,weight"),
            S((2, 3, 5), Const([[0, 1, 2, 0, 1], [2, 2, 1, 0, 0]])),
            S((2, 3, 5), Const([[0, 1, 2, 0, 1], [2, 2, 1, 0, 0]]), reduction="none"),
            S(
                (2, 3, 2, 2),
                Const([[[0, 1], [2, 0]], [[1, 2], [-100, 0]]]),
                weight=Const([1.0, 0.5, 2.0]),
                label_smoothing=0.1,
            ),
            S((3,), Const(1)),
            S((3,), Const(1), reduction="none"),
        ],
        errors=[
            Err(
                S((4, 3), Const([0.0, 1.0, 2.0, 1.0])),
                TypeError,
                r"cross_entropy: expected class indices as integers \(int64\) of shape \(4,\), "
                r"got dtype float32\. Convert the labels",
            ),
            Err(
                S((4, 3), Const([0, 1, 3, 1])),
                ValueError,
                r"cross_entropy: target 3 is out of range for 3 classes \(valid: 0 to 2\)",
            ),
            Err(
                S((4, 3), Const(np.eye(4, 3, dtype=np.int64))),
                ValueError,
                r"cross_entropy: logits of shape \(4, 3\) .*need targets of shape \(4,\), got "
                r"\(4, 3\)\. Pass one class index per example",
            ),
            Err(
                S((4, 3), Const([0, 1, 2, 1]), reduction="avg"),
                ValueError,
                r"cross_entropy: reduction must be one of \('mean', 'sum', 'none'\), got 'avg'",
            ),
        ],
    ),
    OpInfo(
        "bce_with_logits",
        _nl_bce,
        _np_bce_with_logits,
        lambda x, y, **options: TF.binary_cross_entropy_with_logits(x, y, **options),
        [
            S((4, 3), Const(np.eye(4, 3))),
            S((4, 3), Const(np.eye(4, 3)), reduction="sum"),
            S((4, 3), Const(np.eye(4, 3)), reduction="none"),
            S((4, 3), Const([[0.1, 0.9, 0.5]] * 4)).named("soft-targets"),
            S((4, 3), Const(np.eye(4, 3)), weight=Const([0.5, 1.0, 2.0])),
            S((4, 3), Const(np.eye(4, 3)), pos_weight=Const([3.0, 1.0, 0.5])),
            S(
                (4, 3),
                Const(np.eye(4, 3)),
                weight=Const(np.linspace(0.1, 1.2, 12).reshape(4, 3)),
                pos_weight=Const([3.0, 1.0, 0.5]),
                reduction="sum",
            ),
            S((4, 3), Const(np.eye(4, 3)), pos_weight=Const([3.0, 1.0, 0.5]), reduction="none"),
            S((5,), Const([1.0, 0.0, 1.0, 1.0, 0.0])),
            S((), Const(1.0)),
        ],
        errors=[
            Err(
                S((3, 1), Const([1.0, 0.0, 1.0])),
                ValueError,
                r"binary_cross_entropy_with_logits: targets of shape \(3,\) do not match logits "
                r"of shape \(3, 1\); reshape the targets",
            ),
            Err(
                S((3,), Const([1.0, 0.0, 1.0]), reduction="avg"),
                ValueError,
                r"bce_with_logits: reduction must be one of \('mean', 'sum', 'none'\), got 'avg'",
            ),
        ],
    ),
]



def _extension_records() -> list[OpInfo]:
    """Records kept beside their subject in ``op_table_<topic>.py`` files (conv, recurrent, ...):
    each such module defines ``RECORDS``, a list of ``OpInfo``, built with this module's helpers."""
    import importlib
    import pkgutil
    from pathlib import Path

    records = []
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if info.name.startswith("op_table_"):
            module = importlib.import_module(f"{__package__}.{info.name}" if __package__ else
                                             info.name)
            records.extend(module.RECORDS)
    return records


OPS.extend(_extension_records())
OPS_BY_NAME = {op.name: op for op in OPS}
