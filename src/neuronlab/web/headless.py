"""Headless Chromium for the lab's browser tests and its in-browser benchmark.

Playwright drives Debian's ``chromium`` package (Playwright's own browser downloads are not
needed). The flags keep Chromium from reaching out to the network in the background.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

CHROMIUM = os.environ.get("NEURONLAB_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def headless_chromium(playwright, width: int = 1280, height: int = 800):
    """A headless Chromium context with a fresh profile, removed afterwards.

    Raises RuntimeError naming the fix when the browser is not installed.
    """
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"no Chromium at {CHROMIUM}: install Debian's chromium package (`make system-data` "
            "does) or point NEURONLAB_CHROMIUM at a Chromium binary"
        )
    profile = tempfile.mkdtemp(prefix="neuronlab-chromium-")
    try:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport={"width": width, "height": height},
        )
        try:
            yield context
        finally:
            context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
