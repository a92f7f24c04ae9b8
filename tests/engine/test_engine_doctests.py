"""The examples in the engine's docstrings run and print what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import neuronlab.engine

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(neuronlab.engine.__path__, prefix="neuronlab.engine.")
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed"


def test_the_engine_has_doctests():
    attempted = 0
    for name in MODULES:
        finder = doctest.DocTestFinder()
        attempted += sum(len(t.examples) for t in finder.find(importlib.import_module(name)))
    assert attempted >= 10  # tensor, gradcheck, grad_mode, unbroadcast, special at least
