"""Convolution layers: ``Conv1d`` and ``Conv2d``, and their per-example gradient rules.

A convolution slides a small filter over the input and takes a dot product at every position:
the same few weights are reused everywhere (weight sharing), and each output sees only a small
window (locality). That is why a CNN needs far fewer parameters than an MLP for images, and why
it finds a pattern wherever in the image it appears. The math and the fast im2col kernel live in
``engine/ops/conv.py``; ``docs/math/convolution.md`` derives forward and backward.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.backend import DEFAULT_FLOAT, as_dtype
from ..engine.ops.conv import pad2d, windows
from ..engine.tensor import Tensor
from . import conv_functional as CF
from . import init
from .module import Module
from .parameter import Parameter
from .per_example import register_per_example_rule


class _ConvNd(Module):
    """What Conv1d and Conv2d share: arguments, parameters, initialization, checks, repr."""

    _nd = 2
    _layout = "(N, C, H, W)"
    _channels_last = CF.CHANNELS_LAST_2D

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 dilation=1, groups: int = 1, bias: bool = True, dtype=None):
        super().__init__()
        who, n = type(self).__name__, self._nd
        for label, v in (("in_channels", in_channels), ("out_channels", out_channels),
                         ("groups", groups)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"{who}: {label} must be a positive integer, got {v!r}")
        if in_channels % groups or out_channels % groups:
            raise ValueError(f"{who}: in_channels ({in_channels}) and out_channels "
                             f"({out_channels}) must both be divisible by groups ({groups})")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = CF._tuple(who, "kernel_size", kernel_size, n)
        self.stride = CF._tuple(who, "stride", stride, n)
        self.dilation = CF._tuple(who, "dilation", dilation, n)
        if isinstance(padding, str):
            self.padding = padding
            CF.conv_padding(who, padding, (1, *self.kernel_size)[-2:],
                                      (1, *self.dilation)[-2:], (1, *self.stride)[-2:])
        else:
            self.padding = CF._tuple(who, "padding", padding, n, minimum=0)
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's default: W ~ U(-b, b) with b = 1 / sqrt(fan_in) (kaiming_uniform_ with
        a = sqrt(5)), fan_in = in_channels / groups * prod(kernel_size); the bias likewise."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.data[0].size
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def _unbatched(self, input) -> bool:
        """True for one example without its batch axis ((C, H, W) or (C, L)), which PyTorch's
        layers take too: forward runs it as a batch of one and drops the axis again."""
        return isinstance(input, Tensor) and input.ndim == self._nd + 1

    def _check(self, input) -> None:
        """Layer-named errors for the usual mistakes: not a tensor, wrong rank, channels-last
        data, wrong channel count, dtype mismatch."""
        try:
            data = input.data
            fits = (data.ndim == self._nd + 2 and data.shape[1] == self.in_channels
                    and data.dtype == self.weight.data.dtype)
        except AttributeError:
            fits = False
        if fits:
            return
        who = f"{type(self).__name__}({self.extra_repr()})"
        if not isinstance(input, Tensor):
            raise TypeError(f"{who} expected a Tensor, got {type(input).__name__}; wrap arrays "
                            "with nl.tensor(x)")
        shape, C = input.shape, self.in_channels
        if len(shape) != self._nd + 2:
            raise ValueError(f"{who} expected a {self._nd + 2}-D input {self._layout} or a "
                             f"{self._nd + 1}-D one without the batch axis, got shape {shape}")
        if shape[1] != C:
            layout, fix = self._channels_last
            hint = (f"looks like channels-last {layout} data; use {fix}" if shape[-1] == C
                    else "check the previous layer's out_channels")
            raise ValueError(f"{who} expected {C} input channels on axis 1 {self._layout}, got "
                             f"shape {shape}: {hint}.")
        raise TypeError(f"{who} has {self.weight.dtype} parameters but got a {input.dtype} "
                        "input; convert the input (x.float() or x.double()) or the model "
                        "(model.float() or model.double())")

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0,) * self._nd:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self._nd:
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + ("" if self.bias is not None else ", bias=False")


class Conv2d(_ConvNd):
    """y[n, o] = b[o] + sum over input channels c (of o's group) of W[o, c] cross-correlated
    with x[n, c]: every output value is a filter's dot product with one window of the input.

    Shape: input (N, C_in, H, W) -> output (N, C_out, Ho, Wo) with
    Ho = (H + 2*padding - dilation*(kh - 1) - 1) // stride + 1 (the same for the width).
    Channels come first (NCHW, PyTorch's layout); channels-last data is a clear error.

    Args:
        in_channels, out_channels: channels of the input and output.
        kernel_size: kh = kw, or (kh, kw).
        stride: step between windows (default 1).
        padding: zeros added on each side: a number, a pair, 'valid' (none) or 'same' (output
            as large as the input; stride 1 only).
        dilation: spacing between the kernel's taps (default 1).
        groups: split channels into that many independent convolutions (in_channels for a
            depthwise convolution).
        bias: learn an additive bias per output channel (default True).

    Parameters:
        weight: (out_channels, in_channels / groups, kh, kw) and bias: (out_channels,), both
            U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = in_channels / groups * kh * kw.

    >>> import neuronlab as nl
    >>> conv = nl.nn.Conv2d(1, 8, 3, padding=1)
    >>> conv(nl.zeros(2, 1, 28, 28)).shape
    (2, 8, 28, 28)
    """

    def forward(self, input: Tensor) -> Tensor:
        if self._unbatched(input):
            return self.forward(input.unsqueeze(0)).squeeze(0)
        self._check(input)
        return CF.conv2d(input, self.weight, self.bias, self.stride, self.padding,
                         self.dilation, self.groups)


class Conv1d(_ConvNd):
    """y[n, o] = b[o] + sum over input channels c (of o's group) of W[o, c] cross-correlated
    with x[n, c], along one axis (sequences, signals). Runs as a Conv2d of height 1.

    Shape: input (N, C_in, L) -> output (N, C_out, Lo),
    Lo = (L + 2*padding - dilation*(k - 1) - 1) // stride + 1.

    Args and parameters as for ``Conv2d``, with single numbers for the one axis;
    weight (out_channels, in_channels / groups, k).

    >>> import neuronlab as nl
    >>> nl.nn.Conv1d(4, 6, 5, padding="same")(nl.zeros(2, 4, 30)).shape
    (2, 6, 30)
    """

    _nd = 1
    _layout = "(N, C, L)"
    _channels_last = CF.CHANNELS_LAST_1D

    def forward(self, input: Tensor) -> Tensor:
        if self._unbatched(input):
            return self.forward(input.unsqueeze(0)).squeeze(0)
        self._check(input)
        return CF.conv1d(input, self.weight, self.bias, self.stride, self.padding,
                         self.dilation, self.groups)


# ----- per-example gradients (DP-SGD) ----------------------------------------------------------


def conv2d_per_example_weight_grad(x, dout, weight_shape, stride, pads, dilation, groups):
    """dW for each example separately: (N, O, C/groups, kh, kw), from x (N, C, H, W) and dout
    (N, O, Ho, Wo). The batched form of dW = dout2 @ cols^T, without the sum over examples:

        patches (N, G, Cg*kh*kw, Ho*Wo),  douts (N, G, O/G, Ho*Wo)
        dW[n] = douts[n] @ patches[n]^T      -- one batched matrix product
    """
    N, O, Ho, Wo = dout.shape
    kh, kw = weight_shape[2:]
    view = windows(pad2d(x, pads), (kh, kw), stride, dilation, (Ho, Wo))  # (N, C, kh, kw, Ho, Wo)
    patches = view.reshape(N, groups, -1, Ho * Wo)  # (N, G, Cg*kh*kw, L), a copy
    douts = dout.reshape(N, groups, O // groups, Ho * Wo)  # (N, G, O/G, L)
    return (douts @ patches.transpose(0, 1, 3, 2)).reshape(N, *weight_shape)


def _pads_2d(module) -> tuple:
    """The layer's padding as (top, bottom, left, right) of a 2-D convolution."""
    kernel, dilation = (1, *module.kernel_size)[-2:], (1, *module.dilation)[-2:]
    stride = (1, *module.stride)[-2:]
    padding = module.padding
    if not isinstance(padding, str) and module._nd == 1:
        padding = (0, padding[0])
    return CF.conv_padding(type(module).__name__, padding, kernel, dilation, stride)


@register_per_example_rule(Conv2d)
def _conv2d_rule(module: Conv2d, x, dout) -> dict:
    grads = {"weight": conv2d_per_example_weight_grad(
        x, dout, module.weight.shape, module.stride, _pads_2d(module), module.dilation,
        module.groups)}
    if module.bias is not None:
        grads["bias"] = dout.sum(axis=(2, 3))  # (N, O)
    return grads


@register_per_example_rule(Conv1d)
def _conv1d_rule(module: Conv1d, x, dout) -> dict:
    O, Cg, k = module.weight.shape
    dW = conv2d_per_example_weight_grad(
        x[:, :, None], dout[:, :, None], (O, Cg, 1, k), (1, *module.stride), _pads_2d(module),
        (1, *module.dilation), module.groups)  # (N, O, Cg, 1, k)
    grads = {"weight": dW.reshape(len(x), O, Cg, k)}
    if module.bias is not None:
        grads["bias"] = dout.sum(axis=2)  # (N, O)
    return grads
