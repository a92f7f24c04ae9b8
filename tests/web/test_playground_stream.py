"""The playground over HTTP and the live-run WebSocket, without a browser."""

from __future__ import annotations

import base64

import pytest

LIVE = "/api/chapters/playground/live/train"
QUICK = "/api/chapters/playground/experiments"


def until(ws, want, limit=500):
    """Receive messages until ``want(msg)``; returns (that message, everything before it).

    Every frame is acked as it arrives, as the page does after painting it; a frame left unacked
    would (rightly) hold back all later ones."""
    seen = []
    for _ in range(limit):
        msg = ws.receive_json()
        if msg["type"] == "frame":
            ws.send_json({"type": "ack", "seq": msg["seq"]})
        if want(msg):
            return msg, seen
        seen.append(msg)
    raise AssertionError(f"no wanted message in {limit}: {[m['type'] for m in seen][-10:]}")


def is_frame(msg):
    return msg["type"] == "frame"


def start(ws, paused=False, **params):
    ws.send_json(
        {
            "type": "start",
            "params": {"dataset": "xor", "layers": [8, 8], **params},
            "paused": paused,
        }
    )
    started, _ = until(ws, lambda m: m["type"] == "started")
    return started


def test_frames_arrive_one_per_ack_and_training_advances(client):
    with client.websocket_connect(LIVE) as ws:
        started = start(ws)
        assert started["params"]["layers"] == [8, 8]
        first, _ = until(ws, is_frame)
        data = first["data"]
        assert data["data"]["n_train"] + data["data"]["n_val"] + data["data"]["n_test"] == 400
        assert (
            data["boundary"]["w"] == 50 and len(base64.b64decode(data["boundary"]["data"])) == 2500
        )
        steps = [first["data"]["step"]]
        for _ in range(5):  # one frame per ack (until() acks each one)
            first, _ = until(ws, is_frame)
            steps.append(first["data"]["step"])
        assert steps == sorted(steps) and steps[-1] > steps[0]
        ws.send_json({"type": "stop"})
        end, _ = until(ws, lambda m: m["type"] == "end")
        assert end["reason"] == "stopped"


def test_pause_step_and_resume(client):
    with client.websocket_connect(LIVE) as ws:
        start(ws)
        frame, _ = until(ws, is_frame)
        ws.send_json({"type": "pause"})
        state, before = until(ws, lambda m: m["type"] == "state" and m["state"] == "paused")
        last = ([m for m in before if is_frame(m)] or [frame])[-1]
        ws.send_json({"type": "step"})
        stepped, _ = until(ws, is_frame)
        assert stepped["data"]["step"] >= last["data"]["step"] + 1
        ws.send_json({"type": "resume"})
        until(ws, lambda m: m["type"] == "state" and m["state"] == "running")
        later, _ = until(ws, is_frame)
        assert later["data"]["step"] > stepped["data"]["step"]
        ws.send_json({"type": "stop"})


def test_start_paused_shows_the_untrained_net(client):
    with client.websocket_connect(LIVE) as ws:
        start(ws, paused=True)
        frame, _ = until(ws, is_frame)
        assert frame["data"]["step"] == 0 and "data" in frame["data"]
        until(ws, lambda m: m["type"] == "state" and m["state"] == "paused")
        ws.send_json({"type": "stop"})


def test_live_updates_and_refusals(client):
    with client.websocket_connect(LIVE) as ws:
        start(ws, paused=True)
        ws.send_json({"type": "update", "params": {"learning_rate": 0.3, "reg_rate": 0.01}})
        ws.send_json({"type": "update", "params": {"layers": [2]}})
        err, _ = until(ws, lambda m: m["type"] == "error")
        assert err["param"] == "layers" and "reset the run" in err["error"]
        ws.send_json({"type": "update", "params": {"learning_rate": 99}})
        err, _ = until(ws, lambda m: m["type"] == "error")
        assert err["param"] == "learning_rate" and "from 0.00001 to 10" in err["error"].replace(
            "1e-05", "0.00001"
        )
        ws.send_json({"type": "stop"})


@pytest.mark.parametrize(
    ("params", "param"),
    [({"layers": [20]}, "layers"), ({"features": []}, "features"), ({"noise": 80}, "noise")],
)
def test_bad_start_parameters_are_refused_with_the_parameter(client, params, param):
    with client.websocket_connect(LIVE) as ws:
        ws.send_json({"type": "start", "params": params})
        msg = ws.receive_json()
        assert msg["type"] == "error" and msg["param"] == param


def test_cross_parameter_error_is_refused_at_start_with_the_parameter(client):
    with client.websocket_connect(LIVE) as ws:
        ws.send_json({"type": "start", "params": {"dataset": "custom", "points": []}})
        msg = ws.receive_json()
        assert msg["type"] == "error" and msg["param"] == "points"
        assert "at least 4 points" in msg["error"]


def test_started_sends_the_normalized_configuration(client):
    with client.websocket_connect(LIVE) as ws:
        started = start(ws, paused=True, layers=[3, 3], activations=["relu"], reg_rate=0.5)
        params = started["params"]
        assert params["activations"] == ["relu", "relu"] and params["reg_rate"] == 0.0
        assert params["val_fraction"] == 20 and params["regularization"] == "none"
        frame, _ = until(ws, is_frame)
        data = frame["data"]["data"]
        assert data["n_val"] == sum(data["val"]) > 0 and len(data["val"]) == 400
        assert set(frame["data"]["history"]["ys"]) >= {"train", "val", "test", "val_accuracy"}
        ws.send_json({"type": "stop"})


def test_early_stop_ends_the_run_and_says_where(client):
    params = {
        "dataset": "xor",
        "noise": 35,
        "n_samples": 200,
        "train_ratio": 30,
        "optimizer": "adam",
        "early_stop": True,
        "patience": 10,
        "stop_after": 20000,
    }
    with client.websocket_connect(LIVE) as ws:
        start(ws, **params)
        frames = []
        while True:
            msg = ws.receive_json()
            if is_frame(msg):
                frames.append(msg)
                ws.send_json({"type": "ack", "seq": msg["seq"]})
            elif msg["type"] == "end":
                break
        assert msg["reason"] == "done"
        last = frames[-1]["data"]
        stop = last["stopped"]
        assert set(stop) == {"epoch", "best_epoch", "best_val_loss"}
        assert stop["epoch"] - stop["best_epoch"] >= 10
        assert last["val_loss"] == pytest.approx(stop["best_val_loss"], rel=1e-5)


def test_csv_check_names_the_bad_line(client):
    bad = client.post(f"{QUICK}/check_csv", json={"params": {"csv": "x1,x2,y\n0,0,1\n1,oops,0\n"}})
    assert bad.status_code == 400
    body = bad.json()
    assert body["param"] == "csv" and "line 3" in body["error"] and "oops" in body["error"]
    good = client.post(
        f"{QUICK}/check_csv", json={"params": {"csv": "0,0,a\n1,0,b\n0,1,a\n1,1,b\n"}}
    )
    assert good.status_code == 200
    assert len(good.json()["result"]["points"]) == 4


def test_csv_over_the_size_limit_is_refused(client):
    big = "0,0,1\n" * 60_000
    r = client.post(f"{QUICK}/check_csv", json={"params": {"csv": big}})
    assert r.status_code in (400, 413)


def test_compare_and_dataset_routes(client):
    r = client.post(
        f"{QUICK}/compare", json={"params": {"scenario": "xor", "steps": 200, "n_samples": 100}}
    )
    assert r.status_code == 200
    variants = r.json()["result"]["variants"]
    assert len(variants) == 3 and all("boundary" in v for v in variants.values())
    r = client.post(f"{QUICK}/dataset", json={"params": {"dataset": "spiral", "classes": 3}})
    assert r.status_code == 200 and set(r.json()["result"]["points"]["y"]) == {0, 1, 2}
