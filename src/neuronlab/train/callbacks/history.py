"""``History``: the record of a run, epoch by epoch. ``fit`` always attaches one and returns it.

>>> h = History()
>>> h.on_train_begin()
>>> for epoch, (loss, val_loss) in enumerate([(0.9, 1.0), (0.5, 0.7)]):
...     h.on_epoch_end(epoch, {"loss": loss, "val_loss": val_loss})
>>> h.epoch, h.history["val_loss"]
([0, 1], [1.0, 0.7])
"""

from __future__ import annotations

import csv
import math
import os
import tempfile
from pathlib import Path

from .base import Callback, Logs

__all__ = ["History"]


class History(Callback):
    """Records the logs of every finished epoch.

    Attributes:
        history: ``{key: [value per epoch]}``, e.g. ``history['val_loss'][-1]``. Every list has
            one entry per finished epoch; a key missing in some epoch holds NaN there.
        epoch: the indices (from 0) of the finished epochs.
        interrupted: True when Ctrl-C ended the run (the last epoch then is the last one that
            finished; the partial epoch is not recorded).
        params: the run's settings (``epochs``, ``steps``, ...).
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.interrupted = False

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.history, self.epoch, self.interrupted = {}, [], False

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        for key in logs:
            if key not in self.history:
                self.history[key] = [math.nan] * len(self.epoch)  # a key that appears late
        for key, values in self.history.items():
            values.append(float(logs.get(key, math.nan)))
        self.epoch.append(epoch)

    def on_train_end(self, logs: Logs | None = None) -> None:
        self.interrupted = bool(self.context is not None and self.context.interrupted)

    def to_csv(self, path: str | os.PathLike, *, separator: str = ",") -> Path:
        """Write ``epoch`` and every key as columns, one row per epoch; returns the path.

        The file is written to a temporary name first and then renamed, so it is never seen
        half-written.
        """
        path = Path(path)
        keys = list(self.history)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", newline="") as f:
                writer = csv.writer(f, delimiter=separator)
                writer.writerow(["epoch", *keys])
                for i, epoch in enumerate(self.epoch):
                    writer.writerow([epoch, *(repr(self.history[k][i]) for k in keys)])
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def __repr__(self) -> str:
        keys = ", ".join(self.history) or "no epochs yet"
        state = ", interrupted" if self.interrupted else ""
        return f"History({len(self.epoch)} epochs: {keys}{state})"
