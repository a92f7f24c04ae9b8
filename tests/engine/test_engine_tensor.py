"""Tensor construction, dtype rules, creation functions, the seed, and engine-level errors."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.engine.ops import fused as F


# ----- dtypes of new tensors --------------------------------------------------------------------
def test_float64_data_becomes_float32_unless_asked():
    """Documented: floating data becomes float32 (the default), whatever its NumPy dtype."""
    data = np.array([1.0, 2.0])  # float64
    assert nl.Tensor(data).dtype == np.float32
    assert nl.tensor(data).dtype == np.float32
    assert nl.tensor([1.0, 2.0]).dtype == np.float32
    assert nl.Tensor(data, dtype="float64").dtype == np.float64
    assert nl.Tensor(data, dtype=np.float64).dtype == np.float64
    assert nl.from_numpy(data).dtype == np.float64  # from_numpy keeps the dtype ...
    assert np.shares_memory(nl.from_numpy(data).data, data)  # ... and the memory


def test_integer_and_boolean_data():
    assert nl.tensor([1, 2]).dtype == np.int64
    assert nl.tensor(np.array([1, 2], np.int32)).dtype == np.int64
    assert nl.tensor(np.array([1, 2], np.int32), dtype="int32").dtype == np.int32
    assert nl.tensor([True, False]).dtype == np.bool_
    with pytest.raises(TypeError, match=r"cannot make a tensor from data of dtype <U1"):
        nl.tensor(["a", "b"])


def test_tensor_copies_its_data():
    data = np.array([1.0, 2.0], np.float32)
    t = nl.tensor(data)
    data[0] = 100.0
    assert t.data[0] == 1.0


def test_creation_functions_default_to_float32():
    for t in [
        nl.zeros(2, 3),
        nl.ones((2, 3)),
        nl.full((2, 3), 1.5),
        nl.eye(3),
        nl.linspace(0, 1, 5),
        nl.arange(0.0, 2.0, 0.5),
        nl.randn(2, 3),
        nl.rand(2, 3),
    ]:
        assert t.dtype == np.float32
    assert nl.zeros(2, 3).shape == (2, 3) and nl.ones((2, 3)).shape == (2, 3)
    assert nl.arange(5).dtype == np.int64
    assert nl.randint(0, 3, (4,)).dtype == np.int64
    assert nl.zeros(2, dtype="float64").dtype == np.float64
    assert nl.zeros_like(nl.zeros(2, dtype="float64")).dtype == np.float64
    assert nl.ones(2, requires_grad=True).requires_grad


def test_manual_seed_makes_randn_and_rand_reproducible():
    nl.manual_seed(0)
    a, b, c = nl.randn(3, 4), nl.rand(5), nl.randint(0, 10, (6,))
    nl.manual_seed(0)
    np.testing.assert_array_equal(nl.randn(3, 4).data, a.data)
    np.testing.assert_array_equal(nl.rand(5).data, b.data)
    np.testing.assert_array_equal(nl.randint(0, 10, (6,)).data, c.data)
    nl.manual_seed(1)
    assert not np.array_equal(nl.randn(3, 4).data, a.data)
    assert ((b.data >= 0) & (b.data < 1)).all()
    nl.manual_seed(0)
    a64 = nl.randn(3, 4, dtype="float64")
    np.testing.assert_allclose(a64.data, a.data, rtol=1e-6)  # the same draws, another dtype


def test_an_explicit_generator_does_not_touch_the_default_one():
    nl.manual_seed(3)
    expected = nl.randn(4).data
    nl.manual_seed(3)
    nl.randn(4, generator=np.random.default_rng(99))
    np.testing.assert_array_equal(nl.randn(4).data, expected)


# ----- dtype rules of operations ----------------------------------------------------------------
def test_python_scalars_do_not_upcast():
    x = nl.tensor([1.0, 2.0])
    for y in [x + 1, x * 2.5, 2 - x, 2 / x, x / 3, x**2, x**0.5, 2**x, -x, x.mean(), x.var()]:
        assert y.dtype == np.float32


UPCASTS = [
    pytest.param(
        lambda: nl.tensor([1.0, 2.0]) + nl.tensor([1, 2]), np.float32, id="float32 + int64"
    ),
    pytest.param(lambda: nl.tensor([1, 2]) / 2, np.float32, id="int64 / 2"),
    pytest.param(
        lambda: nl.tensor([1.0, 2.0]) ** np.float64(0.5),
        np.float32,
        id="float32 ** np.float64(0.5)",
    ),
]


@pytest.mark.parametrize(("make", "dtype"), UPCASTS)
def test_mixed_dtypes_do_not_upcast(make, dtype):
    assert make().dtype == dtype


@pytest.mark.torch
def test_mixed_dtype_expectations_are_pytorchs():
    assert (torch.tensor([1.0, 2.0]) + torch.tensor([1, 2])).dtype == torch.float32
    assert (torch.tensor([1, 2]) / 2).dtype == torch.float32
    assert (torch.tensor([1.0, 2.0]) ** np.float64(0.5)).dtype == torch.float32


# ----- edge cases where the engine used to raise and PyTorch does not ---------------------------
def _bug(make, expected, raises, reason):
    """A fixed bug (the engine used to raise ``raises``); the expectation is PyTorch's result."""
    return pytest.param(make, expected, id=reason)


EDGE_BUGS = [
    _bug(
        lambda: (nl.tensor([1.0, -1.0]) / 0).tolist(),
        [np.inf, -np.inf],
        ZeroDivisionError,
        "x / 0 raises ZeroDivisionError (Python's 1.0 / 0 in __truediv__); PyTorch: inf",
    ),
    _bug(
        lambda: (2 / nl.tensor([1, 2])).tolist(),
        [2.0, 1.0],
        ValueError,
        "2 / integer tensor raises NumPy's 'Integers to negative integer powers'; PyTorch: "
        "a float result",
    ),
    _bug(
        lambda: nl.tensor([1.0]).var().item(),
        np.nan,
        ZeroDivisionError,
        "var of one element raises ZeroDivisionError; PyTorch: nan",
    ),
    _bug(
        lambda: nl.zeros(0).mean().item(),
        np.nan,
        ZeroDivisionError,
        "mean of an empty tensor raises ZeroDivisionError; PyTorch: nan",
    ),
    _bug(
        lambda: nl.tensor(2.0).squeeze(0).item(),
        2.0,
        ZeroDivisionError,
        "squeeze(0) of a 0-d tensor raises ZeroDivisionError (axis % 0); PyTorch: the tensor",
    ),
    _bug(
        lambda: isinstance((nl.tensor([1.0]) * 2).sum().numpy(), np.ndarray),
        True,
        AssertionError,
        "numpy() of a 0-d result is a NumPy scalar (ops on 0-d arrays return scalars), not the "
        "documented shared array; PyTorch returns a 0-d ndarray",
    ),
]


@pytest.mark.parametrize(("make", "expected"), EDGE_BUGS)
def test_edge_cases_behave_like_pytorch(make, expected):
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(make(), expected)


# ----- engine-level errors: who failed, what was expected, what arrived, how to fix -------------
def _second_backward():
    y = (nl.tensor([1.0, 2.0], requires_grad=True) * 2.0).sum()
    y.backward()
    y.backward()


def _backward_shared_graph_twice():
    x = nl.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2.0
    h.sum().backward()
    (h * 3.0).sum().backward()  # h's op was freed by the first backward


ENGINE_ERRORS = {
    "backward of a non-scalar without a gradient": (
        lambda: (nl.tensor([1.0, 2.0, 3.0], requires_grad=True) * 2.0).backward(),
        RuntimeError,
        r"backward: the output has shape \(3,\), not a single number.*loss\.sum\(\) or "
        r"loss\.mean\(\).*backward\(grad\) with an array of shape \(3,\)",
    ),
    "backward of a tensor that does not require grad": (
        lambda: nl.tensor([1.0]).sum().backward(),
        RuntimeError,
        r"backward: this tensor does not require grad.*requires_grad=True.*no_grad\(\)",
    ),
    "backward with a gradient of the wrong shape": (
        lambda: (nl.tensor([1.0, 2.0], requires_grad=True) * 2.0).backward(np.ones(3)),
        ValueError,
        r"backward: the gradient passed has shape \(3,\) but the output has shape \(2,\)",
    ),
    "second backward without retain_graph": (
        _second_backward,
        RuntimeError,
        r"backward: this graph was already used by an earlier backward\(\).*"
        r"backward\(retain_graph=True\)",
    ),
    "backward through a graph freed by another backward": (
        _backward_shared_graph_twice,
        RuntimeError,
        r"already used by an earlier backward\(\)",
    ),
    "requires_grad on an integer tensor": (
        lambda: nl.tensor([1, 2], requires_grad=True),
        TypeError,
        r"only floating point tensors can require gradients, this one is int64; create it with "
        r"floats or dtype='float32'",
    ),
    "item of a tensor with several elements": (
        lambda: nl.tensor([1.0, 2.0]).item(),
        ValueError,
        r"item\(\) needs a tensor with exactly one element, this one has shape \(2,\)",
    ),
    "truth value of a tensor with several elements": (
        lambda: bool(nl.tensor([1.0, 2.0])),
        RuntimeError,
        r"truth value of a tensor of shape \(2,\) is ambiguous; use \(t > 0\)\.any\(\)",
    ),
    "unknown dtype name": (
        lambda: nl.tensor([1.0], dtype="float12"),
        TypeError,
        r"unknown dtype 'float12'; use one of \[.*'float32'.*\]",
    ),
    "manual_seed with a float": (
        lambda: nl.manual_seed(1.5),
        TypeError,
        r"manual_seed expects an integer seed, got 1\.5",
    ),
    "cross_entropy with float labels": (
        lambda: F.CrossEntropy.apply(nl.randn(4, 3), nl.tensor([0.0, 1.0, 2.0, 1.0])),
        TypeError,
        r"cross_entropy: expected class indices as integers.*got dtype float32.*\.long\(\)",
    ),
    "cross_entropy with a label out of range": (
        lambda: F.CrossEntropy.apply(nl.randn(2, 3), nl.tensor([0, -1])),
        ValueError,
        r"cross_entropy: target -1 is out of range for 3 classes \(valid: 0 to 2\)",
    ),
    "cross_entropy with one-hot targets": (
        lambda: F.CrossEntropy.apply(nl.randn(2, 3), nl.tensor([[0, 0, 1], [1, 0, 0]])),
        ValueError,
        r"cross_entropy: logits of shape \(2, 3\).*need targets of shape \(2,\), got \(2, 3\)",
    ),
    "stack of a single tensor instead of a list": (
        lambda: nl.stack(nl.randn(2)),
        TypeError,
        r"stack expects a non-empty list or tuple of tensors",
    ),
    "where with a non-boolean condition": (
        lambda: nl.where(np.array([1, 0]), nl.randn(2), 0.0),
        TypeError,
        r"where: the condition must be boolean, got dtype int64",
    ),
}


@pytest.mark.parametrize("case", list(ENGINE_ERRORS))
def test_engine_errors(case):
    make, exc, match = ENGINE_ERRORS[case]
    with pytest.raises(exc, match=match):
        make()


def test_error_messages_show_the_shapes_as_written():
    """The table's regexes assume tuples print as (3, 4); make sure a message really does."""
    with pytest.raises(ValueError) as info:
        nl.randn(3, 4) + nl.randn(5)
    assert re.search(r"\(3, 4\) and \(5,\)", str(info.value))
