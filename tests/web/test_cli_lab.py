"""``neuronlab lab --no-browser``: starts on a free port, serves the shell, stops on Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

pytestmark = pytest.mark.slow


def _lab(*args: str, browser: bool = False, env: dict | None = None) -> subprocess.Popen:
    flags = [] if browser else ["--no-browser"]
    return subprocess.Popen(
        [sys.executable, "-m", "neuronlab.cli", "lab", *flags, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _url(proc: subprocess.Popen, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if "running at" in line:
            return line.split("running at ")[1].split()[0]
        if proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(f"the lab did not start: {proc.stderr.read()}")


def test_lab_picks_a_free_port_serves_and_stops_cleanly():
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    taken = busy.getsockname()[1]
    proc = _lab("--port", str(taken))
    try:
        url = _url(proc)
        assert url.startswith("http://127.0.0.1:") and url != f"http://127.0.0.1:{taken}/"
        r = httpx.get(url, timeout=5)
        assert r.status_code == 200 and "neuronlab" in r.text
        assert httpx.get(url + "api/chapters", timeout=5).json()[0]["id"] == "neuron"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
        assert proc.returncode == 0, err
        assert "stopped" in out
    finally:
        busy.close()
        if proc.poll() is None:
            proc.kill()


def test_bad_port_is_a_usage_error():
    proc = _lab("--port", "70000")
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 2 and "--port expects a number from 0 to 65535" in err


def test_lab_says_so_when_no_browser_opens():
    """Where no browser can start (here: a browser command that fails), the lab prints the
    address to open by hand instead of staying silent."""
    env = {**os.environ, "BROWSER": "false"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    proc = _lab("--port", "0", browser=True, env=env)
    try:
        lines: queue.Queue = queue.Queue()  # read in a thread: never block on a silent lab
        threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
        first = lines.get(timeout=60)
        assert "running at" in first, first
        url = first.split("running at ")[1].split()[0]
        said = lines.get(timeout=60).strip()
        assert said == f"No browser could be opened here: open {url} yourself."
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
