"""DP-SGD against Opacus (the oracle): the accountant's epsilon and noise multiplier, and the
per-example, clipped and summed gradients of the same model with the same weights."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from opacus.accountants import RDPAccountant as OpacusRDP
from opacus.accountants.utils import get_noise_multiplier as opacus_noise
from opacus.grad_sample import GradSampleModule
from opacus.optimizers import DPOptimizer as OpacusDPOptimizer

import neuronlab as nl
from neuronlab import nn, optim
from neuronlab.responsible import (
    RDPAccountant,
    get_noise_multiplier,
    make_private,
)
from neuronlab.train import Trainer


# ----- the accountant -----------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(24))
def test_epsilon_equals_opacus(seed):
    rng = np.random.default_rng(seed)
    ours, theirs = RDPAccountant(), OpacusRDP()
    for _ in range(int(rng.integers(1, 4))):  # a few phases with different settings
        sigma = float(rng.uniform(0.4, 4.0))
        q = float(10 ** rng.uniform(-3.5, -0.05))
        for _ in range(int(rng.integers(1, 40))):
            ours.step(noise_multiplier=sigma, sample_rate=q)
            theirs.step(noise_multiplier=sigma, sample_rate=q)
        ours.history[-1] = theirs.history[-1] = (sigma, q, int(rng.integers(1, 3000)))
    delta = float(10 ** rng.uniform(-8, -2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eps, alpha = ours.get_privacy_spent(delta=delta)
        ref_eps, ref_alpha = theirs.get_privacy_spent(delta=delta)
    assert math.isclose(eps, ref_eps, rel_tol=1e-9) and alpha == ref_alpha


@pytest.mark.parametrize(
    ("target", "delta", "q", "steps"),
    [
        (1.0, 1e-5, 0.01, 600),
        (3.0, 1e-5, 0.004, 2000),
        (8.0, 1e-6, 0.05, 300),
        (0.5, 1e-3, 0.1, 50),
    ],
)
def test_noise_multiplier_equals_opacus(target, delta, q, steps):
    ours = get_noise_multiplier(
        target_epsilon=target, target_delta=delta, sample_rate=q, steps=steps
    )
    theirs = opacus_noise(target_epsilon=target, target_delta=delta, sample_rate=q, steps=steps)
    assert math.isclose(ours, theirs, rel_tol=1e-12)


def test_accountant_errors_say_what_to_do():
    accountant = RDPAccountant()
    with pytest.raises(ValueError, match="noise_multiplier must be a positive number"):
        accountant.step(noise_multiplier=0.0, sample_rate=0.1)
    with pytest.raises(ValueError, match="noise_multiplier must be a positive number"):
        accountant.step(noise_multiplier=-1.0, sample_rate=0.1)
    with pytest.raises(ValueError, match=r"sample_rate must be in \(0, 1\]"):
        accountant.step(noise_multiplier=1.0, sample_rate=1.5)
    accountant.step(noise_multiplier=1.0, sample_rate=0.1)
    with pytest.raises(ValueError, match="delta must be a probability strictly between 0 and 1"):
        accountant.get_epsilon(delta=1.0)
    with pytest.raises(ValueError, match="either steps= or epochs="):
        get_noise_multiplier(target_epsilon=1.0, target_delta=1e-5, sample_rate=0.1)


# ----- per-example gradients and the private gradient ---------------------------------------
def twin_mlp(seed=0):
    """The same MLP in neuronlab and in torch, with our weights copied into torch's."""
    nl.manual_seed(seed)
    ours = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.LayerNorm(8), nn.Linear(8, 3))
    theirs = torch.nn.Sequential(
        torch.nn.Linear(6, 8), torch.nn.Tanh(), torch.nn.LayerNorm(8), torch.nn.Linear(8, 3)
    ).double()
    return ours, copy_weights(ours, theirs)


def copy_weights(ours, theirs):
    mine = dict(ours.named_parameters())
    with torch.no_grad():
        for name, p in theirs.named_parameters():
            p.copy_(torch.from_numpy(np.asarray(mine[name].data, dtype=np.float64)))
    return theirs


def twin_cnn(seed=0):
    nl.manual_seed(seed)
    ours = nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 4 * 4, 2))
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(1, 3, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(3 * 4 * 4, 2)
    ).double()
    return ours, copy_weights(ours, theirs)


def batch(shape, seed, classes):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=shape).astype(np.float32)
    return X, rng.integers(0, classes, shape[0])


def opacus_step(model, X, y, max_grad_norm):
    """Opacus with the noise off: per-example gradients, then the clipped average."""
    gsm = GradSampleModule(model)
    opt = OpacusDPOptimizer(
        torch.optim.SGD(gsm.parameters(), lr=0.0),
        noise_multiplier=0.0,
        max_grad_norm=max_grad_norm,
        expected_batch_size=len(X),
    )
    loss = torch.nn.functional.cross_entropy(gsm(torch.from_numpy(X).double()), torch.from_numpy(y))
    opt.zero_grad()
    loss.backward()
    names = [n for n, _ in model.named_parameters()]  # GradSampleModule prefixes "_module."
    per_example = {
        n: p.grad_sample.detach().numpy().copy() for n, p in zip(names, gsm.parameters())
    }
    opt.step()
    summed = {n: p.grad.detach().numpy().copy() for n, p in zip(names, gsm.parameters())}
    return per_example, summed


def our_step(model, X, y, max_grad_norm):
    _, dp, _ = make_private(
        model,
        optim.SGD(model.parameters(), lr=0.0),
        (X, y),
        batch_size=len(X),
        noise_multiplier=1.0,
        max_grad_norm=max_grad_norm,
    )
    dp.noise_std = 0.0  # noise off, as in the Opacus run
    loss = nn.CrossEntropyLoss()(model(nl.Tensor(X)), y)  # the Trainer's five lines
    dp.zero_grad()
    loss.backward()
    dp.step()
    summed = {name: p.grad for name, p in model.named_parameters()}
    dp.detach()
    per_example = nn.per_example_gradients(model, nn.CrossEntropyLoss(), X, y)
    return per_example, summed, dp


@pytest.mark.parametrize("max_grad_norm", [0.05, 0.5, 100.0])
@pytest.mark.parametrize("twin", ["mlp", "cnn"])
def test_per_example_and_clipped_gradients_equal_opacus(max_grad_norm, twin):
    ours, theirs = twin_mlp() if twin == "mlp" else twin_cnn()
    X, y = batch((12, 6) if twin == "mlp" else (12, 1, 6, 6), 5, 3 if twin == "mlp" else 2)
    ref_per_example, ref_summed = opacus_step(theirs, X, y, max_grad_norm)
    per_example, summed, dp = our_step(ours, X, y, max_grad_norm)
    for name, ref in ref_per_example.items():
        np.testing.assert_allclose(per_example[name], ref, rtol=1e-4, atol=1e-6, err_msg=name)
        np.testing.assert_allclose(
            summed[name], ref_summed[name], rtol=1e-4, atol=1e-6, err_msg=name
        )
    assert np.all(dp.norms_after <= max_grad_norm + 1e-6)


def test_noise_has_the_promised_standard_deviation():
    """With every gradient zero, the private gradient is pure noise: std sigma * C / B."""
    model = nn.Linear(40, 50, bias=False)
    model.weight.data[...] = 0
    X, y = np.zeros((10, 40), np.float32), np.zeros((10, 50), np.float32)
    opt = optim.SGD(model.parameters(), lr=0.0)
    _, dp, _ = make_private(
        model, opt, (X, y), batch_size=10, noise_multiplier=2.0, max_grad_norm=3.0, seed=1
    )
    loss = nn.MSELoss()(model(nl.Tensor(X)), y)
    dp.zero_grad()
    loss.backward()
    dp.step()
    std = float(np.std(model.weight.grad))
    assert abs(std - 2.0 * 3.0 / 10) < 0.05 * 0.6, std


def test_dp_training_with_the_trainer_learns_and_counts_epsilon():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 4)).astype(np.float32)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.int64)
    nl.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    model, dp, loader = make_private(
        model,
        optim.SGD(model.parameters(), lr=0.5),
        (X, y),
        batch_size=50,
        noise_multiplier=1.0,
        max_grad_norm=1.0,
        seed=0,
    )
    Trainer(model, nn.CrossEntropyLoss(), dp, loader, epochs=5, metrics=["accuracy"]).run()
    accuracy = float((nl.train.predict(model, X).argmax(1) == y).mean())
    reference = OpacusRDP()
    for _ in range(5 * len(loader)):
        reference.step(noise_multiplier=1.0, sample_rate=1 / 8)
    assert accuracy > 0.85
    assert math.isclose(dp.epsilon(1e-5), reference.get_epsilon(1e-5), rel_tol=1e-9)


def test_poisson_batches_have_the_sample_rate():
    X, y = np.zeros((1000, 2), np.float32), np.arange(1000)
    _, _, loader = make_private(
        nn.Linear(2, 2),
        optim.SGD(nn.Linear(2, 2).parameters(), lr=1),
        (X, y),
        batch_size=100,
        noise_multiplier=1.0,
        max_grad_norm=1.0,
        seed=0,
    )
    sizes = [len(b[1]) for _ in range(20) for b in loader]
    assert len(loader) == 10 and abs(np.mean(sizes) - 100) < 3 and np.std(sizes) > 5


def test_layers_without_a_rule_and_bad_settings_are_refused():
    model = nn.Sequential(nn.Linear(4, 4), nn.RNN(4, 4))
    X, y = np.zeros((8, 4), np.float32), np.zeros(8, np.int64)
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(NotImplementedError, match=r"no per-example gradient rule for 1 \(RNN\)"):
        make_private(model, opt, (X, y), batch_size=4, noise_multiplier=1.0, max_grad_norm=1.0)
    linear = nn.Linear(4, 2)
    opt = optim.SGD(linear.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="noise_multiplier must be a positive number"):
        make_private(linear, opt, (X, y), batch_size=4, noise_multiplier=0.0, max_grad_norm=1.0)
    with pytest.raises(ValueError, match="delta must be a probability"):
        make_private(
            linear,
            opt,
            (X, y),
            batch_size=4,
            max_grad_norm=1.0,
            target_epsilon=1.0,
            target_delta=1.0,
            epochs=1,
        )
    with pytest.raises(ValueError, match="give noise_multiplier=, or target_epsilon="):
        make_private(linear, opt, (X, y), batch_size=4, max_grad_norm=1.0)
    bn = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4))
    with pytest.raises(RuntimeError, match="is in training mode"):
        make_private(
            bn,
            optim.SGD(bn.parameters(), lr=0.1),
            (X, y),
            batch_size=4,
            noise_multiplier=1.0,
            max_grad_norm=1.0,
        )
