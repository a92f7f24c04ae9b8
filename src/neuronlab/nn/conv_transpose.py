"""Transposed convolution ("deconvolution"): ``conv_transpose1d``/``conv_transpose2d`` (re-exported
by ``neuronlab.nn.functional``) and the layers ``ConvTranspose1d``/``ConvTranspose2d``.

A transposed convolution is the adjoint of a convolution: each input pixel stamps the kernel,
scaled by its value, onto the output, ``stride`` pixels apart, and overlapping stamps add up. It
upsamples (decoders, generators, segmentation heads). It equals an ordinary convolution of a
stretched input:

1. put ``stride - 1`` zeros between neighbouring input pixels,
2. pad each side with ``dilation * (k - 1) - padding`` zeros (``output_padding`` more at the
   end; a negative amount crops),
3. convolve (stride 1, same dilation and groups) with the kernel flipped in space and its
   in/out channel axes swapped.

That is how it is composed here, from ``pad``, reshape, permute, flip and ``conv2d``, so the
gradients come from those. Output size: (H - 1) * stride - 2 * padding + dilation * (k - 1) +
output_padding + 1.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.backend import DEFAULT_FLOAT, as_dtype
from ..engine.tensor import Tensor
from . import conv_functional as CF
from . import init
from .functional_spatial import pad
from .module import Module
from .parameter import Parameter


def _stretch(x: Tensor, stride) -> Tensor:
    """(N, C, H, W) -> (N, C, (H - 1) * sh + 1, (W - 1) * sw + 1) with zeros between pixels."""
    sh, sw = stride
    if sh == sw == 1:
        return x
    N, C, H, W = x.shape
    spread = pad(x.reshape(N, C, H, 1, W, 1), (0, sw - 1, 0, 0, 0, sh - 1))
    return spread.reshape(N, C, H * sh, W * sw)[:, :, : (H - 1) * sh + 1, : (W - 1) * sw + 1]


def conv_transpose2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride=1,
    padding=0,
    output_padding=0,
    groups: int = 1,
    dilation=1,
) -> Tensor:
    """The transposed convolution of ``input`` with ``weight`` (see the module docstring).

    Shape: input (N, C_in, H, W) or one example (C_in, H, W), weight (C_in, C_out / groups,
    kh, kw), bias (C_out,) -> (N, C_out, Ho, Wo) (or (C_out, Ho, Wo)), with
    Ho = (H - 1) * stride - 2 * padding + dilation * (kh - 1) + output_padding + 1.

    >>> import neuronlab as nl
    >>> conv_transpose2d(nl.ones(1, 1, 2, 2), nl.ones(1, 1, 2, 2), stride=2).shape
    (1, 1, 4, 4)
    """
    who = "conv_transpose2d"
    if isinstance(input, Tensor) and input.ndim == 3:  # one unbatched example (C, H, W)
        options = dict(
            stride=stride,
            padding=padding,
            output_padding=output_padding,
            groups=groups,
            dilation=dilation,
        )
        return conv_transpose2d(input.unsqueeze(0), weight, bias, **options).squeeze(0)
    CF._check_input(who, input, 4, "(N, C, H, W)")
    CF._check_input(who, weight, 4, "weight (C_in, C_out/groups, kh, kw)")
    if isinstance(padding, str):
        raise ValueError(f"{who}: padding must be a number or a pair, got {padding!r}")
    stride = CF._tuple(who, "stride", stride)
    dilation = CF._tuple(who, "dilation", dilation)
    pads = CF._tuple(who, "padding", padding, minimum=0)
    extra = CF._tuple(who, "output_padding", output_padding, minimum=0)
    if any(e >= max(s, d) for e, s, d in zip(extra, stride, dilation)):
        raise ValueError(
            f"{who}: output_padding {extra} must be smaller than the stride {stride} or the "
            f"dilation {dilation}"
        )
    C_in, C_out_g, kh, kw = weight.shape
    if input.shape[1] != C_in or C_in % groups:
        raise ValueError(
            f"{who}: expected an input with {C_in} channels on axis 1 (weight of shape "
            f"{weight.shape}, groups={groups}), got shape {input.shape}"
        )
    # the equivalent ordinary convolution's weight: (C_out, C_in / groups, kh, kw), flipped
    w = weight.reshape(groups, C_in // groups, C_out_g, kh, kw).permute(0, 2, 1, 3, 4)
    w = w.reshape(groups * C_out_g, C_in // groups, kh, kw).flip((2, 3))
    q = [d * (k - 1) - p for d, k, p in zip(dilation, (kh, kw), pads)]
    x = pad(_stretch(input, stride), (q[1], q[1] + extra[1], q[0], q[0] + extra[0]))
    return CF.conv2d(x, w, bias, stride=1, padding=0, dilation=dilation, groups=groups)


def conv_transpose1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride=1,
    padding=0,
    output_padding=0,
    groups: int = 1,
    dilation=1,
) -> Tensor:
    """``conv_transpose2d`` on a sequence: input (N, C_in, L), weight (C_in, C_out / groups, k)
    -> (N, C_out, (L - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1)."""
    who = "conv_transpose1d"
    if isinstance(input, Tensor) and input.ndim == 2:  # one unbatched example (C, L)
        options = dict(
            stride=stride,
            padding=padding,
            output_padding=output_padding,
            groups=groups,
            dilation=dilation,
        )
        return conv_transpose1d(input.unsqueeze(0), weight, bias, **options).squeeze(0)
    CF._check_input(who, input, 3, "(N, C, L)")
    CF._check_input(who, weight, 3, "weight (C_in, C_out/groups, k)")
    s, d = (
        CF._tuple(who, name, v, 1)[0] for name, v in (("stride", stride), ("dilation", dilation))
    )
    p, e = (
        CF._tuple(who, name, v, 1, minimum=0)[0]
        for name, v in (("padding", padding), ("output_padding", output_padding))
    )
    out = conv_transpose2d(
        input.unsqueeze(2),
        weight.unsqueeze(2),
        bias,
        stride=(1, s),
        padding=(0, p),
        output_padding=(0, e),
        groups=groups,
        dilation=(1, d),
    )
    return out.squeeze(2)


class _ConvTransposeNd(Module):
    _nd = 2

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding=0,
        output_padding=0,
        groups: int = 1,
        bias: bool = True,
        dilation=1,
        dtype=None,
    ):
        super().__init__()
        who, n = type(self).__name__, self._nd
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{who}: in_channels ({in_channels}) and out_channels "
                f"({out_channels}) must both be divisible by groups ({groups})"
            )
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = CF._tuple(who, "kernel_size", kernel_size, n)
        self.stride = CF._tuple(who, "stride", stride, n)
        self.padding = CF._tuple(who, "padding", padding, n, minimum=0)
        self.output_padding = CF._tuple(who, "output_padding", output_padding, n, minimum=0)
        self.dilation = CF._tuple(who, "dilation", dilation, n)
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        shape = (in_channels, out_channels // groups, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's default: kaiming_uniform_ with a = sqrt(5) on the weight, whose fan_in is
        taken from axis 1 (out_channels / groups) times the kernel size; the bias likewise."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.data.shape[1] * int(np.prod(self.kernel_size))
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def _options(self) -> dict:
        return {
            "stride": self.stride,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "groups": self.groups,
            "dilation": self.dilation,
        }

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if any(self.padding):
            text += f", padding={self.padding}"
        if any(self.output_padding):
            text += f", output_padding={self.output_padding}"
        return text + ("" if self.bias is not None else ", bias=False")


class ConvTranspose2d(_ConvTransposeNd):
    """A learned upsampling: ``conv_transpose2d`` with a weight (in_channels,
    out_channels / groups, kh, kw) and a bias (out_channels,), laid out as PyTorch's.

    Shape: (N, C_in, H, W) -> (N, C_out, Ho, Wo), Ho = (H - 1) * stride - 2 * padding +
    dilation * (kh - 1) + output_padding + 1.

    >>> import neuronlab as nl
    >>> ConvTranspose2d(3, 2, kernel_size=2, stride=2)(nl.ones(1, 3, 4, 4)).shape
    (1, 2, 8, 8)
    """

    def forward(self, input: Tensor) -> Tensor:
        return conv_transpose2d(input, self.weight, self.bias, **self._options())


class ConvTranspose1d(_ConvTransposeNd):
    """``conv_transpose1d`` with a weight (in_channels, out_channels / groups, k).

    Shape: (N, C_in, L) -> (N, C_out, (L - 1) * stride - 2 * padding + dilation * (k - 1) +
    output_padding + 1).

    >>> import neuronlab as nl
    >>> ConvTranspose1d(3, 2, kernel_size=3)(nl.ones(1, 3, 5)).shape
    (1, 2, 7)
    """

    _nd = 1

    def forward(self, input: Tensor) -> Tensor:
        options = {k: v[0] for k, v in self._options().items() if k != "groups"}
        return conv_transpose1d(input, self.weight, self.bias, groups=self.groups, **options)


__all__ = ["ConvTranspose1d", "ConvTranspose2d", "conv_transpose1d", "conv_transpose2d"]
