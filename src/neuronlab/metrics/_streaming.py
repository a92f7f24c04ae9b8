"""Streaming wrappers: accumulate a metric over the batches of a training loop.

Each wrapper has ``update(...)`` (add one batch), ``result()`` (the value so far),
``reset()`` (start again, e.g. at a new epoch) and a ``name`` used for logging.

* :class:`Mean`: running weighted mean of a scalar such as the loss;
* :class:`Accuracy`: running accuracy from labels, class scores or probabilities;
* :class:`Streaming`: any pure metric function, recomputed on all batches seen.

>>> acc = Accuracy()
>>> acc.update([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]])
>>> acc.update([1], [[0.4, 0.6]])
>>> acc.result()
0.75
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._classification import accuracy_score
from ._validation import as_array, check_float_array, check_sample_weight

__all__ = ["Accuracy", "Mean", "Streaming"]


class Mean:
    """Running weighted mean of a scalar (typically the loss of each batch).

    mean = sum_k w_k * v_k / sum_k w_k  over every value v_k passed to ``update``.

    ``update(value, weight=1.0)`` accepts a scalar or an array of values (each value
    gets the weight, or ``weight`` is an array of the same shape). A common pattern is
    ``update(batch_loss, weight=batch_size)`` so that the result is the per-sample mean.

    >>> m = Mean(name="loss")
    >>> m.update(2.0, weight=3)
    >>> m.update([1.0, 1.0])
    >>> m.result()
    1.6
    """

    def __init__(self, name: str = "mean") -> None:
        self.name = name
        self.reset()

    def reset(self) -> None:
        """Forget every value seen so far."""
        self._total = 0.0
        self._weight = 0.0

    def update(self, value: ArrayLike, weight: ArrayLike = 1.0) -> None:
        """Add one value (or an array of values) with the given weight(s)."""
        who = f"Mean({self.name!r}).update"
        v = check_float_array(who, "value", np.atleast_1d(np.asarray(value)), max_ndim=64)
        w = check_float_array(who, "weight", np.atleast_1d(np.asarray(weight)), max_ndim=64)
        if w.size != 1 and w.shape != v.shape:
            raise ValueError(
                f"{who}: weight must be a scalar or have the shape of value {v.shape}, got "
                f"shape {w.shape}; pass one weight per value."
            )
        if (w < 0).any():
            raise ValueError(
                f"{who}: weight must be >= 0, got {w.min().item()!r}; use weights >= 0."
            )
        self._total += float(np.sum(v * w))
        self._weight += float(np.sum(np.broadcast_to(w, v.shape)))

    def result(self) -> float:
        """The weighted mean of everything passed to ``update`` since the last reset."""
        if self._weight == 0:
            raise ValueError(
                f"Mean({self.name!r}).result: no values (or only zero weights) were added "
                "since the last reset; call update(value) first."
            )
        return self._total / self._weight

    def __repr__(self) -> str:
        return f"Mean(name={self.name!r}, weight={self._weight!r})"


def _to_labels(who: str, y_pred: Any) -> np.ndarray:
    """Turn predictions into labels: argmax of class scores, or threshold 0.5."""
    arr = as_array(who, "y_pred", y_pred)
    if arr.ndim == 2 and arr.shape[1] > 1:
        scores = check_float_array(who, "y_pred", arr, max_ndim=2)
        return np.argmax(scores, axis=-1)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim == 1 and arr.dtype.kind == "f":
        finite = check_float_array(who, "y_pred", arr)
        if not np.all(finite == np.round(finite)):  # not labels: probabilities
            if finite.min() < 0 or finite.max() > 1:
                raise ValueError(
                    f"{who}: 1-D float y_pred is read as probabilities of class 1 and must "
                    f"lie in [0, 1], got values in [{finite.min().item()!r}, "
                    f"{finite.max().item()!r}]; "
                    "apply a sigmoid to logits, or pass integer labels."
                )
            return (finite >= 0.5).astype(np.int64)
    return arr


class Accuracy:
    """Running accuracy over batches (see :func:`accuracy_score` for the formula).

    ``update(y_true, y_pred, sample_weight=None)`` accepts as ``y_pred``:

    * class labels (ints, bools or strings), used as they are;
    * class scores or probabilities of shape ``(n, n_classes)`` with n_classes > 1:
      the predicted label is the index of the largest score (``argmax`` over the last
      axis), so ``y_true`` must hold integer class indices;
    * probabilities of class 1 of shape ``(n,)`` or ``(n, 1)`` (floats that are not all
      whole numbers): the predicted label is ``1 if p >= 0.5 else 0``.

    The result equals ``accuracy_score`` on the concatenation of all batches.

    >>> acc = Accuracy()
    >>> acc.update([1, 0, 1], [0.9, 0.2, 0.4])
    >>> acc.result()
    0.6666666666666666
    """

    name = "accuracy"

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every batch seen so far."""
        self._correct = 0.0
        self._weight = 0.0

    def update(
        self, y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> None:
        """Add one batch of true labels and predictions."""
        who = "Accuracy.update"
        labels = _to_labels(who, y_pred)
        n = len(labels)
        w = check_sample_weight(who, sample_weight, n)
        # validates labels/lengths with the same checks as the pure function
        self._correct += accuracy_score(y_true, labels, normalize=False, sample_weight=w)
        self._weight += float(n if w is None else np.sum(w))

    def result(self) -> float:
        """Accuracy over every sample passed to ``update`` since the last reset."""
        if self._weight == 0:
            raise ValueError(
                "Accuracy.result: no samples (or only zero weights) were added since the "
                "last reset; call update(y_true, y_pred) first."
            )
        return self._correct / self._weight

    def __repr__(self) -> str:
        return f"Accuracy(weight={self._weight!r})"


class Streaming:
    """Any metric ``metric_fn(y_true, y_pred, **kwargs)`` computed over many batches.

    ``update`` stores the batches; ``result()`` calls the *same* pure function on the
    concatenation of every batch since the last ``reset()``, so the value is exactly
    what the function gives on all the data at once (ROC AUC or F1 are not averages
    of per-batch values). ``kwargs`` are passed to every call (e.g. ``average``).

    >>> from neuronlab.metrics import f1_score
    >>> f1 = Streaming(f1_score, average="macro")
    >>> f1.update([0, 1], [0, 1])
    >>> f1.update([2, 2], [2, 1])
    >>> f1.name, round(f1.result(), 6)
    ('f1_score', 0.777778)
    """

    def __init__(
        self, metric_fn: Callable[..., Any], name: str | None = None, **kwargs: Any
    ) -> None:
        if not callable(metric_fn):
            raise TypeError(
                f"Streaming: metric_fn must be a function such as f1_score, got "
                f"{type(metric_fn).__name__}; pass the function itself, not its result."
            )
        self.metric_fn = metric_fn
        self.name = name if name is not None else getattr(metric_fn, "__name__", "metric")
        self.kwargs = kwargs
        self.reset()

    def reset(self) -> None:
        """Forget every batch seen so far."""
        self._true: list[np.ndarray] = []
        self._pred: list[np.ndarray] = []
        self._weight: list[np.ndarray | None] = []

    def update(
        self, y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> None:
        """Store one batch (``sample_weight`` for all batches or for none)."""
        who = f"Streaming({self.name!r}).update"
        t = as_array(who, "y_true", y_true)
        p = as_array(who, "y_pred", y_pred)
        if t.shape[0] != p.shape[0]:
            raise ValueError(
                f"{who}: y_true and y_pred must have the same number of samples, got "
                f"{t.shape[0]} and {p.shape[0]}; pass predictions for every sample."
            )
        w = check_sample_weight(who, sample_weight, t.shape[0])
        if self._weight and (w is None) != (self._weight[0] is None):
            raise ValueError(
                f"{who}: sample_weight must be given for every batch or for none, got it "
                "for some batches only; pass weights (e.g. ones) for every batch."
            )
        self._true.append(t)
        self._pred.append(p)
        self._weight.append(w)

    def result(self) -> Any:
        """``metric_fn`` on all batches since the last reset."""
        if not self._true:
            raise ValueError(
                f"Streaming({self.name!r}).result: no batches were added since the last "
                "reset; call update(y_true, y_pred) first."
            )
        kwargs = dict(self.kwargs)
        if self._weight[0] is not None:
            kwargs["sample_weight"] = np.concatenate(self._weight)
        return self.metric_fn(np.concatenate(self._true), np.concatenate(self._pred), **kwargs)

    def __repr__(self) -> str:
        return f"Streaming({self.name!r}, batches={len(self._true)})"
