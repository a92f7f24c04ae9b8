"""Every neuronlab layer as ONNX nodes: the table :data:`ONNX_LAYERS` that ``export_onnx`` walks.

An entry is ``emit(g, layer, x) -> y``: it takes the :class:`~.onnx_graph.Graph` under
construction, the layer and the name of its input tensor, adds the nodes that compute the
layer's output in evaluation mode, and returns the output's name. A layer type without an entry
is refused before anything is written. To teach the exporter a new layer, add one function here.

Layouts follow the layers: images (N, C, H, W), sequences batch-first (N, T, C) as the ready
models use them (a layer built with ``batch_first=False`` is transposed in and out). Dropout is
the identity, batch norm uses its running statistics, as in ``model.eval()``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .. import nn
from .onnx_graph import Graph


def _w(tensor) -> np.ndarray:
    return np.asarray(tensor.data)


def emit(g: Graph, layer: nn.Module, x: str, path: str = "") -> str:
    """The output of ``layer`` on ``x``, through its table entry."""
    return ONNX_LAYERS[type(layer).__name__](g, layer, x)


# ----- elementwise and shape ---------------------------------------------------------------------
def _unary(op_type: str) -> Callable:
    return lambda g, layer, x: g.op(op_type, [x], op_type.lower())


def _identity(g, layer, x):
    return x


def _leaky_relu(g, layer, x):
    return g.op("LeakyRelu", [x], "leaky_relu", alpha=float(layer.negative_slope))


def _gelu(g, layer, x):
    """0.5 x (1 + erf(x / sqrt 2)), or the tanh form
    0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))."""
    if layer.approximate == "tanh":
        cube = g.op("Mul", [g.op("Mul", [x, x]), x], "cube")
        inner = g.op("Add", [x, g.op("Mul", [cube, g.scalar(0.044715)])])
        t = g.op("Tanh", [g.op("Mul", [inner, g.scalar(math.sqrt(2 / math.pi))])])
    else:
        t = g.op("Erf", [g.op("Div", [x, g.scalar(math.sqrt(2.0))])], "erf")
    half = g.op("Mul", [x, g.scalar(0.5)], "half_x")
    return g.op("Mul", [half, g.op("Add", [t, g.scalar(1.0)])], "gelu")


def _softmax(op_type: str) -> Callable:
    return lambda g, layer, x: g.op(op_type, [x], op_type.lower(), axis=int(layer.dim))


def _flatten(g, layer, x):
    if layer.end_dim != -1 or layer.start_dim < 0:
        raise ValueError(
            f"export to ONNX: Flatten(start_dim={layer.start_dim}, end_dim={layer.end_dim}) "
            "cannot be exported; only Flatten(start_dim=k, end_dim=-1) with k >= 0 can (use "
            "a reshape in a layer of its own, or the default Flatten())"
        )
    if layer.start_dim == 0:
        return g.op("Reshape", [x, g.ints([-1], "shape")], "flatten")
    keep = g.op(
        "Slice", [g.op("Shape", [x]), g.ints([0]), g.ints([layer.start_dim]), g.ints([0])], "keep"
    )
    shape = g.op("Concat", [keep, g.ints([-1])], "flat_shape", axis=0)
    return g.op("Reshape", [x, shape], "flatten")


def _linear(g, layer, x, hint="linear"):
    y = g.op("MatMul", [x, g.const(_w(layer.weight).T, f"{hint}.weight_t")], hint)
    if layer.bias is not None:
        y = g.op("Add", [y, g.const(_w(layer.bias), f"{hint}.bias")], hint)
    return y


# ----- convolution and pooling -------------------------------------------------------------------
def _pads(layer) -> list[int]:
    """ONNX pads [begin..., end...] from the layer's padding (numbers, 'same' or 'valid')."""
    k, d = layer.kernel_size, layer.dilation
    if layer.padding == "valid":
        return [0] * (2 * len(k))
    if layer.padding == "same":
        total = [di * (ki - 1) for ki, di in zip(k, d)]
        return [t // 2 for t in total] + [t - t // 2 for t in total]
    return list(layer.padding) * 2


def _conv(g, layer, x):
    inputs = [x, g.const(_w(layer.weight), "conv.weight")]
    if layer.bias is not None:
        inputs.append(g.const(_w(layer.bias), "conv.bias"))
    return g.op(
        "Conv",
        inputs,
        "conv",
        kernel_shape=list(layer.kernel_size),
        strides=list(layer.stride),
        pads=_pads(layer),
        dilations=list(layer.dilation),
        group=int(layer.groups),
    )


def _max_pool(g, layer, x):
    if layer.return_indices:
        raise ValueError(
            f"export to ONNX: MaxPool2d({layer.extra_repr()}) returns (values, indices), "
            "which a sequential graph cannot pass on; export it with return_indices=False"
        )
    return g.op(
        "MaxPool",
        [x],
        "maxpool",
        kernel_shape=list(layer.kernel_size),
        strides=list(layer.stride),
        pads=list(layer.padding) * 2,
        dilations=list(layer.dilation),
        ceil_mode=int(layer.ceil_mode),
    )


def _avg_pool(g, layer, x):
    if layer.divisor_override is not None:
        raise ValueError(
            f"export to ONNX: AvgPool2d({layer.extra_repr()}) has no ONNX counterpart (ONNX's "
            "AveragePool has no divisor_override); export it without divisor_override"
        )
    return g.op(
        "AveragePool",
        [x],
        "avgpool",
        kernel_shape=list(layer.kernel_size),
        strides=list(layer.stride),
        pads=list(layer.padding) * 2,
        count_include_pad=int(layer.count_include_pad),
        ceil_mode=int(layer.ceil_mode),
    )


def _adaptive_avg_pool(g, layer, x):
    size = layer.output_size
    size = (size, size) if isinstance(size, int) else tuple(size)
    if size == (1, 1):
        return g.op("GlobalAveragePool", [x], "avgpool")
    H, W = g.shapes[id(layer)][2:]
    out = [H if s is None else s for s in size[:1]] + [W if s is None else s for s in size[1:]]
    if H % out[0] or W % out[1]:
        raise ValueError(
            f"export to ONNX: AdaptiveAvgPool2d(output_size={layer.output_size}) on {H}x{W} "
            "maps needs windows of different sizes, which ONNX's pooling cannot express; use "
            "an output size that divides the input size, or (1, 1)"
        )
    k = [H // out[0], W // out[1]]
    return g.op("AveragePool", [x], "avgpool", kernel_shape=k, strides=k)


# ----- normalization and embedding ---------------------------------------------------------------
def _batch_norm(g, layer, x):
    if layer.running_mean is None:
        raise ValueError(
            f"export to ONNX: {type(layer).__name__}(track_running_stats=False) normalizes with "
            "each batch's own statistics even in evaluation, which an exported model cannot "
            "do; build it with track_running_stats=True (the default) and train it again"
        )
    C = layer.num_features
    scale = _w(layer.weight) if layer.weight is not None else np.ones(C)
    bias = _w(layer.bias) if layer.bias is not None else np.zeros(C)
    inputs = [
        x,
        g.const(scale, "bn.weight"),
        g.const(bias, "bn.bias"),
        g.const(_w(layer.running_mean), "bn.running_mean"),
        g.const(_w(layer.running_var), "bn.running_var"),
    ]
    return g.op("BatchNormalization", inputs, "batchnorm", epsilon=float(layer.eps))


def _layer_norm(g, layer, x):
    shape = layer.normalized_shape
    scale = _w(layer.weight) if layer.weight is not None else np.ones(shape)
    bias = _w(layer.bias) if layer.bias is not None else np.zeros(shape)
    return g.op(
        "LayerNormalization",
        [x, g.const(scale, "ln.weight"), g.const(bias, "ln.bias")],
        "layernorm",
        axis=-len(shape),
        epsilon=float(layer.eps),
    )


def _embedding(g, layer, x):
    ids = g.op("Cast", [x], "ids", to=7)  # int64
    return g.op("Gather", [g.const(_w(layer.weight), "embedding.weight"), ids], "embedding")


def _positions(g, layer, x):
    table = layer.weight if hasattr(layer, "weight") else layer.pe
    rows = g.rows(g.const(_w(table), "positions"), g.length(x, 1 if layer.batch_first else 0))
    if not layer.batch_first:
        rows = g.op("Unsqueeze", [rows, g.ints([1])], "positions")  # (L, 1, C)
    return g.op("Add", [x, rows], "with_positions")


# ----- containers and ready models ---------------------------------------------------------------
def _sequential(g, layer, x):
    for child in layer._modules.values():
        x = emit(g, child, x)
    return x


def _residual(g, layer, x):
    return g.op("Add", [x, emit(g, layer.fn, x)], "residual")


def _basic_block(g, layer, x):
    shortcut = x if layer.downsample is None else emit(g, layer.downsample, x)
    out = g.op("Relu", [emit(g, layer.bn1, emit(g, layer.conv1, x))])
    out = emit(g, layer.bn2, emit(g, layer.conv2, out))
    return g.op("Relu", [g.op("Add", [out, shortcut], "block_sum")], "block")


def _image_classifier(g, layer, x):
    return emit(g, layer.classifier, emit(g, layer.features, x))


def _resnet(g, layer, x):
    x = g.op("Relu", [emit(g, layer.bn1, emit(g, layer.conv1, x))])
    for stage in (layer.layer1, layer.layer2, layer.layer3):
        x = emit(g, stage, x)
    x = g.op("Flatten", [emit(g, layer.avgpool, x)], "flatten", axis=1)
    return emit(g, layer.fc, x)


def _char_rnn(g, layer, x):
    return emit(g, layer.head, emit(g, layer.rnn, emit(g, layer.embedding, x)))


def _tiny_gpt(g, layer, x):
    from ..nn.attention import causal_mask

    h = emit(g, layer.pos_emb, emit(g, layer.tok_emb, x))  # (N, T, C)
    T = g.length(x, 1)
    full = g.const(causal_mask(layer.block_size, dtype=g.dtype), "causal_mask")
    rows = g.rows(full, T)
    mask = g.op("Slice", [rows, g.ints([0]), T, g.ints([1])], "mask")  # (T, T)
    return emit(g, layer.head, encoder(g, layer.blocks, h, mask))


from .onnx_sequence import attention, encoder, encoder_layer, recurrent  # noqa: E402

ONNX_LAYERS: dict[str, Callable[[Graph, nn.Module, str], str]] = {
    "Sequential": _sequential,
    "Identity": _identity,
    "Dropout": _identity,
    "Flatten": _flatten,
    "Linear": _linear,
    "ReLU": _unary("Relu"),
    "LeakyReLU": _leaky_relu,
    "Sigmoid": _unary("Sigmoid"),
    "Tanh": _unary("Tanh"),
    "GELU": _gelu,
    "Softmax": _softmax("Softmax"),
    "LogSoftmax": _softmax("LogSoftmax"),
    "Conv1d": _conv,
    "Conv2d": _conv,
    "MaxPool2d": _max_pool,
    "AvgPool2d": _avg_pool,
    "AdaptiveAvgPool2d": _adaptive_avg_pool,
    "BatchNorm1d": _batch_norm,
    "BatchNorm2d": _batch_norm,
    "LayerNorm": _layer_norm,
    "Embedding": _embedding,
    "LearnedPositionalEncoding": _positions,
    "SinusoidalPositionalEncoding": _positions,
    "RNN": recurrent,
    "LSTM": recurrent,
    "GRU": recurrent,
    "MultiheadAttention": lambda g, layer, x: attention(g, layer, x, None),
    "TransformerEncoderLayer": lambda g, layer, x: encoder_layer(g, layer, x, None),
    "TransformerEncoder": lambda g, layer, x: encoder(g, layer, x, None),
    "Residual": _residual,
    "BasicBlock": _basic_block,
    "MLP": _sequential,
    "DeepMLP": _sequential,
    "LeNet": _image_classifier,
    "SmallCNN": _image_classifier,
    "ResNet": _resnet,
    "CharRNN": _char_rnn,
    "CharLSTM": _char_rnn,
    "TinyGPT": _tiny_gpt,
}
