"""More activation functions (re-exported by ``neuronlab.nn.functional``), each composed from
the engine's primitives, so the gradient comes from theirs.

Where a textbook formula would overflow (exp(x) for large x in softplus, elu and mish), the
composition is rearranged so that no branch computes an infinity, not even the branch that
``where`` throws away: its gradient would be 0 * inf = nan.
"""

from __future__ import annotations

from ..engine.ops import elementwise as E
from ..engine.tensor import Tensor

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def silu(input: Tensor) -> Tensor:
    """y = x * sigmoid(x)   (also called swish)

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in silu(nl.tensor([-1.0, 0.0, 2.0])).tolist()]
    [-0.2689, 0.0, 1.7616]
    """
    return input * input.sigmoid()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """y = log(1 + exp(beta * x)) / beta, and y = x where beta * x > threshold (PyTorch's
    switch to the linear part, where the two agree to float precision).

    Computed as max(z, 0) + log1p(exp(-|z|)) with z = beta * x, which never overflows.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in softplus(nl.tensor([-1.0, 0.0, 30.0])).tolist()]
    [0.3133, 0.6931, 30.0]
    """
    z = input * beta if beta != 1 else input
    smooth = z.relu() + (-z.abs()).exp().log1p()
    if beta != 1:
        smooth = smooth * (1 / beta)
    return E.Where.apply(input, smooth, cond=z.data > threshold)


def logsigmoid(input: Tensor) -> Tensor:
    """y = log(sigmoid(x)) = -softplus(-x), stable for any x.

    >>> import neuronlab as nl
    >>> round(logsigmoid(nl.tensor([0.0])).item(), 4)
    -0.6931
    """
    z = -input
    return -(z.relu() + (-z.abs()).exp().log1p())


def _negative_part_expm1(input: Tensor, alpha: float) -> Tensor:
    """alpha * (exp(min(x, 0) / alpha) - 1): zero for x >= 0, and exp never sees a large x."""
    low = input.clip(max=0.0)
    return ((low * (1 / alpha)).expm1() if alpha != 1 else low.expm1()) * alpha


def elu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """y = x if x > 0 else alpha * (exp(x) - 1)

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in elu(nl.tensor([-1.0, 2.0])).tolist()]
    [-0.6321, 2.0]
    """
    low = input.clip(max=0.0).expm1() * alpha
    return E.Where.apply(input, low, cond=input.data > 0)


def selu(input: Tensor) -> Tensor:
    """y = scale * elu(x, alpha) with PyTorch's fixed alpha = 1.6733 and scale = 1.0507, which
    keep activations near mean 0 and variance 1 through deep stacks.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in selu(nl.tensor([-1.0, 1.0])).tolist()]
    [-1.1113, 1.0507]
    """
    return elu(input, SELU_ALPHA) * SELU_SCALE


def celu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """y = max(0, x) + min(0, alpha * (exp(x / alpha) - 1))

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in celu(nl.tensor([-1.0, 2.0]), alpha=2.0).tolist()]
    [-0.7869, 2.0]
    """
    if alpha == 0:
        raise ValueError("celu: alpha must not be 0 (it divides x)")
    return E.Where.apply(input, _negative_part_expm1(input, alpha), cond=input.data > 0)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """y = min(max(x, min_val), max_val)

    >>> import neuronlab as nl
    >>> hardtanh(nl.tensor([-3.0, 0.5, 3.0])).tolist()
    [-1.0, 0.5, 1.0]
    """
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val {min_val} must not exceed max_val {max_val}")
    return input.clip(min_val, max_val)


def relu6(input: Tensor) -> Tensor:
    """y = min(max(x, 0), 6)

    >>> import neuronlab as nl
    >>> relu6(nl.tensor([-1.0, 3.0, 8.0])).tolist()
    [0.0, 3.0, 6.0]
    """
    return hardtanh(input, 0.0, 6.0)


def hardsigmoid(input: Tensor) -> Tensor:
    """y = min(max(x / 6 + 1 / 2, 0), 1): a piecewise-linear sigmoid

    >>> import neuronlab as nl
    >>> hardsigmoid(nl.tensor([-4.0, 0.0, 4.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    return (input * (1 / 6) + 0.5).clip(0.0, 1.0)


def hardswish(input: Tensor) -> Tensor:
    """y = x * hardsigmoid(x)   (0 below -3, x above 3, x * (x + 3) / 6 between)

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in hardswish(nl.tensor([-4.0, 1.0, 4.0])).tolist()]
    [-0.0, 0.6667, 4.0]
    """
    return input * hardsigmoid(input)


def mish(input: Tensor) -> Tensor:
    """y = x * tanh(softplus(x))

    >>> import neuronlab as nl
    >>> round(mish(nl.tensor([1.0])).item(), 4)
    0.8651
    """
    return input * softplus(input).tanh()


def tanhshrink(input: Tensor) -> Tensor:
    """y = x - tanh(x)"""
    return input - input.tanh()


def softsign(input: Tensor) -> Tensor:
    """y = x / (1 + |x|)"""
    return input / (input.abs() + 1)


def softmin(input: Tensor, dim: int, dtype=None) -> Tensor:
    """y = softmax(-x) along ``dim``: the smallest values get the largest weights.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in softmin(nl.tensor([0.0, 1.0]), dim=0).tolist()]
    [0.7311, 0.2689]
    """
    x = input if dtype is None else input.to(dtype)
    return (-x).softmax(dim)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """y = x if x > 0 else a * x, with a learned slope ``weight``: one value, or one per channel
    (axis 1 of the input).

    Shape: input (N, C, *) or any shape with a single slope; weight (1,) or (C,).
    """
    w = weight
    if weight.numel() > 1:
        if input.ndim < 2 or input.shape[1] != weight.numel():
            raise ValueError(
                f"prelu: {weight.numel()} slopes need an input with that many channels on axis "
                f"1, got shape {input.shape}; use num_parameters=1 or match the channels"
            )
        w = weight.reshape((1, -1) + (1,) * (input.ndim - 2))
    elif weight.ndim:
        w = weight.reshape(())
    return E.Where.apply(input, input * w, cond=input.data > 0)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Gated linear unit: split x in halves a, b along ``dim``; y = a * sigmoid(b).

    Shape: (*, 2n, *) -> (*, n, *) along ``dim``.
    """
    n = input.shape[dim] if input.ndim else 0
    if n % 2:
        raise ValueError(f"glu: dim {dim} must have an even size to split in halves, got {n}")
    a, b = input.chunk(2, dim)
    return a * b.sigmoid()


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """y = x where |x| > lambd, else 0"""
    zero = input * 0.0
    return E.Where.apply(input, zero, cond=abs(input.data) > lambd)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """y = x - lambd above lambd, x + lambd below -lambd, else 0 (pulled toward 0 by lambd)"""
    if lambd < 0:
        raise ValueError(f"softshrink: lambd must be >= 0, got {lambd}")
    shrunk = E.Where.apply(input - lambd, input + lambd, cond=input.data > 0)
    return E.Where.apply(shrunk, input * 0.0, cond=abs(input.data) > lambd)


def threshold(input: Tensor, threshold: float, value: float) -> Tensor:
    """y = x where x > threshold, else ``value``"""
    return E.Where.apply(input, input * 0.0 + value, cond=input.data > threshold)


__all__ = [
    "celu",
    "glu",
    "hardshrink",
    "softshrink",
    "threshold",
    "elu",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "logsigmoid",
    "mish",
    "prelu",
    "relu6",
    "selu",
    "silu",
    "softmin",
    "softplus",
    "softsign",
    "tanhshrink",
]
