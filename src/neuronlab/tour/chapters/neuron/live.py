"""The neuron chapter's live run: one sigmoid neuron learns to separate 2-D points.

The neuron is an ``nn.Module``: ``Sequential(Linear(2, 1), Sigmoid())``, a weighted sum and a
bias, then the activation. ``train.Trainer`` trains its weighted sum ``neuron[0]`` with
``BCEWithLogitsLoss``, which applies the same sigmoid inside the loss (the same math as
``BCELoss`` on the neuron's output, but one fused, overflow-free op), and ``SGD``, one
full-batch step per yield. A frame shows the weights, the loss, the accuracy, the probability
map (the whole neuron's output over the plane) and the decision line ``w1 x1 + w2 x2 + b = 0``.
"""

from __future__ import annotations

import numpy as np

import neuronlab as nl
from neuronlab import data as nd
from neuronlab import nn
from neuronlab.optim import SGD
from neuronlab.train import Trainer, predict

from ... import grid, points

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


def one_neuron(seed: int) -> nn.Sequential:
    """p = sigmoid(w1 x1 + w2 x2 + b): ``Sequential(Linear(2, 1), Sigmoid())``."""
    nl.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())


def train_neuron(ctx, dataset, n_points, noise, lr, steps, seed, speed, show_points=True):
    """Full-batch gradient descent on one neuron; yields a frame whenever one is wanted."""
    X, y = make_data(dataset, n_points, noise, seed)
    inputs = (X / 3.0).astype(np.float32)  # the neuron sees x / 3: weights of a handy size
    neuron = one_neuron(seed)
    opt = SGD(neuron.parameters(), lr=lr)
    targets = y.astype(np.float32)[:, None]
    trainer = Trainer(neuron[0], nn.BCEWithLogitsLoss(), opt, (inputs, targets), epochs=steps,
                      batch_size=len(X), shuffle=False, seed=seed)  # fmt: skip
    mesh = (_mesh() / 3.0).astype(np.float32)
    overlay = points(X, y) if show_points else None

    def frame(step: int, loss: float) -> dict:
        linear = neuron[0]
        w = linear.weight.data[0] / 3.0  # weights act on x / 3; the line in data units
        b = float(linear.bias.data[0])
        prob = predict(neuron, mesh, batch_size=len(mesh))[:, 0]
        out = {
            "step": step,
            "loss": loss,
            "accuracy": float(np.mean((predict(neuron, inputs)[:, 0] > 0.5) == (y == 1))),
            "w1": float(w[0]),
            "w2": float(w[1]),
            "b": b,
            "line": boundary_line(float(w[0]), float(w[1]), b),
            "probability": grid(prob.reshape(GRID, GRID), EXTENT, lo=0.0, hi=1.0),
        }
        if overlay is not None:
            out["points"] = overlay
        return out

    p0 = predict(neuron, inputs)
    yield frame(0, float(nn.BCELoss()(nl.tensor(p0), targets).item()))
    for step in trainer:  # one full-batch step of the library's training loop
        ctx.pace(ctx.params["speed"])  # in the lab: slow enough to watch
        if "lr" in ctx.updates():
            for group in opt.param_groups:
                group["lr"] = ctx.params["lr"]
        if ctx.frame_wanted or step.global_step == steps:
            yield frame(step.global_step, step.loss)
        else:
            yield None
