"""The examples in the docstrings of neuronlab.cli run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["neuronlab.cli._common", "neuronlab.cli.models"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
