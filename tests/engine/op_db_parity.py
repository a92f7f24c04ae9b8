"""PyTorch's own per-op sample inputs, run through neuronlab: the parity harness.

PyTorch keeps one ``OpInfo`` record per operator (``torch.testing._internal.
common_methods_invocations.op_db``), each with ``sample_inputs(device, dtype, requires_grad)``:
the awkward cases its own test-suite checks (empty tensors, 0-d tensors, broadcasting, negative
dims, keyword options). This module maps each record to the neuronlab call that corresponds to
it, translates every sample (PyTorch tensors become neuronlab tensors of the same dtype and
``requires_grad``), and compares the values, shapes and dtypes of the outputs and the gradients of
every input with PyTorch's.

A sample ends in one of these outcomes:

* ``passed``: same shapes, dtypes, values and gradients as PyTorch;
* ``failed``: a different answer, a missing gradient, or an error that does not say why (a raw
  ``IndexError``, ``AttributeError``...);
* skipped, by reason: ``op missing`` (no neuronlab counterpart), ``kwarg unsupported`` (the
  call uses an option the engine does not have), ``dtype unsupported`` (PyTorch does not
  support the dtype for that op, or neuronlab lacks it, e.g. complex), ``refused`` (the engine
  raises a ``ValueError``/``TypeError`` with a message, on input PyTorch accepts), or
  ``not comparable`` (random ops, or PyTorch itself rejects the sample).

``run()`` returns every outcome; ``test_engine_op_db.py`` asserts that nothing failed and
``scripts/op_parity_report.py`` writes the counts to ``docs/op-parity.md``.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

import neuronlab as nl
import neuronlab.nn.functional as F

DTYPES = (torch.float32, torch.float64)
MAX_SAMPLES = 8  # per op and dtype: keeps the whole run short
TOLERANCES = {torch.float32: (1e-4, 1e-5), torch.float64: (1e-7, 1e-9)}  # (rtol, atol)

PASSED, FAILED = "passed", "failed"
OP_MISSING, KWARG, DTYPE, REFUSED, NOT_COMPARABLE = (
    "op missing",
    "kwarg unsupported",
    "dtype unsupported",
    "refused",
    "not comparable",
)


class Unsupported(Exception):
    """Raised by a translation for a sample the engine does not take; ``reason`` is a skip
    reason above and ``detail`` says which argument."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _method(name: str) -> Callable:
    return lambda x, *args, **kwargs: getattr(x, name)(*args, **kwargs)


def _no_kwargs(fn: Callable, *names: str) -> Callable:
    """``fn``, refusing the PyTorch keywords ``names`` the engine does not have."""

    def call(*args, **kwargs):
        for name in names:
            if name in kwargs:
                raise Unsupported(KWARG, f"{name}={kwargs[name]!r}")
        return fn(*args, **kwargs)

    return call


# OpInfo names whose neuronlab counterpart is not found by name (``name`` or ``name.variant``).
# Everything else maps by name: ``nn.functional.X`` to ``neuronlab.nn.functional.X``, and ``X`` to
# the tensor method ``x.X(...)`` or the function ``nl.X(x, ...)``.
SPECIAL: dict[str, Callable] = {
    "T": lambda x: x.T,
    "amax": _method("max"),
    "amin": _method("min"),
    "neg": lambda x: -x,
    "__getitem__": lambda x, index: x[index],
    "__radd__": lambda x, other: other + x,
    "__rsub__": lambda x, other: other - x,
    "__rmul__": lambda x, other: other * x,
    "__rdiv__": lambda x, other: other / x,
    "__rpow__": lambda x, other: other**x,
    "__rmatmul__": lambda x, other: other @ x,
    "cat": lambda tensors, *args, **kwargs: nl.cat(tensors, *args, **kwargs),
    "stack": lambda tensors, *args, **kwargs: nl.stack(tensors, *args, **kwargs),
    "div.no_rounding_mode": _method("div"),
    "where": lambda x, condition, other: nl.where(condition, x, other),
    "nn.functional.embedding": lambda weight, index, **kwargs: F.embedding(index, weight, **kwargs),
    "einsum": lambda operands, equation: nl.einsum(equation, *operands),
    "nn.functional.dropout": None,  # random: not comparable sample by sample
    "randn_like": None,
    "rand_like": None,
    "randn": None,
    "rand": None,
    "randint": None,
    "randint_like": None,
    "max.reduction_with_dim": None,  # PyTorch returns (values, indices); x.max(dim) gives values
    "min.reduction_with_dim": None,
}
RANDOM_OR_DIFFERENT = {
    "nn.functional.dropout": "random",
    "randn_like": "random",
    "rand_like": "random",
    "randn": "random",
    "rand": "random",
    "randint": "random",
    "randint_like": "random",
    "max.reduction_with_dim": "returns (values, indices) in PyTorch; use x.max(dim), x.argmax(dim)",
    "min.reduction_with_dim": "returns (values, indices) in PyTorch; use x.min(dim), x.argmin(dim)",
}


def counterpart(info) -> Callable | None:
    """The neuronlab callable for an OpInfo record, or None when the engine has none."""
    full = f"{info.name}.{info.variant_test_name}" if info.variant_test_name else info.name
    for key in (full, info.name):
        if key in SPECIAL:
            return SPECIAL[key]
    if info.name.startswith("nn.functional."):
        return getattr(F, info.name.removeprefix("nn.functional."), None)
    if "." in info.name or info.name.startswith("_"):
        return None
    if hasattr(nl.Tensor, info.name) and callable(getattr(nl.Tensor, info.name)):
        return _method(info.name)
    fn = getattr(nl, info.name, None) if info.name in nl.__all__ else None
    return (lambda x, *args, **kwargs: fn(x, *args, **kwargs)) if fn else None


# ----- translation ------------------------------------------------------------------------------
_NUMPY_DTYPES = {
    torch.float32,
    torch.float64,
    torch.int64,
    torch.int32,
    torch.bool,
    torch.float16,
    torch.uint8,
    torch.int8,
    torch.int16,
}


def _convert(obj, leaves: list):
    """PyTorch tensors (also inside lists and tuples) -> neuronlab tensors; ``leaves`` collects
    (neuronlab, torch) pairs of tensors that require grad."""
    if isinstance(obj, torch.Tensor):
        if obj.dtype not in _NUMPY_DTYPES:
            raise Unsupported(DTYPE, str(obj.dtype))
        ours = nl.Tensor(obj.detach().numpy().copy(), dtype=obj.detach().numpy().dtype)
        if obj.requires_grad:
            ours.requires_grad_(True)
            leaves.append((ours, obj))
        return ours
    if isinstance(obj, torch.dtype):
        if obj not in _NUMPY_DTYPES:
            raise Unsupported(DTYPE, str(obj))
        return str(obj).removeprefix("torch.")
    if isinstance(obj, (list, tuple)):
        return type(obj)(_convert(o, leaves) for o in obj)
    if isinstance(obj, dict):
        return {k: _convert(v, leaves) for k, v in obj.items()}
    if isinstance(obj, torch.Size):
        return tuple(obj)
    return obj


def _outputs(out) -> list:
    return list(out) if isinstance(out, (list, tuple)) else [out]


# ----- running one sample -----------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    op: str  # name or name.variant
    dtype: str
    sample: str  # a short description of the inputs
    status: str  # PASSED, FAILED or a skip reason
    detail: str = ""


def _describe(sample) -> str:
    def show(o):
        if isinstance(o, torch.Tensor):
            return f"T{tuple(o.shape)}:{str(o.dtype).removeprefix('torch.')}"
        if isinstance(o, (list, tuple)):
            return "[" + ", ".join(show(i) for i in o) + "]"
        return repr(o)

    parts = [show(sample.input)] + [show(a) for a in sample.args]
    parts += [f"{k}={show(v)}" for k, v in sample.kwargs.items()]
    return ", ".join(parts)


_KWARG_ERROR = re.compile(r"unexpected keyword argument|positional argument|takes .* arguments")


def _compare(ours, theirs, dtype, what: str) -> str | None:
    rtol, atol = TOLERANCES[dtype]
    if not isinstance(ours, nl.Tensor):
        return f"{what}: got {type(ours).__name__}, PyTorch gives a tensor"
    if ours.shape != tuple(theirs.shape):
        return f"{what}: shape {ours.shape}, PyTorch {tuple(theirs.shape)}"
    want = str(theirs.dtype).removeprefix("torch.")
    if str(ours.dtype) != want:
        return f"{what}: dtype {ours.dtype}, PyTorch {want}"
    try:
        np.testing.assert_allclose(
            ours.data, theirs.detach().numpy(), rtol=rtol, atol=atol, equal_nan=True
        )
    except AssertionError as exc:
        return f"{what}: values differ ({str(exc).strip().splitlines()[2]})"
    return None


def _numpy(t: torch.Tensor) -> np.ndarray:
    try:
        return t.numpy()
    except RuntimeError:  # PyTorch's ZeroTensor (a gradient known to be 0) has no array
        return np.zeros(tuple(t.shape))


def _gradients(ours_out, theirs_out, leaves, dtype) -> str | None:
    pairs = [
        (o, t)
        for o, t in zip(ours_out, theirs_out)
        if isinstance(t, torch.Tensor) and t.requires_grad and t.is_floating_point()
    ]
    if not pairs or not leaves:
        return None
    rng = np.random.default_rng(0)
    douts = [rng.standard_normal(tuple(t.shape)) for _, t in pairs]
    try:
        t_grads = torch.autograd.grad(
            [t for _, t in pairs],
            [t for _, t in leaves],
            [torch.from_numpy(d).to(t.dtype) for d, (_, t) in zip(douts, pairs)],
            allow_unused=True,
        )
    except RuntimeError:  # PyTorch defines no gradient here (floor_divide): nothing to compare
        return None
    graphed = [(o, d) for (o, _), d in zip(pairs, douts) if o.requires_grad]
    if graphed:
        total = sum((o * nl.Tensor(d, dtype=o.dtype)).sum() for o, d in graphed)
        total.backward()
    for i, ((ours, _), t_grad) in enumerate(zip(leaves, t_grads)):
        expected = np.zeros(ours.shape) if t_grad is None else _numpy(t_grad)
        got = np.zeros(ours.shape) if ours.grad is None else ours.grad
        if ours.grad is None and np.any(expected != 0):
            return f"input {i} got no gradient"
        rtol, atol = TOLERANCES[dtype]
        try:
            np.testing.assert_allclose(got, expected, rtol=rtol * 10, atol=atol * 10)
        except AssertionError as exc:
            return f"gradient of input {i} differs ({str(exc).strip().splitlines()[2]})"
    return None


def run_sample(info, fn, sample, dtype) -> tuple[str, str]:
    """(status, detail) for one sample."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = info.op(sample.input, *sample.args, **sample.kwargs)
    except Exception as exc:  # PyTorch rejects its own sample (an error-input case)
        return NOT_COMPARABLE, f"PyTorch raised {type(exc).__name__}"
    if sample.kwargs.get("dropout_p", 0) or sample.kwargs.get("p", 0) and "dropout" in info.name:
        return NOT_COMPARABLE, "random (dropout)"
    leaves: list = []
    try:
        args = _convert([sample.input, *sample.args], leaves)
        kwargs = _convert(dict(sample.kwargs), leaves)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            ours = fn(*args, **kwargs)
    except Unsupported as exc:
        return exc.reason, exc.detail
    except TypeError as exc:
        if _KWARG_ERROR.search(str(exc)):
            return KWARG, str(exc)
        return REFUSED, f"TypeError: {exc}"
    except (ValueError, NotImplementedError) as exc:
        return REFUSED, f"{type(exc).__name__}: {exc}"
    except Exception as exc:
        return FAILED, f"raised {type(exc).__name__}: {exc}"
    ours_out, theirs_out = _outputs(ours), _outputs(theirs)
    if len(ours_out) != len(theirs_out):
        return FAILED, f"{len(ours_out)} outputs, PyTorch {len(theirs_out)}"
    for k, (o, t) in enumerate(zip(ours_out, theirs_out)):
        if isinstance(t, torch.Tensor):
            problem = _compare(o, t, dtype, f"output {k}")
            if problem:
                return FAILED, problem
    try:
        with np.errstate(all="ignore"):
            problem = _gradients(ours_out, theirs_out, leaves, dtype)
    except Exception as exc:
        return FAILED, f"backward raised {type(exc).__name__}: {exc}"
    return (FAILED, problem) if problem else (PASSED, "")


def run(dtypes=DTYPES, max_samples: int = MAX_SAMPLES, names=None) -> list[Outcome]:
    """Every OpInfo record (or those in ``names``) through neuronlab; one Outcome per sample,
    and one per record the engine has no counterpart for."""
    from torch.testing._internal.common_methods_invocations import op_db

    torch.manual_seed(0)  # the samples' random values: the same run every time
    outcomes = []
    for info in op_db:
        full = f"{info.name}.{info.variant_test_name}" if info.variant_test_name else info.name
        if names is not None and info.name not in names and full not in names:
            continue
        fn = counterpart(info)
        if fn is None:
            reason = RANDOM_OR_DIFFERENT.get(full) or RANDOM_OR_DIFFERENT.get(info.name)
            status = NOT_COMPARABLE if reason else OP_MISSING
            outcomes.append(Outcome(full, "-", "-", status, reason or ""))
            continue
        supported = info.supported_dtypes("cpu")
        for dtype in dtypes:
            name = str(dtype).removeprefix("torch.")
            if dtype not in supported:
                outcomes.append(Outcome(full, name, "-", DTYPE, "PyTorch does not support it"))
                continue
            grad = info.supports_autograd
            samples = info.sample_inputs("cpu", dtype, requires_grad=grad)
            for sample in itertools.islice(samples, max_samples):
                status, detail = run_sample(info, fn, sample, dtype)
                outcomes.append(Outcome(full, name, _describe(sample), status, detail))
    return outcomes


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    """Samples by status; records without a counterpart count once under ``op missing``."""
    result: dict[str, int] = {}
    for o in outcomes:
        result[o.status] = result.get(o.status, 0) + 1
    return result
