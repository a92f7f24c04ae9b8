"""A bounded generated-request test over every route and the live WebSocket: whatever arrives,
the lab answers with a 2xx/4xx (or a WebSocket close with a reason), never a 5xx, and nothing
reaches the log as a traceback.

The generator is seeded (the same requests every run); ``N_HTTP`` and ``N_SOCKETS`` bound it.
"""

from __future__ import annotations

import json
import logging
import random
import time

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from neuronlab import tour
from neuronlab.web import create_app
from neuronlab.web import runs as web_runs

N_HTTP, N_SOCKETS = 360, 48
ORIGIN = "127.0.0.1:8765"
DEEP = "[" * 5000 + "]" * 5000
HOSTILE_VALUES = [
    None,
    True,
    False,
    -1,
    0,
    1,
    0.5,
    -1e308,
    1e308,
    "",
    "x",
    "a" * 5000,
    [],
    {},
    [[[1]]],
    {"a": {"b": []}},
    "NaN",
    "__class__",
    "../../etc",
    "ü€😀",
]
RAW_NUMBERS = ["9" * 400, "-" + "9" * 400, "1e999", "NaN", "Infinity", "9" * 5000]
RAW_BODIES = [DEEP, "{", "", "null", "[1]", '{"params": 1}', '{"params": []}', "\x00\xff",
              '{"params": {"a": ' + DEEP + "}}", '"' + "x" * 10000 + '"', "\ufeff{}"]  # fmt: skip
STATIC = [
    "/static/../app.py",
    "/static/%2e%2e/app.py",
    "/static/js/main.js",
    "/static/%00",
    "/static/css/lab.css",
    "/static/js/../../runs.py",
    "/static/" + "a/" * 200,
    "/nope",
    "/api/chapters/%00",
    "/api/chapters/" + "x" * 3000,
    "/api/chapters/neuron/../",
]


class Recorder:
    """Wraps the app and keeps every exception that escapes it."""

    def __init__(self, app):
        self.app, self.errors = app, []

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        except Exception as error:  # noqa: BLE001 - recorded, and the test fails on it
            self.errors.append(f"{scope.get('path')}: {type(error).__name__}: {error}")
            raise


def experiments(kind: str):
    return [(c.id, e) for c in tour.list_chapters() for e in c.experiments if e.kind == kind]


def value_for(param, rng: random.Random):
    """A parameter value: mostly its default or a hostile one, sometimes a value in range."""
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(HOSTILE_VALUES)
    if roll < 0.7 and hasattr(param, "min") and isinstance(param.min, (int, float)):
        return rng.uniform(param.min, param.max) if param.type == "float" else param.max
    return param.default


def params_text(exp, rng: random.Random) -> str:
    """The JSON text of a ``params`` object: some parameters changed, a number as raw text."""
    chosen = rng.sample(exp.params, k=min(len(exp.params), rng.randint(1, 3)))
    params = {p.name: value_for(p, rng) for p in chosen}
    if rng.random() < 0.1:
        params["unknown"] = 1
    text = json.dumps(params)
    if chosen and rng.random() < 0.25:  # a number JSON allows but Python finds awkward
        text = text[:-1] + (", " if params else "") + f'"{chosen[0].name}": '
        text += rng.choice(RAW_NUMBERS) + "}"
    return text


def headers(rng: random.Random) -> dict:
    out = {"content-type": "application/json"}
    roll = rng.random()
    if roll < 0.05:
        out["content-type"] = rng.choice(["text/plain", "application/x-www-form-urlencoded"])
    elif roll < 0.1:
        out["origin"] = rng.choice(["http://evil.example", "null", f"http://{ORIGIN}"])
    elif roll < 0.13:
        out["host"] = rng.choice(["evil.example", "localhost:1", "[::1]:8765"])
    return out


def http_request(client, rng: random.Random):
    quick, live = experiments("quick"), experiments("live")
    roll = rng.random()
    if roll < 0.15:
        path = rng.choice(["/", "/favicon.ico", "/api/start", "/api/chapters", *STATIC])
        path = (
            path if rng.random() < 0.8 else f"/api/chapters/{rng.choice(tour.list_chapters()).id}"
        )
        return client.request(rng.choice(["GET", "GET", "HEAD", "POST", "DELETE"]), path)
    if roll < 0.25:
        chapter = rng.choice(["neuron", "nope", "../neuron", "neuron%00"])
        claim = rng.choice(["sigmoid-slope", "half-at-zero", "nope", "x" * 500])
        return client.post(f"/api/chapters/{chapter}/claims/{claim}", headers=headers(rng))
    chapter, exp = rng.choice(quick + live[:1])
    if rng.random() < 0.05:
        chapter = "nope"
    body = (
        rng.choice(RAW_BODIES)
        if rng.random() < 0.2
        else '{"params": ' + params_text(exp, rng) + "}"
    )
    path = f"/api/chapters/{chapter}/experiments/{exp.name}"
    return client.post(path, content=body.encode("utf-8", "surrogatepass"), headers=headers(rng))


def control(rng: random.Random, exp):
    kinds = ["ack", "pause", "resume", "step", "stop", "update", "nonsense"]
    roll = rng.random()
    if roll < 0.1:
        return ("bytes", b"\x00\x01binary")
    if roll < 0.2:
        return ("text", rng.choice(RAW_BODIES + ['{"type": "ack", "seq": ' + "9" * 400 + "}"]))
    kind = rng.choice(kinds)
    message = {"type": kind}
    if kind == "update":
        message["params"] = json.loads(params_text(exp, rng).replace("9" * 5000, "9"))
    elif kind == "ack":
        message["seq"] = rng.choice([1, -1, "x", None])
    return ("text", json.dumps(message))


def socket_session(client, rng: random.Random) -> None:
    chapter, exp = rng.choice(experiments("live") + [("neuron", experiments("quick")[0][1])])
    url = f"/api/chapters/{chapter}/live/{exp.name}"
    extra = {}
    if rng.random() < 0.1:
        extra = {"origin": rng.choice(["http://evil.example", "null"])}
    try:
        with client.websocket_connect(f"ws://{ORIGIN}{url}", headers=extra) as ws:
            roll = rng.random()
            if roll < 0.1:
                return  # the page goes away before it starts
            if roll < 0.25:
                first = rng.choice(RAW_BODIES + ['{"type": "go"}'])
                ws.send_text(first)
            elif roll < 0.3:
                ws.send_bytes(b"\x00start")
            else:
                params = json.loads(params_text(exp, rng).replace("9" * 5000, "9"))
                ws.send_text(json.dumps({"type": "start", "params": params,
                                         "paused": rng.random() < 0.2}))  # fmt: skip
            for _ in range(rng.randint(0, 6)):
                msg = ws.receive_json()
                if msg["type"] in ("error", "end") and rng.random() < 0.5:
                    break
                kind, payload = control(rng, exp)
                ws.send_bytes(payload) if kind == "bytes" else ws.send_text(payload)
    except WebSocketDisconnect:
        pass  # refused or closed by the server with a reason: fine


@pytest.mark.slow
def test_generated_requests_never_get_a_5xx_or_a_traceback(caplog, monkeypatch):
    monkeypatch.setattr(web_runs.WEB_LIMITS, "quick_seconds", 0.3)
    caplog.set_level(logging.WARNING)
    rng = random.Random(20261205)
    app = Recorder(create_app())
    statuses: dict[int, int] = {}
    with TestClient(app, base_url=f"http://{ORIGIN}", raise_server_exceptions=False) as client:
        for _ in range(N_HTTP):
            status = http_request(client, rng).status_code
            statuses[status] = statuses.get(status, 0) + 1
        for _ in range(N_SOCKETS):
            socket_session(client, rng)
        runs = app.app.state.runs
        deadline = time.monotonic() + 30
        while runs._live_slots or runs._quick:  # every run and quick call ends
            assert time.monotonic() < deadline, "runs still hold slots"
            time.sleep(0.02)
    server_errors = {s: n for s, n in statuses.items() if s >= 500}
    logged = [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    print(f"{N_HTTP} requests, {N_SOCKETS} sockets; statuses {dict(sorted(statuses.items()))}")
    assert not app.errors and not server_errors and not logged, (app.errors, server_errors, logged)
    assert sum(statuses.values()) == N_HTTP and statuses.get(200, 0) > 10
