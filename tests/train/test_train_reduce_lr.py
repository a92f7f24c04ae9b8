"""ReduceLROnPlateau (callback) changes the lr exactly as PyTorch's scheduler does."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from train_testkit import mlp, scripted, train

import neuronlab as nl
from neuronlab.train import ReduceLROnPlateau, TrainingContext

LOSSES = [1.0, 0.9, 0.9, 0.91, 0.9, 0.95, 0.5, 0.5, 0.5, 0.5, 0.49, 0.499, 0.5, 0.3, 0.3, 0.3,
          0.3, 0.3, 0.3, 0.3, 0.3, 0.3]  # fmt: skip
RNG_METRIC = list(np.random.default_rng(0).uniform(0.0, 1.0, 30))
CASES = [
    dict(factor=0.5, patience=2),
    dict(factor=0.5, patience=0, cooldown=2),
    dict(factor=0.1, patience=1, min_lr=0.002),
    dict(factor=0.5, patience=1, min_delta=0.05, threshold_mode="abs"),
    dict(factor=0.5, patience=1, min_delta=0.05, threshold_mode="rel"),
    dict(factor=0.3, patience=3, cooldown=1, min_lr=1e-3),
]


def torch_lrs(values, mode, lr=0.1, min_delta=1e-4, threshold_mode="rel", **kw):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=lr)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, mode=mode, threshold=min_delta, threshold_mode=threshold_mode, **kw
    )
    lrs = []
    for v in values:
        lrs.append(opt.param_groups[0]["lr"])  # the lr used in this epoch, then step
        sched.step(v)
    return lrs


def our_lrs(values, monitor, lr=0.1, **kw):
    opt = nl.optim.SGD([nl.zeros(1, requires_grad=True)], lr=lr)
    cb = ReduceLROnPlateau(monitor, **kw)
    cb.set_context(TrainingContext(model=None, optimizer=opt))
    cb.on_train_begin({})
    lrs = []
    for epoch, v in enumerate(values):
        logs = {monitor: v}
        cb.on_epoch_end(epoch, logs)
        lrs.append(logs["lr"])
    return lrs


@pytest.mark.parametrize("kw", CASES)
@pytest.mark.parametrize("values", [LOSSES, RNG_METRIC], ids=["plateaus", "random"])
def test_same_lrs_as_torch_mode_min(kw, values):
    expected = torch_lrs(values, "min", **kw)
    assert our_lrs(values, "val_loss", **kw) == pytest.approx(expected, rel=1e-12)
    assert len(set(expected)) > 1  # the case does reduce


@pytest.mark.parametrize("kw", CASES)
def test_same_lrs_as_torch_mode_max(kw):
    values = [1.0 - v for v in LOSSES]
    expected = torch_lrs(values, "max", **kw)
    assert our_lrs(values, "val_accuracy", **kw) == pytest.approx(expected, rel=1e-12)
    assert our_lrs(values, "val_anything", mode="max", **kw) == pytest.approx(expected)


def test_inside_fit_all_groups_change_and_lr_is_logged():
    kw = dict(factor=0.5, patience=1, cooldown=1)
    values = LOSSES[:10]
    history, _ = train(callbacks=[scripted("val_loss", values), ReduceLROnPlateau(**kw)],
                       epochs=10)  # fmt: skip
    assert history.history["lr"] == pytest.approx(torch_lrs(values, "min", **kw))
    model = mlp()
    params = list(model.parameters())
    opt = nl.optim.SGD([{"params": params[:2], "lr": 0.1}, {"params": params[2:], "lr": 0.4}])
    X, y = np.zeros((8, 4), np.float32), np.zeros(8, np.int64)
    cb = ReduceLROnPlateau("loss", factor=0.5, patience=0)
    nl.train.fit(model, nl.nn.CrossEntropyLoss(), opt, (X, y), epochs=3, verbose=False,
                 callbacks=[scripted("loss", [1.0, 1.0, 1.0]), cb])  # fmt: skip
    assert [g["lr"] for g in opt.param_groups] == [0.025, 0.1]


def test_reusable_across_fits_and_validated():
    cb = ReduceLROnPlateau(factor=0.5, patience=0)
    first, _ = train(callbacks=[scripted("val_loss", [1.0, 1.0, 1.0]), cb], epochs=3)
    second, _ = train(callbacks=[scripted("val_loss", [1.0, 1.0, 1.0]), cb], epochs=3)
    assert first.history["lr"] == second.history["lr"] == [0.1, 0.1, 0.05]
    with pytest.raises(ValueError, match=r"factor=\.\.\.\) · expected a number in \(0, 1\)"):
        ReduceLROnPlateau(factor=2.0)
    with pytest.warns(UserWarning, match="ReduceLROnPlateau · monitors 'val_loss'"):
        train(callbacks=[ReduceLROnPlateau()], epochs=1, val=False)
