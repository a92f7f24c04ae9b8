"""``graph(t)``: the computation graph behind a tensor, as plain data a web page can draw.

Every tensor made by an op remembers that op (``t._op``) and the op remembers its inputs
(``op.parents``). Walking those links back from ``t`` gives the whole graph: the leaves (inputs,
parameters, constants) and every intermediate result, each with a summary of its value and, when
known, of its gradient.

>>> import neuronlab as nl
>>> w = nl.tensor([2.0, -1.0], requires_grad=True)
>>> loss = (w * w).sum()
>>> g = nl.graph(loss)
>>> [(n["id"], n["kind"], n["op"]) for n in g["nodes"]]
[('t0', 'parameter', None), ('t1', 'op', 'mul'), ('t2', 'op', 'sum')]
>>> [(e["source"], e["target"], e["input"]) for e in g["edges"]]
[('t0', 't1', 0), ('t0', 't1', 1), ('t1', 't2', 0)]

Small graphs can be expanded to single numbers (``scalar_level=True``, see ``graph_scalar``).
Everything returned is lists, dicts, str, int, float, bool and None, so ``json.dumps`` takes it
as it is; a value that is not finite is written as the string ``"NaN"``, ``"Infinity"`` or
``"-Infinity"`` (JavaScript's ``Number()`` reads those back), because JSON has no such numbers.
"""

from __future__ import annotations

import numpy as np

from .autograd import backward, inputs_first
from .graph_scalar import expand_to_scalars, json_number
from .tensor import Tensor

#: Tensors with at most this many elements show every value; larger ones show statistics only.
MAX_LISTED_VALUES = 16


def graph(
    t: Tensor,
    *,
    scalar_level: bool = False,
    max_scalar_nodes: int = 400,
    compute_grads: bool = False,
) -> dict:
    """The computation graph that produced ``t``, as JSON-ready data.

    Returns ``{"level": "tensor", "output": id of t, "nodes": [...], "edges": [...]}``. Nodes come
    in topological order (every node after its inputs), one per tensor reachable from ``t``::

        {"id": "t3", "kind": "input" | "parameter" | "constant" | "op",
         "op": "matmul" (the op's describe(), None for leaves), "name": t.name or None,
         "shape": [2, 3], "dtype": "float32", "requires_grad": True,
         "value": summary, "grad": summary or None}

    A summary is ``{"values": nested list, "mean", "std", "min", "max", "norm"}`` for tensors of up
    to 16 elements and the statistics alone for larger ones. An edge ``{"source", "target",
    "input"}`` says that tensor ``source`` is input number ``input`` of the op that made
    ``target``; a tensor used twice by one op has two edges.

    Gradients: ``.grad`` as it stands (leaves after ``backward()``, intermediates marked with
    ``retain_grad()``). ``compute_grads=True`` runs a fresh backward pass from ``t`` instead and
    reports every node's gradient, leaving every tensor's ``.grad`` as it was; for a ``t`` with
    more than one element the gradients are those of ``t.sum()``.

    ``scalar_level=True`` expands the graph so that every node is one number (every multiply and
    add of a small network); see ``neuronlab.engine.graph_scalar`` for the format. The expansion
    refuses graphs of more than ``max_scalar_nodes`` nodes.

    The graph must still be intact: after ``backward()`` it is freed, so call
    ``backward(retain_graph=True)`` when you want to inspect it afterwards.
    """
    if not isinstance(t, Tensor):
        raise TypeError(f"graph: expected a Tensor, got {type(t).__name__}")
    order = tensor_order(t)
    ids = {id(x): f"t{i}" for i, x in enumerate(order)}
    grads = _fresh_grads(t, order) if compute_grads else {id(x): x.grad for x in order}
    nodes = [_node(x, ids[id(x)], grads[id(x)]) for x in order]
    edges = [
        {"source": ids[id(parent)], "target": ids[id(x)], "input": i}
        for x in order
        if x._op is not None
        for i, parent in enumerate(x._op.parents)
    ]
    result = {"level": "tensor", "output": ids[id(t)], "nodes": nodes, "edges": edges}
    if not scalar_level:
        return result
    labels = {id(x): x.name or ids[id(x)] for x in order}
    kinds = {id(x): node["kind"] for x, node in zip(order, nodes)}
    scalars = expand_to_scalars(order, t, ids, labels, kinds, max_scalar_nodes)
    return {
        "level": "scalar",
        "output": result["output"],
        **scalars,
        "tensors": {"nodes": nodes, "edges": edges},
    }


def tensor_order(root: Tensor) -> list:
    """Every tensor reachable from ``root``, leaves included, each after all of its inputs."""
    return inputs_first(root, leaves=True, who="graph")


def kind_of(t: Tensor) -> str:
    """ "op" for results of ops; for leaves "parameter" (wants a gradient, or is an
    nn.Parameter), "constant" (a 0-d unnamed leaf: what a Python number in ``x * 2`` becomes;
    best effort, as a 0-d input made by hand looks the same) or "input" (data)."""
    if t._op is not None:
        return "op"
    if t.requires_grad or type(t).__name__ == "Parameter":
        return "parameter"
    if t.data.ndim == 0 and t.name is None:
        return "constant"
    return "input"


def summarize(array) -> dict | None:
    """``{"values": nested list}`` for at most 16 elements, plus mean, std, min, max and norm
    (the L2 norm, sqrt of the sum of squares), all as plain Python numbers."""
    if array is None:
        return None
    array = np.asarray(array)
    summary = {}
    if array.size <= MAX_LISTED_VALUES:
        summary["values"] = _plain(array.tolist())
    if array.size:
        x = array.astype(np.float64)
        with np.errstate(all="ignore"):
            stats = (x.mean(), x.std(), x.min(), x.max(), np.sqrt((x * x).sum()))
        summary.update(zip(("mean", "std", "min", "max", "norm"), map(json_number, stats)))
    return summary


def _plain(values):
    """Nested lists from ``tolist()`` with non-finite floats made JSON-safe."""
    if isinstance(values, list):
        return [_plain(v) for v in values]
    if isinstance(values, float):
        return json_number(values)
    return values


def _node(t: Tensor, node_id: str, grad) -> dict:
    return {
        "id": node_id,
        "kind": kind_of(t),
        "op": t._op.describe() if t._op is not None else None,
        "name": t.name,
        "shape": [int(n) for n in t.shape],
        "dtype": str(t.dtype),
        "requires_grad": bool(t.requires_grad),
        "value": summarize(t.data),
        "grad": summarize(grad),
    }


def _fresh_grads(root: Tensor, order: list) -> dict:
    """Run backward from ``root`` (seed: ones) keeping every gradient, then put back the
    ``.grad`` and ``retain_grad`` state each tensor had."""
    if not root.requires_grad:
        return {id(t): None for t in order}
    saved = [(t, t.grad, t.retains_grad) for t in order]
    try:
        for t in order:
            t.grad = None
            if t._op is not None:
                t.retain_grad()
        backward(root, np.ones_like(root.data), retain_graph=True)
        return {id(t): t.grad for t in order}
    finally:
        for t, grad, retains in saved:
            t.grad, t._retains_grad = grad, retains
