"""clip_grad_norm_ and clip_grad_value_ against torch.nn.utils."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.optim import clip_grad_norm_, clip_grad_value_

pytestmark = pytest.mark.torch

_rng = np.random.default_rng(7)
GRADS = [_rng.standard_normal((4, 3)), _rng.standard_normal(5), _rng.standard_normal(())]


def make_pair(grads=GRADS, dtype="float64"):
    """Our tensors and torch's with the same gradients; a last parameter has no gradient."""
    ours, theirs = [], []
    for g in grads:
        a = nl.tensor(np.zeros_like(g), dtype=dtype, requires_grad=True)
        a.grad = np.array(g, dtype=dtype)
        b = torch.zeros(g.shape, dtype=getattr(torch, dtype), requires_grad=True)
        b.grad = torch.tensor(g, dtype=getattr(torch, dtype))
        ours.append(a)
        theirs.append(b)
    ours.append(nl.zeros(2, dtype=dtype, requires_grad=True))
    theirs.append(torch.zeros(2, dtype=getattr(torch, dtype), requires_grad=True))
    return ours, theirs


def assert_grads_equal(ours, theirs, rtol=1e-6):
    for a, b in zip(ours, theirs):
        if b.grad is None:
            assert a.grad is None
        else:
            np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=rtol, atol=1e-12)


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, math.inf, -math.inf, 0.0])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = make_pair()
    total = clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, nl.Tensor) and total.shape == () and total.dtype == np.float64
    assert total.item() == pytest.approx(expected.item(), rel=1e-12)
    assert_grads_equal(ours, theirs)


def test_clip_grad_norm_float32_and_single_tensor():
    ours, theirs = make_pair(dtype="float32")
    total = clip_grad_norm_(ours[0], 0.1)
    expected = torch.nn.utils.clip_grad_norm_(theirs[0], 0.1)
    assert total.dtype == np.float32 and ours[0].grad.dtype == np.float32
    assert total.item() == pytest.approx(expected.item(), rel=1e-6)
    assert_grads_equal(ours, theirs, rtol=1e-6)
    norm = np.linalg.norm(ours[0].grad)
    assert norm == pytest.approx(0.1, rel=1e-5)


@pytest.mark.parametrize("bad", [math.inf, math.nan])
def test_clip_grad_norm_non_finite(bad):
    grads = [GRADS[0], np.array([1.0, bad])]
    ours, theirs = make_pair(grads)
    with pytest.raises(RuntimeError, match="total norm of order 2.0 of the gradients is"):
        clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError):
        torch.nn.utils.clip_grad_norm_(theirs, 1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(ours[0].grad, GRADS[0])  # nothing was clipped

    with np.errstate(invalid="ignore"):
        total = clip_grad_norm_(ours, 1.0)
    expected = torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    assert math.isnan(total.item()) == math.isnan(expected.item())
    for a, b in zip(ours, theirs):
        if b.grad is not None:
            np.testing.assert_array_equal(a.grad, b.grad.numpy())  # nan where torch has nan


def test_clip_grad_norm_without_gradients():
    total = clip_grad_norm_([nl.zeros(3, requires_grad=True)], 1.0)
    assert total.item() == 0.0 and total.shape == ()
    assert clip_grad_norm_([], 1.0).item() == 0.0


@pytest.mark.parametrize("clip_value", [0.0, 0.3, 1.0, 10.0])
def test_clip_grad_value_matches_torch(clip_value):
    ours, theirs = make_pair()
    grads = [p.grad for p in ours if p.grad is not None]
    assert clip_grad_value_(ours, clip_value) is None
    torch.nn.utils.clip_grad_value_(theirs, clip_value)
    assert_grads_equal(ours, theirs, rtol=0)
    assert all(a is p.grad for a, p in zip(grads, ours))  # in place


def test_clip_errors():
    w = nl.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="clip_value must be >= 0, got -1.0"):
        clip_grad_value_([w], -1.0)
    with pytest.raises(TypeError, match=r"parameters\[1\] is a ndarray"):
        clip_grad_norm_([w, np.zeros(2)], 1.0)
