"""``neuronlab export RUN --to torch|onnx``: the written files run in PyTorch and ONNX Runtime
(the oracles) with the run's outputs; bad folders and arguments are one line and status 2."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import onnxruntime
import pytest
import torch
from cli_testkit import run_cli

import neuronlab as nl
from neuronlab import io


@pytest.fixture(scope="module")
def iris_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs") / "iris"
    assert run_cli("train", "--data", "iris", "--model", "mlp:8", "--epochs", "3",
                   "--out", folder, "--no-progress") == 0  # fmt: skip
    return folder


def _inputs():
    return np.random.default_rng(7).standard_normal((6, 4)).astype(np.float32)


def test_export_to_torch_writes_code_that_pytorch_runs(iris_run, cli):
    status, out, err = cli("export", iris_run, "--to", "torch")
    assert status == 0, err
    folder = iris_run / "torch"
    assert f"wrote {folder / 'model.py'}" in out and "checked with PyTorch" in out
    spec = importlib.util.spec_from_file_location("iris_model", folder / "model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    x = _inputs()
    with torch.no_grad():
        theirs = module.load(folder)(torch.from_numpy(x)).numpy()
    ours = io.load(iris_run / "model.safetensors")(nl.tensor(x)).numpy()
    np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-5)


def test_export_to_onnx_json_and_custom_path(iris_run, cli, tmp_path):
    target = tmp_path / "out" / "iris.onnx"
    status, out, err = cli("export", iris_run, "--to", "onnx", "--out", target, "--json")
    assert status == 0, err
    result = json.loads(out)
    assert result["files"] == [str(target)] and result["checked_with"] == "ONNX Runtime"
    assert result["max_abs_difference"] < 1e-5
    x = _inputs()
    theirs = onnxruntime.InferenceSession(str(target)).run(None, {"input": x})[0]
    ours = io.load(iris_run / "model.safetensors")(nl.tensor(x)).numpy()
    np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-5)


def test_missing_run_folder_is_one_line(cli, tmp_path):
    status, out, err = cli("export", tmp_path / "nope", "--to", "onnx")
    assert status == 2 and "no run folder at" in err and "Traceback" not in err


def test_run_without_model_file(iris_run, cli, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "run.json").write_text((iris_run / "run.json").read_text())
    status, _, err = cli("export", broken, "--to", "torch")
    assert status == 2 and "has no model.safetensors" in err


def test_unknown_target_and_unwritable_output(iris_run, cli, tmp_path):
    status, _, err = cli("export", iris_run, "--to", "keras")
    assert status == 2 and "invalid choice: 'keras'" in err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    status, _, err = cli("export", iris_run, "--to", "torch", "--out", blocker)
    assert status == 2 and "cannot write" in err and "Traceback" not in err
