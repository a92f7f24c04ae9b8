"""The next-steps stop: its claims at tiny size, the side-by-side predictions (PyTorch and ONNX
Runtime are the oracles), the downloads (each file runs where it should), the live training that
feeds the export, the glossary search, and bad parameters."""

from __future__ import annotations

import base64
import importlib
import os
import subprocess
import sys

import numpy as np
import onnxruntime
import pytest
import torch
from chapter_checks import assert_claims_hold, assert_claims_in_prose

import neuronlab as nl
from neuronlab.tour import get_chapter
from neuronlab.tour.runner import run_experiment, run_headless
from neuronlab.tour.schema import ParamError

CHAPTER = get_chapter("next-steps")
models = importlib.import_module("neuronlab.tour.chapters.next-steps.models")
FAST = {"epochs": 5, "seed": 3}


def test_every_claim_holds_at_tiny_size():
    assert_claims_hold(CHAPTER)


def test_claim_texts_are_in_the_prose_and_the_widgets_are_placed():
    assert_claims_in_prose(CHAPTER, widgets=("train", "graduate", "glossary"), math_at_least=0)


@pytest.mark.parametrize("engine", ["pytorch", "onnx"])
def test_graduate_predictions_agree_with_the_engine(engine):
    r = run_experiment("next-steps", "graduate", {**FAST, "engine": engine, "examples_shown": 6})
    assert r["engine"] == {"pytorch": "PyTorch", "onnx": "ONNX Runtime"}[engine]
    net = models.build("playground", 5, 3)
    X, _, _ = models.examples("playground", 3)
    with torch.no_grad():
        reference = nl.io.to_torch(net)(torch.from_numpy(X[:6])).numpy()
    ours = net(nl.tensor(X[:6])).numpy()
    assert np.abs(reference - ours).max() < 1e-5
    assert r["max_difference"] < 1e-5 and r["agree"] == 6
    table = r["predictions"]
    assert table["kind"] == "table" and len(table["rows"]) == 6
    code, ours_code = r["torch_code"]["text"], r["neuronlab_code"]["text"]
    assert "class Model(nn.Sequential)" not in code  # an MLP is written as MLP
    assert "class MLP(nn.Sequential):" in code and "def load(folder=None)" in code
    assert "epochs=5" in ours_code and "seed=3" in ours_code


def test_the_cnn_shows_its_images_and_class_names():
    r = run_experiment("next-steps", "graduate",
                       {"model": "fashion-cnn", "engine": "onnx", "examples_shown": 3})  # fmt: skip
    assert len(r["thumbnails"]) == 3 and len(base64.b64decode(r["thumbnails"][0])) == 28 * 28
    classes = set(nl.data.load_fashion_mnist_subset().classes)
    assert all(row[2] in classes and row[3] in classes for row in r["predictions"]["rows"])


def _download(what, **params):
    d = run_experiment("next-steps", "download", {**FAST, "what": what, **params})
    return d, base64.b64decode(d["base64"])


def test_downloads_run_in_pytorch_and_onnx_runtime(tmp_path):
    net = models.build("playground", 5, 3)
    X = np.random.default_rng(0).standard_normal((4, 2)).astype(np.float32)
    ours = net(nl.tensor(X)).numpy()
    for what in ("py", "weights"):
        d, content = _download(what)
        assert d["bytes"] == len(content)
        (tmp_path / d["filename"]).write_bytes(content)
    sys.path.insert(0, str(tmp_path))
    try:
        exported = importlib.import_module("model")
        with torch.no_grad():
            theirs = exported.load(tmp_path)(torch.from_numpy(X)).numpy()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("model", None)
    np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-5)
    d, content = _download("onnx")
    assert d["filename"] == "model.onnx"
    session = onnxruntime.InferenceSession(content, providers=["CPUExecutionProvider"])
    np.testing.assert_allclose(session.run(None, {"input": X})[0], ours, rtol=1e-5, atol=1e-5)


def test_live_training_is_the_model_that_is_exported():
    frames = run_headless("next-steps", "train", {"epochs": 4, "seed": 11, "speed": 0})
    assert frames[-1]["done"] and frames[-1]["epoch"] == 4
    assert len(frames[-1]["curves"]["ys"]["loss"]) == 4
    trained = models.build("playground", 4, 11)
    fresh = models.playground_trainer(4, 11)
    fresh.run()
    for a, b in zip(trained.parameters(), fresh.model.parameters()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_glossary_search():
    everything = run_experiment("next-steps", "glossary", {})
    assert everything["count"] >= 60
    found = run_experiment("next-steps", "glossary", {"query": "dropout"})
    assert found["terms"][0]["slug"] == "dropout" and found["terms"][0]["stop"] == 4
    assert run_experiment("next-steps", "glossary", {"query": "zzzz"})["count"] == 0


def test_bad_parameters_are_refused_with_their_name():
    with pytest.raises(ParamError, match="engine") as info:
        run_experiment("next-steps", "graduate", {"engine": "tensorflow"})
    assert info.value.param == "engine"
    with pytest.raises(ParamError, match="examples_shown"):
        run_experiment("next-steps", "graduate", {"examples_shown": 0})
    with pytest.raises(ParamError, match="query"):
        run_experiment("next-steps", "glossary", {"query": "x" * 61})


def test_without_pytorch_auto_falls_back_to_onnx_runtime(monkeypatch):
    experiments = importlib.import_module("neuronlab.tour.chapters.next-steps.experiments")
    real = experiments._installed
    monkeypatch.setattr(experiments, "_installed", lambda m: m != "torch" and real(m))
    r = run_experiment("next-steps", "graduate", {**FAST, "examples_shown": 2})
    assert r["engine"] == "ONNX Runtime" and r["max_difference"] < 1e-5
    with pytest.raises(ParamError, match="PyTorch is not installed"):
        run_experiment("next-steps", "graduate", {**FAST, "engine": "pytorch"})
    with pytest.raises(ParamError, match="download model.onnx instead"):
        run_experiment("next-steps", "download", {**FAST, "what": "weights"})


@pytest.mark.slow
def test_terminal_tour(tmp_path):
    command = [sys.executable, "-m", "neuronlab.cli", "tour", "next-steps", "--no-claims",
               "--figures", str(tmp_path)]  # fmt: skip
    env = {**os.environ, "COLUMNS": "120"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for expected in ("Graduate to PyTorch", "neuronlab and PyTorch, the same inputs",
                     "neuronlab and ONNX Runtime, the same inputs", "Ankle boot",
                     "max difference", "integrated gradients", "A learning path",
                     "Questions people ask", "Further reading"):  # fmt: skip
        assert expected in out, expected
    assert "Traceback" not in done.stderr
    assert (tmp_path / "next-steps" / "01-train-history.png").is_file()
