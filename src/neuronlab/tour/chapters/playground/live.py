"""The playground's live run: a generator that trains one mini-batch per ``yield``.

Each ``yield`` is one ``Trainer`` step and a control point (pause, step, stop, parameter
updates and weight edits are served there by the runner). A frame is built only when
``ctx.frame_wanted`` says someone will see it, so training speed does not depend on drawing
speed. The loss history comes from the library's ``History`` callback, one point per epoch
(epoch 0 is the untrained network), thinned to at most ``MAX_HISTORY`` points, and is sent whole
in every frame, so a dropped frame loses nothing.

Frame keys (the page's contract, see ``docs/lab-architecture.md``): ``step``, ``epoch``,
``train_loss``/``val_loss``/``test_loss`` (and ``*_accuracy``, ``confusion`` for classes),
``boundary`` (and ``probs`` for 3+ classes), ``history`` (a series with ``train``, ``val``,
``test`` and their accuracies), ``weights``, ``biases``, ``neurons`` (now and then), ``data`` in
the first frame, and in the last one ``points`` plus ``stopped`` or ``diverged``.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ... import frames as fr
from .config import build_config
from .network import Playground
from .params import DOMAIN

BOUNDARY_SIZE = 50  # cells per side of the decision-boundary grid
NEURON_SIZE = 24  # cells per side of each neuron's thumbnail
NEURON_INTERVAL = 1 / 15  # seconds between per-neuron map updates
MAX_HISTORY = 400
EXTENT = (-DOMAIN, DOMAIN, -DOMAIN, DOMAIN)
_SERIES = (("train", "train_loss"), ("val", "val_loss"), ("test", "test_loss"),
           ("train_accuracy", "train_accuracy"), ("val_accuracy", "val_accuracy"),
           ("test_accuracy", "test_accuracy"))  # fmt: skip


def history_series(pg: Playground) -> dict:
    """Per-epoch losses and accuracies (epoch 0 first), at most ``MAX_HISTORY`` points: every
    ``stride``-th epoch, the stride doubling as the run grows, and always the latest one."""
    logs = pg.history.history
    n = pg.epoch + 1
    stride = 1
    while math.ceil(n / stride) > MAX_HISTORY:
        stride *= 2
    keep = list(range(0, n, stride))
    if keep[-1] != n - 1:
        keep.append(n - 1)

    def column(key: str) -> list[float]:
        values = [pg.initial.get(key, math.nan), *logs.get(key, [])]
        values += [math.nan] * (n - len(values))
        return [values[i] for i in keep]

    ys = {name: column(key) for name, key in _SERIES}
    return fr.series(keep, xlabel="epoch", ylabel="loss", **ys)


def boundary_grids(pg: Playground) -> dict:
    """The output over the plane: ``boundary`` in [-1, 1] (binary: 2p - 1, regression: the
    value); with 3+ classes also ``probs``, one grid of probabilities per class."""
    out = pg.boundary(BOUNDARY_SIZE).reshape(BOUNDARY_SIZE, BOUNDARY_SIZE, -1)  # (G, G, C)
    if pg.cfg.problem == "regression":
        return {"boundary": fr.grid(out[:, :, 0], EXTENT, -1, 1)}
    if out.shape[2] == 1:
        return {"boundary": fr.grid(2 * out[:, :, 0] - 1, EXTENT, -1, 1)}
    confidence = out.max(axis=2) * 2 - 1  # how sure the winning class is
    return {
        "boundary": fr.grid(confidence, EXTENT, -1, 1),
        "probs": [fr.grid(out[:, :, k], EXTENT, 0, 1) for k in range(out.shape[2])],
    }


def neuron_grids(pg: Playground) -> list[list[dict]]:
    """Thumbnails: the input features (layer 0), then each hidden layer's neurons."""
    g = NEURON_SIZE
    layers = [pg.feature_maps(g) / DOMAIN, *pg.neuron_maps(g)]
    return [[fr.grid(row.reshape(g, g), EXTENT, -1, 1) for row in layer] for layer in layers]


def data_frame(pg: Playground) -> dict:
    """The points (training, validation, then test) and what the page needs to draw them:
    ``points.test`` flags the test points, ``val`` the validation points."""
    d = pg.data
    X = np.concatenate([d["X_train"], d["X_val"], d["X_test"]])
    y = np.concatenate([d["y_train"], d["y_val"], d["y_test"]])
    n_train, n_val, n_test = len(d["X_train"]), len(d["X_val"]), len(d["X_test"])
    return {
        "points": fr.points(X, y, [False] * (n_train + n_val) + [True] * n_test),
        "val": [False] * n_train + [True] * n_val + [False] * n_test,
        "n_train": n_train,
        "n_val": n_val,
        "n_test": n_test,
        "classes": pg.cfg.classes,
        "problem": pg.cfg.problem,
        "features": pg.cfg.features,
        "layers": pg.cfg.layers,
    }


def make_frame(pg: Playground, metrics: dict, *, neurons: bool) -> dict:
    frame = {
        "step": pg.steps,
        "epoch": pg.epoch,
        **metrics,
        **boundary_grids(pg),
        "history": history_series(pg),
        "weights": pg.weight_matrices(),
        "biases": pg.bias_vectors(),
    }
    if neurons:
        frame["neurons"] = neuron_grids(pg)
    return fr.to_jsonable(frame)


def stop_frame(pg: Playground) -> dict:
    """Where early stopping ended the run: epochs are counted from 1 (0 is the untrained net)."""
    es = pg.early_stopping
    return {"epoch": pg.epoch, "best_epoch": es.best_epoch + 1, "best_val_loss": es.best}


def train(ctx, **params):
    """Train the configured network for as long as the runner lets it; yields a step at a time."""
    pg = Playground(build_config(**params))
    ctx.check_model_size(sum(p.data.size for p in pg.model.parameters()))
    yield {**make_frame(pg, pg.initial, neurons=True), "data": fr.to_jsonable(data_frame(pg))}
    last_neurons = time.perf_counter()
    while True:
        edits = ctx.edits()
        if edits:  # a weight or bias set by hand: show the changed network at once
            for edit in edits:
                pg.apply_edit(edit)
            yield make_frame(pg, pg.measure(), neurons=True)
            continue
        updates = ctx.updates()
        if updates:
            pg.apply_updates(updates)
        loss = pg.train_steps(1)
        stopped = pg.stopped_early
        if stopped:
            pg.finish()  # on_train_end: the best weights come back
        diverged = not math.isfinite(loss) and not stopped
        limit = bool(pg.cfg.stop_after and pg.steps >= pg.cfg.stop_after)
        last = stopped or diverged or limit
        if not (ctx.frame_wanted or last):
            yield None
            continue
        now = time.perf_counter()
        fresh = last or now - last_neurons >= NEURON_INTERVAL
        if fresh:
            last_neurons = now
        frame = make_frame(pg, pg.measure(), neurons=fresh)
        if stopped:
            frame["stopped"] = stop_frame(pg)
        if diverged:
            frame["diverged"] = True
        if last:  # the last frame: the points too, for figures
            frame["points"] = data_frame(pg)["points"]
        yield frame
        if last:
            return
