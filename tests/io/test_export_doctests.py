"""The examples in the docstrings of the export modules run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["torch_code", "export_torch", "export_onnx"])
def test_doctests(name):
    module = importlib.import_module(f"neuronlab.io.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{module.__name__} has no examples"
    assert result.failed == 0
