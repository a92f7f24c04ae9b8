"""Every layer through the ``check_layer`` contract, then each layer's own behaviour and errors."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import neuronlab as nl
from neuronlab import nn

from .harness import check_layer

LAYERS = [
    pytest.param(
        lambda: nn.Linear(4, 3),
        (5, 4),
        (5, 3),
        ["weight", "bias"],
        ["in_features=4", "out_features=3", "bias=True"],
        id="linear",
    ),
    pytest.param(
        lambda: nn.Linear(4, 2, bias=False),
        (2, 3, 4),
        (2, 3, 2),
        ["weight"],
        ["bias=False"],
        id="linear-nobias-3d",
    ),
    pytest.param(lambda: nn.Linear(3, 2), (3,), (2,), ["weight", "bias"], [], id="linear-1d"),
    pytest.param(nn.Identity, (2, 3), (2, 3), [], [], id="identity"),
    pytest.param(
        nn.Flatten, (2, 3, 2, 2), (2, 12), [], ["start_dim=1", "end_dim=-1"], id="flatten"
    ),
    pytest.param(
        lambda: nn.Flatten(0, 1),
        (2, 3, 2),
        (6, 2),
        [],
        ["start_dim=0", "end_dim=1"],
        id="flatten-0-1",
    ),
    pytest.param(nn.ReLU, (3, 4), (3, 4), [], [], id="relu"),
    pytest.param(
        lambda: nn.LeakyReLU(0.2), (3, 4), (3, 4), [], ["negative_slope=0.2"], id="leaky_relu"
    ),
    pytest.param(nn.Sigmoid, (3, 4), (3, 4), [], [], id="sigmoid"),
    pytest.param(nn.Tanh, (3, 4), (3, 4), [], [], id="tanh"),
    pytest.param(nn.GELU, (3, 4), (3, 4), [], ["approximate='none'"], id="gelu"),
    pytest.param(
        lambda: nn.GELU("tanh"), (3, 4), (3, 4), [], ["approximate='tanh'"], id="gelu-tanh"
    ),
    pytest.param(lambda: nn.Softmax(dim=1), (3, 4), (3, 4), [], ["dim=1"], id="softmax"),
    pytest.param(lambda: nn.LogSoftmax(dim=0), (3, 4), (3, 4), [], ["dim=0"], id="log_softmax"),
    pytest.param(lambda: nn.Dropout(0.3), (4, 5), (4, 5), [], ["p=0.3"], id="dropout"),
    pytest.param(
        lambda: nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)),
        (5, 3),
        (5, 2),
        ["0.weight", "0.bias", "2.weight", "2.bias"],
        ["(0): Linear(in_features=3", "(1): Tanh()", "26 params in total"],
        id="sequential",
    ),
    pytest.param(
        lambda: nn.Sequential(
            {
                "hidden": nn.Linear(3, 4),
                "act": nn.GELU(),
                "drop": nn.Dropout(0.2),
                "out": nn.Linear(4, 1),
            }
        ),
        (6, 3),
        (6, 1),
        ["hidden.weight", "hidden.bias", "out.weight", "out.bias"],
        ["(hidden): Linear", "(drop): Dropout(p=0.2)"],
        id="sequential-named",
    ),
]


@pytest.mark.parametrize(("make", "input_shape", "output_shape", "names", "config"), LAYERS)
def test_layer_contract(make, input_shape, output_shape, names, config):
    check_layer(make, input_shape, output_shape, param_names=names, config=config)


def test_harness_catches_a_wrong_gradient():
    """The contract must be able to fail: a layer whose backward misses a term is caught."""

    class Sneaky(nn.Linear):
        def forward(self, x):  # x.data.sum() depends on x, but autograd cannot see it
            return super().forward(x) + float(x.data.sum())

    with pytest.raises(AssertionError, match="gradient of input disagrees with central"):
        check_layer(lambda: Sneaky(3, 2), (4, 3), (4, 2), param_names=["weight", "bias"])


# ----- Linear ----------------------------------------------------------------------------------


def test_linear_computes_x_w_transpose_plus_b():
    layer = nn.Linear(3, 2)
    x = nl.randn(4, 3)
    expected = x.data @ layer.weight.data.T + layer.bias.data
    np.testing.assert_allclose(layer(x).data, expected, rtol=1e-6)


def test_linear_shape_error_names_the_layer_and_the_fix():
    layer = nn.Linear(256, 10)
    message = (
        "Linear(in_features=256, out_features=10) expected inputs whose last dimension is "
        "256, got shape (32, 128); check the previous layer's out_features."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        layer(nl.zeros(32, 128))
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        layer(nl.tensor(1.0))


def test_linear_refuses_arrays_and_mixed_dtypes():
    layer = nn.Linear(3, 2)
    with pytest.raises(TypeError, match="expected a Tensor, got ndarray; wrap arrays"):
        layer(np.zeros((2, 3), dtype=np.float32))
    with pytest.raises(TypeError, match=r"float32 parameters but got a float64 input.*x.float\(\)"):
        layer(nl.zeros(2, 3, dtype="float64"))
    with pytest.raises(TypeError, match="int64 input"):
        layer(nl.tensor([[1, 2, 3]]))


def test_linear_config_validation_and_dtype():
    with pytest.raises(ValueError, match="in_features must be a non-negative integer, got 2.5"):
        nn.Linear(2.5, 3)
    layer = nn.Linear(2, 3, dtype="float64")
    assert layer.weight.dtype == np.float64 and layer.bias.dtype == np.float64
    assert nn.Linear(2, 3).weight.dtype == np.float32


def test_linear_default_init_is_pytorchs_bound():
    nl.manual_seed(0)
    layer = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    w, b = layer.weight.data, layer.bias.data
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.01 * bound  # U(-k, k) has std k / sqrt(3)
    assert abs(w.mean()) < 0.01 * bound


def test_linear_without_input_grad_gives_parameter_grads():
    layer = nn.Linear(3, 2)
    layer(nl.randn(4, 3)).sum().backward()
    np.testing.assert_allclose(layer.bias.grad, [4.0, 4.0])


# ----- Flatten, activations ------------------------------------------------------------------


def test_flatten_error_says_which_axes():
    with pytest.raises(
        ValueError,
        match=r"Flatten\(start_dim=1, end_dim=-1\) cannot flatten an "
        r"input of shape \(5,\)",
    ):
        nn.Flatten()(nl.zeros(5))


def test_leaky_relu_slope_and_gradient_at_zero():
    x = nl.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    y = nn.LeakyReLU(0.1)(x)
    np.testing.assert_allclose(y.data, [-0.2, 0.0, 3.0], rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [0.1, 0.1, 1.0], rtol=1e-6)  # PyTorch: slope at 0


def test_gelu_rejects_unknown_approximation():
    with pytest.raises(ValueError, match="approximate must be 'none' or 'tanh', got 'fast'"):
        nn.GELU("fast")


def test_softmax_rows_sum_to_one_even_for_huge_scores():
    y = nn.Softmax(dim=1)(nl.tensor([[1000.0, 0.0], [-1000.0, -1000.0]]))
    np.testing.assert_allclose(y.data, [[1.0, 0.0], [0.5, 0.5]])


# ----- Dropout -------------------------------------------------------------------------------


def test_dropout_zeroes_about_p_and_rescales_the_rest():
    nl.manual_seed(0)
    drop = nn.Dropout(0.3)
    y = drop(nl.ones(200_000)).data
    assert abs((y == 0).mean() - 0.3) < 0.005
    np.testing.assert_allclose(np.unique(y), [0.0, 1 / 0.7], rtol=1e-6)
    assert abs(y.mean() - 1.0) < 0.01  # the expected value is kept


def test_dropout_gradient_is_the_mask():
    x = nl.randn(50, 20, requires_grad=True)
    y = nn.Dropout(0.5)(x)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, (y.data != 0) * 2.0)


def test_dropout_is_seedable_and_off_in_eval():
    drop = nn.Dropout(0.5)
    nl.manual_seed(7)
    first = drop(nl.ones(100)).data
    nl.manual_seed(7)
    np.testing.assert_array_equal(first, drop(nl.ones(100)).data)
    x = nl.randn(10)
    assert drop.eval()(x) is x
    assert nn.Dropout(0.0)(x) is x
    np.testing.assert_array_equal(nn.Dropout(1.0)(x).data, np.zeros(10))


@pytest.mark.parametrize("p", [-0.1, 1.5, "0.5", None, True])
def test_dropout_validates_p(p):
    with pytest.raises(
        ValueError,
        match=r"Dropout: the drop probability p must be a number "
        r"between 0 and 1",
    ):
        nn.Dropout(p)
    with pytest.raises(ValueError, match="dropout: the drop probability"):
        nn.functional.dropout(nl.ones(3), p)


# ----- containers ----------------------------------------------------------------------------


def test_sequential_indexing_len_iteration_append():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    model = nn.Sequential(a, b)
    assert model.append(c) is model
    assert len(model) == 3 and list(model) == [a, b, c]
    assert model[0] is a and model[-1] is c
    head = model[:2]
    assert isinstance(head, nn.Sequential) and list(head) == [a, b]
    assert model(nl.zeros(4, 2)).shape == (4, 1)
    with pytest.raises(IndexError, match="Sequential index 3 is out of range for 3 layers"):
        model[3]
    with pytest.raises(TypeError, match="Sequential holds Modules.*use its layer"):
        model.append(lambda x: x)
    with pytest.raises(TypeError, match=r"got list; unpack a list of layers with Sequential\(\*"):
        nn.Sequential([a, b])


def test_sequential_replace_delete_insert_keep_pytorch_names():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    model[2] = nn.Linear(3, 5)
    assert model(nl.zeros(1, 2)).shape == (1, 5)
    del model[1]
    assert [n for n, _ in model.named_children()] == ["0", "1"]
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias", "1.weight", "1.bias"]
    model.insert(1, nn.Tanh())
    assert [type(m).__name__ for m in model] == ["Linear", "Tanh", "Linear"]
    assert list(model._modules) == ["0", "1", "2"]


def test_module_list_registers_but_has_no_forward():
    blocks = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    blocks.extend([nn.Linear(2, 2)])
    assert len(list(blocks.parameters())) == 6
    assert isinstance(blocks[1:], nn.ModuleList) and len(blocks[1:]) == 2
    with pytest.raises(NotImplementedError, match="loop over it"):
        blocks(nl.zeros(1, 2))
