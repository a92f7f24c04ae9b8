"""What keeps other web pages from driving the lab: the Host, Origin and Content-Type checks.

A page on another site cannot read the lab's answers (no CORS), but without these checks it
could still make the learner's browser *send* requests to it: start runs, burn the CPU. Three
rules, the ones Jupyter and TensorBoard follow:

* **Host**: only the names the server was started for are served (``127.0.0.1``, ``localhost``
  and ``[::1]`` by default, with the server's port), so a DNS-rebinding page whose own name now
  points at 127.0.0.1 gets a 400, not the lab.
* **Origin**: a WebSocket or a state-changing request (POST...) that carries an ``Origin`` must
  come from the lab's own origin; ``Origin: null`` (sandboxed frames, files) is refused too.
  Requests without one (command-line clients, tests) are allowed: browsers always send it there.
* **Content-Type**: a request body must be ``application/json``; a cross-site form can only send
  ``text/plain``, ``multipart/form-data`` or ``application/x-www-form-urlencoded``.

Bodies over the size limit are refused from their ``Content-Length`` before they are read.

>>> allowed = allowed_hosts("127.0.0.1", 8765)
>>> host_allowed("localhost:8765", allowed), host_allowed("evil.example:8765", allowed)
(True, False)
>>> host_allowed("127.0.0.1:9999", allowed)
False
"""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["LOOPBACK_NAMES", "RequestGuard", "allowed_hosts", "host_allowed", "same_origin"]

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _machine_names() -> set[str]:
    """This machine's names and addresses (for a server listening on every interface)."""
    names = {socket.gethostname().lower(), socket.getfqdn().lower()}
    for name in list(names):
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(name, None)}
        except OSError:
            continue
    return names


def allowed_hosts(host: str = "127.0.0.1", port: int | None = None) -> tuple[set[str], int | None]:
    """The host names the lab answers to when it listens on ``host`` (and ``port``; ``None``:
    any port). Loopback names always; the given host too; every name of this machine when it
    listens on all interfaces (``0.0.0.0``)."""
    names = set(LOOPBACK_NAMES)
    host = host.strip("[]").lower()
    names.add(host)
    if host in WILDCARDS:
        names |= _machine_names()
    names.discard("")
    return names, port


def _split_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a Host header (``[::1]:8765``, ``localhost``), or ``None``."""
    try:
        parts = urlsplit(f"//{value}")
        return (parts.hostname or "").lower(), parts.port
    except ValueError:  # a port that is not a number, or out of range
        return None


def host_allowed(value: str, allowed: tuple[set[str], int | None]) -> bool:
    names, port = allowed
    split = _split_host(value)
    if split is None or split[0] not in names:
        return False
    return port is None or split[1] in (None, port)


def same_origin(origin: str, host: str) -> bool:
    """True when ``origin`` (``http://127.0.0.1:8765``) is the lab's own, for ``Host: host``."""
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def _json_content_type(value: str | None) -> bool:
    return value is not None and value.split(";")[0].strip().lower() == "application/json"


class RequestGuard:
    """ASGI middleware applying the module's rules before any route runs."""

    def __init__(self, app: ASGIApp, allowed: tuple[set[str], int | None], max_body: int):
        self.app, self.allowed, self.max_body = app, allowed, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        problem = self.problem(scope)
        if problem is None:
            return await self.app(scope, receive, send)
        status, message = problem
        if scope["type"] == "websocket":  # closing before accepting: the client sees a 403
            return await send({"type": "websocket.close", "code": 1008, "reason": message})
        body = json.dumps({"error": message}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def problem(self, scope: Scope) -> tuple[int, str] | None:
        """``(status, message)`` when the request must be refused, else ``None``."""
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not host_allowed(host, self.allowed):
            return 400, (
                f"this lab does not answer to the host {host[:100]!r}; open it at the address "
                "it printed when it started (such as http://127.0.0.1:8765/)"
            )
        changing = scope["type"] == "websocket" or scope.get("method") not in SAFE_METHODS
        origin = headers.get("origin")
        if changing and origin is not None and not same_origin(origin, host):
            return 403, f"requests from another site ({origin[:100]!r}) are refused"
        if scope["type"] == "websocket" or not changing:
            return None
        length = headers.get("content-length")
        if length is not None and not length.isdigit():
            return 400, f"Content-Length {length[:40]!r} is not a number"
        if length is not None and int(length) > self.max_body:
            return 413, f"request body over {self.max_body:,} bytes"
        has_body = (length is not None and int(length) > 0) or "transfer-encoding" in headers
        if (has_body or "content-type" in headers) and not _json_content_type(
            headers.get("content-type")
        ):
            return 415, "send the request body as JSON, with Content-Type: application/json"
        return None
