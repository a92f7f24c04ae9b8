"""The examples in the docstrings of neuronlab.io run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "",
    "._files",
    "._pack",
    ".safetensors",
    ".architecture",
    ".serialization",
    ".checkpoint",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(f"neuronlab.io{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{module.__name__} has no examples"
    assert result.failed == 0
