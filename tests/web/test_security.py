"""Other web pages cannot drive the lab, bad input is a 4xx (never a 500 or a traceback), and
quick experiments stop when their time is up or their client leaves."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import math
import socket
import threading
import time

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from neuronlab.web import create_app
from neuronlab.web import runs as web_runs

LIVE = "/api/chapters/neuron/live/train_neuron"
QUICK = "/api/chapters/neuron/experiments/neuron_output"
COMPARE = "/api/chapters/playground/experiments/compare"
HEAVY = {"params": {"steps": 50000, "n_samples": 2000}}


def wait_until(cond, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def no_tracebacks(caplog):
    """Fails the test if anything logged an error with a traceback."""
    caplog.set_level(logging.WARNING)
    yield
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, [r.getMessage() for r in bad]


# ----- 5. Host, Origin, Content-Type ----------------------------------------------------------
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example",
                                  "localhost:99999", "[::2]:8765", ""])  # fmt: skip
def test_dns_rebinding_hosts_are_refused(client, host):
    for method, path in [("GET", "/"), ("GET", "/api/chapters"), ("POST", QUICK)]:
        r = client.request(method, path, headers={"host": host}, json={})
        assert r.status_code == 400 and "does not answer to the host" in r.json()["error"]


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LOCALHOST"])
def test_loopback_names_are_served(client, host):
    assert client.get("/api/chapters", headers={"host": host}).status_code == 200


def test_hosts_follow_the_address_and_port_the_server_was_started_for():
    with TestClient(create_app("127.0.0.1", 8000), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"host": "127.0.0.1:9999"}).status_code == 400
    with TestClient(create_app("192.168.7.7", 80), base_url="http://192.168.7.7") as c:
        assert c.get("/api/chapters").status_code == 200
        assert c.get("/", headers={"host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:9999",
                                    "https://127.0.0.1.evil.example:8765", "file://"])  # fmt: skip
def test_cross_site_websockets_are_refused_before_any_run(client, origin):
    runs = client.app.state.runs
    with (
        pytest.raises(WebSocketDisconnect) as info,
        client.websocket_connect(LIVE, headers={"origin": origin}) as ws,
    ):
        ws.send_json({"type": "start", "params": {}})
        ws.receive_json()
    assert info.value.code == 1008
    assert runs._live_slots == 0 and not runs.live


def test_same_origin_websocket_is_accepted(client):
    with client.websocket_connect(LIVE, headers={"origin": "http://127.0.0.1:8765"}) as ws:
        ws.send_json({"type": "start", "params": {"steps": 3}})
        assert ws.receive_json()["type"] == "started"


@pytest.mark.parametrize(
    "headers, status",
    [
        ({"origin": "http://evil.example", "content-type": "text/plain"}, 403),
        ({"origin": "null", "content-type": "application/json"}, 403),
        ({"content-type": "text/plain"}, 415),
        ({"content-type": "application/x-www-form-urlencoded"}, 415),
        ({"content-type": "multipart/form-data; boundary=x"}, 415),
    ],
)
def test_cross_site_posts_are_refused(client, headers, status, monkeypatch):
    ran = []
    monkeypatch.setattr(web_runs.RunManager, "quick_slot", lambda self: ran.append(1) or True)
    body = json.dumps({"params": {"x1": 1}})
    for path in (QUICK, "/api/chapters/neuron/claims/sigmoid-slope"):
        r = client.post(path, content=body, headers=headers)
        assert r.status_code == status, r.text
    assert ran == []  # nothing ran


def test_same_origin_json_post_is_served(client):
    r = client.post(QUICK, json={"params": {}}, headers={"origin": "http://127.0.0.1:8765"})
    assert r.status_code == 200
    r = client.post(QUICK, json={}, headers={"content-type": "application/json; charset=utf-8"})
    assert r.status_code == 200


# ----- 8. body size: refused from the Content-Length, never read past the limit --------------
def call(app, headers: list, chunks):
    """Call the ASGI app with a POST whose body comes from ``chunks``; returns (status, bytes
    the app read)."""
    read, sent = [0], {}
    body = iter(chunks)

    async def receive():
        chunk = next(body, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        read[0] += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]

    scope = {
        "type": "http", "method": "POST", "path": QUICK, "raw_path": QUICK.encode(),
        "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
        "server": ("127.0.0.1", 8765), "client": ("127.0.0.1", 5000),
        "headers": [(b"host", b"127.0.0.1:8765"), (b"content-type", b"application/json"),
                    *headers],
    }  # fmt: skip
    # a thread of its own: the test process may already run an event loop (the browser tests)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent["status"], read[0]


def endless(size=64 * 1024):
    while True:
        yield b" " * size


def test_a_declared_200_mib_body_is_refused_unread():
    status, read = call(create_app(), [(b"content-length", b"%d" % (200 * 2**20))], endless())
    assert status == 413 and read == 0


def test_a_body_without_length_is_read_no_further_than_the_limit():
    status, read = call(create_app(), [(b"transfer-encoding", b"chunked")], endless())
    limit = web_runs.WEB_LIMITS.max_body_bytes
    assert status == 413 and limit < read <= limit + 64 * 1024


def test_a_bad_content_length_is_400():
    assert call(create_app(), [(b"content-length", b"12x")], iter([]))[0] == 400


# ----- 7. bad input is a 4xx or a close with a reason ---------------------------------------
DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_json_body_is_400(client, no_tracebacks):
    r = client.post(QUICK, content=DEEP, headers={"content-type": "application/json"})
    assert r.status_code == 400 and "nested too deep" in r.json()["error"]
    r = client.post(QUICK, content='{"params": {"x1": ' + "9" * 5000 + "}}",
                    headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 400 and "not valid JSON" in r.json()["error"]


@pytest.mark.parametrize("value", [10**400, -(10**400)])
def test_a_400_digit_integer_parameter_is_400(client, value, no_tracebacks):
    for name in ("w1", "n_points"):
        path = QUICK if name == "w1" else "/api/chapters/neuron/experiments/activation_curves"
        r = client.post(path, content=f'{{"params": {{"{name}": {value}}}}}',
                        headers={"content-type": "application/json"})  # fmt: skip
        assert r.status_code == 400 and r.json()["param"] == name


def test_deep_json_on_the_websocket(client, no_tracebacks):
    with client.websocket_connect(LIVE) as ws:
        ws.send_text(DEEP)
        assert "nested too deep" in ws.receive_json()["error"]
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_json()
        assert info.value.code == 1008
    with client.websocket_connect(LIVE) as ws:
        ws.send_json({"type": "start", "params": {"steps": 100000, "speed": 10}})
        assert ws.receive_json()["type"] == "started"
        ws.send_text(DEEP)
        while (msg := ws.receive_json())["type"] != "error":
            pass
        assert "unknown message" in msg["error"]
        ws.send_json({"type": "stop"})  # the connection is still usable


@pytest.mark.parametrize("started", [False, True])
def test_a_binary_frame_closes_with_a_reason(client, started, no_tracebacks):
    runs = client.app.state.runs
    with client.websocket_connect(LIVE) as ws:
        if started:
            ws.send_json({"type": "start", "params": {"steps": 100000, "speed": 10}})
            assert ws.receive_json()["type"] == "started"
        ws.send_bytes(b'{"type": "start"}')
        while (msg := ws.receive_json())["type"] != "error":
            pass
        assert "binary frames are not understood" in msg["error"]
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_json()
        assert info.value.code == 1003 and "binary" in info.value.reason
    wait_until(lambda: runs._live_slots == 0 and not runs.live)


def test_a_client_that_closes_before_start_leaves_no_traceback(client, no_tracebacks):
    for _ in range(3):
        with client.websocket_connect(LIVE):
            pass
        with client.websocket_connect(LIVE) as ws:
            ws.close(code=1001)
    assert client.app.state.runs._live_slots == 0


# ----- 6. quick experiments: a deadline and cancellation ------------------------------------
def test_a_quick_experiment_past_its_deadline_is_stopped(client, monkeypatch, no_tracebacks):
    monkeypatch.setattr(web_runs.WEB_LIMITS, "quick_seconds", 0.5)
    r = client.post(COMPARE, json=HEAVY)
    assert r.status_code == 400 and "was stopped after 0.5 s" in r.json()["error"]
    assert client.app.state.runs._quick == 0
    wait_until(lambda: not [t for t in threading.enumerate() if t.name == "quick-compare"])


def test_a_claim_past_its_deadline_is_stopped_too(client, monkeypatch, no_tracebacks):
    monkeypatch.setattr(web_runs.WEB_LIMITS, "quick_seconds", 0.01)
    r = client.post("/api/chapters/neuron/claims/learns-and")  # trains a neuron: far longer
    assert r.status_code == 400 and "'neuron/learns-and' was stopped after" in r.json()["error"]
    assert client.app.state.runs._quick == 0


def raw_post(port: int, path: str, body: dict) -> socket.socket:
    data = json.dumps(body).encode()
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\n\r\n".encode()
        + data
    )
    return sock


@pytest.mark.slow
def test_clients_that_leave_free_their_quick_slots(lab_server):
    runs = lab_server.app.state.runs
    limit = runs.limits.max_quick
    sockets = [raw_post(lab_server.port, COMPARE, HEAVY) for _ in range(limit)]
    wait_until(lambda: runs._quick == limit)
    for sock in sockets:
        sock.close()  # the pages went away
    wait_until(lambda: runs._quick == 0)
    wait_until(lambda: not [t for t in threading.enumerate() if t.name == "quick-compare"])
    import httpx

    r = httpx.post(lab_server.url + QUICK.lstrip("/"), json={"params": {}}, timeout=30)
    assert r.status_code == 200


# ----- 14. CSV uploads: finite points, quoted numbers, a BOM, the line named ---------------
CHECK = "/api/chapters/playground/experiments/check_csv"


@pytest.mark.parametrize(
    "csv",
    [
        "1e308,0,a\n-1e308,0,b\n0,1e308,a\n0,-1e308,b\n",
        '"0","0",a\n"1","0",b\n"0","1",a\n"1","1",b\n',
        "\ufeff0,0,a\n1,0,b\n0,1,a\n1,1,b\n",
    ],
)
def test_the_api_returns_finite_points(client, csv):
    r = client.post(CHECK, json={"params": {"csv": csv}})
    assert r.status_code == 200, r.text
    points = r.json()["result"]["points"]
    assert len(points) == 4 and all(v is not None and math.isfinite(v) for p in points for v in p)


def test_the_api_names_the_line(client):
    r = client.post(CHECK, json={"params": {"csv": "0,0,a\n1,x,b\n0,1,a\n1,1,b\n"}})
    assert r.status_code == 400 and "line 2" in r.json()["error"]
