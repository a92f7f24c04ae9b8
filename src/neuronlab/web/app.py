"""The lab's Starlette app: the shell, static files, JSON routes and the live-run WebSocket.

The server is thin: every route calls ``neuronlab.tour``. Routes and JSON shapes are described in
``docs/lab-architecture.md`` (section B).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from .. import tour
from ..tour.glossary import link_terms
from ..tour.markdown import to_html
from ..tour.registry import neighbours
from .runs import WEB_LIMITS, RunManager, live_socket
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


async def _read_json(request: Request):
    """The request body as JSON, or an error response (too large, not JSON)."""
    body = await request.body()
    if len(body) > WEB_LIMITS.max_body_bytes:
        return None, error(f"request body over {WEB_LIMITS.max_body_bytes:,} bytes", 413)
    if not body:
        return {}, None
    try:
        return json.loads(body), None
    except ValueError as e:
        return None, error(f"the request body is not valid JSON ({e})", 400)


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
    start = time.perf_counter()
    try:
        result = await run_in_threadpool(tour.run_experiment, chap.id, exp.name, body.get("params"))
    except tour.ParamError as e:
        return error(str(e), 400, e.param)
    finally:
        manager.quick_done()
    return JSONResponse({"result": result, "seconds": round(time.perf_counter() - start, 4)})


async def check_claim(request: Request):
    chap, missing = _chapter_or_404(request.path_params["chapter"])
    if missing:
        return missing
    try:
        chap.claim(request.path_params["claim"])
    except KeyError as e:
        return error(str(e.args[0]), 404)
    manager: RunManager = request.app.state.runs
    if not manager.quick_slot():
        return error(f"too many checks at once (at most {WEB_LIMITS.max_quick}); try again", 429)
    try:
        result = await run_in_threadpool(
            tour.check_claim, chap.id, request.path_params["claim"], False
        )
    finally:
        manager.quick_done()
    return JSONResponse(result.to_json())


async def not_found(request: Request, exc):
    return error(f"nothing at {request.url.path}", 404)


def create_app() -> Starlette:
    """The lab as an ASGI app (``uvicorn`` serves it; tests use Starlette's TestClient)."""
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
    app = Starlette(routes=routes, exception_handlers={404: not_found})
    app.state.runs = RunManager()
    return app
