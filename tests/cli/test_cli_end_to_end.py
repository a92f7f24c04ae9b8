"""The long runs (marked slow; CI runs them): the MLP on the real Fashion-MNIST, and Ctrl-C in a
real process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cli_testkit import png_size, read_json

NEURONLAB = [sys.executable, "-c", "import sys; from neuronlab.cli import main; sys.exit(main())"]


@pytest.mark.slow  # fmt: skip
def test_fashion_mnist_mlp_reaches_88_percent_and_evaluate_agrees(cli, tmp_path):
    folder = tmp_path / "fmnist"
    status, out, err = cli(
        "train", "--data", "fashion-mnist", "--model", "mlp:256,128", "--epochs", "10",
        "--optimizer", "adam", "--lr", "1e-3", "--batch-size", "128", "--val", "0.1",
        "--early-stopping", "3", "--schedule", "cosine", "--offline", "--out", folder,
    )  # fmt: skip
    assert status == 0, err
    metrics = read_json(folder / "metrics.json")
    network = metrics["network"]
    assert network["accuracy"] >= 0.88, network["accuracy"]
    assert network["n_samples"] == 10_000
    assert metrics["training"]["epochs_run"] <= 10
    assert metrics["baseline"] is None  # images: no scikit-learn baseline
    assert "Epoch 10/10" in out or metrics["training"]["stopped_early"]
    assert network["classes"][0] == "T-shirt/top" and len(network["per_class"]) == 10
    width, height = png_size(folder / "confusion_matrix.png")
    assert width >= 800 and height >= 700  # ten classes need room for their names

    status, report_json, err = cli("evaluate", folder, "--json", "--offline")
    assert status == 0, err
    report = json.loads(report_json)
    assert report["network"] == network  # the reloaded model scores identically
    assert report["matches_metrics_json"] is True and report["same_test_set"] is True


@pytest.mark.slow
def test_ctrl_c_still_writes_the_run_folder(tmp_path):
    folder = tmp_path / "interrupted"
    env = dict(os.environ, PYTHONUNBUFFERED="1", HOME=str(tmp_path))
    argv = [*NEURONLAB, "train", "--data", "digits", "--epochs", "100000", "--early-stopping",
            "100000", "--out", str(folder)]  # fmt: skip
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env, cwd=tmp_path)  # fmt: skip
    try:
        for line in process.stdout:  # epoch lines: stdout is not a terminal
            if line.startswith("Epoch 3/"):
                process.send_signal(signal.SIGINT)
                break
        rest, _ = process.communicate(timeout=120)  # never waits forever for the output
        status = process.returncode
    finally:
        if process.poll() is None:
            process.kill()
    assert status == 130, rest
    assert "Training was interrupted (Ctrl-C) after" in rest
    assert "saving the best epoch's weights" in rest
    metrics = read_json(folder / "metrics.json")
    assert metrics["training"]["interrupted"] is True
    assert 3 <= metrics["training"]["epochs_run"] < 100000
    assert metrics["training"]["restored_best_weights"] is True
    assert read_json(folder / "run.json")["training"]["interrupted"] is True
    assert metrics["network"]["accuracy"] > 0.5
    for name in ("model.safetensors", "history.csv", "loss.png", "confusion_matrix.png"):
        assert Path(folder / name).is_file(), name
