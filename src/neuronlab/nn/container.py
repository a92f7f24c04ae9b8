"""Containers: ``Sequential`` (layers applied one after another) and ``ModuleList`` (layers kept
in a list, applied however your ``forward`` says).

Both name their layers '0', '1', '2'... so parameter names read '0.weight', '2.bias', exactly as in
PyTorch, and a state_dict moves between the two libraries unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .module import Module


class _IndexedModules(Module):
    """Shared by Sequential and ModuleList: layers named by position, list-like access."""

    def __init__(self, modules: Iterable[Module] = ()):
        super().__init__()
        for module in modules:
            self.append(module)

    def _index(self, idx: int) -> int:
        n = len(self._modules)
        if not isinstance(idx, int):
            raise TypeError(
                f"{type(self).__name__} indices must be integers or slices, "
                f"got {type(idx).__name__}"
            )
        if not -n <= idx < n:
            raise IndexError(
                f"{type(self).__name__} index {idx} is out of range for "
                f"{n} layer{'' if n == 1 else 's'}"
            )
        return idx % n

    def _renumber(self, modules: list[Module]) -> None:
        for name in list(self._modules):
            delattr(self, name)
        for i, module in enumerate(modules):
            self.add_module(str(i), module)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(list(self._modules.values())[idx])
        return list(self._modules.values())[self._index(idx)]

    def __setitem__(self, idx: int, module: Module) -> None:
        self._check_module(module)
        self.add_module(list(self._modules)[self._index(idx)], module)

    def __delitem__(self, idx) -> None:
        modules = list(self._modules.values())
        del modules[idx if isinstance(idx, slice) else self._index(idx)]
        self._renumber(modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def _check_module(self, module) -> None:
        if not isinstance(module, Module):
            hint = (
                f"unpack a list of layers with {type(self).__name__}(*layers)"
                if isinstance(module, (list, tuple))
                else "for a function such as relu use its layer (nn.ReLU())"
            )
            raise TypeError(
                f"{type(self).__name__} holds Modules (layers), got {type(module).__name__}; {hint}"
            )

    def append(self, module: Module):
        """Add ``module`` at the end; returns self."""
        self._check_module(module)
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules: Iterable[Module]):
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        self._check_module(module)
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._renumber(modules)


class Sequential(_IndexedModules):
    """Layers applied in order: y = layer_n(... layer_2(layer_1(x))).

    Shape: whatever the first layer takes -> whatever the last layer gives.

    Args:
        *modules: the layers, in order (or a single dict of name -> layer to choose the names).

    >>> import neuronlab as nl
    >>> model = nl.nn.Sequential(nl.nn.Linear(4, 8), nl.nn.ReLU(), nl.nn.Linear(8, 3))
    >>> model(nl.zeros(2, 4)).shape
    (2, 3)
    >>> [name for name, _ in model.named_parameters()]
    ['0.weight', '0.bias', '2.weight', '2.bias']
    >>> len(model), type(model[1]).__name__
    (3, 'ReLU')
    """

    def __init__(self, *modules):
        if len(modules) == 1 and isinstance(modules[0], dict):
            super().__init__()
            for name, module in modules[0].items():
                self._check_module(module)
                self.add_module(name, module)
        else:
            super().__init__(modules)

    def __getitem__(self, idx):
        if isinstance(idx, slice):  # keeps the names, as PyTorch does
            return Sequential(dict(list(self._modules.items())[idx]))
        return super().__getitem__(idx)

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input


class ModuleList(_IndexedModules):
    """A list of layers whose parameters are registered; your ``forward`` decides how to use them.

    A plain Python list would hide the layers from ``parameters()`` (and so from the optimizer).

    Args:
        modules: an iterable of layers.

    >>> import neuronlab as nl
    >>> blocks = nl.nn.ModuleList([nl.nn.Linear(4, 4) for _ in range(3)])
    >>> len(blocks), len(list(blocks.parameters()))
    (3, 6)
    """

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            "ModuleList has no forward(); loop over it in your module's forward, e.g. "
            "`for layer in self.layers: x = layer(x)` (or use Sequential)"
        )
