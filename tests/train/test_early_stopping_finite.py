"""EarlyStopping(restore_best_weights=True) never puts back non-finite weights."""

from __future__ import annotations

import numpy as np
import pytest

import neuronlab as nl
from neuronlab.train import EarlyStopping, TerminateOnNaN, TrainingContext, fit


def stopper_on(model):
    es = EarlyStopping("val_loss", patience=3, restore_best_weights=True)
    es.set_context(TrainingContext(model=model, optimizer=None))
    es.set_model(model)
    es.on_train_begin()
    return es


def test_a_diverged_first_epoch_is_never_restored():
    model = nl.nn.Linear(2, 1)
    es = stopper_on(model)
    model.weight.data[...] = np.nan  # the first epoch diverged
    es.on_epoch_end(0, {"val_loss": float("nan")})
    model.weight.data[...] = np.inf
    es.on_epoch_end(1, {"val_loss": float("inf")})
    assert es.best_weights is None
    with pytest.warns(RuntimeWarning, match="nothing to restore"):
        es.on_train_end()


def test_the_last_finite_best_epoch_is_restored_after_a_divergence():
    model = nl.nn.Linear(2, 1)
    es = stopper_on(model)
    good = model.weight.data.copy()
    es.on_epoch_end(0, {"val_loss": 0.5})
    model.weight.data[...] = np.nan
    es.on_epoch_end(1, {"val_loss": float("nan")})
    es.on_train_end()
    np.testing.assert_array_equal(model.weight.data, good)
    assert es.best_epoch == 0


def test_a_real_diverging_fit_ends_with_finite_or_untouched_weights():
    nl.manual_seed(0)
    X = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)
    model = nl.nn.Sequential(nl.nn.Linear(2, 8), nl.nn.ReLU(), nl.nn.Linear(8, 2))
    es = EarlyStopping("val_loss", patience=2, restore_best_weights=True)
    with pytest.warns(RuntimeWarning):
        fit(model, nl.nn.CrossEntropyLoss(), nl.optim.SGD(model.parameters(), lr=1e8),
            (X, y), (X, y), epochs=4, batch_size=16, callbacks=[es, TerminateOnNaN()],
            verbose=False)  # fmt: skip
    if es.best_weights is not None:  # whatever was restored is finite
        assert all(np.isfinite(p.data).all() for p in model.parameters())
