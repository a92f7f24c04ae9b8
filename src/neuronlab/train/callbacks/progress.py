"""``ProgressBar``: show training as it happens, with ``rich``.

On a terminal: two live bars, one for the epochs and one for the steps of the current epoch, each
with its elapsed time and ETA, the running loss and metrics beside the step bar, and one summary
line printed above the bars as each epoch ends. Elsewhere (a pipe, a log file, CI, pytest's
capture) there is no live display: just the summary line of each epoch, so logs stay readable.
``fit(verbose=True)`` attaches one; ``verbose=False`` shows nothing.

>>> bar = ProgressBar(mode="lines")
>>> bar.set_params({"epochs": 3, "steps": 10})
>>> bar.on_train_begin()
>>> bar.on_epoch_begin(0)
>>> bar.on_epoch_end(0, {"loss": 0.6931, "accuracy": 0.5, "val_loss": 0.7})  # doctest: +ELLIPSIS
Epoch 1/3 - ...s - loss: 0.6931 - accuracy: 0.5000 - val_loss: 0.7000
>>> bar.on_train_end()
"""

from __future__ import annotations

import time
from typing import Any

from .base import Callback, Logs

__all__ = ["ProgressBar", "format_logs"]


def _number(value: float) -> str:
    value = float(value)
    if value == 0 or 1e-3 <= abs(value) < 1e5 or value != value or abs(value) == float("inf"):
        return f"{value:.4f}"
    return f"{value:.3e}"  # tiny lrs and huge losses stay readable


def format_logs(logs: Logs | None, separator: str = " - ") -> str:
    """``'loss: 0.1234 - accuracy: 0.9500'``: the logs as text, in their order.

    >>> format_logs({"loss": 0.12345, "lr": 1e-5})
    'loss: 0.1235 - lr: 1.000e-05'
    """
    return separator.join(f"{key}: {_number(value)}" for key, value in (logs or {}).items())


class ProgressBar(Callback):
    """Live progress bars on a terminal, one line per epoch elsewhere.

    Args:
        console: the ``rich.console.Console`` to draw on (default: a new one on stdout). Pass
            ``Console(file=..., force_terminal=True)`` to draw bars into any stream.
        mode: ``'auto'`` (bars if the console is a terminal, else lines), ``'bar'`` or
            ``'lines'``.
        refresh_per_second: how often the bars are redrawn at most.
    """

    def __init__(
        self, console: Any = None, *, mode: str = "auto", refresh_per_second: float = 10.0
    ) -> None:
        if mode not in ("auto", "bar", "lines"):
            raise ValueError(
                f"ProgressBar(mode=...) · expected 'auto', 'bar' or 'lines' · got {mode!r} · "
                "'auto' draws bars on a terminal and prints one line per epoch elsewhere"
            )
        self.console = console
        self.mode = mode
        self.refresh_interval = 1.0 / refresh_per_second
        self._progress: Any = None

    # ----- hooks -----------------------------------------------------------------------------
    def on_train_begin(self, logs: Logs | None = None) -> None:
        from rich.console import Console

        self.close()
        console = self.console if self.console is not None else Console()
        self._console = console
        self._epochs = self.params.get("epochs")
        self._steps = self.params.get("steps")
        if self.mode == "bar" or (self.mode == "auto" and console.is_terminal):
            self._start_bars(console)

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._epoch_start = time.perf_counter()
        self._last_draw = 0.0
        if self._progress is not None:
            description = f"Epoch {epoch + 1}/{self._epochs}"
            self._progress.reset(self._step_task, total=self._steps, description=description)
            self._progress.update(self._step_task, logs="")
            self._progress.refresh()

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        if self._progress is None:
            return
        self._progress.update(self._step_task, completed=batch + 1, logs=format_logs(logs))
        now = time.perf_counter()
        if now - self._last_draw >= self.refresh_interval or batch + 1 == self._steps:
            self._progress.refresh()
            self._last_draw = now

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        seconds = time.perf_counter() - self._epoch_start
        line = f"Epoch {epoch + 1}/{self._epochs} - {seconds:.1f}s - {format_logs(logs)}"
        if self._progress is not None:
            self._progress.console.print(line, soft_wrap=True, highlight=False, markup=False)
            self._progress.update(self._epoch_task, completed=epoch + 1)
            self._progress.refresh()
        else:
            self._console.print(line, soft_wrap=True, highlight=False, markup=False)

    def on_train_end(self, logs: Logs | None = None) -> None:
        self.close()

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    # ----- the live display ------------------------------------------------------------------
    def _start_bars(self, console: Any) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(bar_width=30),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[logs]}"),
            console=console,
            auto_refresh=False,  # redrawn from the hooks, at most refresh_per_second
        )
        self._epoch_task = self._progress.add_task("Training", total=self._epochs, logs="")
        self._step_task = self._progress.add_task("Epoch 1", total=self._steps, logs="")
        self._progress.start()
