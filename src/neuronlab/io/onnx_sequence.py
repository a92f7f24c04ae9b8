"""The sequence layers as ONNX nodes: RNN / LSTM / GRU, self-attention and the Transformer
encoder (entries of ``onnx_layers.ONNX_LAYERS``).

Recurrent layers map onto ONNX's own RNN, LSTM and GRU operators, which expect the time axis
first and order the gates differently from PyTorch (and so from neuronlab):

    LSTM  PyTorch: input, forget, cell, output    ONNX: input, output, forget, cell
    GRU   PyTorch: reset, update, new             ONNX: update, reset, hidden
          (and ONNX's linear_before_reset=1 is PyTorch's formula for the new gate)

Self-attention is written out with MatMul and Softmax:
softmax(Q K^T / sqrt(d) + mask) V per head, heads split by Reshape and Transpose.
"""

from __future__ import annotations

import math

import numpy as np

from . import onnx_layers
from .onnx_graph import Graph

_GATES = {"RNN": [0], "LSTM": [0, 3, 1, 2], "GRU": [1, 0, 2]}


def _reorder(array: np.ndarray, order: list[int]) -> np.ndarray:
    """Split the stacked gates (G*H, ...) and stack them again in ONNX's order."""
    blocks = np.split(array, len(order), axis=0)
    return np.concatenate([blocks[i] for i in order], axis=0)


def _layer_weights(layer, index: int, kind: str):
    """W (D, G*H, in), R (D, G*H, H), B (D, 2*G*H) of stacked layer ``index``, ONNX layout."""
    order = _GATES[kind]
    W, R, B = [], [], []
    for suffix in layer._suffixes(index):
        w_ih, w_hh, b_ih, b_hh = (
            None if t is None else np.asarray(t.data) for t in layer._weights(suffix)
        )
        W.append(_reorder(w_ih, order))
        R.append(_reorder(w_hh, order))
        if b_ih is None:
            B.append(np.zeros(2 * w_ih.shape[0], dtype=w_ih.dtype))
        else:
            B.append(np.concatenate([_reorder(b_ih, order), _reorder(b_hh, order)]))
    return np.stack(W), np.stack(R), np.stack(B)


def recurrent(g: Graph, layer, x: str) -> str:
    """The output sequence of an RNN, LSTM or GRU (its first result), in the layer's layout."""
    kind = type(layer).__name__
    if layer.batch_first:
        x = g.op("Transpose", [x], "time_first", perm=[1, 0, 2])  # (T, N, C)
    attrs = {
        "hidden_size": layer.hidden_size,
        "direction": "bidirectional" if layer.bidirectional else "forward",
    }
    if kind == "RNN":
        attrs["activations"] = ["Relu" if layer.nonlinearity == "relu" else "Tanh"]
    if kind == "GRU":
        attrs["linear_before_reset"] = 1
    for index in range(layer.num_layers):
        W, R, B = _layer_weights(layer, index, kind)
        names = [
            g.const(W, f"{kind.lower()}.W"),
            g.const(R, f"{kind.lower()}.R"),
            g.const(B, f"{kind.lower()}.B"),
        ]
        outputs = 3 if kind == "LSTM" else 2
        y = g.op(kind, [x, *names], kind.lower(), outputs=outputs, **attrs)[0]  # (T, D, N, H)
        y = g.op("Transpose", [y], "dirs_last", perm=[0, 2, 1, 3])  # (T, N, D, H)
        x = g.op("Reshape", [y, g.ints([0, 0, -1], "shape")], "sequence")  # (T, N, D*H)
    if layer.batch_first:
        x = g.op("Transpose", [x], "batch_first", perm=[1, 0, 2])
    return x


def _heads(g: Graph, x: str, weight, bias, H: int, D: int, perm: list[int], hint: str) -> str:
    y = g.op("MatMul", [x, g.const(weight.T, f"{hint}.weight_t")], hint)
    if bias is not None:
        y = g.op("Add", [y, g.const(bias, f"{hint}.bias")], hint)
    y = g.op("Reshape", [y, g.ints([0, 0, H, D], "heads_shape")], hint)  # (N, L, H, D)
    return g.op("Transpose", [y], hint, perm=perm)


def attention(g: Graph, layer, x: str, mask: str | None) -> str:
    """Self-attention: the first output of layer(x, x, x, attn_mask=mask), same layout as x."""
    if not layer._qkv_same_embed_dim:
        raise ValueError(
            f"export to ONNX: MultiheadAttention(embed_dim={layer.embed_dim}, kdim={layer.kdim}, "
            f"vdim={layer.vdim}) exports only as self-attention, with kdim = vdim = embed_dim"
        )
    E, H, D = layer.embed_dim, layer.num_heads, layer.head_dim
    if not layer.batch_first:
        x = g.op("Transpose", [x], "batch_first", perm=[1, 0, 2])  # (N, L, E)
    W = np.asarray(layer.in_proj_weight.data)
    b = None if layer.in_proj_bias is None else np.asarray(layer.in_proj_bias.data)
    Wq, Wk, Wv = np.split(W, 3)
    bq, bk, bv = np.split(b, 3) if b is not None else (None, None, None)
    q = _heads(g, x, Wq, bq, H, D, [0, 2, 1, 3], "q")  # (N, H, L, D)
    k = _heads(g, x, Wk, bk, H, D, [0, 2, 3, 1], "k")  # (N, H, D, L)
    v = _heads(g, x, Wv, bv, H, D, [0, 2, 1, 3], "v")  # (N, H, L, D)
    scores = g.op("Mul", [g.op("MatMul", [q, k], "scores"), g.scalar(1 / math.sqrt(D))])
    if mask is not None:
        scores = g.op("Add", [scores, mask], "masked_scores")
    weights = g.op("Softmax", [scores], "attention", axis=-1)
    out = g.op("Transpose", [g.op("MatMul", [weights, v], "mixed")], "mixed", perm=[0, 2, 1, 3])
    out = g.op("Reshape", [out, g.ints([0, 0, E], "shape")], "mixed")  # (N, L, E)
    out = onnx_layers._linear(g, layer.out_proj, out, "out_proj")
    if not layer.batch_first:
        out = g.op("Transpose", [out], "length_first", perm=[1, 0, 2])
    return out


def encoder_layer(g: Graph, layer, x: str, mask: str | None) -> str:
    """Post-norm: norm1(x + SA(x)), norm2(x + FF(x)); pre-norm: x + SA(norm1(x)), x + FF(...)."""
    emit = onnx_layers.emit

    def ff(h):
        return emit(g, layer.linear2, emit(g, layer.activation, emit(g, layer.linear1, h)))

    if layer.norm_first:
        x = g.op("Add", [x, attention(g, layer.self_attn, emit(g, layer.norm1, x), mask)])
        return g.op("Add", [x, ff(emit(g, layer.norm2, x))], "block")
    x = emit(g, layer.norm1, g.op("Add", [x, attention(g, layer.self_attn, x, mask)]))
    return emit(g, layer.norm2, g.op("Add", [x, ff(x)], "block"))


def encoder(g: Graph, layer, x: str, mask: str | None) -> str:
    """Every layer of a TransformerEncoder in turn, then its final norm (if any)."""
    for block in layer.layers:
        x = encoder_layer(g, block, x, mask)
    return x if layer.norm is None else onnx_layers.emit(g, layer.norm, x)
