"""The lab's Starlette app: the shell, static files, JSON routes and the live-run WebSocket.

The server is thin: every route calls ``neuronlab.tour``. Routes and JSON shapes are described in
``docs/lab-architecture.md`` (section B).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from .. import tour
from ..tour.glossary import link_terms
from ..tour.markdown import to_html
from ..tour.registry import neighbours
from ..tour.runner import CancellableCall, QuickRun
from .runs import WEB_LIMITS, RunManager, live_socket
from .security import RequestGuard, allowed_hosts
from .start import start

__all__ = ["STATIC", "create_app"]

STATIC = Path(__file__).parent / "static"


def error(message: str, status: int, param: str | None = None) -> JSONResponse:
    body = {"error": message}
    if param:
        body["param"] = param
    return JSONResponse(body, status_code=status)


def _chapter_or_404(chapter_id: str):
    try:
        return tour.get_chapter(chapter_id), None
    except KeyError as e:
        return None, error(str(e.args[0]), 404)


async def index(request: Request):
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


async def favicon(request: Request):
    return Response(status_code=204)


async def chapters(request: Request):
    return JSONResponse(
        [
            {"id": c.id, "title": c.title, "summary": c.summary, "number": i + 1}
            for i, c in enumerate(tour.list_chapters())
        ]
    )


_html_cache: dict[str, tuple[float, str]] = {}


def chapter_html(chapter) -> str:
    """The chapter's text as HTML (cached until ``text.md`` changes)."""
    path = chapter.folder / "text.md" if chapter.folder else None
    mtime = path.stat().st_mtime if path and path.is_file() else 0.0
    cached = _html_cache.get(chapter.id)
    if cached is None or cached[0] != mtime:
        cached = (mtime, link_terms(to_html(chapter.text())))  # first uses link the glossary
        _html_cache[chapter.id] = cached
    return cached[1]


def chapter_module(chapter_id: str) -> str | None:
    """The URL of the chapter's JS module (``js/chapters/<id>/index.js``), or ``None`` when it
    has none (the text alone is shown)."""
    if (STATIC / "js" / "chapters" / chapter_id / "index.js").is_file():
        return f"/static/js/chapters/{chapter_id}/index.js"
    if (STATIC / "js" / "chapters" / f"{chapter_id}.js").is_file():
        return f"/static/js/chapters/{chapter_id}.js"
    return None


def chapter_stylesheet(chapter_id: str) -> str | None:
    """The URL of the chapter's stylesheet (``css/<id>.css``), or ``None``."""
    if (STATIC / "css" / f"{chapter_id}.css").is_file():
        return f"/static/css/{chapter_id}.css"
    return None


async def chapter(request: Request):
    chap, missing = _chapter_or_404(request.path_params["chapter"])
    if missing:
        return missing
    ids = [c.id for c in tour.list_chapters()]
    prev_id, next_id = neighbours(chap.id)
    return JSONResponse(
        {
            "id": chap.id,
            "title": chap.title,
            "summary": chap.summary,
            "number": ids.index(chap.id) + 1,
            "html": await run_in_threadpool(chapter_html, chap),
            "experiments": [e.to_json() for e in chap.experiments],
            "claims": [c.to_json() for c in chap.claims],
            "prev": prev_id,
            "next": next_id,
            "module": chapter_module(chap.id),
            "stylesheet": chapter_stylesheet(chap.id),
        }
    )


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The request body, read no further than ``limit`` bytes (``None`` past it): a body sent
    without a Content-Length is counted as it arrives, never held whole when too large."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(text: str | bytes):
    """``(value, None)`` for JSON text, or ``(None, why)``: not JSON, nested too deep (Python's
    recursion limit), or a number too long to read."""
    try:
        return json.loads(text), None
    except RecursionError:
        return None, "it is nested too deep"
    except ValueError as e:  # JSONDecodeError, and int() of more than 4,300 digits
        return None, str(e)[:200]


async def _read_json(request: Request):
    """The request body as JSON, or an error response (too large, not JSON)."""
    body = await _read_body(request, WEB_LIMITS.max_body_bytes)
    if body is None:
        return None, error(f"request body over {WEB_LIMITS.max_body_bytes:,} bytes", 413)
    if not body:
        return {}, None
    value, why = parse_json(body)
    if why is not None:
        return None, error(f"the request body is not valid JSON ({why})", 400)
    return value, None


async def run_quick(request: Request):
    chap, missing = _chapter_or_404(request.path_params["chapter"])
    if missing:
        return missing
    try:
        exp = chap.experiment(request.path_params["name"])
    except KeyError as e:
        return error(str(e.args[0]), 404)
    if exp.kind != "quick":
        return error(
            f"experiment '{exp.who}' is a live run: open the WebSocket "
            f"/api/chapters/{chap.id}/live/{exp.name} instead",
            400,
        )
    body, bad = await _read_json(request)
    if bad:
        return bad
    if not isinstance(body, dict):
        return error('expected a JSON object like {"params": {...}}', 400)
    manager: RunManager = request.app.state.runs
    if not manager.quick_slot():
        return error(
            f"too many experiments at once (at most {WEB_LIMITS.max_quick}); try again", 429
        )
    try:
        return await _quick(request, chap.id, exp.name, body.get("params"))
    finally:
        manager.quick_done()


async def _quick(request: Request, chapter_id: str, name: str, params) -> JSONResponse:
    """Run a quick experiment in its own thread (see :func:`_finish`)."""
    loop = asyncio.get_running_loop()
    finished = asyncio.Event()
    try:
        run = QuickRun(
            chapter_id,
            name,
            params,
            max_seconds=WEB_LIMITS.quick_seconds,
            on_done=lambda: loop.call_soon_threadsafe(finished.set),
        )
    except tour.ParamError as e:
        return error(str(e), 400, e.param)
    bad = await _finish(request, run, finished)
    if bad:
        return bad
    return JSONResponse({"result": run.result, "seconds": round(time.monotonic() - run.started, 4)})


async def _finish(
    request: Request, call: CancellableCall, finished: asyncio.Event
) -> JSONResponse | None:
    """Wait for ``call``; stop it when its time is up or its client leaves (the caller gives
    its slot back only once the work has really stopped). An error response, or ``None``."""
    try:
        while not call.done:
            left = call.max_seconds - (time.monotonic() - call.started)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(finished.wait(), min(0.25, max(0.005, left)))
            if call.done:
                break
            if call.overdue:
                call.cancel("time")
            elif await request.is_disconnected():
                call.cancel("client gone")
            if call.reason:
                break
    finally:
        if not call.done:  # the handler itself was cancelled (server shutdown)
            call.cancel("server")
        await run_in_threadpool(call.wait)
    if call.error is not None:
        if isinstance(call.error, tour.ParamError):
            return error(str(call.error), 400, call.error.param)
        raise call.error
    if call.reason is not None and call.result is None:
        return error(
            f"'{call.who}' was stopped after {call.max_seconds:g} s, the lab's limit for one "
            "experiment; try fewer steps or fewer points",
            400,
        )
    return None


async def check_claim(request: Request):
    chap, missing = _chapter_or_404(request.path_params["chapter"])
    if missing:
        return missing
    claim_id = request.path_params["claim"]
    try:
        chap.claim(claim_id)
    except KeyError as e:
        return error(str(e.args[0]), 404)
    manager: RunManager = request.app.state.runs
    if not manager.quick_slot():
        return error(f"too many checks at once (at most {WEB_LIMITS.max_quick}); try again", 429)
    loop = asyncio.get_running_loop()
    finished = asyncio.Event()
    try:
        call = CancellableCall(
            lambda: tour.check_claim(chap.id, claim_id, False),
            f"{chap.id}/{claim_id}",
            WEB_LIMITS.quick_seconds,
            on_done=lambda: loop.call_soon_threadsafe(finished.set),
        )
        bad = await _finish(request, call, finished)
    finally:
        manager.quick_done()
    return bad or JSONResponse(call.result.to_json())


async def not_found(request: Request, exc):
    return error(f"nothing at {request.url.path}", 404)


def create_app(host: str = "127.0.0.1", port: int | None = None) -> Starlette:
    """The lab as an ASGI app (``uvicorn`` serves it; tests use Starlette's TestClient).

    ``host`` and ``port``: where the server listens; only requests addressed to those names
    are served (see :mod:`neuronlab.web.security`; ``port=None``: any port).
    """
    routes = [
        Route("/", index),
        Route("/favicon.ico", favicon),
        Route("/api/start", start),
        Route("/api/chapters", chapters),
        Route("/api/chapters/{chapter}", chapter),
        Route("/api/chapters/{chapter}/experiments/{name}", run_quick, methods=["POST"]),
        Route("/api/chapters/{chapter}/claims/{claim}", check_claim, methods=["POST"]),
        WebSocketRoute("/api/chapters/{chapter}/live/{name}", live_socket),
        Mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static"),
    ]
    guard = Middleware(
        RequestGuard,
        allowed=allowed_hosts(host, port),
        max_body=WEB_LIMITS.max_body_bytes,
    )
    app = Starlette(routes=routes, middleware=[guard], exception_handlers={404: not_found})
    app.state.runs = RunManager()
    return app
