"""Gradient flow: how large is the gradient that reaches each layer?

For one batch, backpropagate the loss and take the norm of every layer's weight gradient,
listing the layers in the order the forward pass used them (input side first). In a deep plain
network of sigmoid or tanh layers these norms shrink by orders of magnitude toward the input --
the vanishing gradient -- so the first layers hardly learn; with skip connections they stay
about the same size (``docs/math/vanishing-gradients.md``).

* ``gradient_norms(model, loss_fn, X, y)``: ``[(layer name, norm), ...]``, the measurement.
* ``gradient_flow_report(...)``: the same, with the first/last ratio, the spread (max/min) and a
  plain-text bar chart on a log scale.

A *layer* here is a module with its own weight matrix or kernel: a parameter whose name starts
with ``weight`` and that has at least 2 dimensions (Linear, Conv, Embedding, recurrent layers;
not the 1-D scales of normalization layers). Its norm is the Euclidean (Frobenius) norm of all
those weight gradients together. The model's existing ``.grad`` values are left as they were.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..engine import Tensor, tensor
from ..nn import Module


def _weights(module: Module) -> list:
    """The weight matrices/kernels that belong to ``module`` itself (not to its children)."""
    return [
        p
        for name, p in module.named_parameters(recurse=False)
        if name.startswith("weight") and p.ndim >= 2
    ]


def _as_input(X, model: Module):
    """Arrays become tensors of the model's floating dtype (float64 models get float64 inputs)."""
    if isinstance(X, Tensor):
        return X
    X = np.asarray(X)
    if X.dtype.kind == "f":
        dtype = next((p.dtype for p in model.parameters()), np.float32)
        return tensor(X, dtype=dtype)
    return tensor(X)


def gradient_norms(model: Module, loss_fn, X, y) -> list[tuple[str, float]]:
    """||dL/dW|| of every weight layer of ``model`` for the batch ``(X, y)``, in forward order.

    Runs one forward pass (in the model's current train/eval mode) and one backward pass of
    ``loss_fn(model(X), y)``. Layers are named as in ``model.named_modules()`` (``'0'``,
    ``'2.fn.0'``, ``'layer1.0.conv1'``...); a layer used twice is listed once, where it was
    first used; layers the forward pass did not use are left out.

    Args:
        model: a ``neuronlab.nn.Module``.
        loss_fn: ``loss_fn(output, y)`` returning a scalar, e.g. ``nn.CrossEntropyLoss()``.
        X: a batch of inputs (array or Tensor); y: the targets ``loss_fn`` expects.

    Returns: a list of ``(layer name, weight-gradient norm)``; the model's gradients are restored.

    >>> import neuronlab as nl
    >>> _ = nl.manual_seed(0)
    >>> model = nl.nn.Sequential(nl.nn.Linear(2, 4), nl.nn.Sigmoid(), nl.nn.Linear(4, 2))
    >>> norms = gradient_norms(model, nl.nn.CrossEntropyLoss(), nl.randn(8, 2), [0, 1] * 4)
    >>> [name for name, _ in norms], all(n > 0 for _, n in norms)
    (['0', '2'], True)
    """
    if not isinstance(model, Module):
        raise TypeError(
            f"gradient_norms(model) expected a neuronlab Module, got {type(model).__name__}"
        )
    names = {id(m): name for name, m in model.named_modules() if _weights(m)}
    order: list[Module] = []
    seen: set[int] = set()

    def record(module, inputs, output):
        if id(module) not in seen:
            seen.add(id(module))
            order.append(module)

    layers = [m for m in model.modules() if id(m) in names]
    params = list(model.parameters())
    saved = [p.grad for p in params]
    handles = [m.register_forward_hook(record) for m in layers]
    try:
        for p in params:
            p.grad = None
        loss = loss_fn(model(_as_input(X, model)), y)
        if not isinstance(loss, Tensor) or loss.numel() != 1:
            raise ValueError(
                f"gradient_norms: loss_fn must return a scalar Tensor (one loss for the batch), "
                f"got {type(loss).__name__} of shape {getattr(loss, 'shape', None)}; use a loss "
                "with reduction='mean' or 'sum'"
            )
        loss.backward()
        result = []
        for module in order:
            grads = [p.grad for p in _weights(module) if p.grad is not None]
            total = math.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads))
            result.append((names[id(module)], total))
        return result
    finally:
        for handle in handles:
            handle.remove()
        for p, grad in zip(params, saved):
            p.grad = grad


@dataclass
class GradientFlowReport:
    """Per-layer gradient norms with two summaries and a chart (``str(report)`` prints it).

    Attributes:
        norms: ``[(layer name, norm), ...]`` in forward order (from ``gradient_norms``).
        kinds: the class name of each layer (``'Linear'``...), in the same order.
        first_last_ratio: norm of the first layer / norm of the last layer (tiny = vanishing,
            huge = exploding, around 1 = healthy).
        spread: largest norm / smallest norm over all layers.
        chart: the plain-text bar chart.
    """

    norms: list[tuple[str, float]]
    kinds: list[str]
    first_last_ratio: float
    spread: float
    chart: str

    def __str__(self) -> str:
        return (
            f"{self.chart}\nfirst / last layer: {self.first_last_ratio:.2e}   "
            f"max / min: {self.spread:.2e}"
        )


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else (math.inf if a > 0 else math.nan)


def format_gradient_flow(norms, kinds=None, width: int = 40, axis=None) -> str:
    """A bar per layer on a log scale: the axis ``(lo, hi)`` maps lo to 1 mark, hi to ``width``.

    By default the axis runs from the smallest norm to the largest, but spans at least
    ``MIN_DECADES`` powers of ten, so that norms within a factor of 2 do not look wildly
    different. Pass the same ``axis`` to compare two charts.

    >>> print(format_gradient_flow([("0", 1e-6), ("1", 1e-3), ("2", 1.0)], width=7))
    layer  gradient norm (log scale, 1e-06 .. 1e+00)
    0      #        1.00e-06
    1      ####     1.00e-03
    2      #######  1.00e+00
    """
    if not norms:
        return "(no weight layers)"
    kinds = kinds or [""] * len(norms)
    labels = [f"{name} {kind}".rstrip() for (name, _), kind in zip(norms, kinds)]
    pad = max(len("layer"), *map(len, labels))
    lo, hi = axis if axis is not None else default_axis([n for _, n in norms])
    decades = math.log10(hi / lo)
    lines = [f"{'layer':<{pad}}  gradient norm (log scale, {lo:.0e} .. {hi:.0e})"]
    for label, (_, norm) in zip(labels, norms):
        if norm <= 0:
            marks = 0
        else:
            fraction = min(max(math.log10(norm / lo) / decades, 0.0), 1.0)
            marks = 1 + round((width - 1) * fraction)
        lines.append(f"{label:<{pad}}  {'#' * marks:<{width}}  {norm:.2e}")
    return "\n".join(lines)


MIN_DECADES = 3


def default_axis(values) -> tuple[float, float]:
    """``(lo, hi)`` for the chart: smallest and largest positive value, at least
    ``MIN_DECADES`` powers of ten apart (``hi`` stays the largest value)."""
    positive = [v for v in values if v > 0]
    if not positive:
        return 1.0, 10.0**MIN_DECADES
    hi = max(positive)
    return min(min(positive), hi / 10.0**MIN_DECADES), hi


def gradient_flow_report(model: Module, loss_fn, X, y, *, width: int = 40) -> GradientFlowReport:
    """``gradient_norms`` for one batch, summarized: first/last ratio, max/min, a bar chart.

    >>> import neuronlab as nl
    >>> from neuronlab.models import DeepMLP
    >>> _ = nl.manual_seed(0)
    >>> report = gradient_flow_report(DeepMLP(depth=10, activation="sigmoid"),
    ...                               nl.nn.CrossEntropyLoss(), nl.randn(16, 2), [0, 1] * 8)
    >>> report.first_last_ratio < 1e-3  # vanishing: the first layer gets almost nothing
    True
    """
    norms = gradient_norms(model, loss_fn, X, y)
    modules = dict(model.named_modules())
    kinds = [type(modules[name]).__name__ for name, _ in norms]
    values = [n for _, n in norms] or [math.nan]
    return GradientFlowReport(
        norms=norms,
        kinds=kinds,
        first_last_ratio=_ratio(values[0], values[-1]),
        spread=_ratio(max(values), min(values)),
        chart=format_gradient_flow(norms, kinds, width),
    )
