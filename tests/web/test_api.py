"""The lab's HTTP and WebSocket API, without a browser (Starlette's TestClient)."""

from __future__ import annotations

import time

import pytest
from starlette.websockets import WebSocketDisconnect

from neuronlab.web.runs import WebLimits


def test_shell_and_static(client):
    r = client.get("/")
    assert r.status_code == 200 and '<main id="chapter"' in r.text
    assert client.get("/static/js/main.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/css/lab.css").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/static/js/../../app.py",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/nowhere",
    ],
)
def test_paths_outside_the_static_root_are_refused(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "import" not in r.text and "root:" not in r.text


def test_every_chapter_follows_the_skeleton(client):
    """js/chapters/<id>/index.js and css/<id>.css for every chapter; no flat chapter files."""
    from neuronlab.web.app import STATIC

    for c in client.get("/api/chapters").json():
        chapter = client.get(f"/api/chapters/{c['id']}").json()
        assert chapter["module"] == f"/static/js/chapters/{c['id']}/index.js"
        assert client.get(chapter["module"]).status_code == 200
        assert chapter["stylesheet"] == f"/static/css/{c['id']}.css"
        assert client.get(chapter["stylesheet"]).status_code == 200
    flat = sorted(p.name for p in (STATIC / "js" / "chapters").glob("*.js"))
    assert flat == [], f"chapter modules outside js/chapters/<id>/: {flat}"


def test_one_copy_of_the_dom_helpers():
    """h(), fmt() and friends live in js/dom.js only; no JS file declares its own copy and no
    chapter keeps its CSS in a template string."""
    import re

    from neuronlab.web.app import STATIC

    local = re.compile(r"^\s*(export )?(function (h|fmt|pct|el)\(|const (h|fmt|pct) = \()", re.M)
    for path in (STATIC / "js").rglob("*.js"):
        if path.name == "dom.js":
            continue
        text = path.read_text(encoding="utf-8")
        assert not local.search(text), f"{path.relative_to(STATIC)} declares its own DOM helper"
        assert "const CSS = `" not in text, f"{path.relative_to(STATIC)} keeps CSS in a string"


def test_chapter_list_and_chapter(client):
    chapters = client.get("/api/chapters").json()
    assert chapters[0] == {
        "id": "neuron",
        "title": "One neuron",
        "summary": chapters[0]["summary"],
        "number": 1,
    }
    c = client.get("/api/chapters/neuron").json()
    assert c["prev"] is None and c["next"] == (chapters[1]["id"] if len(chapters) > 1 else None)
    assert c["module"] == "/static/js/chapters/neuron/index.js"
    assert '<div class="widget" data-widget="train"></div>' in c["html"]
    assert c["html"].count("<math") >= 5
    kinds = {e["name"]: e["kind"] for e in c["experiments"]}
    assert kinds == {"neuron_output": "quick", "activation_curves": "quick", "train_neuron": "live"}
    lr = next(p for e in c["experiments"] for p in e["params"] if p["name"] == "lr")
    assert lr["live"] is True and lr["type"] == "float"
    assert {"id", "text", "experiment"} <= set(c["claims"][0])


def test_unknown_chapter_experiment_claim_are_404(client):
    assert client.get("/api/chapters/nope").json()["error"].startswith("no tour chapter 'nope'")
    r = client.post("/api/chapters/neuron/experiments/nope", json={})
    assert r.status_code == 404 and "has no experiment 'nope'" in r.json()["error"]
    assert client.post("/api/chapters/neuron/claims/nope").status_code == 404


def test_quick_experiment(client):
    r = client.post(
        "/api/chapters/neuron/experiments/neuron_output",
        json={"params": {"x1": 0, "x2": 0, "b": 0, "activation": "tanh"}},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["result"]["y"] == 0.0 and body["result"]["slope"] == 1.0
    assert body["seconds"] >= 0


@pytest.mark.parametrize(
    "payload, param, match",
    [
        ({"params": {"w1": 9}}, "w1", "expected a number from -3 to 3, got 9"),
        ({"params": {"w1": "a"}}, "w1", "got 'a'"),
        ({"params": {"activation": "swish"}}, "activation", "one of 'sigmoid'"),
        ({"params": {"zzz": 1}}, "zzz", "has no parameter 'zzz'"),
        ({"params": [1]}, None, "must be an object"),
    ],
)
def test_bad_parameters_are_400_with_a_message(client, payload, param, match):
    r = client.post("/api/chapters/neuron/experiments/neuron_output", json=payload)
    assert r.status_code == 400
    assert match in r.json()["error"]
    assert r.json().get("param") == param


def test_bad_bodies(client):
    url = "/api/chapters/neuron/experiments/neuron_output"
    r = client.post(url, content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "not valid JSON" in r.json()["error"]
    r = client.post(url, content=b"x" * 1_000_001)
    assert r.status_code == 413
    r = client.post("/api/chapters/neuron/experiments/train_neuron", json={})
    assert r.status_code == 400 and "WebSocket" in r.json()["error"]


def test_claim_route(client):
    r = client.post("/api/chapters/neuron/claims/sigmoid-slope").json()
    assert r["passed"] is True and "0.25" in r["detail"]


# -- the live-run WebSocket --------------------------------------------------------------------

LIVE = "/api/chapters/neuron/live/train_neuron"


def messages_until(ws, kind, ack=True, limit=10_000):
    """Read messages (acking frames) until one of type ``kind``; return all read."""
    seen = []
    for _ in range(limit):
        msg = ws.receive_json()
        seen.append(msg)
        if msg["type"] == "frame" and ack:
            ws.send_json({"type": "ack", "seq": msg["seq"]})
        if msg["type"] == kind:
            return seen
    raise AssertionError(f"no {kind} message")


def test_stream_frames_until_done(client):
    with client.websocket_connect(LIVE) as ws:
        ws.send_json({"type": "start", "params": {"steps": 300, "speed": 100000}})
        started = ws.receive_json()
        assert started["type"] == "started" and started["params"]["steps"] == 300
        seen = messages_until(ws, "end")
    frames = [m for m in seen if m["type"] == "frame"]
    assert frames[0]["data"]["step"] == 0 and frames[-1]["data"]["step"] == 300
    assert [f["seq"] for f in frames] == sorted(f["seq"] for f in frames)
    assert seen[-1] == {"type": "end", "reason": "done", "step": 301}
    assert frames[-1]["data"]["probability"]["kind"] == "grid"


def test_only_one_unacked_frame_in_flight(client):
    runs = client.app.state.runs
    with client.websocket_connect(LIVE) as ws:
        ws.send_json({"type": "start", "params": {"steps": 100000, "speed": 2000}})
        ws.receive_json()
        first = ws.receive_json()
        assert first["type"] == "frame"
        run = next(iter(runs.live.values()))
        wait_until(lambda: run.ctx.step >= 100)  # no ack: the run trains on, but sends nothing
        ws.send_json({"type": "pause"})
        state = ws.receive_json()
        assert state["type"] == "state" and state["state"] == "paused"
        ws.send_json({"type": "ack", "seq": first["seq"]})
        fresh = ws.receive_json()
        assert fresh["type"] == "frame" and fresh["seq"] == first["seq"] + 1
        assert fresh["step"] >= 100, "a fresh frame, the stale ones were never built"
        ws.send_json({"type": "stop"})
        assert messages_until(ws, "end")[-1]["reason"] == "stopped"


def test_pause_step_resume_update_stop(client):
    with client.websocket_connect(LIVE) as ws:
        ws.send_json({"type": "start", "params": {"steps": 100000, "speed": 1000}, "paused": True})
        ws.receive_json()
        seen = messages_until(ws, "state")
        assert seen[-1]["state"] == "paused"
        at = seen[-1]["step"]
        ws.send_json({"type": "step"})
        seen = messages_until(ws, "state")
        frame = [m for m in seen if m["type"] == "frame"][-1]
        assert seen[-1] == {"type": "state", "state": "paused", "step": at + 1}
        assert frame["step"] == at + 1
        ws.send_json({"type": "update", "params": {"steps": 5}})
        err = ws.receive_json()
        assert err["type"] == "error" and "cannot change during a run" in err["error"]
        ws.send_json({"type": "update", "params": {"lr": 0.01}})
        ws.send_json({"type": "resume"})
        assert messages_until(ws, "state")[-1]["state"] == "running"
        ws.send_json({"type": "nonsense"})
        assert "unknown message" in messages_until(ws, "error")[-1]["error"]
        ws.send_json({"type": "stop"})
        assert messages_until(ws, "end")[-1]["reason"] == "stopped"


@pytest.mark.parametrize(
    "first, match",
    [
        ({"type": "start", "params": {"lr": 99}}, "parameter 'lr'"),
        ({"type": "go"}, "first message must be"),
    ],
)
def test_bad_start_is_refused(client, first, match):
    with client.websocket_connect(LIVE) as ws:
        ws.send_json(first)
        msg = ws.receive_json()
        assert msg["type"] == "error" and match in msg["error"]
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_json()
        assert info.value.code == 1008


def test_unknown_or_quick_experiment_is_refused(client):
    for url, match in [
        ("/api/chapters/neuron/live/nope", "no experiment"),
        ("/api/chapters/neuron/live/neuron_output", "is quick"),
    ]:
        with client.websocket_connect(url) as ws:
            ws.send_json({"type": "start", "params": {}})
            assert match in ws.receive_json()["error"]


def wait_until(cond, timeout=30.0):
    """Poll ``cond`` until it holds; the timeout only ends a hung test, it measures nothing."""
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


def test_closing_the_socket_cancels_the_run(client):
    runs = client.app.state.runs
    with client.websocket_connect(LIVE) as ws:
        ws.send_json({"type": "start", "params": {"steps": 100000, "speed": 100000}})
        ws.receive_json()
        ws.receive_json()
        run = next(iter(runs.live.values()))
        assert not run.done
    wait_until(lambda: run.done and not runs.live and runs._live_slots == 0)
    assert run.end["reason"] == "stopped"


def test_concurrent_runs_are_capped(client):
    runs = client.app.state.runs
    runs.limits = WebLimits(max_live=1)
    with client.websocket_connect(LIVE) as first:
        first.send_json({"type": "start", "params": {"steps": 100000, "speed": 100}})
        assert first.receive_json()["type"] == "started"
        with client.websocket_connect(LIVE) as second:
            second.send_json({"type": "start", "params": {}})
            msg = second.receive_json()
            assert (
                msg["type"] == "error" and "too many live runs at once (at most 1)" in msg["error"]
            )
            with pytest.raises(WebSocketDisconnect) as info:
                second.receive_json()
            assert info.value.code == 1013
        first.send_json({"type": "stop"})
    wait_until(lambda: runs._live_slots == 0)
