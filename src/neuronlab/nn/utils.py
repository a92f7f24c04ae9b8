"""Gradient clipping: keep one bad batch from throwing the parameters far away.

* ``clip_grad_norm_`` rescales all gradients together so that their combined norm is at most
  ``max_norm`` (the direction of the step is kept).
* ``clip_grad_value_`` clamps every gradient element into [-clip_value, clip_value].

Both change ``.grad`` in place and skip parameters without a gradient. Call them between
``loss.backward()`` and ``optimizer.step()``. They live here, as in PyTorch's ``nn.utils``, and
``neuronlab.optim`` exports them too.
"""

from __future__ import annotations

import math

from ..engine.backend import xp
from ..engine.tensor import Tensor


def _grads(parameters) -> list:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(
                f"gradient clipping expects tensors, but parameters[{i}] is a {type(p).__name__}"
            )
    return [p.grad for p in params if p.grad is not None]


def _vector_norm(x, norm_type: float):
    """||x||_p over all elements: max |x| for inf, min |x| for -inf, the non-zero count for 0."""
    return xp.linalg.norm(x.reshape(-1), ord=norm_type)


def clip_grad_norm_(
    parameters, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False
) -> Tensor:
    """Scale the gradients so that their total norm is at most ``max_norm``; return that norm.

    The total norm is the ``norm_type`` norm of all gradient elements taken together (the norm
    of the per-parameter norms). Every gradient is multiplied by
    ``min(1, max_norm / (total_norm + 1e-6))``. Returns the total norm BEFORE clipping, as a 0-d
    tensor (as PyTorch does). ``error_if_nonfinite=True`` raises instead of clipping when the
    norm is nan or inf.

    >>> import neuronlab as nl
    >>> from neuronlab.optim import clip_grad_norm_
    >>> w = nl.tensor([3.0, 4.0], requires_grad=True)
    >>> (w * w).sum().backward()                      # grad = 2w = [6, 8], norm 10
    >>> clip_grad_norm_([w], max_norm=5.0).item()
    10.0
    >>> w.grad.round(4).tolist()
    [3.0, 4.0]
    """
    grads = _grads(parameters)
    max_norm, norm_type = float(max_norm), float(norm_type)
    if not grads:
        return Tensor(0.0)
    norms = xp.array([_vector_norm(g, norm_type) for g in grads])
    total = _vector_norm(norms, norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is {total}, "
            "so they cannot be clipped; look for the layer whose gradient overflowed, or pass "
            "error_if_nonfinite=False to scale them by the non-finite norm anyway"
        )
    coef = max_norm / (float(total) + 1e-6)
    coef = min(coef, 1.0) if coef == coef else coef  # keeps nan, as PyTorch's clamp does
    for g in grads:
        g *= coef
    return Tensor(xp.asarray(total), dtype=total.dtype)


def clip_grad_value_(parameters, clip_value: float) -> None:
    """Clamp every gradient element into [-clip_value, clip_value], in place.

    >>> import neuronlab as nl
    >>> from neuronlab.optim import clip_grad_value_
    >>> w = nl.tensor([1.0, -2.0, 3.0], requires_grad=True)
    >>> (w * w).sum().backward()                      # grad = [2, -4, 6]
    >>> clip_grad_value_([w], clip_value=3.0)
    >>> w.grad.tolist()
    [2.0, -3.0, 3.0]
    """
    clip_value = float(clip_value)
    if not clip_value >= 0:
        raise ValueError(f"clip_grad_value_: clip_value must be >= 0, got {clip_value}")
    for g in _grads(parameters):
        xp.clip(g, -clip_value, clip_value, out=g)
