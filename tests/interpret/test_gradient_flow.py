"""``gradient_norms`` and ``gradient_flow_report``: which layers, in which order, which numbers."""

from __future__ import annotations

import doctest
import importlib
import math

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab import nn
from neuronlab.interpret.gradient_flow import (
    GradientFlowReport,
    default_axis,
    format_gradient_flow,
    gradient_flow_report,
    gradient_norms,
)
from neuronlab.nn.normalization import BatchNorm1d
from neuronlab.nn.residual import Residual

LOSS = nn.CrossEntropyLoss()


def batch(n=8, features=3, classes=2, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, features)).astype(np.float32), rng.integers(0, classes, n)


class Reversed(nn.Module):
    """Registers its layers in one order and uses them in the other."""

    def __init__(self):
        super().__init__()
        self.last = nn.Linear(4, 2)
        self.first = nn.Linear(3, 4)
        self.unused = nn.Linear(3, 3)

    def forward(self, x):
        return self.last(self.first(x).tanh())


def test_norms_are_listed_in_forward_order_and_unused_layers_are_left_out():
    nl.manual_seed(0)
    names = [name for name, _ in gradient_norms(Reversed(), LOSS, *batch())]
    assert names == ["first", "last"]


def test_norms_equal_the_weight_gradients_of_an_ordinary_backward():
    nl.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(3, 5), nn.Sigmoid(), nn.Linear(5, 5), nn.Tanh(), nn.Linear(5, 2)
    )
    X, y = batch()
    norms = gradient_norms(model, LOSS, X, y)
    LOSS(model(nl.tensor(X)), y).backward()
    expected = [("0", model[0]), ("2", model[2]), ("4", model[4])]
    assert [name for name, _ in norms] == [name for name, _ in expected]
    for (_, norm), (_, layer) in zip(norms, expected):
        assert norm == pytest.approx(float(np.linalg.norm(layer.weight.grad)), rel=1e-6)
        assert norm > 0


def test_existing_gradients_are_restored():
    nl.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    marker = np.full((4, 3), 7.0, dtype=np.float32)
    model[0].weight.grad = marker
    gradient_norms(model, LOSS, *batch())
    assert model[0].weight.grad is marker
    assert model[2].weight.grad is None and model[0].bias.grad is None


def test_a_shared_layer_is_listed_once_and_1d_norm_weights_are_not_layers():
    nl.manual_seed(0)
    shared = nn.Linear(4, 4)
    model = nn.Sequential(
        nn.Linear(3, 4), BatchNorm1d(4), shared, nn.Tanh(), shared, nn.Linear(4, 2)
    )
    names = [name for name, _ in gradient_norms(model, LOSS, *batch())]
    assert names == ["0", "2", "5"]


def test_nested_names_and_float64_models_take_numpy_inputs():
    nl.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(3, 4), Residual(nn.Sequential(nn.Linear(4, 4), nn.Tanh())), nn.Linear(4, 2)
    ).double()
    X, y = batch()
    norms = gradient_norms(model, LOSS, X.astype(np.float64), y)
    assert [name for name, _ in norms] == ["0", "1.fn.0", "2"]


def test_errors_say_what_was_expected():
    with pytest.raises(TypeError, match="expected a neuronlab Module"):
        gradient_norms(lambda x: x, LOSS, *batch())
    model = nn.Linear(3, 2)
    with pytest.raises(ValueError, match="scalar"):
        gradient_norms(model, lambda out, y: out, *batch())
    assert model.weight.grad is None  # restored even after the error


@pytest.mark.torch
def test_norms_match_pytorch_with_copied_weights():
    nl.manual_seed(0)
    ours = nn.Sequential(
        nn.Linear(3, 6), nn.Sigmoid(), nn.Linear(6, 6), nn.Sigmoid(), nn.Linear(6, 2)
    ).double()
    theirs = torch.nn.Sequential(
        torch.nn.Linear(3, 6),
        torch.nn.Sigmoid(),
        torch.nn.Linear(6, 6),
        torch.nn.Sigmoid(),
        torch.nn.Linear(6, 2),
    ).double()
    theirs.load_state_dict(
        {k: torch.from_numpy(v.data.copy()) for k, v in ours.state_dict().items()}
    )
    X, y = batch(16)
    X = X.astype(np.float64)
    norms = gradient_norms(ours, LOSS, X, y)
    torch.nn.CrossEntropyLoss()(theirs(torch.from_numpy(X)), torch.from_numpy(y)).backward()
    expected = [float(theirs[i].weight.grad.norm()) for i in (0, 2, 4)]
    np.testing.assert_allclose([n for _, n in norms], expected, rtol=1e-6)


def test_report_summaries_and_chart():
    nl.manual_seed(0)
    model = nn.Sequential(
        *[m for _ in range(6) for m in (nn.Linear(3, 3), nn.Sigmoid())], nn.Linear(3, 2)
    )
    report = gradient_flow_report(model, LOSS, *batch())
    assert isinstance(report, GradientFlowReport)
    values = [n for _, n in report.norms]
    assert report.first_last_ratio == pytest.approx(values[0] / values[-1])
    assert report.spread == pytest.approx(max(values) / min(values))
    assert report.kinds == ["Linear"] * 7
    lines = report.chart.splitlines()
    assert len(lines) == 1 + 7 and lines[1].startswith("0 Linear")
    bars = [line.count("#") for line in lines[1:]]
    assert bars[values.index(max(values))] == 40 and min(bars) >= 1
    assert "first / last layer" in str(report)


def test_chart_is_logarithmic_and_accepts_a_shared_axis():
    norms = [("a", 1e-6), ("b", 1e-3), ("c", 1.0), ("d", 0.0)]
    lines = format_gradient_flow(norms, width=7).splitlines()
    assert [line.count("#") for line in lines[1:]] == [1, 4, 7, 0]
    lines = format_gradient_flow([("a", 1e-3)], width=7, axis=(1e-6, 1.0)).splitlines()
    assert lines[1].count("#") == 4
    assert format_gradient_flow([]) == "(no weight layers)"


def test_default_axis_spans_at_least_three_decades():
    assert default_axis([0.5, 1.0]) == (pytest.approx(1e-3), 1.0)
    assert default_axis([1e-9, 1.0]) == (1e-9, 1.0)
    lo, hi = default_axis([0.0])
    assert math.isfinite(lo) and hi > lo


@pytest.mark.parametrize("name", ["neuronlab.interpret", "neuronlab.interpret.gradient_flow"])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0, name
