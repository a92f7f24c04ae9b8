"""``neuronlab.nn.functional`` (import it as ``F``): the math of the layers, without their state.

``nn.Linear`` holds a weight and a bias and computes ``F.linear(x, weight, bias)``. Use these
functions inside your own ``forward`` when a layer object would only add ceremony
(``F.relu(self.fc1(x))``). The losses live in ``loss_functional`` and are re-exported
here, so ``F.cross_entropy`` works as in PyTorch.

Where the engine has a fused fast path (``linear``, ``softmax``, ``log_softmax``, the two
classification losses), a naive reference composed from primitives sits beside it
(``composed_*``). They compute the same thing; the tests hold them equal, values and gradients.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.creation import from_numpy
from ..engine.ops import elementwise as E
from ..engine.ops.matrix import Linear as LinearOp
from ..engine.random import default_generator
from ..engine.tensor import Tensor
from .loss_functional import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    composed_bce_with_logits,
    composed_cross_entropy,
    cross_entropy,
    huber_loss,
    l1_loss,
    mse_loss,
    nll_loss,
)

# ----- linear --------------------------------------------------------------------------------


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = input @ weight.T + bias, as one fused op.

    Shape: input (*, in), weight (out, in), bias (out,) -> (*, out).

    >>> import neuronlab as nl
    >>> linear(nl.ones(2, 3), nl.ones(4, 3), nl.zeros(4)).tolist()
    [[3.0, 3.0, 3.0, 3.0], [3.0, 3.0, 3.0, 3.0]]
    """
    if not isinstance(input, Tensor):
        raise TypeError(
            f"linear: expected a Tensor input, got {type(input).__name__}; "
            "wrap arrays with nl.tensor(x)"
        )
    shape = input.data.shape
    if not shape or shape[-1] != weight.data.shape[-1]:
        raise ValueError(
            f"linear: an input of shape {shape} does not fit a weight of shape "
            f"{weight.data.shape} (out_features, in_features): the input's last dimension must "
            f"be {weight.data.shape[-1]}. Check the layer sizes, or transpose the weight."
        )
    if bias is None:
        return LinearOp.apply(input, weight)
    return LinearOp.apply(input, weight, bias)


def composed_linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Naive reference for ``linear``: matmul, transpose and add, three graph nodes."""
    out = input @ weight.T
    return out if bias is None else out + bias


# ----- activations ---------------------------------------------------------------------------


def relu(input: Tensor) -> Tensor:
    """y = max(x, 0)"""
    return input.relu()


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """y = x if x > 0 else negative_slope * x   (gradient negative_slope at 0, as in PyTorch)

    >>> import neuronlab as nl
    >>> leaky_relu(nl.tensor([-2.0, 3.0]), negative_slope=0.5).tolist()
    [-1.0, 3.0]
    """
    return E.Where.apply(input, input * negative_slope, cond=input.data > 0)


def sigmoid(input: Tensor) -> Tensor:
    """y = 1 / (1 + exp(-x))"""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """y = tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))"""
    return input.tanh()


_INV_SQRT2 = 1 / math.sqrt(2)
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """y = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2)))     (approximate='none')
    y = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))   (approximate='tanh')

    Phi is the standard normal CDF: x is kept with the probability that a N(0, 1) sample is below
    it. Composed from primitives, so the gradient comes for free.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in gelu(nl.tensor([-1.0, 0.0, 1.0])).tolist()]
    [-0.1587, 0.0, 0.8413]
    """
    if approximate == "none":
        return input * (((input * _INV_SQRT2).erf() + 1) * 0.5)
    if approximate == "tanh":
        inner = (input + input**3 * 0.044715) * _SQRT_2_OVER_PI
        return input * ((inner.tanh() + 1) * 0.5)
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def softmax(input: Tensor, dim: int, dtype=None) -> Tensor:
    """y_i = exp(x_i) / sum_j exp(x_j) along ``dim`` (fused: max subtracted first, one node).

    >>> import neuronlab as nl
    >>> softmax(nl.tensor([[1.0, 1.0]]), dim=1).tolist()
    [[0.5, 0.5]]
    """
    return input.softmax(dim, dtype)


def composed_softmax(input: Tensor, dim: int) -> Tensor:
    """Naive reference for ``softmax``. Subtracting the (constant) max changes nothing but keeps
    exp from overflowing."""
    e = (input - input.max(dim, keepdims=True).detach()).exp()
    return e / e.sum(dim, keepdims=True)


def log_softmax(input: Tensor, dim: int, dtype=None) -> Tensor:
    """y_i = x_i - log(sum_j exp(x_j)) along ``dim`` (fused, stable for large |x|).

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in log_softmax(nl.tensor([0.0, 0.0]), dim=0).tolist()]
    [-0.6931, -0.6931]
    """
    return input.log_softmax(dim, dtype)


def composed_log_softmax(input: Tensor, dim: int) -> Tensor:
    """Naive reference for ``log_softmax``: x - m - log(sum(exp(x - m))), m = max(x)."""
    shifted = input - input.max(dim, keepdims=True).detach()
    return shifted - shifted.exp().sum(dim, keepdims=True).log()


# ----- dropout -------------------------------------------------------------------------------


def check_dropout_p(who: str, p) -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        raise ValueError(
            f"{who}: the drop probability p must be a number between 0 and 1, got {p!r} "
            "(p is the fraction of units set to zero, e.g. 0.5 or 0.1)"
        )
    return float(p)


def dropout(input: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Inverted dropout: y = x * m / (1 - p), m_i ~ Bernoulli(1 - p); y = x when not training.

    Dividing by 1 - p keeps the expected value of every unit, so nothing changes at evaluation.
    The mask comes from ``neuronlab.engine.random.default_generator()`` (``nl.manual_seed``).

    >>> import neuronlab as nl
    >>> dropout(nl.ones(4), p=0.5, training=False).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    p = check_dropout_p("dropout", p)
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0.0
    # Drawn in float32 whatever the input dtype, so a seed gives the same mask in float64 tests.
    keep = default_generator().random(input.data.shape, dtype=np.float32) >= p
    mask = np.multiply(keep, 1 / (1 - p), dtype=input.data.dtype)
    return E.Mul.apply(input, from_numpy(mask))


# ----- encoding ------------------------------------------------------------------------------


def one_hot(tensor, num_classes: int = -1) -> Tensor:
    """Class indices -> rows of zeros with a 1 at the index: shape (*) -> (*, num_classes), int64.

    ``num_classes=-1`` uses the largest index + 1.

    >>> import neuronlab as nl
    >>> one_hot(nl.tensor([0, 2]), 3).tolist()
    [[1, 0, 0], [0, 0, 1]]
    """
    labels = tensor.data if isinstance(tensor, Tensor) else np.asarray(tensor)
    if labels.dtype.kind not in "iu":
        raise TypeError(
            f"one_hot: expected integer class indices, got dtype {labels.dtype}; convert with "
            "y.long() (or y.astype(np.int64))"
        )
    if num_classes == -1:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        bad = labels[(labels < 0) | (labels >= num_classes)].flat[0]
        raise ValueError(
            f"one_hot: class index {bad} is out of range for num_classes={num_classes} (valid: 0 "
            f"to {num_classes - 1}); pass a larger num_classes or check the labels"
        )
    out = np.zeros(labels.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, labels[..., None].astype(np.int64), 1, axis=-1)
    return from_numpy(out)


__all__ = [
    "adaptive_avg_pool2d",
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "composed_adaptive_avg_pool2d",
    "composed_avg_pool2d",
    "composed_batch_norm",
    "composed_bce_with_logits",
    "composed_conv2d",
    "composed_cross_entropy",
    "composed_embedding",
    "composed_layer_norm",
    "composed_linear",
    "composed_log_softmax",
    "composed_max_pool2d",
    "composed_softmax",
    "conv1d",
    "conv2d",
    "cross_entropy",
    "dropout",
    "embedding",
    "gelu",
    "gru_cell",
    "huber_loss",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "lstm_cell",
    "max_pool2d",
    "max_unpool2d",
    "mse_loss",
    "naive_scaled_dot_product_attention",
    "nll_loss",
    "one_hot",
    "relu",
    "rnn_cell",
    "scaled_dot_product_attention",
    "sigmoid",
    "softmax",
    "tanh",
]


# The layer families defined in their own modules (imported last: some of them use helpers
# from this module).
# The wider PyTorch surface, each family in its own module.
from .activation_functional import (  # noqa: E402
    celu,
    elu,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    logsigmoid,
    mish,
    prelu,
    relu6,
    selu,
    silu,
    softmin,
    softplus,
    softshrink,
    softsign,
    tanhshrink,
    threshold,
)
from .attention import naive_scaled_dot_product_attention, scaled_dot_product_attention  # noqa: E402
from .conv_functional import (  # noqa: E402
    adaptive_avg_pool2d,
    avg_pool2d,
    composed_adaptive_avg_pool2d,
    composed_avg_pool2d,
    composed_conv2d,
    composed_max_pool2d,
    conv1d,
    conv2d,
    max_pool2d,
    max_unpool2d,
)
from .conv_transpose import conv_transpose1d, conv_transpose2d  # noqa: E402
from .functional_distance import cosine_similarity, normalize, pairwise_distance  # noqa: E402
from .functional_spatial import fold, pad, pixel_shuffle, pixel_unshuffle, unfold  # noqa: E402
from .loss_more import kl_div, smooth_l1_loss  # noqa: E402
from .norm_functional import (  # noqa: E402
    batch_norm,
    composed_batch_norm,
    composed_embedding,
    composed_layer_norm,
    embedding,
    layer_norm,
)
from .normalization_more import group_norm, instance_norm, rms_norm  # noqa: E402
from .recurrent_functional import gru_cell, lstm_cell, rnn_cell  # noqa: E402
from .upsampling import interpolate  # noqa: E402

__all__ += [
    "celu", "conv_transpose1d", "conv_transpose2d", "cosine_similarity", "elu", "fold",
    "group_norm", "hardsigmoid", "hardswish", "hardtanh", "instance_norm", "interpolate",
    "logsigmoid", "mish", "normalize", "pad", "pairwise_distance", "pixel_shuffle",
    "pixel_unshuffle", "prelu", "relu6", "selu", "silu", "softmin", "softplus", "softsign",
    "tanhshrink", "unfold", "glu", "hardshrink", "softshrink", "threshold", "kl_div",
    "smooth_l1_loss", "rms_norm",
]
