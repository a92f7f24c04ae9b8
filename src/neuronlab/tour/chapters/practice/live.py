"""The four races, live: each yields one epoch of every lane per step.

Every frame carries the whole history of every run (a few hundred numbers), so a dropped frame
loses nothing: the next one draws the complete curves.

* ``normalization``   raw vs standardized inputs, same network, same learning rate
* ``schedules``       constant lr vs ReduceLROnPlateau vs cosine annealing
* ``overfitting``     a big net on 40 examples: none vs dropout vs dropout + L2
* ``early_stopping``  the overfitting run to the end vs ``EarlyStopping(restore_best_weights)``
"""

from __future__ import annotations

import math
import time
from functools import lru_cache

import numpy as np

from neuronlab import data, optim
from neuronlab.optim import lr_scheduler
from neuronlab.train import EarlyStopping

from ...frames import series, table
from .race import Lane, mlp, n_params


@lru_cache(maxsize=4)
def tabular(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A bundled scikit-learn set as float32 features and int64 labels (loaded once)."""
    bundle = data.load_breast_cancer() if name == "breast_cancer" else data.load_wine()
    return np.asarray(bundle.X, np.float32), np.asarray(bundle.y, np.int64)


def standardize(X_train, *others):
    """Scale every feature to mean 0, std 1 using the training set's statistics only."""
    scaler = data.StandardScaler()
    scaler.fit(X_train)
    return [np.asarray(scaler.transform(X), np.float32) for X in (X_train, *others)]


def lockstep(ctx, runs: list[Lane], epochs: int, speed: int, extra=None):
    """Advance every run one epoch per yield; a frame with every run's history when wanted."""

    def frame(epoch, final=False):
        out = {"epoch": epoch, "epochs": epochs, "runs": {r.name: r.summary() for r in runs}}
        if extra is not None:
            out.update(extra(runs))
        if final:  # what the terminal tour shows: the curves and a table
            n = max(r.epochs_done + 1 for r in runs)
            curves = {r.name: _padded(r.column("val_loss"), n) for r in runs}
            out["validation_loss"] = series(range(n), xlabel="epoch", ylabel="validation loss",
                                            **curves)  # fmt: skip
            out["result"] = table(["run", "epochs", "train loss", "val loss", "gap"],
                                  [[r.label, r.epochs_done, r.column("train_loss")[-1],
                                    r.column("val_loss")[-1], r.gap()] for r in runs])  # fmt: skip
        return out

    yield frame(0)
    for epoch in range(1, epochs + 1):
        for run in runs:
            run.epoch()
        speed = ctx.params.get("speed", speed)
        if speed:
            time.sleep(1.0 / speed)
        if all(r.stopped or r.diverged for r in runs) and epoch < epochs:
            yield frame(epoch, final=True)
            return
        if epoch == epochs:
            yield frame(epoch, final=True)
        else:
            yield frame(epoch) if ctx.frame_wanted else None


def _padded(values, n):
    """A run that stopped early, padded with NaN (sent as null) to ``n`` epochs."""
    return [math.nan if v is None else v for v in values] + [math.nan] * (n - len(values))


# ----- 1. normalized vs raw inputs ------------------------------------------------------------
def normalization(ctx, dataset, lr, epochs, speed, seed):
    """The same 16-unit network and SGD learning rate on raw and on standardized features."""
    X, y = tabular(dataset)
    X_tr, X_va, y_tr, y_va = data.train_test_split(X, y, test_size=0.25, seed=seed, stratify=y)
    N_tr, N_va = standardize(X_tr, X_va)
    classes = int(y.max()) + 1
    runs = []
    for name, label, (a, b) in [("raw", "raw inputs", (X_tr, X_va)),
                                ("normalized", "normalized inputs", (N_tr, N_va))]:  # fmt: skip
        model = mlp(X.shape[1], [16], classes, seed=seed)  # the same initial weights for both
        runs.append(Lane(name, label, model, optim.SGD(model.parameters(), lr=lr), (a, y_tr),
                         (b, y_va), epochs=epochs, batch_size=32, seed=seed))  # fmt: skip
    feature_range = {"raw": [float(X_tr.min()), float(X_tr.max())],
                     "normalized": [float(N_tr.min()), float(N_tr.max())]}  # fmt: skip
    yield from lockstep(ctx, runs, epochs, speed, lambda rs: {"feature_range": feature_range})


# ----- 2. learning-rate schedules -------------------------------------------------------------
def schedules(ctx, lr, epochs, patience, factor, speed, seed):
    """The same network on noisy two moons with a constant, a plateau and a cosine schedule."""
    X, y = data.moons(n_samples=300, noise=0.2, seed=seed)
    X, y = np.asarray(X, np.float32), np.asarray(y, np.int64)
    X_tr, X_va, y_tr, y_va = data.train_test_split(X, y, test_size=0.3, seed=seed, stratify=y)
    runs = []
    for name, label in [("constant", "constant lr"), ("plateau", "reduce on plateau"),
                        ("cosine", "cosine annealing")]:  # fmt: skip
        model = mlp(2, [32, 32], 2, seed=seed)
        opt = optim.SGD(model.parameters(), lr=lr)
        if name == "plateau":
            sched = lr_scheduler.ReduceLROnPlateau(opt, factor=factor, patience=patience)
        elif name == "cosine":
            sched = lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
        else:
            sched = None
        runs.append(Lane(name, label, model, opt, (X_tr, y_tr), (X_va, y_va), epochs=epochs,
                         batch_size=16, seed=seed, scheduler=sched))  # fmt: skip
    yield from lockstep(ctx, runs, epochs, speed)


# ----- 3. overfitting, and what dropout and L2 do about it ------------------------------------
def small_split(dataset: str, n_train: int, seed: int):
    """``n_train`` standardized training examples; every other example is for validation."""
    X, y = tabular(dataset)
    order = np.random.default_rng(seed).permutation(len(X))
    train, val = order[:n_train], order[n_train:]
    X_tr, X_va = standardize(X[train], X[val])
    return (X_tr, y[train]), (X_va, y[val]), int(y.max()) + 1


def overfitting(ctx, dataset, n_train, width, dropout, l2, epochs, speed, seed):
    """Two hidden layers of ``width`` on ``n_train`` examples: none, dropout, dropout + L2."""
    train, val, classes = small_split(dataset, n_train, seed)
    runs = []
    variants = [
        ("none", "no regularization", 0.0, 0.0),
        ("dropout", f"dropout {dropout:g}", dropout, 0.0),
        ("dropout_l2", f"dropout {dropout:g} + L2 {l2:g}", dropout, l2),
    ]
    for name, label, p, wd in variants:
        model = mlp(train[0].shape[1], [width, width], classes, seed=seed, dropout=p)
        ctx.check_model_size(n_params(model))
        opt = optim.Adam(model.parameters(), lr=0.003, weight_decay=wd)
        runs.append(Lane(name, label, model, opt, train, val, epochs=epochs, batch_size=10,
                         seed=seed))  # fmt: skip
    yield from lockstep(ctx, runs, epochs, speed)


# ----- 4. early stopping ----------------------------------------------------------------------
def early_stopping(ctx, dataset, n_train, patience, epochs, speed, seed):
    """The overfitting net trained to the end, beside the same net with early stopping."""
    train, val, classes = small_split(dataset, n_train, seed)
    runs = []
    for name, label, es in [
        ("full", "trained to the end", None),
        ("early", f"early stopping (patience {patience})",
         EarlyStopping("val_loss", patience=patience, restore_best_weights=True)),
    ]:  # fmt: skip
        model = mlp(train[0].shape[1], [128, 128], classes, seed=seed)
        opt = optim.Adam(model.parameters(), lr=0.003)
        runs.append(Lane(name, label, model, opt, train, val, epochs=epochs, batch_size=10,
                         seed=seed, early_stopping=es))  # fmt: skip
    early = runs[1]
    restored: dict = {}

    def extra(rs):
        if early.stopped and not restored:
            restored["val_loss"] = early.val_loss_now()  # the weights on_train_end put back
        h = early.column("val_loss")
        out = {"restored_val": restored.get("val_loss"),
               "at_stop_val": h[-1] if early.stopped else None}  # fmt: skip
        if early.stopped:  # what the terminal tour shows: the restored loss beside the others
            out["restored"] = restored_table(early, runs[0], restored["val_loss"])
        return out

    yield from lockstep(ctx, runs, epochs, speed, extra)
    if not early.stopped:  # patience never ran out: the last epoch ends training
        early.finish()
        yield {"epoch": epochs, "epochs": epochs, "runs": {r.name: r.summary() for r in runs},
               **extra(runs)}  # fmt: skip


def restored_table(early: Lane, full: Lane, restored: float) -> dict:
    """Validation losses: at the best epoch, where training stopped, of the restored weights,
    and of the network trained to the end."""
    es, val = early.early_stopping, early.column("val_loss")
    best = None if es.best_epoch is None else es.best_epoch + 1
    stop = len(val) - 1
    rows = [[f"early stopping, best epoch ({best})", val[best] if best is not None else None],
            [f"early stopping, where training stopped (epoch {stop})", val[-1]],
            ["early stopping, the restored weights", restored],
            [f"trained to the end (epoch {full.epochs_done})",
             full.column("val_loss")[-1]]]  # fmt: skip
    return table(["model", "validation loss"], rows, title="Which weights early stopping keeps")
