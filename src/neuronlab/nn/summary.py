"""``summary``: run one input through a model and list what each layer makes of it.

Built on the forward hooks of ``Module``: a hook on every layer records the layer's output shape
while a random input of the given shape flows through, in evaluation mode and without a graph
(so dropout and batch-norm statistics are left alone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..engine.backend import as_dtype
from ..engine.creation import from_numpy
from ..engine.grad_mode import no_grad
from ..engine.tensor import Tensor
from .module import Module


@dataclass
class SummaryRow:
    """One layer call: its dotted name, class name, output shape and parameter count."""

    name: str
    type: str
    output_shape: object
    params: int


@dataclass
class ModelSummary:
    """What ``summary`` found. ``str(summary)`` is the printed table."""

    input_shape: tuple
    output_shape: object
    rows: list[SummaryRow] = field(default_factory=list)
    total_params: int = 0
    trainable_params: int = 0

    def __str__(self) -> str:
        header = ("Layer (type)", "Output shape", "Params")
        cells = [(f"{r.name} ({r.type})", str(r.output_shape), f"{r.params:,}") for r in self.rows]
        widths = [max(len(row[i]) for row in [header, *cells]) for i in range(3)]
        rule = "=" * (widths[0] + widths[1] + widths[2] + 4)

        def line(row):
            return f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}"

        return "\n".join(
            [
                f"Input shape: {self.input_shape}",
                line(header),
                rule,
                *map(line, cells),
                rule,
                f"Total params: {self.total_params:,}",
                f"Trainable params: {self.trainable_params:,}",
                f"Non-trainable params: {self.total_params - self.trainable_params:,}",
            ]
        )

    def __repr__(self) -> str:
        return (
            f"ModelSummary({len(self.rows)} layers, {self.total_params:,} params, "
            f"output shape {self.output_shape})"
        )


def _shape_of(output):
    if isinstance(output, Tensor):
        return tuple(output.data.shape)
    if isinstance(output, (tuple, list)):
        return [_shape_of(o) for o in output]
    return type(output).__name__


def _example_input(input_shape, dtype) -> Tensor:
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
    if shape is None or not all(isinstance(n, (int, np.integer)) and n > 0 for n in shape):
        raise ValueError(
            f"summary: input_shape must be a tuple of positive sizes including the batch axis, "
            f"e.g. (1, 784) or (8, 1, 28, 28); got {input_shape!r}"
        )
    dtype = as_dtype(dtype)
    if dtype.kind == "f":  # random rather than zeros, so no layer sees a degenerate input
        return from_numpy(np.random.default_rng(0).standard_normal(shape).astype(dtype))
    return from_numpy(np.zeros(shape, dtype=dtype))  # e.g. token ids for an embedding


def summary(
    model: Module, input_shape, dtype="float32", print_fn: Callable | None = print
) -> ModelSummary:
    """Run a random input of ``input_shape`` (batch axis included) through ``model``; return
    (and print with ``print_fn``, unless it is None) each layer's name, type, output shape and
    parameter count, and the totals. Integer dtypes get an all-zero input.

    Rows are the layers that ran (the leaves of the module tree, plus any module with parameters
    of its own), in the order they ran; a layer used twice appears twice. The model's training
    modes are restored afterwards.

    >>> import neuronlab as nl
    >>> model = nl.nn.Sequential(nl.nn.Linear(4, 8), nl.nn.ReLU(), nl.nn.Linear(8, 3))
    >>> info = model.summary((2, 4))
    Input shape: (2, 4)
    Layer (type)  Output shape  Params
    ==================================
    0 (Linear)    (2, 8)            40
    1 (ReLU)      (2, 8)             0
    2 (Linear)    (2, 3)            27
    ==================================
    Total params: 67
    Trainable params: 67
    Non-trainable params: 0
    >>> info.rows[2]
    SummaryRow(name='2', type='Linear', output_shape=(2, 3), params=27)
    """
    if not isinstance(model, Module):
        raise TypeError(f"summary: expected a Module, got {type(model).__name__}")
    x = _example_input(input_shape, dtype)
    names = {id(m): name for name, m in model.named_modules()}
    result = ModelSummary(input_shape=tuple(x.shape), output_shape=None)

    def record(module, inputs, output):
        own = sum(p.numel() for p in module.parameters(recurse=False))
        name = names.get(id(module)) or type(module).__name__
        result.rows.append(SummaryRow(name, type(module).__name__, _shape_of(output), own))

    watched = [
        m
        for m in model.modules()
        if not m._modules or any(True for _ in m.parameters(recurse=False))
    ]
    handles = [m.register_forward_hook(record) for m in watched]
    modes = [(m, m.training) for m in model.modules()]
    try:
        model.eval()
        with no_grad():
            result.output_shape = _shape_of(model(x))
    finally:
        for handle in handles:
            handle.remove()
        for module, mode in modes:
            object.__setattr__(module, "training", mode)
    params = list(model.parameters())
    result.total_params = sum(p.numel() for p in params)
    result.trainable_params = sum(p.numel() for p in params if p.requires_grad)
    if print_fn is not None:
        print_fn(str(result))
    return result
