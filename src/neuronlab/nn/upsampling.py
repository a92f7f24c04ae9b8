"""Resizing images and sequences: ``interpolate`` (re-exported by ``neuronlab.nn.functional``)
and the ``Upsample`` layer.

Each output position maps back to a source coordinate in the input, src = (dst + 0.5) * scale
- 0.5 (or dst * (in - 1) / (out - 1) with ``align_corners=True``), with scale = in / out, or
1 / scale_factor when that is given (PyTorch's rule). 'nearest' picks floor(dst * scale);
the linear modes mix the two neighbours of src with weights (1 - t, t), one spatial axis after
the other (bilinear is linear along H, then along W). Composed from ``index_select`` and
products with constant weights, so the gradient comes from those.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.creation import from_numpy
from ..engine.tensor import Tensor
from .module import Module

LINEAR_MODES = {"linear": 1, "bilinear": 2, "trilinear": 3}
MODES = ("nearest", "nearest-exact", *LINEAR_MODES)


def _out_sizes(who, spatial, size, scale_factor):
    n = len(spatial)
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{who}: give exactly one of size and scale_factor")
    if size is not None:
        sizes = (size,) * n if isinstance(size, int) else tuple(size)
        if len(sizes) != n:
            raise ValueError(f"{who}: size {size} must have {n} entries for {n} spatial axes")
        return sizes, [i / o for i, o in zip(spatial, sizes)]
    factors = (scale_factor,) * n if isinstance(scale_factor, (int, float)) else scale_factor
    if len(factors) != n:
        raise ValueError(f"{who}: scale_factor must have {n} entries, got {scale_factor}")
    sizes = tuple(int(math.floor(i * f)) for i, f in zip(spatial, factors))
    return sizes, [1 / f for f in factors]


def _nearest(x: Tensor, axis: int, n_in: int, n_out: int, scale: float, exact: bool) -> Tensor:
    """'nearest' reads floor(dst * scale) (PyTorch's historical rule, shifted toward the start);
    'nearest-exact' reads floor((dst + 0.5) * scale), the truly nearest pixel."""
    dst = np.arange(n_out) + (0.5 if exact else 0.0)
    src = np.minimum(np.floor(dst * scale).astype(np.int64), n_in - 1)
    return x.index_select(axis, src)


def _linear(x, axis, n_in, n_out, scale, align_corners) -> Tensor:
    dst = np.arange(n_out, dtype=np.float64)
    if align_corners:
        src = dst * ((n_in - 1) / (n_out - 1)) if n_out > 1 else np.zeros(n_out)
    else:
        src = np.maximum((dst + 0.5) * scale - 0.5, 0.0)
    lo = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    hi = np.minimum(lo + 1, n_in - 1)
    t = (src - lo).reshape((-1,) + (1,) * (x.ndim - 1 - axis)).astype(x.dtype)
    return x.index_select(axis, lo) * from_numpy(1 - t) + x.index_select(axis, hi) * from_numpy(t)


def interpolate(
    input: Tensor,
    size=None,
    scale_factor=None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
) -> Tensor:
    """Resize the spatial axes of (N, C, L), (N, C, H, W) or (N, C, D, H, W).

    Modes: 'nearest', 'nearest-exact', 'linear' (3-D input), 'bilinear' (4-D), 'trilinear'
    (5-D).
    ``align_corners=True`` maps the corner pixels onto each other (linear modes only).
    ``recompute_scale_factor=True`` maps positions with in / out instead of 1 / scale_factor.

    >>> import neuronlab as nl
    >>> interpolate(nl.tensor([[[1.0, 2.0]]]), scale_factor=2).tolist()
    [[[1.0, 1.0, 2.0, 2.0]]]
    >>> interpolate(nl.tensor([[[1.0, 2.0]]]), size=4, mode="linear").tolist()
    [[[1.0, 1.25, 1.75, 2.0]]]
    """
    who = "interpolate"
    if mode not in MODES:
        raise ValueError(
            f"{who}: mode must be one of {MODES}, got {mode!r} (bicubic and area are not available)"
        )
    if input.ndim not in (3, 4, 5):
        raise ValueError(f"{who}: expected a 3-, 4- or 5-D input (N, C, ...), got {input.shape}")
    if mode in LINEAR_MODES and LINEAR_MODES[mode] != input.ndim - 2:
        raise ValueError(
            f"{who}: mode {mode!r} needs a {LINEAR_MODES[mode] + 2}-D input, got shape "
            f"{input.shape}; use 'linear' for (N, C, L), 'bilinear' for (N, C, H, W)"
        )
    if align_corners is not None and mode not in LINEAR_MODES:
        raise ValueError(f"{who}: align_corners only applies to the linear modes, not {mode!r}")
    if antialias:
        raise ValueError(f"{who}: antialias=True is not available; resize without it")
    sizes, scales = _out_sizes(who, input.shape[2:], size, scale_factor)
    if recompute_scale_factor:
        scales = [i / o for i, o in zip(input.shape[2:], sizes)]
    out = input
    for k, (n_out, scale) in enumerate(zip(sizes, scales)):
        axis, n_in = 2 + k, input.shape[2 + k]
        if mode in ("nearest", "nearest-exact"):
            out = _nearest(out, axis, n_in, n_out, scale, mode == "nearest-exact")
        else:
            out = _linear(out, axis, n_in, n_out, scale, bool(align_corners))
    return out


class Upsample(Module):
    """Resize the spatial axes with ``interpolate`` (no parameters).

    Shape: (N, C, *spatial) -> (N, C, *spatial * scale_factor) or (N, C, *size).

    Args:
        size: the output size of the spatial axes (or give ``scale_factor``).
        scale_factor: how many times larger each spatial axis gets.
        mode: 'nearest' (default), 'linear', 'bilinear' or 'trilinear'.
        align_corners: for the linear modes, map corner pixels onto each other.

    >>> import neuronlab as nl
    >>> Upsample(scale_factor=2)(nl.ones(1, 1, 2, 2)).shape
    (1, 1, 4, 4)
    """

    def __init__(
        self, size=None, scale_factor=None, mode: str = "nearest", align_corners: bool | None = None
    ):
        super().__init__()
        self.size, self.scale_factor = size, scale_factor
        self.mode, self.align_corners = mode, align_corners

    def forward(self, input: Tensor) -> Tensor:
        return interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners)

    def extra_repr(self) -> str:
        what = f"size={self.size}" if self.size is not None else f"scale_factor={self.scale_factor}"
        return f"{what}, mode={self.mode!r}"


__all__ = ["Upsample", "interpolate"]
