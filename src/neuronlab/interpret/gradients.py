"""Gradient maps: saliency and SmoothGrad.

**Saliency** (Simonyan et al., 2014) asks: if this pixel changed a little, how much would the
score of the class change? It is the gradient of the target's raw score (logit) with respect to
the input,

    saliency(x)_i = | d f_c(x) / d x_i |        (the absolute value unless abs=False)

**SmoothGrad** (Smilkov et al., 2017) averages that map over noisy copies of the input, because a
single gradient is sharp and speckled:

    smoothgrad(x) = 1/n * sum_k  saliency(x + e_k),   e_k ~ N(0, sigma^2),
    sigma = noise * (max(x) - min(x))                (per example)

Both match Captum's ``Saliency`` and ``NoiseTunnel(Saliency, nt_type='smoothgrad')`` (with
Captum's ``stdevs`` equal to our ``sigma``).
"""

from __future__ import annotations

import numpy as np

from ..nn import Module
from ._model import as_input, as_targets, check_model, input_gradient, inspecting

CHUNK = 256  # noisy copies run through the model at once


def saliency(model: Module, x, target, *, abs: bool = True) -> np.ndarray:  # noqa: A002
    """The gradient of ``model(x)[n, target[n]]`` with respect to ``x[n]``, for every example.

    Shape: ``x`` (N, ...) -> (N, ...), the input's shape.

    Args:
        model: a classifier returning raw scores ``(N, classes)``; run in eval mode, its mode and
            gradients left as they were.
        x: inputs (array or Tensor), converted to the model's dtype.
        target: the class to explain, an int or ``(N,)`` ints.
        abs: return the absolute value of the gradient (Captum's default, True).

    >>> import neuronlab as nl
    >>> model = nl.nn.Linear(3, 2)
    >>> with nl.no_grad():
    ...     model.weight.data[...] = [[1.0, -2.0, 0.5], [0.0, 0.0, 0.0]]
    >>> saliency(model, [[0.1, 0.2, 0.3]], 0).tolist()
    [[1.0, 2.0, 0.5]]
    """
    check_model("saliency", model)
    x = as_input("saliency", model, x)
    with inspecting(model):
        grad, _, _ = input_gradient(model, x, target, "saliency")
    return np.abs(grad) if abs else grad


def smoothgrad(
    model: Module,
    x,
    target,
    *,
    samples: int = 50,
    noise: float = 0.15,
    seed: int | None = None,
    abs: bool = True,  # noqa: A002
) -> np.ndarray:
    """Saliency averaged over ``samples`` noisy copies of each input (Smilkov et al., 2017).

    The noise is Gaussian with standard deviation ``noise * (max - min)`` of each example's
    values, so ``noise=0.15`` is 15% of the input's range. ``noise=0`` gives saliency exactly.

    Shape: ``x`` (N, ...) -> (N, ...).

    >>> import neuronlab as nl
    >>> model = nl.nn.Linear(3, 2)
    >>> x = [[0.1, 0.2, 0.3]]
    >>> bool(np.allclose(smoothgrad(model, x, 1, noise=0.0, samples=3), saliency(model, x, 1)))
    True
    """
    check_model("smoothgrad", model)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise ValueError(f"smoothgrad: samples must be a positive integer, got {samples!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"smoothgrad: noise must be a fraction >= 0 (0.15 = 15%), got {noise!r}")
    x = as_input("smoothgrad", model, x)
    rng = np.random.default_rng(seed)
    axes = tuple(range(1, x.ndim))
    span = (x.max(axis=axes, keepdims=True) - x.min(axis=axes, keepdims=True)) if x.size else 0
    sigma = noise * span
    noisy = x[None] + sigma[None] * rng.standard_normal((samples, *x.shape))  # (S, N, ...)
    noisy = noisy.astype(x.dtype).reshape(samples * len(x), *x.shape[1:])
    targets = np.tile(as_targets("smoothgrad", target, len(x), np.iinfo(np.int64).max), samples)
    with inspecting(model):
        grads = [
            input_gradient(model, noisy[i : i + CHUNK], targets[i : i + CHUNK], "smoothgrad")[0]
            for i in range(0, len(noisy), CHUNK)
        ]
    grads = np.concatenate(grads).reshape(samples, *x.shape).astype(np.float64)
    return (np.abs(grads) if abs else grads).mean(axis=0).astype(x.dtype)
