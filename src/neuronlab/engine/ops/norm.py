"""Fused normalization: layer norm and batch norm, forward beside the compact backward.

Both normalize ``x`` to zero mean and unit variance over some axes, then scale and shift:

    xhat = (x - mean) / sqrt(var + eps),    y = xhat * weight + bias

Composed from primitives (``composed_layer_norm`` and ``composed_batch_norm`` in
``neuronlab.nn.norm_functional``, which tests hold equal) this is about ten graph nodes, each
with its own temporary arrays. Fused, backward is one formula. With g = dout * weight, and the
means taken over the normalized axes (m values each):

    dx = (g - mean(g) - xhat * mean(g * xhat)) / sqrt(var + eps)

(the two subtracted terms are the gradient flowing through the mean and through the variance;
``docs/math/normalization.md`` derives it). dweight = sum(dout * xhat) and dbias = sum(dout),
summed over the axes the parameters are shared across. ``benchmarks/bench_norm.py`` measures the
difference.
"""

from __future__ import annotations

import math

from ..backend import xp
from ..function import Function, register
from . import norm_sliced as sliced


def normalize(x, axes, eps):
    """xhat and 1 / sqrt(var + eps) over ``axes`` (biased variance, two passes for accuracy)."""
    mean = x.mean(axis=axes, keepdims=True)
    xc = x - mean
    var = xp.mean(xc * xc, axis=axes, keepdims=True)
    rstd = 1.0 / xp.sqrt(var + eps)
    xc *= rstd
    return xc, rstd, mean, var


def _per_channel(x):
    """x (N, C, *) as an (N, C, K) array (a view when x is contiguous)."""
    return x.reshape(x.shape[0], x.shape[1], -1)


def channel_sum(x):
    """Per-channel sum of x (N, C, *) over every axis but 1, shape (C,).

    Equal to ``x.sum(axis=(0, 2, ...))``; NumPy's reduction over those strided axes is slower
    than one contraction over an (N, C, K) view.
    """
    return xp.einsum("nck->c", _per_channel(x))


def channel_dot(a, b):
    """Per-channel sum of a * b (both (N, C, *)) over every axis but 1, shape (C,), without
    the product array."""
    return xp.einsum("nck,nck->nc", _per_channel(a), _per_channel(b)).sum(axis=0)


def _channel_normalize(x, eps):
    """:func:`normalize` over every axis but the channels (axis 1), from per-channel sums."""
    C = x.shape[1]
    m = x.size // C
    shape = (1, C) + (1,) * (x.ndim - 2)
    mean = (channel_sum(x) / m).astype(x.dtype, copy=False).reshape(shape)
    xc = x - mean
    var = (channel_dot(xc, xc) / m).astype(x.dtype, copy=False).reshape(shape)
    rstd = 1.0 / xp.sqrt(var + eps)
    xc *= rstd
    return xc, rstd, mean, var


class _Norm(Function):
    """Shared backward for the weight and bias (present or not) of both norms."""

    def _param_grads(self, dout, shared_axes, shape):
        dW = db = None
        if self.has_weight and self.needs_grad(1):
            dW = xp.sum(dout * self.xhat, axis=shared_axes).reshape(shape)
        if self.has_bias and self.needs_grad(2):
            db = xp.sum(dout, axis=shared_axes).reshape(shape)
        return dW, db


@register
class LayerNorm(_Norm):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, mean and (biased) var over the last
    ``normalized_ndim`` axes of each example.

    Shape: x (*, *normalized_shape), weight and bias normalized_shape (optional) -> y like x.

    Backward: with g = dout * weight and means over the normalized axes,
    dx = (g - mean(g) - xhat * mean(g * xhat)) / sqrt(var + eps);
    dweight = sum(dout * xhat), dbias = sum(dout), summed over the leading axes.

    >>> import neuronlab as nl
    >>> y = LayerNorm.apply(nl.tensor([[1.0, 2.0, 3.0]]), normalized_ndim=1, eps=0.0)
    >>> [round(v, 4) for v in y.tolist()[0]]
    [-1.2247, 0.0, 1.2247]
    """

    name = "layer_norm"

    def forward(self, x, weight=None, bias=None, normalized_ndim=1, eps=1e-5):
        # Computed on x as rows (examples, normalized values): per-row sums and the sums of
        # squares as contractions (einsum), which build no product array.
        shape = x.shape[x.ndim - normalized_ndim :]
        K = max(1, math.prod(shape))
        self.x_shape, self.shape = x.shape, shape
        self.has_weight, self.has_bias = weight is not None, bias is not None
        x2 = x.reshape(-1, K)
        mean = xp.add.reduce(x2, axis=1, keepdims=True) / K
        xhat = x2 - mean.astype(x.dtype, copy=False)
        var = xp.einsum("rk,rk->r", xhat, xhat)[:, None] / K
        self.rstd = (1.0 / xp.sqrt(var + eps)).astype(x.dtype, copy=False)
        xhat *= self.rstd
        self.xhat = xhat  # (rows, K)
        self.weight = None if weight is None else weight.reshape(K)
        y = xhat if weight is None else xhat * self.weight
        if bias is not None:
            if y is xhat:
                y = y + bias.reshape(K)
            else:
                y += bias.reshape(K)
        return y.reshape(x.shape)

    def backward(self, dout):
        xhat, K = self.xhat, self.xhat.shape[1]
        d2 = dout.reshape(-1, K)
        dx = dW = db = None
        if self.needs_grad(0):
            g = d2 if self.weight is None else d2 * self.weight
            mean_g = xp.add.reduce(g, axis=1, keepdims=True) / K
            mean_gx = xp.einsum("rk,rk->r", g, xhat)[:, None] / K
            dx = g - mean_g
            dx -= xhat * mean_gx
            dx *= self.rstd
            dx = dx.reshape(self.x_shape)
        if self.has_weight and self.needs_grad(1):
            dW = xp.einsum("rk,rk->k", d2, xhat).reshape(self.shape)
        if self.has_bias and self.needs_grad(2):
            db = xp.add.reduce(d2, axis=0).reshape(self.shape)
        return (dx, dW, db)[: len(self.parents)]


@register
class BatchNorm(_Norm):
    """y = (x - mean) / sqrt(var + eps) * weight + bias per channel (axis 1), with mean and
    (biased) var over the batch and every axis after the channels -- or, when ``training`` is
    False, the given running statistics.

    In training mode, running_mean and running_var (arrays of shape (C,), optional) are updated
    in place, as PyTorch does: r = (1 - momentum) * r + momentum * batch_stat, with the unbiased
    variance (times m / (m - 1), m values per channel) going into running_var.

    Shape: x (N, C, *), weight and bias (C,) (optional) -> y like x.

    In training, large contiguous batches go through ``norm_sliced.py`` (the same numbers in fewer
    passes over memory, on two cores); ``reference=True`` keeps them on the code below.

    Backward (training): with g = dout * weight and means over all axes but the channels,
    dx = (g - mean(g) - xhat * mean(g * xhat)) / sqrt(var + eps). In evaluation the statistics
    are constants, so dx = g / sqrt(running_var + eps). dweight = sum(dout * xhat), dbias =
    sum(dout), summed over all axes but the channels.

    >>> import numpy as np, neuronlab as nl
    >>> y = BatchNorm.apply(nl.tensor([[1.0], [3.0]]), eps=0.0)
    >>> y.tolist()
    [[-1.0], [1.0]]
    """

    name = "batch_norm"

    def forward(self, x, weight=None, bias=None, running_mean=None, running_var=None,
                training=True, momentum=0.1, eps=1e-5, reference=False):
        C = x.shape[1]
        shape = (1, C) + (1,) * (x.ndim - 2)  # parameters broadcast along the channel axis
        self.axes = (0,) + tuple(range(2, x.ndim))
        self.has_weight, self.has_bias = weight is not None, bias is not None
        self.training = training
        if training:
            m = x.size // C
            if m <= 1:
                raise ValueError(
                    f"batch_norm: expected more than 1 value per channel when training, got input "
                    f"of shape {x.shape}; use a batch of at least 2 examples, or call .eval()"
                )
            self.sliced = not reference and sliced.usable(x)
            if self.sliced:  # the fast path: nothing but x kept for backward
                y, mean, var = sliced.forward(x, weight, bias, eps)
                self.x, self.mean, self.var, self.eps, self.weight = x, mean, var, eps, weight
                mean, var = mean.reshape(shape), var.reshape(shape)
            else:
                self.xhat, self.rstd, mean, var = _channel_normalize(x, eps)
            if running_mean is not None:
                running_mean *= 1 - momentum
                running_mean += momentum * mean.reshape(C)
            if running_var is not None:
                running_var *= 1 - momentum
                running_var += (momentum * m / (m - 1)) * var.reshape(C)
            if self.sliced:
                return y
        else:
            self.sliced = False
            self.rstd = (1.0 / xp.sqrt(running_var + eps)).astype(x.dtype).reshape(shape)
            self.xhat = (x - running_mean.reshape(shape)) * self.rstd
        self.weight = None if weight is None else weight.reshape(shape)
        y = self.xhat if weight is None else self.xhat * self.weight
        if bias is not None:
            if y is self.xhat:
                y = y + bias.reshape(shape)
            else:
                y += bias.reshape(shape)  # y is this op's own array: no second temporary
        return y

    def backward(self, dout):
        if not self.training:
            g = dout if self.weight is None else dout * self.weight
            dx = g * self.rstd if self.needs_grad(0) else None
            C = self.xhat.shape[1]
            return (dx, *self._param_grads(dout, self.axes, (C,)))[: len(self.parents)]
        if self.sliced:
            dx, dW, db = sliced.backward(dout, self.x, self.mean, self.var, self.weight, self.eps,
                                         self.needs_grad(0))  # fmt: skip
            dW = dW if self.has_weight and self.needs_grad(1) else None
            db = db if self.has_bias and self.needs_grad(2) else None
            return (dx, dW, db)[: len(self.parents)]
        return self._training_backward(dout)

    def _training_backward(self, dout):
        """The compact backward from two per-channel sums, sum(dout) and sum(dout * xhat):
        dx = w * rstd * (dout - sum(dout) / m - xhat * sum(dout * xhat) / m)."""
        xhat, C = self.xhat, self.xhat.shape[1]
        s_dout = channel_sum(dout)
        s_dout_xhat = channel_dot(dout, xhat)
        dx = None
        if self.needs_grad(0):
            m = xhat.size // C
            scale = self.rstd.reshape(C)
            if self.weight is not None:
                scale = scale * self.weight.reshape(C)
            shape = self.rstd.shape
            dx = dout * scale.reshape(shape)
            dx -= xhat * (scale * s_dout_xhat / m).reshape(shape)
            dx -= (scale * s_dout / m).reshape(shape)
        dW = s_dout_xhat if self.has_weight and self.needs_grad(1) else None
        db = s_dout if self.has_bias and self.needs_grad(2) else None
        return (dx, dW, db)[: len(self.parents)]
