"""What the layers compute, and what excites them.

* ``feature_maps(model, x, layers)``: every chosen layer's output for a batch, recorded by
  forward hooks (``Module.register_forward_hook``), so nothing in the model changes.
* ``activation_maximization(model, layer=..., unit=...)``: gradient *ascent* on the input
  (Erhan et al., 2009; Olah et al., 2017, "Feature Visualization"). Start from faint noise and
  repeat, with a the unit's mean activation (a channel's map averaged over positions, a neuron,
  or a class score):

      g <- d a(shift(x)) / dx,  scaled to mean |g| = 1      shift: a random roll of <= jitter px
      x <- x + lr * (g - 2 * l2 * x)                       (the gradient of a - l2 * ||x||^2)
      every ``blur_every`` steps: x <- gaussian_blur(x, sigma=blur)
      x <- clip(x, low, high)

  Without the three regularizers (L2, jitter, blur) the picture tends to become high-frequency
  noise that excites the unit but means nothing to a person.
"""

from __future__ import annotations

import numpy as np

from ..engine import tensor
from ..nn import Module
from ._model import as_input, check_model, find_layer, inspecting, layer_names, model_dtype


def feature_maps(model: Module, x, layers=None) -> dict[str, np.ndarray]:
    """``{layer name: its output for x}``, in the order the forward pass ran them.

    ``layers``: names (or modules) to record; ``None`` records every layer without sub-layers.

    >>> import neuronlab as nl
    >>> model = nl.nn.Sequential(nl.nn.Linear(2, 3), nl.nn.ReLU(), nl.nn.Linear(3, 1))
    >>> {k: v.shape for k, v in feature_maps(model, nl.zeros(4, 2)).items()}
    {'0': (4, 3), '1': (4, 3), '2': (4, 1)}
    """
    check_model("feature_maps", model)
    x = as_input("feature_maps", model, x)
    if layers is None:
        chosen = [(n, m) for n, m in model.named_modules() if n and not m._modules]
    else:
        if isinstance(layers, (str, Module)):
            layers = [layers]
        chosen = [find_layer("feature_maps", model, layer) for layer in layers]
    seen: dict[str, np.ndarray] = {}
    handles = []
    for name, module in chosen:

        def record(_m, _inputs, output, name=name):
            seen[name] = np.array(output.data)

        handles.append(module.register_forward_hook(record))
    try:
        with inspecting(model):
            model(tensor(x, dtype=x.dtype))
    finally:
        for handle in handles:
            handle.remove()
    return seen


def activation_maximization(
    model: Module,
    *,
    layer,
    unit: int,
    steps: int = 200,
    lr: float = 0.05,
    input_shape=(1, 28, 28),
    l2: float = 0.05,
    jitter: int = 1,
    blur: float = 0.5,
    blur_every: int = 4,
    value_range=(0.0, 1.0),
    seed: int | None = 0,
) -> np.ndarray:
    """An input of ``input_shape`` that makes ``unit`` of ``layer`` large.

    ``unit`` is a channel of a convolutional layer (its map averaged over positions) or an
    output of a fully connected one (the model's last layer: a class). Regularizers: ``l2``
    (weight of the squared norm), ``jitter`` (random roll, in pixels), ``blur`` (Gaussian sigma,
    in pixels, every ``blur_every`` steps); 0 turns each off. ``value_range`` clips the pixels
    (``None``: no clipping).

    Shape: returns one input, ``input_shape``.

    >>> from neuronlab.models import SmallCNN
    >>> img = activation_maximization(SmallCNN(channels=(2, 4), hidden=8), layer="features.0",
    ...                               unit=1, steps=3)
    >>> img.shape
    (1, 28, 28)
    """
    check_model("activation_maximization", model)
    name, module = find_layer("activation_maximization", model, layer)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"activation_maximization: steps must be an integer >= 0, got {steps!r}")
    dtype = model_dtype(model)
    rng = np.random.default_rng(seed)
    x = (0.5 + 0.01 * rng.standard_normal(input_shape)).astype(dtype)
    as_input("activation_maximization", model, x[None])  # the shape must fit the model
    kept = []

    def keep(_m, _inputs, output):
        kept.append(output)

    with inspecting(model), module.register_forward_hook(keep):
        for step in range(steps):
            dy, dx = rng.integers(-jitter, jitter + 1, size=2) if jitter else (0, 0)
            shifted = np.roll(x, (dy, dx), axis=(-2, -1)) if x.ndim >= 2 else x
            xt = tensor(shifted[None], requires_grad=True, dtype=dtype)
            kept.clear()
            model(xt)
            acts = kept[-1]
            count = acts.shape[1]
            if not 0 <= unit < count:
                raise ValueError(
                    f"activation_maximization: unit {unit} is out of range for layer {name!r}, "
                    f"which has {count} units (channels or outputs): use 0 to {count - 1}"
                )
            mask = np.zeros(acts.shape, dtype=acts.data.dtype)
            mask[:, unit] = 1.0 / max(1, int(np.prod(acts.shape[2:])))
            acts.backward(mask)
            grad = np.roll(xt.grad[0], (-dy, -dx), axis=(-2, -1)) if x.ndim >= 2 else xt.grad[0]
            grad = grad / (np.abs(grad).mean() + 1e-12)  # lr is then in pixel values per step
            x = x + lr * (grad - 2 * l2 * x)
            if blur and blur_every and (step + 1) % blur_every == 0 and x.ndim >= 2:
                x = gaussian_blur(x, blur)
            if value_range is not None:
                x = np.clip(x, *value_range)
            x = x.astype(dtype)
    return x


def gaussian_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Blur the last two axes with a Gaussian of ``sigma`` pixels (edges repeated).

    >>> gaussian_blur(np.eye(3), 0.0).tolist() == np.eye(3).tolist()
    True
    """
    if sigma <= 0:
        return image
    radius = max(1, int(np.ceil(3 * sigma)))
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps /= taps.sum()
    out = image.astype(np.float64)
    for axis in (-2, -1):
        pad = [(0, 0)] * out.ndim
        pad[axis] = (radius, radius)
        padded = np.pad(out, pad, mode="edge")
        size = out.shape[axis]
        out = sum(
            w * np.take(padded, np.arange(k, k + size), axis=axis) for k, w in enumerate(taps)
        )
    return out.astype(image.dtype)


def top_activating(model: Module, x, *, layer, unit: int, k: int = 6) -> np.ndarray:
    """Indices of the ``k`` examples of ``x`` whose ``unit`` at ``layer`` is largest (mean over
    positions for a convolutional channel), best first."""
    name, _ = find_layer("top_activating", model, layer)
    acts = feature_maps(model, x, [name])[name]
    if not 0 <= unit < acts.shape[1]:
        raise ValueError(
            f"top_activating: unit {unit} is out of range for layer {name!r}, which has "
            f"{acts.shape[1]} units: use 0 to {acts.shape[1] - 1}"
        )
    score = acts[:, unit].reshape(len(acts), -1).mean(axis=1)
    return np.argsort(-score, kind="stable")[:k]


__all__ = [
    "activation_maximization",
    "feature_maps",
    "gaussian_blur",
    "layer_names",
    "top_activating",
]
