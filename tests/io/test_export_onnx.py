"""``export_onnx``: ONNX Runtime is the oracle. Every layer type and ready model is written with
the ``onnx`` helper API, checked by ``onnx.checker``, and run by ONNX Runtime at two batch sizes
(the batch axis is free); outputs agree with neuronlab's and with PyTorch's to 1e-5."""

from __future__ import annotations

import sys

import numpy as np
import onnx
import onnxruntime
import pytest
import torch
from export_cases import ALL, NOT_ONNX, first, make, ours

import neuronlab as nl
from neuronlab import models, nn
from neuronlab.io import export_onnx, to_torch
from neuronlab.io.export_onnx import OPSET
from neuronlab.io.onnx_layers import ONNX_LAYERS
from neuronlab.io.torch_code import TORCH_LAYERS, ExportError

TOL = dict(rtol=1e-5, atol=1e-5)


def run_onnx(path, x):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feed = x.astype(np.int64) if x.dtype.kind in "iu" else x
    return session.run(None, {"input": feed})[0]


def batch_axis(model):
    return 1 if any(getattr(m, "batch_first", True) is False for m in model.modules()) else 0


@pytest.mark.parametrize("case", sorted(set(ALL) - NOT_ONNX))
def test_onnx_runtime_matches_at_two_batch_sizes(case, tmp_path):
    model, inputs = make(case)
    rng = np.random.default_rng(3)
    path = export_onnx(model, tmp_path / f"{case}.onnx", inputs(2, rng))
    proto = onnx.load(path)
    assert proto.opset_import[0].version == OPSET
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    assert dims[batch_axis(model)].dim_param == "batch"
    for batch in (5, 1):
        x = inputs(batch, rng)
        np.testing.assert_allclose(run_onnx(path, x), ours(model, x), **TOL)


@pytest.mark.parametrize("case", ["lenet", "resnet", "char_lstm", "tiny_gpt", "mlp"])
def test_onnx_agrees_with_pytorch(case, tmp_path):
    """The two ways out give the same numbers (PyTorch as the second oracle)."""
    model, inputs = make(case)
    x = inputs(4, np.random.default_rng(4))
    path = export_onnx(model, tmp_path / "m.onnx", x)
    with torch.no_grad():
        expected = first(to_torch(model)(torch.from_numpy(x)))
    np.testing.assert_allclose(run_onnx(path, x), expected, **TOL)


def test_token_models_take_any_sequence_length(tmp_path):
    model, inputs = make("tiny_gpt")
    path = export_onnx(model, tmp_path / "gpt.onnx", inputs(1, np.random.default_rng(0)))
    ids = np.random.default_rng(1).integers(0, 12, (2, 3))
    np.testing.assert_allclose(run_onnx(path, ids), ours(model, ids), **TOL)


def test_model_mode_is_restored_and_dropout_is_off(tmp_path):
    model = models.MLP(4, [8], 2, dropout=0.5)  # training mode
    x = np.ones((3, 4), np.float32)
    path = export_onnx(model, tmp_path / "m.onnx", x)
    assert model.training
    np.testing.assert_allclose(run_onnx(path, x), ours(model.eval(), x), **TOL)


def test_every_layer_type_of_nn_has_an_onnx_entry_or_is_refused_by_name():
    # the wider layer surface exports to PyTorch but has no ONNX entries yet
    surface = {
        "SiLU",
        "Mish",
        "LogSigmoid",
        "Hardsigmoid",
        "Hardswish",
        "ReLU6",
        "SELU",
        "Tanhshrink",
        "Softsign",
        "Softplus",
        "ELU",
        "CELU",
        "Hardtanh",
        "Softmin",
        "PReLU",
        "GroupNorm",
        "InstanceNorm1d",
        "InstanceNorm2d",
        "Upsample",
        "Unflatten",
        "ConvTranspose1d",
        "ConvTranspose2d",
        "MaxUnpool2d",  # two inputs (values and indices): not a layer of a sequential graph
        "ModuleDict",
        "ParameterList",
        "ParameterDict",
    }
    expected = {"ModuleList", "RNNCell", "LSTMCell", "GRUCell"} | surface
    assert set(TORCH_LAYERS) - set(ONNX_LAYERS) == expected


@pytest.mark.parametrize("case", sorted(NOT_ONNX))
def test_cells_are_refused_by_name(case, tmp_path):
    model, inputs = make(case)
    name = type(model).__name__
    with pytest.raises(ExportError, match=rf"{name} \(the model itself\).*no ONNX counterpart"):
        export_onnx(model, tmp_path / "m.onnx", inputs(1, np.random.default_rng(0)))
    assert not (tmp_path / "m.onnx").exists()


class Swish(nn.Module):
    def forward(self, x):
        return x * x.sigmoid()


def test_a_layer_without_counterpart_is_refused_before_writing(tmp_path):
    model = models.MLP(2, [3], 1)
    model.add_module("3", Swish())
    with pytest.raises(ValueError, match=r"Swish at '3'.*Layers that export: .*Linear"):
        export_onnx(model, tmp_path / "m.onnx", np.zeros((1, 2), np.float32))
    assert list(tmp_path.iterdir()) == []


def test_no_example_input_says_what_to_pass(tmp_path):
    with pytest.raises(ValueError, match=r"example input is needed.*X_train\[:1\]"):
        export_onnx(models.MLP(2, [3], 1), tmp_path / "m.onnx")


def test_bad_example_inputs(tmp_path):
    with pytest.raises(ValueError, match="numeric array with a batch axis"):
        export_onnx(models.MLP(2, [3], 1), tmp_path / "m.onnx", np.array(["a", "b"]))
    with pytest.raises(TypeError, match="expected a neuronlab nn.Module, got str"):
        export_onnx("model", tmp_path / "m.onnx", np.zeros((1, 2)))


def test_adaptive_pooling_with_uneven_windows_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"AdaptiveAvgPool2d\(output_size=3\) on 7x7"):
        export_onnx(nn.AdaptiveAvgPool2d(3), tmp_path / "m.onnx", np.zeros((1, 1, 7, 7)))


def test_without_onnx_the_message_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match=r"needs the `onnx` package.*pip install onnx"):
        export_onnx(nn.Linear(2, 2), tmp_path / "m.onnx", np.zeros((1, 2)))


def test_a_float64_model_is_written_in_float32(tmp_path):
    model, inputs = make("lenet")
    model = model.to("float64")
    x = inputs(2, np.random.default_rng(5))
    path = export_onnx(model, tmp_path / "m.onnx", x.astype(np.float64))
    assert onnx.load(path).graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    expected = model(nl.tensor(x.astype(np.float64), dtype="float64")).numpy()
    np.testing.assert_allclose(run_onnx(path, x), expected, **TOL)


@pytest.mark.parametrize(("layer", "match"), [
    (nn.MaxPool2d(2, return_indices=True), r"MaxPool2d\(.*return_indices=True\) returns "
                                            r"\(values, indices\).*return_indices=False"),
    (nn.AvgPool2d(2, divisor_override=3), r"AvgPool2d\(.*divisor_override=3\) has no ONNX "
                                           r"counterpart.*without divisor_override"),
])
def test_pool_options_onnx_cannot_express_are_refused(layer, match, tmp_path):
    with pytest.raises(ValueError, match=match):
        export_onnx(layer, tmp_path / "m.onnx", np.zeros((1, 1, 4, 4), dtype=np.float32))
    assert not (tmp_path / "m.onnx").exists()
