"""Op-table records for the convolution and pooling primitives: ``conv2d``, ``max_pool2d``,
``avg_pool2d`` and ``adaptive_avg_pool2d`` (picked up by ``op_table.py``, so every table-driven
test runs them). The NumPy references loop over output positions, straight from the formulas."""

from __future__ import annotations

import numpy as np
import torch.nn.functional as TF
from op_table import DISTINCT, Err, OpInfo, S

from neuronlab.nn import conv_functional as CF


# ----- NumPy references, from the formulas -------------------------------------------------------
def _pads(padding, kernel, dilation):
    if padding == "same":
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return [(t // 2, t - t // 2) for t in totals]
    if padding == "valid":
        return [(0, 0), (0, 0)]
    ph, pw = (padding, padding) if np.isscalar(padding) else padding
    return [(ph, ph), (pw, pw)]


def _pair(v):
    return (v, v) if np.isscalar(v) else tuple(v)


def _np_conv2d(x, W, b=None, stride=1, padding=0, dilation=1, groups=1):
    (sh, sw), (dh, dw) = _pair(stride), _pair(dilation)
    O, Cg, kh, kw = W.shape
    xp = np.pad(x, [(0, 0), (0, 0), *_pads(padding, (kh, kw), (dh, dw))])
    N, C, Hp, Wp = xp.shape
    Ho, Wo = (Hp - dh * (kh - 1) - 1) // sh + 1, (Wp - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((N, O, Ho, Wo))
    for o in range(O):
        g = o // (O // groups)
        for i in range(Ho):
            for j in range(Wo):
                window = xp[:, g * Cg : (g + 1) * Cg, i * sh : i * sh + dh * (kh - 1) + 1 : dh,
                            j * sw : j * sw + dw * (kw - 1) + 1 : dw]
                y[:, o, i, j] = (window * W[o]).sum(axis=(1, 2, 3))
    return y if b is None else y + b.reshape(1, O, 1, 1)


def _np_pool(x, kernel_size, stride, padding, fill, reduce):
    (kh, kw) = _pair(kernel_size)
    (sh, sw) = _pair(kernel_size if stride is None else stride)
    ph, pw = _pair(padding)
    xp = np.pad(x, [(0, 0), (0, 0), (ph, ph), (pw, pw)], constant_values=fill)
    Ho, Wo = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    y = np.zeros((*x.shape[:2], Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            y[:, :, i, j] = reduce(xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw], i, j)
    return y


def _np_max_pool2d(x, kernel_size, stride=None, padding=0):
    return _np_pool(x, kernel_size, stride, padding, -np.inf, lambda w, i, j: w.max(axis=(2, 3)))


def _np_avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):
    ones = np.ones((1, 1, *x.shape[2:]))
    counts = _np_pool(ones, kernel_size, stride, padding, float(count_include_pad),
                      lambda w, i, j: w.sum(axis=(2, 3)))[0, 0]
    return _np_pool(x, kernel_size, stride, padding, 0.0,
                    lambda w, i, j: w.sum(axis=(2, 3)) / counts[i, j])


def _np_adaptive_avg_pool2d(x, output_size):
    Ho, Wo = _pair(output_size)
    H, W = x.shape[2:]
    y = np.zeros((*x.shape[:2], Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            r0, r1 = (i * H) // Ho, -((-(i + 1) * H) // Ho)
            c0, c1 = (j * W) // Wo, -((-(j + 1) * W) // Wo)
            y[:, :, i, j] = x[:, :, r0:r1, c0:c1].mean(axis=(2, 3))
    return y


_NHWC = (r"conv2d: expected input with 3 channels on axis 1 \(weight of shape \(4, 3, 3, 3\), "
         r"groups=1\), got shape \(2, 5, 5, 3\)\. It looks like channels-last \(N, H, W, C\) "
         r"data; use x\.permute\(0, 3, 1, 2\)\.")

RECORDS: list[OpInfo] = [
    OpInfo(
        "conv2d",
        CF.conv2d,
        _np_conv2d,
        TF.conv2d,
        [
            S((2, 3, 5, 5), (4, 3, 3, 3), (4,), padding=1).named("3x3,pad1,bias,folded-batch"),
            S((2, 1, 6, 5), (3, 1, 3, 3), (3,), padding=1).named("1-channel,per-example"),
            S((2, 3, 6, 7), (4, 3, 3, 2), stride=2).named("stride2,rect-kernel,no-bias"),
            S((1, 2, 7, 7), (2, 2, 3, 3), (2,), dilation=2, padding=2).named("dilation2"),
            S((2, 4, 5, 5), (6, 2, 3, 3), (6,), groups=2, padding=1).named("groups2"),
            S((2, 4, 5, 5), (4, 1, 3, 3), groups=4, padding="same").named("depthwise,same"),
            S((1, 2, 5, 6), (3, 2, 2, 2), (3,), padding="same").named("even-kernel,same"),
            S((2, 5, 4, 4), (3, 5, 1, 1), (3,)).named("1x1"),
            S((2, 12, 5, 5), (3, 12, 3, 3), (3,), stride=(2, 1), padding=(0, 1))
            .named("K=108,folded,asymmetric-stride"),
        ],
        errors=[
            Err(S((2, 5, 5, 3), (4, 3, 3, 3)), ValueError, _NHWC),
            Err(S((2, 3, 5, 5), (4, 3, 3, 3), padding="same", stride=2), ValueError,
                r"conv2d: padding='same' needs stride 1, got stride=\(2, 2\)"),
            Err(S((2, 3, 2, 2), (4, 3, 3, 3)), ValueError,
                r"conv2d: a 3x3 kernel \(dilation \(1, 1\)\) does not fit an input of shape "
                r"\(2, 3, 2, 2\)"),
            Err(S((3, 5, 5), (4, 3, 3, 3)), ValueError,
                r"conv2d: expected a 4-D input \(N, C, H, W\), got shape \(3, 5, 5\).*"
                r"x\.unsqueeze\(0\)"),
            Err(S((2, 3, 5, 5), (4, 3, 3, 3), (5,)), ValueError,
                r"conv2d: bias must have shape \(4,\), one per output channel, got \(5,\)"),
        ],
    ),
    OpInfo(
        "max_pool2d",
        CF.max_pool2d,
        _np_max_pool2d,
        TF.max_pool2d,
        [
            S((2, 3, 6, 6), kernel_size=2).named("2x2,fast-path"),
            S((2, 3, 7, 5), kernel_size=2).named("2x2,odd-sizes,fast-path"),
            S((2, 2, 7, 7), kernel_size=3, stride=2, padding=1).named("3x3,stride2,pad1"),
            S((1, 2, 5, 6), kernel_size=(2, 3), stride=1).named("overlapping,rect"),
        ],
        domain=DISTINCT,  # no ties: the max is unique, so gradients are well defined
        errors=[
            Err(S((1, 1, 4, 4), kernel_size=2, padding=2), ValueError,
                r"max_pool2d: padding \(2, 2\) must be at most half the kernel size \(2, 2\)"),
            Err(S((1, 1, 2, 2), kernel_size=3), ValueError,
                r"max_pool2d: a 3x3 window does not fit an input of shape \(1, 1, 2, 2\)"),
        ],
    ),
    OpInfo(
        "avg_pool2d",
        CF.avg_pool2d,
        _np_avg_pool2d,
        TF.avg_pool2d,
        [
            S((2, 3, 6, 6), kernel_size=2),
            S((2, 2, 7, 7), kernel_size=3, stride=2, padding=1),
            S((2, 2, 7, 7), kernel_size=3, stride=2, padding=1, count_include_pad=False),
            S((1, 2, 5, 6), kernel_size=(2, 3), stride=1),
        ],
        errors=[
            Err(S((2, 3), kernel_size=2), ValueError,
                r"avg_pool2d: expected a 4-D input \(N, C, H, W\), got shape \(2, 3\)"),
        ],
    ),
    OpInfo(
        "adaptive_avg_pool2d",
        CF.adaptive_avg_pool2d,
        _np_adaptive_avg_pool2d,
        TF.adaptive_avg_pool2d,
        [
            S((2, 3, 5, 7), output_size=1).named("global"),
            S((2, 3, 6, 4), output_size=(3, 2)).named("divisible"),
            S((2, 2, 5, 7), output_size=(3, 4)).named("overlapping-bins"),
        ],
        errors=[
            Err(S((2, 3, 4, 4), output_size=0), ValueError,
                r"adaptive_avg_pool2d: output_size must be an integer >= 1 or 2 of them, got "
                r"\(0, 0\)"),
        ],
    ),
]
