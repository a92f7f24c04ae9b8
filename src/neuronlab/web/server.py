"""Serving the lab with uvicorn: a free port, loopback by default, a clean Ctrl-C.

``serve`` is what ``neuronlab lab`` calls; ``serve_in_thread`` starts the same server in a
background thread (the browser tests use it).
"""

from __future__ import annotations

import errno
import socket
import threading
import time
from collections.abc import Callable

import uvicorn

from .app import create_app
from .runs import WEB_LIMITS

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "LabServer", "find_port", "serve", "serve_in_thread"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def find_port(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, tries: int = 20) -> socket.socket:
    """A listening-ready socket on ``port``, else the next free one, else any free port."""
    for candidate in [*range(port, port + tries), 0] if port else [0]:
        try:
            return _bind(host, candidate)
        except OSError as e:
            if e.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
    raise OSError(f"no free port found on {host} from {port} to {port + tries - 1}")


def url_for(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


class LabServer:
    """A uvicorn server on an already bound socket."""

    def __init__(self, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, log_level="warning"):
        self.sock = find_port(host, port)
        self.host = host
        self.port = self.sock.getsockname()[1]
        self.url = url_for(host, self.port)
        self.app = create_app(host, self.port)
        config = uvicorn.Config(
            self.app, log_level=log_level, lifespan="off", ws_max_size=WEB_LIMITS.max_body_bytes
        )
        self.server = uvicorn.Server(config)

    def run(self) -> None:
        """Serve until ``stop()`` or Ctrl-C; live runs are stopped on the way out."""
        try:
            self.server.run(sockets=[self.sock])
        finally:
            self.app.state.runs.stop_all()
            self.sock.close()

    def stop(self) -> None:
        self.server.should_exit = True


def _one_blas_thread() -> None:
    """The lab trains small networks in several worker threads at once; BLAS's own threads only
    wait on each other for matrices that small (several times slower on two cores), so each
    product runs on one thread. threadpoolctl comes with scikit-learn, in the lab's extras."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=1, user_api="blas")


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    on_ready: Callable[[str], None] | None = None,
    log_level: str = "warning",
) -> None:
    """Run the lab in this thread until Ctrl-C; ``on_ready(url)`` is called once it listens."""
    _one_blas_thread()
    lab = LabServer(host, port, log_level)
    if on_ready is not None:

        def announce():
            while not lab.server.started and not lab.server.should_exit:
                time.sleep(0.02)
            if lab.server.started:
                on_ready(lab.url)

        threading.Thread(target=announce, daemon=True).start()
    lab.run()


def serve_in_thread(host: str = DEFAULT_HOST, port: int = 0) -> LabServer:
    """Start the lab in a daemon thread and wait until it accepts connections."""
    lab = LabServer(host, port)
    thread = threading.Thread(target=lab.run, name="neuronlab-lab", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not lab.server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the lab server did not start within 10 s")
        time.sleep(0.02)
    lab.thread = thread
    return lab
