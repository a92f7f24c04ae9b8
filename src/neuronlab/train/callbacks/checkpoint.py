"""``ModelCheckpoint``: save the model at the end of epochs, every epoch or only the best ones.

Files are written with :mod:`neuronlab.io`, atomically: a file on disk is always a whole model,
never half of one, even if training is interrupted while saving.

``filepath`` may contain ``{epoch}`` (counted from 1, as in the progress bar) and any log key
with a format spec, e.g. ``"ckpt/model-{epoch:02d}-{val_loss:.3f}.safetensors"``. A fixed name
(``"best.safetensors"`` with ``save_best_only=True``) keeps just the best model.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from .base import Callback, Logs
from .monitor import Monitor

__all__ = ["ModelCheckpoint"]


class ModelCheckpoint(Callback):
    """Save the model (or its weights) during training.

    Args:
        filepath: where to save; may contain ``{epoch}`` and ``{<log key>:<format>}``.
        monitor: the log key that decides which epoch is best.
        save_best_only: save only when ``monitor`` improves on the best so far; when the key is
            missing from the logs a warning lists the keys there and nothing is saved.
        mode: ``'min'``, ``'max'`` or ``'auto'`` (from the monitor's name).
        save_weights_only: write only the weights (:func:`neuronlab.io.save_weights`; load
            them with ``io.load_weights(model, path)``) instead of the model
            (:func:`neuronlab.io.save`; ``io.load(path)`` rebuilds it).
        save_optimizer: write a training checkpoint instead
            (:func:`neuronlab.io.save_checkpoint`: the model, the optimizer's state, the epoch,
            the history so far and the random generator's state), to resume training with
            ``io.load_checkpoint(path, model, optimizer)``.
        verbose: print a line for every file written.

    The files carry the epoch (from 0) and the epoch's logs as metadata
    (``io.load_metadata(path)``). After ``fit``: ``best`` and ``best_epoch`` of the monitored
    value, ``best_path`` (the file of the best epoch, with ``save_best_only``) and ``saved``
    (every path written in the run, in order).

    >>> cb = ModelCheckpoint("model-{epoch:02d}-{val_loss:.3f}.safetensors")
    >>> str(cb.format_path(4, {"loss": 0.31, "val_loss": 0.4567}))
    'model-05-0.457.safetensors'
    """

    def __init__(
        self,
        filepath: str | os.PathLike,
        monitor: str = "val_loss",
        *,
        save_best_only: bool = False,
        mode: str = "auto",
        save_weights_only: bool = False,
        save_optimizer: bool = False,
        verbose: bool = False,
    ) -> None:
        if save_weights_only and save_optimizer:
            raise ValueError(
                "ModelCheckpoint · expected at most one of save_weights_only and save_optimizer "
                "· got both · save_optimizer=True writes a full training checkpoint; "
                "save_weights_only=True writes the weights alone"
            )
        self.filepath = os.fspath(filepath)
        self._monitor = Monitor("ModelCheckpoint", monitor, mode)
        self.monitor, self.mode = monitor, self._monitor.mode
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_optimizer = save_optimizer
        self.verbose = verbose
        self.on_train_begin()

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.best: float | None = None
        self.best_epoch: int | None = None
        self.best_path: Path | None = None
        self.saved: list[Path] = []

    def format_path(self, epoch: int, logs: Logs) -> Path:
        """The file name for ``epoch`` (from 0; written as ``epoch + 1``) and its logs."""
        try:
            return Path(self.filepath.format(epoch=epoch + 1, **logs))
        except (KeyError, IndexError) as exc:
            keys = ", ".join(["epoch", *logs])
            raise KeyError(
                f"ModelCheckpoint(filepath={self.filepath!r}) · every {{name}} in the file name "
                f"must be 'epoch' or a log key · {exc} is not one · available: {keys}"
            ) from None

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if self.save_best_only:
            current = self._monitor.get(logs, epoch)
            if current is None or not self._monitor.is_improvement(current, self.best):
                return
            self.best, self.best_epoch = current, epoch
        path = self.format_path(epoch, logs)
        self._save(path, epoch, logs)
        if self.save_best_only:
            self.best_path = path
        self.saved.append(path)
        if self.verbose:
            print(f"Epoch {epoch + 1}: saved {path}")

    def _save(self, path: Path, epoch: int, logs: Logs) -> None:
        from ... import io  # io sits below train in DESIGN's layer list: imported on first save

        metadata = {"epoch": str(epoch), **{key: repr(float(v)) for key, v in logs.items()}}
        if self.save_optimizer:
            history = self._history_so_far(epoch, logs)
            io.save_checkpoint(path, self.model, self.optimizer, epoch=epoch, history=history,
                               extra={"logs": {k: float(v) for k, v in logs.items()}})  # fmt: skip
        elif self.save_weights_only:
            io.save_weights(self.model, path, metadata=metadata)
        else:
            io.save(self.model, path, metadata=metadata)

    def _history_so_far(self, epoch: int, logs: Logs) -> dict[str, list[float]]:
        """The run's history including this epoch (History, attached last, has not seen it)."""
        recorded = getattr(self.context, "history", None)
        past = {} if recorded is None else recorded.history
        done = [] if recorded is None else recorded.epoch
        if done and done[-1] == epoch:
            return {key: list(values) for key, values in past.items()}
        keys = dict.fromkeys([*past, *logs])
        return {
            key: [*past.get(key, [math.nan] * len(done)), float(logs.get(key, math.nan))]
            for key in keys
        }

    def __repr__(self) -> str:
        return (
            f"ModelCheckpoint({self.filepath!r}, monitor={self.monitor!r}, "
            f"save_best_only={self.save_best_only}, save_weights_only={self.save_weights_only})"
        )
