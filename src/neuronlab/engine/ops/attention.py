"""Fused scaled dot-product attention: softmax(q @ k^T * scale + mask) @ v as one op.

Composed from primitives (matmul, softmax, matmul) attention costs five graph nodes and keeps
the scores, the probabilities and their dropped-out copy alive for backward. Fused, it is one
node that keeps only the probabilities P; ``benchmarks/bench_transformer.py`` measures the
difference and ``neuronlab.nn.attention.naive_scaled_dot_product_attention`` keeps the composed
reference that tests hold equal to this op. The derivation is in ``docs/math/attention.md``.
"""

from __future__ import annotations

import math

from .. import function, grad_mode
from ..backend import xp
from ..function import Function, register


def _swap(a):
    return xp.swapaxes(a, -1, -2)


def _masked_softmax(scores, masked: bool):
    """Row-wise softmax in place. With a mask, a row whose every score is -inf (a query that may
    attend to nothing) gives zeros instead of 0/0 = nan, as PyTorch's attention does."""
    top = scores.max(axis=-1, keepdims=True)  # (..., L, 1)
    if masked:
        top[~xp.isfinite(top)] = 0
    scores -= top
    xp.exp(scores, out=scores)
    total = scores.sum(axis=-1, keepdims=True)
    if masked:
        total[total == 0] = 1
    scores /= total
    return scores


@register
class ScaledDotProductAttention(Function):
    """y = (softmax(q @ k^T * scale + mask) * keep) @ v,   scale = 1 / sqrt(D) unless given

    Shape: q (..., L, D), k (..., S, D), v (..., S, Dv) -> y (..., L, Dv); the leading axes
    (batch, heads) broadcast. ``mask`` is an additive float array broadcastable to (..., L, S):
    0 where a query may look, -inf where it may not. ``keep`` (optional) is a dropout mask on
    the probabilities, with values 0 or 1 / (1 - p). A mask that should learn (an additive bias)
    is passed as a fourth tensor input instead of the ``mask`` option.

    Backward, with S = q @ k^T * scale + mask, P = softmax(S) and Pd = P * keep:
    dv = Pd^T @ dout,  dPd = dout @ v^T,  dP = dPd * keep,
    dS = P * (dP - sum(dP * P, over the last axis)),  dq = dS @ k * scale,  dk = dS^T @ q * scale,
    dmask = dS (summed back to the mask's shape by the engine).

    >>> import numpy as np
    >>> import neuronlab as nl
    >>> q = k = nl.zeros(1, 2, 4)
    >>> v = nl.tensor([[[1.0, 0.0], [3.0, 2.0]]])
    >>> ScaledDotProductAttention.apply(q, k, v).tolist()  # equal scores: the mean of v's rows
    [[[2.0, 1.0], [2.0, 1.0]]]
    >>> causal = np.triu(np.full((2, 2), -np.inf), 1)
    >>> ScaledDotProductAttention.apply(q, k, v, mask=causal).tolist()
    [[[1.0, 0.0], [2.0, 1.0]]]
    """

    name = "scaled_dot_product_attention"

    def forward(self, q, k, v, mask=None, scale=None, keep=None):
        if min(q.ndim, k.ndim, v.ndim) < 2:
            raise ValueError("attention needs (..., length, features) operands")
        self.scale = 1 / math.sqrt(q.shape[-1]) if scale is None else float(scale)
        scores = q @ _swap(k)  # (..., L, S)
        scores *= self.scale
        if mask is not None:
            mask = xp.asarray(mask, dtype=scores.dtype)  # no silent float64 upcast
            if xp.broadcast_shapes(scores.shape, mask.shape) == scores.shape:
                scores += mask
            else:  # the mask carries more leading axes than q and k
                scores = scores + mask
        p = _masked_softmax(scores, masked=mask is not None)  # (..., L, S)
        pd = p if keep is None else p * xp.asarray(keep, dtype=p.dtype)
        self.q, self.k, self.v, self.p, self.pd, self.keep = q, k, v, p, pd, keep
        return pd @ v  # (..., L, Dv)

    def backward(self, dout):
        q, k, v, p, keep = self.q, self.k, self.v, self.p, self.keep
        dq = dk = dv = dmask = None
        if self.needs_grad(2):
            dv = _swap(self.pd) @ dout  # (..., S, Dv)
        wants_mask = len(self.parents) > 3 and self.needs_grad(3)
        if self.needs_grad(0) or self.needs_grad(1) or wants_mask:
            dp = dout @ _swap(v)  # (..., L, S)
            if keep is not None:
                dp = dp * keep.astype(dp.dtype, copy=False)
            ds = dp  # reuse the buffer: dS = P * (dP - rowsum(dP * P)), times the scale
            ds -= (dp * p).sum(axis=-1, keepdims=True)
            ds *= p
            dmask = ds.copy() if len(self.parents) > 3 and self.needs_grad(3) else None
            ds *= self.scale
            if self.needs_grad(0):
                dq = ds @ k  # (..., L, D)
            if self.needs_grad(1):
                dk = _swap(ds) @ q  # (..., S, D)
        return (dq, dk, dv) if len(self.parents) == 3 else (dq, dk, dv, dmask)

    def explain_error(self, shapes, error):
        sq, sk, sv = (tuple(s) for s in shapes[:3])
        who = "scaled_dot_product_attention"
        if min(len(sq), len(sk), len(sv)) < 2:
            return (
                f"{who}: query, key and value need at least 2 dimensions (..., length, "
                f"features), got shapes {sq}, {sk} and {sv}; add a batch axis or reshape"
            )
        if sq[-1] != sk[-1]:
            return (
                f"{who}: query and key must have the same feature size D (last axis), got "
                f"query {sq} and key {sk}; project them to the same size first"
            )
        if sk[-2] != sv[-2]:
            return (
                f"{who}: key and value must have the same length S (second-to-last axis), "
                f"got key {sk} and value {sv}; each key needs exactly one value"
            )
        return (
            f"{who}: the shapes query {sq}, key {sk}, value {sv} do not fit together "
            f"({error}); the leading (batch, head) axes must broadcast, and the mask must "
            "broadcast to (..., L, S)"
        )


def attend(q, k, v, **options):
    """``(y, weights)``: the op applied to tensors q, k, v, and the probabilities it used
    (P * keep, shape (..., L, S)) as a plain array, for pictures of what attends to what.

    When no graph is recorded (``no_grad``, or no input requires grad) the op object would be
    dropped by ``apply``; here it is kept long enough to hand out its saved probabilities, so
    nothing is computed twice.
    """
    if grad_mode.state.enabled and (q.requires_grad or k.requires_grad or v.requires_grad):
        y = ScaledDotProductAttention.apply(q, k, v, **options)
        return y, y.grad_fn.pd
    op = ScaledDotProductAttention()
    try:
        out = op.forward(q.data, k.data, v.data, **options)
    except (ValueError, TypeError) as exc:
        raise type(exc)(op.explain_error([q.shape, k.shape, v.shape], exc)) from None
    return function._make_tensor(out, False, None), op.pd
