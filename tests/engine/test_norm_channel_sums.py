"""Batch norm's per-channel sums (einsum over an (N, C, K) view) against NumPy's own reductions,
and the fused batch norm against PyTorch on an NCHW batch in float32 and float64."""

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.engine.ops.norm import channel_dot, channel_sum


@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 7), (6, 4, 5, 3), (2, 3, 2, 2, 2)])
def test_channel_sums_match_numpy_reductions(shape):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(shape), rng.standard_normal(shape)
    axes = (0,) + tuple(range(2, len(shape)))
    np.testing.assert_allclose(channel_sum(a), a.sum(axis=axes), rtol=1e-12)
    np.testing.assert_allclose(channel_dot(a, b), (a * b).sum(axis=axes), rtol=1e-12, atol=1e-12)


def test_channel_sums_of_a_non_contiguous_array():
    a = np.random.default_rng(1).standard_normal((4, 5, 6, 3)).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(channel_sum(a), a.sum(axis=(0, 2, 3)), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_norm_training_step_matches_torch(dtype):
    rng = np.random.default_rng(2)
    x = (rng.standard_normal((16, 4, 8, 8)) * 3 + 5).astype(dtype)
    dout = rng.standard_normal(x.shape).astype(dtype)
    ours, theirs = nl.nn.BatchNorm2d(4), torch.nn.BatchNorm2d(4).to(torch.from_numpy(x).dtype)
    w, b = rng.standard_normal(4).astype(dtype), rng.standard_normal(4).astype(dtype)
    if dtype == np.float64:
        ours.double()
    ours.weight.data[...], ours.bias.data[...] = w, b
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(w)), theirs.bias.copy_(torch.from_numpy(b))
    xt, xn = torch.from_numpy(x).requires_grad_(), nl.tensor(x, dtype=dtype, requires_grad=True)
    yt, yn = theirs(xt), ours(xn)
    yt.backward(torch.from_numpy(dout))
    yn.backward(nl.tensor(dout, dtype=dtype))
    tol = {"rtol": 1e-4, "atol": 1e-4} if dtype == np.float32 else {"rtol": 1e-9, "atol": 1e-9}
    np.testing.assert_allclose(yn.data, yt.detach().numpy(), **tol)
    np.testing.assert_allclose(xn.grad.data, xt.grad.numpy(), **tol)
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), **tol)
    np.testing.assert_allclose(ours.bias.grad.data, theirs.bias.grad.numpy(), **tol)
    np.testing.assert_allclose(ours.running_var.data, theirs.running_var.numpy(), **tol)
