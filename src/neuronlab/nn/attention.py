"""Attention: each position of a sequence looks at every position and takes a weighted average
of what it finds there, the weights saying how well its query matches each key.

``scaled_dot_product_attention`` is the math (one fused op of the engine, with the composed
``naive_scaled_dot_product_attention`` beside it as the reference tests hold it equal to);
``MultiheadAttention`` is the layer: it projects the inputs to queries, keys and values, splits
them into heads that attend independently, and projects the joined heads back. Its parameters
are laid out as PyTorch's (``in_proj_weight`` (3E, E), ``in_proj_bias``, ``out_proj``), so
weights copy across. The derivation of forward and backward is in ``docs/math/attention.md``.

Masks come in two conventions, both PyTorch's: ``MultiheadAttention`` takes boolean masks where
**True means "may not attend"**, ``scaled_dot_product_attention`` takes boolean masks where
**True means "may attend"**. Float masks are added to the scores in both (0 keeps a score,
-inf removes it).
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.backend import DEFAULT_FLOAT, as_dtype
from ..engine.creation import from_numpy
from ..engine.ops import fused
from ..engine.ops.attention import ScaledDotProductAttention, attend
from ..engine.ops.matrix import Linear as LinearOp
from ..engine.random import default_generator
from ..engine.tensor import Tensor
from . import init
from .functional import check_dropout_p
from .linear import Linear
from .module import Module
from .parameter import Parameter

# ----- masks ---------------------------------------------------------------------------------


def additive_mask(mask, dtype, *, true_means: str, who: str) -> np.ndarray:
    """A boolean or float mask as the float array added to the attention scores (0 or -inf).

    ``true_means`` is ``"blocked"`` (MultiheadAttention's convention) or ``"allowed"``
    (scaled_dot_product_attention's).
    """
    m = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
    if m.dtype == np.bool_:
        blocked = m if true_means == "blocked" else ~m
        return np.where(blocked, -np.inf, 0.0).astype(dtype)
    if m.dtype.kind == "f":
        return m.astype(dtype, copy=False)
    meaning = "True = may not attend" if true_means == "blocked" else "True = may attend"
    raise TypeError(
        f"{who}: a mask must be boolean ({meaning}) or float (added to the scores: 0 keeps, "
        f"-inf removes), got dtype {m.dtype}; convert it with mask.astype(bool)"
    )


def causal_mask(L: int, S: int | None = None, dtype=DEFAULT_FLOAT) -> np.ndarray:
    """The additive causal mask (L, S): query i may look at keys 0..i only (-inf above the
    diagonal, 0 elsewhere).

    >>> causal_mask(3).tolist()
    [[0.0, -inf, -inf], [0.0, 0.0, -inf], [0.0, 0.0, 0.0]]
    """
    S = L if S is None else S
    return np.triu(np.full((L, S), -np.inf, dtype=dtype), 1)


def generate_square_subsequent_mask(sz: int, dtype=None) -> Tensor:
    """The causal mask for a sequence of length ``sz`` as a float tensor (sz, sz): 0 on and below
    the diagonal, -inf above it (PyTorch's ``nn.Transformer.generate_square_subsequent_mask``).

    >>> generate_square_subsequent_mask(2).tolist()
    [[0.0, -inf], [0.0, 0.0]]
    """
    return from_numpy(causal_mask(sz, dtype=DEFAULT_FLOAT if dtype is None else as_dtype(dtype)))


def dropout_keep(shape, p: float, dtype) -> np.ndarray:
    """A dropout mask for attention probabilities: 0 with probability p, else 1 / (1 - p).
    Drawn from ``default_generator()`` in float32 whatever the dtype, so a seed gives the same
    mask in float32 and float64."""
    keep = default_generator().random(shape, dtype=np.float32) >= p
    return np.multiply(keep, 1 / (1 - p), dtype=dtype)


# ----- the functional form -------------------------------------------------------------------


def _sdpa_setup(query, key, attn_mask, dropout_p, is_causal, scale, who):
    dropout_p = check_dropout_p(who, dropout_p)
    dtype = query.data.dtype
    L, S = query.shape[-2], key.shape[-2]
    if is_causal and attn_mask is not None:
        raise ValueError(
            f"{who}: pass either attn_mask or is_causal=True, not both; for a causal mask plus "
            "padding, add causal_mask(L, S) to your own float mask"
        )
    mask = causal_mask(L, S, dtype) if is_causal else None
    if attn_mask is not None:
        mask = additive_mask(attn_mask, dtype, true_means="allowed", who=who)
    scale = 1 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    return mask, scale, dropout_p


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask=None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
) -> Tensor:
    """y = softmax(query @ key^T * scale + mask) @ value, one fused op (PyTorch's
    ``F.scaled_dot_product_attention``).

    Shape: query (..., L, E), key (..., S, E), value (..., S, Ev) -> (..., L, Ev); leading
    (batch, head) axes broadcast.

    Args:
        attn_mask: boolean, **True = may attend** (PyTorch's convention for this function), or
            float, added to the scores; broadcastable to (..., L, S). A query that may attend to
            nothing gets zeros.
        dropout_p: dropout on the attention probabilities, applied whenever > 0 (as in PyTorch:
            pass 0.0 when evaluating).
        is_causal: query i sees keys 0..i only (instead of ``attn_mask``).
        scale: multiplies the scores; 1 / sqrt(E) by default.

    >>> import neuronlab as nl
    >>> q = nl.ones(1, 2, 4)
    >>> v = nl.tensor([[[1.0], [3.0]]])
    >>> scaled_dot_product_attention(q, q, v).tolist()
    [[[2.0], [2.0]]]
    >>> scaled_dot_product_attention(q, q, v, is_causal=True).tolist()
    [[[1.0], [2.0]]]
    """
    who = "scaled_dot_product_attention"
    mask, scale, p = _sdpa_setup(query, key, attn_mask, dropout_p, is_causal, scale, who)
    keep = None
    if p > 0:
        shape = np.broadcast_shapes(query.shape[:-1] + key.shape[-2:-1], np.shape(mask))
        keep = dropout_keep(shape, p, query.data.dtype)
    if isinstance(attn_mask, Tensor) and attn_mask.requires_grad:  # a learned additive bias
        bias = attn_mask.to(query.data.dtype)
        return ScaledDotProductAttention.apply(query, key, value, bias, scale=scale, keep=keep)
    return ScaledDotProductAttention.apply(query, key, value, mask=mask, scale=scale, keep=keep)


def naive_scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask=None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
) -> Tensor:
    """The composed reference for ``scaled_dot_product_attention``: matmul, scale, add the mask,
    softmax, dropout, matmul -- six graph nodes whose gradients come from the primitives.

    Same arguments and result, except that a query that may attend to nothing gives nan here
    (0 / 0 in the softmax) and zeros in the fused op. Draws the same dropout mask for the same
    seed.
    """
    who = "naive_scaled_dot_product_attention"
    mask, scale, p = _sdpa_setup(query, key, attn_mask, dropout_p, is_causal, scale, who)
    scores = (query @ key.transpose(-2, -1)) * scale  # (..., L, S)
    if isinstance(attn_mask, Tensor) and attn_mask.requires_grad:
        scores = scores + attn_mask.to(query.data.dtype)
    elif mask is not None:
        scores = scores + from_numpy(mask)
    weights = fused.Softmax.apply(scores, axis=-1)  # (..., L, S)
    if p > 0:
        weights = weights * from_numpy(dropout_keep(weights.shape, p, query.data.dtype))
    return weights @ value  # (..., L, Ev)


# ----- the layer -----------------------------------------------------------------------------


class MultiheadAttention(Module):
    """y = concat(head_1, ..., head_h) @ W_o^T + b_o,
    head_i = softmax(q_i @ k_i^T / sqrt(d) + mask) @ v_i,
    with q = query @ W_q^T + b_q, k = key @ W_k^T + b_k, v = value @ W_v^T + b_v split into h
    heads of d = embed_dim / num_heads features each.

    Shape: query (L, N, E), key (S, N, kdim), value (S, N, vdim) -> output (L, N, E);
    (N, L, E) etc. with ``batch_first=True``; unbatched (L, E) -> (L, E). The weights returned
    beside the output are (N, L, S), averaged over heads, or (N, num_heads, L, S) with
    ``average_attn_weights=False``; they are a picture (no gradient flows through them).

    Args:
        embed_dim: E, the size of each query (and of the output).
        num_heads: h; must divide embed_dim.
        dropout: dropout on the attention probabilities while training (default 0).
        bias: learn the biases of the input and output projections (default True).
        batch_first: inputs are (N, L, E) instead of (L, N, E) (default False, as in PyTorch).
        kdim, vdim: sizes of key and value when they differ from embed_dim.

    Parameters (PyTorch's layout, so ``state_dict``s copy across):
        in_proj_weight: (3E, E), [W_q; W_k; W_v] stacked, Xavier-uniform; replaced by
            q_proj_weight (E, E), k_proj_weight (E, kdim), v_proj_weight (E, vdim) when kdim or
            vdim differ from E.
        in_proj_bias: (3E,), zeros.   out_proj: Linear(E, E), its bias zeros.

    forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True, is_causal=False) -> (output, weights or None).
    ``key_padding_mask`` (N, S) and ``attn_mask`` (L, S) or (N * num_heads, L, S) are boolean,
    **True = may not attend**, or float, added to the scores. ``is_causal=True`` without a mask
    builds the causal mask (PyTorch insists on getting the mask too).

    >>> import neuronlab as nl
    >>> mha = MultiheadAttention(8, num_heads=2, batch_first=True)
    >>> x = nl.randn(3, 5, 8)                   # (N, L, E)
    >>> out, weights = mha(x, x, x)
    >>> out.shape, weights.shape
    ((3, 5, 8), (3, 5, 5))
    >>> bool(abs(weights.numpy().sum(-1) - 1).max() < 1e-5)  # each query's weights sum to 1
    True
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        batch_first: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        dtype=None,
    ):
        super().__init__()
        for label, n in (("embed_dim", embed_dim), ("num_heads", num_heads)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
                raise ValueError(
                    f"MultiheadAttention: {label} must be a positive integer, got {n!r}"
                )
        if embed_dim % num_heads:
            raise ValueError(
                f"MultiheadAttention: embed_dim={embed_dim} must be divisible by num_heads="
                f"{num_heads} (each head gets embed_dim / num_heads features); pick num_heads "
                f"among {[d for d in range(1, min(embed_dim, 16) + 1) if embed_dim % d == 0]}"
            )
        self.embed_dim, self.num_heads = int(embed_dim), int(num_heads)
        self.head_dim = self.embed_dim // self.num_heads
        self.dropout = check_dropout_p("MultiheadAttention", dropout)
        self.batch_first = bool(batch_first)
        self.kdim = self.embed_dim if kdim is None else int(kdim)
        self.vdim = self.embed_dim if vdim is None else int(vdim)
        self._qkv_same_embed_dim = self.kdim == self.embed_dim and self.vdim == self.embed_dim
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        E = self.embed_dim
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * E, E), dtype=dtype))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.register_parameter("in_proj_weight", None)
            self.q_proj_weight = Parameter(np.empty((E, E), dtype=dtype))
            self.k_proj_weight = Parameter(np.empty((E, self.kdim), dtype=dtype))
            self.v_proj_weight = Parameter(np.empty((E, self.vdim), dtype=dtype))
        if bias:
            self.in_proj_bias = Parameter(np.empty(3 * E, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(E, E, bias=bias, dtype=dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's initialization: Xavier-uniform projections, zero biases."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for w in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(w)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)

    # ----- forward ---------------------------------------------------------------------------
    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask=None,
        need_weights: bool = True,
        attn_mask=None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ):
        self._check_inputs(query, key, value)
        batched = query.ndim == 3
        if not batched:  # (L, E) -> (1, L, E), handled as batch-first
            query, key, value = query.unsqueeze(0), key.unsqueeze(0), value.unsqueeze(0)
        batch_first = self.batch_first or not batched
        N = query.shape[0 if batch_first else 1]
        L, S = query.shape[1 if batch_first else 0], key.shape[1 if batch_first else 0]
        q, k, v = self._project(query, key, value, batch_first)  # (N, h, L or S, d)
        mask = self._mask(key_padding_mask, attn_mask, is_causal, N, L, S, batched)
        keep = None
        if self.training and self.dropout > 0:
            keep = dropout_keep((N, self.num_heads, L, S), self.dropout, query.data.dtype)
        y, weights = attend(q, k, v, mask=mask, keep=keep)  # (N, h, L, d), (N, h, L, S)
        axes = (0, 2, 1, 3) if batch_first else (2, 0, 1, 3)
        y = y.permute(*axes)  # (N, L, h, d) or (L, N, h, d)
        out = self.out_proj(y.reshape(y.shape[:2] + (self.embed_dim,)))  # (N, L, E) or (L, N, E)
        if not batched:
            out = out.squeeze(0)
        if not need_weights:
            return out, None
        weights = weights.mean(axis=1) if average_attn_weights else weights.copy()
        return out, from_numpy(weights if batched else weights[0])

    def _project(self, query, key, value, batch_first):
        """Queries, keys and values, each split into heads: (N, h, length, d)."""
        E, b = self.embed_dim, self.in_proj_bias
        if self._qkv_same_embed_dim:
            W = self.in_proj_weight
            weights = (W[:E], W[E : 2 * E], W[2 * E :])
        else:
            weights = (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)
        biases = (None,) * 3 if b is None else (b[:E], b[E : 2 * E], b[2 * E :])
        axes = (0, 2, 1, 3) if batch_first else (1, 2, 0, 3)
        heads = []
        for x, W_i, b_i in zip((query, key, value), weights, biases):
            x = LinearOp.apply(x, W_i) if b_i is None else LinearOp.apply(x, W_i, b_i)
            x = x.reshape(x.shape[:2] + (self.num_heads, self.head_dim))  # (N, L, h, d)
            heads.append(x.permute(*axes))  # (N, h, L, d)
        return heads

    def _mask(self, key_padding_mask, attn_mask, is_causal, N, L, S, batched):
        """The additive mask (broadcastable to (N, h, L, S)) from the two optional masks."""
        who, dtype, h = self._who(), self.out_proj.weight.data.dtype, self.num_heads
        mask = None
        if attn_mask is not None:
            mask = additive_mask(attn_mask, dtype, true_means="blocked", who=who)
            allowed = [(L, S), (N * h, L, S)] if batched else [(L, S), (h, L, S)]
            if mask.shape not in allowed:
                raise ValueError(
                    f"{who}: attn_mask must have shape {' or '.join(map(str, allowed))} "
                    f"(L={L} queries, S={S} keys, N * num_heads = {N * h}), got {mask.shape}"
                )
            mask = mask.reshape((N, h, L, S)) if mask.ndim == 3 else mask
        elif is_causal:
            mask = causal_mask(L, S, dtype)
        if key_padding_mask is not None:
            pad = additive_mask(key_padding_mask, dtype, true_means="blocked", who=who)
            expected = (N, S) if batched else (S,)
            if pad.shape != expected:
                layout = "(N, S)" if batched else "(S,) for an unbatched input"
                raise ValueError(
                    f"{who}: key_padding_mask must be {layout} = {expected}, one entry per key, "
                    f"got {pad.shape}. With batch_first={self.batch_first} the inputs are read "
                    f"as {'(N, L, E)' if self.batch_first else '(L, N, E)'}; check that."
                )
            pad = pad.reshape(N, 1, 1, S)
            mask = pad if mask is None else mask + pad
        return mask

    # ----- checks ----------------------------------------------------------------------------
    def _who(self) -> str:
        return (
            f"MultiheadAttention(embed_dim={self.embed_dim}, num_heads={self.num_heads}, "
            f"batch_first={self.batch_first})"
        )

    def _check_inputs(self, query, key, value) -> None:
        who = self._who()
        for name, x in (("query", query), ("key", key), ("value", value)):
            if not isinstance(x, Tensor):
                raise TypeError(
                    f"{who} expected a Tensor {name}, got {type(x).__name__}; wrap "
                    "arrays with nl.tensor(x)"
                )
        layout = "(N, L, E)" if self.batch_first else "(L, N, E)"
        if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
            raise ValueError(
                f"{who} expected query, key and value of 3 dimensions {layout} (or 2 for one "
                f"unbatched sequence (L, E)), got shapes {query.shape}, {key.shape} and "
                f"{value.shape}"
            )
        for name, x, size in (
            ("query", query, self.embed_dim),
            ("key", key, self.kdim),
            ("value", value, self.vdim),
        ):
            if x.shape[-1] != size:
                raise ValueError(
                    f"{who} expected a {name} whose last dimension is {size}, got shape "
                    f"{x.shape}; the features go last: {layout}"
                )
        batch, length = (0, 1) if self.batch_first else (1, 0)
        if query.ndim == 3 and not (query.shape[batch] == key.shape[batch] == value.shape[batch]):
            raise ValueError(
                f"{who}: query, key and value must have the same batch size (axis {batch} of "
                f"{layout}), got shapes {query.shape}, {key.shape} and {value.shape}; is "
                "batch_first set right?"
            )
        length = length if query.ndim == 3 else 0
        if key.shape[length] != value.shape[length]:
            raise ValueError(
                f"{who}: key and value must have the same length S (one value per key), got "
                f"shapes {key.shape} and {value.shape}"
            )
        dtype = self.out_proj.weight.data.dtype
        if query.data.dtype != dtype:
            raise TypeError(
                f"{who} has {dtype} parameters but got a {query.data.dtype} query; convert the "
                "input (x.float() or x.double()) or the model (model.float() or model.double())"
            )

    def extra_repr(self) -> str:
        parts = [f"embed_dim={self.embed_dim}", f"num_heads={self.num_heads}"]
        if self.dropout:
            parts.append(f"dropout={self.dropout}")
        if self.in_proj_bias is None:
            parts.append("bias=False")
        if not self._qkv_same_embed_dim:
            parts.append(f"kdim={self.kdim}, vdim={self.vdim}")
        parts.append(f"batch_first={self.batch_first}")
        return ", ".join(parts)
