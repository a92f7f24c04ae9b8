"""The Ctrl-C guard of the training loop (``train/_interrupt.py``)."""

import contextlib
import signal

import pytest

from neuronlab.train._interrupt import InterruptGuard


def test_a_ctrl_c_that_python_dropped_stops_the_next_step():
    """Outside a step Ctrl-C raises at once; if that KeyboardInterrupt is lost (raised inside a
    finalizer, where Python prints it and goes on), the next step raises it instead of training
    on forever."""
    guard = InterruptGuard()
    with guard:
        with contextlib.suppress(KeyboardInterrupt):  # raised between steps, and dropped, as
            guard._handle(signal.SIGINT, None)  # inside a weakref callback or a __del__
        with pytest.raises(KeyboardInterrupt), guard.deferred():
            raise AssertionError("the step must not start")


def test_inside_a_step_the_interrupt_waits_for_the_step_and_comes_once():
    guard = InterruptGuard()
    steps = []
    with guard:
        with pytest.raises(KeyboardInterrupt), guard.deferred():
            guard._handle(signal.SIGINT, None)
            steps.append("finished")
        assert steps == ["finished"]
        with guard.deferred():  # handled: the next step runs normally
            steps.append("next")
    assert steps == ["finished", "next"]


def test_a_second_ctrl_c_inside_a_step_interrupts_at_once():
    guard = InterruptGuard()
    with guard, pytest.raises(KeyboardInterrupt), guard.deferred():
        guard._handle(signal.SIGINT, None)
        guard._handle(signal.SIGINT, None)
        raise AssertionError("not reached")
