"""Optimizer trajectories against PyTorch: the same problem, the same start, 20 steps, every
parameter equal (rtol 1e-6, float64) after every step.

The problem: loss = 0.5 * sum((tanh(X @ W + b) - Y)^2) + 0.05 * sum(W^2), over W (3, 4) and
b (4,). Our gradients come from our autograd, PyTorch's from its own.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab import optim

pytestmark = pytest.mark.torch

_rng = np.random.default_rng(0)
X, Y = _rng.standard_normal((6, 3)), _rng.standard_normal((6, 4))
W0, B0 = _rng.standard_normal((3, 4)), _rng.standard_normal(4)


def ours_loss(w, b):
    r = (nl.tensor(X, dtype=w.dtype) @ w + b).tanh() - nl.tensor(Y, dtype=w.dtype)
    return (r * r).sum() * 0.5 + (w * w).sum() * 0.05


def torch_loss(w, b):
    r = torch.tanh(torch.from_numpy(X).to(w.dtype) @ w + b) - torch.from_numpy(Y).to(w.dtype)
    return (r * r).sum() * 0.5 + (w * w).sum() * 0.05


def make_params(dtype="float64"):
    ours = [
        nl.tensor(W0, dtype=dtype, requires_grad=True),
        nl.tensor(B0, dtype=dtype, requires_grad=True),
    ]
    tdtype = getattr(torch, dtype)
    theirs = [
        torch.tensor(W0, dtype=tdtype, requires_grad=True),
        torch.tensor(B0, dtype=tdtype, requires_grad=True),
    ]
    return ours, theirs


def train_both(ours_opt, torch_opt, ours, theirs, steps=20, schedulers=(), rtol=1e-6, atol=1e-9):
    """Step both optimizers ``steps`` times, comparing the parameters after every step."""
    for step in range(steps):
        ours_opt.zero_grad()
        ours_loss(*ours).backward()
        ours_opt.step()
        torch_opt.zero_grad()
        torch_loss(*theirs).backward()
        torch_opt.step()
        for ours_sched, torch_sched in schedulers:
            ours_sched.step()
            torch_sched.step()
        for i, (a, b) in enumerate(zip(ours, theirs)):
            np.testing.assert_allclose(
                a.data,
                b.detach().numpy(),
                rtol=rtol,
                atol=atol,
                err_msg=f"parameter {i} after step {step + 1}",
            )


CASES = [
    ("SGD", {"lr": 0.05}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.05, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.02, "momentum": 0.5, "weight_decay": 0.1, "maximize": True}),
    ("SGD", {"lr": 0.02, "momentum": 0.8, "nesterov": True, "weight_decay": 0.2}),
    ("SGD", {"lr": 0.02, "maximize": True}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "maximize": True}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-3, "amsgrad": True, "weight_decay": 0.2}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1, "maximize": True, "decoupled_weight_decay": True}),
    ("AdamW", {"lr": 0.05}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True}),
    ("AdamW", {"lr": 0.05, "maximize": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-4, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05}),
    ("Adagrad", {"lr": 0.1, "weight_decay": 0.1, "initial_accumulator_value": 0.5}),
    ("Adagrad", {"lr": 0.1, "eps": 1e-3, "maximize": True}),
]


@pytest.mark.parametrize(("name", "options"), CASES, ids=[f"{n}-{o}" for n, o in CASES])
def test_trajectory_matches_pytorch(name, options):
    ours, theirs = make_params()
    ours_opt = getattr(optim, name)(ours, **options)
    torch_opt = getattr(torch.optim, name)(theirs, **options)
    train_both(ours_opt, torch_opt, ours, theirs)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_param_groups_with_different_lrs_match_pytorch(name):
    ours, theirs = make_params()
    extra = {"momentum": 0.9} if name == "SGD" else {}
    ours_opt = getattr(optim, name)(
        [{"params": [ours[0]], "lr": 0.1}, {"params": [ours[1]]}], lr=0.01, **extra
    )
    torch_opt = getattr(torch.optim, name)(
        [{"params": [theirs[0]], "lr": 0.1}, {"params": [theirs[1]]}], lr=0.01, **extra
    )
    train_both(ours_opt, torch_opt, ours, theirs)


def test_add_param_group_midway_matches_pytorch():
    ours, theirs = make_params()
    ours_opt = optim.Adam([ours[0]], lr=0.05)
    torch_opt = torch.optim.Adam([theirs[0]], lr=0.05)
    ours[1].requires_grad_(False)
    theirs[1].requires_grad_(False)
    train_both(ours_opt, torch_opt, ours, theirs, steps=5)
    ours[1].requires_grad_(True)
    theirs[1].requires_grad_(True)
    ours_opt.add_param_group({"params": [ours[1]], "lr": 0.2, "amsgrad": True})
    torch_opt.add_param_group({"params": [theirs[1]], "lr": 0.2, "amsgrad": True})
    train_both(ours_opt, torch_opt, ours, theirs, steps=10)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_float32_stays_float32_and_tracks_pytorch(name):
    ours, theirs = make_params("float32")
    options = {"lr": 0.01, "weight_decay": 0.1}
    if name in ("SGD", "RMSprop"):
        options["momentum"] = 0.9
    ours_opt = getattr(optim, name)(ours, **options)
    torch_opt = getattr(torch.optim, name)(theirs, **options)
    train_both(ours_opt, torch_opt, ours, theirs, rtol=2e-5, atol=1e-6)
    for p in ours:
        assert p.data.dtype == np.float32
        for key, value in ours_opt.state[p].items():
            if isinstance(value, np.ndarray):
                assert value.dtype == np.float32, key


def test_scheduled_training_matches_pytorch():
    """OneCycleLR cycles SGD's momentum and the lr each step; StepLR chained on Adam's lr."""
    ours, theirs = make_params()
    ours_opt = optim.SGD(ours, lr=0.01, momentum=0.9)
    torch_opt = torch.optim.SGD(theirs, lr=0.01, momentum=0.9)
    scheds = [
        (
            optim.lr_scheduler.OneCycleLR(ours_opt, max_lr=0.1, total_steps=20),
            torch.optim.lr_scheduler.OneCycleLR(torch_opt, max_lr=0.1, total_steps=20),
        )
    ]
    train_both(ours_opt, torch_opt, ours, theirs, steps=19, schedulers=scheds)

    ours, theirs = make_params()
    ours_opt = optim.Adam(ours, lr=0.05)
    torch_opt = torch.optim.Adam(theirs, lr=0.05)
    scheds = [
        (
            optim.lr_scheduler.OneCycleLR(ours_opt, max_lr=0.1, total_steps=25),
            torch.optim.lr_scheduler.OneCycleLR(torch_opt, max_lr=0.1, total_steps=25),
        ),
        (
            optim.lr_scheduler.StepLR(ours_opt, step_size=4, gamma=0.5),
            torch.optim.lr_scheduler.StepLR(torch_opt, step_size=4, gamma=0.5),
        ),
    ]
    train_both(ours_opt, torch_opt, ours, theirs, steps=20, schedulers=scheds)
    assert ours_opt.param_groups[0]["betas"] == pytest.approx(torch_opt.param_groups[0]["betas"])


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("SGD", {"momentum": 0.9}),
        ("Adam", {"amsgrad": True}),
        ("RMSprop", {"momentum": 0.9, "centered": True}),
        ("Adagrad", {}),
    ],
)
def test_state_dict_layout_and_values_match_pytorch(name, options):
    ours, theirs = make_params()
    ours_opt = getattr(optim, name)(ours, lr=0.01, **options)
    torch_opt = getattr(torch.optim, name)(theirs, lr=0.01, **options)
    train_both(ours_opt, torch_opt, ours, theirs, steps=3)
    a, b = ours_opt.state_dict(), torch_opt.state_dict()
    assert a["state"].keys() == b["state"].keys() == {0, 1}
    assert [g["params"] for g in a["param_groups"]] == [g["params"] for g in b["param_groups"]]
    assert set(a["param_groups"][0]) <= set(b["param_groups"][0])
    for index, values in b["state"].items():
        assert a["state"][index].keys() == values.keys()
        for key, value in values.items():
            np.testing.assert_allclose(np.asarray(a["state"][index][key]), value.numpy(), rtol=1e-6)
