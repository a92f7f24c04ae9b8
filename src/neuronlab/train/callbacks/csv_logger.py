"""``CSVLogger``: write one row per epoch to a CSV file, flushed to disk as it goes.

The header is ``epoch`` followed by the keys of the first epoch's logs, in their order (``loss``,
metrics, ``val_`` keys, ``lr``); a key missing in a later epoch is written as ``NA``. Each row is
flushed and synced when its epoch ends, so an interrupted run leaves every finished epoch on disk,
and the file is complete once ``fit`` returns.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
>>> logger = CSVLogger(path)
>>> logger.on_train_begin()
>>> logger.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.75})
>>> logger.on_train_end()
>>> print(open(path).read().strip())
epoch,loss,val_loss
0,0.5,0.75
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import IO

from .base import Callback, Logs

__all__ = ["CSVLogger"]


class CSVLogger(Callback):
    """Stream the epoch logs to ``filename`` as CSV.

    Args:
        filename: the CSV file (its folder must exist).
        separator: the column separator.
        append: add rows to an existing file (keeping its header) instead of replacing it.
    """

    def __init__(self, filename: str | os.PathLike, separator: str = ",", append: bool = False):
        self.filename = Path(filename)
        self.separator = separator
        self.append = append
        self.keys: list[str] | None = None
        self._file: IO[str] | None = None
        self._writer = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.close()
        self.keys = None
        if not self.filename.parent.is_dir():
            raise FileNotFoundError(
                f"CSVLogger · expected an existing folder for {str(self.filename)!r} · "
                f"{str(self.filename.parent)!r} does not exist · create it first "
                "(Path(...).mkdir(parents=True, exist_ok=True))"
            )
        header = self._existing_header() if self.append else None
        if header:
            self.keys = header[1:]
        self._file = open(self.filename, "a" if header else "w", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._file, delimiter=self.separator)

    def _existing_header(self) -> list[str] | None:
        if not self.filename.is_file() or self.filename.stat().st_size == 0:
            return None
        with open(self.filename, newline="") as f:
            return next(csv.reader(f, delimiter=self.separator), None)

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if self._writer is None:
            self.on_train_begin()
        if self.keys is None:
            self.keys = list(logs)
            self._writer.writerow(["epoch", *self.keys])
        row = [epoch] + [repr(float(logs[k])) if k in logs else "NA" for k in self.keys]
        self._writer.writerow(row)
        self._file.flush()
        os.fsync(self._file.fileno())

    def on_train_end(self, logs: Logs | None = None) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file, self._writer = None, None
