"""The depth chapter's claims: a 20-layer plain sigmoid/tanh network's gradients vanish toward the
input and it stays at chance; the same network with skip connections keeps its per-layer
gradients within an order of magnitude and learns.

Settings are small (400 points, width 32, about 160 SGD steps), but the depth is the real 20.
Measured values at the time of writing are in the comments; the bounds leave room for the seeds.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import neuronlab as nl
from neuronlab.data import StandardScaler, circle, train_test_split
from neuronlab.interpret.gradient_flow import gradient_norms
from neuronlab.models.deep_mlp import DeepMLP
from neuronlab.nn.residual import Residual
from neuronlab.train import evaluate, fit

SEEDS = [0, 1, 2]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "depth_vanishing_gradients.py"


@pytest.fixture(scope="module")
def data():
    X, y = circle(400, noise=0.05, seed=0)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, seed=0)
    scaler = StandardScaler().fit(X_tr)
    return scaler.transform(X_tr), y_tr, scaler.transform(X_te), y_te


def norms_of(model, data):
    return np.array([n for _, n in gradient_norms(model, nl.nn.CrossEntropyLoss(), *data[:2])])


def deep(activation, residual, seed, depth=20):
    nl.manual_seed(seed)
    return DeepMLP(depth=depth, width=32, activation=activation, residual=residual)


@pytest.mark.parametrize("seed", SEEDS)
def test_plain_sigmoid_gradients_vanish_toward_the_input(data, seed):
    norms = norms_of(deep("sigmoid", False, seed), data)
    assert len(norms) == 20
    assert norms[0] < 1e-3 * norms[-1]  # measured ~1e-17
    assert np.all(np.diff(norms) > 0), "each layer should get more gradient than the one before"
    hidden = norms[1:-1]
    assert hidden[0] / hidden[-1] < 1e-12  # measured ~5e-15: 0.14 per layer, 17 times


@pytest.mark.parametrize("seed", SEEDS)
def test_plain_tanh_gradients_vanish_toward_the_input(data, seed):
    norms = norms_of(deep("tanh", False, seed), data)
    assert norms[0] < 1e-2 * norms[-1]  # measured 2e-5 .. 4e-4
    assert norms[1:-1].max() / norms[1:-1].min() > 100  # measured 400 .. 3600


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_the_shrinking_comes_from_depth(data, activation):
    """Ten more layers divide the plain network's first/last ratio by orders of magnitude, and
    leave the residual network's nearly unchanged (measured at depth 10 -> 20: sigmoid 3e-8 ->
    1e-17 plain, 4e-3 -> 6e-4 residual; tanh 2e-2 -> 3e-4 plain, 0.14 -> 0.12 residual)."""

    def ratio(residual, depth):
        norms = norms_of(deep(activation, residual, 0, depth=depth), data)
        return norms[0] / norms[-1]

    plain = ratio(False, 20) / ratio(False, 10)
    residual = ratio(True, 20) / ratio(True, 10)
    assert plain < (1e-6 if activation == "sigmoid" else 0.1)
    assert residual > 0.05


@pytest.mark.parametrize("seed", SEEDS)
def test_skip_connections_keep_tanh_gradients_within_an_order_of_magnitude(data, seed):
    norms = norms_of(deep("tanh", True, seed), data)
    hidden = norms[1:-1]  # the 18 width x width layers, each behind a skip connection
    assert hidden.max() / hidden.min() < 10  # measured 1.3 .. 3.4
    assert norms[0] > 1e-2 * norms[-1]  # measured 0.04 .. 0.6 (plain: < 1e-3)


@pytest.mark.parametrize("seed", SEEDS)
def test_skip_connections_keep_sigmoid_gradients_from_vanishing(data, seed):
    """The identity path delivers the same gradient to every hidden layer's output (within
    20%), so dL/dh does not vanish. The *weight* gradients dL/dW_l = (sigma' * dL/dh_l) h_{l-1}^T
    still drift by the growth of the stream h: every sigmoid branch adds values in (0, 1), so
    ||h|| grows linearly with depth (x17..19 here) -- a linear effect, bounded by the depth,
    against 14 orders of magnitude without the skips."""
    model = deep("sigmoid", True, seed)
    outputs = []
    for layer in model:
        if isinstance(layer, Residual):
            layer.register_forward_hook(lambda m, inputs, out: outputs.append(out.retain_grad()))
    nl.nn.CrossEntropyLoss()(model(nl.tensor(data[0])), data[1]).backward()
    grads = np.array([np.linalg.norm(out.grad) for out in outputs])
    assert len(grads) == 18 and grads.max() / grads.min() < 1.5  # measured 1.06 .. 1.21

    hidden = norms_of(model, data)[1:-1]
    assert hidden.max() / hidden.min() < 20  # measured 6 .. 11, i.e. < depth
    assert hidden[0] / hidden[-1] > 0.05  # measured 0.10 .. 0.30 (plain: ~1e-15)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_plain_network_stays_at_chance_and_the_residual_one_learns(data, activation):
    X_tr, y_tr, X_te, y_te = data
    accuracy = {}
    for residual in (False, True):
        model = deep(activation, residual, seed=0)
        loss_fn = nl.nn.CrossEntropyLoss()
        optimizer = nl.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        fit(
            model, loss_fn, optimizer, (X_tr, y_tr), epochs=30, batch_size=64, seed=0, verbose=False
        )  # 150 steps, the same for both
        accuracy[residual] = evaluate(model, loss_fn, (X_te, y_te), metrics=["accuracy"])[
            "accuracy"
        ]
    assert accuracy[False] < 0.6  # chance is 0.5; measured 0.50
    assert accuracy[True] > 0.85  # measured 0.9+
    assert accuracy[True] - accuracy[False] > 0.3


def test_the_example_runs_and_prints_its_numbers(capsys):
    spec = importlib.util.spec_from_file_location("depth_example", EXAMPLE)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    results = example.main(["--epochs", "20", "--samples", "400"])
    text = capsys.readouterr().out
    assert "first/last" in text and "test accuracy" in text and "19.fn.0 Linear" in text
    by_name = {(r["activation"], r["residual"]): r for r in results}
    assert by_name["sigmoid", False]["first_last_ratio"] < 1e-3
    assert by_name["sigmoid", False]["test_accuracy"] < 0.6
    assert by_name["tanh", True]["hidden_spread"] < 10
    assert by_name["tanh", True]["test_accuracy"] > 0.85
