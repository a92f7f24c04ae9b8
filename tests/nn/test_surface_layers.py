"""PyTorch parity for the wider layer surface: activations, PReLU, GroupNorm, InstanceNorm,
Upsample, ConvTranspose, Unflatten (our weights copied into the torch layer, strict state_dict,
so the parameter names are PyTorch's), and the registering containers."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab import nn

from .test_torch_parity import TOL, _run_both

pytestmark = pytest.mark.torch

LAYERS = [
    (nn.SiLU, torch.nn.SiLU, (4, 6)),
    (nn.Mish, torch.nn.Mish, (4, 6)),
    (nn.LogSigmoid, torch.nn.LogSigmoid, (4, 6)),
    (nn.Hardsigmoid, torch.nn.Hardsigmoid, (4, 6)),
    (nn.Hardswish, torch.nn.Hardswish, (4, 6)),
    (nn.ReLU6, torch.nn.ReLU6, (4, 6)),
    (nn.SELU, torch.nn.SELU, (4, 6)),
    (nn.Tanhshrink, torch.nn.Tanhshrink, (4, 6)),
    (nn.Softsign, torch.nn.Softsign, (4, 6)),
    (lambda: nn.Softplus(2.0, 3.0), lambda: torch.nn.Softplus(2.0, 3.0), (4, 6)),
    (lambda: nn.ELU(0.7), lambda: torch.nn.ELU(0.7), (4, 6)),
    (lambda: nn.CELU(1.5), lambda: torch.nn.CELU(1.5), (4, 6)),
    (lambda: nn.Hardtanh(-0.5, 2.0), lambda: torch.nn.Hardtanh(-0.5, 2.0), (4, 6)),
    (lambda: nn.Softmin(1), lambda: torch.nn.Softmin(1), (4, 6)),
    (nn.PReLU, torch.nn.PReLU, (4, 6)),
    (lambda: nn.PReLU(3, init=0.1), lambda: torch.nn.PReLU(3, init=0.1), (2, 3, 4)),
    (lambda: nn.GroupNorm(2, 4), lambda: torch.nn.GroupNorm(2, 4), (3, 4, 5)),
    (
        lambda: nn.GroupNorm(3, 6, affine=False),
        lambda: torch.nn.GroupNorm(3, 6, affine=False),
        (2, 6, 3, 3),
    ),
    (lambda: nn.InstanceNorm2d(3), lambda: torch.nn.InstanceNorm2d(3), (2, 3, 4, 4)),
    (
        lambda: nn.InstanceNorm1d(3, affine=True),
        lambda: torch.nn.InstanceNorm1d(3, affine=True),
        (2, 3, 5),
    ),
    (lambda: nn.Upsample(scale_factor=2), lambda: torch.nn.Upsample(scale_factor=2), (1, 2, 3, 3)),
    (
        lambda: nn.Upsample(size=(5, 4), mode="bilinear"),
        lambda: torch.nn.Upsample(size=(5, 4), mode="bilinear"),
        (2, 2, 3, 3),
    ),
    (
        lambda: nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1),
        lambda: torch.nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1),
        (2, 3, 4, 4),
    ),
    (
        lambda: nn.ConvTranspose2d(4, 2, (2, 3), groups=2, bias=False),
        lambda: torch.nn.ConvTranspose2d(4, 2, (2, 3), groups=2, bias=False),
        (1, 4, 3, 3),
    ),
    (
        lambda: nn.ConvTranspose1d(3, 2, 4, stride=2),
        lambda: torch.nn.ConvTranspose1d(3, 2, 4, stride=2),
        (2, 3, 5),
    ),
    (lambda: nn.Unflatten(1, (2, 3)), lambda: torch.nn.Unflatten(1, (2, 3)), (4, 6)),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(
    ("make", "make_torch", "shape"), LAYERS, ids=[f"{i}" for i in range(len(LAYERS))]
)
def test_layer_matches_pytorch(make, make_torch, shape, dtype):
    nl.manual_seed(0)
    x_np = np.random.default_rng(1).standard_normal(shape) * 2
    ours = make()
    out, tout, x, tx = _run_both(ours, make_torch(), x_np, dtype)
    assert out.dtype == np.dtype(dtype) and out.shape == tuple(tout.shape)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), **TOL[dtype])
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TOL[dtype])
    theirs = dict(make_torch().named_parameters())
    assert [n for n, _ in ours.named_parameters()] == list(theirs)
    for name, p in ours.named_parameters():
        assert p.shape == tuple(theirs[name].shape), name


def test_conv_transpose_initialization_has_pytorch_scale():
    """The default init draws from U(-b, b) with PyTorch's bound (fan_in from axis 1)."""
    nl.manual_seed(0)
    layer = nn.ConvTranspose2d(8, 16, 3)
    bound = 1 / np.sqrt(16 * 9)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    assert np.abs(layer.weight.data).max() > 0.8 * bound


def test_module_dict_registers_its_layers_like_pytorch():
    ours = nn.ModuleDict({"enc": nn.Linear(3, 4), "dec": nn.Linear(4, 3)})
    theirs = torch.nn.ModuleDict({"enc": torch.nn.Linear(3, 4), "dec": torch.nn.Linear(4, 3)})
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert "enc" in ours and len(ours) == 2 and list(ours) == ["enc", "dec"]
    del ours["enc"]
    assert list(ours.keys()) == ["dec"]
    with pytest.raises(KeyError, match=r"ModuleDict has no layer 'x'; it holds \['dec'\]"):
        ours["x"]
    with pytest.raises(TypeError, match=r"ModuleDict holds Modules \(layers\), got int"):
        ours["y"] = 3


def test_parameter_list_and_dict_register_their_parameters_like_pytorch():
    ours = nn.ParameterList([nn.Parameter(np.ones(2)), [1.0, 2.0, 3.0]])
    theirs = torch.nn.ParameterList(
        [torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(3))]
    )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours[1].shape == (3,) and ours[-1] is ours[1]
    model = nn.Module()
    model.scales = nn.ParameterDict({"a": nn.Parameter([1.0]), "b": nn.Parameter([2.0])})
    t_model = torch.nn.Module()
    t_model.scales = torch.nn.ParameterDict(
        {"a": torch.nn.Parameter(torch.ones(1)), "b": torch.nn.Parameter(torch.ones(1))}
    )
    assert [n for n, _ in model.named_parameters()] == [n for n, _ in t_model.named_parameters()]
    with pytest.raises(KeyError, match=r"keys must be non-empty strings without '\.'"):
        model.scales["a.b"] = nn.Parameter([1.0])


def test_new_layers_refuse_with_a_message():
    with pytest.raises(ValueError, match=r"GroupNorm: num_groups \(3\) must divide num_channels"):
        nn.GroupNorm(3, 4)
    with pytest.raises(ValueError, match=r"InstanceNorm2d: track_running_stats=True is not"):
        nn.InstanceNorm2d(3, track_running_stats=True)
    with pytest.raises(ValueError, match=r"expected an input \(N, 4, \*\), got shape \(2, 3\)"):
        nn.GroupNorm(2, 4)(nl.zeros(2, 3))
    with pytest.raises(ValueError, match=r"interpolate: mode must be one of .*'bicubic'"):
        nn.Upsample(scale_factor=2, mode="bicubic")(nl.zeros(1, 1, 2, 2))
