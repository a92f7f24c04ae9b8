"""PyTorch's own per-op sample inputs (``op_db``) through neuronlab: every sample the engine
takes must give PyTorch's shapes, dtypes, values and gradients (``op_db_parity.py`` explains the
translation and the skip reasons; ``scripts/op_parity_report.py`` writes the counts to
``docs/op-parity.md``)."""

from __future__ import annotations

import re
from pathlib import Path

import op_db_parity as P
import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "op-parity.md"


@pytest.fixture(scope="module")
def outcomes():
    return P.run()


@pytest.mark.slow
@pytest.mark.torch
def test_every_translated_sample_matches_pytorch(outcomes):
    failed = [o for o in outcomes if o.status == P.FAILED]
    report = "\n".join(f"{o.op} [{o.dtype}] ({o.sample}): {o.detail}" for o in failed)
    assert not failed, f"{len(failed)} samples differ from PyTorch:\n{report}"


@pytest.mark.slow
@pytest.mark.torch
def test_the_harness_runs_the_engine_s_ops(outcomes):
    """A translation that silently skipped everything would pass the test above; so the core
    ops must each have passing samples in both dtypes."""
    passed = {(o.op, o.dtype) for o in outcomes if o.status == P.PASSED}
    for name in (
        "add",
        "mul",
        "div.no_rounding_mode",
        "matmul",
        "sum",
        "mean",
        "softmax",
        "exp",
        "log",
        "tanh",
        "sigmoid",
        "reshape",
        "permute",
        "__getitem__",
        "cat",
        "nn.functional.linear",
        "nn.functional.cross_entropy",
        "nn.functional.conv2d",
        "gather",
        "cumsum",
        "sort",
        "einsum",
        "nn.functional.pad.constant",
    ):
        for dtype in ("float32", "float64"):
            assert (name, dtype) in passed, f"no {dtype} sample of {name} passed"


@pytest.mark.slow
@pytest.mark.torch
def test_the_documented_counts_are_current(outcomes):
    """docs/op-parity.md carries the counts of this run (regenerate it with
    ``python scripts/op_parity_report.py`` after changing the engine)."""
    counts = P.counts(outcomes)
    text = DOC.read_text()
    for status, n in counts.items():
        assert re.search(rf"\| {re.escape(status)} \| {n} \|", text), (
            f"docs/op-parity.md is out of date for {status!r} ({n}); run "
            "scripts/op_parity_report.py"
        )
