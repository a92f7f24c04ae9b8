"""The examples in the docstrings of neuronlab.report run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "neuronlab.report",
    "neuronlab.report._atomic",
    "neuronlab.report.scores",
    "neuronlab.report.tables",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
