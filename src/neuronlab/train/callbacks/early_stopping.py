"""``EarlyStopping``: stop when a monitored value has stopped improving, and optionally put
back the weights of the best epoch.

The rule, epoch by epoch (Keras 3's): an epoch *improves* if its value beats the best so far by
more than ``min_delta``; ``wait`` counts the epochs since the last improvement; when ``wait``
reaches ``patience`` training stops. Validation losses are noisy, so ``patience`` of a few
epochs is usual.

>>> from neuronlab.train import TrainingContext
>>> es = EarlyStopping(monitor="val_loss", patience=2)
>>> es.set_context(TrainingContext(model=None, optimizer=None))
>>> es.on_train_begin()
>>> for epoch, val_loss in enumerate([1.0, 0.8, 0.9, 0.85, 0.7]):
...     es.on_epoch_end(epoch, {"val_loss": val_loss})
...     if es.context.stop_training:
...         break
>>> es.best_epoch, es.stopped_epoch, es.best
(1, 3, 0.8)
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .base import Callback, Logs
from .monitor import Monitor

__all__ = ["EarlyStopping", "snapshot_weights"]


def snapshot_weights(model: Any) -> dict[str, np.ndarray]:
    """A copy of ``model.state_dict()`` as NumPy arrays (the state dict itself shares memory)."""
    return {k: np.array(getattr(v, "data", v), copy=True) for k, v in model.state_dict().items()}


def _all_finite(weights: dict[str, np.ndarray]) -> bool:
    return all(np.isfinite(w).all() for w in weights.values() if w.dtype.kind in "fc")


class EarlyStopping(Callback):
    """Stop training when ``monitor`` has not improved for ``patience`` epochs.

    Args:
        monitor: the log key to watch, e.g. ``'val_loss'`` or ``'val_accuracy'``.
        patience: epochs without improvement after which training stops.
        min_delta: the least change that counts as an improvement.
        mode: ``'min'``, ``'max'`` or ``'auto'`` (from the name: losses go down, accuracies up).
        restore_best_weights: put back the weights of the best epoch when training ends, however
            it ends: patience exhausted, the last epoch done, Ctrl-C, or a stop for NaN.
        baseline: a value to beat; until an epoch beats it, ``wait`` is not reset, so training
            stops after ``patience`` epochs if the model never reaches it.
        start_from_epoch: epochs to let pass before watching (a warm-up).
        verbose: print a line when stopping and when restoring weights.

    After ``fit``: ``best`` (the best value), ``best_epoch`` (its epoch, from 0),
    ``stopped_epoch`` (the epoch where patience ran out, or ``None`` if it never did) and
    ``wait``. All are reset in ``on_train_begin``, so one instance can serve many runs.
    When the monitored key is missing from the logs, a warning lists the keys that are there.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        *,
        patience: int = 0,
        min_delta: float = 0.0,
        mode: str = "auto",
        restore_best_weights: bool = False,
        baseline: float | None = None,
        start_from_epoch: int = 0,
        verbose: bool = False,
    ) -> None:
        for name, value in (("patience", patience), ("start_from_epoch", start_from_epoch)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(
                    f"EarlyStopping({name}=...) · expected an int >= 0 · got {value!r} · "
                    f"pass e.g. {name}=5"
                )
        self._monitor = Monitor("EarlyStopping", monitor, mode, min_delta)
        self.monitor, self.mode = monitor, self._monitor.mode
        self.patience, self.min_delta = patience, float(min_delta)
        self.restore_best_weights, self.baseline = restore_best_weights, baseline
        self.start_from_epoch, self.verbose = start_from_epoch, verbose
        self.on_train_begin()

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.wait = 0
        self.best: float | None = None
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self.best_weights: dict[str, np.ndarray] | None = None
        self._watched = False  # an epoch was watched (so "nothing to restore" means something)

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        current = self._monitor.get(logs, epoch)
        if current is None or epoch < self.start_from_epoch:
            return
        self._watched = True
        if self.restore_best_weights and self.best_weights is None:
            # nothing better seen yet (e.g. a NaN first epoch): these weights are the best so
            # far -- if they are finite; non-finite weights are never kept to be restored
            weights = snapshot_weights(self.model)
            if _all_finite(weights):
                self.best_weights, self.best_epoch = weights, epoch
        self.wait += 1
        if self._monitor.is_improvement(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                weights = snapshot_weights(self.model)
                if _all_finite(weights):
                    self.best_weights = weights
            if self.baseline is None or self._monitor.is_improvement(current, self.baseline):
                self.wait = 0  # reset only when beating both the best so far and the baseline
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.context.stop_training = True

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self.stopped_epoch is not None and self.verbose:
            print(
                f"Epoch {self.stopped_epoch + 1}: early stopping ({self.monitor} has not "
                f"improved for {self.wait} epochs)"
            )
        if self.restore_best_weights and self.best_weights is None and self._watched:
            warnings.warn(
                "EarlyStopping(restore_best_weights=True) · no epoch ended with finite weights, "
                "so there is nothing to restore · the model keeps its last weights · lower the "
                "learning rate (see TerminateOnNaN's advice)",
                RuntimeWarning,
                stacklevel=2,
            )
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")  # fmt: skip
            self.model.load_state_dict(self.best_weights)

    def __repr__(self) -> str:
        return (
            f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
            f"mode={self.mode!r}, restore_best_weights={self.restore_best_weights})"
        )
