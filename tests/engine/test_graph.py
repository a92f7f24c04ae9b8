"""``neuronlab.graph``: the tensor-level graph, its scalar-level expansion and the backprop doc."""

from __future__ import annotations

import json
import re
import runpy
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra import numpy as hnp

import neuronlab as nl
from neuronlab.engine import REGISTRY, Function
from neuronlab.engine.graph import graph, tensor_order
from neuronlab.engine.graph_scalar import RULES

ROOT = Path(__file__).resolve().parents[2]
linear = REGISTRY["linear"].apply
bce_with_logits = REGISTRY["bce_with_logits"].apply
cross_entropy = REGISTRY["cross_entropy"].apply


# ----- helpers -----------------------------------------------------------------------------------
def two_two_one(dtype="float32", fused=False):
    """A 2-2-1 network on one example: tanh hidden layer; sigmoid + MSE built from primitives, or
    the fused linear op and bce_with_logits. Returns (loss, parameters by name, hidden)."""
    x = nl.Tensor([[0.5, -1.0]], dtype=dtype, name="x")
    y = nl.Tensor([[1.0]], dtype=dtype, name="y")
    params = {
        "W1": nl.Tensor([[0.1, 0.2], [-0.3, 0.4]], dtype=dtype, requires_grad=True, name="W1"),
        "b1": nl.Tensor([0.01, -0.02], dtype=dtype, requires_grad=True, name="b1"),
        "W2": nl.Tensor([[0.5, -0.6]], dtype=dtype, requires_grad=True, name="W2"),
        "b2": nl.Tensor([0.05], dtype=dtype, requires_grad=True, name="b2"),
    }
    W1, b1, W2, b2 = params.values()
    if fused:
        h = linear(x, W1, b1).tanh()
        loss = bce_with_logits(linear(h, W2, b2), y)
    else:
        h = (x @ W1.T + b1).tanh()
        p = (h @ W2.T + b2).sigmoid()
        loss = ((p - y) ** 2).mean()
    h.name = "h"
    return loss, params, h


def by_id(result):
    return {node["id"]: node for node in result["nodes"]}


def tensor_id(result, name):
    nodes = result["tensors"]["nodes"] if result["level"] == "scalar" else result["nodes"]
    (found,) = [node["id"] for node in nodes if node["name"] == name]
    return found


def scalar_grads(result, name):
    """The scalar graph's gradients for the elements of the tensor called ``name``."""
    nodes = by_id(result)
    ids = np.array(result["tensor_elements"][tensor_id(result, name)], dtype=object)
    return np.array([nodes[s]["grad"] for s in ids.ravel()], dtype=float).reshape(ids.shape)


def torch_two_two_one(fused):
    import torch
    _, params, _ = two_two_one("float64")
    t = {k: torch.tensor(v.data, requires_grad=True) for k, v in params.items()}
    x = torch.tensor([[0.5, -1.0]], dtype=torch.float64)
    y = torch.tensor([[1.0]], dtype=torch.float64)
    h = torch.tanh(x @ t["W1"].T + t["b1"])
    z = h @ t["W2"].T + t["b2"]
    if fused:
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
    else:
        loss = ((torch.sigmoid(z) - y) ** 2).mean()
    loss.backward()
    return {k: v.grad.numpy() for k, v in t.items()}


# ----- the tensor-level graph --------------------------------------------------------------------
def test_two_two_one_tensor_graph_counts_kinds_and_order():
    loss, params, _ = two_two_one()
    g = graph(loss)
    # leaves x, W1, b1, W2, b2, -y (computed without grad, so a leaf), the 1/n of mean;
    # ops: 2 x (permute, matmul, add), tanh, sigmoid, add (p - y), pow, sum, mul (mean)
    assert (len(g["nodes"]), len(g["edges"])) == (19, 18)
    assert g["level"] == "tensor" and g["output"] == g["nodes"][-1]["id"]
    kinds = [node["kind"] for node in g["nodes"]]
    assert kinds.count("parameter") == 4 and kinds.count("op") == 12
    assert kinds.count("constant") == 1 and kinds.count("input") == 2
    ops = [node["op"] for node in g["nodes"] if node["kind"] == "op"]
    assert ops.count("matmul") == 2 and "pow(2)" in ops and ops[-1] == "mul"
    position = {node["id"]: i for i, node in enumerate(g["nodes"])}
    assert all(position[e["source"]] < position[e["target"]] for e in g["edges"])
    w1 = g["nodes"][position[tensor_id(g, "W1")]]
    assert w1["shape"] == [2, 2] and w1["dtype"] == "float32" and w1["requires_grad"]
    assert w1["value"]["values"] == params["W1"].data.tolist() and w1["grad"] is None
    assert g["nodes"][-1]["value"]["values"] == pytest.approx(loss.item())


def test_fused_tensor_graph_counts():
    loss, _, _ = two_two_one(fused=True)
    g = graph(loss)
    # x, W1, b1, linear, tanh, W2, b2, linear, y, bce_with_logits; edges 3 + 1 + 3 + 2
    assert (len(g["nodes"]), len(g["edges"])) == (10, 9)
    assert [n["op"] for n in g["nodes"] if n["op"]] == [
        "linear",
        "tanh",
        "linear",
        "bce_with_logits",
    ]


def test_graph_is_json_and_is_exposed_lazily():
    loss, _, _ = two_two_one()
    assert nl.graph is graph
    for result in (graph(loss), graph(loss, scalar_level=True), graph(loss, compute_grads=True)):
        assert json.loads(json.dumps(result, allow_nan=False)) == result


def test_summaries_list_small_tensors_and_give_statistics_for_large_ones():
    big = nl.tensor(np.arange(20.0).reshape(4, 5), requires_grad=True)
    node = graph(big * 2.0)["nodes"][0]
    assert "values" not in node["value"]
    assert node["value"]["mean"] == pytest.approx(9.5) and node["value"]["max"] == 19.0
    assert node["value"]["std"] == pytest.approx(np.arange(20.0).std())
    assert node["value"]["norm"] == pytest.approx(np.linalg.norm(np.arange(20.0)))
    odd = graph(nl.tensor([np.nan, np.inf, 1.0]))["nodes"][0]["value"]
    assert odd["values"] == ["NaN", "Infinity", 1.0]
    json.dumps(odd, allow_nan=False)


def test_leaf_grads_after_backward_with_retain_graph():
    loss, params, h = two_two_one()
    h.retain_grad()
    loss.backward(retain_graph=True)
    nodes = by_id(g := graph(loss))
    assert nodes[tensor_id(g, "W1")]["grad"]["values"] == params["W1"].grad.tolist()
    assert nodes[tensor_id(g, "h")]["grad"]["values"] == h.grad.tolist()
    assert nodes[tensor_id(g, "x")]["grad"] is None


def test_released_graph_says_to_retain_it():
    loss, _, _ = two_two_one()
    loss.backward()
    with pytest.raises(RuntimeError, match=r"backward\(retain_graph=True\)"):
        graph(loss)


def test_compute_grads_fills_every_node_and_restores_grads():
    loss, params, h = two_two_one()
    sentinel = np.full((2, 2), 7.0, dtype=np.float32)
    params["W1"].grad = sentinel
    g = graph(loss, compute_grads=True)
    assert params["W1"].grad is sentinel and params["b1"].grad is None
    assert h.grad is None and not h._retains_grad
    assert all(n["grad"] is not None for n in g["nodes"] if n["requires_grad"])

    reference, ref_params, ref_h = two_two_one()
    ref_h.retain_grad()
    reference.backward()
    nodes = by_id(g)
    assert nodes[tensor_id(g, "h")]["grad"]["values"] == ref_h.grad.tolist()
    assert nodes[tensor_id(g, "W1")]["grad"]["values"] == ref_params["W1"].grad.tolist()
    assert nodes[g["output"]]["grad"]["values"] == 1.0


def test_node_used_twice_has_two_edges_and_gradient_8a():
    a = nl.tensor(3.0, requires_grad=True)
    b = a + a
    c = b * b
    g = graph(c, compute_grads=True)
    assert [(e["source"], e["target"], e["input"]) for e in g["edges"]] == [
        ("t0", "t1", 0),
        ("t0", "t1", 1),
        ("t1", "t2", 0),
        ("t1", "t2", 1),
    ]
    assert [n["grad"]["values"] for n in g["nodes"]] == [24.0, 12.0, 1.0]  # 8a, 2b, 1

    s = graph(c, scalar_level=True)
    assert [n["grad"] for n in s["nodes"]] == [24.0, 12.0, 1.0]
    assert [(e["source"], e["target"], e["local_grad"]) for e in s["edges"]] == [
        ("s0", "s1", 1.0),
        ("s0", "s1", 1.0),
        ("s1", "s2", 6.0),
        ("s1", "s2", 6.0),
    ]


def test_ten_thousand_op_chain_without_recursion():
    x = nl.tensor([0.5], requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y.tanh()
    g = graph(y)
    assert len(g["nodes"]) == 10_001 and len(g["edges"]) == 10_000
    assert len(tensor_order(y)) == 10_001
    with pytest.raises(ValueError, match="would have 10001 scalar nodes"):
        graph(y, scalar_level=True)


# ----- the scalar-level graph --------------------------------------------------------------------
def test_scalar_graph_of_two_two_one_counts():
    loss, _, _ = two_two_one()
    s = graph(loss, scalar_level=True)
    # leaves: W1 4, x 2, b1 2, W2 2, b2 1, -y 1, 1/n 1 = 13; matmul 2 x (2 '*' + 1 '+'),
    # add 2, tanh 2, matmul 2 '*' + 1 '+', add, sigmoid, add, pow, mul: 18 (the sum of a
    # single element adds no node)
    assert s["level"] == "scalar" and len(s["nodes"]) == 31
    assert sum(n["op"] is None for n in s["nodes"]) == 13
    assert len(s["tensors"]["nodes"]) == 19 and s["output"] == s["tensors"]["nodes"][-1]["id"]
    labels = {n["label"] for n in s["nodes"]}
    assert {"W1[0,1]", "b2[0]", "x[0,0]", "x[0,1]*W1[1,1]", "1"} <= labels
    fused, _, _ = two_two_one(fused=True)
    # leaves: x 2, W1 4, b1 2, W2 2, b2 1 (targets are data: no nodes); linear 2 x (2 '*' + 1 '+'),
    # tanh 2, linear 2 '*' + 1 '+', the loss 1
    assert len(graph(fused, scalar_level=True)["nodes"]) == 23


@pytest.mark.parametrize("fused", [False, True], ids=["primitives+mse", "linear+bce"])
def test_scalar_leaf_grads_equal_engine_grads(fused):
    loss, params, _ = two_two_one(fused=fused)
    s = graph(loss, scalar_level=True)
    loss.backward()
    for name, p in params.items():
        np.testing.assert_allclose(scalar_grads(s, name), p.grad, rtol=1e-5, atol=1e-7)


@pytest.mark.torch
@pytest.mark.parametrize("fused", [False, True], ids=["primitives+mse", "linear+bce"])
def test_scalar_leaf_grads_equal_pytorch_float64(fused):
    expected = torch_two_two_one(fused)
    loss, params, _ = two_two_one("float64", fused=fused)
    s = graph(loss, scalar_level=True)
    for name in params:
        np.testing.assert_allclose(scalar_grads(s, name), expected[name], rtol=1e-12, atol=1e-14)


def test_scalar_values_match_the_tensors():
    loss, _, _ = two_two_one("float64")
    s = graph(loss, scalar_level=True)
    nodes = by_id(s)
    tensors = by_id(s["tensors"])
    for tid, ids in s["tensor_elements"].items():
        values = [nodes[i]["value"] for i in np.ravel(np.array(ids, dtype=object))]
        np.testing.assert_allclose(values, np.ravel(tensors[tid]["value"]["values"]), rtol=1e-15)
        for i in np.ravel(np.array(ids, dtype=object)):
            assert nodes[i]["tensor"] in tensors


def test_local_grads_are_the_analytic_derivatives():
    loss, _, _ = two_two_one("float64")
    s = graph(loss, scalar_level=True)
    nodes = by_id(s)
    incoming: dict = {}
    for e in s["edges"]:
        incoming.setdefault(e["target"], []).append(e)
    seen = set()
    for node in s["nodes"]:
        edges = sorted(incoming.get(node["id"], []), key=lambda e: e["input"])
        y = node["value"]
        inputs = [nodes[e["source"]]["value"] for e in edges]
        local = [e["local_grad"] for e in edges]
        if node["op"] == "*":  # d(a*b)/da = b, d(a*b)/db = a
            assert local == [inputs[1], inputs[0]]
        elif node["op"] == "+":
            assert local == [1.0] * len(edges)
        elif node["op"] == "tanh":
            assert local == pytest.approx([1 - y * y])
        elif node["op"] == "sigmoid":
            assert local == pytest.approx([y * (1 - y)])
        elif node["op"] == "pow(2)":
            assert local == pytest.approx([2 * inputs[0]])
        seen.add(node["op"])
    assert {"*", "+", "tanh", "sigmoid", "pow(2)", None} == seen


def test_forward_and_backward_orders():
    loss, _, _ = two_two_one()
    s = graph(loss, scalar_level=True)
    ids = [n["id"] for n in s["nodes"]]
    assert sorted(s["forward_order"]) == sorted(ids) == sorted(s["backward_order"])
    forward = {n: i for i, n in enumerate(s["forward_order"])}
    backward = {n: i for i, n in enumerate(s["backward_order"])}
    for e in s["edges"]:
        assert forward[e["source"]] < forward[e["target"]]
        assert backward[e["target"]] < backward[e["source"]]
    # grad = sum over users of user.grad * local_grad, with 1 at the output
    nodes = by_id(s)
    expected = dict.fromkeys(ids, 0.0)
    for out in s["output_scalars"]:
        expected[out] += 1.0
    for e in s["edges"]:
        expected[e["source"]] += nodes[e["target"]]["grad"] * e["local_grad"]
    assert [nodes[i]["grad"] for i in ids] == pytest.approx([expected[i] for i in ids])


def test_size_limit_says_how_many_nodes():
    loss, _, _ = two_two_one()
    assert len(graph(loss, scalar_level=True, max_scalar_nodes=31)["nodes"]) == 31
    with pytest.raises(
        ValueError,
        match=r"would have 31 scalar nodes.*max_scalar_nodes=30.*"
        r"smaller network.*scalar_level=False",
    ):
        graph(loss, scalar_level=True, max_scalar_nodes=30)


class Double(Function):
    """y = 2 * x, an op the scalar expansion does not know."""

    name = "double"

    def forward(self, x):
        return 2 * x

    def backward(self, dout):
        return (2 * dout,)


def test_unsupported_op_names_it_and_lists_the_supported_ones():
    x = nl.tensor([1.0, 2.0], requires_grad=True)
    y = Double.apply(x).sum()
    assert [n["op"] for n in graph(y)["nodes"]] == [None, "double", "sum"]
    with pytest.raises(ValueError, match=r"op 'double' .*Supported ops: .*matmul.*tanh"):
        graph(y, scalar_level=True)


# ----- every expansion rule against the engine's backward ---------------------------------------
def _ce_target(*values):
    return nl.tensor(np.array(values, dtype=np.int64))


def case(name, build, rtol=1e-10, marks=()):
    """One row of the table: ``build(L)`` makes an output from leaves ``L(*shape)``."""
    return pytest.param(build, rtol, id=name, marks=marks)


TIES = np.array([[1.0, 3.0, 3.0], [2.0, -1.0, 0.5]])
CASES = [
    case("add broadcast", lambda L: L(2, 3) + L(3)),
    case("add column to row", lambda L: L(2, 1) + L(1, 3)),
    case("mul broadcast and constant", lambda L: L(2, 1) * L(3) * 3.0),
    case("a*a", lambda L: (lambda a: a * a)(L(3))),
    case("matmul 2-D", lambda L: L(2, 3) @ L(3, 2)),
    case("matmul 1-D @ 2-D", lambda L: L(3) @ L(3, 2)),
    case("matmul 2-D @ 1-D", lambda L: L(2, 3) @ L(3)),
    case("matmul 1-D @ 1-D", lambda L: L(3) @ L(3)),
    case("matmul batched", lambda L: L(2, 2, 3) @ L(3, 2)),
    case("matmul K=1", lambda L: L(2, 1) @ L(1, 3)),
    case("linear", lambda L: linear(L(2, 3), L(2, 3), L(2))),
    case("linear no bias", lambda L: linear(L(2, 3), L(4, 3))),
    case("linear 1-D x", lambda L: linear(L(3), L(2, 3), L(2))),
    case("linear 3-D x, K=1", lambda L: linear(L(2, 2, 1), L(3, 1), L(3))),
    case("tanh", lambda L: L(2, 2).tanh()),
    case("sigmoid", lambda L: L(2, 2).sigmoid()),
    case("relu", lambda L: L(2, 3).relu()),
    case("exp", lambda L: L(3).exp()),
    case("log", lambda L: L(3, positive=True).log()),
    case("abs", lambda L: L(3).abs()),
    case("erf", lambda L: L(3).erf()),
    case(
        "pow 2, 3, -1, 0.5",
        lambda L: L(3) ** 2 + L(3) ** 3 + L(3, positive=True) ** -1 + L(3, positive=True).sqrt(),
    ),
    case("division", lambda L: L(2) / L(2, positive=True)),
    case("clip", lambda L: L(4).clip(-0.3, 0.3)),
    case("sum all", lambda L: L(2, 3).sum()),
    case("sum axis", lambda L: L(2, 3, 2).sum(axis=(0, 2))),
    case("sum keepdims", lambda L: L(2, 3).sum(axis=1, keepdims=True)),
    case("mean and var", lambda L: (lambda a: a.mean(axis=0) + a.var(axis=0))(L(3, 2))),
    case("max", lambda L: L(3, 2).max(axis=0)),
    case("max with ties", lambda L: (L(2, 3) * 0 + nl.Tensor(TIES, dtype="float64")).max(axis=1)),
    case("min", lambda L: L(2, 3).min()),
    case(
        "reshape, expand, transpose", lambda L: L(2, 3).reshape(3, 2).T.unsqueeze(0).expand(2, 2, 3)
    ),
    case(
        "getitem: basic, repeated, boolean",
        lambda L: (lambda a: a[0, :] * a[[1, 1, 0]][:, 0] + a[a.data > 0].sum())(L(2, 3)),
    ),
    case("concatenate, stack", lambda L: nl.stack([nl.cat([L(2), L(3)]), L(5)])),
    # nl.where(cond, a, b) with two tensors trips on `ta or tb` in functions.where (engine bug)
    case(
        "where",
        lambda L: REGISTRY["where"].apply(L(3), L(2, 1), cond=np.array([True, False, True])),
    ),
    case("maximum, minimum", lambda L: nl.maximum(L(3), L(3)) + nl.minimum(L(3), 0.0)),
    case("cast", lambda L: L(3).float().double(), rtol=1e-6),  # backward passes through float32
    case("softmax", lambda L: L(2, 3).softmax()),
    case("softmax axis 0", lambda L: L(3, 2).softmax(axis=0)),
    case("log_softmax", lambda L: L(2, 3).log_softmax(axis=-1)),
    case(
        "bce mean",
        lambda L: bce_with_logits(L(2, 2), nl.Tensor([[0, 1], [1, 0.3]], dtype="float64")),
    ),
    case(
        "bce sum, weight, pos_weight",
        lambda L: bce_with_logits(
            L(2, 2),
            nl.Tensor([[0, 1], [1, 0]], dtype="float64"),
            weight=np.array([0.5, 2.0]),
            pos_weight=np.array([3.0, 0.5]),
            reduction="sum",
        ),
    ),
    case(
        "bce none",
        lambda L: bce_with_logits(L(3), nl.Tensor([1, 0, 1], dtype="float64"), reduction="none"),
    ),
    case("cross_entropy mean", lambda L: cross_entropy(L(3, 4), _ce_target(0, 3, 1))),
    case(
        "cross_entropy sum, weight, smoothing",
        lambda L: cross_entropy(
            L(3, 4),
            _ce_target(0, 3, 3),
            weight=np.array([1.0, 2.0, 0.5, 3.0]),
            label_smoothing=0.2,
            reduction="sum",
        ),
    ),
    case(
        "cross_entropy none, ignore_index",
        lambda L: cross_entropy(L(3, 4), _ce_target(2, -100, 1), reduction="none"),
    ),
    case(
        "cross_entropy mean, weight, ignore_index",
        lambda L: cross_entropy(L(3, 3), _ce_target(2, -100, 1), weight=np.array([1.0, 2.0, 0.5])),
    ),
    case("cross_entropy 1-D", lambda L: cross_entropy(L(4), _ce_target(2))),
    case(
        "cross_entropy (N, C, d)",
        lambda L: cross_entropy(L(2, 3, 2), nl.tensor([[0, 2], [1, 1]]), reduction="none"),
    ),
]


def _leaf_maker(seed):
    rng = np.random.default_rng(seed)
    leaves = []

    def L(*shape, positive=False):  # noqa: N802 - reads like a constructor in the table
        data = rng.standard_normal(shape)
        if positive:
            data = np.abs(data) + 0.5
        t = nl.Tensor(data, dtype="float64", requires_grad=True, name=f"p{len(leaves)}")
        leaves.append(t)
        return t

    return L, leaves


@pytest.mark.parametrize(("build", "rtol"), CASES)
def test_every_rule_matches_engine_backward(build, rtol):
    L, leaves = _leaf_maker(seed=0)
    out = build(L)
    weights = np.random.default_rng(1).standard_normal(out.shape)
    loss = (out * nl.Tensor(weights, dtype="float64")).sum()  # a random direction through out
    s = graph(loss, scalar_level=True, max_scalar_nodes=2000)
    json.dumps(s, allow_nan=False)
    n = len(s["nodes"])  # the count made from shapes alone agrees with what is built
    with pytest.raises(ValueError, match=f"would have {n} scalar nodes"):
        graph(loss, scalar_level=True, max_scalar_nodes=n - 1)
    loss.backward()
    for t in leaves:
        np.testing.assert_allclose(
            scalar_grads(s, t.name), t.grad, rtol=rtol, atol=1e-12, err_msg=t.name
        )


def test_dot_product_of_two_vectors():
    a = nl.Tensor([1.0, -2.0, 0.5], dtype="float64", requires_grad=True, name="a")
    b = nl.Tensor([3.0, 0.25, -4.0], dtype="float64", requires_grad=True, name="b")
    s = graph(a @ b, scalar_level=True)
    assert [n["op"] for n in s["nodes"] if n["op"]] == ["*", "*", "*", "+"]
    assert scalar_grads(s, "a").tolist() == b.data.tolist()  # d(a . b)/da = b
    assert scalar_grads(s, "b").tolist() == a.data.tolist()


def test_the_table_covers_the_promised_ops():
    promised = {
        "add",
        "mul",
        "matmul",
        "linear",
        "tanh",
        "sigmoid",
        "relu",
        "exp",
        "log",
        "abs",
        "erf",
        "pow",
        "sum",
        "reshape",
        "expand",
        "permute",
        "getitem",
        "max",
        "bce_with_logits",
        "cross_entropy",
        "softmax",
        "log_softmax",
    }
    assert promised <= set(RULES)


@settings(max_examples=40, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
def test_broadcast_add_and_mul_match_engine(shapes):
    rng = np.random.default_rng(0)
    a, b = (
        nl.Tensor(rng.standard_normal(s), dtype="float64", requires_grad=True, name=n)
        for s, n in zip(shapes.input_shapes, "ab")
    )
    loss = (a + b) * b * nl.Tensor(rng.standard_normal(shapes.result_shape), dtype="float64")
    loss = loss.sum()
    s = graph(loss, scalar_level=True, max_scalar_nodes=1000)
    loss.backward()
    for t in (a, b):
        np.testing.assert_allclose(scalar_grads(s, t.name), t.grad, rtol=1e-10, atol=1e-12)


# ----- the backprop derivation's check -----------------------------------------------------------
def test_backprop_doc_check_runs(tmp_path, capsys):
    text = (ROOT / "docs" / "math" / "backprop.md").read_text()
    check = text.split("## Check it", 1)[1]
    blocks = re.findall(r"^```python\n(.*?)^```", check, re.S | re.M)
    assert blocks, "docs/math/backprop.md lost its runnable check"
    script = tmp_path / "backprop_check.py"
    script.write_text("\n".join(blocks))
    runpy.run_path(str(script), run_name="__docs__")
    assert "backprop agrees" in capsys.readouterr().out
