"""Functional convolution and pooling: ``conv1d``, ``conv2d``, ``max_pool2d``, ``avg_pool2d``,
``max_unpool2d``, ``adaptive_avg_pool2d`` -- the math of the layers in ``nn/conv.py`` and
``nn/pooling.py``.

Each checks its arguments (errors name the function, what it expected, what arrived and the fix)
and runs one primitive of ``engine/ops/conv.py`` or ``engine/ops/pool.py``. Beside each sits the
naive reference (``composed_*``): a direct loop over the output positions, every window cut out
with indexing and reduced with ordinary primitives, so its gradients come for free. Tests hold
each pair equal, values and gradients, in float64. Signatures and defaults are PyTorch's.
"""

from __future__ import annotations

import numpy as np

from ..engine.creation import full
from ..engine.functions import concatenate, stack
from ..engine.ops.conv import Conv2d as Conv2dOp
from ..engine.ops.conv import conv_out_size
from ..engine.ops.pool import AdaptiveAvgPool2d as AdaptiveAvgPool2dOp
from ..engine.ops.pool import AvgPool2d as AvgPool2dOp
from ..engine.ops.pool import MaxPool2d as MaxPool2dOp
from ..engine.ops.pool import MaxUnpool2d as MaxUnpool2dOp
from ..engine.ops.pool import adaptive_bins
from ..engine.tensor import Tensor

# ----- argument checks -----------------------------------------------------------------------

#: The channels-last layout that a wrong channel count often means, and its fix.
CHANNELS_LAST_2D = ("(N, H, W, C)", "x.permute(0, 3, 1, 2)")
CHANNELS_LAST_1D = ("(N, L, C)", "x.permute(0, 2, 1)")


def _tuple(who: str, name: str, value, n: int = 2, minimum: int = 1) -> tuple:
    """An int or a length-n sequence of ints >= minimum, as a tuple of n ints."""
    items = (value,) * n if isinstance(value, (int, np.integer)) else tuple(value)
    if len(items) == 1:  # [k] stands for (k, k), as in PyTorch
        items *= n
    ok = len(items) == n and all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= minimum
        for v in items
    )
    if not ok:
        raise ValueError(f"{who}: {name} must be an integer >= {minimum} or {n} of them, "
                         f"got {value!r}")
    return tuple(int(v) for v in items)


def conv_padding(who: str, padding, kernel, dilation, stride) -> tuple:
    """(top, bottom, left, right) from an int, a pair, 'valid' (none) or 'same' (the output
    keeps the input's size; for an even kernel the extra zero goes at the end, as PyTorch)."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        if any(s != 1 for s in stride):
            raise ValueError(f"{who}: padding='same' needs stride 1, got stride={stride} (a "
                             "stride s shrinks the output s-fold whatever the padding, so no "
                             "padding keeps the input's size; PyTorch refuses it too); give the "
                             "padding as a number instead")
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return (totals[0] // 2, totals[0] - totals[0] // 2, totals[1] // 2,
                totals[1] - totals[1] // 2)
    if isinstance(padding, str):
        raise ValueError(f"{who}: padding must be a number, a pair, 'same' or 'valid', "
                         f"got {padding!r}")
    ph, pw = _tuple(who, "padding", padding, minimum=0)
    return (ph, ph, pw, pw)


def _check_input(who: str, input, ndim: int, layout: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{who}: expected a Tensor, got {type(input).__name__}; wrap arrays "
                        "with nl.tensor(x)")
    if input.ndim != ndim:
        raise ValueError(f"{who}: expected a {ndim}-D input {layout}, got shape {input.shape}; "
                         f"add the batch axis of a single example with x.unsqueeze(0)")
    return input


def _check_conv(who, input, weight, bias, groups, channels_last):
    """Shapes and dtypes of a convolution's operands, with a hint for channels-last data."""
    x, W = input.shape, weight.shape
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"{who}: groups must be a positive integer, got {groups!r}")
    C = W[1] * groups
    if W[0] % groups:
        raise ValueError(f"{who}: out_channels ({W[0]}) must be divisible by groups ({groups})")
    if x[1] != C:
        layout, fix = channels_last
        hint = (f" It looks like channels-last {layout} data; use {fix}." if x[-1] == C else
                " Check the previous layer's out_channels.")
        raise ValueError(f"{who}: expected input with {C} channels on axis 1 (weight of shape "
                         f"{W}, groups={groups}), got shape {x}.{hint}")
    for t, name in ((weight, "weight"), (bias, "bias")):
        if t is not None and t.dtype != input.dtype:
            raise TypeError(f"{who}: the {name} is {t.dtype} but the input is {input.dtype}; "
                            "convert one of them (x.float(), x.double(), model.double())")
    if bias is not None and bias.shape != (W[0],):
        raise ValueError(f"{who}: bias must have shape ({W[0]},), one per output channel, "
                         f"got {bias.shape}")


# ----- convolution -----------------------------------------------------------------------------


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """y = the cross-correlation of input with each filter in weight, plus bias (one primitive).

    Shape: input (N, C, H, W), weight (O, C/groups, kh, kw), bias (O,) -> (N, O, Ho, Wo) (or
    (C, H, W) -> (O, Ho, Wo) without the batch axis), with Ho = (H + 2*padding -
    dilation*(kh - 1) - 1) // stride + 1. padding: int, pair, 'same' or 'valid'.

    >>> import neuronlab as nl
    >>> conv2d(nl.ones(1, 1, 4, 4), nl.ones(2, 1, 3, 3), padding=1).shape
    (1, 2, 4, 4)
    """
    who = "conv2d"
    input, added = _unbatched(who, input, 4, "(N, C, H, W)")
    _check_input(who, weight, 4, "weight (O, C/groups, kh, kw)")
    _check_conv(who, input, weight, bias, groups, CHANNELS_LAST_2D)
    kernel = weight.shape[2:]
    stride = _tuple(who, "stride", stride)
    dilation = _tuple(who, "dilation", dilation)
    pads = conv_padding(who, padding, kernel, dilation, stride)
    sizes = [conv_out_size(input.shape[2 + a], kernel[a], stride[a], pads[2 * a],
                           pads[2 * a + 1], dilation[a]) for a in (0, 1)]
    if min(sizes) < 1:
        raise ValueError(f"{who}: a {kernel[0]}x{kernel[1]} kernel (dilation {dilation}) does "
                         f"not fit an input of shape {input.shape} padded by {pads}; use a "
                         "smaller kernel, more padding, or a larger input")
    extra = () if bias is None else (bias,)
    y = Conv2dOp.apply(input, weight, *extra, stride=stride, padding=pads, dilation=dilation,
                       groups=int(groups))
    return y.squeeze(0) if added else y


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """y = the 1-D cross-correlation of input with each filter: conv2d on a height-1 image.

    Shape: input (N, C, L), weight (O, C/groups, k), bias (O,) -> (N, O, Lo) (or (C, L) ->
    (O, Lo) without the batch axis).

    >>> import neuronlab as nl
    >>> conv1d(nl.ones(1, 1, 5), nl.ones(1, 1, 3)).tolist()
    [[[3.0, 3.0, 3.0]]]
    """
    who = "conv1d"
    input, added = _unbatched(who, input, 3, "(N, C, L)")
    _check_input(who, weight, 3, "weight (O, C/groups, k)")
    _check_conv(who, input, weight, bias, groups, CHANNELS_LAST_1D)
    (s,), (d,) = _tuple(who, "stride", stride, 1), _tuple(who, "dilation", dilation, 1)
    if isinstance(padding, str):
        pad = padding
    else:
        pad = (0, _tuple(who, "padding", padding, 1, minimum=0)[0])
    y = conv2d(input.unsqueeze(2), weight.unsqueeze(2), bias, stride=(1, s), padding=pad,
               dilation=(1, d), groups=groups)  # (N, O, 1, Lo)
    return y.squeeze(2).squeeze(0) if added else y.squeeze(2)


# ----- pooling ---------------------------------------------------------------------------------


def _unbatched(who: str, input, batched: int, layout: str):
    """(input with a batch axis, whether it was added): PyTorch takes one example without its
    batch axis, (C, H, W) for 2-D ops and (C, L) for 1-D ones, and returns it without one too."""
    if isinstance(input, Tensor) and input.ndim == batched - 1:
        return input.unsqueeze(0), True
    if isinstance(input, Tensor) and input.ndim != batched:
        raise ValueError(f"{who}: expected a {batched}-D input {layout} or a {batched - 1}-D one "
                         f"without the batch axis, got shape {input.shape}")
    return _check_input(who, input, batched, layout), False


def _pool_args(who, input, kernel_size, stride, padding, dilation=1):
    if input.dtype.kind not in "fiu":  # numpy kinds: float, signed and unsigned integers
        raise TypeError(f"{who}: expected a float or integer input, got {input.dtype}; convert "
                        "it first (x.float())")
    kernel = _tuple(who, "kernel_size", kernel_size)
    stride = kernel if stride is None or stride == () else _tuple(who, "stride", stride)
    padding = _tuple(who, "padding", padding, minimum=0)
    dilation = _tuple(who, "dilation", dilation)
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise ValueError(f"{who}: padding {padding} must be at most half the kernel size "
                         f"{kernel}; otherwise some windows hold nothing but padding")
    span = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    H, W = input.shape[2] + 2 * padding[0], input.shape[3] + 2 * padding[1]
    if span[0] > H or span[1] > W:
        raise ValueError(f"{who}: a {kernel[0]}x{kernel[1]} window does not fit an input of "
                         f"shape {input.shape} (padding {padding}, dilation {dilation}); use a "
                         "smaller kernel_size or pool fewer times")
    return kernel, stride, padding, dilation


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """y = the max of each kh x kw window (stride defaults to the kernel size); with
    return_indices also where each max sits in its input plane (row*W + col, int64), the
    input ``max_unpool2d`` takes.

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, Ho, Wo) or (C, Ho, Wo), Ho = (H + 2*padding -
    dilation*(kh - 1) - 1) / stride + 1 rounded down (up with ceil_mode, as long as the last
    window starts inside the input or its left padding).

    >>> import neuronlab as nl
    >>> max_pool2d(nl.arange(16.0).reshape(1, 1, 4, 4), 2).tolist()
    [[[[5.0, 7.0], [13.0, 15.0]]]]
    """
    who = "max_pool2d"
    input, added = _unbatched(who, input, 4, "(N, C, H, W)")
    kernel, stride, padding, dilation = _pool_args(who, input, kernel_size, stride, padding,
                                                   dilation)
    options = dict(kernel=kernel, stride=stride, padding=padding, dilation=dilation,
                   ceil_mode=bool(ceil_mode))
    y = MaxPool2dOp.apply(input, **options)
    if not return_indices:
        return y.squeeze(0) if added else y
    op = object.__new__(MaxPool2dOp)  # the general path again, for the positions of the maxima
    op.forward(input.data, general=True, **options)
    indices = Tensor(op.flat_indices())
    return (y.squeeze(0), indices.squeeze(0)) if added else (y, indices)


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """y = the mean of each kh x kw window (zero padding counted unless count_include_pad=False;
    divisor_override replaces the count).

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, Ho, Wo) or (C, Ho, Wo), Ho = (H + 2*padding -
    kh) / stride + 1 rounded down (up with ceil_mode, as for ``max_pool2d``).

    >>> import neuronlab as nl
    >>> avg_pool2d(nl.arange(16.0).reshape(1, 1, 4, 4), 2).tolist()
    [[[[2.5, 4.5], [10.5, 12.5]]]]
    """
    who = "avg_pool2d"
    input, added = _unbatched(who, input, 4, "(N, C, H, W)")
    kernel, stride, padding, _ = _pool_args(who, input, kernel_size, stride, padding)
    if divisor_override is not None and (not isinstance(divisor_override, (int, np.integer))
                                         or isinstance(divisor_override, bool)
                                         or divisor_override == 0):
        raise ValueError(f"{who}: divisor_override must be a nonzero integer or None, got "
                         f"{divisor_override!r}")
    y = AvgPool2dOp.apply(input, kernel=kernel, stride=stride, padding=padding,
                          count_include_pad=bool(count_include_pad), ceil_mode=bool(ceil_mode),
                          divisor_override=divisor_override)
    return y.squeeze(0) if added else y


def _unpool_size(who, input, kernel, stride, padding, output_size) -> tuple:
    """PyTorch's output size of max_unpool2d: (Hi - 1)*stride - 2*padding + kernel, or
    output_size (its last two numbers), which must lie within one stride of that."""
    default = [(input.shape[2 + a] - 1) * stride[a] - 2 * padding[a] + kernel[a] for a in (0, 1)]
    if output_size is None:
        return tuple(default)
    size = tuple(output_size)[-2:]
    ok = len(size) == 2 and all(isinstance(v, (int, np.integer)) for v in size)
    if not ok or not all(d - s < v < d + s for v, d, s in zip(size, default, stride)):
        raise ValueError(f"{who}: output_size must be (H, W) within one stride of "
                         f"{tuple(default)} (strictly), got {output_size!r}; leave it out for "
                         "the size the pooling started from")
    return tuple(int(v) for v in size)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:
    """The inverse of ``max_pool2d(..., return_indices=True)``: each value goes back to the
    position its index names in its plane (row*W + col); everything else is 0.

    Shape: input and indices (N, C, Hi, Wi) or (C, Hi, Wi) -> (N, C, H, W) or (C, H, W), with
    H = (Hi - 1)*stride - 2*padding + kh unless output_size says otherwise.

    >>> import neuronlab as nl
    >>> y, idx = max_pool2d(nl.arange(16.0).reshape(1, 1, 4, 4), 2, return_indices=True)
    >>> max_unpool2d(y, idx, 2).tolist()[0][0][1]
    [0.0, 5.0, 0.0, 7.0]
    """
    who = "max_unpool2d"
    input, added = _unbatched(who, input, 4, "(N, C, Hi, Wi)")
    if not isinstance(indices, Tensor) or indices.ndim != input.ndim - added:
        raise ValueError(f"{who}: indices must be a Tensor shaped like the input "
                         f"{tuple(input.shape[added:])}, got {getattr(indices, 'shape', indices)}")
    data = indices.data[None] if added else indices.data
    if data.shape != input.shape or not np.issubdtype(data.dtype, np.integer):
        raise ValueError(f"{who}: indices must be integers shaped like the input "
                         f"{tuple(input.shape[added:])}, got {indices.dtype} {indices.shape}; "
                         "pass the indices max_pool2d(..., return_indices=True) returned")
    kernel = _tuple(who, "kernel_size", kernel_size)
    stride = kernel if stride is None or stride == () else _tuple(who, "stride", stride)
    padding = _tuple(who, "padding", padding, minimum=0)
    size = _unpool_size(who, input, kernel, stride, padding, output_size)
    if data.size and (data.min() < 0 or data.max() >= size[0] * size[1]):
        raise ValueError(f"{who}: an index lies outside the {size[0]}x{size[1]} output plane "
                         f"(indices from {data.min()} to {data.max()}); check kernel_size, stride, "
                         "padding and output_size against the pooling that made them")
    y = MaxUnpool2dOp.apply(input, indices=data, out_hw=size)
    return y.squeeze(0) if added else y


def adaptive_output_size(who: str, input: Tensor, output_size) -> tuple:
    """(Ho, Wo) from an int or a pair; None in the pair keeps that input size."""
    items = (output_size,) * 2 if not isinstance(output_size, (tuple, list)) else output_size
    items = tuple(input.shape[2 + a] if v is None else v for a, v in enumerate(items))
    return _tuple(who, "output_size", items)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """y = the mean over Ho x Wo bins that tile the input (whatever H and W are).

    Shape: (N, C, H, W) -> (N, C, Ho, Wo), or (C, H, W) -> (C, Ho, Wo).

    >>> import neuronlab as nl
    >>> adaptive_avg_pool2d(nl.arange(16.0).reshape(1, 1, 4, 4), 1).tolist()
    [[[[7.5]]]]
    """
    input, added = _unbatched("adaptive_avg_pool2d", input, 4, "(N, C, H, W)")
    size = adaptive_output_size("adaptive_avg_pool2d", input, output_size)
    y = AdaptiveAvgPool2dOp.apply(input, output_size=size)
    return y.squeeze(0) if added else y


# ----- naive references: loops over output positions, composed from primitives ---------------


def _pad(x: Tensor, pads, value=0.0) -> Tensor:
    """x (N, C, H, W) padded by (top, bottom, left, right), by concatenating constant blocks."""
    top, bottom, left, right = pads
    N, C, H, W = x.shape
    if left or right:
        parts = [full((N, C, H, left), value, dtype=x.dtype), x,
                 full((N, C, H, right), value, dtype=x.dtype)]
        x = concatenate([p for p in parts if p.shape[3]], axis=3)
    if top or bottom:
        Wp = x.shape[3]
        parts = [full((N, C, top, Wp), value, dtype=x.dtype), x,
                 full((N, C, bottom, Wp), value, dtype=x.dtype)]
        x = concatenate([p for p in parts if p.shape[2]], axis=2)
    return x


def _grid(values) -> Tensor:
    """A Ho x Wo nested list of (N, C) tensors -> one (N, C, Ho, Wo) tensor."""
    return stack([stack(row, axis=2) for row in values], axis=2)


def composed_conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Naive reference for ``conv2d``: for every output position, cut out the window and take
    its dot product with every filter of the group."""
    (kh, kw), (sh, sw) = weight.shape[2:], _tuple("conv2d", "stride", stride)
    dh, dw = _tuple("conv2d", "dilation", dilation)
    pads = conv_padding("conv2d", padding, (kh, kw), (dh, dw), (sh, sw))
    x = _pad(input, pads)
    N, C, Hp, Wp = x.shape
    O, Cg = weight.shape[:2]
    Og = O // groups
    Ho, Wo = (Hp - dh * (kh - 1) - 1) // sh + 1, (Wp - dw * (kw - 1) - 1) // sw + 1
    filters = [weight[g * Og : (g + 1) * Og].reshape(1, Og, -1) for g in range(groups)]
    values = []
    for i in range(Ho):
        row = []
        for j in range(Wo):
            window = x[:, :, i * sh : i * sh + dh * (kh - 1) + 1 : dh,
                       j * sw : j * sw + dw * (kw - 1) + 1 : dw]  # (N, C, kh, kw)
            outs = [(window[:, g * Cg : (g + 1) * Cg].reshape(N, 1, -1) * filters[g]).sum(-1)
                    for g in range(groups)]  # each (N, O/groups)
            row.append(concatenate(outs, axis=1))  # (N, O)
        values.append(row)
    y = _grid(values)  # (N, O, Ho, Wo)
    return y if bias is None else y + bias.reshape(1, O, 1, 1)


def _composed_pool(input, kernel_size, stride, padding, value, reduce):
    kernel, stride, padding, _ = _pool_args("pool", input, kernel_size, stride, padding)
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    x = _pad(input, (ph, ph, pw, pw), value)
    N, C, Hp, Wp = x.shape
    Ho, Wo = (Hp - kh) // sh + 1, (Wp - kw) // sw + 1
    return _grid([[reduce(x[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw].reshape(N, C, -1),
                          (i, j)) for j in range(Wo)] for i in range(Ho)])


def composed_max_pool2d(input, kernel_size, stride=None, padding=0):
    """Naive reference for ``max_pool2d``: the max of every window, one window at a time."""
    return _composed_pool(input, kernel_size, stride, padding, -np.inf,
                          lambda window, _: window.max(axis=-1))


def composed_avg_pool2d(input, kernel_size, stride=None, padding=0, count_include_pad=True):
    """Naive reference for ``avg_pool2d``: the sum of every window over its divisor."""
    kernel, stride, padding, _ = _pool_args("avg_pool2d", input, kernel_size, stride, padding)
    inside = np.pad(np.ones(input.shape[2:]), [(padding[0],) * 2, (padding[1],) * 2])
    if count_include_pad:
        inside[...] = 1.0  # padding counts like any other position
    counts = np.lib.stride_tricks.sliding_window_view(inside, kernel)[
        :: stride[0], :: stride[1]].sum(axis=(2, 3))  # values per window, (Ho, Wo)
    return _composed_pool(input, kernel, stride, padding, 0.0,
                          lambda window, ij: window.sum(axis=-1) * (1.0 / counts[ij]))


def composed_adaptive_avg_pool2d(input, output_size):
    """Naive reference for ``adaptive_avg_pool2d``: the mean of every bin, one at a time."""
    Ho, Wo = adaptive_output_size("adaptive_avg_pool2d", input, output_size)
    rows, cols = adaptive_bins(input.shape[2], Ho), adaptive_bins(input.shape[3], Wo)
    return _grid([[input[:, :, r0:r1, c0:c1].mean(axis=(2, 3)) for (c0, c1) in cols]
                  for (r0, r1) in rows])
