"""A small graph expanded to single numbers: every multiply and add of a tiny network.

``graph(t, scalar_level=True)`` turns each tensor op into the scalar operations it performs. A
matmul ``out[i, j] = sum_k a[i, k] * b[k, j]`` becomes one ``*`` node per k and one ``+`` node that
adds them up; ``tanh`` becomes one ``tanh`` node per element; a reshape, transpose or index only
moves numbers around, so it adds no node (its output elements *are* its input's nodes).

Every edge carries its local derivative, d(target)/d(source), computed here in float64 from the
values (not taken from the engine's backward, so that tests can hold the two against each other).
Then a scalar backprop walks the nodes in reverse creation order:

    grad(node) = sum over the edges node -> user of grad(user) * local_grad(edge)

starting from 1 at the output's elements (for an output with several elements, the gradients
are those of their sum). The result (merged into ``graph()``'s dict)::

    "nodes":  [{"id": "s7", "op": "*", "kind": "op", "label": "x[0,1]*W1[1,1]", "value": 0.3,
                "grad": -0.02, "tensor": "t4", "index": [0, 1], "term": 1}, ...]
    "edges":  [{"source": "s2", "target": "s7", "input": 0, "local_grad": 0.5}, ...]
    "output_scalars":  ids of the output's elements (row-major)
    "forward_order":   ids in evaluation order (every node after its inputs)
    "backward_order":  the reverse, the order backprop visits them
    "tensor_elements": {"t4": nested list of scalar ids, one per element of tensor t4}

Leaves get ``op`` None and ``kind`` "input", "parameter" or "constant"; their label is
``name[i,j]`` (the tensor's name, else its id) or, for a constant, its value. ``term`` is k for
the k-th product inside a matmul or linear output element, None elsewhere.
"""

from __future__ import annotations

import math

import numpy as np

_SQRT_PI = math.sqrt(math.pi)


def json_number(v) -> float | str:
    """``float(v)``, or "NaN" / "Infinity" / "-Infinity", which JSON can carry as strings."""
    v = float(v)
    if math.isfinite(v):
        return v
    return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")


class ScalarGraph:
    """Scalar nodes under construction. A node is a number; ``inputs[n]`` lists the nodes it was
    computed from, each with the local derivative (source node, d(node)/d(source))."""

    def __init__(self, labels: dict, kinds: dict, tensor_ids: dict):
        self.labels, self.kinds, self.tensor_ids = labels, kinds, tensor_ids
        self.nodes: list[dict] = []
        self.values: list[float] = []
        self.inputs: list[list[tuple[int, float]]] = []
        self.elements: dict = {}  # id(tensor) -> int array (the tensor's shape) of node numbers

    def add(self, op, value, tensor, index, inputs, label=None, term=None) -> int:
        n = len(self.nodes)
        index = tuple(int(i) for i in index)
        if label is None:
            label = _element_label(self.labels[id(tensor)], index)
        self.nodes.append(
            {
                "id": f"s{n}",
                "op": op,
                "kind": self.kinds[id(tensor)] if op is None else "op",
                "label": label,
                "tensor": self.tensor_ids[id(tensor)],
                "index": list(index),
                "term": term,
            }
        )
        self.values.append(float(value))
        self.inputs.append([(int(source), float(local)) for source, local in inputs])
        return n

    def of(self, t) -> np.ndarray:
        """Node numbers of ``t``'s elements; a leaf's nodes are made on first use."""
        if id(t) not in self.elements:
            ids = np.empty(t.shape, dtype=np.int64)
            constant = self.kinds[id(t)] == "constant"
            for index in np.ndindex(t.shape):
                value = t.data[index]
                ids[index] = self.add(
                    None, value, t, index, [], label=f"{float(value):g}" if constant else None
                )
            self.elements[id(t)] = ids
        return self.elements[id(t)]

    def label(self, n: int) -> str:
        return self.nodes[n]["label"]


def _element_label(base: str, index: tuple) -> str:
    return f"{base}[{','.join(map(str, index))}]" if index else base


def backprop(inputs: list, seeds) -> list[float]:
    """Scalar reverse mode: visit nodes newest first, so a node has heard from all of its users
    before it passes its own gradient on to its inputs."""
    grads = [0.0] * len(inputs)
    for s in seeds:
        grads[int(s)] += 1.0
    for node in reversed(range(len(inputs))):
        for source, local in inputs[node]:
            grads[source] += grads[node] * local
    return grads


# ----- routing: ops that only move numbers (no new node) ------------------------------------------
def _reshape(g, out, op):
    return g.of(op.parents[0]).reshape(out.shape)


def _expand(g, out, op):
    return np.broadcast_to(g.of(op.parents[0]), out.shape)


def _permute(g, out, op):
    return np.transpose(g.of(op.parents[0]), op.axes)


def _getitem(g, out, op):
    return np.asarray(g.of(op.parents[0])[op.index])


def _same(g, out, op):
    return g.of(op.parents[0])


def _concatenate(g, out, op):
    return np.concatenate([g.of(p) for p in op.parents], axis=op.axis)


def _where(g, out, op):
    return np.where(op.cond, *(np.broadcast_to(g.of(p), out.shape) for p in op.parents))


# ----- element-wise ------------------------------------------------------------------------------
def _binary(symbol, local):
    """out[i] = a[i'] op b[i''], the inputs broadcast to the output's shape; ``local(a, b)`` gives
    (d out/d a, d out/d b)."""

    def expand(g, out, op):
        a_ids, b_ids = (np.broadcast_to(g.of(p), out.shape) for p in op.parents)
        result = np.empty(out.shape, dtype=np.int64)
        for index in np.ndindex(out.shape):
            a, b = a_ids[index], b_ids[index]
            da, db = local(g.values[a], g.values[b])
            result[index] = g.add(symbol, out.data[index], out, index, [(a, da), (b, db)])
        return result

    return expand


def _maximum_share(a, b):
    share = 1.0 if a > b else (0.5 if a == b else 0.0)  # a tie splits the gradient, as in PyTorch
    return share, 1.0 - share


def _pow_derivative(x, y, op):
    with np.errstate(all="ignore"):  # x < 0 with a fractional p gives nan, as in the engine
        return float(op.p * np.power(np.float64(x), op.p - 1))


def _clip_derivative(x, y, op):
    inside = (op.low is None or x >= op.low) and (op.high is None or x <= op.high)
    return float(inside)


#: d y / d x for y = f(x), from the input x and the output y.
UNARY_DERIVATIVES = {
    "tanh": lambda x, y, op: 1.0 - y * y,
    "sigmoid": lambda x, y, op: y * (1.0 - y),
    "relu": lambda x, y, op: float(y > 0),
    "exp": lambda x, y, op: y,
    "log": lambda x, y, op: 1.0 / x if x else math.inf,
    "abs": lambda x, y, op: float(np.sign(x)),
    "erf": lambda x, y, op: 2.0 / _SQRT_PI * math.exp(-x * x),
    "pow": _pow_derivative,
    "clip": _clip_derivative,
}


def _unary(g, out, op):
    x_ids, derivative, symbol = g.of(op.parents[0]), UNARY_DERIVATIVES[op.name], op.describe()
    result = np.empty(out.shape, dtype=np.int64)
    for index in np.ndindex(out.shape):
        x, y = g.values[x_ids[index]], float(out.data[index])
        result[index] = g.add(symbol, y, out, index, [(x_ids[index], derivative(x, y, op))])
    return result


# ----- matrix products ---------------------------------------------------------------------------
def _sum_of_products(g, out, value, index, pairs, bias=None) -> int:
    """out[index] = sum_k a_k * b_k (+ bias): one ``*`` node per k and one ``+`` node over them
    (no ``+`` when there is a single term)."""
    single = len(pairs) + (bias is not None) == 1
    if single and bias is not None:
        return bias
    terms = []
    for k, (a, b) in enumerate(pairs):
        va, vb = g.values[a], g.values[b]
        local = [(a, vb), (b, va)]  # d(a*b)/da = b, d(a*b)/db = a
        if single:
            return g.add("*", value, out, index, local)
        label = f"{g.label(a)}*{g.label(b)}"
        terms.append(g.add("*", va * vb, out, index, local, label=label, term=k))
    if bias is not None:
        terms.append(bias)
    return g.add("+", value, out, index, [(t, 1.0) for t in terms])


def _matmul(g, out, op):
    """out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]; a 1-D a is a row, a 1-D b a column."""
    a, b = (g.of(p) for p in op.parents)
    a = a[None, :] if a.ndim == 1 else a
    b = b[:, None] if b.ndim == 1 else b
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    (M, K), N = a.shape[-2:], b.shape[-1]
    a, b = np.broadcast_to(a, batch + (M, K)), np.broadcast_to(b, batch + (K, N))
    result = np.empty(batch + (M, N), dtype=np.int64)
    for index, out_index in zip(np.ndindex(result.shape), np.ndindex(out.shape)):
        *bi, i, j = index
        pairs = [(a[(*bi, i, k)], b[(*bi, k, j)]) for k in range(K)]
        value = out.data[out_index]
        result[index] = _sum_of_products(g, out, value, out_index, pairs)
    return result.reshape(out.shape)


def _linear(g, out, op):
    """out[r, j] = sum_k x[r, k] * W[j, k] + b[j]   (x's leading axes flattened into r)."""
    x, W = g.of(op.parents[0]), g.of(op.parents[1])
    b = g.of(op.parents[2]) if len(op.parents) > 2 else None
    N, K = W.shape
    x = x.reshape(-1, K)
    result = np.empty((x.shape[0], N), dtype=np.int64)
    for (r, j), out_index in zip(np.ndindex(result.shape), np.ndindex(out.shape)):
        pairs = [(x[r, k], W[j, k]) for k in range(K)]
        bias = None if b is None else b[j]
        value = out.data[out_index]
        result[r, j] = _sum_of_products(g, out, value, out_index, pairs, bias)
    return result.reshape(out.shape)


# ----- reductions --------------------------------------------------------------------------------
def _groups(ids, axes):
    """``ids`` with the reduced axes moved last and flattened: shape (kept..., n)."""
    kept = [d for d in range(ids.ndim) if d not in axes]
    moved = np.transpose(ids, kept + list(axes))
    return moved.reshape(moved.shape[: len(kept)] + (-1,))


def _reduction(symbol, local):
    """One node per output element over its group of inputs; ``local(values)`` gives the
    derivatives. A group of one element is passed through (no node)."""

    def expand(g, out, op):
        groups = _groups(g.of(op.parents[0]), op.axes)
        result = np.empty(groups.shape[:-1], dtype=np.int64)
        for index, out_index in zip(np.ndindex(result.shape), np.ndindex(out.shape)):
            members = groups[index]
            if len(members) == 1:
                result[index] = members[0]
                continue
            derivatives = local([g.values[m] for m in members])
            result[index] = g.add(
                symbol, out.data[out_index], out, out_index, zip(members, derivatives)
            )
        return result.reshape(out.shape)

    return expand


def _max_share(values):
    top = max(values)
    winners = sum(v == top for v in values)  # ties share the gradient evenly
    return [(v == top) / winners for v in values]


# ----- row-wise and fused ops --------------------------------------------------------------------
def _rowwise(g, out, op):
    """softmax / log_softmax: each output element depends on every element of its row.
    softmax: dy_i/dx_j = y_i * (delta_ij - y_j); log_softmax: dy_i/dx_j = delta_ij - exp(y_j)."""
    axis = op.axis % max(out.ndim, 1)
    x = np.moveaxis(g.of(op.parents[0]), axis, -1)
    y = np.moveaxis(out.data.astype(np.float64), axis, -1)
    where = np.moveaxis(np.arange(out.data.size).reshape(out.shape), axis, -1)
    result = np.empty(x.shape, dtype=np.int64)
    for row in np.ndindex(x.shape[:-1]):
        ys = y[row]
        for i in range(len(ys)):
            if op.name == "softmax":
                local = [ys[i] * ((i == j) - ys[j]) for j in range(len(ys))]
            else:
                local = [(i == j) - math.exp(ys[j]) for j in range(len(ys))]
            out_index = np.unravel_index(where[(*row, i)], out.shape)
            result[(*row, i)] = g.add(op.name, ys[i], out, out_index, zip(x[row], local))
    return np.moveaxis(result, -1, axis)


def _per_element_or_total(g, out, op, x_groups, local, scale):
    """Loss nodes: with reduction 'none' one node per group of logits, else one node over all,
    its local derivatives multiplied by ``scale``."""
    if op.reduction == "none":
        result = np.empty(len(x_groups), dtype=np.int64)
        for r, out_index in enumerate(np.ndindex(out.shape)):
            result[r] = g.add(
                op.name, out.data[out_index], out, out_index, zip(x_groups[r], local[r])
            )
        return result.reshape(out.shape)
    pairs = zip(x_groups.reshape(-1), local.reshape(-1) * scale)
    return np.asarray(g.add(op.name, out.data, out, (), pairs))


def _bce_with_logits(g, out, op):
    """d loss_i / d x_i = w_i * (pw * y_i * (sigmoid(x_i) - 1) + (1 - y_i) * sigmoid(x_i))."""
    x = op.x.astype(np.float64)
    y = op.target.astype(np.float64)
    w = 1.0 if op.weight is None else op.weight.astype(np.float64)
    pw = 1.0 if op.pos_weight is None else op.pos_weight.astype(np.float64)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))  # sigmoid(x), without overflow
    local = np.broadcast_to(w * (pw * y * (s - 1.0) + (1.0 - y) * s), x.shape)
    scale = 1.0 / x.size if op.reduction == "mean" else 1.0
    ids = g.of(op.parents[0]).reshape(-1, 1)
    return _per_element_or_total(g, out, op, ids, local.reshape(-1, 1), scale)


def _cross_entropy(g, out, op):
    """Per row r with class y_r, p = softmax(logits_r), smoothing s, C classes, weights w:
    d loss_r / d logits_r = (1 - s) * w[y_r] * (p - onehot(y_r)) + (s / C) * (sum(w) * p - w)."""
    x = g.of(op.parents[0])
    x = x[None] if x.ndim == 1 else x
    C = x.shape[1]
    rows = np.moveaxis(x, 1, -1).reshape(-1, C)  # (N * d1 * ..., C), as the op sees them
    p = np.exp(op.logp.astype(np.float64))
    w_y = op.w_y.astype(np.float64)
    local = p * w_y[:, None]
    local[np.arange(len(rows)), op.t] -= w_y
    local *= 1.0 - op.smoothing
    if op.smoothing:
        w = np.ones(C) if op.weight is None else op.weight.astype(np.float64)
        local += (op.smoothing / C) * (w.sum() * p - w) * op.valid[:, None]
    scale = 1.0 / float(op.denominator) if op.reduction == "mean" else 1.0
    return _per_element_or_total(g, out, op, rows, local, scale)


# ----- the table ---------------------------------------------------------------------------------
def _inner(op):
    return op.parents[0].shape[-1] if op.parents[0].ndim else 1


def _count_matmul(out, op):
    K = _inner(op)
    return out.size * (K + (K != 1))


def _count_linear(out, op):
    K, has_bias = _inner(op), len(op.parents) > 2
    return out.size * (K + (K + has_bias != 1))


def _count_reduction(out, op):
    n = math.prod(op.parents[0].shape[a] for a in op.axes)
    return out.size * (n != 1)


def _no_nodes(out, op):
    return 0


def _one_per_element(out, op):
    return out.size


#: op name -> (number of nodes it adds, expansion). An expansion returns the node numbers of the
#: output's elements, in the output's shape.
RULES = {
    "add": (_one_per_element, _binary("+", lambda a, b: (1.0, 1.0))),
    "mul": (_one_per_element, _binary("*", lambda a, b: (b, a))),
    "maximum": (_one_per_element, _binary("maximum", _maximum_share)),
    **{name: (_one_per_element, _unary) for name in UNARY_DERIVATIVES},
    "matmul": (_count_matmul, _matmul),
    "linear": (_count_linear, _linear),
    "sum": (_count_reduction, _reduction("+", lambda values: [1.0] * len(values))),
    "max": (_count_reduction, _reduction("max", _max_share)),
    "softmax": (_one_per_element, _rowwise),
    "log_softmax": (_one_per_element, _rowwise),
    "bce_with_logits": (_one_per_element, _bce_with_logits),
    "cross_entropy": (_one_per_element, _cross_entropy),
    "reshape": (_no_nodes, _reshape),
    "expand": (_no_nodes, _expand),
    "permute": (_no_nodes, _permute),
    "getitem": (_no_nodes, _getitem),
    "cast": (_no_nodes, _same),
    "concatenate": (_no_nodes, _concatenate),
    "where": (_no_nodes, _where),
}

#: Ops whose later inputs (targets, weights) are data: only the logits get scalar nodes.
_DATA_AFTER_FIRST = {"bce_with_logits", "cross_entropy"}


def _expanded_inputs(op):
    return op.parents[:1] if op.name in _DATA_AFTER_FIRST else op.parents


def count_scalar_nodes(order, root, tensor_ids) -> int:
    """How many nodes the expansion makes, from the shapes alone (nothing is built)."""
    total, leaves = 0, {}
    if root._op is None:
        leaves[id(root)] = root.data.size
    for t in order:
        op = t._op
        if op is None:
            continue
        if op.name not in RULES:
            raise ValueError(
                f"graph(scalar_level=True): op {op.describe()!r} (which made tensor "
                f"{tensor_ids[id(t)]}) has no scalar-level expansion. Supported ops: "
                f"{', '.join(sorted(RULES))}. Use scalar_level=False to see the tensor-level graph."
            )
        total += RULES[op.name][0](t.data, op)
        for parent in _expanded_inputs(op):
            if parent._op is None:
                leaves[id(parent)] = parent.data.size
    return total + sum(leaves.values())


def expand_to_scalars(order, root, tensor_ids, labels, kinds, max_nodes: int) -> dict:
    """The scalar-level graph of ``root`` (``order``: its tensors, inputs first)."""
    count = count_scalar_nodes(order, root, tensor_ids)
    if count > max_nodes:
        raise ValueError(
            f"graph(scalar_level=True): this graph would have {count} scalar nodes, more than "
            f"max_scalar_nodes={max_nodes}. Use a smaller network (fewer examples, inputs or "
            "neurons), raise max_scalar_nodes, or use scalar_level=False for the tensor-level "
            "graph."
        )
    g = ScalarGraph(labels, kinds, tensor_ids)
    for t in order:
        if t._op is not None:
            ids = RULES[t._op.name][1](g, t, t._op)
            g.elements[id(t)] = np.asarray(ids).reshape(t.shape)
    outputs = g.of(root).reshape(-1)
    grads = backprop(g.inputs, outputs)
    for node, value, grad in zip(g.nodes, g.values, grads):
        node["value"], node["grad"] = json_number(value), json_number(grad)
    edges = [
        {"source": f"s{source}", "target": f"s{n}", "input": i, "local_grad": json_number(local)}
        for n, inputs in enumerate(g.inputs)
        for i, (source, local) in enumerate(inputs)
    ]
    forward = [node["id"] for node in g.nodes]
    return {
        "nodes": g.nodes,
        "edges": edges,
        "output_scalars": [f"s{n}" for n in outputs],
        "forward_order": forward,
        "backward_order": forward[::-1],
        "tensor_elements": {
            tensor_ids[key]: np.vectorize(lambda n: f"s{n}", otypes=[object])(ids).tolist()
            for key, ids in g.elements.items()
        },
    }
