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

import json
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .. import nn
from .safetensors import CorruptFileError

FORMAT, VERSION = "neuronlab.model", 1
_WHAT = "neuronlab model file"


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
    stack = [description.get("module")]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if node.get("custom"):
            found.append(str(node.get("class", node.get("type")))[:200])
        children = node.get("children", ())
        stack.extend(reversed(children) if isinstance(children, list) else ())
    return list(dict.fromkeys(found))


# ----- build -------------------------------------------------------------------------------------
# A description comes from a file, so from anyone: these bound what it can make us build before
# any weight is checked (a few-hundred-byte file must not allocate gigabytes).
MAX_DEPTH = 64  # containers inside containers
MAX_NODES = 100_000  # layers and containers in all
MIN_ELEMENT_BUDGET = 1 << 24  # 16M numbers (64 MB of float32) are always allowed


def build(
    description: dict, *, source: str | None = None, max_elements: int | None = None
) -> nn.Module:
    """A new model (fresh initial weights, training mode) from ``describe``'s output.

    ``source`` (a file name) only makes error messages say where the description came from.
    ``max_elements``: refuse, before building anything, a description whose layers would
    allocate more numbers than this (``load`` passes a bound from the weights in the file);
    the estimate of a layer is the product of its two largest integer settings, which a
    weight matrix of that layer holds at least.
    """
    where = f"the architecture in {source!r}" if source else "the architecture description"
    if not isinstance(description, dict) or description.get("format") != FORMAT:
        raise ValueError(
            f"build: {where} is not a neuronlab model description (expected "
            f"'format': {FORMAT!r}, got {str(description)[:200]})"
        )
    version = description.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        raise ValueError(
            f"build: {where} has format version {str(version)[:40]}, but this neuronlab "
            f"reads versions up to {VERSION}; upgrade neuronlab to load it"
        )
    bad = _complaint(where, source)
    _check_tree(description.get("module"), bad, max_elements)
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
    tied = description.get("tied", [])
    if not isinstance(tied, list):
        raise bad(f"has 'tied' = {str(tied)[:80]}; expected a list of lists")
    model = _build(description["module"], "", {}, set(), bad)
    for keys in tied:
        _tie(model, keys, bad)
    return model


def _complaint(where: str, source: str | None):
    """``bad(problem)``: the exception for a malformed description -- a ``CorruptFileError``
    naming the file when it came from one, else a ``ValueError``."""

    def bad(problem: str) -> ValueError:
        if source:
            return CorruptFileError(source, f"its architecture {problem}", what=_WHAT)
        return ValueError(f"build: {where} {problem}")

    bad.where = where
    return bad


def _check_tree(root, bad, max_elements: int | None) -> None:
    """Walk the description without building anything: shapes of nodes, depth, size, and the
    estimated number of elements against ``max_elements``."""
    nodes, estimate, stack = 0, 0, [(root, 0)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH or nodes > MAX_NODES:
            raise bad(
                f"nests containers {depth} deep or holds over {MAX_NODES:,} "
                f"layers (at most {MAX_DEPTH} deep and {MAX_NODES:,} layers); it is not a "
                "model neuronlab saved"
            )
        if not isinstance(node, dict):
            raise bad(f"has {str(node)[:80]} where a layer was expected")
        if "same_as" in node:
            if not isinstance(node["same_as"], str):
                raise bad(
                    f"has same_as = {str(node['same_as'])[:80]}; expected the "
                    "name of a layer defined before"
                )
            continue
        if not isinstance(node.get("type"), str):
            raise bad(
                f"has a layer whose type is {str(node.get('type'))[:80]}; "
                "expected a layer class name such as 'Linear'"
            )
        if node["type"] in CONTAINERS:
            children = node.get("children", [])
            if not isinstance(children, list):
                raise bad(
                    f"has a {node['type']} whose children are "
                    f"{str(children)[:80]}; expected a list of layers"
                )
            stack.extend((child, depth + 1) for child in children)
        elif not node.get("custom"):
            config = node.get("config", {})
            if not isinstance(config, dict):
                raise bad(
                    f"has a {node['type']} whose config is {str(config)[:80]}; "
                    "expected an object of constructor arguments"
                )
            estimate += _estimate(config)
    if max_elements is not None and estimate > max(max_elements, MIN_ELEMENT_BUDGET):
        raise bad(
            f"describes layers of about {estimate:,} numbers, but the file holds "
            f"weights for {max_elements:,}; the description does not match the weights (a "
            "damaged or crafted file). Build the model in code and load only the weights"
        )


def _estimate(config: dict) -> int:
    """The product of the two largest integers in a layer's config (nested values too)."""
    ints, stack = [], [config]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            ints.append(abs(value))
    ints.sort()
    return ints[-1] * ints[-2] if len(ints) > 1 else sum(ints)


def _build(node: dict, path: str, built: dict, open_: set, bad) -> nn.Module:
    """The module of ``node`` (already checked by ``_check_tree``). ``open_`` holds the paths
    of the containers being built, which a ``same_as`` may not name (a model inside itself)."""
    if "same_as" in node:
        target = node["same_as"]
        if target in open_:
            raise bad(
                f"puts the layer {target!r} inside itself (a cycle); the file is damaged or crafted"
            )
        if target not in built:
            raise bad(f"refers to a layer {target[:80]!r} that it does not define before")
        module = built[path] = built[target]
        return module
    name = node["type"]
    if name in CONTAINERS:
        module = getattr(nn, name)()  # Sequential, ModuleList, ModuleDict
        open_.add(path)
        for i, child in enumerate(node.get("children", [])):
            key = child.get("name", str(i))
            if not isinstance(key, str) or not key or "." in key:
                raise bad(
                    f"names a child {str(key)[:80]}; expected a non-empty string without dots"
                )
            child_path = f"{path}.{key}" if path else key
            module.add_module(key, _build(child, child_path, built, open_, bad))
        open_.discard(path)
        built[path] = module
        return module
    if name not in LAYERS:
        raise ValueError(
            f"build: {bad.where} uses a layer type {name[:80]!r} that this version of neuronlab "
            "does not know; upgrade neuronlab, or construct the model in code and load only the "
            "weights with neuronlab.io.load_weights(model, path)"
        )
    config = node.get("config", {})
    try:
        module = LAYERS[name].build(dict(config))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError) as error:
        raise bad(
            f"has a {name} with config {str(config)[:200]} that does not "
            f"construct one: {type(error).__name__}: {str(error)[:200]}"
        ) from None
    if not isinstance(module, nn.Module):
        raise bad(f"the {name} builder returned {type(module).__name__}")
    built[path] = module
    return module


def _submodule(model: nn.Module, path: str) -> nn.Module | None:
    """The sub-module at a dotted ``path`` ('' is the model), following registered children
    only (never other attributes), or ``None``."""
    module = model
    for part in path.split(".") if path else ():
        module = module._modules.get(part)
        if module is None:
            return None
    return module


def _tie(model: nn.Module, keys, bad) -> None:
    """Make the state_dict entries ``keys`` one shared tensor again (tied weights).

    The keys must name parameters (or buffers) of the model being built, of one shape: a
    description can share weights between layers, never reach anything else.
    """
    if not (isinstance(keys, list) and len(keys) >= 2 and all(isinstance(k, str) for k in keys)):
        raise bad(
            f"has a 'tied' entry {str(keys)[:80]}; expected a list of two or "
            "more state_dict keys such as ['0.weight', '2.weight']"
        )
    places = []
    for key in keys:
        prefix, _, leaf = key.rpartition(".")
        owner = _submodule(model, prefix)
        registry = None
        if owner is not None:
            registry = next(
                (r for r in ("_parameters", "_buffers") if getattr(owner, r).get(leaf) is not None),
                None,
            )
        if registry is None:
            raise bad(
                f"ties {key[:80]!r}, which is not a parameter or buffer of the "
                "model; the file is damaged or crafted"
            )
        places.append((owner, leaf, registry, getattr(owner, registry)[leaf]))
    first = places[0][3]
    for owner, leaf, registry, tensor in places[1:]:
        if registry != places[0][2] or tensor.shape != first.shape:
            raise bad(
                f"ties {keys[0]!r} {tuple(first.shape)} to a tensor of another "
                f"kind or shape {tuple(tensor.shape)}; tied weights share one shape"
            )
        if tensor is first:
            continue
        if registry == "_parameters":
            setattr(owner, leaf, first)
        else:
            owner.register_buffer(leaf, first)
