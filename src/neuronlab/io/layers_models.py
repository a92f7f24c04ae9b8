"""Saving and loading the residual layers and the ready models: their entries for
``neuronlab.io.architecture``.

``register()`` teaches ``describe`` / ``build`` (and so ``neuronlab.io.save`` / ``load``)
``Residual``, ``BasicBlock``, ``MLP``, ``DeepMLP`` and ``ResNet``. A model is written as its
constructor arguments (``{"type": "ResNet", "config": {"depth": 20, ...}}``), its weights
by name beside it. ``Residual`` wraps any layer, so its config holds the description of its
branch, nested (``{"fn": {"type": "Sequential", "children": [...]}}``).

>>> from neuronlab.models import MLP
>>> config = _mlp_extract(MLP(2, [4], 1, activation="tanh"))  # what describe() writes
>>> config["hidden_sizes"], config["activation"], config["residual"]
([4], 'tanh', False)
"""

from __future__ import annotations

from ..models import MLP, DeepMLP, PointFeatures, ResNet
from ..nn.residual import BasicBlock, Residual
from . import architecture


def _residual_extract(module: Residual) -> dict:
    return {"fn": architecture.describe(module.fn)["module"]}


def _residual_build(config: dict) -> Residual:
    branch = {
        "format": architecture.FORMAT,
        "version": architecture.VERSION,
        "module": config["fn"],
    }
    return Residual(architecture.build(branch))


def _mlp_extract(module: MLP) -> dict:
    return {
        "in_features": module.in_features,
        "hidden_sizes": list(module.hidden_sizes),
        "out_features": module.out_features,
        "activation": module.activation,
        "dropout": module.dropout,
        "norm": module.norm,
        "residual": module.residual,
    }


def _deep_mlp_extract(module: DeepMLP) -> dict:
    return {
        "depth": module.depth,
        "width": module.width,
        "activation": module.activation,
        "residual": module.residual,
        "norm": module.norm,
        "in_features": module.in_features,
        "out_features": module.out_features,
    }


def _fields(*names: str):
    def extract(module) -> dict:
        return {name: getattr(module, name) for name in names}

    return extract


def register() -> None:
    """Add the residual layers and the ready models to the architecture table."""
    architecture.register_layer(Residual, _residual_extract, _residual_build)
    architecture.register_layer(
        BasicBlock, _fields("in_ch", "out_ch", "stride"), lambda config: BasicBlock(**config)
    )
    architecture.register_layer(MLP, _mlp_extract, lambda config: MLP(**config))
    architecture.register_layer(
        PointFeatures, _fields("names"), lambda config: PointFeatures(**config)
    )
    architecture.register_layer(DeepMLP, _deep_mlp_extract, lambda config: DeepMLP(**config))
    architecture.register_layer(
        ResNet,
        _fields("depth", "num_classes", "in_channels", "width"),
        lambda config: ResNet(**config),
    )
