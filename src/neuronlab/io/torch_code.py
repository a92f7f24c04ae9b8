"""Every neuronlab layer as the PyTorch constructor call that builds its twin.

``torch_call(model)`` walks a model and returns a tree of :class:`Call` s, e.g.
``Call("nn.Linear", (784, 128))`` or ``Call("ResNet", kwargs={"depth": 20, ...})``. The same tree
is both *written* as Python (``Call.code()``, for the ``model.py`` that ``export_torch`` writes)
and *built* (``Call.build()``, for ``to_torch``), so the code a learner reads is the code that was
tested. Names starting with ``nn.`` are ``torch.nn`` classes; the others are the classes of
``neuronlab.io.torch_classes``.

The table :data:`TORCH_LAYERS` has one entry per layer type: a function from the neuronlab layer
and its constructor arguments (``neuronlab.io.architecture`` already knows how to read those) to
a Call. A layer type without an entry is refused before anything is written, with its name and
where it sits in the model. To teach the exporter a new layer, add one line here (and one in
``onnx_layers.ONNX_LAYERS``).

>>> import neuronlab as nl
>>> print(torch_call(nl.nn.Sequential(nl.nn.Linear(2, 8), nl.nn.Tanh())).code())
nn.Sequential(
    nn.Linear(2, 8),
    nn.Tanh(),
)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import nn
from . import architecture


@dataclass
class Call:
    """A constructor call: ``name(*args, **kwargs)``; arguments may be Calls themselves."""

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    names: tuple[str, ...] | None = None  # a Sequential's child names, when not 0, 1, 2...

    def code(self, indent: int = 0) -> str:
        """The call as Python source; containers put one child per line."""
        parts = [_code(a, indent + 1) for a in self.args]
        parts += [f"{k}={_code(v, indent + 1)}" for k, v in self.kwargs.items()]
        if self.names is not None:
            pad = "    " * (indent + 2)
            items = "".join(
                f'{pad}("{n}", {_code(a, indent + 2)}),\n' for n, a in zip(self.names, self.args)
            )
            return f"{self.name}(OrderedDict([\n{items}{'    ' * (indent + 1)}]))"
        one_line = f"{self.name}({', '.join(parts)})"
        long = len(one_line) + 4 * indent > 90 or "\n" in one_line
        if (self.name in ("nn.Sequential", "nn.ModuleList") and self.args) or long:
            pad = "    " * (indent + 1)
            body = "".join(f"{pad}{p},\n" for p in parts)
            return f"{self.name}(\n{body}{'    ' * indent})"
        return one_line

    def build(self):
        """The torch module this call constructs (needs torch)."""
        from collections import OrderedDict

        import torch

        from . import torch_classes

        if self.name.startswith("nn."):
            cls = getattr(torch.nn, self.name[3:])
        else:
            cls = getattr(torch_classes, self.name)
        args = [_build(a) for a in self.args]
        kwargs = {k: _build(v) for k, v in self.kwargs.items()}
        if self.names is not None:
            return cls(OrderedDict(zip(self.names, args)))
        return cls(*args, **kwargs)

    def classes(self) -> list[str]:
        """The names of torch_classes used anywhere in this tree (not ``nn.`` ones)."""
        found = [] if self.name.startswith("nn.") else [self.name]
        for value in (*self.args, *self.kwargs.values()):
            if isinstance(value, Call):
                found += value.classes()
            elif isinstance(value, list):
                found += [c for v in value if isinstance(v, Call) for c in v.classes()]
        return list(dict.fromkeys(found))


def _code(value, indent: int) -> str:
    if isinstance(value, Call):
        return value.code(indent)
    if isinstance(value, list) and any(isinstance(v, Call) for v in value):
        pad = "    " * (indent + 1)
        body = "".join(f"{pad}{_code(v, indent + 1)},\n" for v in value)
        return f"[\n{body}{'    ' * indent}]"
    if isinstance(value, str):
        return json.dumps(value)  # double quotes, as formatted Python has them
    return repr(value)


def _build(value):
    if isinstance(value, Call):
        return value.build()
    if isinstance(value, list):
        return [_build(v) for v in value]
    return value


class ExportError(ValueError):
    """A model holds a layer that has no counterpart in the target format."""


# ----- the table ---------------------------------------------------------------------------------
def _tuples(config: dict) -> dict:
    """JSON's lists back to tuples (kernel sizes, widths), which read better in code."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in config.items()}


def same(torch_name: str, positional: tuple[str, ...] = (), defaults: dict | None = None):
    """An entry for a layer whose PyTorch twin takes the same arguments: the first
    ``positional`` ones are written by position, and arguments equal to ``defaults`` are left out
    so the code reads as a person writes it."""
    defaults = defaults or {}

    def call(layer, config: dict, path: str) -> Call:
        config = _tuples(config)
        args = tuple(config.pop(name) for name in positional)
        kwargs = {k: v for k, v in config.items() if k not in defaults or defaults[k] != v}
        return Call(torch_name, args, kwargs)

    return call


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _sequential(layer, config, path) -> Call:
    keys = list(layer._modules)
    children = tuple(_call(child, _at(path, key)) for key, child in layer._modules.items())
    named = keys != [str(i) for i in range(len(keys))]
    return Call(f"nn.{type(layer).__name__}", children, names=tuple(keys) if named else None)


def _module_list(layer, config, path) -> Call:
    return Call("nn.ModuleList", ([_call(c, _at(path, k)) for k, c in layer._modules.items()],))


def _residual(layer, config, path) -> Call:
    return Call("Residual", (_call(layer.fn, _at(path, "fn")),))


def _encoder(layer, config, path) -> Call:
    block = _call(layer.layers[0], _at(path, "layers.0"))
    norm = None if layer.norm is None else _call(layer.norm, _at(path, "norm"))
    kwargs = {"norm": norm, "enable_nested_tensor": False}
    return Call("nn.TransformerEncoder", (block, layer.num_layers), kwargs)


def _positions(torch_name: str, default_len: int):
    return same(
        torch_name, ("d_model",), {"max_len": default_len, "dropout": 0.0, "batch_first": False}
    )


def holder(name: str):
    """An entry that refuses a bare holder of layers or parameters by name: it has no forward of
    its own, so there is no model to export (export the model that uses it)."""

    def call(layer, config, path) -> Call:
        where = f"at {path!r}" if path else "(the model itself)"
        raise ExportError(
            f"export to PyTorch: {name} {where} only holds layers or parameters and has no "
            "forward of its own; export a model built from Sequential and the built-in layers"
        )

    return call


_CONV = {"stride": (1,), "padding": (0,), "dilation": (1,), "groups": 1, "bias": True}
_CONV2 = {**_CONV, "stride": (1, 1), "padding": (0, 0), "dilation": (1, 1)}
_NORM = {"eps": 1e-5, "momentum": 0.1, "affine": True, "track_running_stats": True}
_RNN = {
    "num_layers": 1,
    "bias": True,
    "batch_first": False,
    "dropout": 0.0,
    "bidirectional": False,
    "nonlinearity": "tanh",
}

# neuronlab class name -> (layer, its constructor arguments) -> the PyTorch call.
TORCH_LAYERS: dict[str, Callable[[nn.Module, dict, str], Call]] = {
    "Sequential": _sequential,
    "ModuleList": _module_list,
    "Identity": same("nn.Identity"),
    "Flatten": same("nn.Flatten", (), {"start_dim": 1, "end_dim": -1}),
    "Linear": same("nn.Linear", ("in_features", "out_features"), {"bias": True}),
    "ReLU": same("nn.ReLU"),
    "LeakyReLU": same("nn.LeakyReLU", (), {"negative_slope": 0.01}),
    "Sigmoid": same("nn.Sigmoid"),
    "Tanh": same("nn.Tanh"),
    "GELU": same("nn.GELU", (), {"approximate": "none"}),
    "Softmax": same("nn.Softmax"),
    "LogSoftmax": same("nn.LogSoftmax"),
    "Dropout": same("nn.Dropout", (), {"p": 0.5}),
    "Conv1d": same("nn.Conv1d", ("in_channels", "out_channels", "kernel_size"), _CONV),
    "Conv2d": same("nn.Conv2d", ("in_channels", "out_channels", "kernel_size"), _CONV2),
    "MaxPool2d": same("nn.MaxPool2d", ("kernel_size",), {"padding": (0, 0)}),
    "AvgPool2d": same(
        "nn.AvgPool2d", ("kernel_size",), {"padding": (0, 0), "count_include_pad": True}
    ),
    "MaxUnpool2d": same("nn.MaxUnpool2d", ("kernel_size",), {"padding": (0, 0)}),
    "AdaptiveAvgPool2d": same("nn.AdaptiveAvgPool2d", ("output_size",)),
    "BatchNorm1d": same("nn.BatchNorm1d", ("num_features",), _NORM),
    "BatchNorm2d": same("nn.BatchNorm2d", ("num_features",), _NORM),
    "LayerNorm": same(
        "nn.LayerNorm",
        ("normalized_shape",),
        {"eps": 1e-5, "elementwise_affine": True, "bias": True},
    ),
    "Embedding": same("nn.Embedding", ("num_embeddings", "embedding_dim"), {"padding_idx": None}),
    "RNN": same("nn.RNN", ("input_size", "hidden_size"), _RNN),
    "LSTM": same("nn.LSTM", ("input_size", "hidden_size"), _RNN),
    "GRU": same("nn.GRU", ("input_size", "hidden_size"), _RNN),
    "RNNCell": same("nn.RNNCell", ("input_size", "hidden_size"), _RNN),
    "LSTMCell": same("nn.LSTMCell", ("input_size", "hidden_size"), _RNN),
    "GRUCell": same("nn.GRUCell", ("input_size", "hidden_size"), _RNN),
    "MultiheadAttention": same(
        "nn.MultiheadAttention",
        ("embed_dim", "num_heads"),
        {"dropout": 0.0, "bias": True, "batch_first": False, "kdim": None, "vdim": None},
    ),
    "TransformerEncoderLayer": same("nn.TransformerEncoderLayer", ("d_model", "nhead")),
    "TransformerEncoder": _encoder,
    "LearnedPositionalEncoding": _positions("LearnedPositionalEncoding", 512),
    "SinusoidalPositionalEncoding": _positions("SinusoidalPositionalEncoding", 5000),
    "Residual": _residual,
    "BasicBlock": same("BasicBlock", ("in_ch", "out_ch"), {"stride": 1}),
    "MLP": same(
        "MLP",
        ("in_features", "hidden_sizes", "out_features"),
        {"activation": "relu", "dropout": 0.0, "norm": None, "residual": False},
    ),
    "DeepMLP": same("DeepMLP"),
    "LeNet": same("LeNet"),
    "SmallCNN": same("SmallCNN"),
    "ResNet": same("ResNet"),
    "CharRNN": same("CharRNN"),
    "CharLSTM": same("CharLSTM"),
    "TinyGPT": same("TinyGPT"),
    # the wider layer surface: PyTorch's twins take the same arguments
    **{
        name: same(f"nn.{name}")
        for name in (
            "SiLU",
            "Mish",
            "LogSigmoid",
            "Hardsigmoid",
            "Hardswish",
            "ReLU6",
            "SELU",
            "Tanhshrink",
            "Softsign",
        )
    },
    "Softplus": same("nn.Softplus", (), {"beta": 1.0, "threshold": 20.0}),
    "ELU": same("nn.ELU", (), {"alpha": 1.0}),
    "CELU": same("nn.CELU", (), {"alpha": 1.0}),
    "Hardtanh": same("nn.Hardtanh", (), {"min_val": -1.0, "max_val": 1.0}),
    "Softmin": same("nn.Softmin"),
    "PReLU": same("nn.PReLU", (), {"num_parameters": 1, "init": 0.25}),
    "GroupNorm": same(
        "nn.GroupNorm", ("num_groups", "num_channels"), {"eps": 1e-5, "affine": True}
    ),
    "InstanceNorm1d": same("nn.InstanceNorm1d", ("num_features",), {"eps": 1e-5, "affine": False}),
    "InstanceNorm2d": same("nn.InstanceNorm2d", ("num_features",), {"eps": 1e-5, "affine": False}),
    "Upsample": same(
        "nn.Upsample",
        (),
        {"size": None, "scale_factor": None, "mode": "nearest", "align_corners": None},
    ),
    "Unflatten": same("nn.Unflatten", ("dim", "unflattened_size")),
    "ConvTranspose1d": same(
        "nn.ConvTranspose1d",
        ("in_channels", "out_channels", "kernel_size"),
        {**_CONV, "output_padding": (0,)},
    ),
    "ConvTranspose2d": same(
        "nn.ConvTranspose2d",
        ("in_channels", "out_channels", "kernel_size"),
        {**_CONV2, "output_padding": (0, 0)},
    ),
    **{name: holder(name) for name in ("ModuleDict", "ParameterList", "ParameterDict")},
}


def _config(layer: nn.Module, name: str) -> dict:
    """The layer's constructor arguments, as ``neuronlab.io.architecture`` reads them."""
    if name in architecture.CONTAINERS or name in ("Residual", "TransformerEncoder"):
        return {}
    entry = architecture.LAYERS.get(name)
    return dict(entry.extract(layer)) if entry is not None else {}


def _call(layer: nn.Module, path: str) -> Call:
    name = type(layer).__name__
    known = name in architecture.CONTAINERS or name in architecture.LAYERS
    if name not in TORCH_LAYERS or not known or type(layer) is not _class_of(name):
        raise ExportError(unsupported(layer, path, "PyTorch", TORCH_LAYERS))
    return TORCH_LAYERS[name](layer, _config(layer, name), path)


def _class_of(name: str):
    return architecture._known_class(name)


def unsupported(layer, path: str, target: str, table: dict) -> str:
    """The message for a layer with no counterpart: who, where, what to do."""
    where = f"at {path!r}" if path else "(the model itself)"
    cls = type(layer)
    return (
        f"export to {target}: the layer {cls.__name__} {where} ({cls.__module__}."
        f"{cls.__qualname__}) has no {target} counterpart, so nothing was written. Layers that "
        f"export: {', '.join(sorted(table))}. Build the model from those, or add an entry for "
        f"{cls.__name__} to the exporter's table"
    )


def torch_call(model: nn.Module) -> Call:
    """The tree of PyTorch constructor calls that builds ``model``'s twin (see module doc).

    Raises ExportError (a ValueError) naming the first layer that has no PyTorch counterpart.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"export to PyTorch: expected a neuronlab nn.Module, got {type(model).__name__}"
        )
    return _call(model, "")
