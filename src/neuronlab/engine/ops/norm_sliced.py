"""The fast path of batch norm in training: few passes over memory, the batch shared by two workers.

Names as in ``norm.py``: x (N, C, *), seen as (N, C, K); m = N*K values per channel.

The reference (``norm.py``: ``_channel_normalize`` and ``BatchNorm._training_backward``) makes
about ten passes over whole activations each way, every one reading and writing arrays larger than
the cache. Here every pass after the first walks the batch a slice of a few examples at a time
(``SLICE_BYTES``), and does all of its work on the slice while it is still in the cache: only x,
dout, y and dx travel to and from memory. Each worker (``workers.py``) takes half of the batch.

Forward, per channel (y is computed as PyTorch's CPU kernel computes it):

    mean = sum(x) / m                                   reads x
    var  = sum((x - mean)^2) / m                        reads x; x - mean stays in the cache
    a = weight / sqrt(var + eps),  b = bias - mean * a
    y = x * a + b                                       reads x, writes y

Backward, with s = sum(dout) and t = sum(dout * (x - mean)), both in one pass, and rstd =
1 / sqrt(var + eps) -- the reference's formula with xhat = (x - mean) * rstd written out:

    dx = a * (dout - s / m - (x - mean) * rstd^2 * t / m)    reads dout and x, writes dx
    dweight = rstd * t,   dbias = s

Nothing but x is kept for backward (the reference keeps xhat, an array as large). Tests hold this
path equal to the reference and to PyTorch.
"""

from __future__ import annotations

from ..backend import xp
from . import workers

#: Bytes of one array's slice: a few arrays of this size stay in a 1-2 MiB L2 cache at once.
SLICE_BYTES = 256 * 1024

#: Below this many values the reference runs: the slices and threads would cost more than they
#: save (measured on ResNet-20: its 8x8 layers, 262,144 values, run faster on the reference).
MIN_SIZE = 1 << 19


def usable(x) -> bool:
    """Whether the fast path takes x: (N, C, *) with something after C, contiguous, large."""
    return x.ndim >= 3 and x.size >= MIN_SIZE and x.flags.c_contiguous


def _per_slice(x3) -> int:
    """Examples per slice: as many as fit SLICE_BYTES (at least one)."""
    return max(1, SLICE_BYTES // (x3[0].size * x3.itemsize))


def _scratch(x3, per: int, start: int, stop: int):
    return xp.empty((min(per, stop - start),) + x3.shape[1:], dtype=x3.dtype)


def forward(x, weight, bias, eps: float):
    """y, mean and var (per channel, shape (C,)) of batch norm in training mode."""
    N, C = x.shape[:2]
    x3 = x.reshape(N, C, -1)
    m = N * x3.shape[2]
    per, parts = _per_slice(x3), workers.halves(N)
    sums = workers.run([lambda a=a, z=z: xp.einsum("nck->c", x3[a:z]) for a, z in parts])
    mean = (sum(sums) / m).astype(x.dtype, copy=False)
    centre = mean.reshape(C, 1)

    def centred_squares(start, stop):
        xc, total = _scratch(x3, per, start, stop), 0
        for i, j in workers.slices(start, stop, per):
            part = xp.subtract(x3[i:j], centre, out=xc[: j - i])
            total = total + xp.einsum("nck,nck->c", part, part)
        return total

    squares = workers.run([lambda a=a, z=z: centred_squares(a, z) for a, z in parts])
    var = (sum(squares) / m).astype(x.dtype, copy=False)
    scale = 1.0 / xp.sqrt(var + eps)
    if weight is not None:
        scale *= weight
    shift = -mean * scale
    if bias is not None:
        shift += bias
    scale2, shift2 = scale.reshape(C, 1), shift.reshape(C, 1)
    y = xp.empty_like(x3)

    def affine(start, stop):
        for i, j in workers.slices(start, stop, per):
            out = xp.multiply(x3[i:j], scale2, out=y[i:j])
            out += shift2

    workers.run([lambda a=a, z=z: affine(a, z) for a, z in parts])
    return y.reshape(x.shape), mean, var


def backward(dout, x, mean, var, weight, eps: float, needs_dx: bool):
    """dx (or None), dweight and dbias (shape (C,)) of batch norm in training mode."""
    N, C = x.shape[:2]
    x3, d3 = x.reshape(N, C, -1), dout.reshape(N, C, -1)
    m = N * x3.shape[2]
    per, parts = _per_slice(x3), workers.halves(N)
    centre = mean.reshape(C, 1)

    def sums(start, stop):
        xc, s, t = _scratch(x3, per, start, stop), 0, 0
        for i, j in workers.slices(start, stop, per):
            part = xp.subtract(x3[i:j], centre, out=xc[: j - i])
            s = s + xp.einsum("nck->c", d3[i:j])
            t = t + xp.einsum("nck,nck->c", d3[i:j], part)
        return s, t

    results = workers.run([lambda a=a, z=z: sums(a, z) for a, z in parts])
    s = sum(r[0] for r in results).astype(x.dtype, copy=False)
    t = sum(r[1] for r in results).astype(x.dtype, copy=False)
    rstd = 1.0 / xp.sqrt(var + eps)
    dweight = rstd * t
    if not needs_dx:
        return None, dweight, s
    a = rstd if weight is None else rstd * weight
    a2 = a.reshape(C, 1)
    k_centred = (a * rstd * rstd * t / m).reshape(C, 1)  # times (x - mean)
    k_const = (a * s / m).reshape(C, 1)
    dx = xp.empty_like(d3)

    def input_grad(start, stop):
        xc = _scratch(x3, per, start, stop)
        for i, j in workers.slices(start, stop, per):
            out = xp.multiply(d3[i:j], a2, out=dx[i:j])
            part = xp.subtract(x3[i:j], centre, out=xc[: j - i])
            part *= k_centred
            out -= part
            out -= k_const

    workers.run([lambda a=a, z=z: input_grad(a, z) for a, z in parts])
    return dx.reshape(x.shape), dweight, s
