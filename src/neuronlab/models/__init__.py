"""``neuronlab.models``: ready-made networks built from ``neuronlab.nn`` layers.

Reading order: ``mlp`` (the multilayer perceptron), ``deep_mlp`` (a deep, narrow one for the
depth chapter), ``resnet`` (the CIFAR ResNet family of He et al., 2016).

>>> import neuronlab as nl
>>> from neuronlab.models import MLP
>>> MLP(2, [16], 3)(nl.zeros(4, 2)).shape
(4, 3)
"""

from .deep_mlp import DeepMLP
from .mlp import MLP
from .resnet import ResNet, resnet20, resnet32, resnet44, resnet56, resnet110

__all__ = [
    "MLP",
    "DeepMLP",
    "ResNet",
    "resnet20",
    "resnet32",
    "resnet44",
    "resnet56",
    "resnet110",
]
