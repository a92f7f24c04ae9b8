"""Conv1d and Conv2d: the layer contract, PyTorch parity (outputs and every gradient, weights
copied in), the sliced fast path and the im2col reference against the naive loop,
initialization, error messages, per-example gradients against a loop over examples, and a
save/load round trip."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.engine.ops import conv as conv_ops
from neuronlab.io import layers_conv
from neuronlab.io.serialization import load, save
from neuronlab.nn import conv_functional as CF
from neuronlab.nn.conv import Conv1d, Conv2d
from neuronlab.nn.per_example import per_example_gradients

from .harness import check_layer

TOL = dict(rtol=1e-6, atol=1e-9)
TIGHT = dict(rtol=1e-10, atol=1e-12)

# (args, kwargs, input shape): both products (per example for C*kh*kw <= 32, batch folded in
# above), padding in every form, stride, dilation, groups.
CONV2D_CASES = [
    ((1, 4, 3), dict(padding=1), (3, 1, 6, 6)),
    ((3, 5, 3), dict(padding=1), (2, 3, 6, 5)),  # K = 27: per example
    ((4, 6, 3), dict(padding="same"), (2, 4, 5, 5)),  # K = 36: folded
    ((4, 6, (3, 2)), dict(stride=2, padding=(1, 0)), (2, 4, 7, 6)),
    ((2, 3, 3), dict(dilation=2, padding="same", bias=False), (2, 2, 7, 7)),
    ((4, 6, 3), dict(groups=2, padding="valid"), (2, 4, 6, 6)),
    ((4, 4, 3), dict(groups=4, padding=1), (2, 4, 5, 5)),  # depthwise
    ((4, 3, 2), dict(padding="same"), (2, 4, 5, 6)),  # even kernel: extra zero at the end
    ((5, 2, 1), dict(), (2, 5, 3, 4)),  # 1x1
]
CONV1D_CASES = [
    ((3, 4, 3), dict(padding=1), (2, 3, 9)),
    ((4, 6, 5), dict(padding="same", dilation=2), (2, 4, 12)),
    ((4, 2, 4), dict(stride=3, groups=2, bias=False), (3, 4, 11)),
    ((10, 3, 4), dict(padding="same"), (2, 10, 8)),  # K = 40: folded, even kernel
]


def _data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def _torch_layer(layer, torch_cls):
    """The same layer in PyTorch, float64, with our weights copied in."""
    t = torch_cls(layer.in_channels, layer.out_channels, layer.kernel_size, stride=layer.stride,
                  padding=layer.padding, dilation=layer.dilation, groups=layer.groups,
                  bias=layer.bias is not None).double()
    with torch.no_grad():
        t.weight.copy_(torch.from_numpy(layer.weight.data))
        if layer.bias is not None:
            t.bias.copy_(torch.from_numpy(layer.bias.data))
    return t


# ----- the layer contract ----------------------------------------------------------------------
@pytest.mark.parametrize(("args", "kwargs", "shape"), CONV2D_CASES[:5] + CONV1D_CASES[:2])
def test_layer_contract(args, kwargs, shape):
    cls = Conv2d if len(shape) == 4 else Conv1d
    probe = cls(*args, **kwargs)
    t_probe = _torch_layer(probe, torch.nn.Conv2d if cls is Conv2d else torch.nn.Conv1d)
    out_shape = tuple(t_probe(torch.zeros(shape, dtype=torch.float64)).shape)
    names = ["weight", "bias"] if kwargs.get("bias", True) else ["weight"]
    check_layer(lambda: cls(*args, **kwargs), shape, out_shape, param_names=names,
                config=[f"kernel_size={probe.kernel_size}"])


# ----- PyTorch parity: outputs, input and parameter gradients ----------------------------------
@pytest.mark.torch
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize(("args", "kwargs", "shape"), CONV2D_CASES + CONV1D_CASES)
def test_matches_torch(args, kwargs, shape):
    cls = Conv2d if len(shape) == 4 else Conv1d
    nl.manual_seed(0)
    layer = cls(*args, **kwargs).double()
    t_layer = _torch_layer(layer, torch.nn.Conv2d if cls is Conv2d else torch.nn.Conv1d)
    x = nl.tensor(_data(shape), dtype="float64", requires_grad=True)
    tx = torch.tensor(_data(shape), requires_grad=True)
    y, ty = layer(x), t_layer(tx)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), **TOL)
    dout = _data(y.shape, seed=1)
    y.backward(dout)
    ty.backward(torch.from_numpy(dout))
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TOL)
    np.testing.assert_allclose(layer.weight.grad, t_layer.weight.grad.numpy(), **TOL)
    if layer.bias is not None:
        np.testing.assert_allclose(layer.bias.grad, t_layer.bias.grad.numpy(), **TOL)
    assert repr(layer).split("  #")[0] == repr(t_layer)  # the same words for the same layer


# ----- the fast path against the naive loop ----------------------------------------------------
@pytest.mark.parametrize(("args", "kwargs", "shape"), CONV2D_CASES)
def test_im2col_equals_the_loop_over_output_positions(args, kwargs, shape):
    nl.manual_seed(0)
    layer = Conv2d(*args, **kwargs).double()
    options = dict(stride=layer.stride, padding=layer.padding, dilation=layer.dilation,
                   groups=layer.groups)
    def reference(x, W, b, stride, padding, dilation, groups):  # whole-batch im2col
        pads = CF.conv_padding("conv2d", padding, W.shape[2:], dilation, stride)
        extra = () if b is None else (b,)
        return conv_ops.Conv2d.apply(x, W, *extra, stride=stride, padding=pads,
                                     dilation=dilation, groups=groups, reference=True)

    results = []
    for fn in (CF.conv2d, reference, CF.composed_conv2d):
        x = nl.tensor(_data(shape), dtype="float64", requires_grad=True)
        layer.zero_grad()
        y = fn(x, layer.weight, layer.bias, **options)
        y.backward(_data(y.shape, seed=2))
        grads = [p.grad.copy() for p in layer.parameters()]
        results.append((y.data, x.grad, *grads))
    for route in results[1:]:
        for fast, naive in zip(results[0], route):
            np.testing.assert_allclose(fast, naive, **TIGHT)


def test_both_products_are_taken():
    """The reference's per-example product (small windows) and folded one (large) are both
    exercised; conv2d itself takes the sliced fast path above SMALL_K unless groups > 1."""
    for C, expected in ((3, True), (4, False)):  # K = 27 and 36 against SMALL_K = 32
        x = nl.randn(2, C, 5, 5, requires_grad=True)
        y = conv_ops.Conv2d.apply(x, nl.randn(2, C, 3, 3), padding=(1, 1, 1, 1), reference=True)
        assert y._op.per_example is expected and not y._op.chunked
        assert CF.conv2d(x, nl.randn(2, C, 3, 3), padding=1)._op.chunked is not expected
    grouped = CF.conv2d(nl.randn(2, 4, 5, 5, requires_grad=True), nl.randn(4, 2, 3, 3), groups=2)
    assert not grouped._op.chunked


def test_float32_stays_float32():
    layer = Conv2d(3, 4, 3, padding=1)
    x = nl.randn(2, 3, 5, 5, requires_grad=True)
    y = layer(x)
    y.sum().backward()
    assert y.dtype == x.grad.dtype == layer.weight.grad.dtype == np.float32


# ----- initialization: PyTorch's default -------------------------------------------------------
def test_default_init_is_pytorch_uniform():
    nl.manual_seed(0)
    layer = Conv2d(16, 32, 5, groups=2)
    fan_in = 16 // 2 * 25
    bound = 1 / math.sqrt(fan_in)
    w, b = layer.weight.data, layer.bias.data
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.02 * bound  # uniform: std = bound / sqrt(3)
    assert w.shape == (32, 8, 5, 5) and w.dtype == np.float32
    nl.manual_seed(0)
    np.testing.assert_array_equal(Conv2d(16, 32, 5, groups=2).weight.data, w)  # seeded


# ----- errors ----------------------------------------------------------------------------------
def test_channels_last_input_is_named():
    layer = Conv2d(1, 8, 3)
    with pytest.raises(ValueError, match=r"Conv2d\(1, 8, kernel_size=\(3, 3\), stride=\(1, 1\)\) "
                                         r"expected 1 input channels on axis 1 \(N, C, H, W\), "
                                         r"got shape \(4, 28, 28, 1\): looks like channels-last "
                                         r"\(N, H, W, C\) data; use x\.permute\(0, 3, 1, 2\)"):
        layer(nl.zeros(4, 28, 28, 1))
    with pytest.raises(ValueError, match=r"looks like channels-last \(N, L, C\) data; use "
                                         r"x\.permute\(0, 2, 1\)"):
        Conv1d(3, 8, 3)(nl.zeros(4, 20, 3))


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: Conv2d(3, 8, 3)(nl.zeros(2, 4, 9, 9)), ValueError,
         r"expected 3 input channels on axis 1 .* got shape \(2, 4, 9, 9\): check the previous "
         r"layer's out_channels"),
        (lambda: Conv2d(3, 8, 3)(nl.zeros(9, 9)), ValueError,
         r"Conv2d\(3, 8, .*\) expected a 4-D input \(N, C, H, W\) or a 3-D one without "
         r"the batch axis, got shape \(9, 9\)"),
        (lambda: Conv2d(3, 8, 3)(nl.zeros(2, 3, 9, 9, dtype="float64")), TypeError,
         r"has float32 parameters but got a float64 input"),
        (lambda: Conv2d(3, 8, 3)(np.zeros((2, 3, 9, 9))), TypeError, r"expected a Tensor"),
        (lambda: Conv2d(3, 8, 5)(nl.zeros(1, 3, 4, 4)), ValueError,
         r"conv2d: a 5x5 kernel .* does not fit an input of shape \(1, 3, 4, 4\)"),
        (lambda: Conv2d(3, 8, 3, groups=2), ValueError,
         r"Conv2d: in_channels \(3\) and out_channels \(8\) must both be divisible by groups"),
        (lambda: Conv2d(3, 8, 3, stride=2, padding="same"), ValueError,
         r"Conv2d: padding='same' needs stride 1"),
        (lambda: Conv2d(3, 8, 0), ValueError, r"Conv2d: kernel_size must be an integer >= 1"),
        (lambda: Conv2d(3, 8, 3, padding="full"), ValueError,
         r"padding must be a number, a pair, 'same' or 'valid', got 'full'"),
        (lambda: Conv1d(0, 8, 3), ValueError, r"Conv1d: in_channels must be a positive integer"),
    ],
)
def test_errors_say_what_to_do(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ----- per-example gradients -------------------------------------------------------------------
def _loop_gradients(model, X, y):
    """The reference: one backward per example."""
    loss_fn = nl.nn.CrossEntropyLoss(reduction="sum")
    rows = {name: [] for name, _ in model.named_parameters()}
    for n in range(len(X)):
        model.zero_grad()
        loss_fn(model(nl.tensor(X[n : n + 1], dtype="float64")), y[n : n + 1]).backward()
        for name, p in model.named_parameters():
            rows[name].append(p.grad.copy())
    return {name: np.stack(g) for name, g in rows.items()}


@pytest.mark.parametrize(
    ("conv", "shape"),
    [
        (lambda: Conv2d(3, 4, 3, padding=1), (5, 3, 6, 6)),
        (lambda: Conv2d(4, 6, 3, stride=2, groups=2, dilation=(1, 2)), (4, 4, 7, 8)),
        (lambda: Conv2d(2, 3, 2, padding="same", bias=False), (3, 2, 5, 5)),
        (lambda: Conv1d(3, 4, 3, padding="same", dilation=2), (5, 3, 9)),
    ],
)
def test_per_example_gradients_match_a_loop_over_examples(conv, shape):
    nl.manual_seed(0)
    layer = conv()
    out_numel = int(np.prod(layer(nl.zeros(*shape)).shape[1:]))
    model = nl.nn.Sequential(layer, nl.nn.Tanh(), nl.nn.Flatten(),
                             nl.nn.Linear(out_numel, 3)).double()
    X = _data(shape)
    y = np.arange(shape[0]) % 3
    fast = per_example_gradients(model, nl.nn.CrossEntropyLoss(), nl.tensor(X, dtype="float64"),
                                 nl.tensor(y))
    slow = _loop_gradients(model, X, y)
    assert fast.keys() == slow.keys()
    for name in slow:
        np.testing.assert_allclose(fast[name], slow[name], rtol=1e-9, atol=1e-12, err_msg=name)


# ----- saving and loading ----------------------------------------------------------------------
def test_save_and_load_round_trip(tmp_path):
    layers_conv.register()
    nl.manual_seed(0)
    model = nl.nn.Sequential(Conv2d(1, 4, 3, padding="same"), nl.nn.ReLU(),
                             Conv2d(4, 4, (3, 2), stride=2, groups=2, bias=False),
                             nl.nn.Flatten(), nl.nn.Linear(4 * 2 * 2, 2))
    x = nl.randn(2, 1, 5, 5)
    save(model, tmp_path / "cnn.safetensors")
    loaded = load(tmp_path / "cnn.safetensors")
    assert repr(loaded) == repr(model)
    np.testing.assert_array_equal(loaded(x).data, model(x).data)
    nl.manual_seed(1)
    conv1d = Conv1d(2, 3, 4, padding="same", dilation=2)
    save(conv1d, tmp_path / "conv1d.safetensors")
    again = load(tmp_path / "conv1d.safetensors")
    assert again.padding == "same" and again.dilation == (2,)
    np.testing.assert_array_equal(again.weight.data, conv1d.weight.data)


def test_graph_label_names_the_kernel():
    y = Conv2d(1, 2, 3, stride=2)(nl.randn(1, 1, 7, 7, requires_grad=True))
    assert y._op.describe() == "conv2d(3x3, stride=2x2)"
    assert isinstance(y._op, conv_ops.Conv2d)


@pytest.mark.torch
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize(("cls", "torch_cls", "args", "kwargs", "shape"), [
    (Conv2d, torch.nn.Conv2d, (3, 4, 3), {"padding": 1}, (3, 6, 5)),
    (Conv2d, torch.nn.Conv2d, (2, 4, (2, 3)), {"padding": "same"}, (2, 5, 6)),
    (Conv1d, torch.nn.Conv1d, (3, 4, 2), {"padding": "same", "dilation": 2}, (3, 9)),
    (Conv1d, torch.nn.Conv1d, (2, 4, 3), {"stride": 2}, (2, 9)),
])
def test_unbatched_input_gives_unbatched_output(cls, torch_cls, args, kwargs, shape):
    """One example without its batch axis, (C, H, W) or (C, L), as PyTorch takes it."""
    nl.manual_seed(0)
    layer = cls(*args, **kwargs).double()
    t_layer = _torch_layer(layer, torch_cls)
    x = nl.tensor(_data(shape), dtype="float64", requires_grad=True)
    tx = torch.tensor(_data(shape), requires_grad=True)
    y, ty = layer(x), t_layer(tx)
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), **TOL)
    y.sum().backward()
    ty.sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TOL)
    np.testing.assert_allclose(layer.weight.grad, t_layer.weight.grad.numpy(), **TOL)


@pytest.mark.torch
@pytest.mark.parametrize(("ours", "theirs"), [
    (lambda: Conv1d(3, 4, 3, stride=2, padding="same"),
     lambda: torch.nn.Conv1d(3, 4, 3, stride=2, padding="same")),
    (lambda: nl.nn.functional.conv2d(nl.zeros(1, 3, 5, 5), nl.zeros(4, 3, 2, 2), stride=(1, 2),
                                     padding="same"),
     lambda: torch.nn.functional.conv2d(torch.zeros(1, 3, 5, 5), torch.zeros(4, 3, 2, 2),
                                        stride=(1, 2), padding="same")),
])
def test_same_padding_with_a_stride_is_refused_as_in_pytorch(ours, theirs):
    with pytest.raises((ValueError, RuntimeError)):
        theirs()
    with pytest.raises(ValueError, match=r"padding='same' needs stride 1, got stride=.*no padding "
                                         r"keeps the input's size"):
        ours()
