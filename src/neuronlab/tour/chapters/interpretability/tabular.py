"""Integrated gradients for a table: which columns move a tabular model's score, on average.

A small MLP (``models.MLP``, trained with the ``Trainer``) learns the task once per data set
(cached); IG then explains its score for the positive class on test rows, from the *average
row* of the training set as the baseline. One-hot columns of the same original feature (say
``workclass``) are added up into that feature. Each feature gets its mean |IG| (how much it
moves scores) and its mean IG (in which direction, on average).
"""

from __future__ import annotations

import copy
import threading
from functools import lru_cache

import numpy as np

import neuronlab as nl
from neuronlab import data, interpret, models, nn, optim
from neuronlab.train import Trainer, predict

from ...frames import table

DATASETS = ("adult", "breast_cancer")
_lock = threading.Lock()


def _bundle(name: str):
    if name == "adult":
        return data.load_adult()
    return data.load_breast_cancer()


@lru_cache(maxsize=2)
def _trained(name: str):
    """``(model, X_train, X_test, y_test, feature groups, names)`` for one data set."""
    bundle = _bundle(name)
    if bundle.has_split:
        X_tr, y_tr, X_te, y_te = bundle.X_train, bundle.y_train, bundle.X_test, bundle.y_test
    else:
        X_tr, X_te, y_tr, y_te = data.train_test_split(bundle.X, bundle.y, test_size=0.3, seed=0,
                                                       stratify=bundle.y)  # fmt: skip
        scaler = data.StandardScaler().fit(X_tr)
        X_tr, X_te = scaler.transform(X_tr), scaler.transform(X_te)
    X_tr, X_te = np.asarray(X_tr, np.float32), np.asarray(X_te, np.float32)
    y_tr, y_te = np.asarray(y_tr, np.int64), np.asarray(y_te, np.int64)
    rows = np.random.default_rng(0).permutation(len(X_tr))[:6000]  # enough for this small net
    nl.manual_seed(0)
    model = models.MLP(X_tr.shape[1], [32], 2)
    Trainer(model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.003),
            (X_tr[rows], y_tr[rows]), epochs=8, batch_size=64, seed=0).run()  # fmt: skip
    model.eval()
    return model, X_tr, X_te, y_te, _groups(bundle), list(bundle.feature_names)


def _groups(bundle) -> list[str]:
    """The original feature of every encoded column (one-hot columns share their feature; a
    numeric column is its own, even when its name starts like a categorical one, as
    ``education_num`` and ``education``)."""
    numeric = set(bundle.numeric_features or ())
    categorical = sorted(bundle.categorical_features or (), key=len, reverse=True)
    out = []
    for name in bundle.feature_names:
        owner = (
            name
            if name in numeric
            else next(
                (
                    c
                    for c in categorical
                    if name == c or (name.startswith(c) and name[len(c)] in "=_")
                ),
                name,
            )
        )
        out.append(owner)
    return out


def tabular(dataset, rows, steps):
    """Mean |IG| and mean IG per feature over ``rows`` test rows, from the average row."""
    with _lock:  # one training per data set, even if two pages ask at once
        model, X_tr, X_te, y_te, groups, _ = _trained(dataset)
    model = copy.deepcopy(model)  # a copy per call: calls may run in parallel threads
    X = X_te[:rows]
    baseline = X_tr.mean(axis=0, keepdims=True)
    attr, gap = interpret.integrated_gradients(model, X, 1, baseline=baseline, steps=steps,
                                               return_delta=True)  # fmt: skip
    features = list(dict.fromkeys(groups))
    index = np.array([features.index(g) for g in groups])
    per_feature = np.zeros((len(X), len(features)))
    np.add.at(per_feature.T, index, attr.T.astype(np.float64))
    magnitude, direction = np.abs(per_feature).mean(axis=0), per_feature.mean(axis=0)
    order = np.argsort(-magnitude, kind="stable")
    accuracy = float((predict(model, X_te).argmax(axis=1) == y_te).mean())
    top = [{"feature": features[i], "mean_abs": float(magnitude[i]), "mean": float(direction[i])}
           for i in order]  # fmt: skip
    return {
        "dataset": dataset,
        "rows": int(len(X)),
        "test_accuracy": accuracy,
        "max_gap": float(np.abs(gap).max()),
        "features": top,
        "result": table(
            ["feature", "mean |IG|", "mean IG"],
            [[t["feature"], round(t["mean_abs"], 4), round(t["mean"], 4)] for t in top[:12]],
        ),  # fmt: skip
    }
