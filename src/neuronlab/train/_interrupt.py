"""Ctrl-C during training: never cut an optimizer step in half.

Pressing Ctrl-C makes Python raise ``KeyboardInterrupt`` wherever the program happens to be,
possibly in the middle of ``optimizer.step()``, when some parameters have been updated and others
not. While ``fit`` runs (in the main thread) an :class:`InterruptGuard` handles SIGINT instead:
inside a ``deferred()`` block the first Ctrl-C is only noted, and ``KeyboardInterrupt`` is raised
as the block ends, after the step; elsewhere it is raised at once. A second Ctrl-C during a step
interrupts immediately, for a step that hangs. ``fit`` catches the ``KeyboardInterrupt``, ends
training cleanly and returns the history.

In other threads (a web worker) Python delivers no signals, so the guard does nothing.

>>> guard = InterruptGuard()
>>> try:
...     with guard, guard.deferred():
...         guard._handle(signal.SIGINT, None)  # what Ctrl-C does inside: noted, not raised
...         done = "the whole step"
... except KeyboardInterrupt:
...     print("KeyboardInterrupt, raised after", done)
KeyboardInterrupt, raised after the whole step
"""

from __future__ import annotations

import signal
import threading
from typing import Any

__all__ = ["InterruptGuard"]


class InterruptGuard:
    """Install a SIGINT handler for the duration of a ``with`` block; see the module docstring."""

    def __init__(self) -> None:
        self._in_step = False
        self._pending = False
        self._previous: Any = None
        self._installed = False
        self._deferred = _Deferred(self)

    def __enter__(self) -> InterruptGuard:
        in_main = threading.current_thread() is threading.main_thread()
        # only take over the default handler: a program that set its own (or ignores SIGINT)
        # keeps it
        if in_main and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._in_step = self._pending = False
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)
            self._installed = False

    def _handle(self, signum: int, frame: Any) -> None:
        if self._in_step and not self._pending:
            self._pending = True  # finish the step first
            return
        # Noted as well as raised: a KeyboardInterrupt raised while Python runs a finalizer (a
        # __del__, a weakref callback) is printed and dropped, and the next step raises it again.
        self._pending = True
        raise KeyboardInterrupt

    def deferred(self) -> _Deferred:
        """A block that Ctrl-C does not cut: the interrupt is raised when the block ends."""
        return self._deferred


class _Deferred:
    """The ``with`` block of :meth:`InterruptGuard.deferred` (a class, not a generator-based
    context manager: it runs once per training step, so it is kept cheap)."""

    def __init__(self, guard: InterruptGuard) -> None:
        self.guard = guard

    def __enter__(self) -> None:
        guard = self.guard
        if guard._pending:  # a Ctrl-C whose KeyboardInterrupt Python dropped (see _handle)
            guard._pending = False
            raise KeyboardInterrupt
        guard._in_step = True

    def __exit__(self, *exc_info: Any) -> None:
        guard = self.guard
        guard._in_step = False
        if guard._pending:
            guard._pending = False
            raise KeyboardInterrupt
