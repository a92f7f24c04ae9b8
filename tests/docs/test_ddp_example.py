"""examples/ddp_train.py: an exported neuronlab model trained by PyTorch's DistributedDataParallel
with torchrun on 2 CPU processes (gloo). The oracle: with each process taking half of the data as
one batch, DDP's averaged gradient is the full-batch gradient, so the result must equal plain
full-batch SGD in one process; the two processes' copies must stay identical; and the trained
weights come back into neuronlab with from_torch."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.io import export_torch, from_torch

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "ddp_train.py"


def _example():
    spec = importlib.util.spec_from_file_location("ddp_train", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.torch
def test_ddp_on_two_processes_equals_full_batch_sgd(tmp_path):
    nl.manual_seed(0)
    exported = tmp_path / "exported"
    export_torch(nl.models.MLP(2, [8], 2, activation="tanh"), exported)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               "--nproc_per_node=2", str(SCRIPT), "--model-dir", str(exported),
               "--out", str(tmp_path / "trained"), "--epochs", "2", "--batch-size", "256",
               "--no-shuffle", "--lr", "0.5"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "epoch 2: loss" in done.stdout and "(2 processes)" in done.stdout

    checksums = [json.loads((tmp_path / "trained" / f"rank{r}.json").read_text())["checksum"]
                 for r in (0, 1)]  # fmt: skip
    assert checksums[0] == checksums[1]

    example = _example()
    reference = example.load_exported(exported)
    X, y = example.spirals(seed=0)
    optimizer = torch.optim.SGD(reference.parameters(), lr=0.5)
    for _ in range(2):  # one full-batch step per epoch, as the two halves together take
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(reference(X), y).backward()
        optimizer.step()
    trained = torch.load(tmp_path / "trained" / "weights.pt", weights_only=True)
    for key, value in reference.state_dict().items():
        np.testing.assert_allclose(trained[key].numpy(), value.numpy(), rtol=1e-5, atol=1e-6)

    back = from_torch(trained, nl.models.MLP(2, [8], 2, activation="tanh"))
    with torch.no_grad():
        expected = reference(X[:5]).numpy()
    np.testing.assert_allclose(back(nl.tensor(X[:5].numpy())).numpy(), expected, atol=1e-5)


def test_without_torchrun_the_script_says_how_to_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "RANK"}
    env["PYTHONPATH"] = str(ROOT / "src")
    done = subprocess.run([sys.executable, str(SCRIPT), "--model-dir", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=60)  # fmt: skip
    assert done.returncode == 2 and "start the training with torchrun" in done.stderr
