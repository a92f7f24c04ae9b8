"""``ResNet``: the paper's structure and parameter counts, shapes, PyTorch parity, a short
training run, errors, saving and loading."""

from __future__ import annotations

import doctest
import importlib
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab import nn
from neuronlab.interpret.gradient_flow import gradient_norms
from neuronlab.io import architecture
from neuronlab.io.layers_models import register
from neuronlab.models.resnet import ResNet, resnet20, resnet32, resnet44, resnet56, resnet110
from neuronlab.nn.conv import Conv2d
from neuronlab.nn.residual import BasicBlock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the torch block
from nn.test_residual import TorchBasicBlock  # noqa: E402

# He et al. 2016, table 6: parameters of the CIFAR-10 ResNets, in millions.
PAPER = {
    20: (resnet20, 0.27),
    32: (resnet32, 0.46),
    44: (resnet44, 0.66),
    56: (resnet56, 0.85),
    110: (resnet110, 1.7),
}


def count(model):
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("depth", sorted(PAPER))
def test_parameter_counts_match_the_paper(depth):
    """The paper's CIFAR models use zero-padding shortcuts (no parameters); ours project with a
    1x1 conv + batch norm, 16->32 (512 + 64) and 32->64 (2,048 + 128): 2,752 more at any depth.
    Without them the count rounds to the paper's figure (ResNet-20: 269,722 -> 0.27M)."""
    make, millions = PAPER[depth]
    model = make()
    shortcuts = sum(p.numel() for name, p in model.named_parameters() if ".downsample." in name)
    assert shortcuts == 2_752
    digits = 1 if millions >= 1 else 2
    assert round((count(model) - shortcuts) / 1e6, digits) == millions
    # depth counts the weight layers on the main path: convolutions (not the 1x1 shortcuts) + fc
    convs = [m for m in model.modules() if isinstance(m, Conv2d) and m.weight.shape[-1] == 3]
    assert len(convs) + 1 == depth
    blocks = [m for m in model.modules() if isinstance(m, BasicBlock)]
    assert len(blocks) == 3 * (depth - 2) // 6


def test_resnet20_exact_count_and_layout():
    model = resnet20()
    assert count(model) == 272_474  # 0.27M; the 1x1 projection shortcuts add 2,752
    assert [name for name, _ in model.named_children()] == [
        "conv1",
        "bn1",
        "layer1",
        "layer2",
        "layer3",
        "avgpool",
        "fc",
    ]
    assert [len(stage) for stage in (model.layer1, model.layer2, model.layer3)] == [3, 3, 3]
    assert [model.layer1[0].out_ch, model.layer2[0].out_ch, model.layer3[0].out_ch] == [16, 32, 64]


def test_resnet20_on_cifar_sized_images():
    nl.manual_seed(0)
    model = resnet20()
    out = model(nl.randn(2, 3, 32, 32))
    assert out.shape == (2, 10) and out.dtype == np.float32
    assert np.all(np.isfinite(out.data))


@pytest.mark.parametrize(
    "kwargs, shape, expected",
    [
        (dict(depth=8, width=4), (2, 3, 8, 8), (2, 10)),
        (dict(depth=8, width=4, num_classes=3), (1, 3, 5, 7), (1, 3)),
        (dict(depth=14, width=2, in_channels=1, num_classes=2), (3, 1, 9, 9), (3, 2)),
    ],
)
def test_output_shapes(kwargs, shape, expected):
    nl.manual_seed(0)
    assert ResNet(**kwargs)(nl.randn(*shape)).shape == expected


def torch_resnet(depth, num_classes, in_channels, width):
    n = (depth - 2) // 6

    def stage(a, b, stride):
        return torch.nn.Sequential(
            TorchBasicBlock(a, b, stride), *[TorchBasicBlock(b, b) for _ in range(n - 1)]
        )

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = torch.nn.Conv2d(in_channels, width, 3, 1, 1, bias=False)
            self.bn1 = torch.nn.BatchNorm2d(width)
            self.layer1 = stage(width, width, 1)
            self.layer2 = stage(width, 2 * width, 2)
            self.layer3 = stage(2 * width, 4 * width, 2)
            self.avgpool = torch.nn.AdaptiveAvgPool2d((1, 1))
            self.fc = torch.nn.Linear(4 * width, num_classes)

        def forward(self, x):
            x = torch.relu(self.bn1(self.conv1(x)))
            x = self.layer3(self.layer2(self.layer1(x)))
            return self.fc(torch.flatten(self.avgpool(x), 1))

    return Net()


@pytest.mark.torch
def test_resnet_matches_pytorch_with_copied_weights():
    nl.manual_seed(0)
    ours = ResNet(depth=8, num_classes=3, in_channels=2, width=3).double()
    theirs = torch_resnet(8, 3, 2, 3).double()
    theirs.load_state_dict(
        {k: torch.from_numpy(v.data.copy()) for k, v in ours.state_dict().items()}, strict=True
    )
    x_np = np.random.default_rng(1).standard_normal((4, 2, 7, 7))
    x = nl.tensor(x_np, dtype="float64", requires_grad=True)
    tx = torch.tensor(x_np, requires_grad=True)
    out, tout = ours(x), theirs(tx)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-6, atol=1e-10)
    y = np.array([0, 1, 2, 1])
    nn.CrossEntropyLoss()(out, y).backward()
    torch.nn.CrossEntropyLoss()(tout, torch.from_numpy(y)).backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-6, atol=1e-10)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(
            p.grad, theirs_params[name].grad.numpy(), rtol=1e-6, atol=1e-10, err_msg=name
        )


def test_short_training_run_reduces_the_loss():
    """Tell images with a bright top half from images with a bright bottom half."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 3, 8, 8)).astype(np.float32)
    y = np.arange(32) % 2
    X[y == 1, :, :4] += 1.0
    X[y == 0, :, 4:] += 1.0
    nl.manual_seed(0)
    model = ResNet(depth=8, num_classes=2, width=4)
    optimizer = nl.optim.Adam(model.parameters(), lr=0.01)
    loss_fn, losses = nn.CrossEntropyLoss(), []
    for _ in range(15):
        loss = loss_fn(model(nl.tensor(X)), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
    model.eval()
    with nl.no_grad():
        assert (model(nl.tensor(X)).numpy().argmax(1) == y).mean() > 0.9


def test_gradient_flow_lists_every_weight_layer_in_forward_order():
    nl.manual_seed(0)
    model = ResNet(depth=8, width=2)
    names = [
        name
        for name, _ in gradient_norms(model, nn.CrossEntropyLoss(), nl.randn(2, 3, 4, 4), [0, 1])
    ]
    assert names == [
        "conv1",
        "layer1.0.conv1",
        "layer1.0.conv2",
        "layer2.0.downsample.0",
        "layer2.0.conv1",
        "layer2.0.conv2",
        "layer3.0.downsample.0",
        "layer3.0.conv1",
        "layer3.0.conv2",
        "fc",
    ]


def test_errors():
    with pytest.raises(ValueError, match=r"depth = 6n \+ 2.*8, 14, 20"):
        ResNet(depth=21)
    with pytest.raises(ValueError, match="width must be a positive integer"):
        ResNet(width=0)
    model = ResNet(depth=8, width=2)
    with pytest.raises(ValueError, match=r"expected input of shape \(N, 3, H, W\).*permute"):
        model(nl.zeros(2, 8, 8, 3))
    with pytest.raises(ValueError, match=r"got \(8, 8\)"):
        model(nl.zeros(8, 8))


@pytest.fixture
def registered(monkeypatch):
    """register() on copies of the architecture tables, so other tests see them unchanged."""
    monkeypatch.setattr(architecture, "LAYERS", dict(architecture.LAYERS))
    monkeypatch.setattr(architecture, "_REGISTERED", dict(architecture._REGISTERED))
    register()


def test_save_and_load_round_trip(tmp_path, registered):
    nl.manual_seed(0)
    model = ResNet(depth=8, num_classes=4, in_channels=1, width=2)
    model(nl.randn(4, 1, 6, 6))  # move the batch norms' running statistics away from 0 and 1
    model.eval()
    path = tmp_path / "resnet.safetensors"
    nl.io.save(model, path)
    loaded = nl.io.load(path).eval()
    assert repr(loaded) == repr(model)
    x = nl.randn(2, 1, 6, 6)
    np.testing.assert_array_equal(loaded(x).data, model(x).data)


@pytest.mark.parametrize(
    "name",
    [
        "neuronlab.models",
        "neuronlab.models.mlp",
        "neuronlab.models.deep_mlp",
        "neuronlab.models.resnet",
        "neuronlab.io.layers_models",
    ],
)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0, name
