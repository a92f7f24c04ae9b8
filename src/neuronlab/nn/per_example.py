"""Per-example gradients in one backward pass: the gradient of each example's own loss.

DP-SGD (the privacy chapter) clips the gradient of every example separately before adding noise,
so it needs ``N`` gradients per parameter, not their sum. Looping over the batch one example at a
time gives them, at ``N`` times the cost. The trick that avoids the loop:

Take the loss with reduction='sum', L = L_1 + ... + L_N. A layer ``y_n = f(x_n; W)`` that treats
examples independently has an output row ``y_n`` on which only ``L_n`` depends, so the gradient
arriving at that row, ``dout_n = dL/dy_n``, equals ``dL_n/dy_n``. The ordinary backward sums the
layer's local rule over the batch; for Linear ``dW = sum_n dout_n^T x_n``. Leave out the sum and
each term *is* one example's gradient::

    per_example_dW[n] = dout_n^T @ x_n          (N, out, in)   -- one batched product

So: forward hooks record each layer's input ``x`` and keep its output (``retain_grad()``), one
ordinary backward fills in ``dout``, and a *rule* per layer type turns ``(x, dout)`` into the
per-example gradients of that layer's parameters. Rules live in :data:`PER_EXAMPLE_RULES`;
this file holds those of Linear, Embedding, LayerNorm and batch norm, and
``register_per_example_rule(LayerClass)`` adds one (convolution, recurrent and attention layers
register theirs beside the layer). A rule is found through the layer's class hierarchy, so a rule
for a base class covers its subclasses. A layer with trainable parameters and no rule is an
error that names it; frozen layers need no rule.

The trick needs layers that never mix examples. Batch norm in training mode normalizes each
example with statistics of the whole batch, so ``dout_n`` carries other examples' losses and no
per-example gradient exists in this sense; its check (:data:`PER_EXAMPLE_CHECKS`, run before the
forward pass, on frozen batch norms too) refuses, as Opacus does. Use it in eval mode (running
statistics) or switch to a per-example normalization (LayerNorm, GroupNorm).

>>> import neuronlab as nl
>>> model = nl.nn.Sequential(nl.nn.Linear(3, 4), nl.nn.Tanh(), nl.nn.Linear(4, 2))
>>> X, y = nl.randn(5, 3), nl.tensor([0, 1, 1, 0, 1])
>>> grads = per_example_gradients(model, nl.nn.CrossEntropyLoss(), X, y)
>>> {name: g.shape for name, g in grads.items()}
{'0.weight': (5, 4, 3), '0.bias': (5, 4), '2.weight': (5, 2, 4), '2.bias': (5, 2)}
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from ..engine.backend import is_floating
from ..engine.ops.embedding import scatter_add_rows
from ..engine.ops.norm import normalize
from ..engine.tensor import Tensor
from .embedding import Embedding
from .linear import Linear
from .module import Module
from .normalization import LayerNorm, _BatchNorm

#: Per-example gradient rules by layer class: ``rule(module, x, dout) -> {param_name: (N, *shape)}``
#: with ``x`` the layer's first input (an array, batch first) and ``dout`` the gradient of the
#: summed loss with respect to the layer's output (an array; a tuple of arrays when the layer
#: returns a tuple, with zeros for outputs the loss did not use).
PER_EXAMPLE_RULES: dict[type, Callable] = {}

#: Optional checks by layer class, ``check(module)``, run on every such layer of the model before
#: the forward pass; they raise when the layer's current mode makes per-example gradients
#: meaningless (batch norm in training mode), before any running statistic has moved.
PER_EXAMPLE_CHECKS: dict[type, Callable] = {}


def register_per_example_rule(layer_cls: type, check: Callable | None = None) -> Callable:
    """Decorator: make ``rule(module, x, dout)`` the per-example gradient rule of ``layer_cls``
    (and ``check(module)``, when given, the check run before the forward pass).

    >>> import neuronlab as nl
    >>> class Scale(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.s = nl.nn.Parameter([2.0])
    ...     def forward(self, x):
    ...         return x * self.s
    >>> @register_per_example_rule(Scale)
    ... def _scale_rule(module, x, dout):  # y = x * s, so dL_n/ds = sum over features of dout * x
    ...     return {"s": (dout * x).reshape(len(x), -1).sum(axis=1, keepdims=True)}
    >>> model = Scale()
    >>> grads = per_example_gradients(model, nl.nn.MSELoss(), nl.ones(3, 2), nl.zeros(3, 2))
    >>> grads["s"].tolist()  # each example: d/ds of 2 * (1 * s)^2 = 4s = 8
    [[8.0], [8.0], [8.0]]
    >>> del PER_EXAMPLE_RULES[Scale]
    """
    if not isinstance(layer_cls, type) or not issubclass(layer_cls, Module):
        raise TypeError(
            f"register_per_example_rule: expected a Module subclass such as nn.Linear, got "
            f"{layer_cls!r}"
        )

    def decorate(rule: Callable) -> Callable:
        PER_EXAMPLE_RULES[layer_cls] = rule
        if check is not None:
            PER_EXAMPLE_CHECKS[layer_cls] = check
        return rule

    return decorate


def find_rule(module: Module, table: dict = PER_EXAMPLE_RULES) -> Callable | None:
    """The rule registered for ``type(module)`` or its nearest base class, or None."""
    for cls in type(module).__mro__:
        rule = table.get(cls)
        if rule is not None:
            return rule
    return None


def _trainable(module: Module) -> dict:
    """The module's own parameters (not its children's) that want gradients."""
    return {n: p for n, p in module._parameters.items() if p is not None and p.requires_grad}


def _check_rules(model: Module) -> list[tuple[str, Module]]:
    """The ``(name, module)`` pairs that own trainable parameters; all must have a rule."""
    for _, module in model.named_modules():  # every layer, trainable or not: a frozen
        check = find_rule(module, PER_EXAMPLE_CHECKS)  # batch norm still mixes examples
        if check is not None:
            check(module)
    owners = [(name, m) for name, m in model.named_modules() if _trainable(m)]
    missing = [(name or "<model>", type(m).__name__) for name, m in owners if find_rule(m) is None]
    if missing:
        listed = ", ".join(f"{name} ({kind})" for name, kind in missing)
        raise NotImplementedError(
            f"per_example_gradients: no per-example gradient rule for {listed}. Each layer that "
            "holds parameters needs one: write rule(module, x, dout) -> {param_name: array of "
            "shape (N, *param.shape)} and decorate it with @register_per_example_rule(ThatLayer), "
            "or freeze the layer (layer.requires_grad_(False)). Known layers: "
            + ", ".join(sorted(c.__name__ for c in PER_EXAMPLE_RULES))
        )
    return owners


def _summed_loss(loss_fn, out, y) -> Tensor:
    """The loss with reduction='sum', so that each example's gradient is not divided by N."""
    if isinstance(loss_fn, Module) and hasattr(loss_fn, "reduction"):
        saved = loss_fn.reduction
        loss_fn.reduction = "sum"
        try:
            loss = loss_fn(out, y)
        finally:
            loss_fn.reduction = saved
    else:
        try:
            takes_reduction = "reduction" in inspect.signature(loss_fn).parameters
        except (TypeError, ValueError):
            takes_reduction = False
        loss = loss_fn(out, y, reduction="sum") if takes_reduction else loss_fn(out, y)
    if not isinstance(loss, Tensor):
        raise TypeError(f"per_example_gradients: the loss function returned {type(loss).__name__}"
                        ", expected a Tensor")
    return loss.sum() if loss.ndim else loss  # a vector of per-example losses is summed


def _as_input(X, model: Module) -> Tensor:
    """X as a tensor; floating arrays take the model's dtype (as ``nl.tensor`` would make them
    float32 for a float32 model), integer arrays (token ids) stay integers."""
    if isinstance(X, Tensor):
        return X
    array = np.asarray(X)
    if not is_floating(array.dtype):
        return Tensor(array)
    dtype = next((p.dtype for p in model.parameters() if is_floating(p.dtype)), array.dtype)
    return Tensor(array, dtype=dtype)


def _output_grad(out):
    """The gradient that reached a layer output (a tuple for tuple outputs; zeros if unused)."""
    if isinstance(out, (tuple, list)):
        return tuple(_output_grad(o) for o in out)
    if not isinstance(out, Tensor):
        return None
    return out.grad if out.grad is not None else np.zeros_like(out.data)


def _retain(out) -> None:
    if isinstance(out, (tuple, list)):
        for o in out:
            _retain(o)
    elif isinstance(out, Tensor) and out.requires_grad and not out.is_leaf:
        out.retain_grad()


def per_example_gradients(model: Module, loss_fn, X, y) -> dict[str, np.ndarray]:
    """The gradient of each example's loss with respect to every trainable parameter.

    Returns ``{qualified_name: array of shape (N, *param.shape)}`` (names as in
    ``model.named_parameters()``), where row ``n`` is the gradient of ``loss(model(X[n]), y[n])``.
    Vectorised: one forward, one backward, one rule per layer call (see the module docstring).

    ``loss_fn`` is a loss module (its reduction is switched to 'sum' for the call) or a function
    ``loss_fn(output, y)``; a function that takes a ``reduction`` argument is called with
    reduction='sum', any other must return the summed (or per-example) losses. The parameters'
    ``.grad`` are left as they were. A layer called several times (shared weights) adds up the
    gradients of its calls. Dropout draws one mask per example, as in the batched forward.
    """
    owners = _check_rules(model)
    X = _as_input(X, model)
    if X.ndim == 0:
        raise ValueError("per_example_gradients: X must have a batch axis first, got a 0-d input")
    N = X.shape[0]
    calls, handles = [], []

    def record(module, inputs, out):
        first = inputs[0] if inputs else None
        calls.append((module, first.data if isinstance(first, Tensor) else first, out))
        _retain(out)

    params = [p for _, m in owners for p in _trainable(m).values()]
    saved_grads = [p.grad for p in params]
    try:
        for _, module in owners:
            handles.append(module.register_forward_hook(record))
        out = model(X)
        for handle in handles:
            handle.remove()
        _summed_loss(loss_fn, out, y).backward()
        result = {id(p): np.zeros((N, *p.shape), dtype=p.dtype) for p in params}
        for module, x, out in calls:
            _add_call(result, module, x, _output_grad(out), N)
    finally:
        for handle in handles:
            handle.remove()
        for p, g in zip(params, saved_grads):
            p.grad = g
    return {name: result[id(p)] for name, p in model.named_parameters() if id(p) in result}


def _add_call(result: dict, module: Module, x, dout, N: int) -> None:
    """Run the module's rule for one call and add its per-example gradients into ``result``."""
    rule = find_rule(module)
    grads = rule(module, x, dout)
    for name, p in _trainable(module).items():
        if name not in grads:
            raise RuntimeError(
                f"per_example_gradients: the rule {rule.__name__} for {type(module).__name__} "
                f"returned no gradient for parameter {name!r}; it must return one array of shape "
                f"{(N, *p.shape)} for each trainable parameter"
            )
        g = grads[name]
        if g.shape != (N, *p.shape):
            raise RuntimeError(
                f"per_example_gradients: the rule {rule.__name__} for {type(module).__name__} "
                f"returned shape {g.shape} for {name!r}, expected {(N, *p.shape)} (batch first)"
            )
        result[id(p)] += g


# ----- rules for the layers of this package ----------------------------------------------------


@register_per_example_rule(Linear)
def linear_rule(module: Linear, x, dout) -> dict:
    """y = x @ W.T + b: dW[n] = sum_t dout[n, t]^T x[n, t], db[n] = sum_t dout[n, t], where t runs
    over any axes between the batch and the features (a sequence of tokens, say)."""
    N = x.shape[0]
    x3 = x.reshape(N, -1, x.shape[-1])  # (N, T, in)
    d3 = dout.reshape(N, -1, dout.shape[-1])  # (N, T, out)
    grads = {"weight": np.matmul(d3.transpose(0, 2, 1), x3)}  # (N, out, in)
    if module.bias is not None:
        grads["bias"] = d3.sum(axis=1)  # (N, out)
    return grads


@register_per_example_rule(Embedding)
def embedding_rule(module: Embedding, x, dout) -> dict:
    """y = W[x]: dW[n] is example n's own scatter-add, dW[n, i] = sum of dout[n, t] over the
    positions t where x[n, t] == i. All N scatters run as one, on the combined row n * V + i."""
    x = np.asarray(x)
    N, V, D = x.shape[0], module.num_embeddings, dout.shape[-1]
    rows = (np.arange(N)[:, None] * V + x.reshape(N, -1)).reshape(-1)  # (N * T,)
    dW = scatter_add_rows(rows, dout.reshape(-1, D), N * V).reshape(N, V, D)
    if module.padding_idx is not None:
        dW[:, module.padding_idx] = 0
    return {"weight": dW}


@register_per_example_rule(LayerNorm)
def layer_norm_rule(module: LayerNorm, x, dout) -> dict:
    """y = xhat * weight + bias, each example normalized on its own: dweight[n] = sum_t
    dout[n, t] * xhat[n, t] and dbias[n] = sum_t dout[n, t], t over any middle axes."""
    k = len(module.normalized_shape)
    if x.ndim <= k:
        raise ValueError(f"per_example_gradients: LayerNorm{module.normalized_shape} got input "
                         f"of shape {x.shape}, which has no batch axis in front")
    xhat, _, _, _ = normalize(x, tuple(range(x.ndim - k, x.ndim)), module.eps)
    middle = tuple(range(1, x.ndim - k))
    grads = {}
    if module.weight is not None:
        grads["weight"] = np.sum(dout * xhat, axis=middle)  # (N, *normalized_shape)
    if module.bias is not None:
        grads["bias"] = np.sum(dout, axis=middle)
    return grads


def _batch_norm_check(module: _BatchNorm) -> None:
    if module.training or module.running_mean is None:
        why = "is in training mode" if module.training else "keeps no running statistics"
        raise RuntimeError(
            f"per_example_gradients: {type(module).__name__}({module.num_features}) {why}, so it "
            "normalizes each example with the statistics of the whole batch: every example's "
            "output depends on all the others, and a gradient of one example's loss alone does "
            "not exist. Call model.eval() first (running statistics), or use a per-example "
            "normalization such as LayerNorm (DP-SGD libraries such as Opacus refuse batch norm "
            "for the same reason)."
        )


@register_per_example_rule(_BatchNorm, check=_batch_norm_check)
def batch_norm_rule(module: _BatchNorm, x, dout) -> dict:
    """Evaluation mode only (see the check): y = xhat * weight + bias with xhat from the running
    statistics, so dweight[n, c] = sum over positions of dout * xhat, dbias[n, c] of dout."""
    _batch_norm_check(module)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean = module.running_mean.data.reshape(shape)
    var = module.running_var.data.reshape(shape)
    xhat = (x - mean) / np.sqrt(var + module.eps)  # (N, C, *)
    positions = tuple(range(2, x.ndim))
    grads = {}
    if module.weight is not None:
        grads["weight"] = np.sum(dout * xhat, axis=positions)  # (N, C)
    if module.bias is not None:
        grads["bias"] = np.sum(dout, axis=positions)
    return grads
