"""LeNet and SmallCNN: shapes, parameter counts and outputs equal to the same networks in PyTorch,
per-example gradients through a whole CNN, a save/load round trip, and the claim of the
architectures chapter: on Fashion-MNIST a CNN beats an MLP with the same parameter budget."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.data import load_fashion_mnist
from neuronlab.io import layers_conv
from neuronlab.io.serialization import load, save
from neuronlab.models.lenet import LeNet, SmallCNN
from neuronlab.models.mlp import MLP
from neuronlab.nn.per_example import per_example_gradients


def _torch_twin(model):
    """The same network in PyTorch (float64), built from our layers' configuration, with our
    weights loaded through the state_dict: names and shapes must match PyTorch's."""
    tn = torch.nn
    layers = {}
    for part in ("features", "classifier"):
        twins = []
        for layer in getattr(model, part):
            name = type(layer).__name__
            if name == "Conv2d":
                twins.append(tn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                                       padding=layer.padding))
            elif name == "Linear":
                twins.append(tn.Linear(layer.in_features, layer.out_features))
            elif name == "MaxPool2d":
                twins.append(tn.MaxPool2d(layer.kernel_size))
            else:
                twins.append(getattr(tn, name)())
        layers[part] = tn.Sequential(*twins)
    twin = tn.Sequential(OrderedDict(layers)).double()
    twin.load_state_dict({k: torch.from_numpy(v.data.astype(np.float64))
                          for k, v in model.state_dict().items()})
    return twin


@pytest.mark.torch
@pytest.mark.parametrize(
    ("make", "params"),
    [(lambda: LeNet(), 61_706), (lambda: SmallCNN(), 421_642),
     (lambda: SmallCNN(3, 5, channels=(4, 8), hidden=0), 2_373),
     (lambda: LeNet(3, 2, widths=(4, 8), hidden=(16, 12)), 4_558)],
)
def test_shapes_counts_and_outputs_match_pytorch(make, params):
    nl.manual_seed(0)
    model = make().double()
    assert sum(p.numel() for p in model.parameters()) == params
    x = np.random.default_rng(0).standard_normal((3, model.in_channels, 28, 28))
    twin = _torch_twin(model)
    assert sum(p.numel() for p in twin.parameters()) == params
    out = model(nl.tensor(x, dtype="float64"))
    assert out.shape == (3, model.num_classes)
    np.testing.assert_allclose(out.data, twin(torch.from_numpy(x)).detach().numpy(),
                               rtol=1e-6, atol=1e-9)


def test_bad_sizes_are_named():
    with pytest.raises(ValueError, match=r"SmallCNN: channels must be a positive integer, got 0"):
        SmallCNN(channels=(0, 4))
    with pytest.raises(ValueError, match=r"LeNet: num_classes must be a positive integer"):
        LeNet(num_classes=0)


def test_per_example_gradients_through_a_cnn():
    nl.manual_seed(0)
    model = SmallCNN(channels=(2, 3), hidden=4).double()
    X = nl.tensor(np.random.default_rng(1).random((3, 1, 28, 28)), dtype="float64")
    y = nl.tensor([0, 3, 9])
    grads = per_example_gradients(model, nl.nn.CrossEntropyLoss(), X, y)
    loss = nl.nn.CrossEntropyLoss(reduction="sum")
    for n in range(3):
        model.zero_grad()
        loss(model(X[n : n + 1]), y[n : n + 1]).backward()
        for name, p in model.named_parameters():
            np.testing.assert_allclose(grads[name][n], p.grad, rtol=1e-9, atol=1e-12,
                                       err_msg=name)


def test_save_and_load_round_trip(tmp_path):
    layers_conv.register()
    for model in (LeNet(widths=(2, 4), hidden=(8, 6)), SmallCNN(channels=(2, 3), hidden=0)):
        save(model, tmp_path / "model.safetensors")
        loaded = load(tmp_path / "model.safetensors")
        x = nl.randn(2, 1, 28, 28)
        assert type(loaded) is type(model) and repr(loaded) == repr(model)
        np.testing.assert_array_equal(loaded(x).data, model(x).data)


# ----- the chapter's claim -----------------------------------------------------------------------
def _train(model, X, y, flat, epochs=2, batch_size=32, seed=0):
    loss_fn = nl.nn.CrossEntropyLoss()
    optimizer = nl.optim.Adam(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start : start + batch_size]
            xb = X[idx].reshape(len(idx), -1) if flat else X[idx]
            loss = loss_fn(model(nl.Tensor(xb)), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    return model


@pytest.mark.slow
def test_cnn_beats_an_mlp_of_the_same_size_on_fashion_mnist():
    """6,000 training images, 2 epochs, Adam 1e-3, batch 32, seeds fixed: a ~9k-parameter CNN
    (8 and 16 filters, no hidden dense layer) against a one-hidden-layer MLP with at least as
    many parameters. Typical: CNN ~79%, MLP ~74% on the 10,000 test images."""
    data = load_fashion_mnist(layout="nchw")
    X, y = data.X_train[:6000], data.y_train[:6000].astype(np.int64)
    Xt, yt = data.X_test, data.y_test.astype(np.int64)
    nl.manual_seed(0)
    cnn = SmallCNN(channels=(8, 16), hidden=0)
    n_cnn = sum(p.numel() for p in cnn.parameters())
    width = -(-(n_cnn - 10) // 795)  # 784*h + h + 10*h + 10 >= the CNN's count
    nl.manual_seed(0)
    mlp = MLP(784, [width], 10)
    assert n_cnn <= sum(p.numel() for p in mlp.parameters()) <= n_cnn * 1.1
    _train(cnn, X, y, flat=False)
    _train(mlp, X, y, flat=True)
    with nl.no_grad():
        acc_cnn = float((cnn(nl.Tensor(Xt)).data.argmax(1) == yt).mean())
        acc_mlp = float((mlp(nl.Tensor(Xt.reshape(len(Xt), -1))).data.argmax(1) == yt).mean())
    assert acc_cnn > 0.75, acc_cnn
    assert acc_cnn > acc_mlp + 0.02, (acc_cnn, acc_mlp)
