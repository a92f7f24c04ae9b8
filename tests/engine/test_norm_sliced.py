"""The sliced batch norm (``engine/ops/norm_sliced.py``) against the reference in ``norm.py`` and
PyTorch, and the workers' split element-wise passes (``engine/ops/workers.py``) against one call."""

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.engine.ops import norm_sliced, workers
from neuronlab.engine.ops.elementwise import Add, ReLU
from neuronlab.engine.ops.norm import BatchNorm


@pytest.fixture
def every_size(monkeypatch):
    """The fast path for any batch, in slices of one to a few examples."""
    monkeypatch.setattr(norm_sliced, "MIN_SIZE", 0)
    monkeypatch.setattr(workers, "SPLIT_SIZE", 1)


def _batch_norm(x, dout, weight, bias, reference):
    """y, dx, [dweight, dbias] and the running statistics of one training step (a bias only
    comes with a weight, as in the layers)."""
    xt = nl.tensor(x, dtype=x.dtype, requires_grad=True)
    params = [nl.nn.Parameter(p.copy()) if p is not None else None for p in (weight, bias)]
    C = x.shape[1]
    running = np.zeros(C, x.dtype), np.ones(C, x.dtype)
    inputs = [xt] + [p for p in params if p is not None]
    y = BatchNorm.apply(*inputs, running_mean=running[0], running_var=running[1],
                        reference=reference)  # fmt: skip
    y.backward(nl.tensor(dout, dtype=dout.dtype))
    grads = [p.grad if p is not None else None for p in params]
    return y.data, xt.grad, grads, running


CASES = [
    ((6, 3, 5, 4), "float32", True, True),
    ((7, 2, 9), "float64", True, True),  # BatchNorm1d's (N, C, L)
    ((5, 4, 3, 2, 2), "float32", False, False),  # BatchNorm3d, no affine parameters
    ((9, 1, 8, 8), "float64", True, False),  # weight only
]


@pytest.mark.parametrize("shape, dtype, with_weight, with_bias", CASES)
@pytest.mark.parametrize("slice_bytes", [1, 300, norm_sliced.SLICE_BYTES])
@pytest.mark.parametrize("threads", [1, 2])
def test_sliced_batch_norm_equals_the_reference(
    shape, dtype, with_weight, with_bias, slice_bytes, threads, every_size, monkeypatch
):
    monkeypatch.setattr(norm_sliced, "SLICE_BYTES", slice_bytes)
    monkeypatch.setattr(workers, "THREADS", threads)
    rng = np.random.default_rng(0)
    x = (rng.standard_normal(shape) * 3 + 7).astype(dtype)  # an offset mean: centring matters
    dout = rng.standard_normal(shape).astype(dtype)
    weight = rng.standard_normal(shape[1]).astype(dtype) if with_weight else None
    bias = rng.standard_normal(shape[1]).astype(dtype) if with_bias else None
    fast = _batch_norm(x, dout, weight, bias, reference=False)
    slow = _batch_norm(x, dout, weight, bias, reference=True)
    tol = {"rtol": 2e-5, "atol": 2e-5} if dtype == "float32" else {"rtol": 1e-11, "atol": 1e-11}
    for a, b in zip(fast[:2] + tuple(fast[2]) + fast[3], slow[:2] + tuple(slow[2]) + slow[3]):
        if b is None:
            assert a is None
        else:
            np.testing.assert_allclose(a, b, **tol)


def test_sliced_batch_norm_matches_torch_at_resnet_size():
    # ResNet-20's first stage: 1,048,576 values, above MIN_SIZE, so the fast path runs as is
    rng = np.random.default_rng(1)
    x = rng.standard_normal((64, 16, 32, 32)).astype(np.float32) * 2 + 1
    dout = rng.standard_normal(x.shape).astype(np.float32)
    assert norm_sliced.usable(x)
    ours, theirs = nl.nn.BatchNorm2d(16), torch.nn.BatchNorm2d(16)
    xn, xt = nl.tensor(x, requires_grad=True), torch.from_numpy(x).requires_grad_()
    yn, yt = ours(xn), theirs(xt)
    yn.backward(nl.tensor(dout))
    yt.backward(torch.from_numpy(dout))
    np.testing.assert_allclose(yn.data, yt.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(xn.grad, xt.grad.numpy(), rtol=1e-4, atol=1e-5)
    # sums of 65,536 float32 terms of size ~1 (totals up to ~600): rounding ~1e-4 either way
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(ours.bias.grad, theirs.bias.grad.numpy(), rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(ours.running_var.data, theirs.running_var.numpy(), rtol=1e-5)


def test_the_fast_path_keeps_only_x_for_backward(every_size):
    x = nl.tensor(np.ones((4, 2, 3, 3), np.float32), requires_grad=True)
    y = BatchNorm.apply(x)
    assert y._op.sliced and y._op.x is x.data and not hasattr(y._op, "xhat")


def test_small_or_non_contiguous_batches_take_the_reference():
    small = np.ones((4, 2, 3, 3), np.float32)
    big = np.ones((64, 16, 32, 32), np.float32)
    assert not norm_sliced.usable(small)
    assert norm_sliced.usable(big)
    assert not norm_sliced.usable(big.transpose(0, 1, 3, 2))
    assert not norm_sliced.usable(np.ones((1 << 20, 2), np.float32))  # (N, C): nothing after C


@pytest.mark.parametrize("shape", [(3,), (5, 7), (4, 3, 2, 5)])
def test_split_element_wise_passes_equal_one_call(shape, every_size, monkeypatch):
    monkeypatch.setattr(workers, "THREADS", 2)
    rng = np.random.default_rng(2)
    a, b, d = (rng.standard_normal(shape).astype(np.float32) for _ in range(3))
    assert workers.splittable(a, b) == (a.size >= 2)
    for split in (True, False):
        monkeypatch.setattr(workers, "SPLIT_SIZE", 1 if split else 1 << 40)
        x = nl.tensor(a, requires_grad=True)
        y = ReLU.apply(x)
        y.backward(nl.tensor(d))
        s = Add.apply(nl.tensor(a), nl.tensor(b))
        if split:
            first = (y.data, x.grad, s.data)
        else:
            for got, want in zip(first, (y.data, x.grad, s.data)):
                np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(first[0], np.maximum(a, 0))
    np.testing.assert_array_equal(first[1], d * (a > 0))
    np.testing.assert_array_equal(first[2], a + b)


def test_mixed_dtypes_or_shapes_are_not_split():
    a = np.ones((1 << 20,), np.float32)
    assert workers.splittable(a, a)
    assert not workers.splittable(a, a.astype(np.float64))
    assert not workers.splittable(a, a[: 1 << 19])
    assert not workers.splittable(a.astype(np.int32))


@pytest.mark.parametrize("shape", [(128, 300, 200), (5, 700, 90), (3, 2, 2)])
def test_products_shared_by_busy_workers_equal_one_call(shape, monkeypatch):
    M, K, N = shape
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((M, K)).astype(np.float32), rng.standard_normal((K, N))
    b = b.astype(np.float32)
    monkeypatch.setattr(workers, "THREADS", 2)
    monkeypatch.setattr(workers, "_last_shared", -1e9)
    assert not workers.busy()
    alone = workers.product(a, b)
    workers.run([lambda: None, lambda: None])  # the workers just shared a job
    assert workers.busy()
    threads = [lib.get_num_threads() for lib in workers.blas_libraries()]
    shared = workers.product(a, b)
    assert [lib.get_num_threads() for lib in workers.blas_libraries()] == threads  # put back
    np.testing.assert_allclose(shared, alone, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(alone, a.astype(np.float64) @ b, rtol=1e-4, atol=1e-3)


def test_the_dense_layer_uses_the_shared_product_while_the_workers_are_busy(monkeypatch):
    seen = []
    real = workers.product
    monkeypatch.setattr(
        "neuronlab.engine.ops.matrix.product", lambda a, b: seen.append(a.shape) or real(a, b)
    )
    layer = nl.nn.Linear(64, 32)
    x = nl.tensor(np.ones((3, 5, 64), np.float32), requires_grad=True)
    layer(x).sum().backward()
    assert seen[0] == (15, 64)  # the (3, 5) leading axes folded into one product's rows
    assert x.grad.shape == (3, 5, 64) and layer.weight.grad.shape == (32, 64)


@pytest.mark.parametrize("slice_bytes", [1, 700, workers.SLICE_BYTES])
def test_max_pool_in_slices_on_both_workers_equals_torch(slice_bytes, monkeypatch):
    monkeypatch.setattr(workers, "THREADS", 2)
    monkeypatch.setattr(workers, "SPLIT_SIZE", 1)
    monkeypatch.setattr(workers, "SLICE_BYTES", slice_bytes)
    rng = np.random.default_rng(4)
    x = np.maximum(rng.integers(-2, 4, (7, 3, 10, 9)), 0).astype(np.float32)  # many ties
    dout = rng.standard_normal((7, 3, 5, 4)).astype(np.float32)
    xn = nl.tensor(x, requires_grad=True)
    yn = nl.nn.functional.max_pool2d(xn, 2)
    yn.backward(nl.tensor(dout))
    xt = torch.from_numpy(x).requires_grad_()
    yt = torch.nn.functional.max_pool2d(xt, 2)
    yt.backward(torch.from_numpy(dout))
    np.testing.assert_array_equal(yn.data, yt.detach().numpy())
    np.testing.assert_array_equal(xn.grad, xt.grad.numpy())
