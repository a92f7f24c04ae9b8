"""``neuronlab.nn``: layers, losses and the ``Module`` base class that models are built from.

Reading order: ``parameter`` (what a layer learns), ``module`` (how layers hold parameters and
each other), ``init`` (where the first values come from), ``functional`` (the math, without
state), then the layers (``linear``, ``activation``, ``dropout``, ``flatten``, ``container``) and
the losses (``loss_functional``, ``loss``). ``summary`` lists what each layer of a model does.

>>> import neuronlab as nl
>>> model = nl.nn.Sequential(nl.nn.Linear(2, 4), nl.nn.Tanh(), nl.nn.Linear(4, 1))
>>> loss = nl.nn.MSELoss()(model(nl.zeros(8, 2)), nl.zeros(8, 1))
>>> loss.backward()
>>> model[0].weight.grad.shape
(4, 2)
"""

from . import functional, init
from .activation import GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .container import ModuleList, Sequential
from .dropout import Dropout
from .flatten import Flatten
from .linear import Identity, Linear
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
)
from .module import IncompatibleKeys, Module, RemovableHandle, StateDictError
from .parameter import Parameter
from .summary import ModelSummary, SummaryRow, summary

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "Dropout",
    "Flatten",
    "GELU",
    "HuberLoss",
    "Identity",
    "IncompatibleKeys",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "ModelSummary",
    "Module",
    "ModuleList",
    "NLLLoss",
    "Parameter",
    "ReLU",
    "RemovableHandle",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "StateDictError",
    "SummaryRow",
    "Tanh",
    "functional",
    "init",
    "summary",
]
