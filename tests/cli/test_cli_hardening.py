"""Careless input to the CLI: a diverging run, impossible seeds, folders that cannot be written,
nonsense epoch counts. Each is one clear line and a non-zero status, never a traceback."""

from __future__ import annotations

import numpy as np
import pytest
from cli_testkit import read_json

import neuronlab as nl
from neuronlab.cli.train import EXIT_DIVERGED

DIVERGING = ["train", "--data", "spiral", "--model", "mlp:16", "--optimizer", "sgd",
             "--lr", "1e6", "--epochs", "3", "--no-progress", "--no-baseline"]  # fmt: skip


def test_a_diverging_run_says_so_and_keeps_finite_weights(cli, tmp_path):
    status, out, err = cli(*DIVERGING, "--out", tmp_path / "run")
    assert status == EXIT_DIVERGED != 0
    assert "Traceback" not in err and "Traceback" not in out
    lines = [line for line in out.splitlines() if "diverged" in line]
    assert len(lines) == 1 and "Try a smaller learning rate, e.g. --lr 0.01" in lines[0]
    folder = tmp_path / "run"
    names = {p.name for p in folder.iterdir()}
    assert {"model.safetensors", "run.json", "metrics.json", "history.csv"} <= names
    run = read_json(folder / "run.json")
    assert run["training"]["diverged"]["epoch"] >= 1
    model = nl.io.load(folder / "model.safetensors")
    assert all(np.isfinite(p.data).all() for p in model.parameters())
    scores = read_json(folder / "metrics.json")["network"]
    assert (
        np.isfinite(scores["roc_auc"])
        and read_json(folder / "metrics.json")["training"]["diverged"]
    )
    status, out, err = cli("evaluate", folder)  # the folder is a complete run
    assert status == 0, err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["train", "--seed", "-1"], "argument --seed: expected a seed from 0 to 4294967295"),
        (["train", "--seed", str(2**32)], "argument --seed: expected a seed from 0"),
        (["train", "--seed", "x"], "argument --seed: expected a whole number, got 'x'"),
        (["demo", "--epochs", "0"], "argument --epochs: expected an integer >= 1, got 0"),
        (["demo", "--epochs", "-3"], "argument --epochs: expected an integer >= 1, got -3"),
        (["demo", "--seed", "-1"], "argument --seed: expected a seed from 0"),
    ],
)
def test_impossible_values_are_one_line_and_status_2(cli, argv, expected):
    status, out, err = cli(*argv)
    assert status == 2 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]


@pytest.mark.parametrize("out_dir", ["/proc/x", "/proc/neuronlab/run", "/dev/null/run"])
def test_an_output_folder_that_cannot_be_written_fails_before_training(cli, out_dir):
    status, out, err = cli("train", "--data", "spiral", "--epochs", "1", "--out", out_dir)
    assert status == 2 and "Traceback" not in err
    assert "cannot be written" in err or "is a file" in err
    assert "Training" not in out  # refused before any work


def test_the_writability_check_leaves_nothing_behind(cli, tmp_path):
    from neuronlab.cli.train import _check_writable

    _check_writable(tmp_path / "a" / "b" / "run")
    assert not (tmp_path / "a").exists()
