"""Shape and indexing ops: they move or pick values, so their backward moves the gradient back."""

from __future__ import annotations

from ..backend import xp
from ..function import Function, register, shapes_text


@register
class Reshape(Function):
    """y = x with a new shape (same elements in the same order)

    Backward: dx = dout reshaped to x's shape.
    """

    name = "reshape"

    def forward(self, x, shape):
        self.in_shape = x.shape
        return x.reshape(shape)

    def backward(self, dout):
        return (dout.reshape(self.in_shape),)

    def explain_error(self, shapes, error):
        return (
            f"reshape: cannot reshape a tensor of shape {tuple(shapes[0])} "
            f"({_count(shapes[0])} elements): {error}. The new shape must hold the same number "
            "of elements; use -1 for one dimension to have it inferred."
        )


def _count(shape):
    n = 1
    for s in shape:
        n *= s
    return n


@register
class Permute(Function):
    """y = x with its axes reordered: y.shape[i] = x.shape[axes[i]]

    Backward: dx = dout with the inverse reordering.
    """

    name = "permute"

    def forward(self, x, axes):
        self.axes = axes
        return xp.transpose(x, axes)

    def backward(self, dout):
        return (xp.transpose(dout, xp.argsort(self.axes)),)


@register
class Expand(Function):
    """y = x broadcast to a larger shape (a view, nothing copied)

    Backward: each element of x was repeated, so dx = dout summed back (done by unbroadcast).
    """

    name = "expand"

    def forward(self, x, shape):
        return xp.broadcast_to(x, shape)

    def backward(self, dout):
        return (dout,)

    def explain_error(self, shapes, error):
        return (
            f"expand: cannot expand shape {tuple(shapes[0])}: {error}. Only dimensions of size 1 "
            "can be expanded, and new dimensions go on the left."
        )


def _is_basic(index) -> bool:
    """True when ``index`` selects each element at most once (ints, slices, None, Ellipsis)."""
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, slice)) or i is None or i is Ellipsis for i in items)


@register
class GetItem(Function):
    """y = x[index]   (integers, slices, None, Ellipsis, integer or boolean arrays)

    Backward: dx is zero except at the picked positions, which receive dout. An element picked
    several times (x[[0, 0]]) receives the sum of its gradients.
    """

    name = "getitem"

    def forward(self, x, index):
        self.in_shape, self.dtype, self.index = x.shape, x.dtype, index
        try:
            return x[index]
        except IndexError as exc:
            message = f"getitem: index {index!r} does not fit shape {x.shape}: {exc}"
            raise IndexError(message) from None

    def backward(self, dout):
        dx = xp.zeros(self.in_shape, dtype=dout.dtype)
        if _is_basic(self.index):
            dx[self.index] = dout
        else:
            xp.add.at(dx, self.index, dout)
        return (dx,)


@register
class Concatenate(Function):
    """y = the inputs joined along ``axis``

    Backward: each input receives its own slice of dout.
    """

    name = "concatenate"

    def forward(self, *arrays, axis=0):
        self.axis = axis
        self.sizes = [a.shape[axis] for a in arrays]
        return xp.concatenate(arrays, axis=axis)

    def backward(self, dout):
        cuts = xp.cumsum(self.sizes)[:-1]
        return tuple(xp.split(dout, cuts, axis=self.axis))

    def explain_error(self, shapes, error):
        return (
            f"concatenate: shapes {shapes_text(shapes)} cannot be joined along axis "
            f"{getattr(self, 'axis', '?')}: all dimensions except that axis must match ({error})"
        )
