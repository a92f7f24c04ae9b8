"""The models and data the benchmarks train, built the same way in neuronlab and PyTorch."""

from __future__ import annotations

import numpy as np

from . import common


def fashion_mnist_flat():
    """Fashion-MNIST as (60000, 784) and (10000, 784) float32 in [0, 1], or random images of that
    shape (with a note saying so) when the data set is not installed."""
    from neuronlab.data import load_fashion_mnist
    from neuronlab.data.errors import DatasetNotFoundError

    try:
        b = load_fashion_mnist(layout="flat", download=False)
        return b.X_train, b.y_train, b.X_test, b.y_test, "Fashion-MNIST"
    except DatasetNotFoundError:
        rng = np.random.default_rng(0)
        X = rng.random((70000, 784), dtype=np.float32)
        y = rng.integers(0, 10, 70000)
        return X[:60000], y[:60000], X[60000:], y[60000:], "random Fashion-MNIST-shaped images"


def mlp_neuronlab(sizes=(784, 256, 128, 10)):
    import neuronlab as nl

    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nl.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nl.nn.ReLU())
    return nl.nn.Sequential(*layers)


def mlp_torch(sizes=(784, 256, 128, 10)):
    torch = common.torch_module()
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(torch.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def spiral(n: int = 500, noise: float = 0.1, seed: int = 0):
    """Two interleaved spirals, the TensorFlow Playground's hardest set (float32 X, (n, 1) y)."""
    from neuronlab.data import spiral as make_spiral

    X, y = make_spiral(n_samples=n, noise=noise, seed=seed)
    return X.astype(np.float32), y.astype(np.float32).reshape(-1, 1)
