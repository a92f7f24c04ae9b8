"""docs/training.md runs, and so do the examples in neuronlab.train's docstrings."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import neuronlab.train

DOC = Path(__file__).parents[2] / "docs" / "training.md"
MODULES = sorted(
    info.name for info in pkgutil.walk_packages(neuronlab.train.__path__, prefix="neuronlab.train.")
)


def test_training_doc_code_blocks_run(capsys):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) >= 4
    namespace: dict = {"__name__": "training_doc"}
    for i, block in enumerate(blocks):
        exec(compile(block, f"{DOC.name} block {i + 1}", "exec"), namespace)
    out = capsys.readouterr().out
    assert "test accuracy" in out and "Epoch 1/30" in out


def test_training_doc_shows_the_five_lines_and_the_fit_call():
    text = DOC.read_text()
    lines = ["model(nl.Tensor(xb))", "loss_fn(output, yb)", "optimizer.zero_grad()",
             "loss.backward()", "optimizer.step()", "history = fit(model, loss_fn"]  # fmt: skip
    for line in lines:
        assert line in text
    assert "stop_training" in text and "TrainingContext" in text and "val_loss" in text


@pytest.mark.parametrize("name", ["neuronlab.train", *MODULES])
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed"


def test_the_loop_fits_on_one_screen():
    source = Path(neuronlab.train.loop.__file__).read_text()
    body = source[source.index("    def _loop(") : source.index("    def _end_epoch(")]
    assert len(body.strip().splitlines()) <= 45
    fit_body = source[source.index("def fit(") : source.index("def evaluate(")]
    assert "Trainer(" in fit_body and ".run()" in fit_body  # fit is the same loop, run to the end
