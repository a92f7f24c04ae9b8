"""Regression traps of reverse-mode autodiff: reused nodes, diamonds, deep chains, accumulation,
shared gradient arrays, grad modes, retain_graph / retain_grad / detach, and regressions of
fixed bugs."""

from __future__ import annotations

import gc
import itertools

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.engine.ops import fused as F


def leaf(values, dtype="float64"):
    return nl.tensor(values, requires_grad=True, dtype=dtype)


# ----- graph shapes that broke other engines -----------------------------------------------------
def test_node_used_twice_gets_both_contributions():
    a = leaf([1.0, -2.0, 3.0])
    b = a + a
    c = b * b  # (2a)^2, so dc/da = 8a
    c.sum().backward()
    np.testing.assert_allclose(a.grad, 8 * a.data)


def test_diamond_graph():
    x = leaf([0.5, -1.5])
    h = x.tanh()  # one node feeding two branches that meet again
    z = (h * 3.0 + h.exp() * h).sum()
    z.backward()
    t = torch.tensor([0.5, -1.5], dtype=torch.float64, requires_grad=True)
    th = t.tanh()
    (th * 3.0 + th.exp() * th).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12)


def test_diamond_of_leaves_with_broadcasting():
    w = leaf([[1.0], [2.0]])  # (2, 1), used by two branches with different broadcasts
    ((w * leaf([1.0, 2.0, 3.0])) + (w - 1.0) * w).sum().backward()
    # sum over (2, 3) of w_i v_j + (w_i - 1) w_i: d/dw_i = sum(v) + 3 (2 w_i - 1)
    np.testing.assert_allclose(w.grad, [[6.0 + 3 * 1.0], [6.0 + 3 * 3.0]])


def test_ten_thousand_op_chain_backward_and_garbage_collection():
    x = leaf(1.0)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward(retain_graph=True)  # no RecursionError: the topological sort is iterative
    np.testing.assert_allclose(x.grad, 1.0001**10_000, rtol=1e-9)
    del y  # the retained 10,000-node graph is freed without a crash
    gc.collect()
    z = x
    for _ in range(10_000):
        z = z + 1.0
    del z  # a graph that never went backward too
    gc.collect()
    assert x.grad is not None


def test_topological_order_puts_users_before_inputs():
    x = leaf([1.0])
    a = x * 2.0
    b = a.exp()
    c = a + b
    order = nl.topological_order(c)
    assert order.index(c) < order.index(b) < order.index(a)
    assert x not in order  # leaves are not recorded nodes


def test_backward_visits_every_node_once_after_all_of_its_users():
    # A graph whose depth-first order differs from the order it was built in: `late` is made
    # last but feeds nothing, `shared` has three users made at different times.
    visits = []

    class Recorded(nl.engine.Function):
        name = "recorded_for_a_test"

        def forward(self, *arrays):
            self.count = len(arrays)
            return arrays[0] + sum(arrays[1:])

        def backward(self, dout):
            visits.append(self)
            return (dout,) * self.count

    def op(*inputs):
        return Recorded.apply(*inputs)

    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    shared = op(x, w)
    a = op(shared)
    b = op(a, shared)
    late = op(w)
    root = op(b, op(shared, late), a)
    users = {}  # node -> the nodes that consumed it
    for node in nl.topological_order(root):
        for parent in node._op.parents:
            users.setdefault(id(parent), []).append(node._op)
    ops = [t._op for t in nl.topological_order(root)]
    root.sum().backward(retain_graph=True)
    assert sorted(map(id, visits)) == sorted(map(id, ops))  # each node once, no other
    position = {id(o): i for i, o in enumerate(visits)}
    for node in nl.topological_order(root):
        for user in users.get(id(node), []):
            assert position[id(user)] < position[id(node._op)]
    # every path to the root adds 1 per element: 4 from `shared`, and w has one more via `late`
    np.testing.assert_allclose(x.grad, [4.0, 4.0])
    np.testing.assert_allclose(w.grad, [5.0, 5.0])


def test_a_second_backward_through_a_freed_graph_is_refused():
    x = leaf([1.0, 2.0])
    y = (x * 2.0).exp().sum()
    y.backward()
    with pytest.raises(RuntimeError, match="already used by an earlier backward"):
        y.backward()


# ----- accumulation and (not) sharing gradient arrays --------------------------------------------
def test_gradients_accumulate_across_backward_calls():
    x = leaf([1.0, 2.0])
    (x * 2.0).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad, 2.0 + 2 * x.data)


def test_retain_graph_allows_a_second_backward():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad, 4 * x.data)
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


GRAPHS_WITH_SHARED_UPSTREAM = {
    "a + b": lambda a, b: a + b,
    "a + b, then sum": lambda a, b: (a + b).sum(),
    "reshape(a) + b": lambda a, b: a.reshape(3, 1).reshape(3) + b,
    "a.T + b.T": lambda a, b: a.T + b.T,
    "expand(a) + b": lambda a, b: a.expand(3) + b,
    "concatenate([a, b])": lambda a, b: nl.concatenate([a, b]),
    "a + a + b": lambda a, b: a + a + b,
    "retained a + b": lambda a, b: (a + b).retain_grad() * 1.0,
}


@pytest.mark.parametrize("graph", list(GRAPHS_WITH_SHARED_UPSTREAM))
def test_leaves_never_share_one_grad_array(graph):
    a, b = leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0, 6.0])
    out = GRAPHS_WITH_SHARED_UPSTREAM[graph](a, b)
    out.backward(np.ones(out.shape) if out.ndim else None)
    before = b.grad.copy()
    a.grad += 100.0  # an in-place change of one leaf's grad ...
    np.testing.assert_array_equal(b.grad, before)  # ... leaves the other's alone
    for g1, g2 in itertools.combinations([a.grad, b.grad], 2):
        assert not np.shares_memory(g1, g2)



def test_leaf_grads_do_not_alias_the_upstream_gradient_of_a_non_leaf_root():
    a, b = leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0, 6.0])
    upstream = np.ones(3)
    (a + b).backward(upstream)
    upstream[:] = 7.0  # the caller reuses its array
    np.testing.assert_array_equal(a.grad, [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(b.grad, [1.0, 1.0, 1.0])


def test_leaf_grad_does_not_alias_the_upstream_gradient_of_a_leaf_root():
    x = leaf([1.0, 2.0])
    upstream = np.ones(2)
    x.backward(upstream)
    upstream[0] = 5.0  # the caller reuses its array
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])


def test_leaf_grad_does_not_alias_an_upstream_view():
    a, b = leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0, 6.0])
    buffer = np.ones(6)
    (a + b).backward(buffer[::2])
    buffer[:] = 7.0
    np.testing.assert_array_equal(a.grad, [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(b.grad, [1.0, 1.0, 1.0])


# ----- retain_grad and detach ---------------------------------------------------------------------
def test_retain_grad_keeps_an_intermediate_gradient():
    x = leaf([1.0, 2.0])
    y = x * 3.0
    y.retain_grad()
    z = x * 2.0  # not retained
    (y * y + z).sum().backward()
    np.testing.assert_allclose(y.grad, 2 * y.data)
    assert z.grad is None
    np.testing.assert_allclose(x.grad, 18 * x.data + 2.0)


def test_detach_cuts_the_graph():
    x = leaf([1.0, 2.0])
    y = (x * 2.0).detach()
    assert not y.requires_grad and y.is_leaf and y._op is None
    np.testing.assert_array_equal(y.data, [2.0, 4.0])
    (y * x).sum().backward()
    np.testing.assert_allclose(x.grad, y.data)  # no gradient through y


def test_requires_grad_false_on_a_non_leaf_is_refused():
    y = leaf([1.0]) * 2.0
    with pytest.raises(RuntimeError, match=r"only works on leaves; use \.detach\(\)"):
        y.requires_grad_(False)


# ----- grad modes ---------------------------------------------------------------------------------
def test_no_grad_records_nothing():
    x = leaf([1.0, 2.0])
    with nl.no_grad():
        assert not nl.is_grad_enabled()
        outputs = [x * 2.0, x + x, x.exp(), x.sum(), x @ x, x[0], x.reshape(2, 1), x.softmax()]
    assert nl.is_grad_enabled()
    for y in outputs:
        assert not y.requires_grad and y._op is None


def test_no_grad_as_a_decorator():
    @nl.no_grad()
    def evaluate(x):
        assert not nl.is_grad_enabled()
        return x * 2.0

    y = evaluate(leaf([1.0]))
    assert not y.requires_grad and y._op is None
    assert nl.is_grad_enabled()
    assert evaluate.__name__ == "evaluate"


def test_no_grad_restores_the_mode_after_an_exception():
    with pytest.raises(ZeroDivisionError), nl.no_grad():
        _ = 1 / 0
    assert nl.is_grad_enabled()

    @nl.no_grad()
    def fails():
        raise KeyError("boom")

    with pytest.raises(KeyError):
        fails()
    assert nl.is_grad_enabled()


def test_enable_grad_inside_no_grad():
    x = leaf([1.0, 2.0])
    with nl.no_grad():
        with nl.enable_grad():
            y = x * 2.0
        z = x * 2.0
        assert not nl.is_grad_enabled()
    assert y.requires_grad and y._op is not None
    assert not z.requires_grad
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [2.0, 2.0])


def test_nested_no_grad_restores_each_level():
    with nl.no_grad():
        with nl.no_grad():
            pass
        assert not nl.is_grad_enabled()
    assert nl.is_grad_enabled()


def test_no_grad_as_a_bare_decorator():
    @nl.no_grad
    def evaluate():
        return nl.is_grad_enabled()

    assert evaluate() is False


# ----- what never gets a gradient -----------------------------------------------------------------
def test_integer_tensors_never_get_gradients():
    with pytest.raises(TypeError, match=r"only floating point tensors can require grad.*int64"):
        nl.tensor([1, 2], requires_grad=True)
    with pytest.raises(TypeError, match="only floating point"):
        nl.arange(3).requires_grad_()
    x = leaf([1.0, 2.0])
    labels = nl.tensor([1, 0])
    (x * labels).sum().backward()
    assert labels.grad is None and not labels.requires_grad
    loss = F.CrossEntropy.apply(leaf([[1.0, 2.0], [0.5, 0.1]]), labels)
    loss.backward()
    assert labels.grad is None


def test_comparisons_give_boolean_tensors_without_grad():
    x = leaf([1.0, -2.0, 3.0])
    for result in [x > 0, x >= 1.0, x < x, x <= 0, x == 3.0, x != leaf([1.0, 0.0, 0.0])]:
        assert result.dtype == np.bool_
        assert not result.requires_grad and result._op is None
    np.testing.assert_array_equal((x > 0).data, [True, False, True])


def test_gradients_keep_the_leaf_dtype():
    x32 = leaf([1.0, 2.0], dtype="float32")
    x64 = leaf([3.0, 4.0], dtype="float64")
    y = x32 * x64  # float64 result
    assert y.dtype == np.float64
    y.sum().backward()
    assert x32.grad.dtype == np.float32 and x64.grad.dtype == np.float64
    np.testing.assert_allclose(x32.grad, [3.0, 4.0])


# ----- regressions of fixed bugs, each with PyTorch's behaviour as the expectation --------------
def test_where_with_tensor_operands():  # regression: where() used to call bool() on `a`
    a, b = leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0, 6.0])
    y = nl.where(np.array([True, False, True]), a, b)
    np.testing.assert_array_equal(y.data, [1.0, 5.0, 3.0])


def test_where_with_a_zero_scalar_tensor():  # regression: `ta or tb` skipped a == 0
    y = nl.where(np.array([True, False]), leaf(0.0), 1.0)
    np.testing.assert_array_equal(y.data, [0.0, 1.0])


def test_dot_product_backward():  # regression: MatMul.backward raised AxisError for 1-D @ 1-D
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (x @ y).backward()
    np.testing.assert_allclose(x.grad, [3.0, 4.0])
    np.testing.assert_allclose(y.grad, [1.0, 2.0])


def test_bce_with_logits_target_gradient():
    x, y = leaf([0.3, -0.2]), leaf([1.0, 0.0])
    F.BCEWithLogits.apply(x, y).backward()
    # d/dy mean(softplus(x) - x * y) = -x / N
    np.testing.assert_allclose(y.grad, [-0.15, 0.1])


def test_pow_zero_gradient_at_zero():
    x = leaf([0.0, 2.0])
    with np.errstate(all="ignore"):
        (x**0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])


def test_pow_with_a_tensor_exponent_and_a_non_positive_base():
    x = leaf([-2.0, 0.0])
    with np.errstate(all="ignore"):
        y = x ** nl.tensor(2.0, dtype="float64")
        y.sum().backward()
    np.testing.assert_array_equal(y.data, [4.0, 0.0])
    np.testing.assert_array_equal(x.grad, [-4.0, 0.0])


# ----- conventions at kinks: the same subgradient as PyTorch --------------------------------------
KINKS = {
    "relu at 0": (lambda x: x.relu(), torch.relu),
    "abs at 0": (lambda x: x.abs(), torch.abs),
    "clip at both bounds": (lambda x: x.clip(0.0, 2.0), lambda x: x.clamp(0.0, 2.0)),
    "clip min only": (lambda x: x.clip(min=0.0), lambda x: x.clamp(min=0.0)),
    "max ties": (lambda x: x.max(), torch.amax),
    "max ties along an axis": (
        lambda x: x.reshape(2, 3).max(axis=1),
        lambda x: x.reshape(2, 3).amax(dim=1),
    ),
    "min ties": (lambda x: x.min(), torch.amin),
    "maximum ties": (
        lambda x: nl.maximum(x, nl.tensor([0.0] * 6, dtype="float64")),
        lambda x: torch.maximum(x, torch.zeros(6, dtype=torch.float64)),
    ),
    "minimum ties": (
        lambda x: nl.minimum(x, x.detach()),
        lambda x: torch.minimum(x, x.detach()),
    ),
    "sqrt of abs at 0 (nan, as in PyTorch)": (lambda x: x.abs().sqrt(), lambda x: x.abs().sqrt()),
}


@pytest.mark.torch
@pytest.mark.parametrize("case", list(KINKS))
def test_gradients_at_kinks_match_torch(case):
    values = [0.0, 2.0, 2.0, -1.0, 0.0, 2.0]  # zeros, ties and the bounds of clip
    nl_fn, torch_fn = KINKS[case]
    x = leaf(values)
    t = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        nl_fn(x).sum().backward()
    torch_fn(t).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12, atol=0)
