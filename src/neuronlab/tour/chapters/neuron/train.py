"""The neuron chapter's live run: one sigmoid neuron learns to separate 2-D points.

The neuron is the library's ``Linear(2, 1)``; the loss is binary cross-entropy on its logit;
``SGD`` updates it, one full-batch step per yield. A frame shows the weights, the loss, the
accuracy, the probability map and the decision line ``w1 x1 + w2 x2 + b = 0``.
"""

from __future__ import annotations

import numpy as np

import neuronlab as nl
from neuronlab import data as nd
from neuronlab.nn import functional as F
from neuronlab.optim import SGD

from ... import BoolParam, ChoiceParam, Experiment, FloatParam, IntParam, grid, points

DATASETS = ["and", "or", "xor", "gaussian", "circle"]
EXTENT = (-6.0, 6.0, -6.0, 6.0)
GRID = 40


def corners(kind: str, n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Points around the four corners (±3, ±3), labelled by AND, OR or XOR of x1 > 0, x2 > 0."""
    rng = np.random.default_rng(seed)
    signs = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]])[np.arange(n) % 4]
    X = 3.0 * signs + rng.normal(0.0, 0.4 + 2.0 * noise, (n, 2))
    a, b = signs[:, 0] > 0, signs[:, 1] > 0
    y = {"and": a & b, "or": a | b, "xor": a ^ b}[kind]
    order = rng.permutation(n)
    return X[order].astype(np.float32), y[order].astype(np.int64)


def make_data(dataset: str, n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if dataset in ("and", "or", "xor"):
        return corners(dataset, n, noise, seed)
    return getattr(nd, dataset)(n, noise=noise, seed=seed)


def boundary_line(w1: float, w2: float, b: float) -> list[list[float]] | None:
    """Two points of the line w1 x1 + w2 x2 + b = 0 spanning the plot, or None (no line)."""
    x0, x1, y0, y1 = EXTENT
    if abs(w2) >= abs(w1) and abs(w2) > 1e-12:
        return [[x0, -(w1 * x0 + b) / w2], [x1, -(w1 * x1 + b) / w2]]
    if abs(w1) > 1e-12:
        return [[-(w2 * y0 + b) / w1, y0], [-(w2 * y1 + b) / w1, y1]]
    return None


def _mesh() -> np.ndarray:
    x0, x1, y0, y1 = EXTENT
    xs = np.linspace(x0, x1, GRID)
    ys = np.linspace(y1, y0, GRID)  # row 0 at the top
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def train_neuron(ctx, dataset, n_points, noise, lr, steps, seed, speed, show_points=True):
    """Full-batch gradient descent on one neuron; yields a frame whenever one is wanted."""
    X, y = make_data(dataset, n_points, noise, seed)
    nl.manual_seed(seed)
    neuron = nl.nn.Linear(2, 1)
    opt = SGD(neuron.parameters(), lr=lr)
    xt, target = nl.tensor(X / 3.0), nl.tensor(y.astype(np.float32)[:, None])
    mesh = _mesh() / 3.0
    overlay = points(X, y) if show_points else None

    def frame(step: int, loss: float) -> dict:
        w = neuron.weight.data[0] / 3.0  # weights act on x / 3; the line in data units
        b = float(neuron.bias.data[0])
        with nl.no_grad():
            logits = neuron(nl.tensor(X / 3.0)).data[:, 0]
        z_mesh = mesh @ neuron.weight.data[0] + b
        prob = 1.0 / (1.0 + np.exp(-z_mesh))
        out = {
            "step": step,
            "loss": loss,
            "accuracy": float(np.mean((logits > 0) == (y == 1))),
            "w1": float(w[0]),
            "w2": float(w[1]),
            "b": b,
            "line": boundary_line(float(w[0]), float(w[1]), b),
            "probability": grid(prob.reshape(GRID, GRID), EXTENT, lo=0.0, hi=1.0),
        }
        if overlay is not None:
            out["points"] = overlay
        return out

    with nl.no_grad():
        loss0 = F.binary_cross_entropy_with_logits(neuron(xt), target).item()
    yield frame(0, loss0)
    for step in range(1, steps + 1):
        ctx.pace(ctx.params["speed"])  # in the lab: slow enough to watch
        if "lr" in ctx.updates():
            for group in opt.param_groups:
                group["lr"] = ctx.params["lr"]
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(neuron(xt), target)
        loss.backward()
        opt.step()
        if ctx.frame_wanted or step == steps:
            yield frame(step, float(loss.item()))
        else:
            yield None


TRAIN_NEURON = Experiment(
    name="train_neuron",
    title="One neuron learns a straight boundary",
    params=[
        ChoiceParam("dataset", "and", DATASETS, label="data"),
        IntParam("n_points", 120, 8, 1000, label="points"),
        FloatParam("noise", 0.1, 0.0, 0.5, label="noise"),
        FloatParam("lr", 0.5, 0.001, 5.0, label="learning rate", live=True, log=True),
        IntParam("steps", 3000, 1, 100_000, label="steps"),
        FloatParam("speed", 300.0, 1.0, 100_000.0, label="steps per second", live=True, log=True),
        IntParam("seed", 0, 0, 1_000_000, label="seed"),
        BoolParam("show_points", True, label="send the points"),
    ],
    stream=train_neuron,
    max_steps=100_001,
    max_seconds=300,
)
