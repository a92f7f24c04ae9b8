"""Attention maps: where each head of each attention layer looks, for one input.

A ``TransformerEncoderLayer`` calls its ``MultiheadAttention`` with ``need_weights=False`` (the
weights are not needed to compute the output). To see them, a forward hook on every attention
module runs it once more on the same inputs with ``need_weights=True`` and
``average_attn_weights=False``, under ``no_grad``, with the mask the model used (for a causal
model, pass ``causal=True``). Row ``i`` of a map is the softmax over the positions that query
``i`` attends to; each row sums to 1.

>>> import neuronlab as nl
>>> from neuronlab.models import TinyGPT
>>> _ = nl.manual_seed(0)
>>> model = TinyGPT(vocab_size=8, block_size=6, n_layer=2, n_head=2, n_embd=8)
>>> maps = attention_maps(model, [[1, 2, 3]], causal=True)
>>> [m.shape for m in maps], bool(abs(maps[0].sum(axis=-1) - 1).max() < 1e-5)
([(2, 3, 3), (2, 3, 3)], True)
"""

from __future__ import annotations

import numpy as np

from ..engine import Tensor, no_grad
from ..nn import Module
from ..nn.attention import MultiheadAttention, causal_mask

__all__ = ["attention_maps"]


def attention_maps(model: Module, ids, *, causal: bool = False) -> list[np.ndarray]:
    """The attention weights of every ``MultiheadAttention`` in ``model`` for one sequence.

    Args:
        model: any Module holding attention layers (e.g. ``TinyGPT``).
        ids: the model's input for one example, batched as the model expects (``(1, T)``).
        causal: the model masks the future (a GPT): each query sees itself and the past.

    Returns: one ``(heads, T, T)`` array per attention layer, in the order they ran; entry
    ``[h, i, j]`` is how much position ``i`` attends to position ``j`` in head ``h``.
    """
    if not isinstance(model, Module):
        raise TypeError(f"attention_maps(model) expected a neuronlab Module, got {type(model)}")
    layers = [m for m in model.modules() if isinstance(m, MultiheadAttention)]
    if not layers:
        raise ValueError(
            f"attention_maps · expected a model with MultiheadAttention layers · got "
            f"{type(model).__name__}, which has none · pass a Transformer such as TinyGPT"
        )
    maps: list[np.ndarray] = []
    busy = set()

    def hook(module, inputs, output):
        if id(module) in busy:  # the second call, made below
            return None
        q, k, v = inputs[:3]
        T = q.shape[1] if module.batch_first else q.shape[0]
        mask = causal_mask(T, dtype=q.data.dtype) if causal else None
        busy.add(id(module))
        try:
            _, weights = module(q, k, v, need_weights=True, attn_mask=mask,
                                average_attn_weights=False)  # fmt: skip
        finally:
            busy.discard(id(module))
        maps.append(np.asarray(weights.data)[0])  # (heads, T, T) of the first example
        return None

    handles = [layer.register_forward_hook(hook) for layer in layers]
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            model(ids if isinstance(ids, Tensor) else Tensor(np.asarray(ids, dtype=np.int64)))
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    return maps
