"""``check_layer``: the contract every layer of ``neuronlab.nn`` meets.

1. The parameters are registered, under the expected names and in order.
2. The repr names the layer and mentions its configuration.
3. The output has the expected shape and the input's dtype (no silent float64 upcast), and so
   do the gradients of float32 parameters.
4. In float64, backward agrees with central differences for the input and every parameter.
5. ``state_dict()`` -> ``load_state_dict()`` into a differently initialized twin reproduces the
   outputs, copying in place (the parameter arrays stay the same objects).
6. ``train()`` / ``eval()`` switch every sub-module, return the layer, and evaluation is
   deterministic.

Stochastic layers (dropout) are made deterministic for the gradient check by reseeding the
engine's generator before every forward pass.
"""

from __future__ import annotations

import numpy as np

import neuronlab as nl


def _gradcheck_layer(layer, x, eps=1e-6, rtol=1e-5, atol=1e-7):
    """Compare backward with central differences for ``x`` and every parameter (float64)."""
    names = ["input"] + [name for name, _ in layer.named_parameters()]
    inputs = [x, *layer.parameters()]

    def forward(*_):  # the tensors in ``inputs`` are perturbed in place by numerical_gradients
        nl.manual_seed(1234)
        return layer(x)

    weights = np.random.default_rng(0).standard_normal(forward().shape)
    for t in inputs:
        t.grad = None
    (forward() * nl.tensor(weights, dtype="float64")).sum().backward()
    numerical = nl.numerical_gradients(forward, inputs, eps=eps, weights=weights)
    for name, t, num in zip(names, inputs, numerical):
        assert t.grad is not None, f"{layer!r}: backward left no gradient for {name}"
        np.testing.assert_allclose(
            t.grad,
            num,
            rtol=rtol,
            atol=atol,
            err_msg=f"{layer!r}: gradient of {name} disagrees with central differences",
        )


def check_layer(make, input_shape, output_shape, *, param_names=(), config=(), seed=0):
    """Run the contract above on ``make()``, a fresh layer, fed random inputs of
    ``input_shape``; return the float64 layer for further checks."""
    nl.manual_seed(seed)
    layer = make()

    # 1. registration
    assert [name for name, _ in layer.named_parameters()] == list(param_names)
    assert all(isinstance(p, nl.nn.Parameter) and p.requires_grad for p in layer.parameters())

    # 2. repr
    text = repr(layer)
    assert text.startswith(type(layer).__name__ + "("), text
    for piece in config:
        assert piece in text, f"repr {text!r} does not mention {piece!r}"

    # 3. output shape and dtype, float32
    x32 = nl.randn(*input_shape, requires_grad=True)
    nl.manual_seed(1)
    out = layer(x32)
    assert out.shape == tuple(output_shape), f"{layer!r}: output shape {out.shape}"
    assert out.dtype == np.float32, f"{layer!r}: a float32 input gave a {out.dtype} output"
    out.sum().backward()
    assert x32.grad.shape == x32.shape and x32.grad.dtype == np.float32
    for name, p in layer.named_parameters():
        assert p.grad is not None and p.grad.dtype == np.float32, name

    # 4. gradients, float64
    layer.double()
    assert all(p.dtype == np.float64 for p in layer.parameters())
    x = nl.tensor(x32.data, dtype="float64", requires_grad=True)
    _gradcheck_layer(layer, x)

    # 5. state_dict round trip into a differently initialized twin
    nl.manual_seed(seed + 1)
    twin = make().double()
    arrays = [p.data for p in twin.parameters()]
    result = twin.load_state_dict(layer.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert all(p.data is a for p, a in zip(twin.parameters(), arrays)), "not copied in place"
    layer.eval(), twin.eval()
    np.testing.assert_array_equal(layer(x).data, twin(x).data)

    # 6. train / eval
    assert layer.train() is layer and all(m.training for m in layer.modules())
    assert layer.eval() is layer and not any(m.training for m in layer.modules())
    np.testing.assert_array_equal(layer(x).data, layer(x).data)
    return layer
