"""Metrics during training: from the names users write to the numbers in the logs.

``fit(..., metrics=[...])`` accepts

* a name: ``'accuracy'`` (or ``'acc'``), ``'precision'``, ``'recall'``, ``'f1'``, ``'auc'`` (or
  ``'roc_auc'``) for classifiers; ``'mae'``, ``'mse'``, ``'rmse'``, ``'r2'`` for regression;
* a pure function ``metric_fn(y_true, y_pred)`` such as ``neuronlab.metrics.r2_score``, logged
  under its ``__name__``;
* a streaming object with ``update(y_true, y_pred)``, ``result()``, ``reset()`` and ``name``
  (``neuronlab.metrics.Streaming(f1_score, name='f1_macro', average='macro')``).

Named classification metrics turn the model's raw outputs into what the metric function needs:
with several output columns the label is the argmax; with one column it is ``output >= 0`` after
``BCEWithLogitsLoss`` (the outputs are logits) and ``output >= 0.5`` otherwise (probabilities).
``'precision'``/``'recall'``/``'f1'`` are binary with at most two output columns and
macro-averaged with more. Functions and streaming objects get the raw outputs (an ``(n, 1)``
column is flattened when the targets are 1-D).

Every value equals the ``neuronlab.metrics`` function on the concatenation of all batches of the
epoch. A batch with NaN or infinite outputs makes the epoch's metrics NaN (the metric functions
refuse such values). Batch logs carry the running loss and the metrics that are cheap to update
(accuracy); the others appear at the end of each epoch.

>>> import numpy as np
>>> tracker = Tracker(resolve_metrics(["accuracy", "f1"], loss_fn=None))
>>> tracker.reset()
>>> batch_logs = tracker.update(np.array([0, 1, 1]), np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]), 0.5)
>>> batch_logs
{'loss': 0.5, 'accuracy': 0.6666666666666666}
>>> tracker.result(prefix="val_")
{'val_loss': 0.5, 'val_accuracy': 0.6666666666666666, 'val_f1': 0.6666666666666666}
"""  # noqa: E501

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .. import metrics as M
from .. import nn

__all__ = ["TrainMetric", "Tracker", "make_trackers", "resolve_metrics"]

# name -> (what the metric function needs from the outputs, how to build it for `width` columns)
_NAMED: dict[str, tuple[str, Callable[[str, int], Any]]] = {
    "accuracy": ("labels", lambda name, width: _Renamed(M.Accuracy(), name)),
    "precision": ("labels", lambda name, width: _averaged(M.precision_score, name, width)),
    "recall": ("labels", lambda name, width: _averaged(M.recall_score, name, width)),
    "f1": ("labels", lambda name, width: _averaged(M.f1_score, name, width)),
    "auc": ("scores", lambda name, width: _auc(name, width)),
    "mae": ("values", lambda name, width: M.Streaming(M.mean_absolute_error, name)),
    "mse": ("values", lambda name, width: M.Streaming(M.mean_squared_error, name)),
    "rmse": ("values", lambda name, width: M.Streaming(M.root_mean_squared_error, name)),
    "r2": ("values", lambda name, width: M.Streaming(M.r2_score, name)),
}
_ALIASES = {"acc": "accuracy", "roc_auc": "auc", "f1_score": "f1"}


class _Renamed:
    """A streaming metric logged under another name (``'acc'`` for ``Accuracy``)."""

    def __init__(self, stream: Any, name: str) -> None:
        self.stream, self.name = stream, name
        self.update, self.result, self.reset = stream.update, stream.result, stream.reset


def _averaged(fn: Callable[..., float], name: str, width: int) -> M.Streaming:
    return M.Streaming(fn, name, average="binary" if width <= 2 else "macro")


def _auc(name: str, width: int) -> M.Streaming:
    return M.Streaming(M.roc_auc_score, name, **({} if width <= 2 else {"multi_class": "ovr"}))


def _width(y_pred: np.ndarray) -> int:
    return 1 if y_pred.ndim < 2 else int(np.prod(y_pred.shape[1:]))


def _true_labels(y: np.ndarray) -> np.ndarray:
    if y.ndim == 2:
        y = y[:, 0] if y.shape[1] == 1 else y.argmax(axis=1)  # a column, or one-hot rows
    if y.dtype.kind == "f" and np.all(y == np.round(y)):
        y = y.astype(np.int64)
    return y


class TrainMetric:
    """One metric of a run: a streaming accumulator and how raw outputs are prepared for it."""

    def __init__(
        self, name: str, make: Callable[[int], Any], inputs: str, loss_fn: Any, running: bool
    ) -> None:
        self.name, self._make, self.inputs = name, make, inputs
        self.running = running  # cheap to read after every batch: shown in the batch logs
        self.logits = isinstance(loss_fn, nn.BCEWithLogitsLoss)
        self.softmax = isinstance(loss_fn, nn.CrossEntropyLoss)
        self.log_probs = isinstance(loss_fn, nn.NLLLoss)
        self.stream: Any = None
        self.reset()

    def reset(self) -> None:
        if self.inputs == "object":
            self._make(0).reset()
        self._fresh, self._finite, self._seen = True, True, False

    def _prepare(self, y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.inputs == "labels":
            if y_pred.ndim == 2 and y_pred.shape[1] > 1:
                return _true_labels(y_true), y_pred.argmax(axis=1)
            threshold = 0.0 if self.logits else 0.5
            return _true_labels(y_true), (y_pred.reshape(len(y_pred)) >= threshold).astype(int)
        if self.inputs == "scores" and y_pred.ndim == 2 and y_pred.shape[1] > 1:
            if self.softmax:
                y_pred = np.exp(y_pred - y_pred.max(axis=1, keepdims=True))
                y_pred = y_pred / y_pred.sum(axis=1, keepdims=True)
            elif self.log_probs:
                y_pred = np.exp(y_pred)
            return _true_labels(y_true), y_pred[:, 1] if y_pred.shape[1] == 2 else y_pred
        if self.inputs == "scores":
            return _true_labels(y_true), y_pred.reshape(len(y_pred))
        if y_pred.ndim == 2 and y_pred.shape[1] == 1 and y_true.ndim == 1:
            y_pred = y_pred[:, 0]
        if y_true.ndim == 2 and y_true.shape[1] == 1 and y_pred.ndim == 1:
            y_true = y_true[:, 0]
        return y_true, y_pred

    def update(self, y_true: np.ndarray, y_pred: np.ndarray) -> None:
        if self._fresh:
            self.stream = self._make(_width(y_pred))
            self._fresh = False
        if not np.all(np.isfinite(y_pred)):
            self._finite = False
        if self._finite:
            self.stream.update(*self._prepare(y_true, y_pred))
            self._seen = True

    def result(self) -> float:
        if not (self._finite and self._seen):
            return math.nan
        value = self.stream.result()
        return float(value) if np.ndim(value) == 0 else value


def _resolve_one(metric: Any, loss_fn: Any) -> TrainMetric:
    if isinstance(metric, str):
        key = _ALIASES.get(metric.lower(), metric.lower())
        if key not in _NAMED:
            known = ", ".join(sorted([*_NAMED, *_ALIASES]))
            raise ValueError(
                f"fit(metrics=[{metric!r}]) · expected a known metric name · got {metric!r} · "
                f"use one of: {known}; or pass a function such as neuronlab.metrics.r2_score"
            )
        inputs, build = _NAMED[key]
        make = lambda width: build(metric, width)  # noqa: E731
        return TrainMetric(metric, make, inputs, loss_fn, running=key == "accuracy")
    if all(callable(getattr(metric, a, None)) for a in ("update", "result", "reset")):
        name = getattr(metric, "name", None) or type(metric).__name__.lower()
        running = not isinstance(metric, M.Streaming)  # Streaming recomputes over all batches
        return TrainMetric(name, lambda width: metric, "object", loss_fn, running)
    if callable(metric):
        name = getattr(metric, "__name__", "")
        if not name.isidentifier():
            raise ValueError(
                f"fit(metrics=[...]) · expected a metric with a name for the logs · got "
                f"{metric!r} · wrap it: neuronlab.metrics.Streaming(fn, name='my_metric')"
            )
        make = lambda width: M.Streaming(metric, name)  # noqa: E731
        return TrainMetric(name, make, "values", loss_fn, running=False)
    raise TypeError(
        f"fit(metrics=[...]) · expected metric names, functions or streaming metrics · got "
        f"{type(metric).__name__} {metric!r:.60} · e.g. metrics=['accuracy']"
    )


def resolve_metrics(metrics: Any, loss_fn: Any) -> list[TrainMetric]:
    """One :class:`TrainMetric` per entry of ``metrics`` (a name alone is accepted too).

    Streaming objects are copied, so the training and the validation pass keep separate counts.
    """
    if isinstance(metrics, str) or not isinstance(metrics, Iterable):
        metrics = [metrics]
    resolved = [_resolve_one(copy.deepcopy(m) if hasattr(m, "update") else m, loss_fn)
                for m in metrics]  # fmt: skip
    names = [m.name for m in resolved]
    for name in names:
        if name == "loss" or name.startswith("val_") or names.count(name) > 1:
            raise ValueError(
                f"fit(metrics=...) · expected distinct metric names other than 'loss' and "
                f"'val_...' · got {names} · give a metric another name with "
                "neuronlab.metrics.Streaming(fn, name=...)"
            )
    return resolved


class Tracker:
    """The running loss and metrics of one pass over the data (an epoch, or a validation pass)."""

    def __init__(self, metrics: list[TrainMetric]) -> None:
        self.metrics = metrics
        self.warned = False  # fit warns once per run about a NaN loss
        self.reset()

    def reset(self) -> None:
        self._loss_sum, self._count, self.steps = 0.0, 0, 0
        self.first_bad_step: int | None = None
        for metric in self.metrics:
            metric.reset()

    def update(self, y_true: Any, y_pred: Any, loss: Any) -> dict[str, float]:
        """Add one batch; returns the batch logs (running loss and cheap metrics)."""
        if self.metrics:  # the arrays are only needed by metrics
            y_true = np.asarray(getattr(y_true, "data", y_true))
            y_pred = np.asarray(getattr(y_pred, "data", y_pred))
        n = len(y_true)
        if loss is not None:
            value = float(loss.item() if hasattr(loss, "item") else loss)
            self._loss_sum += value * n
            self._count += n
            if not math.isfinite(value) and self.first_bad_step is None:
                self.first_bad_step = self.steps
        for metric in self.metrics:
            metric.update(y_true, y_pred)
        self.steps += 1
        logs = self._loss()
        logs.update({m.name: m.result() for m in self.metrics if m.running})
        return logs

    def _loss(self, prefix: str = "") -> dict[str, float]:
        return {f"{prefix}loss": self._loss_sum / self._count} if self._count else {}

    def result(self, prefix: str = "") -> dict[str, float]:
        """The loss and every metric over all batches since ``reset``."""
        logs = self._loss(prefix)
        logs.update({prefix + m.name: m.result() for m in self.metrics})
        return logs


def make_trackers(metrics: Any, loss_fn: Any, count: int) -> list[Tracker]:
    """``count`` independent trackers of the same metrics (training and validation)."""
    metrics = (
        [metrics]
        if isinstance(metrics, str) or not isinstance(metrics, Iterable)
        else list(metrics)
    )
    return [Tracker(resolve_metrics(metrics, loss_fn)) for _ in range(count)]
