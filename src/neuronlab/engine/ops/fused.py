"""Fused, numerically stable fast paths: softmax, log-softmax and the two classification losses.

Each could be composed from primitives (``composed_*`` in ``neuronlab.nn.functional`` keeps those
naive references, and tests hold them equal). Fused, they never overflow ``exp`` and cost one
graph node instead of ten; ``benchmarks/bench_fused.py`` measures the difference.
"""

from __future__ import annotations

from ..backend import xp
from ..function import Function, register
from ..special import sigmoid_

REDUCTIONS = ("mean", "sum", "none")


def _log_softmax(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))


class _AlongAxis(Function):
    def explain_error(self, shapes, error):
        return f"{self.name}: {error} (input shape {tuple(shapes[0])}); pick an existing axis"

    def _check_axis(self, x, axis):
        """The axis, checked; an empty input has an empty result (PyTorch's answer)."""
        if not -max(x.ndim, 1) <= axis < max(x.ndim, 1):
            raise ValueError(
                f"axis {axis} is out of range for a tensor with {x.ndim} dimensions; use an axis "
                f"between {-max(x.ndim, 1)} and {max(x.ndim, 1) - 1}"
            )
        self.axis = axis
        return x.size == 0


@register
class LogSoftmax(_AlongAxis):
    """y = x - log(sum(exp(x)))   along ``axis``, computed after subtracting max(x)

    Backward: dx = dout - softmax(x) * sum(dout), with softmax(x) = exp(y).
    """

    name = "log_softmax"

    def forward(self, x, axis=-1):
        empty = self._check_axis(x, axis)
        self.y = x.copy() if empty else _log_softmax(x, axis)
        return self.y

    def backward(self, dout):
        return (dout - xp.exp(self.y) * dout.sum(axis=self.axis, keepdims=True),)


@register
class Softmax(_AlongAxis):
    """y = exp(x) / sum(exp(x))   along ``axis``, computed after subtracting max(x)

    Backward: dx = y * (dout - sum(dout * y)).
    """

    name = "softmax"

    def forward(self, x, axis=-1):
        if self._check_axis(x, axis):
            self.y = x.copy()
            return self.y
        e = xp.exp(x - x.max(axis=axis, keepdims=True))
        e /= e.sum(axis=axis, keepdims=True)
        self.y = e
        return e

    def backward(self, dout):
        y = self.y
        return (y * (dout - (dout * y).sum(axis=self.axis, keepdims=True)),)


def _check_reduction(who, reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"{who}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def _check_class_targets(x, target, ignore_index):
    who = "cross_entropy"
    if not xp.issubdtype(target.dtype, xp.integer):
        raise TypeError(
            f"{who}: expected class indices as integers (int64) of shape "
            f"{x.shape[:1] + x.shape[2:]}, got dtype {target.dtype}. Convert the labels with "
            "y.astype(np.int64) (or tensor.long()); for one-hot or probability targets use "
            "argmax(axis=1) first."
        )
    expected = x.shape[:1] + x.shape[2:]
    if target.shape != expected:
        raise ValueError(
            f"{who}: logits of shape {x.shape} (batch, classes, ...) need targets of shape "
            f"{expected}, got {target.shape}. Pass one class index per example, not one-hot rows."
        )
    n_classes = x.shape[1]
    bad = (target != ignore_index) & ((target < 0) | (target >= n_classes))
    if bad.any():
        value = int(target[bad].flat[0])
        raise ValueError(
            f"{who}: target {value} is out of range for {n_classes} classes (valid: 0 to "
            f"{n_classes - 1}). Check that the model's last layer has one output per class."
        )


@register
class CrossEntropy(Function):
    """loss_i = (1 - s) * w[y_i] * (-log p_i[y_i]) + (s / C) * sum_c w[c] * (-log p_i[c]),
    with p_i = softmax(x_i), label smoothing s, class weights w (1 when absent); 'mean' divides the
    sum by sum_i w[y_i], PyTorch's convention. Targets equal to ``ignore_index`` count for nothing.

    Backward: dx_i = k_i * ((1 - s) * w[y_i] * (p_i - onehot(y_i)) + (s / C) * (sum(w) * p_i - w)),
    where k_i is dout_i (reduction 'none'), dout ('sum') or dout / sum_i w[y_i] ('mean').
    """

    name = "cross_entropy"

    def forward(self, x, target, weight=None, ignore_index=-100, reduction="mean",
                label_smoothing=0.0):
        _check_reduction(self.name, reduction)
        out_shape = xp.shape(target)
        if x.ndim == 1:  # a single example
            x, target = x[None], xp.asarray(target).reshape(1)
        _check_class_targets(x, target, ignore_index)
        self.x_shape, C = x.shape, x.shape[1]
        if weight is not None:
            weight = xp.asarray(weight, dtype=x.dtype)
            if weight.shape != (C,):
                raise ValueError(
                    f"cross_entropy: class weights must have one entry per class, shape ({C},), "
                    f"got shape {weight.shape}"
                )
        # (N, C, d1, ...) -> (N * d1 * ..., C): classes last, one row per prediction.
        x2 = xp.moveaxis(x, 1, -1).reshape(-1, C) if x.ndim > 2 else x
        t = target.reshape(-1)
        valid = t != ignore_index
        t = xp.where(valid, t, 0)
        logp = _log_softmax(x2, axis=1)
        rows = xp.arange(len(t))
        w_y = (weight[t] if weight is not None else xp.ones(len(t), logp.dtype)) * valid
        per = -(w_y * logp[rows, t])
        if label_smoothing:
            smooth = -(logp * weight).sum(axis=1) if weight is not None else -logp.sum(axis=1)
            per = (1 - label_smoothing) * per + (label_smoothing / C) * (smooth * valid)
        self.logp, self.t, self.rows, self.w_y, self.valid = logp, t, rows, w_y, valid
        self.weight, self.smoothing, self.reduction = weight, label_smoothing, reduction
        if reduction == "none":
            return per.reshape(out_shape)
        total = per.sum()
        if reduction == "mean":
            self.denominator = w_y.sum()
            total = total / self.denominator
        return xp.asarray(total, dtype=logp.dtype)

    def backward(self, dout):
        p = xp.exp(self.logp)
        s, C, w = self.smoothing, p.shape[1], self.weight
        dx = p * self.w_y[:, None]
        dx[self.rows, self.t] -= self.w_y
        if s:
            dx *= 1 - s
            w_sum = w.sum() if w is not None else C
            dx += (s / C) * (w_sum * p - (w if w is not None else 1)) * self.valid[:, None]
        if self.reduction == "none":
            dx *= dout.reshape(-1, 1)
        elif self.reduction == "mean":
            dx *= dout / self.denominator
        else:
            dx *= dout
        if len(self.x_shape) > 2:
            moved = (self.x_shape[0],) + self.x_shape[2:] + (C,)
            dx = xp.moveaxis(dx.reshape(moved), -1, 1)
        return (dx.reshape(self.x_shape),)


def _softplus(z):
    """log(1 + exp(z)) without overflow."""
    return xp.maximum(z, 0) + xp.log1p(xp.exp(-xp.abs(z)))


@register
class BCEWithLogits(Function):
    """loss_i = w_i * (pw * y_i * softplus(-x_i) + (1 - y_i) * softplus(x_i)),
    which equals -w_i * (pw * y_i * log(sigmoid(x_i)) + (1 - y_i) * log(1 - sigmoid(x_i))) but never
    takes the log of 0; pw is ``pos_weight`` (1 when absent). 'mean' divides by the element count.

    Without pos_weight it is computed as max(x, 0) - y * x + log(1 + exp(-|x|)) (the same value,
    since softplus(-x) = softplus(x) - x and softplus(x) = max(x, 0) + log(1 + exp(-|x|))): four
    passes instead of eight, and for 0/1 targets the large parts cancel exactly, so a tiny loss
    keeps its digits.

    Backward: dx_i = k_i * w_i * (pw * y_i * (sigmoid(x_i) - 1) + (1 - y_i) * sigmoid(x_i)),
    which is k_i * w_i * (sigmoid(x_i) - y_i) when pw = 1. When the target is passed as a tensor
    input that requires grad, dy_i = k_i * w_i * (pw * softplus(-x_i) - softplus(x_i)), which is
    -k_i * w_i * x_i when pw = 1.
    """

    name = "bce_with_logits"

    def forward(self, x, target, weight=None, pos_weight=None, reduction="mean"):
        _check_reduction(self.name, reduction)
        if target.shape != x.shape:
            raise ValueError(
                f"binary_cross_entropy_with_logits: targets of shape {target.shape} do not match "
                f"logits of shape {x.shape}; reshape the targets (e.g. y.reshape(-1, 1)) so each "
                "logit has its own 0/1 target."
            )
        target = target.astype(x.dtype, copy=False)  # no silent upcast of the loss
        if weight is not None:
            weight = xp.asarray(weight, dtype=x.dtype)
        if pos_weight is None:
            per = xp.maximum(x, 0)
            per -= target * x  # exact cancellation first: max(x, 0) - x is 0 for x > 0
            per += xp.logaddexp(0, -xp.abs(x))  # log(1 + exp(-|x|)), never overflows
        else:
            pos_weight = xp.asarray(pos_weight, dtype=x.dtype)
            per = (1 - target) * _softplus(x)
            per += pos_weight * (target * _softplus(-x))
        if weight is not None:
            per = per * weight
        self.x, self.target, self.weight, self.pos_weight = x, target, weight, pos_weight
        self.reduction = reduction
        if reduction == "none":
            return per
        total = xp.add.reduce(per, axis=None)
        return total / x.size if reduction == "mean" else total

    def backward(self, dout):
        x, y = self.x, self.target
        sig = sigmoid_(x.copy())  # sigmoid(x) as a new array, updated in place below
        if self.pos_weight is None:
            dx = xp.subtract(sig, y, out=sig) if y.shape == sig.shape else sig - y
        else:
            dx = self.pos_weight * y * (sig - 1) + (1 - y) * sig
        k = dout / x.size if self.reduction == "mean" else dout
        if self.weight is not None:
            k = k * self.weight
        dx *= k
        if len(self.parents) < 2 or not self.needs_grad(1):
            return (dx,)
        if self.pos_weight is None:
            dy = -x * k
        else:
            dy = (self.pos_weight * _softplus(-x) - _softplus(x)) * k
        return dx, dy
