"""Matrix products: ``matmul`` and the fused ``linear`` (x @ W.T + b) used by every dense layer."""

from __future__ import annotations

from ..backend import xp
from ..function import Function, register
from .workers import BLAS_THREADED_MNK as SMALL_MNK
from .workers import product


def _swap(a):
    return xp.swapaxes(a, -1, -2)


@register
class MatMul(Function):
    """y = a @ b   (batched over leading axes, NumPy's matmul rules)

    Backward: da = dout @ b^T and db = a^T @ dout (for 1-D operands the missing axis is added
    for the product and removed again).
    """

    name = "matmul"

    def forward(self, a, b):
        self.a, self.b = a, b
        return a @ b

    def backward(self, dout):
        a, b = self.a, self.b
        if a.ndim == 1 and b.ndim == 1:  # a dot product: y = sum_k a_k b_k
            da = dout * b if self.needs_grad(0) else None
            db = dout * a if self.needs_grad(1) else None
            return da, db
        # A 1-D left operand acts as a row, a 1-D right operand as a column (as in forward).
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        d2 = xp.expand_dims(dout, -2) if a.ndim == 1 else dout
        d2 = xp.expand_dims(d2, -1) if b.ndim == 1 else d2
        da = db = None
        # The engine sums broadcast leading axes back (unbroadcast), so only the added axis
        # is dropped here; that also holds for empty operands.
        if self.needs_grad(0):
            da = d2 @ _swap(b2)
            if a.ndim == 1:
                da = da[..., 0, :]
        if self.needs_grad(1):
            db = _swap(a2) @ d2
            if b.ndim == 1:
                db = db[..., 0]
        return da, db

    def explain_error(self, shapes, error):
        sa, sb = tuple(shapes[0]), tuple(shapes[1])
        if len(sa) == 0 or len(sb) == 0:
            return f"matmul: both operands need at least 1 dimension, got shapes {sa} and {sb}"
        inner_a = sa[-1]
        inner_b = sb[-2] if len(sb) > 1 else sb[0]
        return (
            f"matmul: shapes {sa} and {sb} do not line up: the last dimension of the left "
            f"operand ({inner_a}) must equal the {'first' if len(sb) == 1 else 'second-to-last'} "
            f"dimension of the right operand ({inner_b}). Transpose one operand (x.T) or check "
            "the layer sizes."
        )


@register
class Linear(Function):
    """y = x @ W^T + b   (x: (..., in), W: (out, in), b: (out,) or absent)

    Backward: dx = dout @ W, dW = dout^T @ x (summed over all leading axes), db = dout summed over
    all leading axes. A fused fast path: the same as matmul + transpose + add, in one node, and
    the input gradient is skipped when the input needs none (the first layer's data).
    """

    name = "linear"

    def forward(self, x, W, b=None):
        self.x, self.W = x, W
        # ndarray.dot: the same product as @ with a third less overhead per call, which small
        # layers feel; large products go through workers.product (shared by the workers while
        # they are in use, see workers.py). Leading axes are folded into one, so a sequence's
        # tokens become the rows of one product instead of one product per sequence; @ handles
        # the rest.
        if x.ndim == 2:
            y = x.dot(W.T) if x.size * W.shape[0] <= SMALL_MNK else product(x, W.T)
        elif x.ndim > 2 and x.flags.c_contiguous:
            y = product(x.reshape(-1, x.shape[-1]), W.T).reshape(*x.shape[:-1], W.shape[0])
        else:
            y = x @ W.T
        if b is not None:
            y += b
        return y

    def backward(self, dout):
        x, W, parents = self.x, self.W, self.parents
        dW = db = None
        d2 = dout if dout.ndim == 2 else dout.reshape(-1, dout.shape[-1])
        small = d2.size * W.shape[1] <= SMALL_MNK  # M*N*K of both products below
        if parents[0].requires_grad:
            dx = d2.dot(W) if small else product(d2, W)
            if dout.ndim != 2:
                dx = dx.reshape(*dout.shape[:-1], W.shape[1])
        else:
            dx = None
        if parents[1].requires_grad:
            x2 = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])
            dW = d2.T.dot(x2) if small else product(d2.T, x2)
        if len(parents) > 2 and parents[2].requires_grad:
            db = xp.add.reduce(d2, axis=0)  # d2.sum(axis=0) without the method's wrapper
        return dx, dW, db

    def explain_error(self, shapes, error):
        x, W = tuple(shapes[0]), tuple(shapes[1])
        if len(W) != 2 or not x:
            return f"linear: the weight must be 2-D (out, in) and x at least 1-D, got {x} and {W}"
        return (
            f"linear: inputs of shape {x} do not fit a weight of shape {W} (out_features="
            f"{W[0]}, in_features={W[1]}): the last dimension of the input must be {W[1]}. "
            "Check the previous layer's output size."
        )
