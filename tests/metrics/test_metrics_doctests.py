"""Run the examples in the docstrings of every metrics module."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "neuronlab.metrics",
    "neuronlab.metrics._validation",
    "neuronlab.metrics._classification",
    "neuronlab.metrics._prf",
    "neuronlab.metrics._report",
    "neuronlab.metrics._curves",
    "neuronlab.metrics._ranking",
    "neuronlab.metrics._regression",
    "neuronlab.metrics._streaming",
]
# modules whose public functions must all carry an example
WITH_EXAMPLES = MODULES[2:]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} doctest example(s) failed in {name}"


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_every_public_function_has_an_example(name):
    module = importlib.import_module(name)
    for public in module.__all__:
        doc = getattr(module, public).__doc__ or ""
        assert ">>>" in doc, f"{name}.{public} has no doctest example"
