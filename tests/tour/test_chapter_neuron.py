"""Chapter 1, neuron: every claim holds at tiny size, and the experiments return what the
lab and the terminal draw."""

from __future__ import annotations

import numpy as np
import pytest

from neuronlab.tour import (
    ParamError,
    check_claim,
    decode_grid,
    get_chapter,
    run_experiment,
    run_headless,
)

CHAPTER = get_chapter("neuron")


@pytest.mark.parametrize("claim", [c.id for c in CHAPTER.claims])
def test_claim_holds(claim):
    result = check_claim("neuron", claim, tiny=True)
    assert result.passed, f"{claim}: {result.detail}"
    assert result.seconds < 5


def test_neuron_output_is_the_weighted_sum_through_the_activation():
    r = run_experiment(
        "neuron", "neuron_output", {"x1": 1.5, "x2": -2.0, "w1": 0.4, "w2": 0.25, "b": -0.1}
    )
    z = 0.4 * 1.5 + 0.25 * -2.0 - 0.1
    assert r["z"] == pytest.approx(z)
    assert r["y"] == pytest.approx(1 / (1 + np.exp(-z)))
    assert r["slope"] == pytest.approx(r["y"] * (1 - r["y"]))
    assert r["terms"]["kind"] == "table"


@pytest.mark.parametrize(
    "name, f, df",
    [
        ("tanh", np.tanh, lambda z: 1 - np.tanh(z) ** 2),
        ("relu", lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
        ("leaky_relu", lambda z: np.where(z > 0, z, 0.01 * z), lambda z: np.where(z > 0, 1, 0.01)),
    ],
)
def test_activation_curves_match_numpy(name, f, df):
    r = run_experiment("neuron", "activation_curves", {"activation": name, "n_points": 40})
    z = np.array(r["curves"]["x"])
    assert np.allclose(r["curves"]["ys"]["value"], f(z))
    assert np.allclose(r["curves"]["ys"]["derivative"], df(z))


def test_activation_range_is_checked():
    with pytest.raises(ParamError, match="z_max"):
        run_experiment("neuron", "activation_curves", {"z_min": 0.0, "z_max": 0.0})


def test_training_frames_show_the_boundary():
    frames = run_headless("neuron", "train_neuron", {"steps": 50, "n_points": 16}, every=25)
    assert [f["step"] for f in frames] == [0, 25, 50]
    last = frames[-1]
    assert last["probability"]["kind"] == "grid"
    prob = decode_grid(last["probability"])
    assert prob.shape == (40, 40) and 0 <= prob.min() <= prob.max() <= 1
    (a, b), (c, d) = last["line"]
    for x, y in ((a, b), (c, d)):  # both ends lie on w1 x + w2 y + b = 0
        assert last["w1"] * x + last["w2"] * y + last["b"] == pytest.approx(0, abs=1e-6)
    assert len(last["points"]["x"]) == 16


def test_training_is_reproducible_with_a_seed():
    params = {"steps": 30, "n_points": 16, "seed": 7, "dataset": "gaussian"}
    a = run_headless("neuron", "train_neuron", params, every=30)[-1]
    b = run_headless("neuron", "train_neuron", params, every=30)[-1]
    assert a["loss"] == b["loss"] and a["w1"] == b["w1"]
