"""Resuming training: optimizer state and checkpoints give exactly the uninterrupted run."""

from __future__ import annotations

import numpy as np
import pytest

import neuronlab as nl
from neuronlab import nn, optim
from neuronlab.io import (
    load,
    load_checkpoint,
    load_optimizer_state,
    load_weights,
    save,
    save_checkpoint,
)

OPTIMIZERS = {
    "adam": lambda params: optim.Adam(params, lr=0.01),
    "adam-amsgrad": lambda params: optim.Adam(params, lr=0.01, amsgrad=True, betas=(0.8, 0.99)),
    "adamw": lambda params: optim.AdamW(params, lr=0.01, weight_decay=0.1),
    "sgd-nesterov": lambda params: optim.SGD(params, lr=0.05, momentum=0.9, nesterov=True),
    "rmsprop": lambda params: optim.RMSprop(params, lr=0.01, momentum=0.5, centered=True),
    "adagrad": lambda params: optim.Adagrad(params, lr=0.1),
    "two-groups": lambda params: optim.Adam(
        [{"params": params[:2]}, {"params": params[2:], "lr": 0.003}], lr=0.01
    ),
}


def make_model(seed: int, dropout: float = 0.0) -> nn.Sequential:
    nl.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Dropout(dropout), nn.Linear(16, 3))


def data():
    rng = np.random.default_rng(42)
    return nl.tensor(rng.normal(size=(32, 4)).astype(np.float32)), nl.tensor(rng.integers(0, 3, 32))


def train(model, opt, steps: int) -> list[float]:
    x, y = data()
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.CrossEntropyLoss()(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def weights(model) -> dict:
    return {key: tensor.data.copy() for key, tensor in model.state_dict().items()}


def assert_equal_weights(a: dict, b: dict):
    assert a.keys() == b.keys()
    for key in a:
        assert a[key].dtype == b[key].dtype
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_save_with_optimizer_then_resume_equals_uninterrupted(tmp_path, name):
    make = OPTIMIZERS[name]
    straight = make_model(0)
    straight_opt = make(list(straight.parameters()))
    expected_losses = train(straight, straight_opt, 10)

    first = make_model(0)
    first_opt = make(list(first.parameters()))
    losses = train(first, first_opt, 5)
    save(first, tmp_path / "half.safetensors", optimizer=first_opt)

    resumed = make_model(123)  # other initial weights, fresh optimizer state
    resumed_opt = make(list(resumed.parameters()))
    load_weights(resumed, tmp_path / "half.safetensors")
    load_optimizer_state(resumed_opt, tmp_path / "half.safetensors")
    assert resumed_opt.state_dict()["param_groups"] == first_opt.state_dict()["param_groups"]
    losses += train(resumed, resumed_opt, 5)

    assert losses == expected_losses
    assert_equal_weights(weights(resumed), weights(straight))


def test_resume_from_a_rebuilt_model_and_changed_learning_rate(tmp_path):
    straight = make_model(0)
    straight_opt = optim.Adam(straight.parameters(), lr=0.01)
    train(straight, straight_opt, 5)
    straight_opt.param_groups[0]["lr"] = 0.002  # e.g. a scheduler lowered it
    train(straight, straight_opt, 5)

    first = make_model(0)
    first_opt = optim.Adam(first.parameters(), lr=0.01)
    train(first, first_opt, 5)
    first_opt.param_groups[0]["lr"] = 0.002
    save(first, tmp_path / "half.safetensors", optimizer=first_opt)

    resumed = load(tmp_path / "half.safetensors")
    resumed_opt = optim.Adam(resumed.parameters(), lr=0.01)
    load_optimizer_state(resumed_opt, tmp_path / "half.safetensors")
    state = resumed_opt.state_dict()
    assert state["param_groups"][0]["lr"] == 0.002
    assert state["param_groups"][0]["betas"] == (0.9, 0.999)  # a tuple again, not a list
    assert type(state["state"][0]["step"]) is int and state["state"][0]["step"] == 5
    train(resumed, resumed_opt, 5)
    assert_equal_weights(weights(resumed), weights(straight))


def test_checkpoint_with_dropout_resumes_exactly(tmp_path):
    straight = make_model(0, dropout=0.3)
    straight_opt = optim.Adam(straight.parameters(), lr=0.01)
    train(straight, straight_opt, 10)

    first = make_model(0, dropout=0.3)
    first_opt = optim.Adam(first.parameters(), lr=0.01)
    history = {"loss": train(first, first_opt, 5)}
    save_checkpoint(tmp_path / "ckpt.safetensors", first, first_opt, epoch=4, history=history)

    resumed = make_model(7, dropout=0.3)  # building it draws from the generator too
    resumed_opt = optim.Adam(resumed.parameters(), lr=0.01)
    info = load_checkpoint(tmp_path / "ckpt.safetensors", resumed, resumed_opt)
    assert info == {"epoch": 4, "history": history, "extra": None}
    train(resumed, resumed_opt, 5)
    assert_equal_weights(weights(resumed), weights(straight))

    # without the generator's state the dropout masks differ, and so do the weights
    again = make_model(7, dropout=0.3)
    again_opt = optim.Adam(again.parameters(), lr=0.01)
    load_checkpoint(tmp_path / "ckpt.safetensors", again, again_opt, restore_rng=False)
    train(again, again_opt, 5)
    assert not np.array_equal(weights(again)["0.weight"], weights(straight)["0.weight"])


def test_checkpoint_keeps_epoch_history_and_extra(tmp_path):
    class History:  # what a History callback looks like: a dict of lists in .history
        history = {"loss": [1.0, 0.5], "val_accuracy": [0.5, float("nan")]}

    extra = {
        "scheduler": {"last_epoch": 2, "factors": (0.5, 0.1)},
        "best": np.float32(0.25),
        "mask": np.array([[True, False]]),
        3: "int key",
        "__tricky__": [None, "x"],
    }
    model = make_model(0)
    save_checkpoint(
        tmp_path / "c.safetensors",
        model,
        epoch=2,
        history=History(),
        extra=extra,
        metadata={"note": "halfway"},
    )
    assert nl.io.load_metadata(tmp_path / "c.safetensors")["note"] == "halfway"
    info = load_checkpoint(tmp_path / "c.safetensors", make_model(1))
    assert info["epoch"] == 2
    assert info["history"]["loss"] == [1.0, 0.5] and np.isnan(info["history"]["val_accuracy"][1])
    got = info["extra"]
    assert got["scheduler"] == {"last_epoch": 2, "factors": (0.5, 0.1)}
    assert type(got["best"]) is np.float32 and got["best"] == np.float32(0.25)
    np.testing.assert_array_equal(got["mask"], extra["mask"])
    assert got[3] == "int key" and got["__tricky__"] == [None, "x"]
    with pytest.raises(TypeError, match=r"cannot save 'checkpoint.extra.f'.*function"):
        save_checkpoint(tmp_path / "c.safetensors", model, extra={"f": print})
    assert load(tmp_path / "c.safetensors")  # a checkpoint is still a model file


def test_plain_model_file_loads_as_a_checkpoint_without_progress(tmp_path):
    model = make_model(0)
    save(model, tmp_path / "m.safetensors")
    other = make_model(1)
    assert load_checkpoint(tmp_path / "m.safetensors", other) == {
        "epoch": None,
        "history": None,
        "extra": None,
    }
    assert_equal_weights(weights(other), weights(model))


# ----- mismatches change nothing -----------------------------------------------------------------
def trained_checkpoint(tmp_path):
    model = make_model(0)
    opt = optim.Adam(model.parameters(), lr=0.01)
    train(model, opt, 2)
    save_checkpoint(tmp_path / "c.safetensors", model, opt, epoch=1)
    return tmp_path / "c.safetensors"


def test_mismatched_model_changes_neither_model_nor_optimizer(tmp_path):
    path = trained_checkpoint(tmp_path)
    model = nn.Sequential(nn.Linear(4, 12), nn.Tanh(), nn.Dropout(0.0), nn.Linear(12, 3))
    opt = optim.Adam(model.parameters(), lr=0.01)
    train(model, opt, 1)
    before, opt_before = weights(model), opt.state_dict()
    with pytest.raises(ValueError, match=r"(?s)c\.safetensors.*wrong shape for '0.weight'"):
        load_checkpoint(path, model, opt)
    assert_equal_weights(weights(model), before)
    assert opt.state_dict()["state"][0]["step"] == opt_before["state"][0]["step"] == 1


def test_mismatched_optimizer_leaves_the_model_unchanged(tmp_path):
    path = trained_checkpoint(tmp_path)
    model = make_model(5)
    opt = optim.Adam(list(model.parameters())[:2], lr=0.01)  # fewer parameters than saved
    before = weights(model)
    with pytest.raises(
        ValueError,
        match=r"optimizer state in .*c\.safetensors.*does not fit.*"
        r"model was left unchanged",
    ):
        load_checkpoint(path, model, opt)
    assert_equal_weights(weights(model), before)
    assert opt.state_dict()["state"] == {}


def test_wrong_optimizer_class_or_no_state(tmp_path):
    path = trained_checkpoint(tmp_path)
    model = make_model(5)
    before = weights(model)
    with pytest.raises(
        ValueError,
        match=r"holds the state of a Adam optimizer, but a SGD was "
        r"given; create a Adam",
    ):
        load_checkpoint(path, model, optim.SGD(model.parameters(), lr=0.1))
    assert_equal_weights(weights(model), before)
    save(model, tmp_path / "plain.safetensors")
    with pytest.raises(ValueError, match=r"holds no optimizer state.*optimizer=optimizer"):
        load_optimizer_state(optim.Adam(model.parameters()), tmp_path / "plain.safetensors")
    with pytest.raises(TypeError, match="optimizer must be a neuronlab optimizer"):
        load_checkpoint(path, model, optimizer="adam")
