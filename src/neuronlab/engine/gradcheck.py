"""``gradcheck``: does backward agree with the slope you can measure?

For each input element x_k, nudge it by +eps and -eps and measure the output:

    numerical dL/dx_k = (L(x_k + eps) - L(x_k - eps)) / (2 * eps)

(central differences; the error shrinks like eps^2). Then compare with the gradient that
``backward()`` computed. Everything runs in float64 so rounding does not drown the difference.
A non-scalar output is first reduced to L = sum(out * r) with a fixed random r, which checks
backward along a random direction.
"""

from __future__ import annotations

import numpy as np

from .grad_mode import no_grad
from .tensor import Tensor


class GradcheckError(AssertionError):
    """Raised when an analytical gradient disagrees with the numerical one."""


def _scalar_output(fn, inputs, weights):
    out = fn(*inputs)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    if weights is None:
        return out
    return (out * Tensor(weights, dtype=np.float64)).sum()


def numerical_gradients(fn, inputs, eps: float = 1e-6, weights=None) -> list:
    """Central-difference estimate of d sum(fn(*inputs) * weights) / d input, for each input that
    requires grad (None for the others). Inputs are changed in place and restored."""
    grads = []
    with no_grad():
        for t in inputs:
            if not (isinstance(t, Tensor) and t.requires_grad):
                grads.append(None)
                continue
            g = np.zeros_like(t.data)
            flat, gflat = t.data.reshape(-1), g.reshape(-1)
            for k in range(flat.size):
                original = flat[k]
                flat[k] = original + eps
                up = _scalar_output(fn, inputs, weights).item()
                flat[k] = original - eps
                down = _scalar_output(fn, inputs, weights).item()
                flat[k] = original
                gflat[k] = (up - down) / (2 * eps)
            grads.append(g)
    return grads


def gradcheck(fn, *inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, seed: int = 0) -> bool:
    """Check ``fn``'s backward against central differences, in float64.

    ``inputs`` are tensors (those with ``requires_grad=True`` are checked) or other arguments
    passed through unchanged. Returns True when every element agrees within
    ``atol + rtol * |numerical|``; otherwise raises ``GradcheckError`` naming the input, the
    element and both values (or returns False when ``raise_exception=False``).

    >>> import neuronlab as nl
    >>> x = nl.tensor([0.5, -1.0], requires_grad=True)
    >>> nl.gradcheck(lambda x: (x * x.tanh()).sum(), x)
    True
    """
    inputs = [
        Tensor(t.data, dtype=np.float64, requires_grad=t.requires_grad)
        if isinstance(t, Tensor) and t.data.dtype.kind == "f" else t
        for t in inputs
    ]
    if not any(isinstance(t, Tensor) and t.requires_grad for t in inputs):
        raise ValueError("gradcheck: no input has requires_grad=True, so there is nothing to check")
    out = fn(*inputs)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    weights = None
    if out.data.size != 1:
        weights = np.random.default_rng(seed).standard_normal(out.shape)
    _scalar_output(fn, inputs, weights).backward()
    numerical = numerical_gradients(fn, inputs, eps, weights)
    for i, (t, num) in enumerate(zip(inputs, numerical)):
        if num is None:
            continue
        ana = t.grad if t.grad is not None else np.zeros_like(num)
        bad = np.abs(ana - num) > atol + rtol * np.abs(num)
        if bad.any():
            where = tuple(int(j) for j in np.argwhere(bad)[0])
            message = (
                f"gradcheck: the gradient of input {i} (shape {t.shape}) disagrees at element "
                f"{where}: backward gave {ana[where]:.8g}, central differences gave "
                f"{num[where]:.8g} (eps={eps}, allowed difference {atol} + {rtol} * |numerical|); "
                f"{int(bad.sum())} of {bad.size} elements disagree"
            )
            if raise_exception:
                raise GradcheckError(message)
            return False
    return True
