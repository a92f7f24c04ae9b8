"""The learning chapter: its claims at tiny sizes, and each experiment against the engine."""

from __future__ import annotations

import numpy as np
import pytest
from chapter_checks import assert_claims_hold, assert_claims_in_prose

import neuronlab as nl
from neuronlab.tour.chapters.learning import CHAPTER
from neuronlab.tour.chapters.learning.backprop import DEFAULTS, build_net, forward
from neuronlab.tour.runner import run_experiment, run_headless
from neuronlab.tour.schema import ParamError


def test_every_claim_holds_at_tiny_size():
    assert_claims_hold(CHAPTER)


def test_claim_texts_are_in_the_prose_and_the_math_renders():
    assert_claims_in_prose(
        CHAPTER,
        widgets=("losses", "race", "adam-scale", "backprop", "gradcheck", "topo"),
        math_at_least=11,
    )


def test_stepper_walks_every_node_forward_then_backward():
    g = run_experiment("learning", "backprop_graph", {})
    n = len(g["nodes"])
    assert n == 29 and len(g["steps"]) == 2 * n
    assert [s["node"] for s in g["steps"][:n]] == g["forward_order"]
    assert [s["node"] for s in g["steps"][n:]] == g["backward_order"]
    nodes = {x["id"]: x for x in g["nodes"]}
    for step in g["steps"][n:]:
        if step["seed"]:
            assert nodes[step["node"]]["grad"] == 1.0
            continue
        # grad = sum over users of user.grad x local grad, as the page shows it
        total = sum(t["user_grad"] * t["local_grad"] for t in step["terms"])
        assert total == pytest.approx(nodes[step["node"]]["grad"], abs=1e-12)
    assert g["loss"] == pytest.approx(nodes[g["output"][0]]["value"])


def test_stepper_follows_edited_weights():
    params = {**DEFAULTS, "w11": -1.5, "x2": 2.0, "y": 0.0}
    g = run_experiment("learning", "backprop_graph", params)
    net = build_net(**params)
    loss = forward(net)
    loss.backward()
    assert g["loss"] == pytest.approx(loss.item())
    np.testing.assert_allclose(g["engine_grads"]["W1"], net["W1"].grad)


def test_gradient_check_rows_and_eps_extremes():
    r = run_experiment("learning", "gradient_check", {"eps": 1e-6})
    t = r["table"]
    assert t["columns"] == ["parameter", "backprop", "numerical", "relative error"]
    assert [row[0] for row in t["rows"]][:2] == ["W1[0,0]", "W1[0,1]"] and len(t["rows"]) == 9
    coarse = run_experiment("learning", "gradient_check", {"eps": 0.5})["max_relative_error"]
    assert coarse > 1e-4 > r["max_relative_error"]  # a big step bends with the curve


def test_topological_order_matches_the_engine_and_eager_does_not():
    for a in (-2.0, 0.5, 3.0):
        right = run_experiment("learning", "topo_order", {"a": a, "order": "topological"})
        wrong = run_experiment("learning", "topo_order", {"a": a, "order": "eager"})
        assert right["grad_a"] == pytest.approx(8 * a) == right["engine_grad_a"]
        assert wrong["grad_a"] == pytest.approx(4 * a)
        assert len(right["deliveries"]) == len(wrong["deliveries"]) == 4


def test_loss_curves_are_the_library_losses():
    r = run_experiment(
        "learning", "loss_curves", {"target": 0.0, "prediction": 0.8, "n_points": 11}
    )
    p = np.array(r["loss"]["x"])
    np.testing.assert_allclose(r["loss"]["ys"]["squared_error"], p**2, rtol=1e-9)
    np.testing.assert_allclose(r["loss"]["ys"]["cross_entropy"], -np.log(1 - p), rtol=1e-6)
    np.testing.assert_allclose(r["slope"]["ys"]["cross_entropy"], 1 / (1 - p), rtol=1e-6)


def test_race_streams_growing_paths_and_follows_a_new_lr():
    frames = run_headless("learning", "optimizer_race", {"steps": 30, "speed": 0}, every=10)
    assert [f["step"] for f in frames] == [0, 10, 20, 30]
    assert [len(f["runs"]["sgd"]["path"]) for f in frames] == [1, 11, 21, 31]
    assert frames[0]["runs"]["adam"]["path"][0] == [-3.5, 2.0]
    # the real optimizer: SGD's first step on the bowl is w - lr * grad
    w1, w2 = frames[1]["runs"]["sgd"]["path"][1]
    assert (w1, w2) == pytest.approx((-3.5 + 0.02 * 3.5, 2.0 - 0.02 * 40.0))


def test_rosenbrock_surface_grid_and_bad_params():
    s = run_experiment("learning", "loss_surface", {"surface": "rosenbrock", "size": 20})
    assert s["grid"]["w"] == 20 and s["minimum"] == [1.0, 1.0]
    with pytest.raises(ParamError, match="lr"):
        run_experiment("learning", "gradient_scale", {"lr": 50})
    with pytest.raises(ParamError, match="surface"):
        run_experiment("learning", "loss_surface", {"surface": "cliff"})


def test_graph_from_engine_is_not_modified():
    """The wrong order is an experiment on the graph data: the engine still gets 8a."""
    run_experiment("learning", "topo_order", {"a": 1.0, "order": "eager"})
    a = nl.tensor(1.0, requires_grad=True)
    b = a + a
    (b * b).backward()
    assert a.grad.item() == 8.0
