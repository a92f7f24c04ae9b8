"""state_dict / load_state_dict: PyTorch's layout, exact resumption, clear errors on mismatch."""

from __future__ import annotations

import numpy as np
import pytest

import neuronlab as nl
from neuronlab import optim

_rng = np.random.default_rng(3)
START = [_rng.standard_normal((4, 3)), _rng.standard_normal(3)]
TARGET = [_rng.standard_normal((4, 3)), _rng.standard_normal(3)]

ALL = [
    (optim.SGD, {"momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    (optim.Adam, {"amsgrad": True, "weight_decay": 0.1}),
    (optim.AdamW, {}),
    (optim.RMSprop, {"momentum": 0.9, "centered": True}),
    (optim.Adagrad, {"lr_decay": 0.1, "initial_accumulator_value": 0.1}),
]
IDS = [cls.__name__ for cls, _ in ALL]


def make(cls, options, values=START, dtype="float64"):
    params = [nl.tensor(v, dtype=dtype, requires_grad=True) for v in values]
    groups = [{"params": [params[0]], "lr": 0.05}, {"params": [params[1]]}]
    return params, cls(groups, lr=0.01, **options)


def train(params, opt, steps):
    for _ in range(steps):
        opt.zero_grad()
        loss = sum(((p - t).tanh() * (p - t)).sum() for p, t in zip(params, TARGET))
        loss.backward()
        opt.step()


@pytest.mark.parametrize(("cls", "options"), ALL, ids=IDS)
def test_resuming_from_a_state_dict_is_identical_to_an_uninterrupted_run(cls, options):
    params, opt = make(cls, options)
    train(params, opt, 10)
    expected = [p.data.copy() for p in params]

    params, opt = make(cls, options)
    train(params, opt, 5)
    saved = opt.state_dict()
    at_five = [p.data.copy() for p in params]
    train(params, opt, 3)  # later steps must not change what was saved

    params2, opt2 = make(cls, options, values=at_five)  # a fresh optimizer, as after a restart
    opt2.load_state_dict(saved)
    train(params2, opt2, 5)
    for a, b in zip(params2, expected):
        np.testing.assert_array_equal(a.data, b)


def test_layout_is_pytorchs():
    params, opt = make(optim.Adam, {"amsgrad": True})
    train(params, opt, 2)
    saved = opt.state_dict()
    assert set(saved) == {"state", "param_groups"}
    assert [g["params"] for g in saved["param_groups"]] == [[0], [1]]
    assert [g["lr"] for g in saved["param_groups"]] == [0.05, 0.01]
    assert set(saved["state"]) == {0, 1}
    assert set(saved["state"][0]) == {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    assert saved["state"][0]["step"] == 2
    assert saved["state"][0]["exp_avg"] is not opt.state[params[0]]["exp_avg"]
    assert any(k.startswith("_") for k in opt.state[params[0]])  # scratch stays private


def test_loading_casts_to_the_parameter_dtype_and_copies():
    params, opt = make(optim.Adam, {}, dtype="float64")
    train(params, opt, 2)
    saved = opt.state_dict()
    params32, opt32 = make(optim.Adam, {}, dtype="float32")
    opt32.load_state_dict(saved)
    state = opt32.state[params32[0]]
    assert state["exp_avg"].dtype == np.float32 and state["step"] == 2
    state["exp_avg"][...] = 0
    assert saved["state"][0]["exp_avg"].any()
    train(params32, opt32, 2)
    assert params32[0].data.dtype == np.float32 and state["exp_avg"].dtype == np.float32


def test_a_step_saved_as_an_array_loads_as_a_number():
    params, opt = make(optim.Adam, {})
    train(params, opt, 2)
    saved = opt.state_dict()
    saved["state"][0]["step"] = np.array(2.0)  # e.g. converted from a PyTorch checkpoint
    params2, opt2 = make(optim.Adam, {}, values=[p.data for p in params])
    opt2.load_state_dict(saved)
    assert type(opt2.state[params2[0]]["step"]) is float
    train(params2, opt2, 1)
    assert opt2.state[params2[0]]["step"] == 3


def test_loaded_hyperparameters_take_effect():
    params, opt = make(optim.SGD, {})
    saved = opt.state_dict()
    saved["param_groups"][1]["lr"] = 0.5
    opt.load_state_dict(saved)
    assert opt.param_groups[1]["lr"] == 0.5
    assert opt.param_groups[1]["params"][0] is params[1]


def test_load_errors_leave_the_optimizer_unchanged():
    params, opt = make(optim.Adam, {})
    train(params, opt, 1)
    good = opt.state_dict()
    _, other = make(optim.Adam, {})
    before = other.state_dict()

    one_group = optim.Adam([nl.zeros(3, requires_grad=True)]).state_dict()
    with pytest.raises(ValueError, match="has 1 parameter groups but this optimizer has 2"):
        other.load_state_dict(one_group)

    wrong_size = {**good, "param_groups": [dict(g) for g in good["param_groups"]]}
    wrong_size["param_groups"][1]["params"] = [1, 2]
    with pytest.raises(ValueError, match="group 1 of the loaded state dict has 2 parameters"):
        other.load_state_dict(wrong_size)

    unknown = {**good, "state": {**good["state"], 7: {"step": 1}}}
    with pytest.raises(ValueError, match="refers to parameter 7"):
        other.load_state_dict(unknown)

    bad_shape = {**good, "state": {0: {**good["state"][0], "exp_avg": np.zeros(5)}}}
    with pytest.raises(ValueError, match=r"state\[0\]\['exp_avg'\] has shape \(5,\)"):
        other.load_state_dict(bad_shape)

    bad_lr = {**good, "param_groups": [{**g, "lr": -1.0} for g in good["param_groups"]]}
    with pytest.raises(ValueError, match="lr must be >= 0.0"):
        other.load_state_dict(bad_lr)

    with pytest.raises(TypeError, match="expects a dict with 'state' and 'param_groups'"):
        other.load_state_dict({"state": {}})

    after = other.state_dict()
    assert after["state"] == before["state"] == {}
    assert after["param_groups"] == before["param_groups"]
