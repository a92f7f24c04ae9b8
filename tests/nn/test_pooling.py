"""MaxPool2d, AvgPool2d and AdaptiveAvgPool2d: the layer contract, PyTorch parity (outputs and
input gradients, ties included), the 2x2 fast path against the general path and the naive loop,
error messages, and a save/load round trip."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.engine.ops.pool import MaxPool2d as MaxPoolOp
from neuronlab.io import layers_conv
from neuronlab.io.serialization import load, save
from neuronlab.nn import conv_functional as CF
from neuronlab.nn.pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d

from .harness import check_layer

TOL = dict(rtol=1e-6, atol=1e-9)


def _distinct(shape, seed=0):
    """Values without ties (so the max and its gradient are unique), in random order."""
    n = int(np.prod(shape))
    return (np.random.default_rng(seed).permutation(n) * 0.1 - n * 0.05).reshape(shape)


CASES = [  # (our layer, the same layer in PyTorch, input shape)
    (lambda: MaxPool2d(2), lambda: torch.nn.MaxPool2d(2), (2, 3, 6, 6)),
    (lambda: MaxPool2d(2), lambda: torch.nn.MaxPool2d(2), (2, 3, 7, 5)),  # odd: floor
    (lambda: MaxPool2d(3, stride=2, padding=1),
     lambda: torch.nn.MaxPool2d(3, stride=2, padding=1), (2, 2, 7, 8)),
    (lambda: MaxPool2d((2, 3), stride=1), lambda: torch.nn.MaxPool2d((2, 3), stride=1),
     (1, 2, 5, 6)),
    (lambda: AvgPool2d(2), lambda: torch.nn.AvgPool2d(2), (2, 3, 6, 6)),
    (lambda: AvgPool2d(3, stride=2, padding=1),
     lambda: torch.nn.AvgPool2d(3, stride=2, padding=1), (2, 2, 7, 7)),
    (lambda: AvgPool2d(3, stride=1, padding=1, count_include_pad=False),
     lambda: torch.nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False), (2, 2, 5, 6)),
    (lambda: MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
     lambda: torch.nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), (2, 2, 6, 8)),
    (lambda: MaxPool2d(2, stride=1, padding=1, dilation=2),
     lambda: torch.nn.MaxPool2d(2, stride=1, padding=1, dilation=2), (1, 2, 6, 5)),
    (lambda: AvgPool2d(3, stride=2, padding=1, ceil_mode=True),
     lambda: torch.nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True), (2, 2, 6, 8)),
    (lambda: AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
     lambda: torch.nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
     (2, 2, 6, 8)),
    (lambda: AvgPool2d(2, divisor_override=3), lambda: torch.nn.AvgPool2d(2, divisor_override=3),
     (1, 2, 5, 5)),
    (lambda: AvgPool2d([3], [2], [1], divisor_override=-2),
     lambda: torch.nn.AvgPool2d([3], [2], [1], divisor_override=-2), (1, 2, 5, 5)),
    (lambda: AdaptiveAvgPool2d(1), lambda: torch.nn.AdaptiveAvgPool2d(1), (2, 3, 5, 7)),
    (lambda: AdaptiveAvgPool2d((3, 4)), lambda: torch.nn.AdaptiveAvgPool2d((3, 4)),
     (2, 2, 5, 7)),
    (lambda: AdaptiveAvgPool2d((None, 2)), lambda: torch.nn.AdaptiveAvgPool2d((None, 2)),
     (2, 2, 5, 6)),
]


@pytest.mark.parametrize(("make", "make_torch", "shape"), CASES)
def test_layer_contract(make, make_torch, shape):
    out = make_torch()(torch.zeros(shape, dtype=torch.float64))
    check_layer(make, shape, tuple(out.shape), config=[type(make()).__name__])


@pytest.mark.torch
@pytest.mark.parametrize(("make", "make_torch", "shape"), CASES)
def test_matches_torch(make, make_torch, shape):
    x = nl.tensor(_distinct(shape), dtype="float64", requires_grad=True)
    tx = torch.tensor(_distinct(shape), requires_grad=True)
    y, ty = make()(x), make_torch()(tx)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), **TOL)
    dout = np.random.default_rng(1).standard_normal(y.shape)
    y.backward(dout)
    ty.backward(torch.from_numpy(dout))
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TOL)


@pytest.mark.torch
@pytest.mark.parametrize("kernel", [2, 3])
def test_max_pool_ties_go_to_the_first_max_as_in_pytorch(kernel):
    """After a ReLU most windows hold several zeros: the gradient must go to one of them only,
    the first in row-major order, exactly as PyTorch routes it."""
    rng = np.random.default_rng(0)
    values = rng.integers(0, 3, (2, 3, 6, 6)).astype(np.float64)  # many ties
    x = nl.tensor(values, dtype="float64", requires_grad=True)
    tx = torch.tensor(values, requires_grad=True)
    y = CF.max_pool2d(x, kernel, stride=2)
    ty = torch.nn.functional.max_pool2d(tx, kernel, stride=2)
    dout = rng.standard_normal(y.shape)
    y.backward(dout)
    ty.backward(torch.from_numpy(dout))
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())


@pytest.mark.parametrize("shape", [(3, 4, 8, 8), (2, 2, 9, 7), (1, 1, 2, 2)])
def test_2x2_fast_path_equals_the_general_path_and_the_loop(shape):
    values = np.random.default_rng(0).integers(0, 4, shape).astype(np.float64)  # ties too
    dout = np.random.default_rng(1).standard_normal((shape[0], shape[1], shape[2] // 2,
                                                      shape[3] // 2))
    results = []
    for route in ("fast", "general", "composed"):
        x = nl.tensor(values, dtype="float64", requires_grad=True)
        if route == "composed":
            y = CF.composed_max_pool2d(x, 2)
        else:
            y = MaxPoolOp.apply(x, kernel=(2, 2), stride=(2, 2), padding=(0, 0))
            if route == "general":  # the same windows through the general loop over offsets
                x = nl.tensor(values, dtype="float64", requires_grad=True)
                y = MaxPoolOp.apply(x, kernel=(2, 2), stride=(2, 2), padding=(0, 0),
                                    general=True)
        y.backward(dout)
        results.append((y.data, x.grad))
    for other in results[1:2]:  # the general path breaks ties as the fast one does
        np.testing.assert_array_equal(results[0][0], other[0])
        np.testing.assert_array_equal(results[0][1], other[1])
    np.testing.assert_array_equal(results[0][0], results[2][0])  # values equal the loop's


@pytest.mark.parametrize(
    ("fast", "naive", "kwargs", "shape"),
    [
        (CF.max_pool2d, CF.composed_max_pool2d, dict(kernel_size=3, stride=2, padding=1),
         (2, 2, 7, 6)),
        (CF.avg_pool2d, CF.composed_avg_pool2d, dict(kernel_size=3, stride=2, padding=1,
                                                     count_include_pad=False), (2, 2, 7, 6)),
        (CF.avg_pool2d, CF.composed_avg_pool2d, dict(kernel_size=(2, 3), stride=1), (2, 2, 5, 6)),
        (CF.adaptive_avg_pool2d, CF.composed_adaptive_avg_pool2d, dict(output_size=(3, 4)),
         (2, 2, 5, 7)),
        (CF.adaptive_avg_pool2d, CF.composed_adaptive_avg_pool2d, dict(output_size=2),
         (2, 2, 6, 4)),
    ],
)
def test_fast_paths_equal_the_loop_over_output_positions(fast, naive, kwargs, shape):
    results = []
    for fn in (fast, naive):
        x = nl.tensor(_distinct(shape), dtype="float64", requires_grad=True)
        y = fn(x, **kwargs)
        y.backward(np.random.default_rng(2).standard_normal(y.shape))
        results.append((y.data, x.grad))
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_float32_stays_float32():
    for layer in (MaxPool2d(2), MaxPool2d(3, 1, 1), AvgPool2d(2), AdaptiveAvgPool2d((2, 3))):
        x = nl.randn(2, 3, 6, 6, requires_grad=True)
        y = layer(x)
        y.sum().backward()
        assert y.dtype == x.grad.dtype == np.float32, layer


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: MaxPool2d(2)(nl.zeros(8, 8)),
         r"MaxPool2d\(kernel_size=\(2, 2\), stride=\(2, 2\), padding=\(0, 0\)\) expected a 4-D "
         r"input \(N, C, H, W\) or a 3-D one \(C, H, W\), got shape \(8, 8\)"),
        (lambda: MaxPool2d(2, padding=2), r"MaxPool2d: padding \(2, 2\) must be at most half"),
        (lambda: AvgPool2d(0), r"AvgPool2d: kernel_size must be an integer >= 1"),
        (lambda: MaxPool2d(5)(nl.zeros(1, 1, 4, 4)),
         r"max_pool2d: a 5x5 window does not fit an input of shape \(1, 1, 4, 4\)"),
        (lambda: AdaptiveAvgPool2d(0), r"AdaptiveAvgPool2d: output_size must be a positive"),
        (lambda: AdaptiveAvgPool2d(2)(nl.zeros(4, 4)),
         r"AdaptiveAvgPool2d\(output_size=2\) expected a 4-D input \(N, C, H, W\) or a 3-D "
         r"one \(C, H, W\), got \(4, 4\)"),
    ],
)
def test_errors_say_what_to_do(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_save_and_load_round_trip(tmp_path):
    layers_conv.register()
    model = nl.nn.Sequential(MaxPool2d(3, stride=2, padding=1),
                             MaxPool2d(2, stride=1, dilation=2, ceil_mode=True),
                             AvgPool2d(2, stride=1, count_include_pad=False),
                             AvgPool2d(2, ceil_mode=True, divisor_override=3),
                             AdaptiveAvgPool2d((1, None)))
    x = nl.randn(2, 3, 9, 9)
    save(model, tmp_path / "pools.safetensors")
    loaded = load(tmp_path / "pools.safetensors")
    assert repr(loaded) == repr(model)
    np.testing.assert_array_equal(loaded(x).data, model(x).data)


@pytest.mark.parametrize("shape", [(3, 4, 8, 8), (2, 2, 9, 7), (1, 1, 2, 2), (2, 3, 28, 28)])
@pytest.mark.parametrize("recording", [True, False])
def test_2x2_backward_equals_its_reference_bit_for_bit(shape, recording):
    """The row-then-column comparisons of the fast backward (kept by a recording forward, made
    again otherwise) against the previous comparison of each window position with y, on values
    with many ties (integers 0..3, ReLU-like zeros)."""
    rng = np.random.default_rng(5)
    for dtype in (np.float32, np.float64):
        x = np.maximum(rng.integers(-2, 4, shape), 0).astype(dtype)
        op = MaxPoolOp()
        with nl.enable_grad() if recording else nl.no_grad():
            op.forward(x, kernel=(2, 2), stride=(2, 2), padding=(0, 0))
        assert (op.masks is not None) == recording
        dout = rng.standard_normal(op.out_hw).astype(dtype) * np.ones((*shape[:2], 1, 1), dtype)
        fast, reference = op._backward_2x2(dout), op._backward_2x2_reference(dout)
        assert fast.dtype == dtype
        np.testing.assert_array_equal(fast, reference)


# ----- options: integer inputs, ceil_mode, return_indices, unbatched input ----------------------
@pytest.mark.torch
def test_max_pool_of_integers_pads_with_the_lowest_integer():
    """Regression: padding with -inf into an int64 array raised OverflowError."""
    x = torch.arange(-12, 13).reshape(1, 1, 5, 5)
    expected = torch.nn.functional.max_pool2d(x, 3, stride=2, padding=1)
    y = nl.nn.functional.max_pool2d(nl.tensor(x.numpy()), 3, stride=2, padding=1)
    assert y.dtype == "int64"
    np.testing.assert_array_equal(y.data, expected.numpy())
    np.testing.assert_array_equal(
        MaxPool2d(2, padding=1)(nl.tensor(x.numpy())).data,
        torch.nn.MaxPool2d(2, padding=1)(x).numpy())


@pytest.mark.torch
def test_boolean_input_is_refused_as_pytorch_does():
    x = torch.tensor([[[[True, False], [False, True]]]])
    for pool in ("max_pool2d", "avg_pool2d"):
        with pytest.raises(RuntimeError):
            getattr(torch.nn.functional, pool)(x, 2)
        with pytest.raises(TypeError, match=rf"{pool}: expected a float or integer input, got "
                                            r"bool; convert it first"):
            getattr(nl.nn.functional, pool)(nl.tensor(x.numpy()), 2)


@pytest.mark.torch
def test_avg_pool_of_integers_rounds_toward_zero_as_pytorch():
    x = torch.arange(-12, 13).reshape(1, 1, 5, 5)
    for kwargs in ({"padding": 1}, {"padding": 1, "count_include_pad": False, "ceil_mode": True}):
        expected = torch.nn.functional.avg_pool2d(x, 3, 2, **kwargs)
        y = nl.nn.functional.avg_pool2d(nl.tensor(x.numpy()), 3, 2, **kwargs)
        assert y.dtype == "int64"
        np.testing.assert_array_equal(y.data, expected.numpy())


GEOMETRIES = [  # (H, W, kernel, stride, padding, dilation)
    (H, W, k, s, p, d)
    for H, W in ((5, 6), (7, 7))
    for k, s, p, d in ((2, 2, 0, 1), (2, 2, 1, 1), (3, 2, 1, 1), (3, 3, 1, 1), (2, 1, 1, 2),
                       (3, 2, 0, 2), ((2, 3), (1, 2), (1, 1), (2, 1)))
]


@pytest.mark.torch
@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize(("H", "W", "k", "s", "p", "d"), GEOMETRIES)
def test_max_pool_options_match_torch(H, W, k, s, p, d, ceil_mode):
    """Values, flat indices (return_indices) and input gradients, over a grid of geometries."""
    x = nl.tensor(_distinct((2, 2, H, W)), dtype="float64", requires_grad=True)
    tx = torch.tensor(_distinct((2, 2, H, W)), requires_grad=True)
    y, idx = CF.max_pool2d(x, k, s, p, d, ceil_mode, return_indices=True)
    ty, tidx = torch.nn.functional.max_pool2d(tx, k, s, p, d, ceil_mode, return_indices=True)
    np.testing.assert_array_equal(y.data, ty.detach().numpy())
    assert idx.dtype == "int64"
    np.testing.assert_array_equal(idx.data, tidx.numpy())
    dout = np.random.default_rng(1).standard_normal(y.shape)
    y.backward(dout)
    ty.backward(torch.from_numpy(dout))
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TOL)


@pytest.mark.torch
@pytest.mark.parametrize("count_include_pad", [False, True])
@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize(("H", "W", "k", "s", "p", "d"), [g for g in GEOMETRIES if g[5] == 1])
def test_avg_pool_ceil_mode_and_count_include_pad_match_torch(H, W, k, s, p, d, ceil_mode,
                                                              count_include_pad):
    x = nl.tensor(_distinct((1, 2, H, W)), dtype="float64", requires_grad=True)
    tx = torch.tensor(_distinct((1, 2, H, W)), requires_grad=True)
    y = CF.avg_pool2d(x, k, s, p, ceil_mode, count_include_pad)
    ty = torch.nn.functional.avg_pool2d(tx, k, s, p, ceil_mode, count_include_pad)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), **TOL)
    dout = np.random.default_rng(1).standard_normal(y.shape)
    y.backward(dout)
    ty.backward(torch.from_numpy(dout))
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TOL)


@pytest.mark.torch
@pytest.mark.parametrize(("make", "make_torch"), [
    (lambda: MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
     lambda: torch.nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)),
    (lambda: AvgPool2d(2, ceil_mode=True), lambda: torch.nn.AvgPool2d(2, ceil_mode=True)),
    (lambda: AdaptiveAvgPool2d((2, 3)), lambda: torch.nn.AdaptiveAvgPool2d((2, 3))),
])
def test_unbatched_input_gives_unbatched_output(make, make_torch):
    x = nl.tensor(_distinct((3, 5, 7)), dtype="float64", requires_grad=True)
    tx = torch.tensor(_distinct((3, 5, 7)), requires_grad=True)
    y, ty = make()(x), make_torch()(tx)
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), **TOL)
    y.sum().backward()
    ty.sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TOL)


@pytest.mark.torch
def test_max_pool_module_returns_indices_as_pytorch():
    x = _distinct((3, 6, 6))
    y, idx = MaxPool2d(2, return_indices=True)(nl.tensor(x, dtype="float64"))
    ty, tidx = torch.nn.MaxPool2d(2, return_indices=True)(torch.tensor(x))
    np.testing.assert_array_equal(y.data, ty.numpy())
    np.testing.assert_array_equal(idx.data, tidx.numpy())


# ----- max_unpool2d ------------------------------------------------------------------------------
@pytest.mark.torch
@pytest.mark.parametrize(("shape", "k", "s", "p", "output_size"), [
    ((2, 3, 6, 6), 2, None, 0, None),
    ((1, 2, 7, 5), 3, 2, 1, None),
    ((1, 2, 7, 7), 2, 2, 0, (7, 7)),  # the odd size the pooling floored away
    ((2, 5, 6), 3, 1, 1, None),  # unbatched
])
def test_max_unpool_inverts_max_pool_as_pytorch(shape, k, s, p, output_size):
    x = torch.tensor(_distinct(shape))
    pooled, idx = torch.nn.functional.max_pool2d(x, k, s, p, return_indices=True)
    ty = pooled.clone().requires_grad_(True)
    tz = torch.nn.functional.max_unpool2d(ty, idx, k, s, p, output_size)
    y = nl.tensor(pooled.numpy(), dtype="float64", requires_grad=True)
    z = CF.max_unpool2d(y, nl.tensor(idx.numpy()), k, s, p, output_size)
    np.testing.assert_array_equal(z.data, tz.detach().numpy())
    dout = np.random.default_rng(1).standard_normal(z.shape)
    z.backward(dout)
    tz.backward(torch.from_numpy(dout))
    np.testing.assert_allclose(y.grad, ty.grad.numpy(), **TOL)


@pytest.mark.torch
def test_max_unpool_module_round_trip_with_the_pool_module():
    x = _distinct((1, 3, 7, 6))
    y, idx = MaxPool2d(3, stride=2, padding=1, return_indices=True)(nl.tensor(x, dtype="float64"))
    z = nl.nn.MaxUnpool2d(3, stride=2, padding=1)(y, idx, output_size=(1, 3, 7, 6))
    ty, tidx = torch.nn.MaxPool2d(3, stride=2, padding=1, return_indices=True)(torch.tensor(x))
    tz = torch.nn.MaxUnpool2d(3, stride=2, padding=1)(ty, tidx, output_size=(1, 3, 7, 6))
    np.testing.assert_array_equal(z.data, tz.numpy())


@pytest.mark.parametrize(("call", "match"), [
    (lambda y, i: CF.max_unpool2d(y, i, 2, output_size=(9, 9)),
     r"max_unpool2d: output_size must be \(H, W\) within one stride of \(6, 6\)"),
    (lambda y, i: CF.max_unpool2d(y, i * 10, 2),
     r"max_unpool2d: an index lies outside the 6x6 output plane"),
    (lambda y, i: CF.max_unpool2d(y, i.float(), 2), r"max_unpool2d: indices must be integers"),
    (lambda y, i: CF.max_unpool2d(y, i[0], 2), r"max_unpool2d: indices must be a Tensor shaped"),
])
def test_max_unpool_errors_say_what_to_do(call, match):
    y, idx = CF.max_pool2d(nl.randn(1, 2, 6, 6), 2, return_indices=True)
    with pytest.raises(ValueError, match=match):
        call(y, idx)


def test_options_survive_describe_and_build():
    from neuronlab.io.architecture import build, describe

    layers_conv.register()
    for layer in (MaxPool2d(3, 2, 1, dilation=2, return_indices=True, ceil_mode=True),
                  AvgPool2d(3, 2, 1, ceil_mode=True, divisor_override=5),
                  nl.nn.MaxUnpool2d(3, stride=2, padding=1)):
        rebuilt = build(describe(layer))
        assert type(rebuilt) is type(layer) and repr(rebuilt) == repr(layer)
        assert vars(rebuilt).keys() >= {"kernel_size", "stride", "padding"}
        for name in ("ceil_mode", "dilation", "return_indices", "divisor_override"):
            assert getattr(rebuilt, name, None) == getattr(layer, name, None)
