"""Normalization over groups of channels: ``group_norm`` / ``GroupNorm`` and ``instance_norm`` /
``InstanceNorm1d`` / ``InstanceNorm2d`` (the functions are re-exported by
``neuronlab.nn.functional``).

Group norm splits the C channels of each example into G groups and normalizes each group over
its channels and positions; instance norm is the case G = C (each channel of each example on its
own, the classic style-transfer normalization); layer norm over (C, H, W) would be G = 1. None
of them looks at other examples, so they behave the same in training and evaluation and work
with a batch of one. Composed from reshape, mean and var, so the gradient comes for free.
"""

from __future__ import annotations

import numpy as np

from ..engine.backend import DEFAULT_FLOAT, as_dtype
from ..engine.tensor import Tensor
from .module import Module
from .parameter import Parameter


def _normalize_groups(x: Tensor, groups: int, eps: float) -> Tensor:
    """(N, C, *) -> the same, each of the ``groups`` channel groups at mean 0 and variance 1."""
    N = x.shape[0]
    g = x.reshape(N, groups, -1)
    centered = g - g.mean(2, keepdims=True)
    var = (centered * centered).mean(2, keepdims=True)
    return (centered * (var + eps) ** -0.5).reshape(x.shape)


def _affine(y: Tensor, weight, bias) -> Tensor:
    shape = (1, -1) + (1,) * (y.ndim - 2)
    if weight is not None:
        y = y * weight.reshape(shape)
    return y if bias is None else y + bias.reshape(shape)


def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """y = (x - mean) / sqrt(var + eps) * weight + bias, mean and (biased) var over each group of
    C / num_groups channels and all positions of one example.

    Shape: input (N, C, *) -> the same; weight and bias (C,).

    >>> import neuronlab as nl
    >>> y = group_norm(nl.tensor([[[1.0], [3.0], [0.0], [4.0]]]), 2)
    >>> [round(v, 3) for v in y.flatten().tolist()]
    [-1.0, 1.0, -1.0, 1.0]
    """
    if input.ndim < 2:
        raise ValueError(f"group_norm: expected an input (N, C, *), got shape {input.shape}")
    C = input.shape[1]
    if num_groups < 1 or C % num_groups:
        raise ValueError(
            f"group_norm: {C} channels cannot be split into {num_groups} equal groups; "
            "num_groups must divide the number of channels"
        )
    return _affine(_normalize_groups(input, num_groups, eps), weight, bias)


def instance_norm(
    input: Tensor,
    running_mean=None,
    running_var=None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Each channel of each example normalized over its positions: group_norm with C groups.

    Shape: input (N, C, *) with at least one position axis -> the same.
    Running statistics are not kept here (``use_input_stats`` must stay True).
    """
    if running_mean is not None or running_var is not None or not use_input_stats:
        raise ValueError(
            "instance_norm: running statistics are not available here; normalize with the "
            "input's own statistics (use_input_stats=True, no running_mean/running_var)"
        )
    if input.ndim < 3:
        raise ValueError(
            f"instance_norm: expected an input (N, C, L) or (N, C, H, W), got shape {input.shape}"
        )
    return _affine(_normalize_groups(input, input.shape[1], eps), weight, bias)


def rms_norm(
    input: Tensor, normalized_shape, weight: Tensor | None = None, eps: float | None = None
) -> Tensor:
    """y = x / sqrt(mean(x^2) + eps) * weight, the mean over the trailing ``normalized_shape``
    axes (no centering, no bias). ``eps`` defaults to the dtype's machine epsilon, as in PyTorch.

    Shape: (*, *normalized_shape) -> the same; weight normalized_shape.
    """
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if input.shape[input.ndim - len(shape) :] != shape:
        raise ValueError(
            f"rms_norm: normalized_shape {shape} must match the last dimensions of "
            f"the input, got shape {input.shape}"
        )
    eps = float(np.finfo(input.dtype).eps) if eps is None else eps
    axes = tuple(range(input.ndim - len(shape), input.ndim))
    y = input * ((input * input).mean(axes, keepdims=True) + eps) ** -0.5
    return y if weight is None else y * weight


class GroupNorm(Module):
    """``group_norm`` with learned per-channel ``weight`` (ones) and ``bias`` (zeros).

    Shape: (N, C, *) -> the same.

    Args:
        num_groups: how many groups the channels are split into (must divide num_channels).
        num_channels: C.
        eps: added to the variance.
        affine: learn weight and bias.

    >>> import neuronlab as nl
    >>> GroupNorm(2, 4)(nl.randn(3, 4, 5, 5)).shape
    (3, 4, 5, 5)
    """

    def __init__(
        self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True, dtype=None
    ):
        super().__init__()
        if num_groups < 1 or num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_groups ({num_groups}) must divide num_channels ({num_channels})"
            )
        self.num_groups, self.num_channels, self.eps, self.affine = (
            num_groups,
            num_channels,
            eps,
            affine,
        )
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        if affine:
            self.weight = Parameter(np.ones(num_channels, dtype=dtype))
            self.bias = Parameter(np.zeros(num_channels, dtype=dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim < 2 or input.shape[1] != self.num_channels:
            raise ValueError(
                f"{self!r} expected an input (N, {self.num_channels}, *), got shape {input.shape}"
            )
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"


class _InstanceNorm(Module):
    _ndim = 4

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        dtype=None,
    ):
        super().__init__()
        who = type(self).__name__
        if track_running_stats:
            raise ValueError(
                f"{who}: track_running_stats=True is not available; instance norm "
                "here always uses each example's own statistics"
            )
        self.num_features, self.eps, self.affine = num_features, eps, affine
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        if affine:
            self.weight = Parameter(np.ones(num_features, dtype=dtype))
            self.bias = Parameter(np.zeros(num_features, dtype=dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim != self._ndim or input.shape[1] != self.num_features:
            raise ValueError(
                f"{self!r} expected a {self._ndim}-D input with {self.num_features} "
                f"channels on axis 1, got shape {input.shape}"
            )
        return instance_norm(input, weight=self.weight, bias=self.bias, eps=self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, affine={self.affine}"


class InstanceNorm2d(_InstanceNorm):
    """Each channel of each image normalized over its H x W positions.

    Shape: (N, C, H, W) -> the same. ``affine=True`` learns weight and bias (C,).

    >>> import neuronlab as nl
    >>> y = InstanceNorm2d(2)(nl.randn(3, 2, 4, 4))
    >>> [round(abs(v), 4) for v in y.mean(axis=(2, 3)).flatten().tolist()[:2]]
    [0.0, 0.0]
    """


class InstanceNorm1d(_InstanceNorm):
    """Each channel of each sequence normalized over its L positions.

    Shape: (N, C, L) -> the same. ``affine=True`` learns weight and bias (C,).

    >>> import neuronlab as nl
    >>> InstanceNorm1d(2, affine=True)(nl.randn(3, 2, 5)).shape
    (3, 2, 5)
    """

    _ndim = 3


__all__ = [
    "GroupNorm",
    "InstanceNorm1d",
    "InstanceNorm2d",
    "group_norm",
    "instance_norm",
    "rms_norm",
]
