"""The depth stop: its claims at tiny sizes, and the measurements behind each widget, with
PyTorch as the reference for the per-layer gradient norms."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
import torch

from neuronlab.tour.chapters.depth import CHAPTER, nets
from neuronlab.tour.markdown import to_html
from neuronlab.tour.runner import check_claim, run_experiment, run_headless
from neuronlab.tour.schema import ParamError

pytestmark = pytest.mark.usefixtures("one_blas_thread")


@pytest.mark.parametrize("claim", [c.id for c in CHAPTER.claims])
def test_claim_holds_at_tiny_size(claim):
    result = check_claim("depth", claim, tiny=True)
    assert result.passed, result.detail


def test_every_widget_is_placed_and_the_math_renders():
    html = to_html(CHAPTER.text())
    assert "math-error" not in html and html.count("<math") >= 4
    for step in CHAPTER.tour_steps():
        assert f'data-widget="{step.widget}"' in html, step.widget
    text = " ".join(re.sub(r"[*_`]", "", CHAPTER.text()).split())
    for claim in CHAPTER.claims:
        assert " ".join(claim.text.split()) in text, claim.id


def _torch_copy(model, activation):
    """The same plain DeepMLP in PyTorch, weights copied."""
    act = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}[activation]
    linears = [m for m in model if type(m).__name__ == "Linear"]
    layers = []
    for i, lin in enumerate(linears):
        t = torch.nn.Linear(lin.in_features, lin.out_features).double()
        t.weight.data = torch.tensor(lin.weight.data, dtype=torch.float64)
        t.bias.data = torch.tensor(lin.bias.data, dtype=torch.float64)
        layers += [t] + ([act()] if i < len(linears) - 1 else [])
    return torch.nn.Sequential(*layers), [layer for layer in layers if hasattr(layer, "weight")]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_gradient_bars_match_pytorch(activation):
    out = run_experiment("depth", "gradients", {"depth": 8, "activation": activation})
    d = nets.toy_data("circle", 400, 0)
    model = nets.build(depth=8, activation=activation, residual=False)
    ref, linears = _torch_copy(model, activation)
    X = torch.tensor(d["X"][:128], dtype=torch.float64)
    loss = torch.nn.functional.cross_entropy(ref(X), torch.tensor(d["y"][:128]))
    loss.backward()
    expected = [float(layer.weight.grad.norm()) for layer in linears]
    np.testing.assert_allclose(out["norms"], expected, rtol=1e-3)
    assert out["bars"]["values"]["gradient norm"] == out["norms"] and out["bars"]["log"]


def test_depth_skips_and_normalization_change_the_bars():
    base = {"depth": 20, "activation": "sigmoid"}
    plain = run_experiment("depth", "gradients", base)
    skip = run_experiment("depth", "gradients", {**base, "residual": True})
    batch = run_experiment("depth", "gradients", {**base, "norm": "batch"})
    shallow = run_experiment("depth", "gradients", {**base, "depth": 5})
    assert len(plain["norms"]) == 20 and len(shallow["norms"]) == 5
    assert plain["hidden_ratio"] < 1e-10 < 1e-2 < skip["hidden_ratio"]
    assert batch["hidden_ratio"] > 1e-2 and shallow["hidden_ratio"] > plain["hidden_ratio"]


def test_the_race_trains_both_nets_in_lockstep_with_full_curves():
    params = {"depth": 6, "epochs": 3, "n_samples": 80, "speed": 0}
    frames = run_headless("depth", "race", params, every=1)
    assert [f["step"] for f in frames] == list(range(len(frames)))
    last = frames[-1]
    assert last["done"] and last["step"] == last["total_steps"] == 3  # 60 points: 1 step/epoch
    for net in last["nets"].values():
        assert net["curves"]["epoch"] == [0, 1, 2, 3] and len(net["norms"]) == 6


def test_a_diverging_net_is_reported_not_raised():
    params = {"depth": 10, "activation": "relu", "epochs": 5, "learning_rate": 1.0,
              "n_samples": 200, "speed": 0}  # fmt: skip
    with pytest.warns(RuntimeWarning):
        frames = run_headless("depth", "race", params, every=100)
    assert frames[-1]["done"]
    losses = [net["loss"] for net in frames[-1]["nets"].values()]
    assert any(loss is None for loss in losses)  # NaN travels as null


def test_bad_settings_are_refused_with_the_parameter_named():
    with pytest.raises(ParamError, match="depth"):
        run_experiment("depth", "gradients", {"depth": 80})
    with pytest.raises(ParamError, match="norm"):
        run_experiment("depth", "gradients", {"norm": "group"})


@pytest.mark.slow
def test_the_terminal_tour_saves_gradient_bars(tmp_path):
    from rich.console import Console

    from neuronlab.tour.terminal import TerminalTour

    tour = TerminalTour(Console(file=io.StringIO(), width=100), tmp_path)
    assert tour.run("depth", claims=False)
    names = [p.name for p in tour.figures]
    assert sum("gradients" in name for name in names) == 4 and any("budget" in n for n in names)
    assert all(p.is_file() and p.stat().st_size > 1000 for p in tour.figures)
