"""What the learning chapter asserts, each sentence checked by an experiment."""

from __future__ import annotations

import numpy as np

from ...chapter import Claim


def _backprop_matches_numeric(result):
    worst = result["max_relative_error"]
    return (
        worst < 1e-6,
        f"largest relative error {worst:.1e} over {len(result['table']['rows'])} params",
    )


def _stepper_is_engine(result):
    nodes = {n["id"]: n for n in result["nodes"]}
    worst = 0.0
    for name, ids in result["param_nodes"].items():
        ours = np.array([nodes[k]["grad"] for k in np.ravel(ids)])
        engine = np.ravel(result["engine_grads"][name])
        worst = max(worst, float(np.max(np.abs(ours - engine))))
    return worst < 1e-12, f"largest difference from the engine's .grad: {worst:.1e}"


def _used_twice(result):
    ok = result["correct"] and abs(result["engine_grad_a"] - result["exact"]) < 1e-9
    return ok, (
        f"a = {result['a']:g}: dc/da = {result['grad_a']:g} (8a = {result['exact']:g}), "
        f"engine {result['engine_grad_a']:g}"
    )


def _eager_is_wrong(result):
    half = 4.0 * result["a"]
    ok = not result["correct"] and abs(result["grad_a"] - half) < 1e-9
    return ok, f"eager order gives dc/da = {result['grad_a']:g} (4a = {half:g}, 8a is right)"


def _momentum_beats_sgd(frames):
    runs = frames[-1]["runs"]
    sgd, mom = runs["sgd"]["reached"], runs["momentum"]["reached"]
    ok = mom is not None and (sgd is None or mom < sgd)
    return ok, f"within 0.01 of the minimum after: momentum {mom} steps, SGD {sgd} steps"


def _adam_scale_free(result):
    by = {r["optimizer"]: r for r in result["runs"]}
    adam, sgd = by["adam"]["max_distance"], by["sgd"]["max_distance"]
    ok = adam < 1e-4 and (sgd > 1.0 or by["sgd"]["diverged_scaled"])
    return ok, f"paths of f and 1000 f differ by {adam:.1e} for Adam, {sgd:.3g} for SGD"


def _ce_punishes(result):
    at = result["at"]
    ratio = at["slope_cross_entropy"] / at["slope_squared_error"]
    ok = at["cross_entropy"] > 4 * at["squared_error"] and ratio > 40
    return ok, (
        f"at p = {result['prediction']:g}, y = {result['target']:g}: cross-entropy "
        f"{at['cross_entropy']:.3g} vs squared error {at['squared_error']:.3g}; "
        f"slope {ratio:.0f} times steeper"
    )


CLAIMS = [
    Claim(
        id="ce-punishes-confident-mistakes",
        text="For a target of 1 and a prediction of 0.01, the cross-entropy is more than four "
        "times the squared error, and its slope is more than forty times steeper",
        experiment="loss_curves",
        params={"target": 1.0, "prediction": 0.01},
        tiny={"n_points": 11},
        check=_ce_punishes,
    ),
    Claim(
        id="momentum-beats-sgd",
        text="momentum reaches the minimum of the elongated bowl in fewer steps than plain SGD "
        "at the same learning rate",
        experiment="optimizer_race",
        params={"surface": "bowl", "lr": 0.02, "steps": 400, "speed": 0},
        check=_momentum_beats_sgd,
        every=1_000_000,
    ),
    Claim(
        id="adam-scale-free",
        text="Adam is insensitive to the scale of the gradient",
        experiment="gradient_scale",
        params={"surface": "bowl", "scale": 1000.0, "lr": 0.02, "steps": 100},
        tiny={"steps": 40},
        check=_adam_scale_free,
    ),
    Claim(
        id="stepper-is-the-engine",
        text="the gradients in the step-by-step graph are the engine's own",
        experiment="backprop_graph",
        check=_stepper_is_engine,
    ),
    Claim(
        id="backprop-matches-numeric",
        text="the gradient from backprop matches the numerical estimate to a relative error "
        "below 1e-6",
        experiment="gradient_check",
        params={"eps": 1e-6},
        check=_backprop_matches_numeric,
    ),
    Claim(
        id="node-used-twice",
        text="a node used twice gets the sum of both contributions (8a, not 4a)",
        experiment="topo_order",
        params={"a": 3.0, "order": "topological"},
        check=_used_twice,
    ),
    Claim(
        id="eager-order-is-wrong",
        text="the eager order hands a its gradient too early and gets 4a",
        experiment="topo_order",
        params={"a": 3.0, "order": "eager"},
        check=_eager_is_wrong,
    ),
]
