"""``neuronlab tour``: the chapter in a terminal (here: a pipe, not a TTY)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest


def _tour(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "neuronlab.cli", "tour", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_list():
    r = _tour("--list")
    assert r.returncode == 0
    assert r.stdout.splitlines()[0].split()[:3] == ["1.", "neuron", "One"]


@pytest.mark.slow
def test_neuron_chapter_in_a_pipe(tmp_path):
    r = _tour("neuron", "--figures", str(tmp_path))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "One neuron" in out and "A neuron is a small formula" in out
    assert "σ(z) = 1/(1 + e^(-z))" in out, "math as readable text"
    assert "\x1b[" not in out, "no colour codes in a pipe"
    assert "▁" in out and "loss" in out, "text charts"
    figures = [
        Path(line.split("figure:")[1].strip()) for line in out.splitlines() if "figure:" in line
    ]
    assert len(figures) >= 4 and all(f.is_file() and f.suffix == ".png" for f in figures)
    assert out.count("✓") == 9 and "✗" not in out, "every claim checked and holding"


def test_unknown_chapter_is_a_usage_error():
    r = _tour("nope")
    assert r.returncode == 2
    assert "no chapter 'nope'; chapters: neuron" in r.stderr


@pytest.mark.slow
def test_learning_chapter_reads_well_in_a_pipe(tmp_path):
    r = _tour("learning", "--figures", str(tmp_path), "--no-claims", "--no-pause")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "{{" not in out and "\\," not in out, "every formula rendered"
    assert "Forward values and backward gradients, node by node" in out, "the stepper as a table"
    assert "L[0]" in out and "dL/d(node)" in out
    text = "\n".join(line for line in out.splitlines() if "figure" not in line)  # not the paths
    raw = re.findall(r"(?<![\w=])(?:None|True|False)\b", text)  # scalar_level=True is code
    assert not raw, "values read as words (yes, no, -)"
    assert "Click the map" not in out and "Step through it below" not in out, "web-only words"
    assert "Enter to go on" not in out, "a pipe never waits"
