"""The examples in neuronlab.optim's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "neuronlab.optim",
    "neuronlab.optim.optimizer",
    "neuronlab.optim.sgd",
    "neuronlab.optim.adam",
    "neuronlab.optim.rmsprop",
    "neuronlab.optim.adagrad",
    "neuronlab.optim.lr_scheduler",
    "neuronlab.nn.utils",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
