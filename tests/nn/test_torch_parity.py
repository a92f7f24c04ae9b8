"""PyTorch parity: every layer and loss, with our weights copied into the torch module.

Outputs and the gradients of the input and of every parameter must match: rtol 1e-6 in float64,
1e-5 in float32. The state_dict is copied with ``load_state_dict(strict=True)``, which also checks
that our parameter names are PyTorch's.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab import nn

pytestmark = pytest.mark.torch
TOL = {"float64": dict(rtol=1e-6, atol=1e-9), "float32": dict(rtol=1e-5, atol=1e-6)}


def _torch_dtype(dtype):
    return torch.float64 if dtype == "float64" else torch.float32


def _run_both(ours, theirs, x_np, dtype, seed=0):
    """Forward and backward (along a fixed random direction) in both libraries."""
    ours = ours.to(dtype)
    theirs = theirs.to(_torch_dtype(dtype))
    theirs.load_state_dict(
        {k: torch.from_numpy(v.data.copy()) for k, v in ours.state_dict().items()}, strict=True
    )
    x = nl.tensor(x_np, dtype=dtype, requires_grad=True)
    tx = torch.tensor(x_np, dtype=_torch_dtype(dtype), requires_grad=True)
    out, tout = ours(x), theirs(tx)
    direction = np.random.default_rng(seed).standard_normal(out.shape)
    (out * nl.tensor(direction, dtype=dtype)).sum().backward()
    (tout * torch.tensor(direction, dtype=_torch_dtype(dtype))).sum().backward()
    return out, tout, x, tx


LAYERS = [
    pytest.param(lambda: nn.Linear(5, 3), lambda: torch.nn.Linear(5, 3), (4, 5), id="linear"),
    pytest.param(
        lambda: nn.Linear(5, 3, bias=False),
        lambda: torch.nn.Linear(5, 3, bias=False),
        (2, 4, 5),
        id="linear-nobias-3d",
    ),
    pytest.param(nn.Identity, torch.nn.Identity, (3, 4), id="identity"),
    pytest.param(nn.Flatten, torch.nn.Flatten, (2, 3, 4, 2), id="flatten"),
    pytest.param(
        lambda: nn.Flatten(0, -2), lambda: torch.nn.Flatten(0, -2), (2, 3, 4), id="flatten-0--2"
    ),
    pytest.param(nn.ReLU, torch.nn.ReLU, (4, 6), id="relu"),
    pytest.param(
        lambda: nn.LeakyReLU(0.2), lambda: torch.nn.LeakyReLU(0.2), (4, 6), id="leaky_relu"
    ),
    pytest.param(nn.Sigmoid, torch.nn.Sigmoid, (4, 6), id="sigmoid"),
    pytest.param(nn.Tanh, torch.nn.Tanh, (4, 6), id="tanh"),
    pytest.param(nn.GELU, torch.nn.GELU, (4, 6), id="gelu"),
    pytest.param(lambda: nn.GELU("tanh"), lambda: torch.nn.GELU("tanh"), (4, 6), id="gelu-tanh"),
    pytest.param(lambda: nn.Softmax(dim=1), lambda: torch.nn.Softmax(dim=1), (4, 6), id="softmax"),
    pytest.param(
        lambda: nn.Softmax(dim=-1), lambda: torch.nn.Softmax(dim=-1), (2, 3, 5), id="softmax-3d"
    ),
    pytest.param(
        lambda: nn.LogSoftmax(dim=1), lambda: torch.nn.LogSoftmax(dim=1), (4, 6), id="log_softmax"
    ),
    pytest.param(
        lambda: nn.Dropout(0.4).eval(),
        lambda: torch.nn.Dropout(0.4).eval(),
        (4, 6),
        id="dropout-eval",
    ),
    pytest.param(
        lambda: nn.Sequential(
            nn.Flatten(),
            nn.Linear(6, 8),
            nn.GELU(),
            nn.Linear(8, 8),
            nn.Tanh(),
            nn.Linear(8, 3),
            nn.LogSoftmax(dim=1),
        ),
        lambda: torch.nn.Sequential(
            torch.nn.Flatten(),
            torch.nn.Linear(6, 8),
            torch.nn.GELU(),
            torch.nn.Linear(8, 8),
            torch.nn.Tanh(),
            torch.nn.Linear(8, 3),
            torch.nn.LogSoftmax(dim=1),
        ),
        (5, 2, 3),
        id="mlp",
    ),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("make", "make_torch", "shape"), LAYERS)
def test_layer_matches_pytorch(make, make_torch, shape, dtype):
    nl.manual_seed(0)
    x_np = np.random.default_rng(1).standard_normal(shape) * 2
    ours = make()
    out, tout, x, tx = _run_both(ours, make_torch(), x_np, dtype)
    tol = TOL[dtype]
    assert out.dtype == np.dtype(dtype)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), **tol)
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), **tol)
    torch_params = dict(make_torch().named_parameters())
    assert [n for n, _ in ours.named_parameters()] == list(torch_params)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_parameter_gradients_match_pytorch(dtype):
    nl.manual_seed(3)
    ours = nn.Sequential(nn.Linear(4, 6), nn.LeakyReLU(0.1), nn.Linear(6, 2, bias=False))
    theirs = torch.nn.Sequential(
        torch.nn.Linear(4, 6), torch.nn.LeakyReLU(0.1), torch.nn.Linear(6, 2, bias=False)
    )
    x_np = np.random.default_rng(2).standard_normal((7, 4))
    _run_both(ours, theirs, x_np, dtype)
    for (name, p), (tname, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == tname
        np.testing.assert_allclose(p.grad, tp.grad.numpy(), **TOL[dtype], err_msg=name)


def test_dropout_train_mode_behaves_like_pytorchs():
    """The masks come from different generators, so compare what both promise: each element is
    0 or x / (1 - p), about p of them are 0, and the gradient is the same mask."""
    p, x_np = 0.25, np.random.default_rng(0).uniform(1, 2, size=(400, 250))
    nl.manual_seed(0)
    torch.manual_seed(0)
    x = nl.tensor(x_np, dtype="float64", requires_grad=True)
    tx = torch.tensor(x_np, requires_grad=True)
    for out, inp in ((nn.Dropout(p)(x), x_np), (torch.nn.Dropout(p)(tx).detach().numpy(), x_np)):
        data = out.data if isinstance(out, nl.Tensor) else out
        kept = data != 0
        np.testing.assert_allclose(data[kept], inp[kept] / (1 - p))
        assert abs((~kept).mean() - p) < 0.01
    y = nn.Dropout(p)(x)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, (y.data != 0) / (1 - p))


# ----- losses ----------------------------------------------------------------------------------

RNG = np.random.default_rng(42)
N, C = 6, 4
LOGITS = RNG.standard_normal((N, C)) * 2
LABELS = np.array([0, 3, 1, 1, 2, 3])
LABELS_IGNORED = np.array([0, -100, 1, 1, 2, -100])
LABELS_IGNORE_2 = np.array([0, 3, 2, 1, 2, 3])
CLASS_WEIGHT = np.array([0.5, 2.0, 1.0, 3.0])
LOGITS_3D = RNG.standard_normal((3, C, 5))
LABELS_3D = RNG.integers(0, C, size=(3, 5))
SCORES = RNG.standard_normal((N, 3)) * 3
BINARY = (RNG.random((N, 3)) > 0.5).astype(np.float64)
SOFT = RNG.random((N, 3))
PROBS = RNG.uniform(0.02, 0.98, size=(N, 3))
REGRESSION_PRED = RNG.standard_normal((N, 2)) * 2
REGRESSION_TARGET = RNG.standard_normal((N, 2))


def _w(array):
    return None if array is None else torch.tensor(array)


def _loss_cases():
    cases = []
    for reduction in ("mean", "sum", "none"):
        r = {"reduction": reduction}
        cases += [
            (
                f"mse-{reduction}",
                nn.MSELoss(**r),
                torch.nn.MSELoss(**r),
                REGRESSION_PRED,
                REGRESSION_TARGET,
            ),
            (
                f"l1-{reduction}",
                nn.L1Loss(**r),
                torch.nn.L1Loss(**r),
                REGRESSION_PRED,
                REGRESSION_TARGET,
            ),
            (
                f"huber-{reduction}",
                nn.HuberLoss(reduction, delta=0.7),
                torch.nn.HuberLoss(reduction, delta=0.7),
                REGRESSION_PRED,
                REGRESSION_TARGET,
            ),
            (
                f"ce-{reduction}",
                nn.CrossEntropyLoss(**r),
                torch.nn.CrossEntropyLoss(**r),
                LOGITS,
                LABELS,
            ),
            (
                f"ce-weight-ignore-{reduction}",
                nn.CrossEntropyLoss(CLASS_WEIGHT, ignore_index=-100, **r),
                torch.nn.CrossEntropyLoss(_w(CLASS_WEIGHT), ignore_index=-100, **r),
                LOGITS,
                LABELS_IGNORED,
            ),
            (
                f"ce-smoothing-{reduction}",
                nn.CrossEntropyLoss(label_smoothing=0.2, **r),
                torch.nn.CrossEntropyLoss(label_smoothing=0.2, **r),
                LOGITS,
                LABELS,
            ),
            (
                f"ce-all-options-{reduction}",
                nn.CrossEntropyLoss(CLASS_WEIGHT, ignore_index=2, label_smoothing=0.1, **r),
                torch.nn.CrossEntropyLoss(
                    _w(CLASS_WEIGHT), ignore_index=2, label_smoothing=0.1, **r
                ),
                LOGITS,
                LABELS_IGNORE_2,
            ),
            (
                f"ce-3d-{reduction}",
                nn.CrossEntropyLoss(CLASS_WEIGHT, label_smoothing=0.3, **r),
                torch.nn.CrossEntropyLoss(_w(CLASS_WEIGHT), label_smoothing=0.3, **r),
                LOGITS_3D,
                LABELS_3D,
            ),
            (
                f"ce-single-{reduction}",
                nn.CrossEntropyLoss(**r),
                torch.nn.CrossEntropyLoss(**r),
                LOGITS[0],
                np.array(2),
            ),
            (f"nll-{reduction}", nn.NLLLoss(**r), torch.nn.NLLLoss(**r), LOGITS, LABELS),
            (
                f"nll-weight-ignore-{reduction}",
                nn.NLLLoss(CLASS_WEIGHT, ignore_index=-100, **r),
                torch.nn.NLLLoss(_w(CLASS_WEIGHT), ignore_index=-100, **r),
                LOGITS,
                LABELS_IGNORED,
            ),
            (
                f"nll-3d-{reduction}",
                nn.NLLLoss(CLASS_WEIGHT, ignore_index=1, **r),
                torch.nn.NLLLoss(_w(CLASS_WEIGHT), ignore_index=1, **r),
                LOGITS_3D,
                LABELS_3D,
            ),
            (
                f"nll-single-{reduction}",
                nn.NLLLoss(**r),
                torch.nn.NLLLoss(**r),
                LOGITS[0],
                np.array(1),
            ),
            (f"bce-{reduction}", nn.BCELoss(**r), torch.nn.BCELoss(**r), PROBS, BINARY),
            (
                f"bce-weight-soft-{reduction}",
                nn.BCELoss(np.array([1.0, 2.0, 0.5]), **r),
                torch.nn.BCELoss(_w(np.array([1.0, 2.0, 0.5])), **r),
                PROBS,
                SOFT,
            ),
            (
                f"bcelogits-{reduction}",
                nn.BCEWithLogitsLoss(**r),
                torch.nn.BCEWithLogitsLoss(**r),
                SCORES,
                BINARY,
            ),
            (
                f"bcelogits-weights-{reduction}",
                nn.BCEWithLogitsLoss(
                    np.array([1.0, 2.0, 0.5]), pos_weight=np.array([3.0, 1.0, 0.2]), **r
                ),
                torch.nn.BCEWithLogitsLoss(
                    _w(np.array([1.0, 2.0, 0.5])), pos_weight=_w(np.array([3.0, 1.0, 0.2])), **r
                ),
                SCORES,
                SOFT,
            ),
        ]
    return [pytest.param(*case[1:], id=case[0]) for case in cases]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("loss_fn", "torch_loss_fn", "input_np", "target_np"), _loss_cases())
def test_loss_matches_pytorch(loss_fn, torch_loss_fn, input_np, target_np, dtype):
    loss_fn.to(dtype)
    torch_loss_fn.to(_torch_dtype(dtype))
    x = nl.tensor(input_np, dtype=dtype, requires_grad=True)
    tx = torch.tensor(input_np, dtype=_torch_dtype(dtype), requires_grad=True)
    if target_np.dtype.kind == "f":
        target, t_target = (
            target_np.astype(dtype),
            torch.tensor(target_np, dtype=_torch_dtype(dtype)),
        )
    else:
        target, t_target = nl.tensor(target_np), torch.tensor(target_np)
    loss, tloss = loss_fn(x, target), torch_loss_fn(tx, t_target)
    assert loss.shape == tuple(tloss.shape) and loss.dtype == np.dtype(dtype)
    np.testing.assert_allclose(loss.data, tloss.detach().numpy(), **TOL[dtype])
    direction = np.random.default_rng(0).standard_normal(loss.shape)
    (loss * nl.tensor(direction, dtype=dtype)).sum().backward()
    (tloss * torch.tensor(direction, dtype=_torch_dtype(dtype))).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TOL[dtype])
    assert list(loss_fn.state_dict()) == list(torch_loss_fn.state_dict())


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_bce_clamps_log_at_minus_100_like_pytorch(dtype):
    p = np.array([0.0, 1.0, 1e-50, 0.3, 1.0, 0.0])
    y = np.array([1.0, 0.0, 1.0, 1.0, 1.0, 0.0])
    ours = nn.BCELoss(reduction="none")(nl.tensor(p, dtype=dtype), y)
    theirs = torch.nn.BCELoss(reduction="none")(
        torch.tensor(p, dtype=_torch_dtype(dtype)), torch.tensor(y, dtype=_torch_dtype(dtype))
    )
    np.testing.assert_allclose(ours.data, theirs.numpy(), **TOL[dtype])
    x = nl.tensor(p, dtype=dtype, requires_grad=True)
    nn.BCELoss()(x, y).backward()
    assert np.isfinite(x.grad).all()


def test_bce_with_logits_is_stable_for_huge_logits():
    scores = np.array([[1000.0, -1000.0, 50.0]])
    target = np.array([[0.0, 1.0, 1.0]])
    ours = nn.BCEWithLogitsLoss(reduction="none")(nl.tensor(scores, dtype="float64"), target)
    theirs = torch.nn.BCEWithLogitsLoss(reduction="none")(
        torch.tensor(scores), torch.tensor(target)
    )
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12)


def test_init_gains_and_fans_match_pytorch():
    for name in ("linear", "sigmoid", "tanh", "relu", "selu", "conv2d"):
        assert nn.init.calculate_gain(name) == pytest.approx(torch.nn.init.calculate_gain(name))
    for slope in (None, 0.2, 5**0.5):
        assert nn.init.calculate_gain("leaky_relu", slope) == pytest.approx(
            torch.nn.init.calculate_gain("leaky_relu", slope)
        )
    for shape in ((7, 3), (8, 4, 3, 3), (5, 2, 4)):
        ours = nn.init._calculate_fan_in_and_fan_out(nl.zeros(*shape))
        theirs = torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(*shape))
        assert ours == theirs
