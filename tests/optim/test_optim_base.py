"""The optimizer base: groups, state, step, zero_grad, validation, dtypes and error messages."""

from __future__ import annotations

import numpy as np
import pytest

import neuronlab as nl
from neuronlab import optim
from neuronlab.engine.tensor import Tensor

ALL = [
    (optim.SGD, {"momentum": 0.9, "weight_decay": 0.1, "maximize": True}),
    (optim.SGD, {"momentum": 0.9, "nesterov": True, "dampening": 0.0}),
    (optim.SGD, {"momentum": 0.9, "dampening": 0.5}),
    (optim.Adam, {"amsgrad": True, "weight_decay": 0.1, "maximize": True}),
    (optim.AdamW, {"amsgrad": True}),
    (optim.RMSprop, {"momentum": 0.9, "centered": True, "weight_decay": 0.1, "maximize": True}),
    (optim.Adagrad, {"lr_decay": 0.1, "weight_decay": 0.1, "maximize": True}),
]
IDS = [f"{cls.__name__}-{options}" for cls, options in ALL]


def quadratic_step(opt, params):
    opt.zero_grad()
    loss = sum(((p - 1.0) * (p - 1.0)).sum() for p in params)
    loss.backward()
    opt.step()
    return loss


def test_parameters_move_downhill():
    w = nl.randn(5, requires_grad=True)
    opt = optim.Adam([w], lr=0.1)
    losses = [quadratic_step(opt, [w]).item() for _ in range(50)]
    assert losses[-1] < 0.01 * losses[0]


@pytest.mark.parametrize(("cls", "options"), ALL, ids=IDS)
def test_float32_params_keep_float32_state_even_with_numpy_hyperparameters(cls, options):
    w = nl.randn(4, 3, requires_grad=True)
    opt = cls([w], lr=np.float64(0.01), **options)
    assert type(opt.param_groups[0]["lr"]) is float
    opt.param_groups[0]["lr"] = np.float64(0.02)  # as a hand-written schedule might
    for _ in range(3):
        quadratic_step(opt, [w])
    assert w.data.dtype == np.float32
    arrays = {k: v for k, v in opt.state[w].items() if isinstance(v, np.ndarray)}
    assert arrays and all(v.dtype == np.float32 for v in arrays.values()), arrays


@pytest.mark.parametrize(("cls", "options"), ALL, ids=IDS)
def test_updates_happen_in_place(cls, options):
    w = nl.randn(4, 3, requires_grad=True)
    data = w.data
    opt = cls([w], lr=0.01, **options)
    quadratic_step(opt, [w])
    quadratic_step(opt, [w])
    assert w.data is data
    buffers = {k: id(v) for k, v in opt.state[w].items() if isinstance(v, np.ndarray)}
    quadratic_step(opt, [w])
    assert {k: id(v) for k, v in opt.state[w].items() if isinstance(v, np.ndarray)} == buffers


@pytest.mark.parametrize(("cls", "options"), ALL, ids=IDS)
def test_parameters_without_grad_are_skipped(cls, options):
    a, b = nl.randn(3, requires_grad=True), nl.randn(3, requires_grad=True)
    a_before, before = a.data.copy(), b.data.copy()
    opt = cls([a, b], lr=0.1, **options)
    a.grad = np.ones(3, dtype=np.float32)
    opt.step()
    np.testing.assert_array_equal(b.data, before)
    assert (a.data != a_before).all()
    if cls is not optim.Adagrad:  # Adagrad creates its state up front, as PyTorch's does
        assert b not in opt.state


def test_zero_grad():
    w = nl.randn(3, requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    (w * 2.0).sum().backward()
    grad = w.grad
    opt.zero_grad(set_to_none=False)
    assert w.grad is grad and not grad.any()
    opt.zero_grad()
    assert w.grad is None
    opt.zero_grad()  # nothing to do


def test_step_with_closure_returns_the_loss_and_records_gradients():
    w = nl.tensor([3.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with nl.no_grad():  # the closure still records, as in PyTorch
        loss = opt.step(closure)
    assert loss.item() == 9.0
    assert w.item() == 1.5


def test_groups_get_defaults_and_keep_overrides():
    a, b = nl.zeros(2, requires_grad=True), nl.zeros(2, requires_grad=True)
    opt = optim.SGD([{"params": a}, {"params": (b,), "lr": 0.5, "name": "head"}], lr=0.1)
    first, second = opt.param_groups
    assert first["params"][0] is a and first["lr"] == 0.1 and first["momentum"] == 0.0
    assert second["params"][0] is b and second["lr"] == 0.5 and second["name"] == "head"
    c = nl.zeros(1, requires_grad=True)
    opt.add_param_group({"params": [c], "momentum": 0.9})
    assert opt.param_groups[2]["momentum"] == 0.9 and opt.param_groups[2]["lr"] == 0.1


def test_generators_and_tensor_subclasses_are_accepted():
    class Parameter(Tensor):  # what nn.Parameter will be
        __slots__ = ()

    p = Parameter(np.ones(3), requires_grad=True)
    opt = optim.Adam(x for x in [p])
    quadratic_step(opt, [p])
    assert opt.state[p]["step"] == 1


def test_frozen_parameters_are_allowed_and_skipped():
    frozen = nl.ones(2)  # requires_grad=False, as after requires_grad_(False): never a grad
    opt = optim.SGD([frozen], lr=0.1)
    opt.step()
    assert frozen.data.tolist() == [1.0, 1.0]


def test_repr_lists_groups():
    opt = optim.Adam([nl.zeros(1, requires_grad=True)], lr=0.01)
    text = repr(opt)
    assert text.startswith("Adam (") and "Parameter Group 0" in text and "lr: 0.01" in text


def test_grad_of_the_wrong_shape_is_a_clear_error():
    w = nl.zeros(3, requires_grad=True)
    w.grad = np.zeros(4, dtype=np.float32)
    with pytest.raises(ValueError, match=r"parameter of shape \(3,\) has a gradient of shape"):
        optim.SGD([w], lr=0.1).step()


W = nl.zeros(2, requires_grad=True)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: optim.SGD(W, lr=0.1), TypeError, r"got a single Tensor; wrap it in a list"),
        (lambda: optim.SGD([], lr=0.1), ValueError, "SGD got an empty parameter list"),
        (lambda: optim.SGD({W}, lr=0.1), TypeError, "ordered collection"),
        (lambda: optim.SGD([{"params": {W}}]), TypeError, "not a set"),
        (lambda: optim.Adam([W, [1.0]]), TypeError, r"params\[1\] of group 0 is a list"),
        (lambda: optim.Adam([W * 2]), ValueError, "can't optimize a non-leaf tensor"),
        (lambda: optim.Adam([nl.arange(3)]), TypeError, "only floating point tensors"),
        (lambda: optim.Adam([W, W]), ValueError, r"params\[1\] of group 0 appears twice"),
        (
            lambda: optim.Adam([{"params": [W]}, {"params": [W]}]),
            ValueError,
            "appear in more than one parameter group",
        ),
        (lambda: optim.Adam([{"params": [W]}, [W]]), TypeError, "must be a dict"),
        (lambda: optim.Adam([{"lr": 0.1}]), ValueError, "needs a 'params' entry"),
        (lambda: optim.SGD([W], lr=-0.1), ValueError, r"SGD: lr must be >= 0.0, got -0.1"),
        (lambda: optim.SGD([W], lr="0.1"), TypeError, "SGD: lr must be a number, got '0.1'"),
        (lambda: optim.SGD([W], lr=float("nan")), ValueError, "lr must be >= 0.0, got nan"),
        (lambda: optim.SGD([W], momentum=-0.5), ValueError, "momentum must be >= 0.0"),
        (lambda: optim.SGD([W], weight_decay=-1), ValueError, "weight_decay must be >= 0.0"),
        (lambda: optim.SGD([W], nesterov=True), ValueError, "Nesterov momentum requires"),
        (
            lambda: optim.SGD([W], momentum=0.9, dampening=0.1, nesterov=True),
            ValueError,
            "zero dampening",
        ),
        (lambda: optim.Adam([W], betas=(1.0, 0.9)), ValueError, r"betas\[0\] must be in \[0, 1\)"),
        (lambda: optim.Adam([W], betas=(0.9, -0.1)), ValueError, r"betas\[1\] must be in"),
        (lambda: optim.Adam([W], betas=0.9), TypeError, "betas must be a pair of numbers"),
        (lambda: optim.AdamW([W], eps=-1e-8), ValueError, "AdamW: eps must be >= 0.0"),
        (lambda: optim.AdamW([W], lr=-1), ValueError, "AdamW: lr must be >= 0.0"),
        (lambda: optim.RMSprop([W], alpha=-0.9), ValueError, "RMSprop: alpha must be >= 0.0"),
        (lambda: optim.RMSprop([W], momentum=-0.9), ValueError, "momentum must be >= 0.0"),
        (lambda: optim.Adagrad([W], lr_decay=-1), ValueError, "Adagrad: lr_decay must be >= 0"),
        (
            lambda: optim.Adagrad([W], initial_accumulator_value=-1),
            ValueError,
            "initial_accumulator_value must be >= 0.0",
        ),
        (
            lambda: optim.SGD([{"params": [W], "lr": -1.0}], lr=0.1),
            ValueError,
            "SGD: lr must be >= 0.0, got -1.0",
        ),
    ],
)
def test_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_add_param_group_validates_the_group():
    opt = optim.Adam([nl.zeros(1, requires_grad=True)])
    with pytest.raises(ValueError, match=r"Adam: betas\[1\] must be in \[0, 1\), got 1.5"):
        opt.add_param_group({"params": [nl.zeros(1, requires_grad=True)], "betas": (0.9, 1.5)})
    assert len(opt.param_groups) == 1


def test_a_new_optimizer_only_writes_the_update_for_one_parameter():
    class SignSGD(optim.Optimizer):
        """p = p - lr * sign(grad)"""

        def __init__(self, params, lr=0.1):
            super().__init__(params, {"lr": lr})

        def update(self, p, grad, state, group):
            state["step"] = state.get("step", 0) + 1
            p.data -= group["lr"] * np.sign(grad)

    a, b = nl.tensor([1.0, -2.0], requires_grad=True), nl.tensor([3.0], requires_grad=True)
    opt = SignSGD([{"params": [a]}, {"params": [b], "lr": 0.5}])
    quadratic_step(opt, [a, b])
    assert a.data.tolist() == pytest.approx([1.0, -1.9]) and b.data.tolist() == [2.5]
    assert opt.state_dict()["state"] == {0: {"step": 1}, 1: {"step": 1}}
    with pytest.raises(NotImplementedError):
        optim.Optimizer([a], {}).step()
