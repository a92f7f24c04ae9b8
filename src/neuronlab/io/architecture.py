"""A model's architecture as plain JSON, and the model rebuilt from it.

``describe(model)`` walks the model and writes down, for every layer, its class name and the
arguments that construct it again; ``build(description)`` calls those constructors. Nothing is
imported or executed by name: only the layers listed in :data:`LAYERS` (and the containers
``Sequential``, ``ModuleList`` and ``ModuleDict``) can be rebuilt, so a saved file can never run
code.

    {"format": "neuronlab.model", "version": 1,
     "module": {"type": "Sequential", "children": [
         {"type": "Linear", "config": {"in_features": 784, "out_features": 256, "bias": true}},
         {"type": "ReLU", "config": {}}, ...]}}

A child of a container carries ``"name"`` when it is not named by its position (a Sequential
built from a dict); a layer used twice appears the second time as ``{"same_as": "<its name>"}``;
``"tied"`` lists state_dict keys that hold one shared parameter. A layer class that is not in the
table is written as ``{"type": "Foo", "custom": true, "class": "pkg.module.Foo"}``: its weights
can still be saved, but ``build`` refuses it -- construct such a model in code and load only the
weights. The weights' dtype is not part of the description: ``build`` makes float32 layers and
``neuronlab.io.load`` then gives every tensor the dtype it was saved with.

To add a layer (Conv2d, LSTM...), add one entry to :data:`LAYERS`, or call
:func:`register_layer` from outside the package.

>>> import neuronlab as nl
>>> model = nl.nn.Sequential(nl.nn.Linear(3, 2, bias=False), nl.nn.LeakyReLU(0.1))
>>> description = describe(model)
>>> description["module"]["children"][0]
{'type': 'Linear', 'config': {'in_features': 3, 'out_features': 2, 'bias': False}}
>>> build(description)
Sequential(
  (0): Linear(in_features=3, out_features=2, bias=False)  # 6 params
  (1): LeakyReLU(negative_slope=0.1)
)  # 6 params in total
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .. import nn

FORMAT, VERSION = "neuronlab.model", 1


class Layer(NamedTuple):
    """How to describe one layer class and how to build it again."""

    extract: Callable[[nn.Module], dict]  # layer -> constructor arguments (JSON-able)
    build: Callable[[dict], nn.Module]  # constructor arguments -> a new layer


def _fields(class_name: str, *names: str) -> Layer:
    """The usual case: the constructor's arguments are attributes of the same names."""

    def extract(module):
        return {name: getattr(module, name) for name in names}

    def build(config):
        return getattr(nn, class_name)(**config)

    return Layer(extract, build)


def _linear(module) -> dict:
    return {
        "in_features": module.in_features,
        "out_features": module.out_features,
        "bias": module.bias is not None,
    }


# class name -> Layer. The class itself is nn.<name> (or the one given to register_layer).
LAYERS: dict[str, Layer] = {
    "Identity": _fields("Identity"),
    "Flatten": _fields("Flatten", "start_dim", "end_dim"),
    "Linear": Layer(_linear, lambda config: nn.Linear(**config)),
    "ReLU": _fields("ReLU"),
    "LeakyReLU": _fields("LeakyReLU", "negative_slope"),
    "Sigmoid": _fields("Sigmoid"),
    "Tanh": _fields("Tanh"),
    "GELU": _fields("GELU", "approximate"),
    "Softmax": _fields("Softmax", "dim"),
    "LogSoftmax": _fields("LogSoftmax", "dim"),
    "Dropout": _fields("Dropout", "p"),
}
CONTAINERS = ("Sequential", "ModuleList", "ModuleDict")
_REGISTERED: dict[str, type] = {}  # classes added by register_layer


def register_layer(
    cls: type, extract: Callable[[nn.Module], dict], build: Callable[[dict], nn.Module]
) -> None:
    """Teach ``describe``/``build`` (and so ``neuronlab.io.save``/``load``) a new layer class.

    ``extract(layer)`` returns the layer's constructor arguments as a JSON-able dict and
    ``build(config)`` constructs a new layer from them.
    """
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise TypeError(f"register_layer: expected a Module subclass, got {cls!r}")
    LAYERS[cls.__name__] = Layer(extract, build)
    _REGISTERED[cls.__name__] = cls


def _known_class(name: str):
    return _REGISTERED.get(name) or getattr(nn, name, None)


# ----- describe ----------------------------------------------------------------------------------
def describe(model: nn.Module) -> dict:
    """The JSON-able description of ``model`` (see the module docstring)."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"describe: expected a neuronlab Module, got {type(model).__name__}")
    description = {"format": FORMAT, "version": VERSION, "module": _describe(model, "", {})}
    shared: dict[int, list[str]] = {}
    for key, tensor in model.state_dict(keep_vars=True).items():
        shared.setdefault(id(tensor), []).append(key)
    tied = [keys for keys in shared.values() if len(keys) > 1]
    if tied:
        description["tied"] = tied
    return description


def _describe(module: nn.Module, path: str, seen: dict[int, str]) -> dict:
    if id(module) in seen:
        return {"same_as": seen[id(module)]}
    seen[id(module)] = path
    cls = type(module)
    name = cls.__name__
    if name in CONTAINERS and cls is _known_class(name):
        children = []
        for i, (key, child) in enumerate(module._modules.items()):
            node = _describe(child, f"{path}.{key}" if path else key, seen)
            children.append(node if key == str(i) else {"name": key, **node})
        return {"type": name, "children": children}
    if name not in LAYERS or cls is not _known_class(name):
        return {"type": name, "custom": True, "class": f"{cls.__module__}.{cls.__qualname__}"}
    config = {
        key: value.item() if isinstance(value, np.generic) else value
        for key, value in LAYERS[name].extract(module).items()
    }
    try:
        json.dumps(config, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"describe: the extractor for {name} returned {config!r}, which is not "
            f"plain JSON ({error}); return only numbers, strings, bools, lists and "
            "dicts"
        ) from None
    return {"type": name, "config": config}


def custom_classes(description: dict) -> list[str]:
    """The custom (not rebuildable) classes in a description, as 'pkg.module.Class' names."""
    found: list[str] = []

    def walk(node):
        if node.get("custom"):
            found.append(node.get("class", node.get("type")))
        for child in node.get("children", ()):
            walk(child)

    walk(description.get("module") or {})
    return list(dict.fromkeys(found))


# ----- build -------------------------------------------------------------------------------------
def build(description: dict, *, source: str | None = None) -> nn.Module:
    """A new model (fresh initial weights, training mode) from ``describe``'s output.

    ``source`` (a file name) only makes error messages say where the description came from.
    """
    where = f"the architecture in {source!r}" if source else "the architecture description"
    if not isinstance(description, dict) or description.get("format") != FORMAT:
        raise ValueError(
            f"build: {where} is not a neuronlab model description (expected "
            f"'format': {FORMAT!r}, got {str(description)[:200]})"
        )
    version = description.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ValueError(
            f"build: {where} has format version {version!r}, but this neuronlab "
            f"reads versions up to {VERSION}; upgrade neuronlab to load it"
        )
    custom = custom_classes(description)
    if custom:
        short = custom[0].rsplit(".", 1)[-1]
        also = f" (and {', '.join(custom[1:])})" if len(custom) > 1 else ""
        file = repr(source) if source else "path"
        raise ValueError(
            f"build: {where} includes a custom class `{short}` ({custom[0]}){also}, so it cannot "
            "be rebuilt from the file (only built-in layers can; a saved file never runs code). "
            f"Construct the model in code and call neuronlab.io.load_weights(model, {file})"
        )
    built: dict[str, nn.Module] = {}
    model = _build(description.get("module"), "", built, where)
    for keys in description.get("tied", ()):
        _tie(model, keys, where)
    return model


def _build(node, path: str, built: dict, where: str) -> nn.Module:
    if not isinstance(node, dict):
        raise ValueError(f"build: {where} has {node!r} where a layer was expected")
    if "same_as" in node:
        if node["same_as"] not in built:
            raise ValueError(
                f"build: {where} refers to a layer {node['same_as']!r} that it does "
                "not define before"
            )
        module = built[path] = built[node["same_as"]]
        return module
    name = node.get("type")
    if name in CONTAINERS:
        children = node.get("children", [])
        module = getattr(nn, name)()
        built[path] = module
        for i, child in enumerate(children):
            key = child.get("name", str(i)) if isinstance(child, dict) else str(i)
            module.add_module(key, _build(child, f"{path}.{key}" if path else key, built, where))
        return module
    if name not in LAYERS:
        raise ValueError(
            f"build: {where} uses a layer type {name!r} that this version of neuronlab does not "
            "know; upgrade neuronlab, or construct the model in code and load only the weights "
            "with neuronlab.io.load_weights(model, path)"
        )
    config = node.get("config", {})
    try:
        module = LAYERS[name].build(dict(config))
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"build: {where} has a {name} with config {config!r} that does not "
            f"construct one: {error}"
        ) from None
    built[path] = module
    return module


def _tie(model: nn.Module, keys: list[str], where: str) -> None:
    """Make the state_dict entries ``keys`` one shared tensor again (tied weights)."""
    owners = []
    for key in keys:
        prefix, _, leaf = key.rpartition(".")
        try:
            owner = functools.reduce(getattr, prefix.split("."), model) if prefix else model
            owners.append((owner, leaf, getattr(owner, leaf)))
        except AttributeError:
            raise ValueError(
                f"build: {where} ties {key!r}, which the model does not have"
            ) from None
    first = owners[0][2]
    for owner, leaf, tensor in owners[1:]:
        if tensor is first:
            continue
        if isinstance(first, nn.Parameter):
            setattr(owner, leaf, first)
        else:
            owner.register_buffer(leaf, first)
