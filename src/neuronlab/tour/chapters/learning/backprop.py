"""Backpropagation step by step on a 2-2-1 network, and a numeric gradient check.

The network is the one of ``docs/math/backprop.md``::

    a = W1 x + b1      h = tanh(a)      z = W2 h + b2      p = sigmoid(z)      L = (p - y)^2

built from real ``neuronlab`` tensors in float64. ``backprop_graph`` returns the engine's
scalar-level graph (``neuronlab.graph(loss, scalar_level=True)``): every multiply and add as a
node with its value and gradient, every edge with its local derivative, plus a walk through it,
one step per node, forward then backward, that the web page and the terminal replay.
``gradient_check`` sets backprop's gradients beside central differences.
"""

from __future__ import annotations

import numpy as np

import neuronlab as nl

from ...frames import table

# ----- the network and its parameters ---------------------------------------------------------
DEFAULTS = {
    "x1": 0.5, "x2": -1.0, "y": 1.0,
    "w11": 0.1, "w12": 0.2, "w21": -0.3, "w22": 0.4, "b11": 0.01, "b12": -0.02,
    "v1": 0.5, "v2": -0.6, "c": 0.05,
}  # fmt: skip

_LABELS = {
    "x1": "input x₀", "x2": "input x₁", "y": "target y",
    "w11": "weight W1₀₀", "w12": "weight W1₀₁", "w21": "weight W1₁₀", "w22": "weight W1₁₁",
    "b11": "bias b1₀", "b12": "bias b1₁", "v1": "weight W2₀₀", "v2": "weight W2₀₁",
    "c": "bias b2₀",
}  # fmt: skip


def build_net(x1, x2, y, w11, w12, w21, w22, b11, b12, v1, v2, c) -> dict:
    """The 2-2-1 network's tensors (float64, named so that graph labels read like the maths)."""

    def param(values, name):
        return nl.Tensor(values, dtype="float64", requires_grad=True, name=name)

    return {
        "x": nl.Tensor([x1, x2], dtype="float64", name="x"),
        "neg_y": nl.Tensor([-y], dtype="float64", name="-y"),
        "W1": param([[w11, w12], [w21, w22]], "W1"),
        "b1": param([b11, b12], "b1"),
        "W2": param([[v1, v2]], "W2"),
        "b2": param([c], "b2"),
    }


def forward(net: dict, W1=None, b1=None, W2=None, b2=None):
    """The loss L = (sigmoid(W2 tanh(W1 x + b1) + b2) - y)^2 as a one-element tensor."""
    W1 = net["W1"] if W1 is None else W1
    b1 = net["b1"] if b1 is None else b1
    W2 = net["W2"] if W2 is None else W2
    b2 = net["b2"] if b2 is None else b2
    names = {}

    def named(t, name):
        t.name = name
        names[name] = t
        return t

    a = named(named(W1 @ net["x"], "W1x") + b1, "a")  # (2,)
    h = named(a.tanh(), "h")  # (2,)
    z = named(named(W2 @ h, "W2h") + b2, "z")  # (1,)
    p = named(z.sigmoid(), "p")  # (1,)
    d = named(p + net["neg_y"], "p-y")  # (1,) the error
    return named(d**2, "L").sum()  # a single number


# ----- the graph and the walk through it ------------------------------------------------------
def _layout(nodes: list[dict], edges: list[dict]) -> dict[str, list[float]]:
    """Column = longest path from a leaf; leaves sit one column left of their first user."""
    inputs: dict[str, list[str]] = {n["id"]: [] for n in nodes}
    users: dict[str, list[str]] = {n["id"]: [] for n in nodes}
    for e in edges:
        inputs[e["target"]].append(e["source"])
        users[e["source"]].append(e["target"])
    column: dict[str, int] = {}
    for n in nodes:  # topological order: inputs come first
        ins = inputs[n["id"]]
        column[n["id"]] = 1 + max(column[i] for i in ins) if ins else 0
    for n in nodes:
        if not inputs[n["id"]] and users[n["id"]]:
            column[n["id"]] = max(0, min(column[u] for u in users[n["id"]]) - 1)
    columns: dict[int, list[str]] = {}
    for n in nodes:
        columns.setdefault(column[n["id"]], []).append(n["id"])
    y = {key: (i + 0.5) / len(ids) for ids in columns.values() for i, key in enumerate(ids)}
    for _ in range(4):  # barycentre sweeps: each node towards the mean height of its neighbours
        for col in sorted(columns):
            ids = columns[col]
            near = {k: [y[j] for j in inputs[k] + users[k]] or [y[k]] for k in ids}
            ids.sort(key=lambda k: sum(near[k]) / len(near[k]))
            for i, key in enumerate(ids):
                y[key] = (i + 0.5) / len(ids)
    return {key: [column[key], y[key]] for key in column}


def _walk(nodes: dict, edges: list[dict], forward_order, backward_order, output) -> list[dict]:
    """One step per node: forward (its value), then backward (its gradient from its users)."""
    into = {key: [] for key in nodes}
    out_of = {key: [] for key in nodes}
    for e in edges:
        into[e["target"]].append(e)
        out_of[e["source"]].append(e)
    steps = []
    for key in forward_order:
        node = nodes[key]
        steps.append(
            {
                "phase": "forward",
                "node": key,
                "value": node["value"],
                "inputs": [[e["source"], nodes[e["source"]]["value"]] for e in into[key]],
            }
        )
    for key in backward_order:
        node = nodes[key]
        terms = [
            {
                "user": e["target"],
                "user_grad": nodes[e["target"]]["grad"],
                "local_grad": e["local_grad"],
                "product": nodes[e["target"]]["grad"] * e["local_grad"],
            }
            for e in out_of[key]
        ]
        steps.append(
            {
                "phase": "backward",
                "node": key,
                "grad": node["grad"],
                "terms": terms,
                "seed": key in output,
            }  # fmt: skip
        )
    return steps


def backprop_graph(**params) -> dict:
    """The 2-2-1 network as the engine's scalar graph, laid out, with a step-by-step walk."""
    net = build_net(**params)
    loss = forward(net)
    loss.backward(retain_graph=True)
    g = nl.graph(loss, scalar_level=True)
    nodes = {n["id"]: n for n in g["nodes"]}
    place = _layout(g["nodes"], g["edges"])
    for key, n in nodes.items():
        n["x"], n["y"] = place[key]
    steps = _walk(nodes, g["edges"], g["forward_order"], g["backward_order"], g["output_scalars"])
    engine = {name: net[name].grad.tolist() for name in ("W1", "b1", "W2", "b2")}
    tensor_of = {t["name"]: t["id"] for t in g["tensors"]["nodes"] if t["name"]}
    elements = {name: g["tensor_elements"][tensor_of[name]] for name in ("W1", "b1", "W2", "b2")}
    return {
        "nodes": g["nodes"],
        "edges": g["edges"],
        "forward_order": g["forward_order"],
        "backward_order": g["backward_order"],
        "output": g["output_scalars"],
        "steps": steps,
        "loss": float(loss.item()),
        "engine_grads": engine,
        "param_nodes": elements,
        "columns": 1 + max(p[0] for p in place.values()),
        "walk": walk_table(nodes, g["forward_order"], g["backward_order"]),
    }


def walk_table(nodes: dict, forward_order: list, backward_order: list) -> dict:
    """The whole walk as one table, a row per node in forward order: what the forward pass
    computed there and the gradient the backward pass delivered, with the step of each."""
    back_step = {key: i + 1 for i, key in enumerate(backward_order)}
    rows = []
    for i, key in enumerate(forward_order, start=1):
        node = nodes[key]
        rows.append([i, node["label"], node["op"] or node["kind"], node["value"], back_step[key],
                     node["grad"]])  # fmt: skip
    return table(["forward step", "node", "op", "value", "backward step", "dL/d(node)"], rows,
                 title="Forward values and backward gradients, node by node")  # fmt: skip


# ----- the gradient check ---------------------------------------------------------------------
def relative_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a - b| / max(|a|, |b|), and 0 where both are 0."""
    scale = np.maximum(np.abs(a), np.abs(b))
    return np.where(scale > 0, np.abs(a - b) / np.where(scale > 0, scale, 1.0), 0.0)


def gradient_check(eps: float = 1e-6, **params) -> dict:
    """Backprop's gradient of every parameter beside its central-difference estimate."""
    net = build_net(**params)
    names = ("W1", "b1", "W2", "b2")
    loss = forward(net)
    loss.backward()  # teaching: the gradients under test, beside central differences
    tensors = [net[name] for name in names]
    numeric = nl.numerical_gradients(
        lambda *ts: forward(net, *ts), [t.detach().requires_grad_() for t in tensors], eps=eps
    )
    rows = []
    for name, t, num in zip(names, tensors, numeric):
        for index in np.ndindex(t.shape):
            back, est = float(t.grad[index]), float(num[index])
            label = f"{name}[{','.join(map(str, index))}]"
            rows.append([label, back, est, float(relative_error(np.array(back), np.array(est)))])
    worst = max(r[3] for r in rows)
    title = f"Gradient check, central differences with eps = {eps:g}"
    return {
        "table": table(["parameter", "backprop", "numerical", "relative error"], rows, title),
        "eps": eps,
        "max_relative_error": worst,
        "loss": float(loss.item()),
    }
