"""A small CNN and a small MLP, each with a PyTorch twin holding the same weights (Captum's
models), in float64 so that attributions agree to rounding."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.models import SmallCNN


def torch_cnn(model: SmallCNN) -> torch.nn.Module:
    c1, c2 = model.channels
    twin = torch.nn.Module()
    twin.features = torch.nn.Sequential(
        torch.nn.Conv2d(1, c1, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(c1, c2, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    )  # fmt: skip
    twin.classifier = torch.nn.Sequential(
        torch.nn.Flatten(), torch.nn.Linear(c2 * 49, model.hidden), torch.nn.ReLU(),
        torch.nn.Linear(model.hidden, model.num_classes),
    )  # fmt: skip
    twin.forward = lambda x: twin.classifier(twin.features(x))
    return _copy(model, twin)


def torch_mlp(model: nl.nn.Sequential) -> torch.nn.Module:
    twin = torch.nn.Sequential(
        torch.nn.Linear(6, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8), torch.nn.ReLU(),
        torch.nn.Linear(8, 3),
    )  # fmt: skip
    return _copy(model, twin)


def _copy(model, twin):
    state = {k: torch.from_numpy(np.array(v.data)) for k, v in model.state_dict().items()}
    twin.load_state_dict(state)
    return twin.double().eval()


@pytest.fixture
def cnn():
    nl.manual_seed(3)
    model = SmallCNN(channels=(3, 4), hidden=12).double()
    return model, torch_cnn(model)


@pytest.fixture
def mlp():
    nl.manual_seed(4)
    model = nl.nn.Sequential(
        nl.nn.Linear(6, 8), nl.nn.Tanh(), nl.nn.Linear(8, 8), nl.nn.ReLU(), nl.nn.Linear(8, 3)
    ).double()
    return model, torch_mlp(model)


@pytest.fixture
def images():
    return np.random.default_rng(0).random((3, 1, 28, 28))


@pytest.fixture
def rows():
    return np.random.default_rng(1).normal(size=(5, 6))
