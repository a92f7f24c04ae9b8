"""The steppable loop: ``Trainer`` a step or an epoch at a time is exactly ``fit``."""

import numpy as np
import pytest

import neuronlab as nl
from neuronlab.train import EarlyStopping, LambdaCallback, Trainer, fit


def _data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)).astype(np.float32)
    y = (X[:, 0] - X[:, 2] > 0).astype(np.int64)
    return X, y


def _setup(seed=0):
    nl.manual_seed(seed)
    model = nl.nn.Sequential(nl.nn.Linear(3, 8), nl.nn.Tanh(), nl.nn.Linear(8, 2))
    return model, nl.nn.CrossEntropyLoss(), nl.optim.Adam(model.parameters(), lr=0.05)


def _weights(model):
    return [p.data.copy() for p in model.parameters()]


def test_stepping_by_hand_gives_the_same_weights_and_history_as_fit():
    X, y = _data()
    model_a, loss_a, opt_a = _setup()
    history_a = fit(model_a, loss_a, opt_a, (X, y), val=(X[:16], y[:16]), epochs=3,
                    batch_size=10, metrics=["accuracy"], seed=1, verbose=False)  # fmt: skip
    model_b, loss_b, opt_b = _setup()
    trainer = Trainer(model_b, loss_b, opt_b, (X, y), val=(X[:16], y[:16]), epochs=3,
                      batch_size=10, metrics=["accuracy"], seed=1)  # fmt: skip
    steps = []
    while (step := trainer.step()) is not None:
        steps.append(step)
    assert len(steps) == 3 * 5 and trainer.done
    assert [s.global_step for s in steps] == list(range(1, 16))
    assert [s.epoch for s in steps if s.epoch_ended] == [0, 1, 2]
    assert steps[4].epoch_logs == {k: v[0] for k, v in trainer.history.history.items()}
    for a, b in zip(_weights(model_a), _weights(model_b)):
        np.testing.assert_array_equal(a, b)
    assert history_a.history == trainer.history.history


def test_run_epoch_returns_each_epochs_logs_then_none():
    X, y = _data()
    trainer = Trainer(*_setup(), (X, y), epochs=2, batch_size=16, seed=0)
    first, second = trainer.run_epoch(), trainer.run_epoch()
    assert trainer.history.history["loss"] == [first["loss"], second["loss"]]
    assert trainer.run_epoch() is None and trainer.step() is None


def test_epochs_none_trains_until_stopped_and_stop_ends_the_callbacks():
    X, y = _data()
    ended = []
    callback = LambdaCallback(on_train_end=lambda logs: ended.append(True))
    trainer = Trainer(*_setup(), (X, y), epochs=None, batch_size=16, callbacks=[callback])
    for step in trainer:
        if step.global_step == 40:  # 13+ epochs: more than the default of 10
            break
    assert not trainer.done and ended == []
    trainer.stop()
    assert trainer.done and ended == [True] and trainer.step() is None


def test_stop_restores_early_stoppings_best_weights():
    X, y = _data()
    model, loss_fn, optimizer = _setup()
    es = EarlyStopping(monitor="loss", patience=100, restore_best_weights=True)
    trainer = Trainer(model, loss_fn, optimizer, (X, y), epochs=None, batch_size=16,
                      callbacks=[es])  # fmt: skip
    trainer.run_epoch()
    best = _weights(model)
    optimizer.param_groups[0]["lr"] = 50.0  # the next epoch makes things worse
    trainer.run_epoch()
    assert es.best_epoch == 0
    trainer.stop()
    for a, b in zip(best, _weights(model)):
        np.testing.assert_array_equal(a, b)


def test_evaluating_between_steps_does_not_leave_the_model_in_eval_mode():
    X, y = _data()
    model, loss_fn, optimizer = _setup()
    model = nl.nn.Sequential(model, nl.nn.Dropout(0.5))
    seen = []
    trainer = Trainer(model, loss_fn, nl.optim.SGD(model.parameters(), lr=0.1), (X, y),
                      epochs=1, batch_size=16,
                      callbacks=[LambdaCallback(on_train_batch_begin=lambda b, logs: seen.append(
                          model.training))])  # fmt: skip
    trainer.step()
    model.eval()  # what a frame drawn between two steps may do
    trainer.step()
    assert seen == [True, True] and model.training


def test_bad_epochs_are_refused():
    X, y = _data()
    with pytest.raises(ValueError, match="epochs"):
        Trainer(*_setup(), (X, y), epochs=0)


def test_callbacks_join_and_leave_between_steps():
    import numpy as np

    import neuronlab as nl
    from neuronlab.train import EarlyStopping, Trainer

    X = np.random.default_rng(0).normal(size=(40, 2)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)
    model = nl.nn.Linear(2, 2)
    trainer = Trainer(model, nl.nn.CrossEntropyLoss(), nl.optim.SGD(model.parameters(), lr=0.1),
                      (X, y), val=(X, y), epochs=None, batch_size=10, seed=0)  # fmt: skip
    trainer.run_epoch()
    seen = []
    es = EarlyStopping("val_loss", patience=0, min_delta=10.0)  # nothing counts as progress
    spy = nl.train.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    trainer.add_callback(spy)
    trainer.add_callback(es)
    assert trainer.callbacks.callbacks[-1] is trainer.history  # History still records last
    trainer.run_epoch()  # epoch 1: the first epoch es sees is its best
    trainer.remove_callback(spy)
    trainer.run_epoch()  # epoch 2: no improvement of 10, patience 0: stop
    assert seen == [1] and es.stopped_epoch == 2 and trainer.context.stop_training
    assert trainer.step() is None and trainer.done


def test_a_new_batch_size_applies_from_the_next_epoch():
    import numpy as np

    import neuronlab as nl
    from neuronlab.train import Trainer

    X = np.zeros((20, 2), np.float32)
    y = np.zeros(20, np.int64)
    model = nl.nn.Linear(2, 2)
    trainer = Trainer(model, nl.nn.CrossEntropyLoss(), nl.optim.SGD(model.parameters(), lr=0.1),
                      (X, y), epochs=None, batch_size=10, seed=0)  # fmt: skip
    first = trainer.step()
    trainer.train_data.batch_size = 4  # mid-epoch: this epoch keeps batches of 10
    assert trainer.step().epoch_ended
    steps = [trainer.step() for _ in range(5)]
    assert [s.batch for s in steps] == [0, 1, 2, 3, 4] and steps[-1].epoch_ended
    assert first.epoch == 0 and steps[0].epoch == 1
