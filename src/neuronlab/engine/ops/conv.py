"""Convolution as one primitive: im2col and a matrix product forward, col2im backward.

Names: x (N, C, H, W) the input, W (O, C/groups, kh, kw) the filters, b (O,) the bias,
y (N, O, Ho, Wo) the output, with (per spatial axis, e.g. the height)

    Ho = (H + pad_top + pad_bottom - dh * (kh - 1) - 1) // sh + 1

for stride sh and dilation dh. Every output value is a dot product of one filter with one window
of the (padded) input:

    y[n, o, i, j] = b[o] + sum_{c, p, q} W[o, c, p, q] * x[n, c, i*sh + p*dh, j*sw + q*dw]

A loop over the output positions computes exactly that (``composed_conv2d`` in
``neuronlab.nn.conv_functional`` does, and tests hold the two equal). The fast path rewrites it
as ONE matrix product: ``im2col`` copies every window into a column of a matrix
``cols`` (C*kh*kw, N*Ho*Wo) -- a strided view of the input gathers the windows without a loop --
and then

    y = W.reshape(O, C*kh*kw) @ cols         (O, N*Ho*Wo), one BLAS call per group

Backward is two more products and a scatter (``docs/math/convolution.md`` derives them):

    dW    = dout2 @ cols^T                   dout2 = dout as (O, N*Ho*Wo)
    dcols = W2^T @ dout2                     (C*kh*kw, N*Ho*Wo)
    dx    = col2im(dcols): every column is added back onto the window it came from. Windows
            overlap, so values add up; a loop over the kh*kw kernel offsets adds one strided
            slice of the whole batch at a time (9 adds for a 3x3 kernel, no per-pixel loop).
    db    = dout summed over N, Ho, Wo

That whole-batch im2col is the readable reference. The fast path (``conv_chunked.py``) runs the
same products on cache-sized slices of the batch and, for stride 1, computes dx as a convolution
of dout with the flipped filters; tests hold the two equal.
"""

from __future__ import annotations

from numpy.lib.stride_tricks import as_strided

from ..backend import xp
from ..function import Function, register
from . import conv_chunked as chunked


def conv_out_size(size, kernel, stride, pad_before, pad_after, dilation):
    """The output length along one axis:
    (size + pad_before + pad_after - dilation * (kernel - 1) - 1) // stride + 1."""
    return (size + pad_before + pad_after - dilation * (kernel - 1) - 1) // stride + 1


def pad2d(x, padding, value=0.0):
    """x (N, C, H, W) padded by (top, bottom, left, right) with ``value``, in one new buffer
    (only the border strips are filled, the interior is copied once); x itself when no padding.
    """
    top, bottom, left, right = padding
    if not (top or bottom or left or right):
        return x
    N, C, H, W = x.shape
    out = xp.empty((N, C, H + top + bottom, W + left + right), dtype=x.dtype)
    out[:, :, :top] = value
    out[:, :, top + H :] = value
    out[:, :, top : top + H, :left] = value
    out[:, :, top : top + H, left + W :] = value
    out[:, :, top : top + H, left : left + W] = x
    return out


def windows(xpad, kernel, stride, dilation, out_hw):
    """A read-only strided VIEW (N, C, kh, kw, Ho, Wo) of every window of xpad (no copy):
    view[n, c, p, q, i, j] = xpad[n, c, i*sh + p*dh, j*sw + q*dw]."""
    sN, sC, sH, sW = xpad.strides
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    shape = (xpad.shape[0], xpad.shape[1], kh, kw, *out_hw)
    strides = (sN, sC, sH * dh, sW * dw, sH * sh, sW * sw)
    return as_strided(xpad, shape=shape, strides=strides, writeable=False)


def im2col(xpad, kernel, stride, dilation, out_hw):
    """cols (C*kh*kw, N*Ho*Wo): column n*Ho*Wo + i*Wo + j is the window under output (n, i, j)."""
    view = windows(xpad, kernel, stride, dilation, out_hw)  # (N, C, kh, kw, Ho, Wo)
    cols = xp.ascontiguousarray(view.transpose(1, 2, 3, 0, 4, 5))  # (C, kh, kw, N, Ho, Wo)
    return cols.reshape(-1, view.shape[0] * out_hw[0] * out_hw[1])


def col2im(dcols, padded_shape, kernel, stride, dilation, out_hw):
    """The adjoint of im2col: dcols (C, kh, kw, N, Ho, Wo) added back onto the windows they
    came from; returns dxpad (C, N, Hp, Wp), channels first (the adds then run over long
    contiguous blocks). One strided add per kernel offset (p, q)."""
    N, C, Hp, Wp = padded_shape
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    Ho, Wo = out_hw
    dxpad = xp.zeros((C, N, Hp, Wp), dtype=dcols.dtype)
    for p in range(kh):
        for q in range(kw):
            rows = slice(p * dh, p * dh + sh * (Ho - 1) + 1, sh)
            cols = slice(q * dw, q * dw + sw * (Wo - 1) + 1, sw)
            dxpad[:, :, rows, cols] += dcols[:, p, q]  # (C, N, Ho, Wo)
    return dxpad


#: Up to this many values per window (C/groups * kh * kw), the product runs per example
#: (W (O, K) @ cols (N, K, L) -> y (N, O, L) directly); above it, with the batch folded into
#: one big product and a transpose after it. The first layer of an image network (1 or 3
#: channels, K = 9 or 27) is memory-bound and gains from skipping the transposes (about 2x
#: for conv3x3 1->32 on 28x28 images); wider layers gain from the big product. Above it too,
#: with groups=1, the sliced path of ``conv_chunked.py`` replaces both (for a few values per
#: window, the whole batch's columns are small and the per-example product is already fast).
SMALL_K = 32


def _swap(a):
    return a.swapaxes(-1, -2)


@register
class Conv2d(Function):
    """y[n, o] = b[o] + sum over channels c of its group and window offsets (p, q) of
    W[o, c, p, q] * xpad[n, c, i*sh + p*dh, j*sw + q*dw]   (cross-correlation, as in PyTorch)

    Shape: x (N, C, H, W), W (O, C/groups, kh, kw), b (O,) or absent -> y (N, O, Ho, Wo).

    Options: stride (sh, sw), padding (top, bottom, left, right) in zeros, dilation (dh, dw),
    groups (C and O split into that many independent convolutions), reference (True: the
    whole-batch im2col below even where the sliced fast path of ``conv_chunked.py`` would run,
    which it does for groups=1 and K > SMALL_K; tests and benchmarks compare the two).

    Backward: with cols = im2col(xpad) and dout2 = dout as (O, N*Ho*Wo), per group
    dW = dout2 @ cols^T, dx = col2im(W^T @ dout2) with the padding cut off, db = sum of dout
    over N, Ho, Wo.

    >>> import neuronlab as nl
    >>> x, W = nl.ones(1, 1, 3, 3), nl.ones(1, 1, 2, 2)
    >>> Conv2d.apply(x, W, stride=(1, 1), padding=(0, 0, 0, 0)).tolist()
    [[[[4.0, 4.0], [4.0, 4.0]]]]
    """

    name = "conv2d"

    def forward(self, x, W, b=None, stride=(1, 1), padding=(0, 0, 0, 0), dilation=(1, 1),
                groups=1, reference=False):
        N, C, H, W_in = x.shape
        O, Cg, kh, kw = W.shape
        G, K = groups, Cg * kh * kw
        Ho = conv_out_size(H, kh, stride[0], padding[0], padding[1], dilation[0])
        Wo = conv_out_size(W_in, kw, stride[1], padding[2], padding[3], dilation[1])
        self.options = ((kh, kw), tuple(stride), tuple(dilation), (Ho, Wo))
        self.padding, self.G, self.W = tuple(padding), G, W
        self.chunked = G == 1 and K > SMALL_K and not reference
        if self.chunked:  # the fast path: slices of the batch, nothing but x kept for backward
            self.x = x
            return chunked.conv2d_forward(x, W, b, stride, self.padding, dilation, (Ho, Wo))
        xpad = pad2d(x, padding)  # (N, C, Hp, Wp)
        self.padded_shape = xpad.shape
        self.per_example = G == 1 and K <= SMALL_K
        if self.per_example:  # one small product per example writes y in place: no transpose
            self.cols = xp.ascontiguousarray(windows(xpad, *self.options)).reshape(N, K, -1)
            y = W.reshape(O, K) @ self.cols  # (N, O, Ho*Wo)
            if b is not None:
                y += b.reshape(O, 1)
            return y.reshape(N, O, Ho, Wo)
        self.cols = im2col(xpad, *self.options).reshape(G, K, -1)  # (G, K, N*Ho*Wo)
        y2 = W.reshape(G, O // G, K) @ self.cols  # (G, O/G, N*Ho*Wo): the batch folded in
        y2 = y2.reshape(O, N, Ho * Wo).transpose(1, 0, 2)  # (N, O, L), a view
        y = xp.empty((N, O, Ho * Wo), dtype=y2.dtype)
        if b is None:
            y[...] = y2
        else:
            xp.add(y2, b.reshape(O, 1), out=y)  # transpose and bias in one pass
        return y.reshape(N, O, Ho, Wo)

    def backward(self, dout):
        N, O, Ho, Wo = dout.shape
        if self.chunked:
            return self._backward_chunked(dout)
        G, cols, W = self.G, self.cols, self.W
        if self.per_example:
            dout2 = dout.reshape(N, O, Ho * Wo)
            W2 = W.reshape(O, -1)
        else:  # as (G, O/G, N*Ho*Wo), matching the columns of cols
            dout2 = xp.ascontiguousarray(dout.reshape(N, O, Ho * Wo).transpose(1, 0, 2))
            dout2 = dout2.reshape(G, O // G, N * Ho * Wo)
            W2 = W.reshape(G, O // G, -1)
        dx = dW = db = None
        if self.needs_grad(0):
            dcols = _swap(W2) @ dout2  # (N, K, L) or (G, K, N*L)
            C, (kh, kw) = self.padded_shape[1], self.options[0]
            if self.per_example:
                dcols = dcols.reshape(N, C, kh, kw, Ho, Wo).transpose(1, 2, 3, 0, 4, 5)
            dcols = dcols.reshape(C, kh, kw, N, Ho, Wo)
            dxpad = col2im(dcols, self.padded_shape, *self.options)  # (C, N, Hp, Wp)
            top, bottom, left, right = self.padding
            Hp, Wp = self.padded_shape[2:]
            dx = xp.ascontiguousarray(
                dxpad[:, :, top : Hp - bottom, left : Wp - right].transpose(1, 0, 2, 3)
            )
        if self.needs_grad(1):
            dW = dout2 @ _swap(cols)  # (N, O, K) per example, or (G, O/G, K)
            dW = (dW.sum(axis=0) if self.per_example else dW).reshape(W.shape)
        if len(self.parents) > 2 and self.needs_grad(2):
            db = dout2.sum(axis=-1).reshape(-1, O).sum(axis=0)  # contiguous sums first
        return dx, dW, db

    def _backward_chunked(self, dout):
        (_, stride, dilation, _), padding = self.options, self.padding
        dx = dW = db = None
        if self.needs_grad(0):
            dx = chunked.conv2d_input_grad(dout, self.W, self.x.shape, stride, padding, dilation)
        if self.needs_grad(1):
            dW = chunked.conv2d_weight_grad(self.x, dout, self.W.shape, stride, padding, dilation)
        if len(self.parents) > 2 and self.needs_grad(2):
            db = dout.reshape(*dout.shape[:2], -1).sum(axis=-1).sum(axis=0)
        return dx, dW, db

    def describe(self):
        options = getattr(self, "options", None)  # gone once backward has released the node
        if options is None:
            return self.name
        (kh, kw), (sh, sw) = options[0], options[1]
        return f"conv2d({kh}x{kw}, stride={sh}x{sw})"
