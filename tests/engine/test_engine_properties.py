"""Property-based tests: random broadcast-compatible shapes, unbroadcast, shape round trips."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import neuronlab as nl
from neuronlab.engine.unbroadcast import unbroadcast

SETTINGS = settings(max_examples=30, deadline=None, database=None)
_SHAPES = {"min_dims": 0, "max_dims": 3, "min_side": 1, "max_side": 4}
PAIRS = mutually_broadcastable_shapes(num_shapes=2, **_SHAPES)
TRIPLES = mutually_broadcastable_shapes(num_shapes=3, **_SHAPES)
SEEDS = st.integers(0, 2**32 - 1)


def _distinct_values(shapes, rng):
    """Arrays of the given shapes whose values are all different (no ties in maximum)."""
    sizes = [int(np.prod(s)) for s in shapes]
    values = rng.permutation(sum(sizes)) * 0.1 - sum(sizes) * 0.05
    return [v.reshape(s) for v, s in zip(np.split(values, np.cumsum(sizes)[:-1]), shapes)]


def _compare_with_torch(nl_fn, torch_fn, arrays, rng):
    leaves = [nl.Tensor(a, dtype="float64", requires_grad=True) for a in arrays]
    t_leaves = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, t_out = nl_fn(*leaves), torch_fn(*t_leaves)
    assert out.shape == tuple(t_out.shape)
    np.testing.assert_allclose(np.asarray(out.data), t_out.detach().numpy(), rtol=1e-6, atol=1e-12)
    dout = rng.standard_normal(out.shape)
    out.backward(dout.copy())
    t_out.backward(torch.from_numpy(dout))
    for i, (leaf, t_leaf) in enumerate(zip(leaves, t_leaves)):
        assert leaf.grad.shape == leaf.shape
        np.testing.assert_allclose(
            leaf.grad, t_leaf.grad.numpy(), rtol=1e-6, atol=1e-12, err_msg=f"gradient of input {i}"
        )


BINARY = {
    "add": (lambda a, b: a + b, torch.add),
    "mul": (lambda a, b: a * b, torch.mul),
    "maximum": (nl.maximum, torch.maximum),
    "sub": (lambda a, b: a - b, torch.sub),
}


@pytest.mark.torch
@pytest.mark.parametrize("name", sorted(BINARY))
@SETTINGS
@given(shapes=PAIRS, seed=SEEDS)
def test_broadcasting_binary_ops_match_torch(name, shapes, seed):
    rng = np.random.default_rng(seed)
    arrays = _distinct_values(shapes.input_shapes, rng)
    _compare_with_torch(*BINARY[name], arrays, rng)


@pytest.mark.torch
@SETTINGS
@given(shapes=TRIPLES, seed=SEEDS)
def test_broadcasting_where_matches_torch(shapes, seed):
    """where() with the condition, a and b all broadcast against each other."""
    rng = np.random.default_rng(seed)
    cond = np.asarray(rng.random(shapes.input_shapes[0]) < 0.5)
    arrays = [rng.standard_normal(s) for s in shapes.input_shapes[1:]]
    _compare_with_torch(
        lambda a, b: nl.where(cond, a, b),
        lambda a, b: torch.where(torch.from_numpy(cond), a, b),
        arrays,
        rng,
    )


@pytest.mark.torch
@SETTINGS
@given(shapes=PAIRS, seed=SEEDS)
def test_unbroadcast_sums_to_the_operand_shape(shapes, seed):
    g = np.random.default_rng(seed).standard_normal(shapes.result_shape)
    for shape in shapes.input_shapes:
        reduced = unbroadcast(g, shape)
        assert reduced.shape == shape
        np.testing.assert_allclose(reduced.sum(), g.sum(), rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(
            reduced, torch.from_numpy(g).sum_to_size(shape).numpy(), rtol=1e-9, atol=1e-12
        )


@SETTINGS
@given(shape=array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=4), data=st.data())
def test_permute_round_trip(shape, data):
    axes = data.draw(st.permutations(range(len(shape))))
    inverse = tuple(int(i) for i in np.argsort(axes))
    rng = np.random.default_rng(data.draw(SEEDS))
    x = nl.Tensor(rng.standard_normal(shape), dtype="float64", requires_grad=True)
    y = x.permute(*axes)
    np.testing.assert_array_equal(y.data, np.transpose(x.data, axes))
    back = y.permute(*inverse)
    np.testing.assert_array_equal(back.data, x.data)
    dout = rng.standard_normal(y.shape)
    y.backward(dout)
    np.testing.assert_array_equal(x.grad, np.transpose(dout, inverse))


@SETTINGS
@given(shape=array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=4), data=st.data())
def test_reshape_round_trip(shape, data):
    new_shape = tuple(data.draw(st.permutations(shape)))  # same element count, other layout
    rng = np.random.default_rng(data.draw(SEEDS))
    x = nl.Tensor(rng.standard_normal(shape), dtype="float64", requires_grad=True)
    y = x.reshape(new_shape).reshape(-1).reshape(shape)
    np.testing.assert_array_equal(y.data, x.data)
    dout = rng.standard_normal(shape)
    (y * nl.Tensor(dout, dtype="float64")).sum().backward()
    np.testing.assert_array_equal(x.grad, dout)
    z = x.reshape(new_shape)
    np.testing.assert_array_equal(z.data, x.data.reshape(new_shape))
