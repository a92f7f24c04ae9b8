"""``neuronlab.models``: ready-made networks built from ``neuronlab.nn`` layers.

Reading order: ``mlp`` (the multilayer perceptron), ``features`` (the playground's input
features of 2-D points, a layer), ``deep_mlp`` (a deep, narrow one for the
depth chapter), ``lenet`` (small convolutional networks for 28x28 images), ``resnet`` (the CIFAR
ResNet family of He et al., 2016), ``char_rnn`` (character-level recurrent language models) and
``gpt`` (a tiny GPT-style causal Transformer).

>>> import neuronlab as nl
>>> from neuronlab.models import MLP
>>> MLP(2, [16], 3)(nl.zeros(4, 2)).shape
(4, 3)
"""

from .char_rnn import CharLSTM, CharRNN, sequence_cross_entropy
from .deep_mlp import DeepMLP
from .features import PointFeatures
from .gpt import TinyGPT
from .lenet import LeNet, SmallCNN
from .mlp import MLP
from .pretrained import list_pretrained, load_pretrained, pretrained_card
from .resnet import ResNet, resnet20, resnet32, resnet44, resnet56, resnet110

__all__ = [
    "list_pretrained",
    "load_pretrained",
    "pretrained_card",
    "CharLSTM",
    "CharRNN",
    "LeNet",
    "SmallCNN",
    "TinyGPT",
    "sequence_cross_entropy",
    "MLP",
    "PointFeatures",
    "DeepMLP",
    "ResNet",
    "resnet20",
    "resnet32",
    "resnet44",
    "resnet56",
    "resnet110",
]
