"""``neuronlab.nn.functional``: fused fast paths equal their naive references, and the losses'
errors say who failed, what was expected, what arrived and how to fix it."""

from __future__ import annotations

import numpy as np
import pytest

import neuronlab as nl
import neuronlab.nn.functional as F
from neuronlab import nn

SEEDS = range(4)


def _values_and_grads(fn, arrays, seed):
    """fn(*tensors) in float64, and the gradient of sum(out * r) for each tensor."""
    tensors = [nl.tensor(a, dtype="float64", requires_grad=True) for a in arrays]
    out = fn(*tensors)
    direction = np.random.default_rng(seed + 100).standard_normal(out.shape)
    (out * nl.tensor(direction, dtype="float64")).sum().backward()
    return out.data, [t.grad for t in tensors]


def assert_same(fused, composed, arrays, seed):
    value, grads = _values_and_grads(fused, arrays, seed)
    ref_value, ref_grads = _values_and_grads(composed, arrays, seed)
    np.testing.assert_allclose(value, ref_value, rtol=1e-10, atol=1e-12)
    for g, ref in zip(grads, ref_grads):
        np.testing.assert_allclose(g, ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_fused_linear_equals_composed(seed):
    rng = np.random.default_rng(seed)
    x, w, b = rng.standard_normal((5, 3, 4)), rng.standard_normal((6, 4)), rng.standard_normal(6)
    assert_same(F.linear, F.composed_linear, [x, w, b], seed)
    assert_same(F.linear, F.composed_linear, [x[0], w], seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_fused_softmax_and_log_softmax_equal_composed(seed, dim):
    x = np.random.default_rng(seed).standard_normal((4, 5, 3)) * 5
    assert_same(lambda t: F.softmax(t, dim), lambda t: F.composed_softmax(t, dim), [x], seed)
    assert_same(
        lambda t: F.log_softmax(t, dim), lambda t: F.composed_log_softmax(t, dim), [x], seed
    )


CE_OPTIONS = [
    {},
    {"weight": np.array([0.3, 1.0, 2.0, 0.7, 1.5])},
    {"label_smoothing": 0.25},
    {"ignore_index": 2},
    {"weight": np.array([0.3, 1.0, 2.0, 0.7, 1.5]), "label_smoothing": 0.1, "ignore_index": 0},
]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("options", CE_OPTIONS, ids=lambda o: "-".join(o) or "plain")
@pytest.mark.parametrize("shape", [(7, 5), (3, 5, 4)], ids=["2d", "3d"])
def test_fused_cross_entropy_equals_composed(seed, reduction, options, shape):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal(shape) * 3
    target = rng.integers(0, 5, size=shape[:1] + shape[2:])
    target.flat[0] = options.get("ignore_index", 1)  # make sure an ignored target is present

    def fused(x):
        return F.cross_entropy(x, target, reduction=reduction, **options)

    def composed(x):
        return F.composed_cross_entropy(x, target, reduction=reduction, **options)

    assert_same(fused, composed, [logits], seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_fused_bce_with_logits_equals_composed(seed, reduction, weighted):
    rng = np.random.default_rng(seed)
    scores = rng.standard_normal((6, 3)) * 10  # large logits: both must stay finite
    target = rng.random((6, 3))
    options = {"weight": rng.random(3), "pos_weight": rng.random(3) * 3} if weighted else {}

    def fused(x):
        return F.binary_cross_entropy_with_logits(x, target, reduction=reduction, **options)

    def composed(x):
        return F.composed_bce_with_logits(x, target, reduction=reduction, **options)

    assert_same(fused, composed, [scores], seed)


def test_composed_reference_is_not_trivially_the_fused_op():
    """The references must be built from primitives, not call the fused op they check."""
    x = nl.randn(3, 4, requires_grad=True)
    ops = {node._op.name for node in nl.topological_order(F.composed_cross_entropy(x, [0, 1, 2]))}
    assert "cross_entropy" not in ops and "log_softmax" not in ops and "getitem" in ops
    ops = {node._op.name for node in nl.topological_order(F.composed_linear(x, x))}
    assert "linear" not in ops and "matmul" in ops


# ----- functional forms equal the layers ------------------------------------------------------


def test_functional_activations_match_layers():
    x = nl.randn(4, 5)
    pairs = [
        (F.relu(x), nn.ReLU()(x)),
        (F.sigmoid(x), nn.Sigmoid()(x)),
        (F.tanh(x), nn.Tanh()(x)),
        (F.gelu(x, "tanh"), nn.GELU("tanh")(x)),
        (F.leaky_relu(x, 0.3), nn.LeakyReLU(0.3)(x)),
        (F.softmax(x, 1), nn.Softmax(1)(x)),
        (F.log_softmax(x, 0), nn.LogSoftmax(0)(x)),
    ]
    for a, b in pairs:
        np.testing.assert_array_equal(a.data, b.data)


def test_functional_dropout_training_flag_and_seed():
    x = nl.ones(50)
    assert F.dropout(x, 0.5, training=False) is x
    nl.manual_seed(3)
    a = F.dropout(x, 0.5)
    nl.manual_seed(3)
    np.testing.assert_array_equal(a.data, nn.Dropout(0.5)(x).data)


def test_linear_function_shape_error():
    with pytest.raises(
        ValueError,
        match=r"linear: an input of shape \(2, 3\) does not fit a "
        r"weight of shape \(4, 5\)",
    ):
        F.linear(nl.zeros(2, 3), nl.zeros(4, 5))


def test_one_hot():
    np.testing.assert_array_equal(
        F.one_hot(nl.tensor([[1], [0]]), 3).data, [[[0, 1, 0]], [[1, 0, 0]]]
    )
    assert F.one_hot(np.array([2, 0])).shape == (2, 3)
    assert F.one_hot(nl.tensor([1])).dtype == np.int64
    with pytest.raises(ValueError, match="class index 3 is out of range for num_classes=3"):
        F.one_hot(nl.tensor([3]), 3)
    with pytest.raises(TypeError, match="expected integer class indices, got dtype float32"):
        F.one_hot(nl.tensor([1.0]))


# ----- loss errors name the loss ---------------------------------------------------------------


def test_class_losses_name_themselves_in_errors():
    logits = nl.randn(4, 3)
    with pytest.raises(
        ValueError,
        match=r"CrossEntropyLoss\(ignore_index=-100, "
        r"reduction='mean', label_smoothing=0.0\): target 3 is "
        r"out of range for 3 classes",
    ):
        nn.CrossEntropyLoss()(logits, nl.tensor([0, 1, 2, 3]))
    with pytest.raises(ValueError, match=r"cross_entropy: target -1 is out of range"):
        F.cross_entropy(logits, [0, 1, 2, -1])
    with pytest.raises(
        TypeError,
        match=r"CrossEntropyLoss\(.*\): expected class indices as "
        r"integers \(int64\), got dtype float32.*y.long\(\)",
    ):
        nn.CrossEntropyLoss()(logits, nl.tensor([0.0, 1.0, 2.0, 1.0]))
    with pytest.raises(
        ValueError,
        match=r"CrossEntropyLoss\(.*\): logits of shape \(4, 3\).*need "
        r"targets of shape \(4,\), got \(4, 3\)",
    ):
        nn.CrossEntropyLoss()(logits, np.zeros((4, 3), dtype=np.int64))
    with pytest.raises(ValueError, match=r"NLLLoss\(.*\): target 7 is out of range for 3"):
        nn.NLLLoss()(logits, [0, 7, 1, 1])
    with pytest.raises(
        ValueError,
        match=r"NLLLoss\(.*\): scores of shape \(4, 3\).*targets of "
        r"shape \(4,\), got \(2,\)",
    ):
        nn.NLLLoss()(logits, [0, 1])
    with pytest.raises(
        ValueError,
        match=r"CrossEntropyLoss\(weight=\[1.0, 2.0\].*class weights "
        r"of shape \(2,\) do not fit 3 classes",
    ):
        nn.CrossEntropyLoss(weight=[1.0, 2.0])(logits, [0, 1, 2, 1])


def test_regression_losses_refuse_mismatched_shapes_with_the_fix():
    pred = nl.randn(8, 1)
    for loss_fn in (nn.MSELoss(), nn.L1Loss(), nn.HuberLoss(), nn.BCEWithLogitsLoss()):
        name = type(loss_fn).__name__
        with pytest.raises(
            ValueError,
            match=rf"{name}\(.*\): predictions of shape \(8, 1\) and "
            r"targets of shape \(8,\) must have the same shape"
            r".*y.reshape\(-1, 1\)",
        ):
            loss_fn(pred, np.zeros(8))
    with pytest.raises(ValueError, match=r"mse_loss: predictions of shape"):
        F.mse_loss(pred, nl.zeros(3, 1))


def test_loss_configuration_errors():
    with pytest.raises(
        ValueError, match="MSELoss: reduction must be one of 'mean', 'sum' or 'none', got 'avg'"
    ):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match="cross_entropy: reduction must be one of"):
        F.cross_entropy(nl.randn(2, 2), [0, 1], reduction="all")
    with pytest.raises(ValueError, match="label_smoothing must be between 0 and 1, got 1.5"):
        nn.CrossEntropyLoss(label_smoothing=1.5)
    with pytest.raises(ValueError, match="HuberLoss: delta must be a positive number, got 0"):
        nn.HuberLoss(delta=0)
    with pytest.raises(
        TypeError,
        match=r"MSELoss\(reduction='mean'\): expected the predictions "
        r"as a Tensor, got ndarray",
    ):
        nn.MSELoss()(np.zeros(3), np.zeros(3))


def test_bce_refuses_values_outside_0_1():
    with pytest.raises(
        ValueError,
        match=r"BCELoss\(reduction='mean'\): expected probabilities "
        r"between 0 and 1, got values from -0.5 to 2.*sigmoid",
    ):
        nn.BCELoss()(nl.tensor([-0.5, 2.0]), [0.0, 1.0])
    with pytest.raises(
        ValueError,
        match=r"BCEWithLogitsLoss\(.*\): pos_weight of shape \(2,\) "
        r"does not broadcast",
    ):
        nn.BCEWithLogitsLoss(pos_weight=[1.0, 2.0])(nl.zeros(4, 3), np.zeros((4, 3)))


def test_losses_accept_tensor_array_and_list_targets_and_keep_dtype():
    logits = nl.randn(3, 4, dtype="float64")
    values = {
        float(F.cross_entropy(logits, t).item())
        for t in (nl.tensor([1, 2, 3]), np.array([1, 2, 3], dtype=np.int32), [1, 2, 3])
    }
    assert len(values) == 1
    pred = nl.randn(3)
    loss = F.mse_loss(pred, np.array([1, 2, 3]))  # int targets are cast, never upcast the loss
    assert loss.dtype == np.float32
    assert F.binary_cross_entropy_with_logits(pred, np.ones(3)).dtype == np.float32


def test_regression_target_gradient_is_kept():
    pred, target = nl.randn(4, requires_grad=True), nl.randn(4, requires_grad=True)
    F.mse_loss(pred, target).backward()
    np.testing.assert_allclose(target.grad, -pred.grad)


def test_all_ignored_mean_is_nan_like_pytorch():
    loss = F.nll_loss(nl.randn(2, 3), [-100, -100])
    assert np.isnan(loss.item())
