"""``Module``: the base class of every layer and model.

A module is a Python object that remembers three kinds of state, registered simply by assigning
attributes in ``__init__``:

* parameters (``self.weight = Parameter(...)``): learned, handed to the optimizer;
* sub-modules (``self.fc1 = Linear(4, 8)``): their parameters become this module's too;
* buffers (``self.register_buffer("running_mean", zeros(8))``): saved state that is not learned.

Everything else -- ``parameters()``, ``state_dict()``, ``train()/eval()``, the repr tree -- walks
those three registries. ``module(x)`` calls ``forward(x)`` and then the forward hooks, the one
mechanism that lets ``interpret/`` and ``summary`` watch what every layer computes.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np

from ..engine.backend import as_dtype, is_floating
from ..engine.tensor import Tensor
from .parameter import Parameter

_hook_ids = itertools.count()


class RemovableHandle:
    """Returned by ``register_forward_hook``; ``handle.remove()`` unregisters the hook.

    Also a context manager: the hook is removed when the ``with`` block ends.
    """

    def __init__(self, hooks: dict, key: int):
        self._hooks = hooks  # the module's hook table (not the module: no reference cycle)
        self.id = key

    def remove(self) -> None:
        """Unregister the hook (a second call does nothing)."""
        self._hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc_info) -> None:
        self.remove()


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` skipped."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class StateDictError(ValueError, RuntimeError):
    """A state_dict does not fit the module. A ``ValueError`` (a bad argument) that is also a
    ``RuntimeError``, the type PyTorch raises, so ``except`` clauses written for either work."""


class Module:
    """Base class of layers and models: subclass it, assign layers and parameters in
    ``__init__`` (after ``super().__init__()``), and write ``forward``.

    >>> import neuronlab as nl
    >>> class TwoLayer(nl.nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = nl.nn.Linear(4, 8)
    ...         self.out = nl.nn.Linear(8, 2)
    ...
    ...     def forward(self, x):
    ...         return self.out(self.hidden(x).relu())
    >>> model = TwoLayer()
    >>> [name for name, _ in model.named_parameters()]
    ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
    >>> model(nl.zeros(3, 4)).shape
    (3, 2)
    """

    training: bool

    def __init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "training", True)
        set_(self, "_parameters", {})
        set_(self, "_buffers", {})
        set_(self, "_non_persistent", set())
        set_(self, "_modules", {})
        set_(self, "_forward_hooks", {})

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__} has no forward(); define forward(self, x) in the class to say "
            "what the module computes"
        )

    def __call__(self, *args, **kwargs):
        out = self.forward(*args, **kwargs)
        if self._forward_hooks:
            for hook in list(self._forward_hooks.values()):
                result = hook(self, args, out)
                if result is not None:
                    out = result
        return out

    # ----- registration ----------------------------------------------------------------------
    def __setattr__(self, name: str, value) -> None:
        registries = self.__dict__.get("_parameters")
        if isinstance(value, (Parameter, Module)) and registries is None:
            raise RuntimeError(
                f"cannot assign {type(value).__name__} {name!r} before Module.__init__() has run; "
                f"call super().__init__() first in {type(self).__name__}.__init__"
            )
        if isinstance(value, Parameter):
            self._unregister(name)
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._unregister(name)
            self._modules[name] = value
        elif registries is not None:
            self._update_registered(name, value)
            _warn_if_hidden(self, name, value)
        object.__setattr__(self, name, value)

    def _update_registered(self, name: str, value) -> None:
        """Assigning to a registered name keeps it registered; only fitting values are allowed."""
        if name in self._parameters:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__} to parameter {name!r} of "
                    f"{type(self).__name__}: expected a Parameter or None (wrap the tensor as "
                    "nn.Parameter(t), or change the existing one in place via .data)"
                )
            self._parameters[name] = None
        elif name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign {type(value).__name__} to buffer {name!r} of "
                    f"{type(self).__name__}: expected a Tensor or None"
                )
            self._buffers[name] = value
        elif name in self._modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__} to sub-module {name!r} of "
                    f"{type(self).__name__}: expected a Module or None"
                )
            self._modules[name] = None

    def _unregister(self, name: str) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            registry.pop(name, None)
        self._non_persistent.discard(name)

    def __delattr__(self, name: str) -> None:
        if "_parameters" in self.__dict__:
            self._unregister(name)
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` under ``name`` (``None`` marks an absent optional parameter)."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"register_parameter({name!r}): expected a Parameter or None, got "
                f"{type(param).__name__}; wrap the tensor as nn.Parameter(t)"
            )
        self._unregister(name)
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register state that is saved but not learned (e.g. running statistics).

        Buffers appear in ``state_dict()`` (unless ``persistent=False``), follow ``to(dtype)``,
        and are never handed to the optimizer.
        """
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"register_buffer({name!r}): expected a Tensor or None, got "
                f"{type(tensor).__name__}; wrap arrays as nl.tensor(a)"
            )
        self._unregister(name)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent.add(name)
        object.__setattr__(self, name, tensor)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as a sub-module called ``name`` (as ``self.name = module`` does)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module({name!r}): expected a Module, got {type(module).__name__}")
        self._unregister(name)
        self._modules[name] = module
        object.__setattr__(self, name, module)

    # ----- walking the tree ------------------------------------------------------------------
    def named_modules(self, prefix: str = "") -> Iterator:
        """``(name, module)`` for this module and every module inside it, parents first; a
        module that appears twice is listed once."""
        return iter(_preorder(self, prefix, unique=True))

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator:
        """``(name, module)`` for the direct sub-modules, in the order they were assigned."""
        seen = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def _named_members(self, registry: str, recurse: bool) -> Iterator:
        seen = set()
        modules = _preorder(self, "", unique=True) if recurse else [("", self)]
        for prefix, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{prefix}.{name}" if prefix else name), value

    def named_parameters(self, recurse: bool = True) -> Iterator:
        """``(name, parameter)`` pairs with dotted names such as ``'0.weight'``; a parameter
        shared by two layers is listed once."""
        return self._named_members("_parameters", recurse)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse):
            yield param

    def named_buffers(self, recurse: bool = True) -> Iterator:
        return self._named_members("_buffers", recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse):
            yield buffer

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn(module)`` on every sub-module (children first) and then on this one."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # ----- modes and gradients ---------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Switch this module and all inside it to training mode (``mode=False``: evaluation).

        Only layers that behave differently look at it (dropout, batch norm)."""
        if not isinstance(mode, bool):
            raise ValueError(f"train(mode): mode must be True or False, got {mode!r}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode: dropout off, batch norm uses its running statistics."""
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of every parameter (``None``, or zeros in place)."""
        for param in self.parameters():
            if set_to_none or param.grad is None:
                param.grad = None
            elif param.grad.flags.writeable:
                param.grad.fill(0)
            else:
                param.grad = np.zeros_like(param.data)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (``False``) or unfreeze every parameter, e.g. a pretrained backbone."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def freeze(self) -> Module:
        """Stop learning this module's parameters (``requires_grad_(False)``); returns self.

        A frozen parameter gets no gradient, so optimizers skip it; the forward pass is as
        before. Transfer learning freezes a pretrained body and trains a new head:

        >>> import neuronlab as nl
        >>> model = nl.nn.Sequential(nl.nn.Linear(4, 8), nl.nn.ReLU(), nl.nn.Linear(8, 2))
        >>> _ = model[0].freeze()
        >>> [name for name, p in model.named_parameters() if p.requires_grad]
        ['2.weight', '2.bias']

        Batch-norm running statistics still follow the data in training mode; call ``.eval()``
        on such a body as well to keep them fixed.
        """
        return self.requires_grad_(False)

    def unfreeze(self) -> Module:
        """Learn this module's parameters again (``requires_grad_(True)``); returns self."""
        return self.requires_grad_(True)

    def to(self, dtype) -> Module:
        """Convert every floating parameter and buffer to ``dtype``, in place; returns self.

        ``'cpu'`` is accepted and changes nothing, so PyTorch-style ``model.to('cpu')`` runs.
        """
        if isinstance(dtype, str) and dtype == "cpu":
            return self
        dtype = as_dtype(dtype)
        if not is_floating(dtype):
            raise TypeError(f"Module.to: expected a floating dtype such as 'float64', got {dtype}")
        for tensor in itertools.chain(self.parameters(), self.buffers()):
            if is_floating(tensor.data.dtype) and tensor.data.dtype != dtype:
                tensor.data = tensor.data.astype(dtype)
                if tensor.grad is not None:
                    tensor.grad = tensor.grad.astype(dtype)
        return self

    def double(self) -> Module:
        return self.to(np.float64)

    def float(self) -> Module:
        return self.to(np.float32)

    # ----- hooks -----------------------------------------------------------------------------
    def register_forward_hook(self, hook: Callable) -> RemovableHandle:
        """Call ``hook(module, inputs, output)`` after every forward of this module.

        ``inputs`` is the tuple of positional arguments. If the hook returns something other than
        None, that replaces the output. Returns a handle; ``handle.remove()`` unregisters it (or
        use it in a ``with`` block). To read a layer's output gradient after ``backward()``, call
        ``output.retain_grad()`` in the hook and keep the output.

        >>> import neuronlab as nl
        >>> layer, seen = nl.nn.Linear(2, 3), []
        >>> handle = layer.register_forward_hook(lambda m, inputs, out: seen.append(out.shape))
        >>> _ = layer(nl.zeros(4, 2))
        >>> handle.remove()
        >>> _ = layer(nl.zeros(4, 2))
        >>> seen
        [(4, 3)]
        """
        if not callable(hook):
            raise TypeError(f"register_forward_hook: expected a function, got {hook!r}")
        key = next(_hook_ids)
        self._forward_hooks[key] = hook
        return RemovableHandle(self._forward_hooks, key)

    # ----- saving and loading ----------------------------------------------------------------
    def state_dict(self, prefix: str = "", keep_vars: bool = False) -> dict[str, Tensor]:
        """Every parameter and persistent buffer by dotted name, in PyTorch's order and names.

        The values share memory with the module (``copy.deepcopy`` to keep a snapshot); with
        ``keep_vars=True`` they are the parameters themselves, else detached tensors. A layer
        used twice appears under both names, as in PyTorch.
        """
        state = {}
        for module_prefix, module in _preorder(self, prefix.rstrip("."), unique=False):
            dot = f"{module_prefix}." if module_prefix else ""
            for name, param in module._parameters.items():
                if param is not None:
                    state[dot + name] = param if keep_vars else param.detach()
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent:
                    state[dot + name] = buffer if keep_vars else buffer.detach()
        return state

    def load_state_dict(self, state_dict: dict, strict: bool = True) -> IncompatibleKeys:
        """Copy values from ``state_dict`` into this module's parameters and buffers, in place.

        With ``strict=True`` the keys must match exactly; shapes must always match. Errors list
        every missing, unexpected and mis-shaped key at once. Returns the keys skipped.
        """
        if not hasattr(state_dict, "keys"):
            raise TypeError(
                f"{type(self).__name__}.load_state_dict expects a dict of name -> tensor, such as "
                f"other_model.state_dict(), got {type(state_dict).__name__}"
            )
        own = self.state_dict(keep_vars=True)
        missing = [key for key in own if key not in state_dict]
        unexpected = [key for key in state_dict if key not in own]
        values, wrong_shapes = {}, []
        for key, target in own.items():
            if key in state_dict:
                value = state_dict[key]
                value = value.data if isinstance(value, Tensor) else np.asarray(value)
                if value.shape != target.data.shape:
                    wrong_shapes.append((key, value.shape, target.data.shape))
                values[key] = value
        if wrong_shapes or (strict and (missing or unexpected)):
            raise StateDictError(self._load_error(missing, unexpected, wrong_shapes, strict))
        for key, value in values.items():
            own[key].data[...] = value
        return IncompatibleKeys(missing, unexpected)

    def _load_error(self, missing, unexpected, wrong_shapes, strict) -> str:
        lines = [f"{type(self).__name__}.load_state_dict: the state_dict does not fit this model."]
        if strict and missing:
            lines.append(
                "  missing keys (in the model, not in the state_dict): "
                + ", ".join(map(repr, missing))
            )
        if strict and unexpected:
            lines.append(
                "  unexpected keys (in the state_dict, not in the model): "
                + ", ".join(map(repr, unexpected))
            )
        for key, got, expected in wrong_shapes:
            lines.append(
                f"  wrong shape for {key!r}: the state_dict has {tuple(got)}, "
                f"the model has {tuple(expected)}"
            )
        lines.append(
            "Load a state_dict saved from the same architecture (same layers and sizes); "
            "strict=False skips missing and unexpected keys, but shapes must match."
        )
        return "\n".join(lines)

    # ----- description -----------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The configuration shown inside the parentheses of the repr; layers override it."""
        return ""

    def __repr__(self) -> str:
        lines = _repr_lines(self)
        if self._modules:
            total = sum(p.numel() for p in self.parameters())
            lines[-1] = f")  # {_count(total)} in total"
        return "\n".join(lines)

    def summary(self, input_shape, dtype="float32", print_fn: Callable | None = print):
        """Run a random input of ``input_shape`` (batch included) through the model and list each
        layer's name, type, output shape and parameter count, plus totals. See ``nn.summary``."""
        from .summary import summary

        return summary(self, input_shape, dtype=dtype, print_fn=print_fn)


def _warn_if_hidden(owner: Module, name: str, value) -> None:
    """The classic silent bug: layers in a plain list, or a tensor meant to be learned, are not
    registered, so the optimizer never sees them. PyTorch says nothing; we warn."""
    if isinstance(value, (list, tuple)) and any(isinstance(v, Module) for v in value):
        hint = f"store them as nn.ModuleList(...) so that {name}'s parameters are registered"
    elif isinstance(value, Tensor) and value.requires_grad and value.is_leaf:
        hint = "wrap it as nn.Parameter(t) to have it learned, or detach() it to silence this"
    else:
        return
    warnings.warn(
        f"{type(owner).__name__}.{name} is a plain {type(value).__name__}, which parameters() "
        f"does not look into; {hint}",
        stacklevel=3,
    )


def _count(n: int) -> str:
    return f"{n:,} param" + ("" if n == 1 else "s")


def _preorder(root: Module, prefix: str, unique: bool) -> list:
    """``(dotted name, module)`` for ``root`` and everything inside it, parents first (a loop
    with a stack rather than recursion: this runs on every ``parameters()`` call). With
    ``unique``, a module reachable twice is listed once; without, under each name. A module
    inside itself (a cycle) is never entered again, so the walk always ends."""
    order, seen, stack = [], set(), [(prefix, root, frozenset())]
    while stack:
        name, module, ancestors = stack.pop()
        if unique:
            if id(module) in seen:
                continue
            seen.add(id(module))
        order.append((name, module))
        children = module._modules
        if children:
            inside = ancestors | {id(module)}
            stack.extend(
                (f"{name}.{key}" if name else key, child, inside)
                for key, child in reversed(children.items())
                if child is not None and id(child) not in inside
            )
    return order


def _repr_lines(module: Module) -> list[str]:
    """PyTorch's repr tree, with the parameter count of each layer as a comment."""
    name, extra = type(module).__name__, module.extra_repr()
    n = sum(p.numel() for p in module.parameters())
    note = f"  # {_count(n)}" if n else ""
    if not module._modules:
        return [f"{name}({extra})" + note]
    lines = [f"{name}("]
    lines.extend("  " + line for line in extra.split("\n") if extra)
    for key, child in module._modules.items():
        child_lines = _repr_lines(child) if child is not None else ["None"]
        lines.append(f"  ({key}): {child_lines[0]}")
        lines.extend("  " + line for line in child_lines[1:])
    lines.append(")" + note)
    return lines
