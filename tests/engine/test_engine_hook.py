"""The explicit hook between the ops and Tensor: ``function.register_tensor_factory``."""

from __future__ import annotations

import numpy as np
import pytest

import neuronlab as nl
from neuronlab.engine import function
from neuronlab.engine.ops import elementwise as E


def test_ops_wrap_results_with_the_registered_factory(monkeypatch):
    seen = []

    def factory(data, requires_grad, op):
        seen.append((data.copy(), requires_grad, type(op).__name__ if op else None))
        return ("wrapped", data)

    monkeypatch.setattr(function, "_make_tensor", function._make_tensor)  # restored after
    function.register_tensor_factory(factory)
    x = nl.tensor([1.0, -2.0], requires_grad=True)
    assert E.Abs.apply(x)[0] == "wrapped"
    np.testing.assert_array_equal(seen[0][0], [1.0, 2.0])
    assert seen[0][1:] == (True, "Abs")


def test_without_a_factory_apply_says_what_to_import(monkeypatch):
    monkeypatch.setattr(function, "_make_tensor", function._no_tensor_factory)
    with pytest.raises(RuntimeError, match="import neuronlab"):
        E.Abs.apply(nl.tensor([1.0]))


def test_tensor_registers_its_factory_on_import():
    out = nl.tensor([3.0]) * 2
    assert isinstance(out, nl.Tensor) and out.tolist() == [6.0]
