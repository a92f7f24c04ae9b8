"""``to_torch`` and ``export_torch``: PyTorch is the oracle. Every layer type and ready model
runs in both libraries with the same weights; outputs agree to 1e-5 at two batch sizes. The
written ``model.py`` is imported and run too, and needs nothing but torch."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest
import torch
from export_cases import ALL, MODELS, first, make, ours

import neuronlab as nl
from neuronlab import nn
from neuronlab.io import export_torch, to_torch
from neuronlab.io.torch_code import TORCH_LAYERS, ExportError

pytestmark = pytest.mark.torch
TOL = dict(rtol=1e-5, atol=1e-5)


def theirs(module, x):
    with torch.no_grad():
        t = torch.from_numpy(x)
        if isinstance(module, torch.nn.MultiheadAttention):
            return first(module(t, t, t))
        return first(module(t))


@pytest.mark.parametrize("case", sorted(ALL))
def test_to_torch_matches_at_two_batch_sizes(case):
    model, inputs = make(case)
    module = to_torch(model)
    assert not module.training
    rng = np.random.default_rng(1)
    for batch in (3, 1):
        x = inputs(batch, rng)
        np.testing.assert_allclose(theirs(module, x), ours(model, x), **TOL)


def _import(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("case", sorted(MODELS) + ["sequential-named", "encoder", "basic_block"])
def test_export_torch_file_loads_and_matches(case, tmp_path):
    model, inputs = make(case)
    path = export_torch(model, tmp_path / case)
    assert path == tmp_path / case / "model.py"
    net = _import(path, f"exported_{case.replace('-', '_')}").load()
    assert not net.training
    x = inputs(2, np.random.default_rng(2))
    np.testing.assert_allclose(theirs(net, x), ours(model, x), **TOL)


def test_exported_file_reads_as_plain_pytorch(tmp_path):
    """Written as a person would: a class, build(), load(); only torch imported; ruff-clean."""
    path = export_torch(nl.models.ResNet(depth=8, width=4), tmp_path)
    text = path.read_text()
    assert "class ResNet(nn.Module):" in text and "class BasicBlock(nn.Module):" in text
    assert "def load(folder=None)" in text and "neuronlab" not in text.split('"""')[2]
    imports = [line for line in text.splitlines() if line.startswith(("import ", "from "))]
    assert imports == ["from pathlib import Path", "import torch", "from torch import nn"]
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "E,F,W", str(path)],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout


def test_exported_sequential_is_a_class_of_its_own(tmp_path):
    path = export_torch(nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)), tmp_path)
    text = path.read_text()
    assert "class Model(nn.Sequential):" in text
    assert "            nn.Linear(2, 8),\n            nn.Tanh(),\n" in text


def test_training_mode_and_weights_are_copies():
    model = nl.models.MLP(3, [4], 2, dropout=0.5)
    module = to_torch(model)
    assert module.training
    with torch.no_grad():
        module[0].weight.add_(1.0)
    assert not np.allclose(module[0].weight.detach().numpy(), model[0].weight.numpy())


def test_a_float64_model_stays_float64():
    model, inputs = make("resnet")
    model = model.to("float64")
    module = to_torch(model)
    assert module.fc.weight.dtype == torch.float64
    x = inputs(2, np.random.default_rng(0)).astype(np.float64)
    with torch.no_grad():
        theirs = module(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(theirs, model(nl.tensor(x, dtype="float64")).numpy(), rtol=1e-10)


def test_batch_norm_running_statistics_travel():
    model, _ = make("resnet")
    module = to_torch(model)
    np.testing.assert_array_equal(module.bn1.running_var.numpy(), model.bn1.running_var.numpy())


def test_every_layer_type_of_nn_has_a_pytorch_entry():
    """A new layer in nn must get a line in torch_code.TORCH_LAYERS (and a case here)."""
    layer_classes = {
        name
        for name in nn.__all__
        if isinstance(getattr(nn, name), type)
        and issubclass(getattr(nn, name), nn.Module)
        and not name.endswith("Loss")
        and name != "Module"
    }
    assert layer_classes - set(TORCH_LAYERS) == set()


class Squash(nn.Module):
    def forward(self, x):
        return x / (1 + abs(x))


def test_a_layer_without_counterpart_is_refused_by_name_before_writing(tmp_path):
    model = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.Tanh(), Squash()))
    with pytest.raises(ExportError, match=r"Squash at '1\.1'.*no PyTorch counterpart"):
        to_torch(model)
    with pytest.raises(ValueError, match=r"Squash at '1\.1'.*add an entry"):
        export_torch(model, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_without_torch_the_message_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ImportError, match=r"to_torch needs PyTorch.*pip install torch"):
        to_torch(nn.Linear(2, 2))


def test_not_a_module_is_a_type_error():
    with pytest.raises(TypeError, match="expected a neuronlab nn.Module, got dict"):
        to_torch({"0.weight": np.zeros(2)})
