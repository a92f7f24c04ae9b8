"""The untouched test set, live: tune on the test set or on a validation set, then measure both
winners on fresh data that nobody looked at.

Each repeat draws a small training, validation and test set from UCI Adult's training file and
trains one small MLP per configuration (width x weight decay x learning rate) with the
``Trainer``. Two people pick a winner: one by its test accuracy (tuning on the test set), one by
its validation accuracy (the test set untouched). Both then report their test accuracy, and both
winners are measured on the official test file (about 15,000 fresh rows). The difference between
the reported and the fresh accuracy is the *optimism* of the report. Five-fold cross-validation
on the training and validation rows together gives the small-data estimate of the validation
winner. Repeats use new splits, so the averages do not hang on one lucky draw.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np

import neuronlab as nl
from neuronlab import data, nn, optim
from neuronlab.models import MLP
from neuronlab.train import Trainer, evaluate

from ...frames import series, table

WIDTHS = (4, 64)
DECAYS = (0.0, 1e-2)
RATES = (3e-3, 3e-2)
INITS = (0, 1)  # the seed of the initial weights counts as a setting too
CONFIGS = [
    dict(width=w, weight_decay=d, lr=r, init=i)
    for w, d, r, i in itertools.product(WIDTHS, DECAYS, RATES, INITS)
]
FOLDS = 5


@lru_cache(maxsize=1)
def adult_pool() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    bundle = data.load_adult()
    return (
        np.asarray(bundle.X_train, np.float32),
        np.asarray(bundle.y_train, np.int64),
        np.asarray(bundle.X_test, np.float32),
        np.asarray(bundle.y_test, np.int64),
    )


def accuracy_of(config: dict, train, others, epochs: int, seed: int) -> list[float]:
    """Train one configuration; its accuracy on each of ``others``."""
    nl.manual_seed(seed)
    model = MLP(train[0].shape[1], [config["width"]], 2)
    opt = optim.Adam(model.parameters(), lr=config["lr"], weight_decay=config["weight_decay"])
    Trainer(model, nn.CrossEntropyLoss(), opt, train, epochs=epochs, batch_size=32, seed=seed).run()
    return [evaluate(model, None, d, metrics=["accuracy"])["accuracy"] for d in others]


def cross_validate(config: dict, X, y, epochs: int, seed: int) -> list[float]:
    """Accuracy on each of ``FOLDS`` held-out folds, training on the rest each time."""
    order = np.random.default_rng(seed).permutation(len(X))
    scores = []
    for fold in np.array_split(order, FOLDS):
        rest = np.setdiff1d(order, fold)
        scores += accuracy_of(config, (X[rest], y[rest]), [(X[fold], y[fold])], epochs, seed)
    return scores


def _split(n_train: int, n_val: int, n_test: int, seed: int):
    X, y, X_fresh, y_fresh = adult_pool()
    idx = np.random.default_rng(seed).permutation(len(X))[: n_train + n_val + n_test]
    parts = np.split(idx, [n_train, n_train + n_val])
    return [(X[p], y[p]) for p in parts] + [(X_fresh, y_fresh)]


def untouched_test(
    ctx, repeats: int, n_train: int, n_val: int, n_test: int, epochs: int, seed: int
):
    """Per configuration trained: a frame with the table so far and the running optimism."""
    results, rows = [], []
    for r in range(repeats):
        train, val, test, fresh = _split(n_train, n_val, n_test, seed + 1000 * r)
        scores = []
        for i, config in enumerate(CONFIGS):
            scores.append(
                accuracy_of(config, train, [val, test, fresh], epochs, seed + config["init"])
            )
            rows = [[*_describe(c), *s] for c, s in zip(CONFIGS, scores)]
            last = i == len(CONFIGS) - 1
            if not last:
                yield _frame(r, repeats, rows, results) if ctx.frame_wanted else None
        s = np.asarray(scores)  # (configs, 3): val, test, fresh
        by_test, by_val = int(np.argmax(s[:, 1])), int(np.argmax(s[:, 0]))
        X_cv = np.concatenate([train[0], val[0]])
        y_cv = np.concatenate([train[1], val[1]])
        cv = cross_validate(CONFIGS[by_val], X_cv, y_cv, epochs, seed)
        results.append(
            {
                "test_tuned": {
                    "config": by_test,
                    "reported": s[by_test, 1],
                    "fresh": s[by_test, 2],
                },
                "val_tuned": {"config": by_val, "reported": s[by_val, 1], "fresh": s[by_val, 2]},
                "cv": {"mean": float(np.mean(cv)), "std": float(np.std(cv)), "fresh": s[by_val, 2]},
            }
        )
        yield _frame(r + 1, repeats, rows, results, final=r == repeats - 1)


def _describe(config: dict) -> list:
    return [config["width"], config["weight_decay"], config["lr"], config["init"]]


def _mean(results, who, key) -> float:
    return float(np.mean([res[who][key] for res in results])) if results else float("nan")


def _frame(done: int, repeats: int, rows, results, final: bool = False) -> dict:
    optimism = {
        who: _mean(results, who, "reported") - _mean(results, who, "fresh")
        for who in ("test_tuned", "val_tuned")
    }
    out = {
        "repeat": done,
        "repeats": repeats,
        "configs": [_describe(c) for c in CONFIGS],
        "rows": rows,
        "results": results,
        "optimism": optimism,
        "cv_gap": _mean(results, "cv", "mean") - _mean(results, "cv", "fresh"),
    }
    if final and results:
        reps = list(range(1, len(results) + 1))
        out["optimism_by_repeat"] = series(
            reps,
            xlabel="repeat",
            ylabel="reported - fresh accuracy",
            tuned_on_test=[r["test_tuned"]["reported"] - r["test_tuned"]["fresh"] for r in results],
            tuned_on_validation=[
                r["val_tuned"]["reported"] - r["val_tuned"]["fresh"] for r in results
            ],
        )
        out["result"] = table(
            ["winner picked by", "reported accuracy", "fresh accuracy", "optimism"],
            [
                [
                    "the test set",
                    _mean(results, "test_tuned", "reported"),
                    _mean(results, "test_tuned", "fresh"),
                    optimism["test_tuned"],
                ],
                [
                    "the validation set",
                    _mean(results, "val_tuned", "reported"),
                    _mean(results, "val_tuned", "fresh"),
                    optimism["val_tuned"],
                ],
                [
                    f"{FOLDS}-fold cross-validation",
                    _mean(results, "cv", "mean"),
                    _mean(results, "cv", "fresh"),
                    out["cv_gap"],
                ],
            ],
            title=f"Means over {len(results)} repeats",
        )
    return out
