"""The start page's route: ``GET /api/start`` -> the text and the map of the tour (JSON)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from ..tour.start import start_page


async def start(request: Request) -> JSONResponse:
    return JSONResponse(await run_in_threadpool(start_page))
