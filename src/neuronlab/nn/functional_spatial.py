"""Rearranging images and sequences (re-exported by ``neuronlab.nn.functional``): ``pad``,
``pixel_shuffle``/``pixel_unshuffle``, ``unfold`` (image -> columns of patches) and ``fold``
(columns -> image, adding overlaps).

All are composed from the engine's primitives: padding is concatenation (constant) or picking
positions by index (reflect, replicate, circular); the shuffles are reshape and permute;
``unfold`` picks patch positions with one index array and ``fold`` adds them back with
``scatter_add``. Their gradients come from those primitives.
"""

from __future__ import annotations

import numpy as np

from ..engine.creation import from_numpy
from ..engine.functions import concatenate
from ..engine.tensor import Tensor

PAD_MODES = ("constant", "reflect", "replicate", "circular")


def _pad_index(n: int, before: int, after: int, mode: str) -> np.ndarray:
    """Source positions for an axis of size n padded by ``before``/``after`` in ``mode``."""
    positions = np.arange(-before, n + after)
    if mode == "replicate":
        return np.clip(positions, 0, n - 1)
    if mode == "circular":
        return positions % n
    period = 2 * (n - 1)  # reflect: ... 2 1 | 0 1 2 ... n-1 | n-2 ...
    folded = np.abs(positions) % period if period else np.zeros_like(positions)
    return np.where(folded < n, folded, period - folded)


def _check_pad(input: Tensor, pad, mode: str):
    if mode not in PAD_MODES:
        raise ValueError(f"pad: mode must be one of {PAD_MODES}, got {mode!r}")
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2 or len(pad) // 2 > input.ndim:
        raise ValueError(
            f"pad: expected pairs (left, right) for at most {input.ndim} trailing dimensions, "
            f"got {pad}; pad=(1, 1) pads the last axis, (1, 1, 2, 2) the last two"
        )
    return pad


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the trailing axes: ``pad = (left, right)`` for the last axis, then a pair for the one
    before it, and so on (PyTorch's order). Negative amounts crop.

    Modes: 'constant' (``value``, 0 by default), 'reflect' (mirror without repeating the edge),
    'replicate' (repeat the edge), 'circular' (wrap around).

    >>> import neuronlab as nl
    >>> pad(nl.tensor([1.0, 2.0, 3.0]), (2, 1), mode="reflect").tolist()
    [3.0, 2.0, 1.0, 2.0, 3.0, 2.0]
    """
    pads = _check_pad(input, pad, mode)
    out = input
    for k in range(len(pads) // 2):
        axis = input.ndim - 1 - k
        before, after = pads[2 * k], pads[2 * k + 1]
        if before == after == 0:
            continue
        if mode == "constant":
            out = _pad_constant(out, axis, before, after, 0.0 if value is None else value)
        else:
            out = _pad_by_index(out, axis, before, after, mode)
    return out


def _pad_by_index(x: Tensor, axis: int, before: int, after: int, mode: str) -> Tensor:
    """Reflect, replicate or circular padding of one axis: output position j reads input
    position j - before, mapped back into the axis. A negative amount crops: for 'circular'
    first (the wrap-around then comes from the cropped axis, as in PyTorch)."""
    if mode == "circular" and min(before, after) < 0:
        n = x.shape[axis]
        x = x[(slice(None),) * axis + (slice(max(-before, 0), n - max(-after, 0)),)]
        before, after = max(before, 0), max(after, 0)
    n = x.shape[axis]
    if n == 0:
        raise ValueError(f"pad: {mode} padding needs a non-empty axis, axis {axis} is empty")
    if mode == "reflect" and max(before, after) >= n:
        raise ValueError(
            f"pad: reflect padding of ({before}, {after}) needs an axis longer than the "
            f"padding, got size {n} on axis {axis}"
        )
    if n + before + after < 0:
        raise ValueError(
            f"pad: ({before}, {after}) crops more than the {n} elements of axis {axis}"
        )
    return x.index_select(axis, _pad_index(n, before, after, mode))


def _pad_constant(x: Tensor, axis: int, before: int, after: int, value) -> Tensor:
    if min(before, after) < 0:  # negative amounts crop
        n = x.shape[axis]
        x = x[(slice(None),) * axis + (slice(max(-before, 0), n - max(-after, 0)),)]
        before, after = max(before, 0), max(after, 0)

    def block(size):
        shape = x.shape[:axis] + (size,) + x.shape[axis + 1 :]
        return from_numpy(np.full(shape, value, dtype=x.dtype))

    parts = ([block(before)] if before else []) + [x] + ([block(after)] if after else [])
    return concatenate(parts, axis=axis)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C * r^2, H, W) -> (*, C, H * r, W * r): each group of r^2 channels becomes an r x r
    block of pixels (sub-pixel convolution's upsampling)."""
    r = upscale_factor
    *lead, c, h, w = _image_shape("pixel_shuffle", input)
    if c % (r * r):
        raise ValueError(
            f"pixel_shuffle: {c} channels cannot be divided into {r}^2 = {r * r} sub-pixels; the "
            "channel count must be a multiple of upscale_factor squared"
        )
    x = input.reshape(*lead, c // (r * r), r, r, h, w)
    k = len(lead)
    x = x.permute(*range(k), k, k + 3, k + 1, k + 4, k + 2)  # (*, C, H, r, W, r)
    return x.reshape(*lead, c // (r * r), h * r, w * r)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H * r, W * r) -> (*, C * r^2, H, W), the inverse of ``pixel_shuffle``."""
    r = downscale_factor
    *lead, c, h, w = _image_shape("pixel_unshuffle", input)
    if h % r or w % r:
        raise ValueError(f"pixel_unshuffle: height {h} and width {w} must be multiples of {r}")
    x = input.reshape(*lead, c, h // r, r, w // r, r)
    k = len(lead)
    x = x.permute(*range(k), k, k + 2, k + 4, k + 1, k + 3)  # (*, C, r, r, H, W)
    return x.reshape(*lead, c * r * r, h // r, w // r)


def _image_shape(who: str, input: Tensor) -> tuple:
    if input.ndim < 3:
        raise ValueError(f"{who}: expected an input (*, C, H, W), got shape {input.shape}")
    return input.shape


def _pairs(who: str, name: str, value) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2:
        raise ValueError(f"{who}: {name} must be an int or a pair, got {value!r}")
    return pair


def _patch_positions(size, kernel, dilation, padding, stride, who):
    """Flat positions in the padded image of every (kernel offset, patch) pair:
    an array (kh * kw, L) of indices into (H + 2p) * (W + 2p)."""
    (H, W), (kh, kw), (dh, dw), (ph, pw), (sh, sw) = size, kernel, dilation, padding, stride
    Hp, Wp = H + 2 * ph, W + 2 * pw
    oh = (Hp - dh * (kh - 1) - 1) // sh + 1
    ow = (Wp - dw * (kw - 1) - 1) // sw + 1
    if oh <= 0 or ow <= 0:
        raise ValueError(
            f"{who}: a kernel {kernel} with dilation {dilation} does not fit an image of size "
            f"{size} padded by {padding}"
        )
    ki = np.arange(kh).reshape(-1, 1, 1, 1) * dh  # kernel offsets (kh, kw, oh, ow) ...
    kj = np.arange(kw).reshape(1, -1, 1, 1) * dw
    oi = np.arange(oh).reshape(1, 1, -1, 1) * sh  # ... plus patch corners
    oj = np.arange(ow).reshape(1, 1, 1, -1) * sw
    flat = (ki + oi) * Wp + (kj + oj)
    return flat.reshape(kh * kw, oh * ow), (Hp, Wp)


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Image -> columns of patches (im2col): (N, C, H, W) -> (N, C * kh * kw, L), one column per
    position of the kernel, L = number of positions.

    >>> import neuronlab as nl
    >>> unfold(nl.arange(4.0).reshape(1, 1, 2, 2), 2).tolist()
    [[[0.0], [1.0], [2.0], [3.0]]]
    """
    who = "unfold"
    if input.ndim != 4:
        raise ValueError(f"{who}: expected a 4-D input (N, C, H, W), got shape {input.shape}")
    N, C, H, W = input.shape
    kernel, dil, pads, strides = (
        _pairs(who, n, v)
        for n, v in [
            ("kernel_size", kernel_size),
            ("dilation", dilation),
            ("padding", padding),
            ("stride", stride),
        ]
    )
    flat, (Hp, Wp) = _patch_positions((H, W), kernel, dil, pads, strides, who)
    x = pad(input, (pads[1], pads[1], pads[0], pads[0])) if any(pads) else input
    cols = x.reshape(N, C, Hp * Wp)[:, :, flat.reshape(-1)]  # (N, C, kh * kw * L)
    return cols.reshape(N, C * flat.shape[0], flat.shape[1])


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Columns of patches -> image (col2im), the adjoint of ``unfold``: (N, C * kh * kw, L) ->
    (N, C, H, W); where patches overlap, their values add up.

    >>> import neuronlab as nl
    >>> fold(nl.ones(1, 2, 4), (1, 5), (1, 2)).tolist()
    [[[[1.0, 2.0, 2.0, 2.0, 1.0]]]]
    """
    who = "fold"
    if input.ndim != 3:
        raise ValueError(f"{who}: expected a 3-D input (N, C * kh * kw, L), got {input.shape}")
    size, kernel, dil, pads, strides = (
        _pairs(who, n, v)
        for n, v in [
            ("output_size", output_size),
            ("kernel_size", kernel_size),
            ("dilation", dilation),
            ("padding", padding),
            ("stride", stride),
        ]
    )
    flat, (Hp, Wp) = _patch_positions(size, kernel, dil, pads, strides, who)
    N, CK, L = input.shape
    K = flat.shape[0]
    if CK % K or flat.shape[1] != L:
        raise ValueError(
            f"{who}: an input of shape {input.shape} does not fit {K} kernel offsets and "
            f"{flat.shape[1]} positions; expected (N, C * {K}, {flat.shape[1]})"
        )
    C = CK // K
    index = np.broadcast_to(flat.reshape(1, 1, -1), (N, C, K * L))
    canvas = from_numpy(np.zeros((N, C, Hp * Wp), dtype=input.dtype))
    image = canvas.scatter_add(2, index, input.reshape(N, C, K * L)).reshape(N, C, Hp, Wp)
    ph, pw = pads
    return image[:, :, ph : Hp - ph, pw : Wp - pw]


__all__ = ["fold", "pad", "pixel_shuffle", "pixel_unshuffle", "unfold"]
