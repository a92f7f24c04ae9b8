"""``Residual`` and ``BasicBlock``: the layer contract, the identity path, PyTorch parity, errors,
saving and loading."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab import nn
from neuronlab.io import architecture
from neuronlab.io.layers_models import register
from neuronlab.nn.residual import BasicBlock, Residual

from .harness import check_layer

TOL = dict(rtol=1e-6, atol=1e-10)


# ----- Residual ----------------------------------------------------------------------------------
def test_residual_layer_contract():
    check_layer(
        lambda: Residual(nn.Sequential(nn.Linear(4, 4), nn.Tanh())),
        (3, 4),
        (3, 4),
        param_names=["fn.0.weight", "fn.0.bias"],
        config=["(fn): Sequential"],
    )


def test_residual_adds_the_input_and_passes_the_gradient_along_the_identity():
    branch = nn.Linear(3, 3)
    branch.weight.data[...] = 0.0
    branch.bias.data[...] = 0.5
    x = nl.randn(2, 3, requires_grad=True)
    out = Residual(branch)(x)
    np.testing.assert_allclose(out.data, x.data + 0.5)
    dout = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
    out.backward(dout)
    np.testing.assert_array_equal(x.grad, dout)  # zero branch: dx = dout exactly


def test_residual_errors():
    with pytest.raises(TypeError, match=r"Residual\(fn\) expected a Module.*nn.Tanh\(\)"):
        Residual(np.tanh)
    with pytest.raises(ValueError, match=r"fn must keep the shape.*\(2, 4\).*\(2, 3\)"):
        Residual(nn.Linear(4, 3))(nl.zeros(2, 4))


# ----- BasicBlock --------------------------------------------------------------------------------
class TorchBasicBlock(torch.nn.Module):
    """torchvision's BasicBlock, written out (torchvision is not a dependency)."""

    def __init__(self, in_ch, out_ch, stride=1):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(in_ch, out_ch, 3, stride, 1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(out_ch)
        self.conv2 = torch.nn.Conv2d(out_ch, out_ch, 3, 1, 1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(out_ch)
        self.downsample = None
        if stride != 1 or in_ch != out_ch:
            self.downsample = torch.nn.Sequential(
                torch.nn.Conv2d(in_ch, out_ch, 1, stride, bias=False), torch.nn.BatchNorm2d(out_ch)
            )

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        out = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(out)) + shortcut)


BLOCKS = [
    pytest.param(3, 3, 1, (2, 3, 6, 6), id="identity-shortcut"),
    pytest.param(3, 5, 1, (2, 3, 5, 5), id="projection-channels"),
    pytest.param(2, 4, 2, (3, 2, 7, 6), id="projection-stride2-odd"),
]


def _randomize_norms(block):
    """Batch norms start at weight 1, bias 0; other values make the parity test stricter."""
    rng = np.random.default_rng(5)
    for name, p in block.named_parameters():
        if p.ndim == 1:
            p.data[...] = (
                rng.uniform(0.5, 1.5, p.shape) if "weight" in name else rng.normal(size=p.shape)
            )


@pytest.mark.torch
@pytest.mark.parametrize("mode", ["train", "eval"])
@pytest.mark.parametrize("in_ch, out_ch, stride, shape", BLOCKS)
def test_basic_block_matches_pytorch(in_ch, out_ch, stride, shape, mode):
    nl.manual_seed(0)
    ours = BasicBlock(in_ch, out_ch, stride).double()
    _randomize_norms(ours)
    theirs = TorchBasicBlock(in_ch, out_ch, stride).double()
    theirs.load_state_dict(
        {k: torch.from_numpy(v.data.copy()) for k, v in ours.state_dict().items()}, strict=True
    )
    if mode == "eval":  # fill the running statistics with one training pass, then compare
        x0 = np.random.default_rng(9).standard_normal(shape)
        ours(nl.tensor(x0, dtype="float64")), theirs(torch.from_numpy(x0))
        ours.eval(), theirs.eval()
    x_np = np.random.default_rng(1).standard_normal(shape)
    x = nl.tensor(x_np, dtype="float64", requires_grad=True)
    tx = torch.tensor(x_np, requires_grad=True)
    out, tout = ours(x), theirs(tx)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), **TOL)
    direction = np.random.default_rng(2).standard_normal(out.shape)
    (out * nl.tensor(direction, dtype="float64")).sum().backward()
    (tout * torch.from_numpy(direction)).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TOL)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, theirs_params[name].grad.numpy(), **TOL, err_msg=name)
    theirs_buffers = dict(theirs.named_buffers())
    for name, b in ours.named_buffers():
        np.testing.assert_allclose(b.data, theirs_buffers[name].numpy(), **TOL, err_msg=name)


@pytest.mark.parametrize(
    "in_ch, out_ch, stride, names",
    [
        (2, 2, 1, []),
        (2, 3, 2, ["downsample.0.weight", "downsample.1.weight", "downsample.1.bias"]),
    ],
)
def test_basic_block_layer_contract(in_ch, out_ch, stride, names):
    own = ["conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias"]
    size = (5 - 1) // stride + 1
    check_layer(
        lambda: BasicBlock(in_ch, out_ch, stride),
        (2, in_ch, 5, 5),
        (2, out_ch, size, size),
        param_names=own + names,
        config=[f"in_ch={in_ch}", f"out_ch={out_ch}", f"stride={stride}"],
    )


def test_basic_block_parameter_count():
    # 3x3 convs 16->32 and 32->32, a 1x1 projection 16->32, three batch norms of 32 channels.
    block = BasicBlock(16, 32, stride=2)
    assert sum(p.numel() for p in block.parameters()) == 4608 + 9216 + 512 + 3 * 64
    assert BasicBlock(16, 16).downsample is None


def test_basic_block_errors():
    with pytest.raises(ValueError, match=r"BasicBlock\(in_ch=0.*in_ch must be a positive"):
        BasicBlock(0, 4)
    with pytest.raises(ValueError, match="stride must be a positive integer"):
        BasicBlock(4, 4, stride=0)


@pytest.fixture
def registered(monkeypatch):
    """register() on copies of the architecture tables, so other tests see them unchanged."""
    monkeypatch.setattr(architecture, "LAYERS", dict(architecture.LAYERS))
    monkeypatch.setattr(architecture, "_REGISTERED", dict(architecture._REGISTERED))
    register()


@pytest.mark.parametrize(
    "make",
    [lambda: BasicBlock(2, 3, 2), lambda: Residual(nn.Sequential(nn.Linear(3, 3), nn.GELU()))],
    ids=["basic_block", "residual"],
)
def test_save_and_load_round_trip(tmp_path, make, registered):
    nl.manual_seed(0)
    model = nn.Sequential(make()).eval()
    path = tmp_path / "block.safetensors"
    nl.io.save(model, path)
    loaded = nl.io.load(path).eval()
    assert repr(loaded) == repr(model)
    x = nl.randn(2, 2, 5, 5) if isinstance(model[0], BasicBlock) else nl.randn(2, 3)
    np.testing.assert_array_equal(loaded(x).data, model(x).data)
