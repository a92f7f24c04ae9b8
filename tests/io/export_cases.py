"""The models and layers every exporter is tested on: one entry per layer type of ``nn`` and per
ready model of ``models``, each with a way to make inputs of any batch size.

Batch norm's running statistics are set to random values first, so the tests would notice an
exporter that dropped them.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

import neuronlab as nl
from neuronlab import models, nn


def floats(*shape):
    """Inputs of ``shape`` with the batch size as a free first argument."""
    return lambda n, rng: rng.standard_normal((n, *shape)).astype(np.float32)


def seq_first(L, *shape):
    """Sequence-first inputs (L, n, ...) for layers built with batch_first=False."""
    return lambda n, rng: rng.standard_normal((L, n, *shape)).astype(np.float32)


def tokens(vocab, T):
    return lambda n, rng: rng.integers(0, vocab, (n, T))


def _encoder():
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0)
    return nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8))


# id -> (factory, inputs). Layers that return several tensors are compared on the first.
LAYERS = {
    "identity": (nn.Identity, floats(3)),
    "flatten": (nn.Flatten, floats(2, 3, 2)),
    "linear": (lambda: nn.Linear(5, 3), floats(5)),
    "linear-nobias": (lambda: nn.Linear(5, 3, bias=False), floats(4, 5)),
    "relu": (nn.ReLU, floats(6)),
    "leaky_relu": (lambda: nn.LeakyReLU(0.2), floats(6)),
    "sigmoid": (nn.Sigmoid, floats(6)),
    "tanh": (nn.Tanh, floats(6)),
    "gelu": (nn.GELU, floats(6)),
    "gelu-tanh": (lambda: nn.GELU("tanh"), floats(6)),
    "softmax": (lambda: nn.Softmax(dim=-1), floats(6)),
    "log_softmax": (lambda: nn.LogSoftmax(dim=1), floats(6)),
    "dropout": (lambda: nn.Dropout(0.3), floats(6)),
    "conv1d": (lambda: nn.Conv1d(2, 4, 3, padding="same"), floats(2, 7)),
    "conv2d": (lambda: nn.Conv2d(2, 4, 3, stride=2, padding=1, groups=2), floats(2, 7, 7)),
    "maxpool2d": (lambda: nn.MaxPool2d(2), floats(2, 6, 6)),
    "avgpool2d": (lambda: nn.AvgPool2d(3, stride=2, padding=1), floats(2, 7, 7)),
    "maxpool2d-ceil-dilation": (lambda: nn.MaxPool2d(2, 1, 1, dilation=2, ceil_mode=True),
                                floats(2, 6, 7)),
    "avgpool2d-ceil": (lambda: nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False),
                       floats(2, 6, 8)),
    "adaptive_avgpool2d": (lambda: nn.AdaptiveAvgPool2d(2), floats(2, 6, 4)),
    "batchnorm1d": (lambda: nn.BatchNorm1d(5), floats(5)),
    "batchnorm2d": (lambda: nn.BatchNorm2d(3), floats(3, 4, 4)),
    "layernorm": (lambda: nn.LayerNorm((3, 4)), floats(3, 4)),
    "embedding": (lambda: nn.Embedding(10, 4), tokens(10, 5)),
    "rnn": (lambda: nn.RNN(3, 5, num_layers=2, batch_first=True), floats(4, 3)),
    "rnn-relu": (lambda: nn.RNN(3, 5, nonlinearity="relu"), seq_first(4, 3)),
    "lstm": (lambda: nn.LSTM(3, 5, batch_first=True, bidirectional=True), floats(4, 3)),
    "gru": (lambda: nn.GRU(3, 5, num_layers=2, batch_first=True), floats(4, 3)),
    "rnn_cell": (lambda: nn.RNNCell(3, 5), floats(3)),
    "lstm_cell": (lambda: nn.LSTMCell(3, 5), floats(3)),
    "gru_cell": (lambda: nn.GRUCell(3, 5), floats(3)),
    "attention": (lambda: nn.MultiheadAttention(8, 2, batch_first=True), floats(5, 8)),
    "encoder_layer": (
        lambda: nn.TransformerEncoderLayer(8, 2, 16, activation="gelu", batch_first=True),
        floats(5, 8),
    ),
    "encoder": (_encoder, seq_first(5, 8)),
    "learned_positions": (
        lambda: nn.LearnedPositionalEncoding(8, max_len=10, batch_first=True),
        floats(6, 8),
    ),
    "sinusoidal_positions": (lambda: nn.SinusoidalPositionalEncoding(8, 10), seq_first(6, 8)),
    "residual": (lambda: nn.Residual(nn.Sequential(nn.Linear(4, 4), nn.Tanh())), floats(4)),
    "basic_block": (lambda: nn.BasicBlock(2, 4, stride=2), floats(2, 6, 6)),
    "sequential-named": (
        lambda: nn.Sequential(OrderedDict(fc=nn.Linear(3, 4), act=nn.ReLU())),
        floats(3),
    ),
}

MODELS = {
    "mlp": (lambda: models.MLP(4, [8, 8], 3, activation="tanh"), floats(4)),
    "mlp-batchnorm-residual": (
        lambda: models.MLP(
            4, [6, 6], 2, activation="gelu", norm="batch", residual=True, dropout=0.1
        ),
        floats(4),
    ),
    "mlp-layernorm": (lambda: models.MLP(4, [6], 2, norm="layer"), floats(4)),
    "deep_mlp": (lambda: models.DeepMLP(depth=5, width=4, residual=True), floats(2)),
    "lenet": (models.LeNet, floats(1, 28, 28)),
    "small_cnn": (lambda: models.SmallCNN(channels=(4, 8), hidden=16), floats(1, 28, 28)),
    "small_cnn-no-hidden": (lambda: models.SmallCNN(channels=(2, 4), hidden=0), floats(1, 28, 28)),
    "resnet": (lambda: models.ResNet(depth=8, num_classes=4, width=4), floats(3, 8, 8)),
    "char_rnn": (lambda: models.CharRNN(12, 4, 8, num_layers=2), tokens(12, 6)),
    "char_lstm": (lambda: models.CharLSTM(12, 4, 8), tokens(12, 6)),
    "tiny_gpt": (lambda: models.TinyGPT(12, 8, n_layer=2, n_head=2, n_embd=16), tokens(12, 7)),
}

ALL = {**LAYERS, **MODELS}
# What ONNX does not take, and why (each is refused with its name).
NOT_ONNX = {"rnn_cell", "lstm_cell", "gru_cell"}  # one step with a state: not a whole model


def make(case: str, seed: int = 0):
    """(the model in evaluation mode, its input maker); random batch-norm statistics."""
    nl.manual_seed(seed)
    factory, inputs = ALL[case]
    model = factory()
    rng = np.random.default_rng(seed)
    for layer in model.modules():
        if isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d)):
            layer.running_mean.data[...] = rng.standard_normal(layer.num_features)
            layer.running_var.data[...] = rng.uniform(0.5, 2.0, layer.num_features)
    return model.eval(), inputs


def first(output) -> np.ndarray:
    """The first tensor of a layer's output (RNNs and attention return several)."""
    while isinstance(output, (tuple, list)):
        output = output[0]
    return output.detach().numpy() if hasattr(output, "detach") else np.asarray(output.data)


def ours(model, x):
    """neuronlab's output on ``x`` (self-attention for MultiheadAttention)."""
    t = nl.tensor(x) if x.dtype.kind == "f" else x
    if isinstance(model, nn.MultiheadAttention):
        return first(model(t, t, t))
    return first(model(t))
