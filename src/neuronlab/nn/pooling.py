"""Pooling layers: ``MaxPool2d``, ``AvgPool2d``, ``MaxUnpool2d`` and ``AdaptiveAvgPool2d``.

Pooling summarizes each small window of a feature map by one number (its max or its mean):
the map gets smaller (2x2 windows with stride 2 halve the height and the width), later layers
see a larger part of the image for the same cost, and a feature that moves by a pixel often
gives the same pooled value. Pooling has no parameters. The kernels live in
``engine/ops/pool.py``.
"""

from __future__ import annotations

from ..engine.tensor import Tensor
from . import conv_functional as CF
from .module import Module


class _Pool2d(Module):
    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False):
        super().__init__()
        who = type(self).__name__
        self.kernel_size = CF._tuple(who, "kernel_size", kernel_size)
        self.stride = self.kernel_size if stride is None else CF._tuple(who, "stride", stride)
        self.padding = CF._tuple(who, "padding", padding, minimum=0)
        self.ceil_mode = bool(ceil_mode)
        if any(2 * p > k for p, k in zip(self.padding, self.kernel_size)):
            raise ValueError(f"{who}: padding {self.padding} must be at most half the "
                             f"kernel size {self.kernel_size}")

    def _check(self, input) -> None:
        if isinstance(input, Tensor) and input.ndim in (3, 4):
            return
        who = f"{type(self).__name__}({self.extra_repr()})"
        if not isinstance(input, Tensor):
            raise TypeError(f"{who} expected a Tensor, got {type(input).__name__}; wrap arrays "
                            "with nl.tensor(x)")
        raise ValueError(f"{who} expected a 4-D input (N, C, H, W) or a 3-D one (C, H, W), got "
                         f"shape {input.shape}")

    def extra_repr(self) -> str:
        ceil = ", ceil_mode=True" if self.ceil_mode else ""
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}{ceil}")


class MaxPool2d(_Pool2d):
    """y = the max of each kh x kw window of every channel.

    Shape: (N, C, H, W) -> (N, C, Ho, Wo), or (C, H, W) -> (C, Ho, Wo); Ho = (H + 2*padding -
    dilation*(kh - 1) - 1) / stride + 1, rounded down (up with ceil_mode).

    Args:
        kernel_size: window size, a number or (kh, kw).
        stride: step between windows (default: kernel_size, so windows do not overlap).
        padding: the dtype's lowest value (-inf for floats) added on each side (never the
            max), at most half the kernel.
        dilation: step between the window's taps (1: adjacent).
        return_indices: also return where each max sits in its input plane (for
            ``MaxUnpool2d``).
        ceil_mode: round the output size up, so the last partial window is kept when it
            starts inside the input or its left padding.

    >>> import neuronlab as nl
    >>> nl.nn.MaxPool2d(2)(nl.zeros(1, 3, 28, 28)).shape
    (1, 3, 14, 14)
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1,
                 return_indices: bool = False, ceil_mode: bool = False):
        super().__init__(kernel_size, stride, padding, ceil_mode)
        self.dilation = CF._tuple(type(self).__name__, "dilation", dilation)
        self.return_indices = bool(return_indices)

    def forward(self, input: Tensor):
        self._check(input)
        return CF.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                             self.ceil_mode, self.return_indices)

    def extra_repr(self) -> str:
        extra = "" if self.dilation == (1, 1) else f", dilation={self.dilation}"
        extra += ", return_indices=True" if self.return_indices else ""
        return super().extra_repr() + extra


class AvgPool2d(_Pool2d):
    """y = the mean of each kh x kw window of every channel.

    Shape: (N, C, H, W) -> (N, C, Ho, Wo), or (C, H, W) -> (C, Ho, Wo); Ho = (H + 2*padding -
    kh) / stride + 1, rounded down (up with ceil_mode).

    Args:
        kernel_size, stride, padding, ceil_mode: as for ``MaxPool2d`` (padding adds zeros).
        count_include_pad: count the padding in the divisor (default True, PyTorch's); False
            divides by the number of real values in the window.
        divisor_override: divide every window's sum by this number instead.

    >>> import neuronlab as nl
    >>> nl.nn.AvgPool2d(2)(nl.ones(1, 1, 4, 4)).tolist()
    [[[[1.0, 1.0], [1.0, 1.0]]]]
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None):
        super().__init__(kernel_size, stride, padding, ceil_mode)
        self.count_include_pad = bool(count_include_pad)
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:
        self._check(input)
        return CF.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                             self.count_include_pad, self.divisor_override)

    def extra_repr(self) -> str:
        extra = "" if self.count_include_pad else ", count_include_pad=False"
        if self.divisor_override is not None:
            extra += f", divisor_override={self.divisor_override}"
        return super().extra_repr() + extra


class MaxUnpool2d(Module):
    """The inverse of ``MaxPool2d(..., return_indices=True)``: every pooled value goes back to
    where its max came from, and every other position is 0 (as in a decoder that upsamples
    with the encoder's switches).

    Shape: input and indices (N, C, Hi, Wi) -> (N, C, H, W), or without the batch axis;
    H = (Hi - 1)*stride - 2*padding + kh unless ``output_size`` is passed to forward.

    Args:
        kernel_size, stride, padding: those of the pooling that made the indices.

    >>> import neuronlab as nl
    >>> y, idx = nl.nn.MaxPool2d(2, return_indices=True)(nl.randn(1, 3, 6, 6))
    >>> nl.nn.MaxUnpool2d(2)(y, idx).shape
    (1, 3, 6, 6)
    """

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = CF._tuple("MaxUnpool2d", "kernel_size", kernel_size)
        self.stride = (self.kernel_size if stride is None
                       else CF._tuple("MaxUnpool2d", "stride", stride))
        self.padding = CF._tuple("MaxUnpool2d", "padding", padding, minimum=0)

    def forward(self, input: Tensor, indices: Tensor, output_size=None) -> Tensor:
        return CF.max_unpool2d(input, indices, self.kernel_size, self.stride, self.padding,
                               output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """y = the mean over each of Ho x Wo bins that tile the input, whatever its size: bin i of
    the rows covers [floor(i*H/Ho), ceil((i+1)*H/Ho)), and likewise for the columns.

    ``AdaptiveAvgPool2d(1)`` is global average pooling: one number per channel, so a network
    ends in a fixed-size vector for any image size.

    Shape: (N, C, H, W) -> (N, C, Ho, Wo), or (C, H, W) -> (C, Ho, Wo).

    Args:
        output_size: Ho = Wo, or (Ho, Wo); None in the pair keeps that input size.

    >>> import neuronlab as nl
    >>> nl.nn.AdaptiveAvgPool2d((1, 1))(nl.ones(2, 16, 7, 9)).shape
    (2, 16, 1, 1)
    """

    def __init__(self, output_size):
        super().__init__()
        size = (output_size,) * 2 if not isinstance(output_size, (tuple, list)) else output_size
        if len(size) != 2 or not all(s is None or (isinstance(s, int) and s >= 1) for s in size):
            raise ValueError(f"AdaptiveAvgPool2d: output_size must be a positive integer or a "
                             f"pair of them (None keeps the input size), got {output_size!r}")
        self.output_size = output_size if isinstance(output_size, int) else tuple(size)

    def forward(self, input: Tensor) -> Tensor:
        if not isinstance(input, Tensor) or input.ndim not in (3, 4):
            shape = getattr(input, "shape", type(input).__name__)
            raise ValueError(f"AdaptiveAvgPool2d(output_size={self.output_size}) expected a 4-D "
                             f"input (N, C, H, W) or a 3-D one (C, H, W), got {shape}")
        return CF.adaptive_avg_pool2d(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"
