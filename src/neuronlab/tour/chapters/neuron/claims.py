"""What the neuron chapter asserts, each sentence checked by an experiment.

Every ``text`` below occurs word for word in ``text.md``; ``tiny`` shrinks the runs for tests.
"""

from __future__ import annotations

from ... import Claim


def _half_at_zero(r):
    return abs(r["y"] - 0.5) < 1e-12, f"z = {r['z']}, sigmoid(z) = {r['y']:.6f}"


def _sigmoid_slope(r):
    ok = r["max_slope"] <= 0.25 + 1e-12 and abs(r["max_slope_at"]) < 0.06
    return ok, f"largest slope {r['max_slope']:.6f} at z = {r['max_slope_at']:.3f}"


def _tanh_slope(r):
    ok = abs(r["max_slope"] - 1.0) < 1e-3 and abs(r["max_slope_at"]) < 0.06
    return ok, f"largest slope {r['max_slope']:.6f} at z = {r['max_slope_at']:.3f}"


def _negative_slopes(r):
    z = r["curves"]["x"]
    d = r["curves"]["ys"]["derivative"]
    return [s for x, s in zip(z, d) if x < 0]


def _relu_dead(r):
    neg = _negative_slopes(r)
    return all(s == 0.0 for s in neg), f"{len(neg)} negative inputs, largest slope {max(neg)}"


def _leaky_alive(r):
    neg = _negative_slopes(r)
    ok = all(abs(s - 0.01) < 1e-9 for s in neg)
    return ok, f"{len(neg)} negative inputs, slopes from {min(neg)} to {max(neg)}"


def _gelu_dip(r):
    ok = -0.2 < r["min_value"] < 0
    return ok, f"smallest GELU value {r['min_value']:.4f}"


def _learns(r):
    acc = r[-1]["accuracy"]
    return acc == 1.0, f"accuracy {acc:.3f} after {r[-1]['step']} steps"


def _xor_stalls(r):
    acc = max(f["accuracy"] for f in r[1:])
    return acc <= 0.8, f"best accuracy {acc:.3f} over {r[-1]['step']} steps"


_SLOPE = {"z_min": -4.0, "z_max": 4.0, "n_points": 801}
_TRAIN_TINY = {"n_points": 40, "steps": 300}


CLAIMS = [
    Claim(
        "half-at-zero",
        "With a bias of zero and both inputs at zero, a sigmoid neuron outputs exactly one half.",
        "neuron_output",
        _half_at_zero,
        params={"x1": 0.0, "x2": 0.0, "b": 0.0, "w1": 2.5, "w2": -1.5},
    ),
    Claim(
        "sigmoid-slope",
        "The sigmoid's slope is never more than 1/4",
        "activation_curves",
        _sigmoid_slope,
        params={"activation": "sigmoid", **_SLOPE},
        tiny={"n_points": 201},
    ),
    Claim(
        "tanh-slope",
        "its slope reaches 1 at zero",
        "activation_curves",
        _tanh_slope,
        params={"activation": "tanh", **_SLOPE},
        tiny={"n_points": 201},
    ),
    Claim(
        "relu-dead",
        "For every negative input, ReLU's slope is exactly zero",
        "activation_curves",
        _relu_dead,
        params={"activation": "relu", **_SLOPE},
    ),
    Claim(
        "leaky-alive",
        "Leaky ReLU keeps a small slope of 0.01 for negative inputs",
        "activation_curves",
        _leaky_alive,
        params={"activation": "leaky_relu", **_SLOPE},
    ),
    Claim(
        "gelu-dip",
        "GELU dips slightly below zero for negative inputs",
        "activation_curves",
        _gelu_dip,
        params={"activation": "gelu", **_SLOPE},
    ),
    Claim(
        "learns-and",
        "A single neuron learns AND",
        "train_neuron",
        _learns,
        params={"dataset": "and", "steps": 1000},
        tiny=_TRAIN_TINY,
        every=50,
    ),
    Claim(
        "learns-or",
        "OR works just as well.",
        "train_neuron",
        _learns,
        params={"dataset": "or", "steps": 1000},
        tiny=_TRAIN_TINY,
        every=50,
    ),
    Claim(
        "xor-stalls",
        "no straight line separates XOR",
        "train_neuron",
        _xor_stalls,
        params={"dataset": "xor", "steps": 2000},
        tiny={"n_points": 40, "steps": 600},
        every=20,
    ),
]
