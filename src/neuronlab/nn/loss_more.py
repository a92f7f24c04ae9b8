"""Two more losses (re-exported by ``neuronlab.nn.functional``): ``smooth_l1_loss`` (Huber's
quadratic-then-linear penalty, in PyTorch's parametrization by ``beta``) and ``kl_div`` (the
Kullback-Leibler divergence, for distillation and distribution matching). Composed from
primitives, so the gradients come from theirs; targets get gradients too where PyTorch gives
them.
"""

from __future__ import annotations

import numpy as np

from ..engine.creation import from_numpy
from ..engine.ops import elementwise as E
from ..engine.tensor import Tensor
from .loss_functional import _reduce, _regression_target, check_reduction


def smooth_l1_loss(input: Tensor, target, *, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """loss_i = 0.5 * d_i^2 / beta if |d_i| < beta else |d_i| - 0.5 * beta, d = input - target
    (beta = 0 is the L1 loss).

    >>> import neuronlab as nl
    >>> smooth_l1_loss(nl.tensor([0.5, 3.0]), nl.tensor([0.0, 0.0])).item()
    1.3125
    """
    who = "smooth_l1_loss"
    check_reduction(who, reduction)
    if beta < 0:
        raise ValueError(f"{who}: beta must be >= 0, got {beta}")
    d = input - _regression_target(who, input, target)
    a = d.abs()
    if beta == 0:
        return _reduce(a, reduction)
    loss = E.Where.apply(d * d * (0.5 / beta), a - 0.5 * beta, cond=a.data < beta)
    return _reduce(loss, reduction)


KL_REDUCTIONS = ("mean", "batchmean", "sum", "none")


def kl_div(input: Tensor, target, *, reduction: str = "mean", log_target: bool = False) -> Tensor:
    """loss_i = q_i * (log q_i - x_i) with x = log p (``input`` holds log-probabilities) and q
    the target probabilities (0 * log 0 counts as 0); with ``log_target`` the target holds log q.
    'batchmean' divides the sum by the batch size (the true KL divergence per example), 'mean'
    by the number of elements (PyTorch's default).

    >>> import neuronlab as nl
    >>> logp = nl.tensor([[0.5, 0.5]]).log()
    >>> round(kl_div(logp, nl.tensor([[0.9, 0.1]]), reduction="batchmean").item(), 4)
    0.3681
    """
    who = "kl_div"
    if reduction not in KL_REDUCTIONS:
        raise ValueError(f"{who}: reduction must be one of {KL_REDUCTIONS}, got {reduction!r}")
    q = _regression_target(who, input, target)
    if log_target:
        loss = q.exp() * (q - input)
    else:
        positive = q.data > 0
        safe = E.Where.apply(q, from_numpy(np.ones((), q.dtype)), cond=positive)
        loss = E.Where.apply(q * (safe.log() - input), input * 0.0, cond=positive)
    if reduction == "batchmean":
        n = input.shape[0] if input.ndim else 1
        return loss.sum() * (1.0 / n)
    return _reduce(loss, reduction)


__all__ = ["kl_div", "smooth_l1_loss"]
