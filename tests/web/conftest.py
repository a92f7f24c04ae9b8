"""Shared fixtures for the lab's tests: an API client, a live server, and headless Chromium.

Browser tests use Debian's ``/usr/bin/chromium`` (never a downloaded browser) and skip when it
or playwright is missing. Mark them ``@pytest.mark.slow`` and ``@pytest.mark.browser``.
Screenshots go to ``test-artifacts/web/`` (git-ignored). See docs/lab-architecture.md, C.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "web"


LAB_ORIGIN = "127.0.0.1:8765"  # the lab answers only to the names it was started for


@pytest.fixture
def client():
    """Starlette's TestClient on a fresh app (no network, no browser), addressing the lab as
    a browser on this machine does (``Host: 127.0.0.1:8765``), WebSockets included."""
    from starlette.testclient import TestClient

    from neuronlab.web import create_app

    class LabClient(TestClient):
        def websocket_connect(self, url, *args, **kwargs):
            if url.startswith("/"):
                url = f"ws://{LAB_ORIGIN}{url}"
            return super().websocket_connect(url, *args, **kwargs)

    with LabClient(create_app(), base_url=f"http://{LAB_ORIGIN}") as c:
        yield c


@pytest.fixture(scope="session")
def lab_server():
    """The lab served by uvicorn in a background thread on a free 127.0.0.1 port."""
    from neuronlab.web.server import serve_in_thread

    lab = serve_in_thread()
    yield lab
    lab.stop()
    lab.thread.join(10)


@pytest.fixture(scope="session")
def lab_url(lab_server) -> str:
    return lab_server.url.rstrip("/")


@pytest.fixture(scope="session")
def browser_context():
    """One headless Chromium with a fresh user-data-dir for the whole session."""
    from playwright.sync_api import sync_playwright

    from neuronlab.web.headless import headless_chromium

    with sync_playwright() as pw, headless_chromium(pw) as context:
        yield context


@pytest.fixture
def page(browser_context, lab_url):
    """A fresh page at 1280x800 with empty localStorage; fails on any console error."""
    p = browser_context.new_page()
    p.set_viewport_size({"width": 1280, "height": 800})
    p.goto(lab_url + "/static/css/lab.css")  # same origin, no app running: clear its storage
    p.evaluate("localStorage.clear()")
    p.goto("about:blank")  # so that open_chapter always loads the page afresh
    errors: list[str] = []
    p.on(
        "console",
        lambda msg: (
            errors.append(f"console.{msg.type}: {msg.text}")
            if msg.type in ("error", "warning")
            else None
        ),
    )
    p.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    p.errors = errors
    yield p
    p.close()
    assert not errors, "the page logged errors:\n" + "\n".join(errors)


@pytest.fixture
def open_chapter(page, lab_url):
    """open_chapter(page, id, query="") -> the page once the chapter's module has mounted."""

    def _open(p, chapter_id: str, query: str = ""):
        if p.url.startswith(lab_url):  # same document: make sure we wait for the new mount
            p.evaluate("document.querySelector('main#chapter').dataset.mounted = '0'")
        p.goto(f"{lab_url}/#/{chapter_id}" + (f"?{query}" if query else ""))
        p.wait_for_selector(
            f'main#chapter[data-chapter="{chapter_id}"][data-mounted="1"]', timeout=15_000
        )
        return p

    return _open


@pytest.fixture
def screenshot():
    """screenshot(page, name): a full-page PNG in test-artifacts/web/<name>.png."""

    def _shot(p, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        p.evaluate("window.scrollTo(0, 0)")  # sticky header and map drawn where they belong
        p.wait_for_timeout(100)
        p.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def wait_updates(p, selector: str, more_than: int = 0, timeout: float = 15_000) -> int:
    """Wait until the view at ``selector`` has been updated more than ``more_than`` times."""
    p.wait_for_function(
        "([sel, n]) => { const e = document.querySelector(sel);"
        " return e && Number(e.dataset.updates) > n; }",
        arg=[selector, more_than],
        timeout=timeout,
    )
    return int(p.eval_on_selector(selector, "e => Number(e.dataset.updates)"))


@pytest.fixture
def updates():
    """The ``wait_updates`` helper as a fixture."""
    return wait_updates
