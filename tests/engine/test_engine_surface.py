"""The PyTorch surface around the ops: PyTorch's argument names, indexing placement, creation
dtypes, dtype conversions and devices, held against PyTorch; and ``import neuronlab`` without
PyTorch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch

import neuronlab as nl


def _same(ours, theirs):
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    rtol = 1e-5 if ours.dtype == np.float32 else 1e-10
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=rtol)


@pytest.mark.parametrize(
    "index",
    [
        (1, slice(None), slice(3, 11, 2), [[0, 1], [2, 0]], slice(0, 2)),
        ([[0, 1], [1, 0]], 1),
        (Ellipsis, 1, [2, 0]),
        (None, 1, Ellipsis, [0, 1]),
        (1, [1, 0], slice(None), [2, 3]),
        (slice(None), 1, [1, 1], 2),
        (0, 1, [1, 2]),
        ([1, 0], slice(None), [0, 4]),
    ],
)
def test_advanced_indexing_places_axes_like_pytorch(index):
    """NumPy moves the broadcast axes of x[1, :, idx] to the front; PyTorch keeps them where
    the index stands, and so does neuronlab."""
    data = np.arange(2 * 3 * 12 * 5 * 4, dtype=np.float64).reshape(2, 3, 12, 5, 4)
    x = nl.tensor(data, dtype="float64", requires_grad=True)
    t = torch.tensor(data, requires_grad=True)
    t_index = tuple(torch.tensor(i) if isinstance(i, list) else i for i in index)
    out, t_out = x[index], t[t_index]
    _same(out, t_out)
    dout = np.random.default_rng(0).standard_normal(out.shape)
    out.backward(dout)
    t_out.backward(torch.tensor(dout))
    np.testing.assert_allclose(x.grad, t.grad.numpy())


def test_pytorch_argument_names_for_reductions():
    data = np.random.default_rng(0).standard_normal((3, 4))
    x, t = nl.tensor(data, dtype="float64"), torch.tensor(data)
    _same(x.sum(dim=1, keepdim=True), t.sum(dim=1, keepdim=True))
    _same(x.mean(dim=(0, 1)), t.mean(dim=(0, 1)))
    _same(x.var(dim=0, unbiased=False), t.var(dim=0, unbiased=False))
    _same(x.std(1, True), t.std(1, True))
    _same(x.max(dim=1), t.amax(dim=1))
    _same(x.argmax(dim=0, keepdim=True), t.argmax(dim=0, keepdim=True))
    _same(x.softmax(dim=0), t.softmax(dim=0))
    _same(x.sum(dtype="float32"), t.sum(dtype=torch.float32))
    _same(x.softmax(-1, dtype="float32"), t.softmax(-1, dtype=torch.float32))
    _same(nl.tensor([True, False, True]).sum(), torch.tensor([True, False, True]).sum())
    _same(nl.cat([x, x], dim=1), torch.cat([t, t], dim=1))
    with pytest.raises(TypeError, match=r"give the axis once: axis= .* or dim="):
        x.sum(axis=0, dim=1)
    with pytest.raises(
        TypeError,
        match=r"softmax: expected a floating point tensor, got dtype "
        r"int64.*x\.float\(\)",
    ):
        nl.tensor([1, 2]).softmax(0)


def test_max_and_min_with_a_tensor_are_elementwise():
    a, b = [1.0, 5.0, -2.0], [3.0, 4.0, -1.0]
    _same(nl.tensor(a).max(nl.tensor(b)), torch.tensor(a).max(torch.tensor(b)))
    _same(nl.tensor(a).min(nl.tensor(b)), torch.tensor(a).min(torch.tensor(b)))


@pytest.mark.parametrize("value", [4, True, 0.5, -3])
def test_full_takes_its_dtype_from_the_value_like_pytorch(value):
    _same(nl.full((2, 3), value), torch.full((2, 3), value))


@pytest.mark.parametrize(("start", "end", "steps"), [(0, 10, 4), (-5, 5, 4), (-7, 3, 6)])
def test_integer_linspace_truncates_like_pytorch(start, end, steps):
    _same(
        nl.linspace(start, end, steps, dtype="int64"),
        torch.linspace(start, end, steps, dtype=torch.int64),
    )
    assert (
        np.linspace(-5, 5, 4, dtype=np.int64).tolist()
        != nl.linspace(-5, 5, 4, dtype="int64").tolist()
    )  # NumPy floors instead


def test_devices_and_conversions():
    x = nl.zeros(2, 3, device="cpu")
    assert x.to("cpu") is x
    assert x.to("cpu", "float64").dtype == np.float64
    assert x.to(nl.tensor([1])).dtype == np.int64
    copy = x.to("float32", copy=True)
    assert copy is not x and copy.dtype == x.dtype
    assert x.type() == "float32" and x.int().dtype == np.int32 and x.bool().dtype == np.bool_
    with pytest.raises(
        ValueError,
        match=r"device 'cuda' is not available: neuronlab computes "
        r"with NumPy on the CPU",
    ):
        nl.ones(2, device="cuda")
    with pytest.raises(ValueError, match=r"device 'cuda:0' is not available"):
        x.to("cuda:0")


def test_float16_storage_computes_like_pytorch_half():
    data = np.random.default_rng(0).standard_normal((3, 4))
    x = nl.tensor(data, dtype="float16", requires_grad=True)
    t = torch.tensor(data, dtype=torch.float16, requires_grad=True)
    out, t_out = (x * x + 1).exp().sum(1), (t * t + 1).exp().sum(1)
    assert out.dtype == np.float16
    np.testing.assert_allclose(out.data, t_out.detach().numpy(), rtol=5e-3)
    out.sum().backward()
    t_out.sum().backward()
    assert x.grad.dtype == np.float16
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-2, atol=1e-2)
    assert nl.ones(2).half().dtype == np.float16


def test_bfloat16_is_refused_with_the_reason():
    with pytest.raises(
        TypeError,
        match=r"bfloat16 is not available: NumPy.*has no bfloat16 "
        r"type; use 'float16'",
    ):
        nl.zeros(2, dtype="bfloat16")


def test_import_neuronlab_needs_numpy_only():
    """With torch (and the other heavy packages) made unimportable, the package still imports
    and computes."""
    code = (
        "import sys\n"
        "for name in ('torch', 'scipy', 'sklearn', 'pandas', 'matplotlib', 'starlette'):\n"
        "    sys.modules[name] = None\n"
        "import neuronlab as nl\n"
        "x = nl.tensor([1.0, 2.0], requires_grad=True)\n"
        "(x * x).sum().backward()\n"
        "nl.nn.functional.pad(nl.ones(1, 2), (1, 1))\n"
        "print(x.grad.tolist())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[2.0, 4.0]"


@pytest.mark.parametrize("op", ["and", "or", "xor"])
@pytest.mark.parametrize(
    ("a", "b"), [([True, False, True], [True, True, False]), ([6, -3, 0], [3, 5, -1])]
)
def test_bitwise_operators_on_booleans_and_integers(op, a, b):
    fn = {"and": lambda x, y: x & y, "or": lambda x, y: x | y, "xor": lambda x, y: x ^ y}[op]
    _same(fn(nl.tensor(a), nl.tensor(b)), fn(torch.tensor(a), torch.tensor(b)))
    _same(fn(nl.tensor(a), nl.tensor(b)[0]), fn(torch.tensor(a), torch.tensor(b)[0]))


def test_invert_and_refusals_of_bitwise_operators():
    _same(~nl.tensor([True, False]), ~torch.tensor([True, False]))
    _same(~nl.tensor([5, -2]), ~torch.tensor([5, -2]))
    with pytest.raises(
        TypeError,
        match=r"& \(bitwise and\): defined for boolean and integer "
        r"tensors only, got dtype float32",
    ):
        nl.tensor([1.0]) & nl.tensor([1.0])


@pytest.mark.parametrize(
    ("a", "b"),
    [([7, -7, 5, -5], [2, 2, -3, -3]), ([7.5, -7.5, 5.25, -0.5], [2.0, 2.0, -3.0, 0.75])],
)
def test_floor_division_and_remainder_follow_pytorch(a, b):
    x, y, tx, ty = nl.tensor(a), nl.tensor(b), torch.tensor(a), torch.tensor(b)
    _same(x // y, tx // ty)
    _same(x % y, tx % ty)
    _same(x.fmod(y), tx.fmod(ty))
    for mode in ("trunc", "floor"):
        _same(x.div(y, rounding_mode=mode), tx.div(ty, rounding_mode=mode))
    _same(x / y, tx / ty)
    _same(x % 3, tx % 3)
