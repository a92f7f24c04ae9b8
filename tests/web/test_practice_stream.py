"""The practice chapter's side-by-side runs over the live-run WebSocket, without a browser."""

from __future__ import annotations

BASE = "/api/chapters/practice"


def until(ws, want, limit=2000):
    seen = []
    for _ in range(limit):
        msg = ws.receive_json()
        if want(msg):
            return msg, seen
        seen.append(msg)
    raise AssertionError(f"no wanted message in {limit}: {[m['type'] for m in seen][-10:]}")


def drain(ws):
    """Ack every frame until the run ends; returns (last frame data, end message)."""
    last = None
    while True:
        msg = ws.receive_json()
        if msg["type"] == "frame":
            last = msg["data"]
            ws.send_json({"type": "ack", "seq": msg["seq"]})
        elif msg["type"] == "end":
            return last, msg


def test_early_stopping_run_streams_markers_and_the_restored_score(client):
    with client.websocket_connect(f"{BASE}/live/early_stopping") as ws:
        ws.send_json({"type": "start", "params": {"epochs": 25, "patience": 3, "speed": 0}})
        last, end = drain(ws)
    assert end["reason"] == "done"
    early = last["runs"]["early"]
    assert early["stopped_epoch"] is not None and early["best_epoch"] < early["stopped_epoch"]
    assert abs(last["restored_val"] - early["val"][early["best_epoch"]]) < 1e-4
    assert last["epoch"] == 25


def test_pause_holds_the_epoch_and_speed_is_live(client):
    with client.websocket_connect(f"{BASE}/live/normalization") as ws:
        ws.send_json({"type": "start", "params": {"epochs": 400, "speed": 50}})
        frame, _ = until(ws, lambda m: m["type"] == "frame")
        assert set(frame["data"]["runs"]) == {"raw", "normalized"}
        ws.send_json({"type": "pause"})
        ws.send_json({"type": "ack", "seq": frame["seq"]})
        state, seen = until(ws, lambda m: m["type"] == "state" and m["state"] == "paused")
        for msg in seen:  # the paused picture, if it came: ack it so the next one may come
            if msg["type"] == "frame":
                ws.send_json({"type": "ack", "seq": msg["seq"]})
        ws.send_json({"type": "update", "params": {"speed": 20}})  # slower: stop comes first
        ws.send_json({"type": "resume"})
        later, _ = until(ws, lambda m: m["type"] == "frame")
        assert later["data"]["epoch"] >= state["step"]
        ws.send_json({"type": "stop"})
        end, _ = until(ws, lambda m: m["type"] == "end")
        assert end["reason"] == "stopped"


def test_bad_start_is_refused_with_the_param(client):
    with client.websocket_connect(f"{BASE}/live/overfitting") as ws:
        ws.send_json({"type": "start", "params": {"dropout": 2}})
        err, _ = until(ws, lambda m: m["type"] == "error")
        assert err["param"] == "dropout"
