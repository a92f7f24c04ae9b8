"""The fast path of ``conv2d``: the batch goes through in slices small enough for the cache.

Names as in ``conv.py``: x (N, C, H, W), W (O, C, kh, kw), y (N, O, Ho, Wo), K = C*kh*kw.

The reference in ``conv.py`` gathers the windows of the WHOLE batch into one matrix ``cols``
(K, N*Ho*Wo) -- nine times the input for a 3x3 kernel -- writes it out to memory, reads it back
for the product and keeps it until backward. Here a slice of a few examples is gathered, multiplied
and dropped while it is still in the processor's cache (``CHUNK_BYTES``); backward gathers it again,
which costs less than keeping it and frees the memory it held.

Stride 1, "shifted rows". Flatten the padded image row by row (Hp*Wp values per channel) and
compute the output on a grid as wide as the padded image, Ho x Wp (the last Wp - Wo values of each
output row are computed and thrown away). Output (i, j) sits at flat position i*Wp + j, and its
window value at offset (p, q) sits at that position plus p*dh*Wp + q*dw -- the same shift for every
output. So row (c, p, q) of the columns is one contiguous run of the flattened image: the gather
copies K long runs instead of K*Ho runs of Wo values each. Backward needs no scatter at all: the
input gradient of a stride-1 convolution is itself a stride-1 convolution, of dout with the
filters flipped and their two channel axes swapped,

    dx = conv(dout, W'),   W'[c, o, p, q] = W[o, c, kh-1-p, kw-1-q],
    padded by dh*(kh-1) - top above, dh*(kh-1) - bottom below (and the same for the width)

(``docs/math/convolution.md`` derives it and checks it against a loop). Other strides gather
windows through the strided view of ``conv.py`` and scatter the input gradient back with
``col2im``'s loop over kernel offsets, one slice at a time. Below SMALL_K values per window (a
first layer of 1 or 3 channels) ``conv.py`` keeps its own per-example product, already fast there.

Every slice's weight gradient dW = dout_e (O, L) @ cols_e^T (L, K) is computed as its transpose
cols_e @ dout_e^T (K, O), which OpenBLAS runs faster when O is small.

The batch is split in two halves run on two threads at once (``THREADS``), with the BLAS library
held to one thread of its own meanwhile (through threadpoolctl; without it the halves run one after
the other): OpenBLAS threads products this small poorly, so one core would otherwise sit idle.
Tests hold this path equal to the reference (``Conv2d.apply(..., reference=True)``), to the
loop over output positions and to PyTorch, with the batch shared or not.
"""

from __future__ import annotations

from numpy.lib.stride_tricks import as_strided

from ..backend import xp
from . import conv, workers

#: Bytes of gathered columns per slice of the batch: measured best for ResNet-20 and the small
#: CNN (one or two examples of 16-64 channels), well inside a 1-2 MiB L2 cache.
CHUNK_BYTES = 768 * 1024


def chunk_size(K: int, L: int, itemsize: int) -> int:
    """Examples per slice: as many as keep the slice's columns (K, L each) within CHUNK_BYTES."""
    return max(1, CHUNK_BYTES // (K * L * itemsize))


class _Slices:
    """Slices of x zero-padded into one reused buffer (the borders are written once) and their
    columns (m, K, L): shifted rows for stride 1 (L = Ho*Wp), windows otherwise (L = Ho*Wo)."""

    def __init__(self, x, kernel, stride, padding, dilation, out_hw):
        N, C, H, W = x.shape
        (kh, kw), dw, (top, bottom, left, right) = kernel, dilation[1], padding
        self.x, self.kernel, self.stride, self.dilation, self.out_hw = (
            x, kernel, stride, dilation, out_hw)  # fmt: skip
        self.Hp, self.Wp = H + top + bottom, W + left + right
        self.shifted = tuple(stride) == (1, 1)
        self.K = C * kh * kw
        self.L = out_hw[0] * (self.Wp if self.shifted else out_hw[1])
        self.n = min(N, chunk_size(self.K, self.L, x.dtype.itemsize))
        self.plain = self.shifted and (kh, kw) == (1, 1) and not any(padding)  # cols = x itself
        self.wide = None  # widen's buffer
        if self.plain:
            return
        extra = dw * (kw - 1) if self.shifted else 0  # the last run reaches this far past the end
        self.buf = xp.zeros((self.n, C, self.Hp * self.Wp + extra), dtype=x.dtype)
        image = self.buf[:, :, : self.Hp * self.Wp].reshape(self.n, C, self.Hp, self.Wp)
        self.inside = image[:, :, top : top + H, left : left + W]
        if self.shifted:  # (n, C, kh, kw, L): run (c, p, q) starts at p*dh*Wp + q*dw
            sn, sc, s1 = self.buf.strides
            self.view = as_strided(self.buf, shape=(self.n, C, kh, kw, self.L),
                                   strides=(sn, sc, dilation[0] * self.Wp * s1, dw * s1, s1),
                                   writeable=False)  # fmt: skip
        else:  # (n, C, kh, kw, Ho, Wo)
            self.view = conv.windows(image, kernel, stride, dilation, out_hw)
        self.out = xp.empty(self.view.shape, dtype=x.dtype)  # the columns, reused

    def __iter__(self):
        """(start, count) of every slice of the batch."""
        N = self.x.shape[0]
        return ((i, min(self.n, N - i)) for i in range(0, N, self.n))

    def cols(self, i, m):
        """The columns of examples i .. i+m-1: (m, K, L), contiguous, valid until the next call."""
        if self.plain:
            return self.x[i : i + m].reshape(m, self.K, self.L)
        self.inside[:m] = self.x[i : i + m]
        out = self.out[:m]
        xp.copyto(out, self.view[:m])
        return out.reshape(m, self.K, self.L)

    def widen(self, out):
        """out (m, O, Ho, Wo) as the (m, O, L) layout of the columns: for shifted rows, into a
        reused buffer whose extra Wp - Wo columns stay zero (so they add nothing to dW)."""
        m, O = out.shape[:2]
        if not self.shifted:
            return out.reshape(m, O, self.L)
        if self.wide is None:
            self.wide = xp.zeros((self.n, O, self.out_hw[0], self.Wp), dtype=out.dtype)
        self.wide[:m, :, :, : self.out_hw[1]] = out
        return self.wide[:m].reshape(m, O, self.L)


#: Worker threads that share the batch's slices (NumPy releases the GIL in products and copies);
#: 1 runs everything on the calling thread. Two, on a machine with two cores or more.
THREADS = workers.THREADS


def _halves(N):
    """The batch split between the workers: (start, stop) pairs."""
    return workers.halves(N, THREADS)


def _blas_limit():
    """A context that holds the BLAS library to one thread of its own (the workers are the
    threads), or None where threadpoolctl is not installed: then the batch is not shared."""
    return workers.blas_held_to_one_thread() if workers.blas_libraries() else None


_shared = workers.blas_lock  # one BLAS limit at a time: the thread count is process-wide


def _in_parallel(jobs):
    """Run the zero-argument callables, on the worker threads when there are several.

    Convolutions called from several threads at once take turns here, so that each BLAS limit
    is entered and left in order and the library's thread count is always put back."""
    if len(jobs) == 1:
        return [jobs[0]()]
    with _shared:
        limit = _blas_limit()
        if limit is None:
            return [job() for job in jobs]
        with limit:
            return workers.run(jobs)


def conv2d_forward(x, W, b, stride, padding, dilation, out_hw):
    """y = conv(x, W) + b, slice by slice: y (N, O, Ho, Wo), the batch shared by the workers."""
    y = xp.empty((x.shape[0], W.shape[0], *out_hw), dtype=x.dtype)
    options = (stride, padding, dilation, out_hw)
    jobs = [lambda a=a, z=z: _forward_part(x[a:z], W, b, *options, y[a:z])
            for a, z in _halves(x.shape[0])]  # fmt: skip
    _in_parallel(jobs)
    return y


def _forward_part(x, W, b, stride, padding, dilation, out_hw, y):
    """conv2d_forward for one part of the batch, into y."""
    O, (Ho, Wo) = W.shape[0], out_hw
    s = _Slices(x, W.shape[2:], stride, padding, dilation, out_hw)
    W2 = W.reshape(O, s.K)
    wide = xp.empty((s.n, O, Ho, s.Wp), dtype=x.dtype) if s.shifted else None
    for i, m in s:
        cols = s.cols(i, m)
        if wide is None:  # windows: the product lands in y directly
            out = xp.matmul(W2, cols, out=y[i : i + m].reshape(m, O, s.L))
            if b is not None:
                out += b.reshape(O, 1)
            continue
        xp.matmul(W2, cols, out=wide[:m].reshape(m, O, s.L))
        kept = wide[:m, :, :, :Wo]  # the output grid without its thrown-away columns
        if b is None:
            y[i : i + m] = kept
        else:
            xp.add(kept, b.reshape(O, 1, 1), out=y[i : i + m])
    return y


def conv2d_weight_grad(x, dout, W_shape, stride, padding, dilation):
    """dW = sum over examples e of dout_e @ cols_e^T, as (cols_e @ dout_e^T)^T: W's shape; each
    worker sums its part of the batch, then the parts are added."""
    options = (W_shape, stride, padding, dilation)
    jobs = [lambda a=a, z=z: _weight_grad_part(x[a:z], dout[a:z], *options)
            for a, z in _halves(x.shape[0])]  # fmt: skip
    parts = _in_parallel(jobs)
    dW = parts[0]
    for part in parts[1:]:
        dW += part
    return dW


def _weight_grad_part(x, dout, W_shape, stride, padding, dilation):
    """conv2d_weight_grad for one part of the batch."""
    s = _Slices(x, W_shape[2:], stride, padding, dilation, dout.shape[2:])
    dWT = xp.zeros((s.K, W_shape[0]), dtype=dout.dtype)
    for i, m in s:
        cols, d = s.cols(i, m), s.widen(dout[i : i + m])
        for e in range(m):
            dWT += cols[e] @ d[e].T  # (K, L) @ (L, O)
    return xp.ascontiguousarray(dWT.T).reshape(W_shape)


def flipped_padding(kernel, padding, dilation):
    """The padding of dx = conv(dout, W') for stride 1, or None where some side would be
    negative (padding wider than the kernel's reach: then col2im runs instead)."""
    (kh, kw), (dh, dw), (top, bottom, left, right) = kernel, dilation, padding
    reach_h, reach_w = dh * (kh - 1), dw * (kw - 1)
    pads = (reach_h - top, reach_h - bottom, reach_w - left, reach_w - right)
    return pads if min(pads) >= 0 else None


def conv2d_input_grad(dout, W, x_shape, stride, padding, dilation):
    """dx (N, C, H, W): for stride 1 the convolution of dout with the flipped filters, otherwise
    col2im of W2^T @ dout slice by slice."""
    kernel = W.shape[2:]
    if tuple(stride) == (1, 1):
        pads = flipped_padding(kernel, padding, dilation)
        if pads is not None:
            flipped = xp.ascontiguousarray(W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
            return conv2d_forward(dout, flipped, None, (1, 1), pads, dilation, x_shape[2:])
    dx = xp.empty(x_shape, dtype=dout.dtype)
    options = (W, stride, padding, dilation)
    _in_parallel([lambda a=a, z=z: _col2im_slices(dout[a:z], *options, dx[a:z])
                  for a, z in _halves(x_shape[0])])  # fmt: skip
    return dx


def _col2im_slices(dout, W, stride, padding, dilation, dx):
    """dx by scattering dcols = W2^T @ dout back onto the windows, one slice of the batch at a
    time: the adds of ``conv.col2im``, in examples-first layout (into dx, one part's rows)."""
    x_shape = dx.shape
    N, C, H, Wd = x_shape
    O, _, kh, kw = W.shape
    (sh, sw), (dh, dw), (top, bottom, left, right) = stride, dilation, padding
    Ho, Wo = dout.shape[2:]
    K, L = C * kh * kw, Ho * Wo
    n = min(N, chunk_size(K, L, dout.dtype.itemsize))
    W2T = W.reshape(O, K).T
    dxpad = xp.empty((n, C, H + top + bottom, Wd + left + right), dtype=dout.dtype)
    for i in range(0, N, n):
        m = min(n, N - i)
        dcols = (W2T @ dout[i : i + m].reshape(m, O, L)).reshape(m, C, kh, kw, Ho, Wo)
        part = dxpad[:m]
        part.fill(0)
        for p in range(kh):
            for q in range(kw):
                rows = slice(p * dh, p * dh + sh * (Ho - 1) + 1, sh)
                cols = slice(q * dw, q * dw + sw * (Wo - 1) + 1, sw)
                part[:, :, rows, cols] += dcols[:, :, p, q]
        dx[i : i + m] = part[:, :, top : top + H, left : left + Wd]
    return dx
