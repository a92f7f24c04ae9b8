"""Optimizer state never drifts into subnormal floats (``optimizer.flush_tiny``): a running average
whose gradient stays zero would otherwise shrink into them and slow every later step."""

import numpy as np
import pytest

import neuronlab as nl
from neuronlab.optim import optimizer as optimizer_module

SUBNORMAL = np.finfo(np.float32).tiny  # the smallest normal float32


def _train(make_optimizer, steps, flush=True, monkeypatch=None):
    if not flush:
        monkeypatch.setattr(optimizer_module, "FLUSH_BELOW", 0.0)
    w = nl.nn.Parameter(np.array([1.0, -2.0, 0.5], dtype=np.float32))
    opt = make_optimizer([w])
    grads = np.array([0.3, -0.1, 0.2], dtype=np.float32)
    for step in range(steps):
        # the first element's gradient stops after 5 steps: its averages only shrink from then on
        w.grad = grads * np.array([step < 5, 1.0, 1.0], dtype=np.float32)
        opt.step()
    return w.data.copy(), opt.state[w]


OPTIMIZERS = {
    "adam": lambda p: nl.optim.Adam(p, lr=1e-3),
    "adamw": lambda p: nl.optim.AdamW(p, lr=1e-3),
    "sgd-momentum": lambda p: nl.optim.SGD(p, lr=1e-2, momentum=0.9),
    "rmsprop-momentum": lambda p: nl.optim.RMSprop(p, lr=1e-3, momentum=0.9, alpha=0.9),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_never_becomes_subnormal_and_parameters_are_unchanged(name, monkeypatch):
    steps = 1200  # m = 0.9 ** k * m0 turns subnormal near k = 800 and stays there for good:
    # rounding holds 0.9 * 5.6e-45 at 5.6e-45 in float32, so it never reaches zero
    flushed, state = _train(OPTIMIZERS[name], steps)
    for key, value in state.items():
        if isinstance(value, np.ndarray) and value.dtype.kind == "f" and not key.startswith("_"):
            tiny = (value != 0) & (np.abs(value) < SUBNORMAL)
            assert not tiny.any(), f"{name}: {key} holds subnormal values {value[tiny]}"
    plain, plain_state = _train(OPTIMIZERS[name], steps, flush=False, monkeypatch=monkeypatch)
    np.testing.assert_allclose(flushed, plain, rtol=1e-6, atol=1e-9)
    # without the flush the same run does reach the subnormals (so the test above can fail)
    averages = [v for k, v in plain_state.items() if isinstance(v, np.ndarray) and k[0] != "_"]
    assert any(((a != 0) & (np.abs(a) < SUBNORMAL)).any() for a in averages)


def test_flushing_leaves_the_saved_state_alone():
    w = nl.nn.Parameter(np.ones(3, dtype=np.float32))
    opt = nl.optim.Adam([w])
    for _ in range(optimizer_module.FLUSH_EVERY + 1):
        w.grad = np.ones(3, dtype=np.float32)
        opt.step()
    saved = opt.state_dict()["state"][0]
    assert "_flush" not in saved and set(saved) == {"step", "exp_avg", "exp_avg_sq"}
