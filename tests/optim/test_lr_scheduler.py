"""Learning-rate schedules against PyTorch's: the same lr sequences, value for value."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab import optim
from neuronlab.optim import lr_scheduler

pytestmark = pytest.mark.torch

LRS = (0.1, 0.02)  # two parameter groups with different learning rates


def make_optimizers(name="SGD", **options):
    ours_params = [nl.zeros(2, requires_grad=True), nl.zeros(3, requires_grad=True)]
    torch_params = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    ours = getattr(optim, name)(
        [{"params": [p], "lr": lr} for p, lr in zip(ours_params, LRS)], **options
    )
    theirs = getattr(torch.optim, name)(
        [{"params": [p], "lr": lr} for p, lr in zip(torch_params, LRS)], **options
    )
    return ours, theirs


def lr_history(optimizer, scheduler, steps, metrics=None):
    """Group lrs (and momentum / beta1) after construction and after each of ``steps`` steps."""
    history = []
    for step in range(steps + 1):
        if step:
            optimizer.step()  # no gradients: a no-op, but the order PyTorch expects
            scheduler.step(*([metrics[step - 1]] if metrics else []))
        for group in optimizer.param_groups:
            momentum = group["betas"][0] if "betas" in group else group.get("momentum")
            history.append((group["lr"], momentum))
        history.append(tuple(scheduler.get_last_lr()))
    return history


SCHEDULES = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("StepLR", {"step_size": 1}),
    ("MultiStepLR", {"milestones": [2, 5, 5, 9], "gamma": 0.3}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.001}),
    ("CosineAnnealingLR", {"T_max": 10}),
    ("LinearLR", {}),
    ("LinearLR", {"start_factor": 0.2, "end_factor": 0.9, "total_iters": 6}),
    ("LinearLR", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 10}),
    ("OneCycleLR", {"max_lr": [1.0, 0.5], "total_steps": 30}),
    ("OneCycleLR", {"max_lr": 0.3, "total_steps": 30, "anneal_strategy": "linear"}),
    ("OneCycleLR", {"max_lr": 0.3, "total_steps": 30, "three_phase": True, "pct_start": 0.25}),
    ("OneCycleLR", {"max_lr": 0.3, "epochs": 3, "steps_per_epoch": 10, "cycle_momentum": False}),
    (
        "OneCycleLR",
        {"max_lr": 0.3, "total_steps": 30, "div_factor": 10.0, "final_div_factor": 100.0},
    ),
]


@pytest.mark.parametrize(("name", "options"), SCHEDULES, ids=[f"{n}-{o}" for n, o in SCHEDULES])
@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_lr_sequence_matches_pytorch(name, options, optimizer):
    extra = {"momentum": 0.9} if optimizer == "SGD" else {}
    ours_opt, torch_opt = make_optimizers(optimizer, **extra)
    ours = getattr(lr_scheduler, name)(ours_opt, **options)
    theirs = getattr(torch.optim.lr_scheduler, name)(torch_opt, **options)
    steps = 29 if name == "OneCycleLR" else 30
    assert lr_history(ours_opt, ours, steps) == lr_history(torch_opt, theirs, steps)
    assert ours.last_epoch == theirs.last_epoch
    assert ours_opt.param_groups[0]["initial_lr"] == torch_opt.param_groups[0]["initial_lr"]


def test_chained_schedulers_match_pytorch():
    ours_opt, torch_opt = make_optimizers()
    ours = [lr_scheduler.ExponentialLR(ours_opt, 0.9), lr_scheduler.StepLR(ours_opt, 4, 0.5)]
    theirs = [
        torch.optim.lr_scheduler.ExponentialLR(torch_opt, 0.9),
        torch.optim.lr_scheduler.StepLR(torch_opt, 4, 0.5),
    ]
    for _ in range(25):
        ours_opt.step()
        torch_opt.step()
        for a, b in zip(ours, theirs):
            a.step()
            b.step()
        assert [g["lr"] for g in ours_opt.param_groups] == [g["lr"] for g in torch_opt.param_groups]


def test_resuming_with_last_epoch_matches_pytorch():
    ours_opt, torch_opt = make_optimizers()
    for group in [*ours_opt.param_groups, *torch_opt.param_groups]:
        group["initial_lr"] = group["lr"] * 2
    ours = lr_scheduler.CosineAnnealingLR(ours_opt, T_max=9, last_epoch=4)
    theirs = torch.optim.lr_scheduler.CosineAnnealingLR(torch_opt, T_max=9, last_epoch=4)
    assert lr_history(ours_opt, ours, 20) == lr_history(torch_opt, theirs, 20)


PLATEAUS = [
    {},
    {"patience": 2, "factor": 0.5},
    {"mode": "max", "patience": 1, "threshold": 0.05},
    {"mode": "min", "patience": 1, "threshold_mode": "abs", "threshold": 0.3, "cooldown": 2},
    {"mode": "max", "patience": 0, "threshold_mode": "abs", "cooldown": 1, "min_lr": [0.01, 0.0]},
    {"patience": 0, "factor": 0.5, "min_lr": 0.015, "eps": 1e-3},
]


@pytest.mark.parametrize("options", PLATEAUS, ids=[str(o) for o in PLATEAUS])
def test_reduce_lr_on_plateau_matches_pytorch(options):
    rng = np.random.default_rng(1)
    # a metric that improves, stalls, gets noisy, improves again
    metrics = [*np.linspace(5.0, 3.0, 6), *([3.0] * 8), *(3.0 + rng.normal(0, 0.5, 10))]
    metrics = [float(m) for m in [*metrics, *np.linspace(3.0, 1.0, 6)]]
    ours_opt, torch_opt = make_optimizers()
    ours = lr_scheduler.ReduceLROnPlateau(ours_opt, **options)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(torch_opt, **options)
    steps = len(metrics)
    assert lr_history(ours_opt, ours, steps, metrics) == lr_history(
        torch_opt, theirs, steps, metrics
    )
    assert (ours.best, ours.num_bad_epochs, ours.last_epoch) == (
        theirs.best,
        theirs.num_bad_epochs,
        theirs.last_epoch,
    )


def test_reduce_lr_on_plateau_accepts_a_tensor_metric():
    opt, _ = make_optimizers()
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    sched.step(nl.tensor(1.0))
    sched.step(nl.tensor(2.0))
    assert sched.get_last_lr() == pytest.approx([0.01, 0.002])


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("StepLR", {"step_size": 3, "gamma": 0.5}),
        ("CosineAnnealingLR", {"T_max": 6}),
        ("OneCycleLR", {"max_lr": 0.5, "total_steps": 12}),
        ("LinearLR", {"total_iters": 8}),
    ],
)
def test_scheduler_state_dict_round_trip(name, options):
    opt, _ = make_optimizers("SGD", momentum=0.9)
    sched = getattr(lr_scheduler, name)(opt, **options)
    expected = lr_history(opt, sched, 10)[-3:]

    opt, _ = make_optimizers("SGD", momentum=0.9)
    sched = getattr(lr_scheduler, name)(opt, **options)
    lr_history(opt, sched, 5)
    saved_sched, saved_opt = sched.state_dict(), opt.state_dict()
    assert "optimizer" not in saved_sched
    opt2, _ = make_optimizers("SGD", momentum=0.9)
    sched2 = getattr(lr_scheduler, name)(opt2, **options)
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved_sched)
    assert lr_history(opt2, sched2, 5)[-3:] == expected


def test_plateau_state_dict_round_trip():
    metrics = [3.0, 2.0, 2.0, 2.0, 2.5, 2.5, 1.0, 1.0, 1.0, 1.0]
    opt, _ = make_optimizers()
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=1)
    expected = lr_history(opt, sched, 10, metrics)[-3:]
    opt, _ = make_optimizers()
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=1)
    lr_history(opt, sched, 4, metrics)
    opt2, _ = make_optimizers()
    sched2 = lr_scheduler.ReduceLROnPlateau(opt2)
    opt2.load_state_dict(opt.state_dict())
    sched2.load_state_dict(sched.state_dict())
    assert lr_history(opt2, sched2, 6, metrics[4:])[-3:] == expected


def test_constructor_step_sets_initial_lr_and_epoch_zero():
    opt, _ = make_optimizers()
    sched = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    assert sched.last_epoch == 0
    assert sched.base_lrs == list(LRS)
    assert [g["initial_lr"] for g in opt.param_groups] == list(LRS)
    assert sched.get_last_lr() == list(LRS)
    assert isinstance(lr_scheduler.ReduceLROnPlateau(opt), lr_scheduler.LRScheduler)


def test_get_last_lr_is_a_copy():
    opt, _ = make_optimizers()
    sched = lr_scheduler.StepLR(opt, 2)
    sched.get_last_lr().append(1.0)
    assert len(sched.get_last_lr()) == 2


def test_cosine_closed_form():
    opt, _ = make_optimizers()
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=8, eta_min=0.01)
    for epoch in range(1, 9):
        sched.step()
        expected = 0.01 + (0.1 - 0.01) * (1 + math.cos(math.pi * epoch / 8)) / 2
        assert sched.get_last_lr()[0] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda o: lr_scheduler.StepLR(o, step_size=0), ValueError, "step_size must be a positive"),
        (lambda o: lr_scheduler.StepLR("sgd", 2), TypeError, "needs a neuronlab.optim optimizer"),
        (lambda o: lr_scheduler.MultiStepLR(o, [1.5]), TypeError, "milestones must be ints"),
        (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=0), ValueError, "T_max must be > 0"),
        (lambda o: lr_scheduler.LinearLR(o, start_factor=0), ValueError, "start_factor"),
        (lambda o: lr_scheduler.LinearLR(o, end_factor=1.5), ValueError, "end_factor"),
        (lambda o: lr_scheduler.LinearLR(o, total_iters=0), ValueError, "total_iters"),
        (lambda o: lr_scheduler.OneCycleLR(o, 0.1), ValueError, "give either total_steps"),
        (lambda o: lr_scheduler.OneCycleLR(o, 0.1, total_steps=0), ValueError, "total_steps"),
        (
            lambda o: lr_scheduler.OneCycleLR(o, 0.1, epochs=2, steps_per_epoch=-1),
            ValueError,
            "steps_per_epoch must be a positive int",
        ),
        (
            lambda o: lr_scheduler.OneCycleLR(o, 0.1, 10, pct_start=1.5),
            ValueError,
            r"pct_start must be in \[0, 1\]",
        ),
        (
            lambda o: lr_scheduler.OneCycleLR(o, 0.1, 10, anneal_strategy="exp"),
            ValueError,
            "anneal_strategy must be 'cos' or 'linear'",
        ),
        (
            lambda o: lr_scheduler.OneCycleLR(o, [0.1, 0.2, 0.3], 10),
            ValueError,
            "max_lr must have one value per parameter group: got 3 values for 2 groups",
        ),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=1.0), ValueError, "factor must be < 1"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="up"), ValueError, "mode must be"),
        (
            lambda o: lr_scheduler.ReduceLROnPlateau(o, threshold_mode="pct"),
            ValueError,
            "threshold_mode must be 'rel' or 'abs'",
        ),
        (
            lambda o: lr_scheduler.ReduceLROnPlateau(o, min_lr=[0.1]),
            ValueError,
            "min_lr must have one value per parameter group",
        ),
        (
            lambda o: lr_scheduler.ExponentialLR(o, 0.9, last_epoch=3),
            KeyError,
            "has no 'initial_lr'",
        ),
    ],
)
def test_scheduler_errors(make, error, match):
    opt, _ = make_optimizers()
    with pytest.raises(error, match=match):
        make(opt)


def test_one_cycle_needs_momentum_and_stops_at_total_steps():
    opt = optim.Adagrad([nl.zeros(1, requires_grad=True)])
    with pytest.raises(ValueError, match="needs an optimizer with momentum or betas"):
        lr_scheduler.OneCycleLR(opt, 0.1, total_steps=5)
    sched = lr_scheduler.OneCycleLR(opt, 0.1, total_steps=5, cycle_momentum=False)
    for _ in range(5):
        sched.step()
    with pytest.raises(ValueError, match="tried to step 6 times, but total_steps is 5"):
        sched.step()


def test_adding_a_group_after_the_scheduler_is_an_error():
    opt, _ = make_optimizers()
    sched = lr_scheduler.StepLR(opt, 2)
    opt.add_param_group({"params": [nl.zeros(1, requires_grad=True)]})
    with pytest.raises(RuntimeError, match="build the scheduler after adding every group"):
        sched.step()
