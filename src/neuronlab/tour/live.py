"""A live run: a frame generator driven in a worker thread, controlled from another thread.

The worker calls ``next()`` on the generator; every yield is a step and a control point.
Frames go into a single latest-frame slot (a newer frame replaces an unsent one; nothing is
queued). The consumer (the web socket) takes the slot with :meth:`LiveRun.take_frame` and calls
:meth:`LiveRun.ack` once the client drew it; only then is the next frame wanted. ``notify``
(optional) is called from the worker whenever there is something to take.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from .chapter import Experiment
from .frames import to_jsonable
from .runner import LIMITS, RunContext, step_limit
from .schema import ParamError

__all__ = ["LiveRun"]

_ids = itertools.count(1)


class LiveRun:
    """One live experiment in a worker thread: pause, resume, step, stop, update, ack."""

    def __init__(
        self,
        exp: Experiment,
        params: dict[str, Any],
        *,
        paused: bool = False,
        notify: Callable[[], None] | None = None,
        max_steps: int | None = None,
        max_seconds: float | None = None,
        idle_seconds: float | None = None,
    ):
        self.id = f"run-{next(_ids)}"
        self.exp = exp
        self.max_steps = step_limit(exp, max_steps)
        self.max_seconds = min(max_seconds or exp.max_seconds, exp.max_seconds, LIMITS.max_seconds)
        self.idle_seconds = idle_seconds or LIMITS.idle_seconds
        self.ctx = RunContext(params, self.max_steps)
        self.ctx.realtime = True
        self._notify = notify or (lambda: None)
        self._cond = threading.Condition()
        self._slot: tuple[int, int, Any] | None = None
        self._seq = 0
        self._events: deque[dict] = deque()
        self._client_ready = True
        self._paused = False
        self._pause_after_first = paused
        self._step_requested = False
        self._stop = False
        self._stale = False  # steps ran since the last frame
        self._catchup = False  # the one step taken to refresh the paused picture
        self._pending: dict[str, Any] = {}
        self._edits: list[dict[str, Any]] = []
        self._last_touch = time.monotonic()
        self.state = "running"
        self.end: dict | None = None
        self._thread = threading.Thread(target=self._loop, name=self.id, daemon=True)
        self._thread.start()

    # -- control, from any thread -------------------------------------------------------------
    def _control(self, **changes) -> None:
        with self._cond:
            self._last_touch = time.monotonic()
            for key, value in changes.items():
                setattr(self, key, value)
            self._cond.notify_all()

    def pause(self) -> None:
        self._control(_paused=True)

    def resume(self) -> None:
        self._control(_paused=False, _pause_after_first=False)

    def step(self) -> None:
        """Pause (if running) and advance to the next frame."""
        self._control(_paused=True, _step_requested=True)

    def stop(self) -> None:
        self._control(_stop=True)

    def ack(self) -> None:
        self._control(_client_ready=True)

    def update(self, params: Any) -> dict[str, Any]:
        """Validate and apply live parameters at the next yield; ``ParamError`` if not allowed."""
        values = self.exp.validate_update(params)
        with self._cond:
            self._pending = {**self._pending, **values}
            self._last_touch = time.monotonic()
            self._cond.notify_all()
        return values

    def edit(self, payload: Any) -> dict[str, Any]:
        """Validate a hand edit of the running model (the playground's
        ``{"layer": l, "to": i, "from": j, "value": v}``, ``from`` None for a bias) and apply it
        at the next yield, through ``ctx.edits()``; a paused run shows it in a fresh frame and
        stays paused. ``ParamError`` names what is wrong."""
        if self.exp.check_edit is None:
            raise ParamError(f"experiment '{self.exp.who}' has no weights to edit by hand")
        edit = self.exp.check_edit(self.ctx.params, payload)
        with self._cond:
            self._edits.append(edit)
            self._last_touch = time.monotonic()
            self._cond.notify_all()
        return edit

    # -- consumption ----------------------------------------------------------------------------
    def take_frame(self, force: bool = False) -> tuple[int, int, Any] | None:
        """The newest unsent frame as ``(seq, step, data)``, if the client is ready for one
        (``force``: even if not, e.g. the last frame of a run that ended)."""
        with self._cond:
            if self._slot is None or not (self._client_ready or force):
                return None
            frame, self._slot, self._client_ready = self._slot, None, False
            return frame

    def take_events(self) -> list[dict]:
        with self._cond:
            events = list(self._events)
            self._events.clear()
            return events

    def join(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def done(self) -> bool:
        return self.end is not None

    # -- the worker -----------------------------------------------------------------------------
    def _event(self, event: dict) -> None:
        self._events.append(event)

    def _set_state(self, state: str) -> None:
        if self.state != state:
            self.state = state
            self._event({"type": "state", "state": state, "step": self.ctx.step})
            self._notify()

    def _wait_while_paused(self) -> str | None:
        """Block while paused; the end reason if the run must end, else ``None``."""
        while self._paused and not self._stop and not self._step_requested and not self._edits:
            if self._stale and not self._catchup:
                self._catchup = True
                return None  # one more step so that the paused picture is current
            self._set_state("paused")
            if time.monotonic() - self._last_touch > self.idle_seconds:
                return "idle"
            self._cond.wait(timeout=0.5)
        if self._stop:
            return "stopped"
        if not self._paused:
            self._catchup = False
            self._set_state("running")
        return None

    def _loop(self) -> None:
        ctx = self.ctx
        gen = None
        reason, error, running_time = "done", None, 0.0
        try:
            gen = self.exp.stream(ctx, **ctx.params)
            while True:
                with self._cond:
                    reason_now = "stopped" if self._stop else self._wait_while_paused()
                    if reason_now:
                        reason = reason_now
                        break
                    stepping, self._step_requested = self._step_requested, False
                    if self._pending:
                        ctx.apply_updates(self._pending)
                        self._pending = {}
                    editing = bool(self._edits)
                    if editing:
                        ctx.apply_edits(self._edits)
                        self._edits = []
                    ctx._want = (
                        (self._client_ready and self._slot is None)
                        or stepping
                        or editing
                        or self._paused
                        or ctx.step == self.max_steps - 1
                    )
                started = time.monotonic()
                try:
                    item = next(gen)
                except StopIteration:
                    break
                running_time += time.monotonic() - started
                ctx.step += 1
                with self._cond:
                    if item is not None:
                        self._seq += 1
                        self._slot = (self._seq, ctx.step, to_jsonable(item))
                        self._stale = False
                        if self._pause_after_first:
                            self._paused, self._pause_after_first = True, False
                    else:
                        self._stale = True
                    if stepping:
                        self.state = "paused"
                        self._event({"type": "state", "state": "paused", "step": ctx.step})
                if item is not None or stepping:
                    self._notify()
                if ctx.step >= self.max_steps:
                    reason = "limit-steps"
                    break
                if running_time > self.max_seconds:
                    reason = "limit-seconds"
                    break
        except ParamError as exc:
            reason, error = "error", str(exc)
        except Exception as exc:  # noqa: BLE001 - the run ends with a message, the server lives
            reason, error = "error", f"{type(exc).__name__}: {exc}"
        finally:
            if gen is not None:
                gen.close()
            with self._cond:
                self.state = "ended"
                self.end = {"type": "end", "reason": reason, "step": ctx.step}
                if error:
                    self.end["error"] = error
                self._event(self.end)
            self._notify()
