"""The L1 penalty (``nn.l1_penalty``, ``nn.L1Penalty``) and ``nn.PenalizedLoss``, against PyTorch:
the value and the gradient of lambda * sum |w| (sign(w), 0 at w = 0)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab import nn

pytestmark = pytest.mark.torch


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_l1_penalty_value_and_gradient_match_torch(dtype):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    arrays[0][1, 2] = 0.0  # |w| at 0: both libraries give the gradient 0
    ours = [nl.tensor(a, dtype=dtype, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    rate = 0.03
    penalty = nn.l1_penalty(ours, rate)
    expected = rate * sum(t.abs().sum() for t in theirs)
    penalty.backward()
    expected.backward()
    tol = 1e-6 if dtype == "float32" else 1e-12
    assert penalty.item() == pytest.approx(expected.item(), rel=tol)
    for mine, reference in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad, reference.grad.numpy(), rtol=tol, atol=tol)
    assert ours[0].grad[1, 2] == 0


def test_penalized_loss_adds_the_term_and_its_gradient_like_torch():
    nl.manual_seed(0)
    layer = nn.Linear(3, 2)
    tlayer = torch.nn.Linear(3, 2)
    tlayer.load_state_dict({k: torch.from_numpy(v.data.copy()) for k, v in
                            layer.state_dict().items()})  # fmt: skip
    x = np.random.default_rng(1).standard_normal((5, 3)).astype(np.float32)
    y = np.random.default_rng(2).standard_normal((5, 2)).astype(np.float32)
    penalty = nn.L1Penalty([layer.weight], rate=0.1)
    loss = nn.PenalizedLoss(nn.MSELoss(), penalty)(layer(nl.tensor(x)), y)
    loss.backward()
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    tloss = torch.nn.functional.mse_loss(tlayer(tx), ty) + 0.1 * tlayer.weight.abs().sum()
    tloss.backward()
    assert loss.item() == pytest.approx(tloss.item(), rel=1e-6)
    np.testing.assert_allclose(layer.weight.grad, tlayer.weight.grad.numpy(), rtol=1e-5)
    np.testing.assert_allclose(layer.bias.grad, tlayer.bias.grad.numpy(), rtol=1e-5)


def test_rate_zero_skips_the_term_and_the_rate_can_change():
    layer = nn.Linear(2, 1)
    penalty = nn.L1Penalty([layer.weight], rate=0.0)
    loss_fn = nn.PenalizedLoss(nn.MSELoss(), penalty)
    x, y = nl.ones(4, 2), np.zeros((4, 1), np.float32)
    plain = nn.MSELoss()(layer(x), y).item()
    assert loss_fn(layer(x), y).item() == plain
    penalty.rate = 0.5
    expected = plain + 0.5 * float(np.abs(layer.weight.data).sum())
    assert loss_fn(layer(x), y).item() == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("rate", [-0.1, float("nan"), "0.1", True])
def test_bad_rates_are_refused(rate):
    with pytest.raises(ValueError, match=r"L1Penalty\(rate\) · expected a rate >= 0"):
        nn.L1Penalty([nl.ones(2)], rate=rate)


def test_no_parameters_is_refused():
    with pytest.raises(ValueError, match="expected at least one parameter"):
        nn.l1_penalty([], 0.1)
