"""Saving and loading the convolution and pooling layers and the small CNNs: how
``describe``/``build`` write down and rebuild ``Conv1d``, ``Conv2d``, ``MaxPool2d``,
``AvgPool2d``, ``MaxUnpool2d``, ``AdaptiveAvgPool2d``, ``LeNet`` and ``SmallCNN`` (their
constructor arguments; the weights travel beside them).

>>> from neuronlab.nn.conv import Conv2d
>>> from neuronlab.io.architecture import build, describe
>>> register()
>>> node = describe(Conv2d(1, 8, 3, padding="same"))["module"]
>>> node["type"], node["config"]["kernel_size"], node["config"]["padding"]
('Conv2d', [3, 3], 'same')
>>> build(describe(Conv2d(3, 4, 1, bias=False)))
Conv2d(3, 4, kernel_size=(1, 1), stride=(1, 1), bias=False)  # 12 params
"""

from __future__ import annotations

from ..models.lenet import LeNet, SmallCNN
from ..nn.conv import Conv1d, Conv2d
from ..nn.pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d, MaxUnpool2d
from .architecture import register_layer


def _json(value):
    """Tuples become lists (JSON has no tuples); strings and numbers stay."""
    return list(value) if isinstance(value, tuple) else value


def _conv_config(module) -> dict:
    return {
        "in_channels": module.in_channels,
        "out_channels": module.out_channels,
        "kernel_size": _json(module.kernel_size),
        "stride": _json(module.stride),
        "padding": _json(module.padding),
        "dilation": _json(module.dilation),
        "groups": module.groups,
        "bias": module.bias is not None,
    }


def _pool_config(module) -> dict:
    config = {name: _json(getattr(module, name)) for name in ("kernel_size", "stride", "padding")}
    if isinstance(module, AvgPool2d):
        config["count_include_pad"] = module.count_include_pad
    options = {"ceil_mode": False, "dilation": (1, 1), "return_indices": False,
               "divisor_override": None}  # written only when set: older files stay the same
    for name, default in options.items():
        if getattr(module, name, default) != default:
            config[name] = _json(getattr(module, name))
    return config


def _adaptive_config(module: AdaptiveAvgPool2d) -> dict:
    return {"output_size": _json(module.output_size)}


def _lenet_config(module: LeNet) -> dict:
    return {"in_channels": module.in_channels, "num_classes": module.num_classes,
            "widths": list(module.widths), "hidden": list(module.hidden)}


def _small_cnn_config(module: SmallCNN) -> dict:
    return {"in_channels": module.in_channels, "num_classes": module.num_classes,
            "channels": list(module.channels), "hidden": module.hidden}


def register() -> None:
    """Add the convolution and pooling layers, LeNet and SmallCNN to the architecture table."""
    for cls, extract in ((Conv1d, _conv_config), (Conv2d, _conv_config),
                         (MaxPool2d, _pool_config), (AvgPool2d, _pool_config),
                         (MaxUnpool2d, _pool_config),
                         (AdaptiveAvgPool2d, _adaptive_config), (LeNet, _lenet_config),
                         (SmallCNN, _small_cnn_config)):
        register_layer(cls, extract, lambda config, cls=cls: cls(**config))
