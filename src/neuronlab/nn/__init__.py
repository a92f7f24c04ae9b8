"""``neuronlab.nn``: layers, losses and the ``Module`` base class that models are built from.

Reading order: ``parameter`` (what a layer learns), ``module`` (how layers hold parameters and
each other), ``init`` (where the first values come from), ``functional`` (the math, without
state), then the layers (``linear``, ``activation``, ``dropout``, ``flatten``, ``container``) and
the losses (``loss_functional``, ``loss``) and the weight penalties added to a loss
(``regularization``). ``summary`` lists what each layer of a model does.

>>> import neuronlab as nl
>>> model = nl.nn.Sequential(nl.nn.Linear(2, 4), nl.nn.Tanh(), nl.nn.Linear(4, 1))
>>> loss = nl.nn.MSELoss()(model(nl.zeros(8, 2)), nl.zeros(8, 1))
>>> loss.backward()
>>> model[0].weight.grad.shape
(4, 2)
"""

from . import functional, init, utils
from .activation import GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .activation_more import (
    CELU,
    ELU,
    SELU,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LogSigmoid,
    Mish,
    PReLU,
    ReLU6,
    SiLU,
    Softmin,
    Softplus,
    Softsign,
    Tanhshrink,
)
from .attention import MultiheadAttention
from .container import ModuleList, Sequential
from .container_more import ModuleDict, ParameterDict, ParameterList
from .conv import Conv1d, Conv2d
from .conv_transpose import ConvTranspose1d, ConvTranspose2d
from .dropout import Dropout
from .embedding import Embedding
from .flatten import Flatten, Unflatten
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
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from .normalization_more import GroupNorm, InstanceNorm1d, InstanceNorm2d
from .parameter import Parameter
from .per_example import per_example_gradients, register_per_example_rule
from .pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d, MaxUnpool2d
from .recurrent import GRU, LSTM, RNN
from .recurrent_cells import GRUCell, LSTMCell, RNNCell
from .regularization import L1Penalty, PenalizedLoss, l1_penalty
from .residual import BasicBlock, Residual
from .summary import ModelSummary, SummaryRow, summary
from .transformer import (
    LearnedPositionalEncoding,
    SinusoidalPositionalEncoding,
    TransformerEncoder,
    TransformerEncoderLayer,
)
from .upsampling import Upsample

__all__ = [
    "L1Penalty",
    "PenalizedLoss",
    "l1_penalty",
    "AdaptiveAvgPool2d",
    "AvgPool2d",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BasicBlock",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv1d",
    "Conv2d",
    "CrossEntropyLoss",
    "Dropout",
    "Embedding",
    "Flatten",
    "GELU",
    "GRU",
    "GRUCell",
    "HuberLoss",
    "Identity",
    "IncompatibleKeys",
    "L1Loss",
    "LSTM",
    "LSTMCell",
    "LayerNorm",
    "LeakyReLU",
    "LearnedPositionalEncoding",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "MaxPool2d",
    "MaxUnpool2d",
    "ModelSummary",
    "Module",
    "ModuleList",
    "MultiheadAttention",
    "NLLLoss",
    "Parameter",
    "RNN",
    "RNNCell",
    "ReLU",
    "RemovableHandle",
    "Residual",
    "Sequential",
    "Sigmoid",
    "SinusoidalPositionalEncoding",
    "Softmax",
    "StateDictError",
    "SummaryRow",
    "Tanh",
    "TransformerEncoder",
    "TransformerEncoderLayer",
    "functional",
    "init",
    "per_example_gradients",
    "register_per_example_rule",
    "summary",
    "utils",
    # the wider PyTorch surface
    "CELU", "ConvTranspose1d", "ConvTranspose2d", "ELU", "GroupNorm", "Hardsigmoid",
    "Hardswish", "Hardtanh", "InstanceNorm1d", "InstanceNorm2d", "LogSigmoid", "Mish",
    "ModuleDict", "PReLU", "ParameterDict", "ParameterList", "ReLU6", "SELU", "SiLU", "Softmin",
    "Softplus", "Softsign", "Tanhshrink", "Unflatten", "Upsample",
]
