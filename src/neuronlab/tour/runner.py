"""The one runner behind the web and the terminal: quick experiments, live runs, claims.

>>> from neuronlab.tour import run_experiment
>>> out = run_experiment("neuron", "neuron_output", {"x1": 1.0, "x2": 0.0, "w1": 2.0, "b": 0.5})
>>> out["z"], out["activation"]
(2.5, 'sigmoid')
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .chapter import Experiment
from .frames import to_jsonable
from .registry import get_chapter
from .schema import ParamError

__all__ = [
    "LIMITS",
    "ClaimResult",
    "Limits",
    "RunContext",
    "check_claims",
    "find_experiment",
    "run_experiment",
    "run_headless",
    "step_limit",
]


@dataclass
class Limits:
    """Caps every run shares, whatever an experiment asks for."""

    max_steps: int = 1_000_000
    max_seconds: float = 600.0
    idle_seconds: float = 600.0
    max_model_params: int = 200_000


LIMITS = Limits()


class RunContext:
    """What a live generator sees: current parameters, updates, and whether a frame is wanted."""

    def __init__(self, params: dict[str, Any], max_steps: int):
        self.params = dict(params)
        self.step = 0
        self.max_steps = max_steps
        self._updates: dict[str, Any] = {}
        self._edits: list[dict[str, Any]] = []
        self._want = True
        self.realtime = False  # True in the lab (a person watches): pace with ctx.pace()
        self._next_time: float | None = None

    def pace(self, steps_per_second: float) -> None:
        """In the lab, sleep so that steps go at most this fast; a no-op in headless runs."""
        if not self.realtime or steps_per_second <= 0:
            return
        now = time.monotonic()
        if self._next_time is None or self._next_time < now - 0.25:
            self._next_time = now
        self._next_time += 1.0 / steps_per_second
        if self._next_time > now:
            time.sleep(self._next_time - now)

    @property
    def frame_wanted(self) -> bool:
        """True when a frame yielded now will be shown (build frames only then)."""
        return self._want

    def updates(self) -> dict[str, Any]:
        """The parameters changed since the last call (and forget them)."""
        out, self._updates = self._updates, {}
        return out

    def apply_updates(self, values: dict[str, Any]) -> None:
        self.params.update(values)
        self._updates.update(values)

    def edits(self) -> list[dict[str, Any]]:
        """Hand edits of the running model since the last call (checked by the experiment's
        ``check_edit``), oldest first, and forget them."""
        out, self._edits = self._edits, []
        return out

    def apply_edits(self, edits: list[dict[str, Any]]) -> None:
        self._edits.extend(edits)

    def check_model_size(self, n_params: int) -> None:
        """Refuse models above the lab's size cap with a clear message."""
        cap = LIMITS.max_model_params
        if n_params > cap:
            raise ParamError(
                f"this network would have {n_params:,} weights; the lab allows at most {cap:,}. "
                "Use fewer layers or fewer neurons per layer",
                None,
            )


def find_experiment(chapter_id: str, name: str) -> Experiment:
    """The experiment ``name`` of chapter ``chapter_id`` (``KeyError`` if either is unknown)."""
    return get_chapter(chapter_id).experiment(name)


def run_experiment(chapter_id: str, name: str, params: dict[str, Any] | None = None) -> Any:
    """Validate ``params`` and run a quick experiment; returns plain JSON-able data."""
    exp = find_experiment(chapter_id, name)
    if exp.kind != "quick":
        raise ParamError(
            f"experiment '{exp.who}' is a live run; stream it (the lab's WebSocket "
            "or run_headless) instead of running it once"
        )
    return to_jsonable(exp.run(**exp.validate(params)))


def step_limit(exp: Experiment, requested: int | None = None) -> int:
    """The most steps a live run of ``exp`` may take: the experiment's cap, the lab's cap and
    what the caller asked for (``None``: no wish of its own), at least 1. The one place step
    limits are computed, for headless runs and live runs alike."""
    limit = min(exp.max_steps, LIMITS.max_steps)
    if requested:
        limit = min(limit, requested)
    return max(1, limit)


def run_headless(
    chapter_id: str,
    name: str,
    params: dict[str, Any] | None = None,
    *,
    every: int = 1,
    max_steps: int | None = None,
    on_frame: Callable[[int, dict], None] | None = None,
) -> list[dict]:
    """Drive a live experiment to its end in this thread; return the frames it yielded.

    A frame is wanted every ``every`` steps and at the last step the limits allow;
    ``on_frame(step, frame)`` is called for each (the terminal draws its progress bar there).
    """
    exp = find_experiment(chapter_id, name)
    if exp.kind != "live":
        raise ParamError(f"experiment '{exp.who}' is quick; use run_experiment")
    values = exp.validate(params)
    limit = step_limit(exp, max_steps)
    ctx = RunContext(values, limit)
    gen = exp.stream(ctx, **values)
    frames: list[dict] = []
    deadline = time.monotonic() + min(exp.max_seconds, LIMITS.max_seconds)
    try:
        while ctx.step < limit and time.monotonic() < deadline:
            ctx._want = ctx.step % max(1, every) == 0 or ctx.step == limit - 1
            try:
                item = next(gen)
            except StopIteration:
                break
            ctx.step += 1
            if item is not None:
                frame = to_jsonable(item)
                frames.append(frame)
                if on_frame is not None:
                    on_frame(ctx.step, frame)
    finally:
        gen.close()
    return frames


@dataclass
class ClaimResult:
    id: str
    text: str
    passed: bool
    detail: str
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "passed": self.passed,
            "detail": self.detail,
            "seconds": round(self.seconds, 3),
        }


def check_claim(chapter_id: str, claim_id: str, tiny: bool = True) -> ClaimResult:
    """Run one claim's experiment and its check; an exception is a failed claim."""
    chapter = get_chapter(chapter_id)
    claim = chapter.claim(claim_id)
    exp = chapter.experiment(claim.experiment)
    params = {**claim.params, **(claim.tiny if tiny else {})}
    start = time.perf_counter()
    try:
        if exp.kind == "quick":
            result = run_experiment(chapter_id, exp.name, params)
        else:
            result = run_headless(chapter_id, exp.name, params, every=claim.every)
        passed, detail = claim.check(result)
        passed = bool(passed)
    except Exception as error:  # noqa: BLE001 - report, never crash the checker
        passed, detail = False, f"the check raised {type(error).__name__}: {error}"
    return ClaimResult(claim.id, claim.text, passed, str(detail), time.perf_counter() - start)


def check_claims(chapter_id: str, tiny: bool = True) -> list[ClaimResult]:
    """Check every claim of a chapter (``tiny``: at the small sizes tests use)."""
    return [check_claim(chapter_id, c.id, tiny) for c in get_chapter(chapter_id).claims]
