"""Pooling primitives: ``max_pool2d``, ``avg_pool2d``, ``max_unpool2d`` and
``adaptive_avg_pool2d``.

Names: x (N, C, H, W), windows of kh x kw moved by (sh, sw) over x padded by (ph, pw) on each
side, y (N, C, Ho, Wo) with Ho = (H + 2*ph - kh) // sh + 1 (floor mode, as PyTorch).

None of them loops over pixels. Max and average pooling loop over the kh*kw window OFFSETS
(p, q): the values at offset (p, q) of every window form one strided slice of the input,
``xpad[:, :, p::sh, q::sw]`` (cut to Ho x Wo), so a 3x3 pool is 9 whole-batch array operations.
Backward adds dout back through the same slices.

The common case, 2x2 windows with stride 2 and no padding, is special-cased with two
element-wise maxima over strided views: every even column against the next odd one (left against
right), then every even row of those against the next odd row (top against bottom). Each pass
walks whole rows at a stride of 2, which NumPy merges into long loops. (``x.reshape(N, C, Ho, 2,
Wo, 2).max(axis=(3, 5))`` computes the same, but NumPy reduces over those two short, strided axes
some 50x slower; ``benchmarks/bench_cnn.py`` has the figures.) Which of the four was the max is
only worked out in backward, by the same two comparisons; evaluation (no backward) never pays for
it. Tests hold the fast path equal to the general one and to the previous comparison with y,
ties included, and to ``composed_max_pool2d``.
"""

from __future__ import annotations

from .. import grad_mode
from ..backend import xp
from ..function import Function, register
from . import workers
from .conv import pad2d


def _offset_slices(p, q, stride, out_hw):
    """Index of the strided slice holding offset (p, q) of every window: shape (N, C, Ho, Wo)."""
    (sh, sw), (Ho, Wo) = stride, out_hw
    return (slice(None), slice(None), slice(p, p + sh * (Ho - 1) + 1, sh),
            slice(q, q + sw * (Wo - 1) + 1, sw))


def _crop(dxpad, pads, x_shape):
    """The input's part of a gradient over the padded input; pads = (top, bottom, left, right)."""
    top, _, left, _ = pads
    H, W = x_shape[2:]
    if dxpad.shape[2:] == (H, W):
        return dxpad
    return xp.ascontiguousarray(dxpad[:, :, top : top + H, left : left + W])


def pool_length(size, k, s, p, d=1, ceil_mode=False):
    """(out, extra): PyTorch's output length along one axis, and the padding the last window
    needs beyond the end padding p (nonzero only with ceil_mode).

    out = floor or ceil((size + 2p - d*(k - 1) - 1) / s) + 1, less one in ceil mode when the
    last window would start past the input and its left padding ((out - 1)*s >= size + p)."""
    span = d * (k - 1) + 1
    room = size + 2 * p - span
    out = (-(-room // s) if ceil_mode else room // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out, max(0, (out - 1) * s + span - (size + 2 * p))


def pool_geometry(x_shape, kernel, stride, padding, dilation=(1, 1), ceil_mode=False):
    """((Ho, Wo), (top, bottom, left, right)): the output size and the padding of each side."""
    (Ho, eh), (Wo, ew) = (pool_length(x_shape[2 + a], kernel[a], stride[a], padding[a],
                                      dilation[a], ceil_mode) for a in (0, 1))
    (ph, pw) = padding
    return (Ho, Wo), (ph, ph + eh, pw, pw + ew)


def pool_out_hw(x_shape, kernel, stride, padding):
    return pool_geometry(x_shape, kernel, stride, padding)[0]


def lowest(dtype):
    """The padding value that is never a max: -inf for floats, the smallest integer otherwise."""
    return -xp.inf if xp.issubdtype(dtype, xp.floating) else xp.iinfo(dtype).min


@register
class MaxPool2d(Function):
    """y[n, c, i, j] = max over the window (p, q) of xpad[n, c, i*sh + p*dh, j*sw + q*dw]
    (padding holds the dtype's lowest value, -inf for floats, so it is never picked)

    Shape: x (N, C, H, W) -> y (N, C, Ho, Wo), Ho = (H + 2*ph - dh*(kh - 1) - 1) / sh + 1
    rounded down (or up with ceil_mode; see ``pool_length``). Options: kernel (kh, kw), stride
    (sh, sw), padding (ph, pw), dilation (dh, dw), ceil_mode, general (True: skip the 2x2 fast
    path, to compare the two).

    Backward: dx is dout at the position of each window's max (the first one in row-major order
    on ties, as in PyTorch) and 0 elsewhere; overlapping windows add up. The general path saves
    the index of the max within its window (0 .. kh*kw - 1) in forward; the 2x2 path saves x
    (a view, no copy) and finds it in backward.

    >>> import neuronlab as nl
    >>> x = nl.tensor([[[[1.0, 2.0], [4.0, 3.0]]]])
    >>> MaxPool2d.apply(x, kernel=(2, 2), stride=(2, 2), padding=(0, 0)).tolist()
    [[[[4.0]]]]
    """

    name = "max_pool2d"

    def forward(self, x, kernel=(2, 2), stride=(2, 2), padding=(0, 0), dilation=(1, 1),
                ceil_mode=False, general=False):
        self.kernel, self.stride, self.dilation = tuple(kernel), tuple(stride), tuple(dilation)
        self.padding = tuple(padding)
        self.x_shape = x.shape
        self.out_hw, self.pads = pool_geometry(x.shape, self.kernel, self.stride, self.padding,
                                               self.dilation, ceil_mode)
        self.fast = self.kernel == self.stride == (2, 2) and self.pads == (0, 0, 0, 0)
        self.fast = self.fast and self.dilation == (1, 1) and not general  # tests compare both
        if self.fast:
            return self._forward_2x2(x)
        xpad = pad2d(x, self.pads, value=lowest(x.dtype))
        (kh, kw), (dh, dw) = self.kernel, self.dilation
        y = idx = None
        for k in range(kh * kw):  # running max over the window offsets, first max wins
            at = _offset_slices(k // kw * dh, k % kw * dw, self.stride, self.out_hw)
            v = xpad[at]  # (N, C, Ho, Wo)
            if y is None:
                y, idx = v.copy(), xp.zeros(v.shape, dtype=xp.uint8 if kh * kw < 256 else xp.int64)
            else:
                better = v > y
                xp.copyto(y, v, where=better)
                idx[better] = k
        self.idx = idx
        return y

    def flat_indices(self):
        """PyTorch's ``return_indices``: where each max sits in its input plane, r*W + c
        (int64, (N, C, Ho, Wo)); needs the general path's ``idx``."""
        kw, (sh, sw), (dh, dw) = self.kernel[1], self.stride, self.dilation
        (Ho, Wo), (top, _, left, _), W = self.out_hw, self.pads, self.x_shape[3]
        idx = self.idx.astype(xp.int64)
        rows = xp.arange(Ho)[:, None] * sh - top + idx // kw * dh
        cols = xp.arange(Wo) * sw - left + idx % kw * dw
        return rows * W + cols

    def _forward_2x2(self, x):
        Ho, Wo = self.out_hw
        x4 = x[:, :, : 2 * Ho, : 2 * Wo]  # odd sizes: the last row or column is cut
        N, C = x.shape[:2]
        y = xp.empty((N, C, Ho, Wo), dtype=x.dtype)
        self.x4 = x4  # a view of x: no copy (a ReLU before keeps x anyway)
        self.masks = None
        if grad_mode.state.enabled:  # training: keep which of each pair won, for backward
            self.masks = (xp.empty((N, C, 2 * Ho, Wo), dtype=bool),
                          xp.empty((N, C, Ho, Wo), dtype=bool))  # fmt: skip
            workers.by_batch(_max_2x2_masks, x4, y, *self.masks)  # large: both workers
        else:
            workers.by_batch(_max_2x2, x4, y)
        return y

    def backward(self, dout):
        (kh, kw), (dh, dw) = self.kernel, self.dilation
        N, C, H, W = self.x_shape
        if self.fast:
            return (self._backward_2x2(dout),)
        top, bottom, left, right = self.pads
        dxpad = xp.zeros((N, C, H + top + bottom, W + left + right), dtype=dout.dtype)
        for k in range(kh * kw):
            at = _offset_slices(k // kw * dh, k % kw * dw, self.stride, self.out_hw)
            dxpad[at] += dout * (self.idx == k)
        return (_crop(dxpad, self.pads, self.x_shape),)

    def _backward_2x2(self, dout):
        """dout goes to the first of the four window positions (row-major) that holds the max,
        routed by the comparisons the forward kept (``_route_2x2``), the batch shared by the
        workers when it is large. Routing through two strided passes reads whole rows at a
        stride of 2 (NumPy merges such axes into one long loop); comparing each position with y,
        as ``_backward_2x2_reference`` does, walks windows Wo values at a time and is slower
        (``benchmarks/notes.md`` has the figures)."""
        x4, (N, C, H, W), (Ho, Wo) = self.x4, self.x_shape, self.out_hw
        whole = (2 * Ho, 2 * Wo) == (H, W)
        dx = (xp.empty if whole else xp.zeros)((N, C, H, W), dtype=dout.dtype)
        masks = self.masks
        if masks is None:  # a forward run without recording kept none: compare again
            masks = (xp.empty((N, C, 2 * Ho, Wo), dtype=bool), xp.empty(dout.shape, dtype=bool))
            workers.by_batch(_max_2x2_masks, x4, xp.empty_like(dout), *masks)
        workers.by_batch(_route_2x2, dout, *masks, dx[:, :, : 2 * Ho, : 2 * Wo])
        return dx

    def _backward_2x2_reference(self, dout):
        """The same gradient by comparing each of the four positions with y, skipping windows
        already served (the previous fast path; tests hold the two equal)."""
        x4, (N, C, H, W), (Ho, Wo) = self.x4, self.x_shape, self.out_hw
        x6 = x4.reshape(N, C, Ho, 2, Wo, 2)
        y = xp.maximum(xp.maximum(x6[:, :, :, 0, :, 0], x6[:, :, :, 0, :, 1]),
                       xp.maximum(x6[:, :, :, 1, :, 0], x6[:, :, :, 1, :, 1]))
        whole = (2 * Ho, 2 * Wo) == (H, W)
        dx = (xp.empty if whole else xp.zeros)((N, C, H, W), dtype=dout.dtype)
        dx6 = dx[:, :, : 2 * Ho, : 2 * Wo].reshape(N, C, Ho, 2, Wo, 2)  # a view into dx
        free = None  # windows whose max has not been found yet
        for k, (p, q) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
            if k == 0:
                hit = x6[:, :, :, p, :, q] == y
                free = ~hit
            elif k < 3:
                hit = x6[:, :, :, p, :, q] == y
                hit &= free
                free ^= hit
            else:
                hit = free  # the last position is the max of every window left
            xp.multiply(dout, hit, out=dx6[:, :, :, p, :, q])
        return dx

    def describe(self):
        kernel = getattr(self, "kernel", None)
        return self.name if kernel is None else f"max_pool2d({kernel[0]}x{kernel[1]})"


def _max_2x2(x4, y):
    """y = the max of each 2x2 window of x4 (N, C, 2Ho, 2Wo): left against right, then top
    against bottom."""
    rows = xp.maximum(x4[..., 0::2], x4[..., 1::2])  # (N, C, 2Ho, Wo): left vs right
    xp.maximum(rows[:, :, 0::2], rows[:, :, 1::2], out=y)  # (N, C, Ho, Wo): top vs bottom


def _max_2x2_masks(x4, y, go_right, go_down):
    """``_max_2x2``, keeping its two comparisons for backward: ``go_right`` where the right value
    of a row pair is strictly larger, ``go_down`` where the bottom row's winner is (ties go to
    the first position in row-major order, as in PyTorch)."""
    left, right = x4[..., 0::2], x4[..., 1::2]
    xp.greater(right, left, out=go_right)
    rows = xp.maximum(left, right)
    top, bottom = rows[:, :, 0::2], rows[:, :, 1::2]
    xp.greater(bottom, top, out=go_down)
    xp.maximum(top, bottom, out=y)


def _route_2x2(dout, go_right, go_down, dx4):
    """dx4 = dout at the winning position of each window, from the kept comparisons."""
    N, C, Ho, Wo = dout.shape
    drows = xp.empty((N, C, Ho, 2, Wo), dtype=dout.dtype)  # dout on its window's top or
    xp.multiply(dout, ~go_down, out=drows[:, :, :, 0])  # bottom row
    xp.multiply(dout, go_down, out=drows[:, :, :, 1])
    drows = drows.reshape(N, C, 2 * Ho, Wo)
    xp.multiply(drows, ~go_right, out=dx4[..., 0::2])
    xp.multiply(drows, go_right, out=dx4[..., 1::2])


@register
class AvgPool2d(Function):
    """y[n, c, i, j] = sum over the window (p, q) of xpad[n, c, i*sh + p, j*sw + q] / divisor

    with zero padding. The divisor follows PyTorch: ``divisor_override`` when given; else, with
    ``count_include_pad=True``, the number of window positions inside the input and its padding
    (kh*kw, less where a ceil_mode window runs past the end padding); with False, the number of
    positions inside the input alone. Integer inputs round toward zero, as PyTorch.

    Shape: x (N, C, H, W) -> y (N, C, Ho, Wo), Ho as for ``MaxPool2d`` (no dilation). Options:
    kernel, stride, padding, count_include_pad, ceil_mode, divisor_override.

    Backward: each input position receives dout / divisor from every window that contains it.

    >>> import neuronlab as nl
    >>> x = nl.tensor([[[[1.0, 2.0], [4.0, 3.0]]]])
    >>> AvgPool2d.apply(x, kernel=(2, 2), stride=(2, 2), padding=(0, 0)).tolist()
    [[[[2.5]]]]
    """

    name = "avg_pool2d"

    def forward(self, x, kernel=(2, 2), stride=(2, 2), padding=(0, 0), count_include_pad=True,
                ceil_mode=False, divisor_override=None):
        self.kernel, self.stride, self.padding = tuple(kernel), tuple(stride), tuple(padding)
        self.x_shape = x.shape
        self.out_hw, self.pads = pool_geometry(x.shape, self.kernel, self.stride, self.padding,
                                               ceil_mode=ceil_mode)
        integer = not xp.issubdtype(x.dtype, xp.inexact)
        total = self._window_sums(pad2d(x, self.pads), xp.int64 if integer else x.dtype)
        self.divisor = self._divisor(x, count_include_pad, divisor_override)
        if integer:
            return xp.trunc(total / self.divisor).astype(x.dtype)
        total /= self.divisor
        return total

    def _window_sums(self, xpad, dtype):
        kh, kw = self.kernel
        total = xp.zeros((*xpad.shape[:2], *self.out_hw), dtype=dtype)
        for k in range(kh * kw):
            total += xpad[_offset_slices(k // kw, k % kw, self.stride, self.out_hw)]
        return total

    def _divisor(self, x, count_include_pad, divisor_override):
        """A number, or (1, 1, Ho, Wo) counts: the same pooling of a map of ones that covers
        what is counted (the input, or the input and its padding) and is 0 elsewhere."""
        (kh, kw), (ph, pw), (_, bottom, _, right) = self.kernel, self.padding, self.pads
        if divisor_override is not None:
            return int(divisor_override)
        if self.pads == (0, 0, 0, 0) or (count_include_pad and self.pads == (ph, ph, pw, pw)):
            return kh * kw
        H, W = x.shape[2:]
        if count_include_pad:  # ones over the input and its symmetric padding
            ones = xp.ones((1, 1, H + 2 * ph, W + 2 * pw), dtype=xp.float64)
            inside = pad2d(ones, (0, bottom - ph, 0, right - pw))
        else:
            inside = pad2d(xp.ones((1, 1, H, W), dtype=xp.float64), self.pads)
        dtype = x.dtype if xp.issubdtype(x.dtype, xp.floating) else xp.float64
        return self._window_sums(inside, dtype)

    def backward(self, dout):
        (N, C, H, W), (top, bottom, left, right), (kh, kw) = self.x_shape, self.pads, self.kernel
        share = dout / self.divisor
        dxpad = xp.zeros((N, C, H + top + bottom, W + left + right), dtype=dout.dtype)
        for k in range(kh * kw):
            dxpad[_offset_slices(k // kw, k % kw, self.stride, self.out_hw)] += share
        return (_crop(dxpad, self.pads, self.x_shape),)


@register
class MaxUnpool2d(Function):
    """y[n, c].flat[indices[n, c, i, j]] = x[n, c, i, j], and 0 everywhere else: the inverse of
    ``max_pool2d(..., return_indices=True)`` (each max goes back where it came from).

    Shape: x and indices (N, C, Hi, Wi) -> y (N, C, H, W). Options: indices (int64, flat
    positions r*W + c in each output plane), out_hw (H, W).

    Backward: dx[n, c, i, j] = dout[n, c].flat[indices[n, c, i, j]] (a gather at the same
    positions).

    >>> import neuronlab as nl
    >>> import numpy as np
    >>> MaxUnpool2d.apply(nl.tensor([[[[5.0]]]]), indices=np.array([[[[3]]]]),
    ...                   out_hw=(2, 2)).tolist()
    [[[[0.0, 0.0], [0.0, 5.0]]]]
    """

    name = "max_unpool2d"

    def forward(self, x, indices=None, out_hw=(2, 2)):
        N, C = x.shape[:2]
        self.flat = xp.asarray(indices, dtype=xp.int64).reshape(N, C, -1)  # (N, C, Hi*Wi)
        self.x_shape = x.shape
        y = xp.zeros((N, C, out_hw[0] * out_hw[1]), dtype=x.dtype)
        xp.put_along_axis(y, self.flat, x.reshape(N, C, -1), axis=2)
        return y.reshape(N, C, *out_hw)

    def backward(self, dout):
        N, C = self.x_shape[:2]
        dx = xp.take_along_axis(dout.reshape(N, C, -1), self.flat, axis=2)
        return (dx.reshape(self.x_shape),)


def adaptive_bins(size, out):
    """PyTorch's bins for adaptive pooling:
    bin i covers [floor(i*size/out), ceil((i+1)*size/out))."""
    return [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]


@register
class AdaptiveAvgPool2d(Function):
    """y[n, c, i, j] = mean of x[n, c, rows_i, cols_j], with the bins rows_i = [floor(i*H/Ho),
    ceil((i+1)*H/Ho)) (and the same for the columns): Ho x Wo outputs whatever H and W are.

    Shape: x (N, C, H, W) -> y (N, C, Ho, Wo). Option: output_size (Ho, Wo).

    Backward: each position of a bin receives dout / (bin area) of that bin (bins may overlap
    by one row or column when Ho does not divide H; then contributions add).

    >>> import neuronlab as nl
    >>> AdaptiveAvgPool2d.apply(nl.ones(2, 3, 5, 7), output_size=(1, 1)).shape
    (2, 3, 1, 1)
    """

    name = "adaptive_avg_pool2d"

    def forward(self, x, output_size=(1, 1)):
        N, C, H, W = self.x_shape = x.shape
        Ho, Wo = self.out_hw = tuple(output_size)
        if H % Ho == 0 and W % Wo == 0:  # equal, disjoint bins: one reshape and mean
            return x.reshape(N, C, Ho, H // Ho, Wo, W // Wo).mean(axis=(3, 5))
        y = xp.empty((N, C, Ho, Wo), dtype=x.dtype)
        for i, (r0, r1) in enumerate(adaptive_bins(H, Ho)):  # a loop over output positions
            for j, (c0, c1) in enumerate(adaptive_bins(W, Wo)):
                y[:, :, i, j] = x[:, :, r0:r1, c0:c1].mean(axis=(2, 3))
        return y

    def backward(self, dout):
        N, C, H, W = self.x_shape
        Ho, Wo = self.out_hw
        if H % Ho == 0 and W % Wo == 0:
            kh, kw = H // Ho, W // Wo
            share = (dout / (kh * kw))[:, :, :, None, :, None]  # (N, C, Ho, 1, Wo, 1)
            dx = xp.broadcast_to(share, (N, C, Ho, kh, Wo, kw)).reshape(N, C, H, W)
            return (dx,)
        dx = xp.zeros(self.x_shape, dtype=dout.dtype)
        for i, (r0, r1) in enumerate(adaptive_bins(H, Ho)):
            for j, (c0, c1) in enumerate(adaptive_bins(W, Wo)):
                dx[:, :, r0:r1, c0:c1] += dout[:, :, i, j, None, None] / ((r1 - r0) * (c1 - c0))
        return (dx,)
