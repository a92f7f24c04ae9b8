"""``MLP`` and ``DeepMLP``: structure, the layer contract, PyTorch parity, training with ``fit``,
errors, saving and loading."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab import nn
from neuronlab.data import moons
from neuronlab.io import architecture
from neuronlab.io.layers_models import register
from neuronlab.models.deep_mlp import DeepMLP
from neuronlab.models.mlp import MLP
from neuronlab.nn.normalization import BatchNorm1d, LayerNorm
from neuronlab.nn.residual import Residual
from neuronlab.train import evaluate, fit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared harness
from nn.harness import check_layer  # noqa: E402


class TorchResidual(torch.nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return x + self.fn(x)


TORCH_ACTIVATIONS = {
    "relu": torch.nn.ReLU,
    "sigmoid": torch.nn.Sigmoid,
    "tanh": torch.nn.Tanh,
    "gelu": torch.nn.GELU,
    "leaky_relu": torch.nn.LeakyReLU,
    "linear": torch.nn.Identity,
}


def torch_mlp(in_features, hidden, out, activation="relu", dropout=0.0, norm=None, residual=False):
    """The same stack written by hand in PyTorch, as a learner would."""
    layers, width = [], in_features
    names = [activation] * len(hidden) if isinstance(activation, str) else activation
    for i, size in enumerate(hidden):
        block = [torch.nn.Linear(width, size)]
        if norm == "batch":
            block.append(torch.nn.BatchNorm1d(size))
        elif norm == "layer":
            block.append(torch.nn.LayerNorm(size))
        block.append(TORCH_ACTIVATIONS[names[i]]())
        if dropout:
            block.append(torch.nn.Dropout(dropout))
        if residual and i > 0:
            layers.append(TorchResidual(torch.nn.Sequential(*block)))
        else:
            layers.extend(block)
        width = size
    layers.append(torch.nn.Linear(width, out))
    return torch.nn.Sequential(*layers)


CONFIGS = [
    pytest.param(dict(hidden=[8, 6]), id="relu"),
    pytest.param(dict(hidden=[5], activation="tanh"), id="tanh-one-hidden"),
    pytest.param(dict(hidden=[], activation="sigmoid"), id="no-hidden"),
    pytest.param(dict(hidden=[6, 6, 6], activation="gelu", norm="layer"), id="gelu-layernorm"),
    pytest.param(dict(hidden=[6, 6], activation="sigmoid", norm="batch"), id="sigmoid-batchnorm"),
    pytest.param(dict(hidden=[6, 6, 6], activation="tanh", residual=True), id="tanh-residual"),
    pytest.param(dict(hidden=[6, 6], norm="layer", residual=True), id="relu-residual-layernorm"),
    pytest.param(
        dict(hidden=[5, 4, 3], activation=["relu", "linear", "tanh"]), id="per-layer-activations"
    ),  # fmt: skip
]


def build_pair(cfg, in_features=4, out=3):
    cfg = dict(cfg)
    hidden = cfg.pop("hidden")
    return MLP(in_features, hidden, out, **cfg), torch_mlp(in_features, hidden, out, **cfg)


@pytest.mark.parametrize("cfg", CONFIGS)
def test_forward_shape_and_parameter_count_match_the_pytorch_stack(cfg):
    nl.manual_seed(0)
    ours, theirs = build_pair(cfg)
    assert ours(nl.zeros(5, 4)).shape == (5, 3)
    assert sum(p.numel() for p in ours.parameters()) == sum(p.numel() for p in theirs.parameters())
    assert [name for name, _ in ours.named_parameters()] == [
        name for name, _ in theirs.named_parameters()
    ]


@pytest.mark.torch
@pytest.mark.parametrize("cfg", CONFIGS)
def test_outputs_and_every_gradient_match_pytorch(cfg):
    nl.manual_seed(0)
    ours, theirs = build_pair(cfg)
    ours.double(), theirs.double()
    theirs.load_state_dict(
        {k: torch.from_numpy(v.data.copy()) for k, v in ours.state_dict().items()}, strict=True
    )
    x_np = np.random.default_rng(1).standard_normal((6, 4))
    x = nl.tensor(x_np, dtype="float64", requires_grad=True)
    tx = torch.tensor(x_np, requires_grad=True)
    out, tout = ours(x), theirs(tx)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-6, atol=1e-12)
    direction = np.random.default_rng(2).standard_normal(out.shape)
    (out * nl.tensor(direction, dtype="float64")).sum().backward()
    (tout * torch.from_numpy(direction)).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-6, atol=1e-12)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(
            p.grad, theirs_params[name].grad.numpy(), rtol=1e-6, atol=1e-12, err_msg=name
        )


@pytest.mark.parametrize(
    "make, names",
    [
        (lambda: MLP(3, [4], 2, activation="tanh"), ["0.weight", "0.bias", "2.weight", "2.bias"]),
        (
            lambda: MLP(3, [4, 4], 2, residual=True, dropout=0.2),
            ["0.weight", "0.bias", "3.fn.0.weight", "3.fn.0.bias", "4.weight", "4.bias"],
        ),
    ],
)
def test_layer_contract(make, names):
    check_layer(make, (5, 3), (5, 2), param_names=names, config=["in_features=3", "out_features=2"])


def test_structure_of_residual_and_normalized_models():
    model = MLP(2, [8, 8, 8], 3, norm="batch", dropout=0.1, residual=True)
    kinds = [type(layer).__name__ for layer in model]
    assert kinds == ["Linear", "BatchNorm1d", "ReLU", "Dropout", "Residual", "Residual", "Linear"]
    branch = [type(layer).__name__ for layer in model[4].fn]
    assert branch == ["Linear", "BatchNorm1d", "ReLU", "Dropout"]
    assert isinstance(MLP(2, [4], 1, norm="layer")[1], LayerNorm)
    assert isinstance(MLP(2, [4], 1, norm="batch")[1], BatchNorm1d)


def test_deep_mlp_is_an_mlp_of_depth_linear_layers():
    model = DeepMLP(
        depth=6, width=5, activation="tanh", residual=True, in_features=3, out_features=4
    )
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    assert len(linears) == 6
    assert (linears[0].in_features, linears[-1].out_features) == (3, 4)
    assert sum(isinstance(layer, Residual) for layer in model) == 4
    assert model.hidden_sizes == (5,) * 5 and "depth=6" in repr(model)
    assert not any(isinstance(layer, Residual) for layer in DeepMLP(depth=6))


def test_mlp_trains_with_fit():
    X, y = moons(300, noise=0.1, seed=0)
    nl.manual_seed(0)
    model = MLP(2, [16, 16], 2, activation="tanh")
    loss_fn = nn.CrossEntropyLoss()
    history = fit(
        model,
        loss_fn,
        nl.optim.Adam(model.parameters(), lr=0.02),
        (X, y),
        epochs=15,
        metrics=["accuracy"],
        seed=0,
        verbose=False,
    )
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert evaluate(model, loss_fn, (X, y), metrics=["accuracy"])["accuracy"] > 0.9


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(hidden_sizes=[8, 4], residual=True), ValueError, r"hidden sizes must all be equal"),
        (dict(hidden_sizes=[8], activation="swish"), ValueError, r"unknown activation 'swish'"),
        (dict(hidden_sizes=[8], norm="group"), ValueError, r"norm must be None, 'batch'"),
        (dict(hidden_sizes=8), TypeError, r"for one hidden layer write \[8\]"),
        (dict(hidden_sizes=[8, 0]), ValueError, r"positive integer, got 0"),
        (dict(hidden_sizes=[8], dropout=1.0), ValueError, r"dropout must be in \[0, 1\)"),
    ],
)
def test_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        MLP(2, out_features=1, **kwargs)


def test_deep_mlp_errors():
    with pytest.raises(ValueError, match="depth counts the Linear layers"):
        DeepMLP(depth=1)
    with pytest.raises(ValueError, match="width must be a positive integer"):
        DeepMLP(width=0)


@pytest.fixture
def registered(monkeypatch):
    """register() on copies of the architecture tables, so other tests see them unchanged."""
    monkeypatch.setattr(architecture, "LAYERS", dict(architecture.LAYERS))
    monkeypatch.setattr(architecture, "_REGISTERED", dict(architecture._REGISTERED))
    register()


@pytest.mark.parametrize(
    "make",
    [
        lambda: MLP(3, [4, 4], 2, activation="gelu", dropout=0.1, norm="layer", residual=True),
        lambda: DeepMLP(
            depth=5, width=4, activation="tanh", residual=True, norm="batch", in_features=3
        ),
        lambda: nn.Sequential(Residual(nn.Sequential(nn.Linear(3, 3), nn.Tanh())), nn.Linear(3, 2)),
    ],
    ids=["mlp", "deep_mlp", "residual"],
)
def test_save_and_load_round_trip(tmp_path, make, registered):
    nl.manual_seed(0)
    model = make().eval()
    path = tmp_path / "model.safetensors"
    nl.io.save(model, path)
    loaded = nl.io.load(path).eval()
    assert type(loaded) is type(model) and repr(loaded) == repr(model)
    x = nl.randn(4, 3)
    np.testing.assert_array_equal(loaded(x).data, model(x).data)


def test_per_layer_activations_need_one_name_per_hidden_layer():
    model = MLP(2, [3, 3], 1, activation=["tanh", "linear"])
    assert [type(m).__name__ for m in model] == ["Linear", "Tanh", "Linear", "Identity", "Linear"]
    assert model.activation == ["tanh", "linear"]
    with pytest.raises(ValueError, match="one name per hidden layer"):
        MLP(2, [3, 3], 1, activation=["tanh"])


def test_point_features_are_the_playground_inputs_and_save_with_the_model(tmp_path):
    from neuronlab.models import PointFeatures

    model = nn.Sequential(PointFeatures(["x1", "x2sq", "x1x2", "sinx2"]), MLP(4, [3], 1))
    x = np.array([[1.0, 2.0], [-0.5, 0.25]], dtype=np.float32)
    feats = model[0](nl.tensor(x)).data
    np.testing.assert_allclose(feats, [[1, 4, 2, np.sin(2)], [-0.5, 0.0625, -0.125, np.sin(0.25)]],
                               rtol=1e-6)  # fmt: skip
    nl.save(model, tmp_path / "pg.safetensors")
    again = nl.load(tmp_path / "pg.safetensors")
    assert again[0].names == ["x1", "x2sq", "x1x2", "sinx2"]
    np.testing.assert_array_equal(again(nl.tensor(x)).data, model(nl.tensor(x)).data)
    with pytest.raises(ValueError, match="expected distinct names"):
        PointFeatures(["x1", "x3"])
    with pytest.raises(ValueError, match=r"expected points of shape \(N, 2\), got shape \(2, 3\)"):
        model[0](nl.zeros(2, 3))
