"""The two models the stop graduates to PyTorch, and the examples it predicts on.

``playground``: the playground's network, a 2-16-16-2 tanh ``MLP`` trained here with the
``Trainer`` on the two spirals (the same data set and shape as stop 2's default). ``fashion-cnn``:
the ``SmallCNN`` shipped with the lab (``models.load_pretrained``). Both are ordinary
``nn.Module`` s, so anything the learner trained in an earlier stop exports the same way.

:data:`NEURONLAB_CODE` is the neuronlab code that builds each, shown beside the exported PyTorch
code; it is formatted with the very values ``build`` uses.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

import numpy as np

import neuronlab as nl
from neuronlab import data, models
from neuronlab.train import Trainer

PLAYGROUND = {"n": 200, "noise": 0.1, "hidden": [16, 16], "activation": "tanh", "lr": 0.02,
              "batch_size": 32}  # fmt: skip

NEURONLAB_CODE = {
    "playground": """import neuronlab as nl
from neuronlab.models import MLP
from neuronlab.train import Trainer

# the two spirals, and a 2 -> 16 -> 16 -> 2 network
X, y = nl.data.toy.spiral({n}, noise={noise}, seed={seed})
nl.manual_seed({seed})
model = MLP(2, {hidden}, 2, activation="{activation}")
optimizer = nl.optim.Adam(model.parameters(), lr={lr})
loss_fn = nl.nn.CrossEntropyLoss()
Trainer(model, loss_fn, optimizer, (X, y), epochs={epochs},
        batch_size={batch_size}, seed={seed}).run()

# the way out: PyTorch code + weights, and ONNX
nl.io.export_torch(model, "exported/")
nl.io.export_onnx(model, "model.onnx", X[:1])
""",
    "fashion-cnn": """import neuronlab as nl
from neuronlab.models import load_pretrained

# SmallCNN(channels=(8, 16), hidden=64), trained on
# the Fashion-MNIST subset shipped with the lab
model = load_pretrained("fashion-cnn")
data = nl.data.load_fashion_mnist_subset(layout="nchw")
X = data.X_test

# the way out: PyTorch code + weights, and ONNX
nl.io.export_torch(model, "exported/")
nl.io.export_onnx(model, "model.onnx", X[:1])
""",
}


def neuronlab_code(name: str, epochs: int, seed: int) -> str:
    """The neuronlab code behind ``build(name, epochs, seed)``."""
    return NEURONLAB_CODE[name].format(epochs=epochs, seed=seed, **PLAYGROUND)


_TRAINED: OrderedDict[tuple, nl.nn.Module] = OrderedDict()  # the last few models, by recipe
_LOCK = threading.Lock()


def playground_trainer(epochs: int, seed: int, metrics=()) -> Trainer:
    """The Trainer of the playground network, before its first step (the code shown above)."""
    p = PLAYGROUND
    X, y = data.toy.spiral(p["n"], noise=p["noise"], seed=seed)
    nl.manual_seed(seed)
    model = models.MLP(2, p["hidden"], 2, activation=p["activation"])
    optimizer = nl.optim.Adam(model.parameters(), lr=p["lr"])
    return Trainer(model, nl.nn.CrossEntropyLoss(), optimizer, (X, y), epochs=epochs,
                   batch_size=p["batch_size"], seed=seed, metrics=list(metrics))  # fmt: skip


def remember(name: str, epochs: int, seed: int, model: nl.nn.Module) -> None:
    """Keep a trained model, so the export and the downloads use this very one."""
    with _LOCK:
        _TRAINED[(name, epochs, seed)] = model.eval()
        while len(_TRAINED) > 6:
            _TRAINED.popitem(last=False)


def build(name: str, epochs: int, seed: int) -> nl.nn.Module:
    """The trained model in evaluation mode: the one trained with these arguments before, else
    a new one (training is seeded, so it is the same network either way)."""
    if name == "fashion-cnn":
        return _pretrained()
    with _LOCK:
        model = _TRAINED.get((name, epochs, seed))
    if model is None:
        trainer = playground_trainer(epochs, seed)
        trainer.run()
        model = trainer.model
        remember(name, epochs, seed, model)
    return model


@lru_cache(maxsize=1)
def _pretrained() -> nl.nn.Module:
    return models.load_pretrained("fashion-cnn").eval()


@lru_cache(maxsize=4)
def examples(name: str, seed: int) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """(inputs, true labels, class names) the stop predicts on: held-out points or test images."""
    if name == "fashion-cnn":
        bundle = data.load_fashion_mnist_subset(layout="nchw")
        order = np.random.default_rng(seed).permutation(len(bundle.X_test))
        return bundle.X_test[order], bundle.y_test[order], tuple(bundle.classes)
    X, y = data.toy.spiral(200, noise=PLAYGROUND["noise"], seed=seed + 1)  # new points
    return X, y, ("orange arm", "blue arm")


def describe_input(name: str, x: np.ndarray) -> str:
    """A short text for one input: the point, or the image's size."""
    if name == "fashion-cnn":
        return "28x28 image"
    return f"({x[0]:+.2f}, {x[1]:+.2f})"
