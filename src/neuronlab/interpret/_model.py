"""What every attribution method shares: checking its arguments and running the model safely.

* ``inspecting(model)``: a ``with`` block in which the model is in evaluation mode and its
  parameters do not collect gradients; on exit every module's mode and every parameter's
  ``requires_grad`` are back as they were, so explaining a model never changes it.
* ``as_input(who, model, x)``: a float array of the model's dtype, with a clear error when its
  shape cannot fit the model's first layer.
* ``as_targets(who, target, n, classes)``: ``(N,)`` class indices, checked against the outputs.
* ``find_layer(who, model, layer)``: a module of the model from its dotted name (or itself),
  with an error that lists the names that exist.
* ``input_gradient(model, x, targets)``: the gradient of each example's target score.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from ..engine import Tensor, tensor
from ..nn import Module


def model_dtype(model: Module) -> np.dtype:
    """The dtype of the model's first floating parameter (float32 for a model without any)."""
    for p in model.parameters():
        if p.data.dtype.kind == "f":
            return p.data.dtype
    return np.dtype(np.float32)


def check_model(who: str, model) -> Module:
    if not isinstance(model, Module):
        raise TypeError(
            f"{who}: expected a neuronlab nn.Module as the model, got {type(model).__name__}; "
            "pass the network itself, e.g. models.load_pretrained('fashion-cnn')"
        )
    return model


@contextmanager
def inspecting(model: Module) -> Iterator[Module]:
    """Evaluation mode and frozen parameters inside the block; the model's state restored after."""
    modes = [(m, m.training) for m in model.modules()]
    params = [(p, p.requires_grad) for p in model.parameters()]
    model.eval()
    for p, _ in params:
        p.requires_grad = False
    try:
        yield model
    finally:
        for m, mode in modes:
            object.__setattr__(m, "training", mode)
        for p, flag in params:
            p.requires_grad = flag


def first_layer(model: Module):
    """The first module that has ``in_channels`` or ``in_features`` (registration order)."""
    for _, m in model.named_modules():
        if hasattr(m, "in_channels") and hasattr(m, "kernel_size"):
            return m
        if hasattr(m, "in_features"):
            return m
    return None


def expected_shape(model: Module) -> str:
    """The input shape the first layer wants, written for an error message."""
    layer = first_layer(model)
    if layer is None:
        return "(N, ...)"
    if hasattr(layer, "kernel_size"):
        k = layer.kernel_size
        spatial = len(k) if isinstance(k, tuple) else 2
        return "(N, " + ", ".join([str(layer.in_channels)] + ["H", "W", "D"][:spatial]) + ")"
    return f"(N, {layer.in_features})"


def as_input(who: str, model: Module, x) -> np.ndarray:
    """``x`` as an array of the model's dtype, shaped ``(N, ...)`` as the first layer expects."""
    if isinstance(x, Tensor):
        x = x.data
    try:
        x = np.asarray(x, dtype=model_dtype(model))
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{who}: expected x as an array of numbers, got {type(x).__name__}"
        ) from error
    layer, want = first_layer(model), expected_shape(model)
    bad = x.ndim < 2
    if layer is not None and hasattr(layer, "kernel_size"):
        spatial = len(layer.kernel_size) if isinstance(layer.kernel_size, tuple) else 2
        bad = bad or x.ndim != 2 + spatial or x.shape[1] != layer.in_channels
    elif layer is not None and x.ndim == 2:
        bad = bad or x.shape[1] != layer.in_features
    if bad:
        hint = " (one example? add the batch axis: x[None])" if x.ndim == want.count(",") else ""
        raise ValueError(
            f"{who}: {type(model).__name__} expects inputs of shape {want}, got shape "
            f"{tuple(x.shape)}{hint}"
        )
    return x


def forward(who: str, model: Module, x: np.ndarray, requires_grad: bool = False):
    """``(input tensor, output)``; a shape error of the model comes back naming the shape."""
    xt = tensor(x, requires_grad=requires_grad, dtype=x.dtype)
    try:
        out = model(xt)
    except ValueError as error:
        raise ValueError(
            f"{who}: {type(model).__name__} could not run inputs of shape {tuple(x.shape)} "
            f"(expected {expected_shape(model)} with the sizes it was built for): {error}"
        ) from error
    if out.ndim != 2:
        raise ValueError(
            f"{who}: expected the model to return scores of shape (N, classes), got "
            f"{tuple(out.shape)}"
        )
    return xt, out


def as_targets(who: str, target, n: int, classes: int) -> np.ndarray:
    """``target`` (an int or ``(N,)`` ints) as ``(N,)`` int64, each in ``0..classes-1``."""
    t = np.asarray(target.data if isinstance(target, Tensor) else target)
    if t.dtype.kind not in "iu" and not (t.dtype.kind == "f" and np.all(t == np.round(t))):
        raise TypeError(f"{who}: target must be a class index (int) or (N,) ints, got {target!r}")
    t = np.broadcast_to(t.astype(np.int64), (n,)) if t.ndim == 0 else t.astype(np.int64)
    if t.shape != (n,):
        raise ValueError(
            f"{who}: target must be one int or {n} ints (one per example), got shape {t.shape}"
        )
    if t.size and (t.min() < 0 or t.max() >= classes):
        bad = int(t[(t < 0) | (t >= classes)][0])
        raise ValueError(
            f"{who}: target {bad} is out of range: the model has {classes} classes "
            f"(outputs), so targets go from 0 to {classes - 1}"
        )
    return t


def one_hot(targets: np.ndarray, classes: int, dtype) -> np.ndarray:
    out = np.zeros((len(targets), classes), dtype=dtype)
    out[np.arange(len(targets)), targets] = 1
    return out


def target_scores(out, targets: np.ndarray) -> np.ndarray:
    """Each example's output for its target class, as a float64 array ``(N,)``."""
    return np.asarray(out.data[np.arange(len(targets)), targets], dtype=np.float64)


def input_gradient(model: Module, x: np.ndarray, target, who: str):
    """``(d score_target / d x, scores, targets)`` for a batch; gradients of one forward pass."""
    xt, out = forward(who, model, x, requires_grad=True)
    targets = as_targets(who, target, len(x), out.shape[1])
    out.backward(one_hot(targets, out.shape[1], out.data.dtype))
    return np.array(xt.grad), target_scores(out, targets), targets


def layer_names(model: Module) -> list[str]:
    return [name for name, _ in model.named_modules() if name]


def find_layer(who: str, model: Module, layer) -> tuple[str, Module]:
    """``(name, module)`` for ``layer``, a dotted name such as ``'features.3'`` or a module."""
    named = dict(model.named_modules())
    if isinstance(layer, Module):
        for name, m in named.items():
            if m is layer:
                return name, m
    elif isinstance(layer, str) and layer in named and layer:
        return layer, named[layer]
    names = ", ".join(layer_names(model)) or "none"
    shown = type(layer).__name__ if isinstance(layer, Module) else repr(layer)
    raise ValueError(
        f"{who}: layer {shown} is not in {type(model).__name__}; its layers are: {names}"
    )
