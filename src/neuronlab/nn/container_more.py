"""Containers by name and lists of parameters: ``ModuleDict``, ``ParameterList`` and
``ParameterDict``. Like ``ModuleList``, they exist so that what they hold is registered: layers
and parameters kept in a plain dict or list would be invisible to ``parameters()`` (and so to
the optimizer) and to ``state_dict()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from .module import Module
from .parameter import Parameter


def _check_key(who: str, key) -> str:
    if not isinstance(key, str) or not key or "." in key:
        raise KeyError(
            f"{who}: keys must be non-empty strings without '.', got {key!r} (the dot separates "
            "names in parameter paths such as 'encoder.weight')"
        )
    return key


class ModuleDict(Module):
    """Layers by name, registered (``model.blocks['encoder']``).

    >>> import neuronlab as nl
    >>> heads = nl.nn.ModuleDict({"a": nl.nn.Linear(2, 3), "b": nl.nn.Linear(2, 1)})
    >>> [name for name, _ in heads.named_parameters()]
    ['a.weight', 'a.bias', 'b.weight', 'b.bias']
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable | None = None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        if key not in self._modules:
            raise KeyError(f"ModuleDict has no layer {key!r}; it holds {list(self._modules)}")
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(module, Module):
            raise TypeError(f"ModuleDict holds Modules (layers), got {type(module).__name__}")
        self.add_module(_check_key("ModuleDict", key), module)

    def __delitem__(self, key: str) -> None:
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key) -> bool:
        return key in self._modules

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()

    def update(self, modules) -> None:
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for key, module in pairs:
            self[key] = module

    def pop(self, key: str) -> Module:
        module = self[key]
        del self[key]
        return module

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            "ModuleDict has no forward(); pick a layer by name in your module's forward, e.g. "
            "`self.heads[task](x)`"
        )


class ParameterList(Module):
    """A list of parameters, registered under the names '0', '1', ...

    >>> import neuronlab as nl
    >>> scales = nl.nn.ParameterList([nl.nn.Parameter([1.0]) for _ in range(3)])
    >>> len(scales), [name for name, _ in scales.named_parameters()]
    (3, ['0', '1', '2'])
    """

    def __init__(self, values: Iterable | None = None):
        super().__init__()
        for value in values or ():
            self.append(value)

    def _index(self, idx: int) -> str:
        n = len(self._parameters)
        if not isinstance(idx, int) or not -n <= idx < n:
            raise IndexError(f"ParameterList index {idx!r} is out of range for {n} parameters")
        return str(idx % n)

    def __getitem__(self, idx: int) -> Parameter:
        return self._parameters[self._index(idx)]

    def __setitem__(self, idx: int, value) -> None:
        self.register_parameter(self._index(idx), _as_parameter(value))

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._parameters.values())

    def append(self, value) -> ParameterList:
        self.register_parameter(str(len(self._parameters)), _as_parameter(value))
        return self

    def extend(self, values: Iterable) -> ParameterList:
        for value in values:
            self.append(value)
        return self

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ParameterList has no forward(); use its parameters in yours")


class ParameterDict(Module):
    """Parameters by name, registered.

    >>> import neuronlab as nl
    >>> p = nl.nn.ParameterDict({"scale": nl.nn.Parameter([1.0])})
    >>> list(p.keys()), p["scale"].requires_grad
    (['scale'], True)
    """

    def __init__(self, parameters: Mapping | Iterable | None = None):
        super().__init__()
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str) -> Parameter:
        if key not in self._parameters:
            raise KeyError(f"ParameterDict has no {key!r}; it holds {list(self._parameters)}")
        return self._parameters[key]

    def __setitem__(self, key: str, value) -> None:
        self.register_parameter(_check_key("ParameterDict", key), _as_parameter(value))

    def __delitem__(self, key: str) -> None:
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __contains__(self, key) -> bool:
        return key in self._parameters

    def keys(self):
        return self._parameters.keys()

    def values(self):
        return self._parameters.values()

    def items(self):
        return self._parameters.items()

    def update(self, parameters) -> None:
        pairs = parameters.items() if isinstance(parameters, Mapping) else parameters
        for key, value in pairs:
            self[key] = value

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ParameterDict has no forward(); use its parameters in yours")


def _as_parameter(value) -> Parameter:
    return value if isinstance(value, Parameter) else Parameter(value)


__all__ = ["ModuleDict", "ParameterDict", "ParameterList"]
