"""Loss layers: ``loss_fn = nn.CrossEntropyLoss(); loss = loss_fn(model(x), y)``.

Each class holds its configuration and calls the function of the same math in
``loss_functional`` (re-exported as ``F.cross_entropy`` and friends); errors name the class and
its configuration. Class weights are buffers, as in PyTorch: they appear in ``state_dict()`` and
follow ``model.to(dtype)``.
"""

from __future__ import annotations

import numpy as np

from ..engine.backend import DEFAULT_FLOAT
from ..engine.tensor import Tensor
from . import loss_functional as L
from .module import Module


def _as_buffer(value) -> Tensor | None:
    """Weights as a float tensor (float64 kept, everything else float32); None stays None."""
    if value is None:
        return None
    array = value.data if isinstance(value, Tensor) else np.asarray(value)
    dtype = array.dtype if array.dtype == np.float64 else DEFAULT_FLOAT
    return Tensor(array, dtype=dtype)


def _short(t: Tensor | None) -> str:
    if t is None:
        return "None"
    return str(t.data.tolist()) if t.data.size <= 6 else f"<shape {t.data.shape}>"


class _Loss(Module):
    # Keyword-only where PyTorch's second positional argument is the deprecated size_average.
    def __init__(self, *, reduction: str = "mean"):
        super().__init__()
        L.check_reduction(type(self).__name__, reduction)
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """loss = mean((input - target)^2): mean squared error, for regression.

    Shape: input (*), target the same shape; output () or (*) for reduction='none'.

    Args:
        reduction: 'mean' (default), 'sum', or 'none' (one loss per element).

    >>> import neuronlab as nl
    >>> nl.nn.MSELoss()(nl.tensor([1.0, 3.0]), nl.tensor([0.0, 0.0])).item()
    5.0
    """

    def forward(self, input: Tensor, target) -> Tensor:
        return L._mse(self, input, target, self.reduction)


class L1Loss(_Loss):
    """loss = mean(|input - target|): mean absolute error, for regression with outliers.

    Shape: input (*), target the same shape; output () or (*) for reduction='none'.

    Args:
        reduction: 'mean' (default), 'sum', or 'none'.

    >>> import neuronlab as nl
    >>> nl.nn.L1Loss()(nl.tensor([1.0, -3.0]), nl.tensor([0.0, 0.0])).item()
    2.0
    """

    def forward(self, input: Tensor, target) -> Tensor:
        return L._l1(self, input, target, self.reduction)


class HuberLoss(_Loss):
    """loss_i = 0.5 * d_i^2 if |d_i| < delta else delta * (|d_i| - 0.5 * delta), d = input - target.

    Shape: input (*), target the same shape; output () or (*) for reduction='none'.

    Args:
        reduction: 'mean' (default), 'sum', or 'none'.
        delta: where the loss turns from quadratic to linear (default 1.0).

    >>> import neuronlab as nl
    >>> nl.nn.HuberLoss(delta=1.0)(nl.tensor([0.5, 3.0]), nl.tensor([0.0, 0.0])).item()
    1.3125
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction=reduction)
        L.check_delta("HuberLoss", delta)
        self.delta = float(delta)

    def forward(self, input: Tensor, target) -> Tensor:
        return L._huber(self, input, target, self.reduction, self.delta)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}, delta={self.delta}"


class CrossEntropyLoss(_Loss):
    """loss_i = -w[y_i] * log softmax(x_i)[y_i], on raw scores (logits) and class indices.

    'mean' divides the sum by sum_i w[y_i]; ``label_smoothing`` s moves s of the target's
    probability mass evenly onto all C classes; targets equal to ``ignore_index`` count for
    nothing. One fused, numerically stable op (no softmax layer needed before it).

    Shape: input (N, C) or (N, C, d1, ...) or (C,); target (N) or (N, d1, ...) or () of int64
    class indices in [0, C); output () or the target's shape for reduction='none'.

    Args:
        weight: one weight per class, shape (C,) (default: all 1).
        ignore_index: a target value to skip (default -100).
        reduction: 'mean' (default), 'sum', or 'none'.
        label_smoothing: s in [0, 1] (default 0).

    >>> import neuronlab as nl
    >>> loss_fn = nl.nn.CrossEntropyLoss()
    >>> round(loss_fn(nl.tensor([[2.0, 0.0, 0.0]]), nl.tensor([0])).item(), 4)
    0.2395
    """

    def __init__(
        self,
        weight=None,
        *,
        ignore_index: int = -100,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ):
        super().__init__(reduction=reduction)
        if isinstance(label_smoothing, bool) or not 0 <= label_smoothing <= 1:
            raise ValueError(
                f"CrossEntropyLoss: label_smoothing must be between 0 and 1, got "
                f"{label_smoothing!r}"
            )
        self.register_buffer("weight", _as_buffer(weight))
        self.ignore_index, self.label_smoothing = ignore_index, float(label_smoothing)

    def forward(self, input: Tensor, target) -> Tensor:
        return L._cross_entropy(
            self,
            input,
            target,
            self.weight,
            self.ignore_index,
            self.reduction,
            self.label_smoothing,
        )

    def extra_repr(self) -> str:
        weight = f"weight={_short(self.weight)}, " if self.weight is not None else ""
        return (
            f"{weight}ignore_index={self.ignore_index}, reduction={self.reduction!r}, "
            f"label_smoothing={self.label_smoothing}"
        )


class NLLLoss(_Loss):
    """loss_i = -w[y_i] * input[i, y_i]: negative log-likelihood, on log-probabilities.

    Put a ``LogSoftmax(dim=1)`` before it (or use ``CrossEntropyLoss``, which is both).
    'mean' divides the sum by sum_i w[y_i]; targets equal to ``ignore_index`` count for nothing.

    Shape: input (N, C) or (N, C, d1, ...) or (C,); target (N) or (N, d1, ...) or () of int64;
    output () or the target's shape for reduction='none'.

    Args:
        weight: one weight per class, shape (C,) (default: all 1).
        ignore_index: a target value to skip (default -100).
        reduction: 'mean' (default), 'sum', or 'none'.

    >>> import neuronlab as nl
    >>> logp = nl.tensor([[-0.5, -1.0], [-2.0, -0.1]])
    >>> round(nl.nn.NLLLoss()(logp, nl.tensor([0, 1])).item(), 4)
    0.3
    """

    def __init__(self, weight=None, *, ignore_index: int = -100, reduction: str = "mean"):
        super().__init__(reduction=reduction)
        self.register_buffer("weight", _as_buffer(weight))
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target) -> Tensor:
        return L._nll(self, input, target, self.weight, self.ignore_index, self.reduction)

    def extra_repr(self) -> str:
        weight = f"weight={_short(self.weight)}, " if self.weight is not None else ""
        return f"{weight}ignore_index={self.ignore_index}, reduction={self.reduction!r}"


class BCELoss(_Loss):
    """loss_i = -w_i * (y_i * log(p_i) + (1 - y_i) * log(1 - p_i)), each log clamped at -100.

    On probabilities p in [0, 1] (after a ``Sigmoid``); ``BCEWithLogitsLoss`` on the raw scores is
    the stable choice. Where a log is clamped its gradient is 0 (PyTorch instead returns a large
    finite slope there); elsewhere the two agree.

    Shape: input (*), target the same shape (0/1 labels or probabilities); output () or (*).

    Args:
        weight: rescales each element's loss; broadcasts to the input's shape.
        reduction: 'mean' (default), 'sum', or 'none'.

    >>> import neuronlab as nl
    >>> round(nl.nn.BCELoss()(nl.tensor([0.9, 0.2]), nl.tensor([1.0, 0.0])).item(), 4)
    0.1643
    """

    def __init__(self, weight=None, *, reduction: str = "mean"):
        super().__init__(reduction=reduction)
        self.register_buffer("weight", _as_buffer(weight))

    def forward(self, input: Tensor, target) -> Tensor:
        return L._bce(self, input, target, self.weight, self.reduction)

    def extra_repr(self) -> str:
        weight = f"weight={_short(self.weight)}, " if self.weight is not None else ""
        return f"{weight}reduction={self.reduction!r}"


class BCEWithLogitsLoss(_Loss):
    """loss_i = -w_i * (pw * y_i * log(sigmoid(x_i)) + (1 - y_i) * log(1 - sigmoid(x_i))).

    On raw scores (logits) x: sigmoid and binary cross-entropy fused into one stable op, for
    binary and multi-label classification. ``pos_weight`` pw > 1 makes missing a positive cost
    more (e.g. pw = negatives / positives for imbalanced data).

    Shape: input (*), target the same shape; output () or (*) for reduction='none'.

    Args:
        weight: rescales each element's loss; broadcasts to the input's shape.
        reduction: 'mean' (default), 'sum', or 'none'.
        pos_weight: weight of the positive term, one per class (last axis).

    >>> import neuronlab as nl
    >>> loss_fn = nl.nn.BCEWithLogitsLoss()
    >>> round(loss_fn(nl.tensor([2.0, -1.0]), nl.tensor([1.0, 0.0])).item(), 4)
    0.2201
    """

    def __init__(self, weight=None, *, reduction: str = "mean", pos_weight=None):
        super().__init__(reduction=reduction)
        self.register_buffer("weight", _as_buffer(weight))
        self.register_buffer("pos_weight", _as_buffer(pos_weight))

    def forward(self, input: Tensor, target) -> Tensor:
        return L._bce_with_logits(self, input, target, self.weight, self.pos_weight, self.reduction)

    def extra_repr(self) -> str:
        weight = f"weight={_short(self.weight)}, " if self.weight is not None else ""
        pos = f", pos_weight={_short(self.pos_weight)}" if self.pos_weight is not None else ""
        return f"{weight}reduction={self.reduction!r}{pos}"
