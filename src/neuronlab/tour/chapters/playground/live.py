"""The playground's live run: a generator that trains one mini-batch per ``yield``.

Each ``yield`` is one optimizer step and a control point (pause, step, stop and parameter updates
are served there by the runner). A frame is built only when ``ctx.frame_wanted`` says someone will
see it, so training speed does not depend on drawing speed. The loss history is kept here, one
point per epoch, thinned to at most ``MAX_HISTORY`` points, and sent whole in every frame, so a
dropped frame loses nothing.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ... import frames as fr
from .config import DOMAIN, PlaygroundConfig, build_config
from .net import PlaygroundNet

BOUNDARY_SIZE = 50  # cells per side of the decision-boundary grid
NEURON_SIZE = 24  # cells per side of each neuron's thumbnail
NEURON_INTERVAL = 1 / 15  # seconds between per-neuron map updates
MAX_HISTORY = 400
EXTENT = (-DOMAIN, DOMAIN, -DOMAIN, DOMAIN)


class History:
    """Per-epoch train and test loss (and accuracy), thinned by halving when it gets long."""

    def __init__(self):
        self.rows: list[tuple[float, ...]] = []
        self.stride = 1
        self._seen = 0

    def add(self, epoch: int, metrics: dict) -> None:
        self._seen += 1
        if (self._seen - 1) % self.stride:
            return
        self.rows.append(
            (
                epoch,
                metrics["train_loss"],
                metrics["test_loss"],
                metrics.get("train_accuracy", math.nan),
                metrics.get("test_accuracy", math.nan),
            )
        )
        if len(self.rows) > MAX_HISTORY:
            self.rows = self.rows[::2]
            self.stride *= 2

    def series(self) -> dict:
        cols = list(zip(*self.rows)) if self.rows else [[]] * 5
        return fr.series(
            cols[0],
            xlabel="epoch",
            ylabel="loss",
            train=cols[1],
            test=cols[2],
            train_accuracy=cols[3],
            test_accuracy=cols[4],
        )


class EarlyStop:
    """Patience on the test loss: stop after ``patience`` epochs without a new best."""

    def __init__(self):
        self.best = math.inf
        self.best_epoch = 0
        self.best_weights: list | None = None

    def should_stop(self, net: PlaygroundNet, test_loss: float) -> bool:
        if test_loss < self.best - 1e-6:
            self.best, self.best_epoch, self.best_weights = test_loss, net.epoch, net.snapshot()
            return False
        return net.epoch - self.best_epoch >= net.cfg.patience


def boundary_grids(net: PlaygroundNet) -> dict:
    """The output over the plane: ``boundary`` in [-1, 1] (binary: 2p - 1, regression: the
    value); with 3+ classes also ``probs``, one grid of probabilities per class."""
    out = net.boundary(BOUNDARY_SIZE).reshape(BOUNDARY_SIZE, BOUNDARY_SIZE, -1)  # (G, G, C)
    if net.cfg.problem == "regression":
        return {"boundary": fr.grid(out[:, :, 0], EXTENT, -1, 1)}
    if out.shape[2] == 1:
        return {"boundary": fr.grid(2 * out[:, :, 0] - 1, EXTENT, -1, 1)}
    confidence = out.max(axis=2) * 2 - 1  # how sure the winning class is
    return {
        "boundary": fr.grid(confidence, EXTENT, -1, 1),
        "probs": [fr.grid(out[:, :, k], EXTENT, 0, 1) for k in range(out.shape[2])],
    }


def neuron_grids(net: PlaygroundNet) -> list[list[dict]]:
    """Thumbnails: the input features (layer 0), then each hidden layer's neurons."""
    g = NEURON_SIZE
    layers = [net.feature_maps(g) / DOMAIN, *net.neuron_maps(g)]
    return [[fr.grid(row.reshape(g, g), EXTENT, -1, 1) for row in layer] for layer in layers]


def data_frame(net: PlaygroundNet) -> dict:
    """The points (train, then test, flagged) and what the page needs to draw them."""
    d = net.data
    X = np.concatenate([d["X_train"], d["X_test"]])
    y = np.concatenate([d["y_train"], d["y_test"]])
    test = [False] * len(d["X_train"]) + [True] * len(d["X_test"])
    return {
        "points": fr.points(X, y, test),
        "n_train": len(d["X_train"]),
        "n_test": len(d["X_test"]),
        "classes": net.cfg.classes,
        "problem": net.cfg.problem,
        "features": net.cfg.features,
        "layers": net.cfg.layers,
    }


def make_frame(net: PlaygroundNet, metrics: dict, history: History, *, neurons: bool) -> dict:
    frame = {
        "step": net.steps,
        "epoch": net.epoch,
        **metrics,
        **boundary_grids(net),
        "history": history.series(),
        "weights": net.weight_matrices(),
        "biases": [np.round(b.data, 4).tolist() for b in net.biases],
    }
    if neurons:
        frame["neurons"] = neuron_grids(net)
    return fr.to_jsonable(frame)


def apply_updates(net: PlaygroundNet, updates: dict) -> None:
    """Live parameters change the running net in place, as the Playground's controls do."""
    cfg: PlaygroundConfig = net.cfg
    for name, value in updates.items():
        setattr(cfg, name, value)
        if name == "learning_rate":
            for group in net.optimizer.param_groups:
                group["lr"] = value
    if cfg.regularization == "none":
        cfg.reg_rate = 0.0 if "reg_rate" not in updates else cfg.reg_rate


def train(ctx, **params):
    """Train the configured net for as long as the runner lets it; yields one step at a time."""
    net = PlaygroundNet(build_config(**params))
    ctx.check_model_size(sum(p.data.size for p in (*net.weights, *net.biases)))
    history, stopper = History(), EarlyStop()
    metrics = net.evaluate()
    history.add(0, metrics)
    yield {
        **make_frame(net, metrics, history, neurons=True),
        "data": fr.to_jsonable(data_frame(net)),
    }
    last_neurons = time.perf_counter()
    while True:
        updates = ctx.updates()
        if updates:
            apply_updates(net, updates)
        epoch = net.epoch
        loss = net.train_steps(1)
        stopped = diverged = False
        if net.epoch != epoch:  # an epoch ended: measure, and maybe stop early
            metrics = net.evaluate()
            history.add(net.epoch, metrics)
            if net.cfg.early_stop and stopper.should_stop(net, metrics["test_loss"]):
                net.restore(stopper.best_weights)
                stopped = True
        diverged = not math.isfinite(loss)
        limit = net.cfg.stop_after and net.steps >= net.cfg.stop_after
        if ctx.frame_wanted or stopped or diverged or limit:
            metrics = net.evaluate()
            now = time.perf_counter()
            fresh = stopped or diverged or now - last_neurons >= NEURON_INTERVAL
            if fresh:
                last_neurons = now
            frame = make_frame(net, metrics, history, neurons=fresh)
            if stopped:
                frame["stopped"] = {
                    "epoch": net.epoch,
                    "best_epoch": stopper.best_epoch,
                    "best_test_loss": stopper.best,
                }
            if diverged:
                frame["diverged"] = True
            if stopped or diverged or limit:  # the last frame: the points too, for figures
                frame["points"] = data_frame(net)["points"]
            yield frame
            if stopped or diverged or limit:
                return
        else:
            yield None
