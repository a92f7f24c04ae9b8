"""Why backward must go in reverse topological order: a node used twice.

    b = a + a        c = b * b        so c = 4 a^2 and dc/da = 8 a

The graph comes from the engine (``neuronlab.graph(c, scalar_level=True)``: nodes a, b, c, two
edges a -> b and two edges b -> c, each with its local derivative). Two schedules then push
gradients along those edges, both written here as an experiment (the engine is never broken):

* ``topological``: visit the nodes in reverse topological order (the engine's backward order);
  a node hands its gradient to its inputs only when it is visited, after all its users.
* ``eager``: follow edges depth-first from the output, and let a node hand its gradient on the
  moment the first contribution reaches it (a naive recursive walk). ``b`` passes on after
  hearing from one of ``c``'s two edges, so ``a`` receives half of what it should.
"""

from __future__ import annotations

import neuronlab as nl


def _graph(a_value: float):
    a = nl.Tensor(a_value, dtype="float64", requires_grad=True, name="a")
    b = a + a
    b.name = "b"
    c = b * b
    c.name = "c"
    g = nl.graph(c, scalar_level=True)
    c.backward()  # teaching: the engine's own answer for the node used twice
    return g, float(a.grad.item())


def _edges_into(g) -> dict[str, list[dict]]:
    into = {n["id"]: [] for n in g["nodes"]}
    for e in g["edges"]:
        into[e["target"]].append(e)
    return into


def _topological(g, into, grads, log):
    for key in g["backward_order"]:
        for e in into[key]:
            _deliver(e, grads, log)


def _eager(g, into, grads, log):
    passed_on = set()

    def visit(key):
        passed_on.add(key)
        for e in into[key]:
            _deliver(e, grads, log)
            if e["source"] not in passed_on:
                visit(e["source"])  # hands on now, before its other users have reported

    for key in g["output_scalars"]:
        visit(key)


def _deliver(edge, grads, log):
    amount = grads[edge["target"]] * edge["local_grad"]
    grads[edge["source"]] += amount
    log.append(
        {
            "from": edge["target"],
            "to": edge["source"],
            "user_grad": grads[edge["target"]],
            "local_grad": edge["local_grad"],
            "amount": amount,
            "total": grads[edge["source"]],
        }  # fmt: skip
    )


def topo_order(a: float, order: str) -> dict:
    """Run one schedule on the b = a + a, c = b * b graph; report every delivery and dc/da."""
    g, engine_grad = _graph(a)
    into = _edges_into(g)
    grads = {n["id"]: 0.0 for n in g["nodes"]}
    for key in g["output_scalars"]:
        grads[key] = 1.0
    log: list[dict] = []
    (_topological if order == "topological" else _eager)(g, into, grads, log)
    labels = {n["id"]: n["label"] for n in g["nodes"]}
    a_id = next(n["id"] for n in g["nodes"] if n["label"] == "a")
    for entry in log:
        entry["from_label"], entry["to_label"] = labels[entry["from"]], labels[entry["to"]]
    return {
        "order": order,
        "a": a,
        "nodes": [{"id": n["id"], "label": n["label"], "value": n["value"]} for n in g["nodes"]],
        "edges": g["edges"],
        "deliveries": log,
        "grads": {labels[k]: v for k, v in grads.items()},
        "grad_a": grads[a_id],
        "engine_grad_a": engine_grad,
        "exact": 8.0 * a,
        "correct": abs(grads[a_id] - 8.0 * a) <= 1e-9 * max(1.0, abs(8.0 * a)),
    }
