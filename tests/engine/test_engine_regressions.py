"""Regression tests for answers the engine once got wrong (or refused) on valid input, each with
the reproduction that showed it, held against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import neuronlab as nl
import neuronlab.nn.functional as F


def _same(ours, theirs):
    """Same shape, dtype and values as the PyTorch tensor."""
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-6, atol=1e-7)


def test_b1_bce_with_logits_gives_the_target_its_gradient():
    x = nl.tensor([0.5, -1.0], requires_grad=True)
    y = nl.tensor([0.2, 0.7], requires_grad=True)
    F.binary_cross_entropy_with_logits(x, y).backward()
    tx = torch.tensor([0.5, -1.0], requires_grad=True)
    ty = torch.tensor([0.2, 0.7], requires_grad=True)
    TF.binary_cross_entropy_with_logits(tx, ty).backward()
    np.testing.assert_allclose(y.grad, ty.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-6)


def test_b1_with_pos_weight_and_no_reduction():
    rng = np.random.default_rng(0)
    x0, y0, pw = rng.standard_normal((3, 4)), rng.random((3, 4)), rng.random(4) + 0.5
    x, y = (nl.tensor(a, requires_grad=True, dtype="float64") for a in (x0, y0))
    tx, ty = torch.tensor(x0, requires_grad=True), torch.tensor(y0, requires_grad=True)
    out = F.binary_cross_entropy_with_logits(x, y, pos_weight=pw, reduction="none")
    t_out = TF.binary_cross_entropy_with_logits(
        tx, ty, pos_weight=torch.tensor(pw), reduction="none"
    )
    _same(out, t_out)
    out.sum().backward()
    t_out.sum().backward()
    np.testing.assert_allclose(y.grad, ty.grad.numpy(), rtol=1e-6)


def test_b2_float_attention_mask_gets_a_gradient():
    nl.manual_seed(0)
    q = nl.randn(1, 2, 4, requires_grad=True)
    m = nl.zeros(2, 2, requires_grad=True)
    F.scaled_dot_product_attention(q, q, q, attn_mask=m).sum().backward()
    assert m.grad is not None
    tq = torch.tensor(q.data, requires_grad=True)
    tm = torch.zeros(2, 2, requires_grad=True)
    TF.scaled_dot_product_attention(tq, tq, tq, attn_mask=tm).sum().backward()
    np.testing.assert_allclose(m.grad, tm.grad.numpy(), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(q.grad, tq.grad.numpy(), rtol=1e-4, atol=1e-6)


def test_b2_learned_bias_broadcast_over_heads_float64():
    rng = np.random.default_rng(1)
    q0, k0, v0 = (rng.standard_normal((2, 3, 4, 5)) for _ in range(3))
    b0 = rng.standard_normal((4, 4))
    ours = [nl.tensor(a, requires_grad=True, dtype="float64") for a in (q0, k0, v0, b0)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (q0, k0, v0, b0)]
    out = F.scaled_dot_product_attention(*ours[:3], attn_mask=ours[3])
    t_out = TF.scaled_dot_product_attention(*theirs[:3], attn_mask=theirs[3])
    _same(out, t_out)
    dout = rng.standard_normal(out.shape)
    out.backward(dout)
    t_out.backward(torch.tensor(dout))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-8, atol=1e-10)
    naive = F.naive_scaled_dot_product_attention(
        *[nl.tensor(a.data, dtype="float64") for a in ours[:3]], attn_mask=ours[3].detach()
    )
    np.testing.assert_allclose(naive.data, out.data, rtol=1e-10)


@pytest.mark.parametrize("dims", [(1, 3), (), (0,), (-1, 1), (0, 2)])
def test_b3_squeeze_with_a_tuple_of_dims(dims):
    _same(nl.zeros(5, 1, 5, 1).squeeze(dims), torch.zeros(5, 1, 5, 1).squeeze(dims))


def test_b3_squeeze_of_a_0d_tensor():
    _same(nl.tensor(2.0).squeeze(0), torch.tensor(2.0).squeeze(0))
    _same(nl.tensor(2.0).squeeze(()), torch.tensor(2.0).squeeze(()))


def test_b4_bool_min_and_minimum():
    assert nl.tensor([False, True]).min().item() is torch.tensor([False, True]).min().item()
    a, b = [False, True, True], [True, False, True]
    _same(nl.minimum(nl.tensor(a), nl.tensor(b)), torch.minimum(torch.tensor(a), torch.tensor(b)))
    _same(nl.tensor([[3, -2], [7, 1]]).min(axis=1), torch.tensor([[3, -2], [7, 1]]).amin(1))
    big = np.iinfo(np.int64).min
    _same(nl.tensor([big, 0]).min(), torch.tensor([big, 0]).min())
    _same(
        nl.minimum(nl.tensor([big, 5]), nl.tensor([0, 2])),
        torch.minimum(torch.tensor([big, 5]), torch.tensor([0, 2])),
    )


def test_b4_negating_a_bool_tensor_is_refused():
    with pytest.raises(RuntimeError):
        -torch.tensor([False, True])  # the oracle refuses too
    with pytest.raises(TypeError, match=r"negation \(-\) of a boolean tensor.*~mask"):
        -nl.tensor([False, True])
    with pytest.raises(TypeError, match=r"subtraction \(-\) of boolean tensors.*a \^ b"):
        nl.tensor([False, True]) - nl.tensor([True, True])


def test_b5_integer_tensors_become_float32_in_float_functions():
    t, tt = nl.tensor([1, 2]), torch.tensor([1, 2])
    _same(t.exp(), tt.exp())
    _same(t**0.5, tt**0.5)
    _same(t**2.0, tt**2.0)
    _same(t**2, tt**2)
    for name in ("log", "sqrt", "tanh", "sigmoid", "erf"):
        _same(getattr(t, name)(), getattr(tt, name)())
    _same(nl.tensor([True, False]).exp(), torch.tensor([True, False]).exp())


def test_b6_matmul_of_empty_vectors_backward():
    a, b = nl.zeros(0, requires_grad=True), nl.zeros(0, 3, requires_grad=True)
    (a @ b).sum().backward()
    ta, tb = torch.zeros(0, requires_grad=True), torch.zeros(0, 3, requires_grad=True)
    (ta @ tb).sum().backward()
    assert a.grad.shape == tuple(ta.grad.shape) and b.grad.shape == tuple(tb.grad.shape)


def test_b6_vector_times_batched_matrix_still_sums_the_batch():
    rng = np.random.default_rng(2)
    a0, b0 = rng.standard_normal(4), rng.standard_normal((2, 4, 5))
    a, b = (nl.tensor(v, requires_grad=True, dtype="float64") for v in (a0, b0))
    ta, tb = torch.tensor(a0, requires_grad=True), torch.tensor(b0, requires_grad=True)
    (a @ b).sum().backward()
    (ta @ tb).sum().backward()
    np.testing.assert_allclose(a.grad, ta.grad.numpy())
    np.testing.assert_allclose(b.grad, tb.grad.numpy())


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize(("shape", "axis"), [((5, 0), -1), ((5, 0), 0), ((0,), 0)])
def test_b7_softmax_of_an_empty_tensor_is_empty(fn, shape, axis):
    _same(getattr(nl.zeros(*shape), fn)(axis), getattr(torch.zeros(*shape), fn)(axis))


def test_b7_softmax_axis_out_of_range_says_so():
    with pytest.raises(ValueError, match=r"softmax: axis 2 is out of range for a tensor with 2"):
        nl.zeros(5, 0).softmax(2)


def test_b8_transpose_of_a_0d_tensor():
    _same(nl.tensor(3.0).transpose(0, 0), torch.tensor(3.0).transpose(0, 0))
    _same(nl.tensor(3.0).transpose(-1, 0), torch.tensor(3.0).transpose(-1, 0))
    with pytest.raises(ValueError, match=r"transpose: axis 2 is out of range.*2 dimensions"):
        nl.zeros(2, 3).transpose(0, 2)


def test_cat_of_1d_empty_tensors():
    _same(nl.cat([nl.zeros(0), nl.ones(2, 3)], 1), torch.cat([torch.zeros(0), torch.ones(2, 3)], 1))
    _same(nl.cat([nl.ones(2, 3), nl.zeros(0)], 0), torch.cat([torch.ones(2, 3), torch.zeros(0)], 0))
    _same(nl.cat([nl.zeros(0), nl.zeros(0)]), torch.cat([torch.zeros(0), torch.zeros(0)]))
    with pytest.raises(ValueError, match=r"concatenate: axis 1 is out of range.*1 dimensions"):
        nl.cat([nl.zeros(0), nl.zeros(0)], 1)
    with pytest.raises(ValueError, match=r"concatenate: 0-d tensors have no axis.*stack"):
        nl.cat([nl.tensor(1.0), nl.tensor(2.0)])


def test_the_bool_error_points_to_any_and_all_which_exist():
    t = nl.tensor([1.0, -2.0])
    with pytest.raises(RuntimeError, match=r"ambiguous; use \(t > 0\)\.any\(\) or \.all\(\)"):
        bool(t)
    assert bool((t > 0).any()) is True and bool((t > 0).all()) is False
    data = [[1, 0], [1, 1]]
    _same(nl.tensor(data).any(axis=1), torch.tensor(data).any(1))
    _same(nl.tensor(data).all(axis=0, keepdims=True), torch.tensor(data).all(0, keepdim=True))
    _same(nl.zeros(0).all(), torch.zeros(0).all())
