"""``from_torch``: PyTorch weights into neuronlab models, names and shapes checked. Round trips
(neuronlab -> PyTorch -> neuronlab, and the exported file back in) give the same outputs; every
mismatch is reported at once and nothing is copied."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import torch
from export_cases import MODELS, first, make, ours

from neuronlab import models, nn
from neuronlab.io import MismatchError, export_torch, from_torch, to_torch

pytestmark = pytest.mark.torch
TOL = dict(rtol=1e-5, atol=1e-5)


def _nudge(module):
    """Change every weight so a copy that did nothing would be noticed."""
    with torch.no_grad():
        for i, p in enumerate(module.parameters()):
            p.add_(0.002 * (i % 5 + 1))
    return module


def _torch_out(module, x):
    with torch.no_grad():
        return first(module(torch.from_numpy(x)))


@pytest.mark.parametrize("case", sorted(MODELS) + ["encoder", "basic_block", "residual"])
def test_round_trip_rebuilds_the_model_from_the_torch_module(case):
    model, inputs = make(case)
    module = _nudge(to_torch(model))
    back = from_torch(module)
    assert not back.training
    x = inputs(3, np.random.default_rng(0))
    np.testing.assert_allclose(ours(back, x), _torch_out(module, x), **TOL)
    assert set(back.state_dict()) == set(model.state_dict())


@pytest.mark.parametrize("case", ["mlp-batchnorm-residual", "resnet", "tiny_gpt", "char_rnn"])
def test_state_dict_into_a_given_model(case):
    model, inputs = make(case)
    module = _nudge(to_torch(model))
    fresh, _ = make(case, seed=5)
    loaded = from_torch(module.state_dict(), fresh)
    assert loaded is fresh
    x = inputs(2, np.random.default_rng(1))
    np.testing.assert_allclose(ours(loaded, x), _torch_out(module, x), **TOL)


def test_the_exported_file_comes_back_in(tmp_path):
    model, inputs = make("small_cnn")
    path = export_torch(model, tmp_path)
    spec = importlib.util.spec_from_file_location("exported_back", path)
    exported = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exported)
    net = _nudge(exported.load())
    back = from_torch(net)
    assert type(back) is models.SmallCNN
    x = inputs(2, np.random.default_rng(2))
    np.testing.assert_allclose(ours(back, x), _torch_out(net, x), **TOL)


def test_a_plain_torch_model_is_rebuilt_from_its_layers():
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 3, 3, padding=1),
        torch.nn.BatchNorm2d(3),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(3 * 5 * 5, 4),
    ).eval()
    back = from_torch(net)
    x = np.random.default_rng(0).standard_normal((2, 1, 5, 5)).astype(np.float32)
    np.testing.assert_allclose(ours(back, x), _torch_out(net, x), **TOL)


def test_other_shapes_are_listed_with_their_layer_and_nothing_is_copied():
    source = to_torch(models.MLP(4, [8], 3))
    target = models.MLP(4, [6], 3)
    before = target[0].weight.numpy().copy()
    with pytest.raises(MismatchError, match=r"0\.weight: \(6, 4\) <- \(8, 4\)") as info:
        from_torch(source, target)
    assert [k for k, _, _ in info.value.report["shapes"]] == ["0.weight", "0.bias", "2.weight"]
    np.testing.assert_array_equal(target[0].weight.numpy(), before)


def test_other_names_are_listed():
    state = {"fc.weight": np.zeros((3, 4)), "0.weight": np.zeros((8, 4), np.float32)}
    with pytest.raises(MismatchError, match=r"lacks: 0\.bias, 2\.weight, 2\.bias") as info:
        from_torch(state, models.MLP(4, [8], 3))
    assert info.value.report["unexpected"] == ["fc.weight"]
    assert "Rename the source's keys" in str(info.value)


def test_not_strict_copies_what_fits_and_keeps_the_report():
    source = to_torch(models.MLP(4, [8], 3))
    target = models.MLP(4, [8], 2)
    from_torch(source, target, strict=False)
    np.testing.assert_array_equal(target[0].weight.numpy(), source[0].weight.detach().numpy())
    assert [k for k, _, _ in target.from_torch_report["shapes"]] == ["2.weight", "2.bias"]


def test_a_state_dict_alone_needs_its_model():
    with pytest.raises(ValueError, match=r"pass the neuronlab model it belongs to"):
        from_torch(to_torch(nn.Linear(2, 2)).state_dict())


def test_a_torch_layer_neuronlab_lacks_is_named():
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Conv3d(1, 1, 1))
    with pytest.raises(ValueError, match=r"torch layer Conv3d at '1'.*from_torch\(source, model\)"):
        from_torch(net)


def test_wrong_types():
    with pytest.raises(TypeError, match="a torch.nn.Module or a state_dict"):
        from_torch([1, 2, 3], nn.Linear(2, 2))
    with pytest.raises(TypeError, match="model must be a neuronlab nn.Module"):
        from_torch({}, torch.nn.Linear(2, 2))
