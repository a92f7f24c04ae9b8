"""The learning chapter over HTTP and the live-run WebSocket, without a browser."""

from __future__ import annotations

import pytest

BASE = "/api/chapters/learning"


def until(ws, want, limit=2000):
    seen = []
    for _ in range(limit):
        msg = ws.receive_json()
        if want(msg):
            return msg, seen
        seen.append(msg)
    raise AssertionError(f"no wanted message in {limit}: {[m['type'] for m in seen][-10:]}")


def test_chapter_lists_its_experiments_and_claims(client):
    r = client.get(BASE)
    assert r.status_code == 200
    body = r.json()
    kinds = {e["name"]: e["kind"] for e in body["experiments"]}
    assert kinds["optimizer_race"] == "live" and kinds["backprop_graph"] == "quick"
    assert body["prev"] == "playground"
    assert 'data-widget="backprop"' in body["html"]


def test_quick_routes_return_the_graph_and_the_check(client):
    g = client.post(f"{BASE}/experiments/backprop_graph", json={"params": {"x1": 1.0}}).json()
    assert len(g["result"]["nodes"]) == 29
    x0 = next(n for n in g["result"]["nodes"] if n["label"] == "x[0]")
    assert x0["value"] == 1.0
    c = client.post(f"{BASE}/experiments/gradient_check", json={"params": {"eps": 1e-5}}).json()
    assert c["result"]["max_relative_error"] < 1e-6


def test_bad_params_are_400_with_the_name(client):
    r = client.post(f"{BASE}/experiments/gradient_check", json={"params": {"eps": 5}})
    assert r.status_code == 400 and r.json()["param"] == "eps"
    r = client.post(f"{BASE}/experiments/optimizer_race", json={"params": {}})
    assert r.status_code == 400  # a live run: use the WebSocket


def test_claim_route_checks_the_sentence(client):
    r = client.post(f"{BASE}/claims/node-used-twice").json()
    assert r["passed"] is True and "24" in r["detail"]


def test_race_streams_paths_takes_a_new_lr_and_stops(client):
    with client.websocket_connect(f"{BASE}/live/optimizer_race") as ws:
        ws.send_json({"type": "start", "params": {"steps": 2000, "speed": 0, "lr": 0.01}})
        until(ws, lambda m: m["type"] == "started")
        frame, _ = until(ws, lambda m: m["type"] == "frame")
        assert set(frame["data"]["runs"]) == {"sgd", "momentum", "adam"}
        lengths = []
        for _ in range(3):
            ws.send_json({"type": "ack", "seq": frame["seq"]})
            frame, _ = until(ws, lambda m: m["type"] == "frame")
            lengths.append(len(frame["data"]["runs"]["sgd"]["path"]))
        assert lengths == sorted(lengths) and lengths[-1] > 1
        ws.send_json({"type": "update", "params": {"lr": 0.05}})
        ws.send_json({"type": "update", "params": {"surface": "round"}})  # not live: an error
        err, _ = until(ws, lambda m: m["type"] == "error")
        assert err["param"] == "surface"
        ws.send_json({"type": "stop"})
        end, _ = until(ws, lambda m: m["type"] == "end")
        assert end["reason"] == "stopped"


@pytest.mark.parametrize("steps", [25])
def test_race_ends_on_its_own_with_a_final_frame(client, steps):
    with client.websocket_connect(f"{BASE}/live/optimizer_race") as ws:
        ws.send_json({"type": "start", "params": {"steps": steps, "speed": 0}})
        last = None
        while True:
            msg = ws.receive_json()
            if msg["type"] == "frame":
                last = msg
                ws.send_json({"type": "ack", "seq": msg["seq"]})
            if msg["type"] == "end":
                break
        assert msg["reason"] == "done"
        assert last["data"]["step"] == steps
        assert len(last["data"]["runs"]["momentum"]["path"]) == steps + 1
