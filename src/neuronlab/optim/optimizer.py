"""The optimizer base: parameter groups, per-parameter state, ``step`` and ``state_dict``.

An optimizer changes parameters using their gradients. This base class does the bookkeeping that
every optimizer shares, so that a subclass only writes the update rule for ONE parameter:

* ``param_groups``: a list of dicts. Each holds ``'params'`` (a list of tensors) and the
  hyper-parameters for those tensors (``'lr'``, ``'momentum'``...). Values a group does not give
  come from ``defaults``. Different groups can have different learning rates.
* ``state``: a dict from parameter to that parameter's own dict of running values (Adam's moving
  averages, SGD's momentum buffer, the step count). Keys that start with ``_`` are scratch arrays
  reused from step to step to avoid allocating; they are not saved by ``state_dict()``.
* ``step()``: for every parameter that has a gradient, ``update(p, grad, state, group)``, which
  changes ``p.data`` in place.
"""

from __future__ import annotations

import copy
import numbers
from collections import defaultdict
from collections.abc import Callable

from ..engine.backend import is_floating, ndarray, xp
from ..engine.grad_mode import enable_grad
from ..engine.tensor import Tensor

_SET_MESSAGE = (
    "{name}: parameters must come in an ordered collection (list or tuple), not a set: a set's "
    "order changes between runs, and state_dict() relies on the order"
)


class Optimizer:
    """Base class of all optimizers. Subclasses implement ``update`` (and ``validate``).

    ``params`` is an iterable of tensors, or of dicts (parameter groups) such as
    ``[{'params': body}, {'params': head, 'lr': 0.1}]``.

    >>> import neuronlab as nl
    >>> from neuronlab.optim import SGD
    >>> w = nl.tensor([1.0, 2.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> [round(v, 4) for v in w.tolist()]      # w - 0.1 * 2w
    [0.8, 1.6]
    >>> opt.zero_grad()
    >>> w.grad is None
    True
    """

    def __init__(self, params, defaults: dict) -> None:
        self.defaults = {name: _plain(value) for name, value in defaults.items()}
        self.validate(self.defaults)
        self.state: defaultdict = defaultdict(dict)  # Tensor -> dict (tensors hash by identity)
        self.param_groups: list[dict] = []
        if isinstance(params, Tensor):
            raise TypeError(
                f"{self._name} expects an iterable of tensors or of dicts (parameter groups), "
                "got a single Tensor; wrap it in a list: [w]"
            )
        if isinstance(params, (set, frozenset)):
            raise TypeError(_SET_MESSAGE.format(name=self._name))
        groups = list(params)
        if not groups:
            raise ValueError(
                f"{self._name} got an empty parameter list; pass model.parameters() or a list "
                "of tensors created with requires_grad=True"
            )
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    @property
    def _name(self) -> str:
        return type(self).__name__

    # ----- what a subclass writes ------------------------------------------------------------
    def update(self, p: Tensor, grad, state: dict, group: dict) -> None:
        """Change ``p.data`` in place, given its gradient array, its state dict and its group."""
        raise NotImplementedError

    def validate(self, group: dict) -> None:
        """Raise a clear error if a hyper-parameter in ``group`` is out of range."""

    def check(self, group: dict, name: str, low: float = 0.0) -> None:
        """Check that ``group[name]`` is a real number >= ``low`` (a clear error otherwise)."""
        value = group[name]
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{self._name}: {name} must be a number, got {value!r}")
        if not value >= low:  # also catches nan
            raise ValueError(f"{self._name}: {name} must be >= {low}, got {value!r}")

    # ----- the loop --------------------------------------------------------------------------
    def step(self, closure: Callable | None = None):
        """Update every parameter that has a gradient; parameters whose grad is None are skipped.

        ``closure``, if given, re-evaluates the model and returns the loss (some optimizers need
        it); it runs with gradients enabled, and its loss is returned.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        update, state = self.update, self.state
        for group in self.param_groups:
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue
                if grad.__class__ is not ndarray or grad.shape != p.data.shape:
                    grad = self._gradient_array(p, grad)  # a tensor's array, or the error
                update(p, grad, state[p], group)
        return loss

    def _gradient_array(self, p, grad):
        """``p.grad`` as an array of the parameter's shape (a gradient may be assigned by hand as
        a tensor), or a ValueError saying why it can't be used."""
        if isinstance(grad, Tensor):
            grad = grad.data
        if grad.shape != p.data.shape:
            raise ValueError(
                f"{self._name}.step: a parameter of shape {p.data.shape} has a gradient "
                f"of shape {grad.shape}; .grad must have the parameter's shape"
            )
        return grad

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: set ``.grad`` to None (default) or fill it with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.fill(0)

    # ----- groups ----------------------------------------------------------------------------
    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters, with its own hyper-parameters (the rest from defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError(
                f"{self._name}: a parameter group must be a dict such as "
                f"{{'params': [w, b], 'lr': 0.1}}, got {type(param_group).__name__}"
            )
        if "params" not in param_group:
            raise ValueError(f"{self._name}: a parameter group needs a 'params' entry")
        group = dict(param_group)
        params = group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(_SET_MESSAGE.format(name=self._name))
        group["params"] = params = list(params)
        index = len(self.param_groups)
        seen = set()
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"{self._name} can only optimize Tensors, but params[{i}] of group {index} "
                    f"is a {type(p).__name__}"
                )
            if not p.is_leaf:
                raise ValueError(
                    f"{self._name} can't optimize a non-leaf tensor (params[{i}] of group "
                    f"{index} was computed by {p.grad_fn.describe()}); optimize the leaf tensors "
                    "it was computed from, or use .detach().requires_grad_()"
                )
            if not is_floating(p.dtype):
                raise TypeError(
                    f"{self._name}: params[{i}] of group {index} has dtype {p.dtype}; only "
                    "floating point tensors can be optimized"
                )
            if id(p) in seen:
                raise ValueError(
                    f"{self._name}: params[{i}] of group {index} appears twice in the group; "
                    "each parameter must be listed once"
                )
            seen.add(id(p))
        for other in self.param_groups:
            if any(id(p) in seen for p in other["params"]):
                raise ValueError(
                    f"{self._name}: some parameters appear in more than one parameter group; "
                    "each parameter can belong to one group only"
                )
        for name, default in self.defaults.items():
            group.setdefault(name, default)
        for name, value in group.items():
            if name != "params":
                group[name] = _plain(value)
        self.validate(group)
        self.param_groups.append(group)

    # ----- saving and loading ----------------------------------------------------------------
    def state_dict(self) -> dict:
        """A snapshot of the optimizer in PyTorch's layout: parameters are replaced by indices.

        ``{'state': {0: {'step': 3, 'exp_avg': array}, ...},
        'param_groups': [{'lr': 0.001, ..., 'params': [0, 1]}, ...]}``. Arrays are copies, so
        later steps do not change a saved state.
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                values = self.state.get(p)
                if values:
                    state[index[id(p)]] = {
                        k: copy.deepcopy(v) for k, v in values.items() if not k.startswith("_")
                    }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore a snapshot from ``state_dict()`` of an optimizer over the same parameters.

        Groups must match in number and size. Arrays are copied and cast to each parameter's
        dtype. Nothing changes if the snapshot does not fit.
        """
        if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= state_dict.keys():
            raise TypeError(
                f"{self._name}.load_state_dict expects a dict with 'state' and 'param_groups' "
                "(what state_dict() returns)"
            )
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"{self._name}.load_state_dict: the loaded state dict has {len(saved_groups)} "
                f"parameter groups but this optimizer has {len(self.param_groups)}; build the "
                "optimizer with the same parameter groups as the one that was saved"
            )
        params_by_index = {}
        for i, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"{self._name}.load_state_dict: parameter group {i} of the loaded state dict "
                    f"has {len(saved['params'])} parameters but this optimizer's group {i} has "
                    f"{len(group['params'])}; the parameters must be the same, in the same order"
                )
            params_by_index.update(zip(saved["params"], group["params"]))
        state = defaultdict(dict)
        for key, values in state_dict["state"].items():
            if key not in params_by_index:
                raise ValueError(
                    f"{self._name}.load_state_dict: the state refers to parameter {key!r}, which "
                    f"no parameter group lists (known: {sorted(params_by_index)})"
                )
            p = params_by_index[key]
            state[p] = {name: self._loaded_value(p, key, name, v) for name, v in values.items()}
        groups = []
        for group, saved in zip(self.param_groups, saved_groups):
            new = {k: _plain(copy.deepcopy(v)) for k, v in saved.items() if k != "params"}
            for name, value in group.items():
                new.setdefault(name, value)
            new["params"] = group["params"]
            self.validate(new)
            groups.append(new)
        self.param_groups = groups
        self.state = state

    def _loaded_value(self, p: Tensor, key, name: str, value):
        if isinstance(value, Tensor):
            value = value.data
        if not isinstance(value, xp.ndarray):
            return copy.deepcopy(value)
        if value.ndim == 0:  # a counter such as 'step', saved as an array: a plain number
            return value.item()
        if value.shape != p.data.shape:
            raise ValueError(
                f"{self._name}.load_state_dict: state[{key!r}][{name!r}] has shape {value.shape} "
                f"but its parameter has shape {p.data.shape}"
            )
        dtype = p.data.dtype if is_floating(value.dtype) else value.dtype
        return xp.array(value, dtype=dtype, copy=True)

    def __repr__(self) -> str:
        lines = [f"{self._name} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for name in sorted(k for k in group if k != "params"):
                lines.append(f"    {name}: {group[name]}")
        return "\n".join([*lines, ")"])


def scratch(state: dict, name: str, like) -> xp.ndarray:
    """A work array shaped like ``like`` kept in ``state[name]`` and reused at every step.

    ``name`` should start with ``_`` so that ``state_dict()`` leaves it out.
    """
    buf = state.get(name)
    if buf is None or buf.shape != like.shape or buf.dtype != like.dtype:
        buf = state[name] = xp.empty_like(like)
    return buf


#: Running averages smaller than this are set to zero every FLUSH_EVERY steps (``flush_tiny``).
FLUSH_BELOW = 1e-30
FLUSH_EVERY = 16


def flush_tiny(state: dict, *names: str) -> None:
    """Every FLUSH_EVERY calls, set the values of ``state[name]`` below FLUSH_BELOW to zero.

    A running average whose gradient stays zero (a unit that never fires, a pixel that is always
    blank) shrinks by its beta at every step and, after some hundreds of steps, reaches the
    subnormal numbers (below 1.2e-38 in float32), on which the processor computes up to a hundred
    times slower: an MLP trained with Adam took 0.2 s per 120 steps, then 0.5 s from step 700 on.
    At 1e-30 a value is far too small to change any update (Adam divides by sqrt(v) + 1e-8), and a
    zero stays zero, so the flushed run computes the same parameters. With beta >= 0.32 a value
    cannot get from FLUSH_BELOW to a subnormal within FLUSH_EVERY steps.
    """
    count = state.get("_flush", 0) + 1
    state["_flush"] = count
    if count % FLUSH_EVERY:
        return
    for name in names:
        a = state.get(name)
        if a is not None and a.dtype.kind == "f":
            a[xp.abs(a) < FLUSH_BELOW] = 0


def effective_grad(p: Tensor, grad, state: dict, weight_decay: float, maximize: bool):
    """The gradient the update uses: ``g = -grad if maximize else grad``, then
    ``g = g + weight_decay * p`` (L2 penalty). Returns ``grad`` itself when nothing changes."""
    if weight_decay == 0 and not maximize:
        return grad
    g = scratch(state, "_grad", p.data)
    if weight_decay == 0:
        return xp.negative(grad, out=g)
    xp.multiply(p.data, weight_decay, out=g)
    return xp.subtract(g, grad, out=g) if maximize else xp.add(g, grad, out=g)


def _plain(value):
    """Hyper-parameters as plain Python numbers (NumPy scalars would upcast float32 updates)."""
    if isinstance(value, xp.generic) or (isinstance(value, Tensor) and value.data.size == 1):
        return value.item()
    if isinstance(value, tuple) and any(isinstance(v, (xp.generic, Tensor)) for v in value):
        return tuple(_plain(v) for v in value)
    return value
