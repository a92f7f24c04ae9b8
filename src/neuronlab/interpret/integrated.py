"""Integrated gradients (Sundararajan et al., 2017): attributions that add up to the output.

Walk in a straight line from a *baseline* x' (an input that means "nothing", black by default)
to the input x, and add up the gradients met on the way:

    IG_i(x) = (x_i - x'_i) * integral_0^1  d f_c(x' + a (x - x')) / d x_i  da

The *completeness* axiom says the attributions sum to the change of the output,

    sum_i IG_i(x) = f_c(x) - f_c(x'),

exactly for the true integral. The integral is approximated with ``steps`` points a_k and weights
w_k, so ``return_delta=True`` also returns the gap ``sum_i IG_i - (f_c(x) - f_c(x'))`` per
example, which shrinks as ``steps`` grows. The rules are Captum's
(``captum.attr._utils.approximation_methods``):

    riemann_left       a_k = k/n                    w_k = 1/n           k = 0..n-1
    riemann_right      a_k = (k+1)/n                w_k = 1/n
    riemann_middle     a_k = (k+1/2)/n              w_k = 1/n
    riemann_trapezoid  a_k = k/(n-1)                w_k = 1/n, halved at both ends
    gausslegendre      a_k = (1+t_k)/2              w_k = v_k/2   (t_k, v_k: Gauss-Legendre nodes)
"""

from __future__ import annotations

import numpy as np

from ..nn import Module
from ._model import (
    as_input,
    as_targets,
    check_model,
    forward,
    input_gradient,
    inspecting,
    target_scores,
)

METHODS = ("riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid", "gausslegendre")
CHUNK = 256  # points of the path run through the model at once


def path_rule(method: str, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """``(alphas, weights)`` of an integration rule on [0, 1] (see the module docstring).

    >>> path_rule("riemann_trapezoid", 3)
    (array([0. , 0.5, 1. ]), array([0.16666667, 0.33333333, 0.16666667]))
    """
    if method not in METHODS:
        raise ValueError(
            f"integrated_gradients: method must be one of {', '.join(METHODS)}; got {method!r}"
        )
    minimum = 1 if method == "gausslegendre" else 2
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < minimum:
        raise ValueError(
            f"integrated_gradients: steps must be an integer >= {minimum} for {method}, "
            f"got {steps!r}"
        )
    n = steps
    if method == "gausslegendre":
        t, v = np.polynomial.legendre.leggauss(n)
        return 0.5 * (1 + t), 0.5 * v
    weights = np.full(n, 1.0 / n)
    if method == "riemann_trapezoid":
        weights[[0, -1]] /= 2
        return np.linspace(0.0, 1.0, n), weights
    start = {"riemann_left": 0.0, "riemann_right": 1.0, "riemann_middle": 0.5}[method]
    return (np.arange(n) + start) / n, weights


def integrated_gradients(
    model: Module,
    x,
    target,
    *,
    baseline=None,
    steps: int = 50,
    method: str = "gausslegendre",
    return_delta: bool = False,
):
    """Integrated gradients of each example's ``target`` score, from ``baseline`` to ``x``.

    Shape: ``x`` (N, ...) -> attributions (N, ...); with ``return_delta``, also the
    completeness gap (N,).

    Args:
        model: a classifier returning raw scores ``(N, classes)`` (eval mode, left unchanged).
        x: inputs, converted to the model's dtype.
        target: the class to explain, an int or ``(N,)`` ints.
        baseline: the "absent" input, zeros by default; any array broadcastable to ``x``
            (a scalar, one example ``(1, ...)`` or one per example).
        steps: points on the path; method: one of ``METHODS``.
        return_delta: also return ``sum(attr) - (f(x) - f(baseline))`` per example.

    >>> import neuronlab as nl
    >>> model = nl.nn.Sequential(nl.nn.Linear(2, 4), nl.nn.Tanh(), nl.nn.Linear(4, 3))
    >>> attr, gap = integrated_gradients(model, [[0.5, -1.0]], 2, return_delta=True)
    >>> attr.shape, bool(abs(gap[0]) < 1e-5)
    ((1, 2), True)
    """
    check_model("integrated_gradients", model)
    alphas, weights = path_rule(method, steps)
    x = as_input("integrated_gradients", model, x)
    base = _baseline(x, baseline)
    n = len(x)
    path = base[None] + alphas.astype(x.dtype).reshape(-1, *[1] * x.ndim) * (x - base)[None]
    path = path.reshape(steps * n, *x.shape[1:])  # (steps * N, ...), step-major
    with inspecting(model):
        _, out = forward("integrated_gradients", model, x)
        targets = as_targets("integrated_gradients", target, n, out.shape[1])
        repeated = np.tile(targets, steps)
        grads = np.concatenate([
            input_gradient(model, path[i : i + CHUNK], repeated[i : i + CHUNK],
                           "integrated_gradients")[0]
            for i in range(0, len(path), CHUNK)
        ]).reshape(steps, *x.shape)  # fmt: skip
        shape = (-1, *[1] * x.ndim)
        total = (grads.astype(np.float64) * weights.reshape(shape)).sum(axis=0)
        attr = (total * (x - base)).astype(x.dtype)
        if not return_delta:
            return attr
        _, base_out = forward("integrated_gradients", model, np.ascontiguousarray(base))
    gap = attr.reshape(n, -1).sum(axis=1, dtype=np.float64) - (
        target_scores(out, targets) - target_scores(base_out, targets)
    )
    return attr, gap


def _baseline(x: np.ndarray, baseline) -> np.ndarray:
    """The baseline broadcast to ``x``'s shape and dtype (zeros when None)."""
    if baseline is None:
        return np.zeros_like(x)
    base = np.asarray(getattr(baseline, "data", baseline), dtype=x.dtype)
    try:
        return np.broadcast_to(base, x.shape).copy()
    except ValueError:
        raise ValueError(
            f"integrated_gradients: baseline of shape {base.shape} cannot be broadcast to the "
            f"inputs' shape {x.shape}; give a scalar, one example (1, ...) or one per example"
        ) from None
