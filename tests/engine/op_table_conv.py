"""Op-table records for the convolution and pooling primitives: ``conv2d``, ``max_pool2d``,
``avg_pool2d``, ``max_unpool2d`` and ``adaptive_avg_pool2d`` (picked up by ``op_table.py``, so
every table-driven test runs them). The NumPy references loop over output positions, straight
from the formulas."""

from __future__ import annotations

import numpy as np
import torch.nn.functional as TF
from op_table import DISTINCT, Const, Err, OpInfo, S

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


def _unbatched(ref):
    """A reference for (N, C, H, W) that also takes (C, H, W), as PyTorch does."""

    def call(x, *args, **kwargs):
        if x.ndim == 3:
            return ref(x[None], *args, **kwargs)[0]
        return ref(x, *args, **kwargs)

    return call


@_unbatched
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


def _np_out(size, k, s, p, d, ceil_mode):
    """PyTorch's pooling output length, from its formula."""
    room = size + 2 * p - d * (k - 1) - 1
    out = (int(np.ceil(room / s)) if ceil_mode else room // s) + 1
    return out - 1 if ceil_mode and (out - 1) * s >= size + p else out


def _np_pool(x, kernel_size, stride, padding, dilation, ceil_mode, reduce):
    """reduce(values inside the input, (rows, cols) of the window clipped to the padding) for
    every window: window (i, j) starts at (i*sh - ph, j*sw - pw) and taps every d-th position."""
    (kh, kw), (ph, pw), (dh, dw) = _pair(kernel_size), _pair(padding), _pair(dilation)
    (sh, sw) = _pair(kernel_size if stride is None else stride)
    H, W = x.shape[2:]
    Ho, Wo = _np_out(H, kh, sh, ph, dh, ceil_mode), _np_out(W, kw, sw, pw, dw, ceil_mode)
    y = np.zeros((*x.shape[:2], Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            r0, c0 = i * sh - ph, j * sw - pw
            rows = [r for r in range(r0, r0 + dh * (kh - 1) + 1, dh) if 0 <= r < H]
            cols = [c for c in range(c0, c0 + dw * (kw - 1) + 1, dw) if 0 <= c < W]
            spans = (min(r0 + kh, H + ph) - r0, min(c0 + kw, W + pw) - c0)
            y[:, :, i, j] = reduce(x[:, :, rows][:, :, :, cols], spans)
    return y


@_unbatched
def _np_max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    return _np_pool(x, kernel_size, stride, padding, dilation, ceil_mode,
                    lambda w, spans: w.max(axis=(2, 3)))


@_unbatched
def _np_avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False,
                   count_include_pad=True, divisor_override=None):
    """Divisor: the override, else the window's extent inside input + padding (counting the
    padding) or the number of input values in it (not counting it)."""

    def mean(w, spans):
        if divisor_override is not None:
            return w.sum(axis=(2, 3)) / divisor_override
        count = spans[0] * spans[1] if count_include_pad else w.shape[2] * w.shape[3]
        return w.sum(axis=(2, 3)) / count

    return _np_pool(x, kernel_size, stride, padding, 1, ceil_mode, mean)


def _window_indices(shape, k, s, p, out_hw, seed=0):
    """Flat indices r*W + c of one position per pooling window (inside the input), as
    max_pool2d(..., return_indices=True) gives them: int64, ``shape`` (N, C, Hi, Wi). Each is
    drawn from the window's first ``s`` rows and columns, so no two windows share one."""
    rng = np.random.default_rng(seed)
    H, W = out_hw
    idx = np.zeros(shape, dtype=np.int64)
    for i in range(shape[2]):
        for j in range(shape[3]):
            rows = [r for r in range(i * s - p, i * s - p + min(k, s)) if 0 <= r < H]
            cols = [c for c in range(j * s - p, j * s - p + min(k, s)) if 0 <= c < W]
            idx[:, :, i, j] = (rng.choice(rows, shape[:2]) * W + rng.choice(cols, shape[:2]))
    return idx


def _np_max_unpool2d(x, indices, kernel_size, stride=None, padding=0, output_size=None):
    """y.flat[indices] = x in every (n, c) plane, 0 elsewhere."""
    k, p = kernel_size, padding
    s = k if stride is None else stride
    H, W = output_size or [(n - 1) * s - 2 * p + k for n in x.shape[2:]]
    y = np.zeros((*x.shape[:2], H * W))
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            y[n, c, indices[n, c].ravel()] = x[n, c].ravel()
    return y.reshape(*x.shape[:2], H, W)


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
            S((3, 5, 5), (4, 3, 3, 3), (4,), padding=1).named("unbatched"),
            S((3, 5, 6), (4, 3, 2, 3), padding="same", dilation=(2, 1)).named("unbatched,same"),
        ],
        errors=[
            Err(S((2, 5, 5, 3), (4, 3, 3, 3)), ValueError, _NHWC),
            Err(S((2, 3, 5, 5), (4, 3, 3, 3), padding="same", stride=2), ValueError,
                r"conv2d: padding='same' needs stride 1, got stride=\(2, 2\)"),
            Err(S((2, 3, 2, 2), (4, 3, 3, 3)), ValueError,
                r"conv2d: a 3x3 kernel \(dilation \(1, 1\)\) does not fit an input of shape "
                r"\(2, 3, 2, 2\)"),
            Err(S((5, 5), (4, 3, 3, 3)), ValueError,
                r"conv2d: expected a 4-D input \(N, C, H, W\) or a 3-D one without the batch "
                r"axis, got shape \(5, 5\)"),
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
            S((1, 2, 6, 7), kernel_size=3, stride=2, padding=1, ceil_mode=True).named("ceil"),
            S((1, 2, 6, 6), kernel_size=2, ceil_mode=True).named("2x2,ceil,last-window-cut"),
            S((1, 2, 7, 7), kernel_size=2, stride=2, padding=1, ceil_mode=True)
            .named("ceil,last-window-dropped"),
            S((1, 2, 7, 6), kernel_size=(2, 3), stride=(1, 2), padding=1, dilation=(2, 1))
            .named("dilation"),
            S((1, 2, 7, 7), kernel_size=3, stride=2, dilation=2, ceil_mode=True)
            .named("dilation,ceil"),
            S((2, 5, 5), kernel_size=2).named("unbatched"),
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
            S((1, 2, 6, 7), kernel_size=3, stride=2, padding=1, ceil_mode=True).named("ceil"),
            S((1, 2, 6, 7), kernel_size=3, stride=2, padding=1, ceil_mode=True,
              count_include_pad=False).named("ceil,exclude-pad"),
            S((1, 2, 5, 5), kernel_size=2, ceil_mode=True).named("ceil,no-pad,partial"),
            S((1, 2, 7, 7), kernel_size=2, stride=2, padding=1, ceil_mode=True)
            .named("ceil,last-window-dropped"),
            S((1, 2, 5, 6), kernel_size=3, stride=2, padding=1, divisor_override=4)
            .named("divisor_override"),
            S((2, 5, 5), kernel_size=2).named("unbatched"),
        ],
        errors=[
            Err(S((2, 3), kernel_size=2), ValueError,
                r"avg_pool2d: expected a 4-D input \(N, C, H, W\) or a 3-D one without the "
                r"batch axis, got shape \(2, 3\)"),
            Err(S((1, 1, 4, 4), kernel_size=2, divisor_override=0), ValueError,
                r"avg_pool2d: divisor_override must be a nonzero integer or None, got 0"),
        ],
    ),
    OpInfo(
        "max_unpool2d",
        lambda x, idx, *args, **kwargs: CF.max_unpool2d(x, idx.long(), *args, **kwargs),
        _np_max_unpool2d,
        lambda x, idx, *args, **kwargs: TF.max_unpool2d(x, idx.long(), *args, **kwargs),
        [
            S((2, 3, 3, 3), Const(_window_indices((2, 3, 3, 3), 2, 2, 0, (6, 6))),
              kernel_size=2).named("2x2"),
            S((1, 2, 4, 3), Const(_window_indices((1, 2, 4, 3), 3, 2, 1, (7, 5))),
              kernel_size=3, stride=2, padding=1, output_size=(7, 5)).named("3x3,pad1,size"),
        ],
        errors=[
            Err(S((1, 1, 2, 2), Const(_window_indices((1, 1, 2, 2), 2, 2, 0, (4, 4))),
                  kernel_size=2, output_size=(6, 6)), ValueError,
                r"max_unpool2d: output_size must be \(H, W\) within one stride of \(4, 4\)"),
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
