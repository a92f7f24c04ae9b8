"""A download progress bar: ``rich`` when installed, a plain text fallback otherwise.

Quiet when standard error is not a terminal (tests, CI, pipes), unless forced on.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any

__all__ = ["ProgressBar"]


class ProgressBar:
    """Context manager: ``with ProgressBar("file", total) as bar: bar.advance(n)``.

    Args:
        label: text shown before the bar.
        total: expected number of bytes (``None`` when unknown).
        enabled: ``True``/``False`` to force; ``None`` shows it only on a terminal.
    """

    def __init__(self, label: str, total: int | None, enabled: bool | None = None) -> None:
        self.label = label
        self.total = total
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.done = 0
        self._rich: Any = None
        self._task: Any = None
        self._last_print = 0.0

    def __enter__(self) -> ProgressBar:
        if not self.enabled:
            return self
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )
        except ImportError:
            self._rich = None
            print(f"downloading {self.label} ...", file=sys.stderr, flush=True)
            return self
        self._rich = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._rich.start()
        self._task = self._rich.add_task(self.label, total=self.total)
        return self

    def advance(self, n: int) -> None:
        """Record ``n`` more bytes."""
        self.done += n
        if not self.enabled:
            return
        if self._rich is not None:
            self._rich.update(self._task, advance=n)
            return
        now = time.monotonic()
        if now - self._last_print >= 1.0:
            self._last_print = now
            if self.total:
                pct = 100.0 * self.done / self.total
                print(f"  {self.label}: {pct:5.1f}% of {self.total:,} bytes", file=sys.stderr)
            else:
                print(f"  {self.label}: {self.done:,} bytes", file=sys.stderr)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._rich is not None:
            self._rich.stop()
        elif self.enabled:
            status = "failed" if exc_type else "done"
            print(f"  {self.label}: {status} ({self.done:,} bytes)", file=sys.stderr)
