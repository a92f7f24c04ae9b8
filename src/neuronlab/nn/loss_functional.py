"""The loss functions (re-exported by ``neuronlab.nn.functional``): a number that says how wrong
the predictions are, which training drives down.

Regression: ``mse_loss``, ``l1_loss``, ``huber_loss``. Classification with class indices:
``cross_entropy`` (on raw scores, "logits") and ``nll_loss`` (on log-probabilities). Binary or
multi-label: ``binary_cross_entropy_with_logits`` (on logits; prefer it) and
``binary_cross_entropy`` (on probabilities). ``reduction`` is 'mean' (the default), 'sum', or
'none' (one loss per element). Targets may be Tensors, NumPy arrays or lists; they get no gradient
except in the regression losses.

The two fused ops have naive references beside them (``composed_cross_entropy``,
``composed_bce_with_logits``), written with primitives only; tests hold them equal.
"""

from __future__ import annotations

import numpy as np

from ..engine.creation import from_numpy
from ..engine.functions import where
from ..engine.ops import fused
from ..engine.tensor import Tensor

REDUCTIONS = ("mean", "sum", "none")


# ----- checks shared by the functions and the loss classes -----------------------------------
# ``who`` is a name ('mse_loss') or the loss module itself, named lazily in error messages only.


def _name(who) -> str:
    return who if isinstance(who, str) else f"{type(who).__name__}({who.extra_repr()})"


def check_reduction(who, reduction) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"{_name(who)}: reduction must be one of 'mean', 'sum' or 'none', got {reduction!r}"
        )


def _check_input(who, input) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{_name(who)}: expected the predictions as a Tensor, got "
            f"{type(input).__name__}; wrap arrays with nl.tensor(x)"
        )
    if input.data.dtype.kind != "f":
        raise TypeError(
            f"{_name(who)}: expected floating point predictions, got dtype "
            f"{input.data.dtype}; the model's output should be float32 or float64"
        )


def _same_shape_target(who, input: Tensor, target) -> np.ndarray:
    """The target as an array of the input's dtype, after checking that the shapes match."""
    _check_input(who, input)
    array = target.data if isinstance(target, Tensor) else np.asarray(target)
    if array.shape != input.data.shape:
        hint = (
            "Reshape the target with y.reshape(-1, 1), or the predictions with out.squeeze(-1)."
            if input.data.shape == array.shape + (1,)
            else "Check that the target holds one value per prediction."
        )
        raise ValueError(
            f"{_name(who)}: predictions of shape {input.data.shape} and targets of shape "
            f"{array.shape} must have the same shape (broadcasting would silently compare every "
            f"prediction with every target). {hint}"
        )
    return array if array.dtype == input.data.dtype else array.astype(input.data.dtype)


def _regression_target(who, input: Tensor, target) -> Tensor:
    if isinstance(target, Tensor) and target.requires_grad:  # keep the target's gradient
        _same_shape_target(who, input, target)
        return target.to(input.data.dtype)
    return from_numpy(_same_shape_target(who, input, target))


def _broadcast_weight(who, label, weight, input: Tensor):
    """A weight array that broadcasts to the input's shape, in the input's dtype (or None)."""
    if weight is None:
        return None
    array = weight.data if isinstance(weight, Tensor) else np.asarray(weight)
    try:
        fits = np.broadcast_shapes(array.shape, input.data.shape) == input.data.shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"{_name(who)}: {label} of shape {array.shape} does not broadcast to the predictions' "
            f"shape {input.data.shape}; give one {label} per element, or one per class (last axis)"
        )
    return array.astype(input.data.dtype, copy=False)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


# ----- regression ----------------------------------------------------------------------------


def _mse(who, input, target, reduction):
    check_reduction(who, reduction)
    diff = input - _regression_target(who, input, target)
    return _reduce(diff * diff, reduction)


def mse_loss(input: Tensor, target, *, reduction: str = "mean") -> Tensor:
    """loss = mean((input - target)^2)   (squared error; 'sum' and 'none' as for every loss)

    >>> import neuronlab as nl
    >>> mse_loss(nl.tensor([1.0, 3.0]), nl.tensor([0.0, 0.0])).item()
    5.0
    """
    return _mse("mse_loss", input, target, reduction)


def _l1(who, input, target, reduction):
    check_reduction(who, reduction)
    return _reduce((input - _regression_target(who, input, target)).abs(), reduction)


def l1_loss(input: Tensor, target, *, reduction: str = "mean") -> Tensor:
    """loss = mean(|input - target|)   (absolute error: less swayed by outliers than MSE)"""
    return _l1("l1_loss", input, target, reduction)


def _huber(who, input, target, reduction, delta):
    check_reduction(who, reduction)
    check_delta(who, delta)
    a = (input - _regression_target(who, input, target)).abs()
    q = a.clip(max=delta)  # = a below delta, delta above
    return _reduce(q * q * 0.5 + (a - q) * delta, reduction)


def check_delta(who, delta) -> None:
    if isinstance(delta, bool) or not isinstance(delta, (int, float)) or not delta > 0:
        raise ValueError(f"{_name(who)}: delta must be a positive number, got {delta!r}")


def huber_loss(input: Tensor, target, *, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """loss_i = 0.5 * d_i^2 if |d_i| < delta else delta * (|d_i| - 0.5 * delta), d = input - target

    Quadratic near zero, linear far away: MSE's smooth minimum with L1's robustness.

    >>> import neuronlab as nl
    >>> huber_loss(nl.tensor([0.5, 3.0]), nl.tensor([0.0, 0.0]), reduction="none").tolist()
    [0.125, 2.5]
    """
    return _huber("huber_loss", input, target, reduction, delta)


# ----- classification with class indices ----------------------------------------------------


def _class_setup(who, input, target, weight, reduction):
    """Check input, integer targets and class weights; return (targets, weights) as arrays."""
    check_reduction(who, reduction)
    _check_input(who, input)
    if input.data.ndim == 0:
        raise ValueError(f"{_name(who)}: expected scores of shape (batch, classes), got a scalar")
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"{_name(who)}: expected class indices as integers (int64), got dtype {t.dtype}. "
            "Convert the labels with y.long() (or y.astype(np.int64)); for one-hot rows use "
            "y.argmax(axis=1) first."
        )
    n_classes = input.data.shape[1] if input.data.ndim > 1 else input.data.shape[0]
    if weight is not None:
        weight = weight.data if isinstance(weight, Tensor) else np.asarray(weight)
        if weight.shape != (n_classes,):
            raise ValueError(
                f"{_name(who)}: class weights of shape {weight.shape} do not fit "
                f"{n_classes} classes; give one weight per class, shape ({n_classes},)"
            )
        weight = weight.astype(input.data.dtype, copy=False)
    return t, weight


def _check_class_targets(who, scores_shape, t, ignore_index):
    expected = scores_shape[:1] + scores_shape[2:] if len(scores_shape) > 1 else ()
    if t.shape != expected:
        raise ValueError(
            f"{_name(who)}: scores of shape {scores_shape} (batch, classes, ...) need targets of "
            f"shape {expected}, got {t.shape}. Pass one class index per example, not one-hot rows."
        )
    n_classes = scores_shape[1] if len(scores_shape) > 1 else scores_shape[0]
    bad = (t != ignore_index) & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise ValueError(
            f"{_name(who)}: target {int(t[bad].flat[0])} is out of range for {n_classes} classes "
            f"(valid: 0 to {n_classes - 1}). Check that the model's last layer has one output "
            "per class."
        )


def _rows(scores: Tensor) -> Tensor:
    """(N, C, d1, ...) -> (N * d1 * ..., C), (C,) -> (1, C): one row of class scores each."""
    if scores.ndim == 1:
        return scores.reshape(1, -1)
    if scores.ndim > 2:
        scores = scores.permute(0, *range(2, scores.ndim), 1)
    return scores.reshape(-1, scores.shape[-1])


def _picked_weights(t, weight, ignore_index, dtype):
    """w[t_i] (0 for ignored targets) and the targets with ignored ones replaced by class 0."""
    valid = t != ignore_index
    safe = np.where(valid, t, 0)
    w_t = weight[safe] if weight is not None else np.ones(t.shape, dtype=dtype)
    return w_t * valid, safe, valid


def _weighted_mean(total: Tensor, denominator) -> Tensor:
    """total / denominator; NaN when every target was ignored (as in PyTorch)."""
    return total * (1.0 / denominator if denominator else float("nan"))


def _nll(who, input, target, weight, ignore_index, reduction):
    t, weight = _class_setup(who, input, target, weight, reduction)
    _check_class_targets(who, input.data.shape, t, ignore_index)
    w_t, safe, _ = _picked_weights(t.reshape(-1), weight, ignore_index, input.data.dtype)
    rows = _rows(input)
    per = rows[np.arange(len(safe)), safe] * from_numpy(-w_t)  # -w[y_i] * logp_i[y_i]
    if reduction == "none":
        return per.reshape(t.shape)
    return per.sum() if reduction == "sum" else _weighted_mean(per.sum(), w_t.sum())


def nll_loss(
    input: Tensor, target, weight=None, *, ignore_index: int = -100, reduction: str = "mean"
) -> Tensor:
    """loss_i = -w[y_i] * input[i, y_i], on log-probabilities (pair it with ``log_softmax``);
    'mean' divides the sum by sum_i w[y_i], and targets equal to ``ignore_index`` count for
    nothing. Shape: input (N, C) or (N, C, d1, ...), target (N) or (N, d1, ...), int64.

    >>> import neuronlab as nl
    >>> logp = nl.tensor([[-0.5, -1.0], [-2.0, -0.1]])
    >>> round(nll_loss(logp, nl.tensor([0, 1])).item(), 4)
    0.3
    """
    return _nll("nll_loss", input, target, weight, ignore_index, reduction)


def _is_probability_target(input, target) -> bool:
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    return t.dtype.kind == "f" and t.shape == input.data.shape and isinstance(input, Tensor)


def _soft_cross_entropy(who, input, target, weight, reduction, label_smoothing):
    """loss_i = -sum_c w[c] * q_ic * log softmax(x_i)_c for class probabilities q (each row sums
    to 1), with q smoothed to (1 - s) * q + s / C; 'mean' divides by the number of rows (not by
    the weights, PyTorch's convention for probability targets)."""
    check_reduction(who, reduction)
    _check_input(who, input)
    if not 0 <= label_smoothing <= 1:
        raise ValueError(
            f"{_name(who)}: label_smoothing must be between 0 and 1, got {label_smoothing!r}"
        )
    axis = 1 if input.ndim > 1 else 0
    n_classes = input.shape[axis]
    q = target.to(input.data.dtype) if isinstance(target, Tensor) else from_numpy(
        np.asarray(target, dtype=input.data.dtype))
    if label_smoothing:
        q = q * (1 - label_smoothing) + label_smoothing / n_classes
    logp = fused.LogSoftmax.apply(input, axis=axis)
    if weight is not None:
        w = weight.data if isinstance(weight, Tensor) else np.asarray(weight)
        if w.shape != (n_classes,):
            raise ValueError(
                f"{_name(who)}: class weights of shape {w.shape} do not fit {n_classes} "
                f"classes; give one weight per class, shape ({n_classes},)"
            )
        shape = (1, -1) + (1,) * (input.ndim - 2) if input.ndim > 1 else (-1,)
        logp = logp * from_numpy(w.astype(input.data.dtype).reshape(shape))
    per = (logp * q).sum(axis) * -1.0
    return _reduce(per, reduction)


def _cross_entropy(who, input, target, weight, ignore_index, reduction, label_smoothing):
    if _is_probability_target(input, target):
        return _soft_cross_entropy(who, input, target, weight, reduction, label_smoothing)
    t, weight = _class_setup(who, input, target, weight, reduction)
    if isinstance(label_smoothing, bool) or not 0 <= label_smoothing <= 1:
        raise ValueError(
            f"{_name(who)}: label_smoothing must be between 0 and 1, got {label_smoothing!r}"
        )
    single = input.data.ndim == 1
    if single:  # one example: (C,) scores and a () target
        if t.shape != ():
            _check_class_targets(who, input.data.shape, t, ignore_index)
        input, t = input.reshape(1, -1), t.reshape(1)
    try:
        out = fused.CrossEntropy.apply(
            input,
            target=t,
            weight=weight,
            ignore_index=ignore_index,
            reduction=reduction,
            label_smoothing=label_smoothing,
        )
    except (TypeError, ValueError) as exc:  # name the loss the user called, not the op
        raise type(exc)(str(exc).replace("cross_entropy", _name(who), 1)) from None
    return out.reshape(()) if single and reduction == "none" else out


def cross_entropy(
    input: Tensor,
    target,
    weight=None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """loss_i = -log softmax(input_i)[y_i]: log_softmax and nll_loss in one fused, stable op.

    With class weights w: loss_i = -w[y_i] * log p_i[y_i] and 'mean' divides by sum_i w[y_i].
    With label smoothing s, the target puts 1 - s + s / C on y_i and s / C on every other class.
    Shape: input (N, C) or (N, C, d1, ...) raw scores (logits), target (N) or (N, d1, ...) int64.

    Class probabilities also work as targets, as in PyTorch: a float target of the input's shape
    (soft labels, mixup, distillation) gives loss_i = -sum_c w[c] * q_ic * log p_i[c], and 'mean'
    then divides by the number of rows.

    >>> import neuronlab as nl
    >>> round(cross_entropy(nl.tensor([[2.0, 0.0, 0.0]]), nl.tensor([0])).item(), 4)
    0.2395
    """
    return _cross_entropy(
        "cross_entropy", input, target, weight, ignore_index, reduction, label_smoothing
    )


def composed_cross_entropy(
    input: Tensor,
    target,
    weight=None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Naive reference for ``cross_entropy``, from primitives: log-softmax, pick, weigh, sum."""
    who = "composed_cross_entropy"
    t, weight = _class_setup(who, input, target, weight, reduction)
    _check_class_targets(who, input.data.shape, t, ignore_index)
    rows = _rows(input)  # (M, C)
    n_classes = rows.shape[1]
    shifted = rows - rows.max(1, keepdims=True).detach()
    logp = shifted - shifted.exp().sum(1, keepdims=True).log()
    w_t, safe, valid = _picked_weights(t.reshape(-1), weight, ignore_index, input.data.dtype)
    per = logp[np.arange(len(safe)), safe] * from_numpy(-w_t)
    if label_smoothing:
        weighted = logp * from_numpy(weight) if weight is not None else logp
        smooth = weighted.sum(1) * from_numpy(-valid.astype(input.data.dtype))
        per = per * (1 - label_smoothing) + smooth * (label_smoothing / n_classes)
    if reduction == "none":
        return per.reshape(t.shape)
    return per.sum() if reduction == "sum" else _weighted_mean(per.sum(), w_t.sum())


# ----- binary and multi-label ----------------------------------------------------------------


def _clamped_log(p: Tensor) -> Tensor:
    """max(log(p), -100), PyTorch's BCELoss convention, with a zero gradient where clamped."""
    zero = p.data <= 0
    if not zero.any():
        return p.log().clip(min=-100)
    safe = where(zero, 1.0, p)  # log(1) = 0 stands in where p = 0 ...
    return where(zero, -100.0, safe.log().clip(min=-100))  # ... and is replaced by -100


def _bce(who, input, target, weight, reduction):
    check_reduction(who, reduction)
    y = _regression_target(who, input, target)
    p = input.data
    if p.size and not (p.min() >= 0 and p.max() <= 1):  # also catches NaN
        raise ValueError(
            f"{_name(who)}: expected probabilities between 0 and 1, got values from "
            f"{np.nanmin(p):.4g} to {np.nanmax(p):.4g}. Apply sigmoid first, or better, pass the "
            "raw scores to binary_cross_entropy_with_logits (BCEWithLogitsLoss)."
        )
    loss = (y * _clamped_log(input) + (1 - y) * _clamped_log(1 - input)) * -1.0
    w = _broadcast_weight(who, "weight", weight, input)
    return _reduce(loss if w is None else loss * from_numpy(w), reduction)


def binary_cross_entropy(input: Tensor, target, weight=None, *, reduction: str = "mean") -> Tensor:
    """loss_i = -w_i * (y_i * log(p_i) + (1 - y_i) * log(1 - p_i)), each log clamped at -100
    (PyTorch's convention, so p = 0 or 1 gives a large finite loss, not infinity).

    ``input`` holds probabilities p in [0, 1], ``target`` the 0/1 labels y (same shape).

    >>> import neuronlab as nl
    >>> round(binary_cross_entropy(nl.tensor([0.9, 0.2]), nl.tensor([1.0, 0.0])).item(), 4)
    0.1643
    """
    return _bce("binary_cross_entropy", input, target, weight, reduction)


def _bce_with_logits(who, input, target, weight, pos_weight, reduction):
    check_reduction(who, reduction)
    y = _same_shape_target(who, input, target)
    w = _broadcast_weight(who, "weight", weight, input)
    pw = _broadcast_weight(who, "pos_weight", pos_weight, input)
    options = {"weight": w, "pos_weight": pw, "reduction": reduction}
    if isinstance(target, Tensor) and target.requires_grad:  # a soft target that learns
        return fused.BCEWithLogits.apply(input, target.to(input.data.dtype), **options)
    return fused.BCEWithLogits.apply(input, target=y, **options)


def binary_cross_entropy_with_logits(
    input: Tensor, target, weight=None, *, reduction: str = "mean", pos_weight=None
) -> Tensor:
    """loss_i = -w_i * (pw * y_i * log(sigmoid(x_i)) + (1 - y_i) * log(1 - sigmoid(x_i))),
    fused and stable: never takes the log of 0, for any logit x.

    ``pos_weight`` (pw, one per class along the last axis) > 1 favours recall of positives.
    Shape: input and target the same, any shape; target holds 0/1 labels (or probabilities).

    >>> import neuronlab as nl
    >>> x, y = nl.tensor([2.0, -1.0]), nl.tensor([1.0, 0.0])
    >>> round(binary_cross_entropy_with_logits(x, y).item(), 4)
    0.2201
    """
    return _bce_with_logits(
        "binary_cross_entropy_with_logits", input, target, weight, pos_weight, reduction
    )


def _softplus(z: Tensor) -> Tensor:
    """log(1 + exp(z)) = max(z, 0) + log(1 + exp(-|z|)), which never overflows."""
    return z.relu() + ((-z.abs()).exp() + 1).log()


def composed_bce_with_logits(
    input: Tensor, target, weight=None, *, reduction: str = "mean", pos_weight=None
) -> Tensor:
    """Naive reference for ``binary_cross_entropy_with_logits``, with -log(sigmoid(x)) =
    softplus(-x) and -log(1 - sigmoid(x)) = softplus(x)."""
    who = "composed_bce_with_logits"
    check_reduction(who, reduction)
    y = from_numpy(_same_shape_target(who, input, target))
    positive = y * _softplus(-input)
    pw = _broadcast_weight(who, "pos_weight", pos_weight, input)
    if pw is not None:
        positive = positive * from_numpy(pw)
    loss = (1 - y) * _softplus(input) + positive
    w = _broadcast_weight(who, "weight", weight, input)
    return _reduce(loss if w is None else loss * from_numpy(w), reduction)
