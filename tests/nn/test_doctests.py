"""The examples in the docstrings of ``neuronlab.nn`` run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import neuronlab.nn

MODULES = sorted(
    ["neuronlab.nn"]
    + [f"neuronlab.nn.{info.name}" for info in pkgutil.iter_modules(neuronlab.nn.__path__)]
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"


def test_every_public_layer_has_an_example_and_a_shape_section():
    for name in neuronlab.nn.__all__:
        obj = getattr(neuronlab.nn, name)
        if isinstance(obj, type) and issubclass(obj, neuronlab.nn.Module) and obj.__doc__:
            if obj in (neuronlab.nn.Module,):
                continue
            assert ">>>" in obj.__doc__, f"{name} has no doctest"
            holders = (neuronlab.nn.ModuleList, neuronlab.nn.ModuleDict, neuronlab.nn.ParameterList,
                       neuronlab.nn.ParameterDict)  # they hold layers, no forward of their own
            assert "Shape" in obj.__doc__ or obj in holders, (
                f"{name} has no Shape section"
            )
