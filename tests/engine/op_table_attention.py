"""Op-table records for the fused attention primitive (``engine/ops/attention.py``).

The NumPy reference is written from the formula, row by row; the PyTorch oracle is
``torch.nn.functional.scaled_dot_product_attention`` (and, with a dropout mask, the same
computation spelled out in torch, since torch draws its own dropout masks).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as TF
from op_table import Const, Err, In, OpInfo, S

from neuronlab.engine.ops.attention import ScaledDotProductAttention

_INF = np.inf
# (L=3, S=5) additive masks: a causal-like pattern, and one whose first query sees nothing.
MASK = np.array(
    [[0, -_INF, -_INF, 0, -_INF], [0, 0, -_INF, 0, 0], [-1.5, 0, 0, 0.5, -_INF]], dtype=float
)
BLIND_ROW = np.array([[-_INF] * 5, [0, 0, -_INF, 0, 0], [0, 0, 0, 0, 0]], dtype=float)
KEEP = np.where(np.random.default_rng(7).random((2, 3, 5)) < 0.25, 0.0, 1 / 0.75)  # p = 0.25
CAUSAL_4 = np.triu(np.full((4, 4), -_INF), 1)


def _nl_attention(q, k, v, mask=None, scale=None, keep=None):
    return ScaledDotProductAttention.apply(
        q,
        k,
        v,
        mask=None if mask is None else mask.data,
        scale=scale,
        keep=None if keep is None else keep.data,
    )


def _np_attention(q, k, v, mask=None, scale=None, keep=None):
    """Softmax row by row, from the definition: p_j = exp(s_j) / sum_i exp(s_i)."""
    scale = 1 / np.sqrt(q.shape[-1]) if scale is None else scale
    scores = np.einsum("...ld,...sd->...ls", q, k) * scale
    if mask is not None:
        scores = scores + mask
    finite_max = np.where(np.isfinite(scores), scores, -1e300).max(axis=-1, keepdims=True)
    e = np.exp(scores - np.maximum(finite_max, -1e300))
    total = e.sum(axis=-1, keepdims=True)
    p = np.divide(e, total, out=np.zeros_like(e), where=total > 0)  # a blind query gives 0
    if keep is not None:
        p = p * keep
    return np.einsum("...ls,...sd->...ld", p, v)


def _torch_attention(q, k, v, mask=None, scale=None, keep=None):
    if mask is not None and mask.ndim > q.ndim:  # torch wants the batch axes on q
        q = q.expand(mask.shape[:-2] + q.shape[-2:])
    if keep is None:
        return TF.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale)
    scale = 1 / q.shape[-1] ** 0.5 if scale is None else scale
    scores = q @ k.transpose(-2, -1) * scale
    if mask is not None:
        scores = scores + mask
    return (torch.softmax(scores, dim=-1) * keep) @ v


RECORDS = [
    OpInfo(
        "scaled_dot_product_attention",
        _nl_attention,
        _np_attention,
        _torch_attention,
        [
            S((2, 3, 4), (2, 5, 4), (2, 5, 2)),
            S((3, 4), (5, 4), (5, 6)).named("unbatched"),
            S((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4)).named("batch-and-heads"),
            S((2, 3, 4), (1, 5, 4), (5, 2)).named("broadcast-key-value"),
            S((2, 3, 4), (2, 5, 4), (2, 5, 2), scale=0.3),
            S((2, 3, 4), (2, 5, 4), (2, 5, 2), mask=Const(MASK)).named("mask"),
            S((2, 3, 4), (2, 5, 4), (2, 5, 2), mask=Const(BLIND_ROW)).named("blind-query"),
            S((3, 4), (5, 4), (5, 2), mask=Const(np.stack([MASK, MASK[::-1]]))).named(
                "mask-adds-batch-axis"
            ),
            S((2, 4, 3), (2, 4, 3), (2, 4, 3), mask=Const(CAUSAL_4)).named("causal"),
            S((2, 3, 4), (2, 5, 4), (2, 5, 2), keep=Const(KEEP)).named("dropout"),
            S((2, 3, 4), (2, 5, 4), (2, 5, 2), mask=Const(MASK), keep=Const(KEEP)).named(
                "mask+dropout"
            ),
            S(In((2, 3, 4), grad=False), (2, 5, 4), (2, 5, 2)).named("query-const"),
            S((2, 3, 4), In((2, 5, 4), grad=False), In((2, 5, 2), grad=False)).named(
                "key-value-const"
            ),
        ],
        errors=[
            Err(
                S((2, 3, 4), (2, 5, 6), (2, 5, 2)),
                ValueError,
                r"scaled_dot_product_attention: query and key must have the same feature size "
                r"D.*\(2, 3, 4\).*\(2, 5, 6\)",
            ),
            Err(
                S((2, 3, 4), (2, 5, 4), (2, 6, 2)),
                ValueError,
                r"scaled_dot_product_attention: key and value must have the same length S.*"
                r"\(2, 5, 4\).*\(2, 6, 2\)",
            ),
            Err(
                S((4,), (5, 4), (5, 2)),
                ValueError,
                r"scaled_dot_product_attention: .*at least 2 dimensions.*\(4,\)",
            ),
        ],
    ),
]
