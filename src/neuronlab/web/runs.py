"""Live runs over a WebSocket: caps, the protocol, and cancellation when the page goes away.

One socket = one run. The run's generator works in a worker thread (``tour.live.LiveRun``) and
writes frames into a single latest-frame slot; this module sends the slot's frame only after
the client acked the previous one, so stale frames are dropped, never queued. Protocol:
``docs/lab-architecture.md`` section B.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from dataclasses import dataclass

from starlette import websockets
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from .. import tour
from ..tour.live import LiveRun

__all__ = ["WEB_LIMITS", "RunManager", "WebLimits", "live_socket"]


@dataclass
class WebLimits:
    max_live: int = 4
    max_quick: int = 4
    max_body_bytes: int = 1_000_000
    start_timeout: float = 30.0
    quick_seconds: float = 30.0  # a quick experiment is stopped (and refused) after this long


WEB_LIMITS = WebLimits()


class RunManager:
    """Counts live runs and quick calls against the caps (thread-safe)."""

    def __init__(self, limits: WebLimits = WEB_LIMITS):
        self.limits = limits
        self._lock = threading.Lock()
        self.live: dict[str, LiveRun] = {}
        self._quick = 0
        self._live_slots = 0

    def quick_slot(self) -> bool:
        with self._lock:
            if self._quick >= self.limits.max_quick:
                return False
            self._quick += 1
            return True

    def quick_done(self) -> None:
        with self._lock:
            self._quick -= 1

    def reserve_live(self) -> bool:
        """Take one of the live-run slots (``False`` when all are taken)."""
        with self._lock:
            if self._live_slots >= self.limits.max_live:
                return False
            self._live_slots += 1
            return True

    def register(self, run: LiveRun) -> None:
        with self._lock:
            self.live[run.id] = run

    def release(self, run: LiveRun | None) -> None:
        """Give back a slot taken by :meth:`reserve_live` (and forget its run)."""
        with self._lock:
            self._live_slots -= 1
            if run is not None:
                self.live.pop(run.id, None)

    def stop_all(self) -> None:
        with self._lock:
            runs = list(self.live.values())
        for run in runs:
            run.stop()


# ----- hostile or vanishing clients ---------------------------------------------------------------
# A socket can go away between any two awaits; Starlette says so with either of these.
DISCONNECTED = (WebSocketDisconnect, getattr(websockets, "WebSocketDisconnected", RuntimeError))


def close_reason(message: str) -> str:
    """``message`` cut to the 123 bytes a WebSocket close frame can carry."""
    return message.encode("utf-8")[:120].decode("utf-8", "ignore")


async def receive_text(ws: WebSocket) -> str:
    """The next text message. A binary frame or a message over the size limit closes the
    socket with a reason (1003, 1009); a client that left raises ``WebSocketDisconnect``."""
    message = await ws.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
    text = message.get("text")
    if text is None:
        problem, code = "binary frames are not understood; send JSON text messages", 1003
    elif len(text) > WEB_LIMITS.max_body_bytes:
        problem, code = f"messages over {WEB_LIMITS.max_body_bytes:,} bytes are refused", 1009
    else:
        return text
    with contextlib.suppress(*DISCONNECTED):
        await _send(ws, {"type": "error", "error": problem})
        await ws.close(code=code, reason=close_reason(problem))
    raise WebSocketDisconnect(code, problem)


async def _send(ws: WebSocket, message: dict) -> None:
    await ws.send_text(json.dumps(message, separators=(",", ":")))


async def _refuse(ws: WebSocket, message: str, code: int = 1008, param=None) -> None:
    body = {"type": "error", "error": message}
    if param:
        body["param"] = param
    await _send(ws, body)
    await ws.close(code=code, reason=close_reason(message))


async def _start_message(ws: WebSocket):
    """The first message, which must be ``{"type": "start", ...}``; ``None`` after a refusal."""
    try:
        text = await asyncio.wait_for(receive_text(ws), WEB_LIMITS.start_timeout)
        msg = json.loads(text)
    except asyncio.TimeoutError:
        await _refuse(ws, 'no start message received; send {"type": "start", "params": {}}')
        return None
    except RecursionError:
        await _refuse(ws, "messages must be JSON objects (this one is nested too deep)")
        return None
    except ValueError as e:
        await _refuse(ws, f"messages must be JSON objects ({e})")
        return None
    if not isinstance(msg, dict) or msg.get("type") != "start":
        await _refuse(ws, 'the first message must be {"type": "start", "params": {...}}')
        return None
    return msg


async def _pump(ws: WebSocket, run: LiveRun, wake: asyncio.Event) -> None:
    """Send frames (one in flight) and events until the run ends."""
    while True:
        await wake.wait()
        wake.clear()
        ended = run.done
        frame = run.take_frame(force=ended)
        events = run.take_events()
        if frame is not None:
            seq, step, data = frame
            await _send(ws, {"type": "frame", "seq": seq, "step": step, "data": data})
        for event in events:
            await _send(ws, event)
            if event["type"] == "end":
                return


async def _listen(ws: WebSocket, run: LiveRun, wake: asyncio.Event) -> None:
    """Apply control messages until the client goes away."""
    while True:
        text = await receive_text(ws)
        try:
            msg = json.loads(text)
            kind = msg.get("type") if isinstance(msg, dict) else None
        except (ValueError, RecursionError):
            msg, kind = None, None
        if kind == "ack":
            run.ack()
            wake.set()
        elif kind in ("pause", "resume", "step", "stop"):
            getattr(run, kind)()
        elif kind == "edit":  # one weight or bias of the running network, set by hand
            try:  # LiveRun.edit refuses experiments that take no edits, and bad values
                run.edit({k: msg.get(k) for k in ("layer", "to", "from", "value")})
            except (tour.ParamError, ValueError, TypeError) as e:
                await _send(ws, {"type": "error", "error": str(e)})
        elif kind == "update":
            try:
                run.update(msg.get("params"))
            except tour.ParamError as e:
                await _send(ws, {"type": "error", "error": str(e), "param": e.param})
        else:
            await _send(
                ws,
                {
                    "type": "error",
                    "error": f"unknown message {text[:80]!r}; expected a JSON object with type "
                    "ack, pause, resume, step, update, edit or stop",
                },
            )


def _waker(loop: asyncio.AbstractEventLoop, wake: asyncio.Event):
    """A thread-safe ``wake.set`` that does nothing once the loop is closed (server shutdown)."""

    def notify() -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody is listening
            loop.call_soon_threadsafe(wake.set)

    return notify


async def live_socket(ws: WebSocket) -> None:
    """``WS /api/chapters/{chapter}/live/{name}``: one live run for as long as the socket lives.

    A page that goes away (closes, reloads, loses its network) at any moment is normal: the run
    stops and nothing is logged.
    """
    with contextlib.suppress(*DISCONNECTED):
        await _live_session(ws)


async def _live_session(ws: WebSocket) -> None:
    await ws.accept()
    manager: RunManager = ws.app.state.runs
    msg = await _start_message(ws)
    if msg is None:
        return
    try:
        exp = tour.get_chapter(ws.path_params["chapter"]).experiment(ws.path_params["name"])
    except KeyError as e:
        return await _refuse(ws, str(e.args[0]))
    if exp.kind != "live":
        return await _refuse(ws, f"experiment '{exp.who}' is quick: POST it instead")
    try:
        params = exp.validate(msg.get("params"))
    except tour.ParamError as e:
        return await _refuse(ws, str(e), param=e.param)
    if not manager.reserve_live():
        return await _refuse(
            ws,
            f"too many live runs at once (at most {manager.limits.max_live}); "
            "stop one (or close its tab) and try again",
            code=1013,
        )
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()
    run = None
    try:
        run = LiveRun(
            exp,
            params,
            paused=bool(msg.get("paused", False)),
            notify=_waker(loop, wake),
        )
        manager.register(run)
        await _send(
            ws,
            {
                "type": "started",
                "run": run.id,
                "params": params,
                "limits": {"max_steps": run.max_steps, "max_seconds": run.max_seconds},
            },
        )
        pump = asyncio.create_task(_pump(ws, run, wake))
        listen = asyncio.create_task(_listen(ws, run, wake))
        done, pending = await asyncio.wait({pump, listen}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in done:
            if task.exception() and not isinstance(task.exception(), WebSocketDisconnect):
                raise task.exception()
    except WebSocketDisconnect:
        pass
    finally:
        # the page went away or the run ended: the worker stops at its next yield (one step);
        # no await before this point, so a cancelled handler still frees its slot
        if run is not None:
            run.stop()
        manager.release(run)
        if ws.client_state == WebSocketState.CONNECTED:
            with contextlib.suppress(RuntimeError):
                await ws.close()
