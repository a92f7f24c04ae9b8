"""Ctrl-C during fit: the current step finishes, on_train_end runs, the history comes back."""

from __future__ import annotations

import os
import signal
import threading

import numpy as np
import pytest
from train_testkit import RaiseAt, Recorder, blobs, mlp, train, weights

import neuronlab as nl
from neuronlab.train._interrupt import InterruptGuard


def _raise():
    raise KeyboardInterrupt


def _sigint():
    os.kill(os.getpid(), signal.SIGINT)


@pytest.mark.parametrize("action", [_raise, _sigint], ids=["KeyboardInterrupt", "SIGINT"])
def test_ctrl_c_returns_the_history(action, capsys):
    recorder = Recorder()
    history, model = train(callbacks=[RaiseAt(2, 3, action), recorder], epochs=5)
    assert history.interrupted and history.epoch == [0, 1]
    assert recorder.calls[-1] == ("on_train_end", None)
    assert ("on_epoch_end", 2) not in recorder.calls
    assert all(np.isfinite(w).all() for w in weights(model).values())
    assert model.training  # the mode is restored too
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["Training interrupted (Ctrl-C) in epoch 3/5 after step 4; fit returns the "
                   "history of the 2 finished epochs."]  # fmt: skip
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler given back


def test_sigint_during_optimizer_step_lets_the_step_finish():
    model = mlp()
    optimizer = nl.optim.SGD(model.parameters(), lr=0.1)
    real_step, state = optimizer.step, {"steps": 0}

    def step_with_ctrl_c():
        state["steps"] += 1
        if state["steps"] == 5:
            state["before"] = weights(model)
            state["grads"] = {k: p.grad.copy() for k, p in model.named_parameters()}
            _sigint()  # Ctrl-C arrives in the middle of the step...
        real_step()  # ...and the update still happens, for every parameter

    optimizer.step = step_with_ctrl_c
    X, y = blobs()
    history = nl.train.fit(model, nl.nn.CrossEntropyLoss(), optimizer, (X, y), epochs=3,
                           batch_size=16, verbose=False)  # fmt: skip
    assert history.interrupted and history.epoch == [] and state["steps"] == 5
    after = weights(model)
    for key, before in state["before"].items():
        np.testing.assert_allclose(after[key], before - 0.1 * state["grads"][key], rtol=1e-6)


def test_a_second_ctrl_c_interrupts_at_once():
    guard = InterruptGuard()
    with pytest.raises(KeyboardInterrupt), guard, guard.deferred():
        guard._handle(signal.SIGINT, None)
        guard._handle(signal.SIGINT, None)
        pytest.fail("the second Ctrl-C should have raised")  # pragma: no cover


def test_a_custom_sigint_handler_is_left_alone():
    seen = []
    previous = signal.signal(signal.SIGINT, lambda *args: seen.append("custom"))
    try:
        history, _ = train(callbacks=[RaiseAt(1, 0, _sigint)], epochs=2)
        assert seen == ["custom"] and not history.interrupted and history.epoch == [0, 1]
    finally:
        signal.signal(signal.SIGINT, previous)


def test_keyboard_interrupt_in_a_worker_thread():
    result = {}

    def work():
        result["history"], _ = train(callbacks=[RaiseAt(1, 0, _raise)], epochs=3)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=30)
    assert result["history"].interrupted and result["history"].epoch == [0]


def test_other_errors_propagate_after_closing_callbacks():
    closed = []

    class Closing(Recorder):
        def close(self):
            closed.append(True)

    def fail():
        raise RuntimeError("boom")

    recorder = Closing()
    with pytest.raises(RuntimeError, match="boom"):
        train(callbacks=[RaiseAt(0, 1, fail), recorder], epochs=2)
    assert closed == [True] and ("on_train_end", None) not in recorder.calls
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_stepped_or_abandoned_trainer_leaves_ctrl_c_alone():
    """Regression: the loop installed its SIGINT handler when stepped, and a Trainer abandoned
    mid-run (the lab's compare runs, the terminal tour) kept it until garbage collection."""
    import signal

    import numpy as np

    import neuronlab as nl
    from neuronlab.train import Trainer

    X = np.zeros((8, 2), np.float32)
    y = np.zeros(8, np.int64)
    model = nl.nn.Linear(2, 2)
    trainer = Trainer(model, nl.nn.CrossEntropyLoss(), nl.optim.SGD(model.parameters(), lr=0.1),
                      (X, y), epochs=None, batch_size=4)  # fmt: skip
    trainer.step()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    del trainer  # abandoned between two steps
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
