"""Gradient descent on a loss surface of two parameters: SGD, momentum and Adam race.

The parameters are one 2-element tensor ``w = (w1, w2)``; each optimizer is the real
``neuronlab.optim`` class, so the paths are exactly what training a model would do.

Surfaces (minimum marked ``MINIMA``)::

    bowl        f = (w1^2 + 20 w2^2) / 2            an elongated bowl: steep across, shallow along
    round       f = (w1^2 + w2^2) / 2 * 5           the same depth in every direction
    rosenbrock  f = (1 - w1)^2 + 10 (w2 - w1^2)^2   a curved, flat-bottomed valley
"""

from __future__ import annotations

import math

import numpy as np

import neuronlab as nl
from neuronlab import optim

from ...frames import grid, table

SURFACES = ["bowl", "round", "rosenbrock"]
OPTIMIZERS = ["sgd", "momentum", "adam"]
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD + momentum 0.9", "adam": "Adam"}
MINIMA = {"bowl": (0.0, 0.0), "round": (0.0, 0.0), "rosenbrock": (1.0, 1.0)}
EXTENTS = {"bowl": (-4.0, 4.0, -4.0, 4.0), "round": (-4.0, 4.0, -4.0, 4.0),
           "rosenbrock": (-2.0, 2.0, -1.0, 3.0)}  # fmt: skip
FORMULAS = {"bowl": "f = (w₁² + 20 w₂²) / 2", "round": "f = 2.5 (w₁² + w₂²)",
            "rosenbrock": "f = (1 − w₁)² + 10 (w₂ − w₁²)²"}  # fmt: skip
REACHED = 0.01  # "at the minimum": closer than this to it


def surface_value(surface: str, w, scale: float = 1.0):
    """f(w) for a Tensor (differentiable) or a NumPy array of shape (2, ...)."""
    w1, w2 = w[0], w[1]
    if surface == "bowl":
        f = (w1 * w1 + 20.0 * (w2 * w2)) * 0.5
    elif surface == "round":
        f = (w1 * w1 + w2 * w2) * 2.5
    else:
        f = (1.0 - w1) ** 2 + 10.0 * (w2 - w1 * w1) ** 2
    return f * scale


def make_optimizer(name: str, params, lr: float):
    """The real optimizers: plain SGD, SGD with momentum 0.9, Adam with PyTorch's defaults."""
    if name == "sgd":
        return optim.SGD(params, lr=lr)
    if name == "momentum":
        return optim.SGD(params, lr=lr, momentum=0.9)
    return optim.Adam(params, lr=lr)


class Walker:
    """One optimizer on one surface: its parameter tensor, its path and when it arrived."""

    def __init__(self, name, surface, start, lr, scale=1.0):
        self.name, self.surface, self.scale = name, surface, scale
        self.w = nl.Tensor(list(start), dtype="float64", requires_grad=True, name="w")
        self.opt = make_optimizer(name, [self.w], lr)
        self.path = [list(start)]
        self.losses = [float(surface_value(surface, np.array(start)))]
        self.reached: int | None = self._check_reached(0)
        self.diverged = False

    def _check_reached(self, step):
        m = MINIMA[self.surface]
        return step if math.dist(self.path[-1], m) < REACHED else None

    def set_lr(self, lr):
        for group in self.opt.param_groups:
            group["lr"] = lr

    def step(self, step: int) -> None:
        """One optimizer step on the surface, written out: this race teaches the update itself
        (zero_grad, backward, step on two numbers), so it shows those lines instead of hiding
        them in ``train.Trainer``, which needs data batches and a model."""
        if self.diverged:
            return
        self.opt.zero_grad()
        surface_value(self.surface, self.w, self.scale).backward()
        self.opt.step()
        point = [float(v) for v in self.w.data]
        if not all(math.isfinite(v) and abs(v) < 1e6 for v in point):
            self.diverged = True
            return
        self.path.append(point)
        self.losses.append(float(surface_value(self.surface, np.array(point))))
        if self.reached is None:
            self.reached = self._check_reached(step)


def race_frame(walkers, step, surface, digits=5, final=False) -> dict:
    out = {
        "step": step,
        "surface": surface,
        "minimum": list(MINIMA[surface]),
        "runs": {
            w.name: {
                "label": OPTIMIZER_NAMES[w.name],
                "path": np.round(np.array(w.path), digits).tolist(),
                "loss": w.losses[-1],
                "reached": w.reached,
                "diverged": w.diverged,
            }
            for w in walkers
        },
    }
    if final:  # what the terminal tour shows
        rows = [[OPTIMIZER_NAMES[w.name], w.losses[-1], "diverged" if w.diverged else w.reached]
                for w in walkers]  # fmt: skip
        out["result"] = table(["optimizer", "loss", "within 0.01 of the minimum at step"], rows,
                              f"{surface} after {step} steps")  # fmt: skip
    return out


def loss_surface(surface, size):
    """log10 of the loss on a grid (row 0 at the top), for the contour map behind the race."""
    x0, x1, y0, y1 = EXTENTS[surface]
    xs = np.linspace(x0, x1, size)
    ys = np.linspace(y1, y0, size)  # top row first
    W1, W2 = np.meshgrid(xs, ys)
    values = np.log10(surface_value(surface, np.stack([W1, W2])) + 1e-3)
    lo, hi = float(values.min()), float(values.max())
    return {
        "surface": surface,
        "grid": grid(values, extent=(x0, x1, y0, y1), lo=lo, hi=hi),
        "minimum": list(MINIMA[surface]),
        "formula": FORMULAS[surface],
    }


def gradient_scale(surface, scale, lr, steps):
    """Each optimizer on f and on scale * f from the same start: how far apart do the paths end?

    Multiplying the loss multiplies every gradient. SGD's step is lr * gradient, so it changes
    with the scale; Adam divides the gradient by its own running size, so the scale cancels.
    """
    start = {"bowl": (-3.5, 2.0), "round": (-3.5, 2.0), "rosenbrock": (-1.5, 2.0)}[surface]
    rows = []
    for name in OPTIMIZERS:
        a = Walker(name, surface, start, lr)
        b = Walker(name, surface, start, lr, scale=scale)
        for step in range(1, steps + 1):
            a.step(step)
            b.step(step)
        n = min(len(a.path), len(b.path))
        gap = float(np.max(np.linalg.norm(np.array(a.path[:n]) - np.array(b.path[:n]), axis=1)))
        rows.append({"optimizer": name, "label": OPTIMIZER_NAMES[name], "max_distance": gap,
                     "end_plain": a.path[-1], "end_scaled": b.path[-1],
                     "diverged_scaled": b.diverged})  # fmt: skip
    title = f"Same start, same lr = {lr:g}: the loss as is, and multiplied by {scale:g}"
    columns = ["optimizer", "largest distance between the two paths", "scaled run diverged"]
    return {
        "table": table(
            columns, [[r["label"], r["max_distance"], r["diverged_scaled"]] for r in rows], title
        ),  # fmt: skip
        "runs": rows,
    }
