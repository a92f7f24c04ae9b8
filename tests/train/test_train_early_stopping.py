"""EarlyStopping: the stopping epoch on scripted values, and best weights restored however
training ends."""

from __future__ import annotations

import os
import signal
import warnings

import pytest
from train_testkit import PoisonAt, RaiseAt, Snapshots, same_weights, scripted, train, weights

from neuronlab.train import EarlyStopping, TerminateOnNaN, TrainingContext


def run_script(values, **kwargs):
    """EarlyStopping alone on a scripted sequence; returns (callback, epochs run)."""
    es = EarlyStopping(**kwargs)
    es.set_context(TrainingContext(model=None, optimizer=None))
    es.on_train_begin({})
    ran = 0
    for epoch, value in enumerate(values):
        ran += 1
        es.on_epoch_end(epoch, {kwargs.get("monitor", "val_loss"): value})
        if es.context.stop_training:
            break
    return es, ran


@pytest.mark.parametrize("values, kwargs, stopped, best_epoch", [
    ([1.0, 0.9, 0.95, 0.96, 0.5], {"patience": 2}, 3, 1),
    ([1.0, 0.9, 0.95, 0.96, 0.5], {"patience": 3}, None, 4),
    ([1.0, 1.1, 0.9], {"patience": 0}, 1, 0),  # patience 0: the first bad epoch stops
    ([1.0, 0.99, 0.98, 0.97], {"patience": 1, "min_delta": 0.05}, 1, 0),  # too small to count
    ([1.0, 0.9, 0.8, 0.8, 0.7], {"patience": 2}, None, 4),
    ([1.0, 0.9, 0.8, 0.8, 0.7], {"patience": 2, "baseline": 0.5}, 3, 2),  # 0.5 never beaten
    ([5.0, 4.0, 1.0, 2.0, 3.0], {"patience": 1, "start_from_epoch": 2}, 3, 2),
    ([0.5, 0.6, 0.7, 0.4], {"monitor": "val_acc", "patience": 2}, None, 2),  # auto: acc is max
    ([0.5, 0.4, 0.3], {"monitor": "val_acc", "patience": 1}, 1, 0),
    ([float("nan"), 1.0, 1.2, 1.3], {"patience": 2}, 3, 1),  # NaN never improves
])  # fmt: skip
def test_stops_at_the_right_epoch(values, kwargs, stopped, best_epoch):
    es, ran = run_script(values, **kwargs)
    assert es.stopped_epoch == stopped
    assert es.best_epoch == best_epoch
    assert ran == (stopped + 1 if stopped is not None else len(values))


def test_modes():
    assert EarlyStopping(monitor="val_acc").mode == "max"
    assert EarlyStopping(monitor="accuracy").mode == "max"
    assert EarlyStopping(monitor="val_f1").mode == "max"
    assert EarlyStopping(monitor="val_mae").mode == "min"
    assert EarlyStopping(monitor="val_acc", mode="min").mode == "min"
    with pytest.raises(ValueError, match="mode='auto'.*'wiggle'.*pass mode='min' or mode='max'"):
        EarlyStopping(monitor="val_wiggle")
    with pytest.raises(ValueError, match="expected 'auto', 'min' or 'max'"):
        EarlyStopping(mode="lowest")
    with pytest.raises(ValueError, match="patience"):
        EarlyStopping(patience=-1)


def test_stops_fit_at_the_scripted_epoch_and_resets_between_runs():
    values = [1.0, 0.8, 0.9, 0.85, 0.95, 0.1, 0.1, 0.1]
    es = EarlyStopping(patience=2)
    history, _ = train(callbacks=[scripted("val_loss", values), es], epochs=8)
    assert history.epoch == [0, 1, 2, 3] and es.stopped_epoch == 3 and es.best == 0.8
    falling = [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65]  # above the last run's best at first
    history, _ = train(callbacks=[scripted("val_loss", falling), es], epochs=8)
    assert es.stopped_epoch is None and history.epoch == list(range(8))  # it reset itself
    assert es.best == 0.65 and es.best_epoch == 7


def test_missing_monitor_warns_with_the_available_keys():
    es = EarlyStopping(monitor="val_accuracy", patience=1)
    with pytest.warns(UserWarning, match=r"'val_accuracy'.*available keys: 'loss', 'val_loss'"):
        history, _ = train(callbacks=[es], epochs=2)
    assert history.epoch == [0, 1] and es.best is None
    with pytest.warns(UserWarning, match="pass val=... to fit"):
        train(callbacks=[EarlyStopping()], epochs=1, val=False)


# ----- restore_best_weights, however training ends ------------------------------------------------
VALUES = [1.0, 0.7, 0.9, 0.8, 0.95, 0.99, 0.99, 0.99]  # best at epoch 1


def _interrupt_with_sigint():
    os.kill(os.getpid(), signal.SIGINT)


def _raise_keyboard_interrupt():
    raise KeyboardInterrupt


@pytest.mark.parametrize("ending, extra, epochs, last_epoch", [
    ("patience", [], 8, 3),
    ("epoch limit", [], 3, 2),
    ("KeyboardInterrupt", [RaiseAt(3, 2, _raise_keyboard_interrupt)], 8, 2),
    ("SIGINT", [RaiseAt(3, 2, _interrupt_with_sigint)], 8, 2),
    ("TerminateOnNaN", [PoisonAt(3, 1), TerminateOnNaN()], 8, 3),
])  # fmt: skip
def test_best_weights_are_restored_however_training_ends(ending, extra, epochs, last_epoch):
    snapshots = Snapshots()
    es = EarlyStopping(patience=2, restore_best_weights=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # TerminateOnNaN's message
        history, model = train(
            callbacks=[scripted("val_loss", VALUES), *extra, es, snapshots], epochs=epochs
        )
    assert history.epoch[-1] == last_epoch
    assert history.interrupted is (ending in ("KeyboardInterrupt", "SIGINT"))
    assert es.best_epoch == 1
    assert not same_weights(snapshots.by_epoch[1], snapshots.by_epoch[last_epoch])
    assert same_weights(weights(model), snapshots.by_epoch[1])


def test_without_restore_the_last_weights_stay():
    snapshots = Snapshots()
    es = EarlyStopping(patience=2)
    _, model = train(callbacks=[scripted("val_loss", VALUES), es, snapshots], epochs=8)
    assert same_weights(weights(model), snapshots.by_epoch[3])
