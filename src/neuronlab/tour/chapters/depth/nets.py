"""The depth stop's data and networks: ``DeepMLP`` (plain or residual) on 2-D toy data, and
what is measured on them (per-layer gradient norms, how far the first layer moved).

>>> d = toy_data("circle", 200, seed=0)
>>> d["X"].shape, d["X_test"].shape
((150, 2), (50, 2))
>>> norms = layer_norms(build(depth=6, activation="sigmoid", residual=False), d)
>>> len(norms), norms[0][1] < norms[-1][1]
(6, True)
"""

from __future__ import annotations

import numpy as np

import neuronlab as nl

from ....data import StandardScaler, circle, spiral, train_test_split
from ....interpret import gradient_norms
from ....models import DeepMLP

NORMS = {"none": None, "batch": "batch", "layer": "layer"}


def toy_data(name: str, n_samples: int, seed: int) -> dict[str, np.ndarray]:
    """A 2-D toy set (``circle``: a disc inside a ring; ``spiral``: two arms), standardized with
    training statistics and split 75/25."""
    make = circle if name == "circle" else spiral
    X, y = make(n_samples, noise=0.05 if name == "circle" else 0.1, seed=seed)
    X, Xt, y, yt = train_test_split(X, y, test_size=0.25, stratify=y, seed=seed)
    scaler = StandardScaler().fit(X)
    f32 = lambda a: np.asarray(scaler.transform(a), np.float32)  # noqa: E731
    return {"X": f32(X), "y": np.asarray(y), "X_test": f32(Xt), "y_test": np.asarray(yt)}


def build(
    *,
    depth: int,
    activation: str,
    residual: bool,
    norm: str = "none",
    width: int = 32,
    seed: int = 0,
) -> DeepMLP:
    """``DeepMLP`` from ``seed``: the plain and the residual net start from the same weights."""
    nl.manual_seed(seed)
    return DeepMLP(
        depth=depth, width=width, activation=activation, residual=residual, norm=NORMS[norm]
    )


def layer_norms(model, d: dict, n: int = 128) -> list[tuple[str, float]]:
    """||dL/dW|| per Linear layer, input side first, for the first ``n`` training points."""
    return gradient_norms(model, nl.nn.CrossEntropyLoss(), d["X"][:n], d["y"][:n])


def first_weights(model) -> np.ndarray:
    return model[0].weight.data.copy()


def moved(model, start: np.ndarray) -> float:
    """How far the first layer's weights moved: ||W - W_0|| / ||W_0||."""
    return float(np.linalg.norm(model[0].weight.data - start) / np.linalg.norm(start))


def n_params(model) -> int:
    return int(sum(p.data.size for p in model.parameters()))


def hidden_ratio(norms: list[float]) -> float | None:
    """Gradient norm of the first hidden layer over the last hidden layer's: the layers a skip
    connection can wrap (the input and output layers change the width and stay plain)."""
    inner = norms[1:-1] if len(norms) > 3 else norms
    return inner[0] / inner[-1] if inner[-1] > 0 else None
