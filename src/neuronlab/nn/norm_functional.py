"""Functional forms of normalization and embedding: ``layer_norm``, ``batch_norm``, ``embedding``.

Each runs one fused primitive (``engine/ops/norm.py``, ``engine/ops/embedding.py``). Beside each
sits a naive reference composed from primitives (``composed_*``): mean, var, sqrt and indexing,
whose gradients come for free. The tests hold the pairs equal, values and gradients, in float64.
Signatures and defaults are PyTorch's (``F.batch_norm`` has training=False, as there).
"""

from __future__ import annotations

import numpy as np

from ..engine.functions import where
from ..engine.ops.embedding import Embedding as EmbeddingOp
from ..engine.ops.embedding import check_indices
from ..engine.ops.norm import BatchNorm as BatchNormOp
from ..engine.ops.norm import LayerNorm as LayerNormOp
from ..engine.tensor import Tensor


def _check_tensor(who: str, input) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{who}: expected a Tensor, got {type(input).__name__}; wrap arrays "
                        "with nl.tensor(x)")
    return input


# ----- embedding -----------------------------------------------------------------------------


def _indices(who: str, input, num_rows: int) -> np.ndarray:
    array = input.data if isinstance(input, Tensor) else np.asarray(input)
    check_indices(who, array, num_rows)
    return array


def check_padding_idx(who: str, padding_idx, num_rows: int) -> int | None:
    """``padding_idx`` checked and made non-negative (-1 is the last row), or None."""
    if padding_idx is None:
        return None
    if not -num_rows <= padding_idx < num_rows:
        raise ValueError(f"{who}: padding_idx must be within the {num_rows} rows (between "
                         f"{-num_rows} and {num_rows - 1}), got {padding_idx}")
    return padding_idx % num_rows


def embedding(input, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """y = weight[input]: row ``i`` of the table for every integer index ``i``.

    Shape: input (*) integers in [0, V), weight (V, D) -> (*, D). The row ``padding_idx`` gets
    no gradient.

    >>> import neuronlab as nl
    >>> embedding(nl.tensor([[1, 0]]), nl.tensor([[0.0, 0.5], [1.0, 1.5]])).tolist()
    [[[1.0, 1.5], [0.0, 0.5]]]
    """
    V = weight.data.shape[0]
    indices = input.data if isinstance(input, Tensor) else np.asarray(input)
    padding_idx = check_padding_idx("embedding", padding_idx, V)
    return EmbeddingOp.apply(weight, indices=indices, padding_idx=padding_idx)  # checks indices


def composed_embedding(input, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """Naive reference for ``embedding``: ``weight[input]`` through ``getitem`` (whose backward
    is ``np.add.at``), with the padding positions read from a detached copy of the table."""
    V = weight.data.shape[0]
    indices = _indices("embedding", input, V)
    rows = weight[indices]
    padding_idx = check_padding_idx("embedding", padding_idx, V)
    if padding_idx is None:
        return rows
    at_padding = np.broadcast_to((indices == padding_idx)[..., None], rows.shape)
    return where(at_padding, weight.detach()[indices], rows)


# ----- layer norm ----------------------------------------------------------------------------


def as_normalized_shape(normalized_shape) -> tuple[int, ...]:
    """``normalized_shape`` as a tuple of ints (an int means the last axis alone)."""
    if isinstance(normalized_shape, (int, np.integer)):
        return (int(normalized_shape),)
    return tuple(int(n) for n in normalized_shape)


def _check_layer_norm(input, shape, weight, bias):
    _check_tensor("layer_norm", input)
    k = len(shape)
    if input.ndim < k or input.data.shape[input.ndim - k:] != shape:
        raise ValueError(
            f"layer_norm: normalized_shape {shape} must match the last {k} dimension(s) of the "
            f"input, got input shape {input.data.shape}; pass normalized_shape="
            f"{input.data.shape[-k:] if input.ndim >= k else input.data.shape} or reshape the "
            "input so the features come last"
        )
    for label, p in (("weight", weight), ("bias", bias)):
        if p is not None and p.data.shape != shape:
            raise ValueError(f"layer_norm: {label} of shape {p.data.shape} does not match "
                             f"normalized_shape {shape}")


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """y = (x - mean) / sqrt(var + eps) * weight + bias, over the last len(normalized_shape) axes.

    Each example (and each position of a sequence) is normalized on its own.

    Shape: input (*, *normalized_shape); weight and bias normalized_shape -> like input.

    >>> import neuronlab as nl
    >>> y = layer_norm(nl.tensor([[0.0, 4.0], [1.0, 3.0]]), 2, eps=0.0)
    >>> y.tolist()
    [[-1.0, 1.0], [-1.0, 1.0]]
    """
    shape = as_normalized_shape(normalized_shape)
    _check_layer_norm(input, shape, weight, bias)
    if weight is None and bias is not None:  # rare: a shift without a scale
        weight = Tensor(np.ones(shape, dtype=input.dtype), dtype=input.dtype)
    params = [p for p in (weight, bias) if p is not None]
    return LayerNormOp.apply(input, *params, normalized_ndim=len(shape), eps=eps)


def composed_layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None,
                        bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Naive reference for ``layer_norm``, composed from mean, var and a power."""
    shape = as_normalized_shape(normalized_shape)
    _check_layer_norm(input, shape, weight, bias)
    axes = tuple(range(input.ndim - len(shape), input.ndim))
    centered = input - input.mean(axis=axes, keepdims=True)
    var = (centered * centered).mean(axis=axes, keepdims=True)
    y = centered * (var + eps) ** -0.5
    if weight is not None:
        y = y * weight
    return y if bias is None else y + bias


# ----- batch norm ----------------------------------------------------------------------------


def _array(t):
    return None if t is None else (t.data if isinstance(t, Tensor) else np.asarray(t))


def _check_batch_norm(input, running_mean, running_var, weight, bias, training):
    _check_tensor("batch_norm", input)
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C, *) with channels on axis "
                         f"1, got shape {input.data.shape}; add a batch axis (x.reshape(1, -1))")
    C = input.data.shape[1]
    for label, p in (("running_mean", running_mean), ("running_var", running_var),
                     ("weight", weight), ("bias", bias)):
        if p is not None and p.shape != (C,):
            raise ValueError(f"batch_norm: {label} must have shape ({C},), one value per channel "
                             f"of the input of shape {input.data.shape}, got {tuple(p.shape)}")
    if not training and (running_mean is None or running_var is None):
        raise ValueError("batch_norm: evaluation (training=False) needs running_mean and "
                         "running_var; pass them, or training=True to use the batch statistics")


def batch_norm(input: Tensor, running_mean, running_var, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """y = (x - mean) / sqrt(var + eps) * weight + bias per channel (axis 1).

    training=True: the batch's mean and biased variance over every axis but 1, and the running
    statistics (when given) are updated in place with the unbiased variance. training=False:
    the running statistics are used.

    Shape: input (N, C, *); running_mean, running_var, weight, bias (C,) -> like input.

    >>> import numpy as np, neuronlab as nl
    >>> mean, var = np.zeros(1, np.float32), np.ones(1, np.float32)
    >>> batch_norm(nl.tensor([[1.0], [3.0]]), mean, var, training=True, eps=0.0).tolist()
    [[-1.0], [1.0]]
    >>> mean.tolist(), var.tolist()  # 0.9 * 0 + 0.1 * 2,  0.9 * 1 + 0.1 * 2 (unbiased)
    ([0.20000000298023224], [1.100000023841858])
    """
    running_mean, running_var = _array(running_mean), _array(running_var)
    _check_batch_norm(input, running_mean, running_var, weight, bias, training)
    if weight is None and bias is not None:
        weight = Tensor(np.ones(input.data.shape[1], dtype=input.dtype), dtype=input.dtype)
    params = [p for p in (weight, bias) if p is not None]
    return BatchNormOp.apply(input, *params, running_mean=running_mean, running_var=running_var,
                             training=training, momentum=momentum, eps=eps)


def composed_batch_norm(input: Tensor, running_mean, running_var, weight: Tensor | None = None,
                        bias: Tensor | None = None, training: bool = False,
                        momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Naive reference for ``batch_norm``, composed from mean, var and a power (the running
    statistics are updated the same way)."""
    running_mean, running_var = _array(running_mean), _array(running_var)
    _check_batch_norm(input, running_mean, running_var, weight, bias, training)
    C = input.data.shape[1]
    shape = (1, C) + (1,) * (input.ndim - 2)
    axes = (0,) + tuple(range(2, input.ndim))
    if training:
        mean = input.mean(axis=axes, keepdims=True)
        centered = input - mean
        var = (centered * centered).mean(axis=axes, keepdims=True)
        m = input.data.size // C
        if running_mean is not None:
            running_mean[...] = (1 - momentum) * running_mean + momentum * mean.data.reshape(C)
        if running_var is not None:
            unbiased = var.data.reshape(C) * (m / (m - 1))
            running_var[...] = (1 - momentum) * running_var + momentum * unbiased
    else:
        centered = input - Tensor(running_mean.reshape(shape), dtype=input.dtype)
        var = Tensor(running_var.reshape(shape), dtype=input.dtype)
    y = centered * (var + eps) ** -0.5
    if weight is not None:
        y = y * weight.reshape(shape)
    return y if bias is None else y + bias.reshape(shape)
