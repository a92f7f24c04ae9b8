"""Saving and loading the wider layer surface: the extra activations, ``PReLU``, ``GroupNorm``,
``InstanceNorm1d``/``2d``, ``Upsample``, ``ConvTranspose1d``/``2d``, ``Unflatten`` and the
parameter holders ``ParameterList``/``ParameterDict`` (their config is the parameters' shapes;
the values travel with the weights). ``ModuleDict`` is a container (see ``architecture``).

>>> from neuronlab import nn
>>> from neuronlab.io.architecture import build, describe
>>> register()
>>> describe(nn.ConvTranspose2d(3, 2, 4, stride=2))["module"]["config"]["kernel_size"]
[4, 4]
>>> build(describe(nn.Softplus(beta=2.0)))
Softplus(beta=2.0, threshold=20.0)
"""

from __future__ import annotations

from .. import nn
from .architecture import register_layer

_PLAIN = (
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
_FIELDS = {
    "Softplus": ("beta", "threshold"),
    "ELU": ("alpha",),
    "CELU": ("alpha",),
    "Hardtanh": ("min_val", "max_val"),
    "Softmin": ("dim",),
    "PReLU": ("num_parameters", "init"),
    "GroupNorm": ("num_groups", "num_channels", "eps", "affine"),
    "InstanceNorm1d": ("num_features", "eps", "affine"),
    "InstanceNorm2d": ("num_features", "eps", "affine"),
    "Upsample": ("size", "scale_factor", "mode", "align_corners"),
    "Unflatten": ("dim", "unflattened_size"),
}
_CONV_T = (
    "in_channels",
    "out_channels",
    "kernel_size",
    "stride",
    "padding",
    "output_padding",
    "groups",
    "dilation",
)


def _json(value):
    """Tuples as lists (JSON has no tuples)."""
    return list(value) if isinstance(value, tuple) else value


def _fields(cls, names):
    def extract(module):
        return {name: _json(getattr(module, name)) for name in names}

    return extract, lambda config: cls(**config)


def _conv_transpose(cls):
    def extract(module):
        config = {name: _json(getattr(module, name)) for name in _CONV_T}
        return {**config, "bias": module.bias is not None}

    return extract, lambda config: cls(**config)


def _parameter_list_build(config) -> nn.ParameterList:
    return nn.ParameterList([nn.Parameter(_zeros(shape)) for shape in config["shapes"]])


def _parameter_dict_build(config) -> nn.ParameterDict:
    return nn.ParameterDict({k: nn.Parameter(_zeros(s)) for k, s in config["shapes"].items()})


def _zeros(shape):
    import numpy as np

    return np.zeros(tuple(shape), dtype=np.float32)


def register() -> None:
    """Add the wider layer surface to the architecture table."""
    for name in _PLAIN:
        cls = getattr(nn, name)
        register_layer(cls, lambda module: {}, lambda config, cls=cls: cls())
    for name, fields in _FIELDS.items():
        register_layer(getattr(nn, name), *_fields(getattr(nn, name), fields))
    for cls in (nn.ConvTranspose1d, nn.ConvTranspose2d):
        register_layer(cls, *_conv_transpose(cls))
    register_layer(
        nn.ParameterList, lambda m: {"shapes": [list(p.shape) for p in m]}, _parameter_list_build
    )
    register_layer(
        nn.ParameterDict,
        lambda m: {"shapes": {k: list(p.shape) for k, p in m.items()}},
        _parameter_dict_build,
    )
