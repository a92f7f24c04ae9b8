"""The playground's quick experiments: the data set alone, a CSV check, and side-by-side
comparisons that back the chapter's claims (each trains a few small nets headless)."""

from __future__ import annotations

import numpy as np

from ... import frames as fr
from ...schema import ParamError
from .config import build_config
from .data import CSVError, parse_csv
from .live import BOUNDARY_SIZE, EXTENT, boundary_grids, data_frame, neuron_grids
from .net import PlaygroundNet


def dataset(**params) -> dict:
    """The points of a data set (train and test) and its input features over the plane."""
    net = PlaygroundNet(build_config(**params))
    return {**data_frame(net), "feature_maps": neuron_grids(net)[0]}


def check_csv(csv: str, problem: str) -> dict:
    """Validate an uploaded CSV; its points, scaled to the plane, or a message per bad line."""
    try:
        return parse_csv(csv, problem)
    except CSVError as error:
        raise ParamError(f"the CSV cannot be used: {error}", "csv") from None


def fit(steps: int, **params) -> dict:
    """Train one configured net for ``steps`` mini-batches; its final numbers and pictures."""
    net = PlaygroundNet(build_config(**params))
    first = net.evaluate()
    net.train_steps(steps)
    out = net.evaluate()
    grid = net.boundary(BOUNDARY_SIZE).reshape(BOUNDARY_SIZE, BOUNDARY_SIZE, -1)[:, :, 0]
    finite = bool(np.isfinite(grid).all()) and bool(np.isfinite(out["train_loss"]))
    # roughness: the mean change of the output between neighbouring cells of the plane
    rough = float(np.abs(np.diff(grid, axis=0)).mean() + np.abs(np.diff(grid, axis=1)).mean())
    weights = float(sum(np.square(W.data).sum() for W in net.weights))
    return {
        **out,
        "initial_train_loss": first["train_loss"],
        "steps": net.steps,
        "epochs": net.epoch,
        "finite": finite,
        "roughness": rough if finite else None,
        "weight_norm": float(np.sqrt(weights)) if finite else None,
        **(boundary_grids(net) if finite else {}),
    }


# Each scenario: a shared base config and the variants it compares, in the order shown.
SCENARIOS = {
    "xor": (
        {"dataset": "xor", "learning_rate": 0.03, "optimizer": "adam"},
        {
            "no hidden layer, x1 and x2": {"layers": [], "features": ["x1", "x2"]},
            "no hidden layer, plus x1x2": {"layers": [], "features": ["x1", "x2", "x1x2"]},
            "one hidden layer of 4": {"layers": [4], "features": ["x1", "x2"]},
        },
    ),
    "spiral": (
        {"dataset": "spiral", "learning_rate": 0.01, "optimizer": "adam", "batch_size": 20},
        {
            "no hidden layer": {"layers": [], "features": ["x1", "x2"]},
            "8-8-8 hidden, x1 x2 and sines": {
                "layers": [8, 8, 8],
                "features": ["x1", "x2", "sinx1", "sinx2"],
            },
        },
    ),
    "l2": (
        {
            "dataset": "xor",
            "noise": 40,
            "n_samples": 200,
            "train_ratio": 50,
            "layers": [8, 8],
            "learning_rate": 0.03,
            "optimizer": "adam",
        },
        {
            "no regularization": {},
            "L2, rate 0.03": {"regularization": "l2", "reg_rate": 0.03},
        },
    ),
    "learning_rate": (
        {"dataset": "circle", "layers": [4, 2], "optimizer": "sgd"},
        {
            "learning rate 0.03": {"learning_rate": 0.03},
            "learning rate 10": {"learning_rate": 10.0},
        },
    ),
    "multiclass": (
        {
            "dataset": "gaussian",
            "classes": 3,
            "layers": [6],
            "optimizer": "adam",
            "learning_rate": 0.03,
        },
        {"3 classes, softmax output": {}},
    ),
    "regression": (
        {"problem": "regression", "dataset": "plane", "optimizer": "adam", "learning_rate": 0.03},
        {
            "no hidden layer": {"layers": []},
        },
    ),
    "optimizers": (
        {"dataset": "circle", "layers": [4, 2], "learning_rate": 0.01},
        {
            "SGD": {"optimizer": "sgd"},
            "momentum": {"optimizer": "momentum"},
            "Adam": {"optimizer": "adam"},
        },
    ),
}


def compare(scenario: str, steps: int, n_samples: int, seed: int) -> dict:
    """Train each variant of a scenario with one seed and one budget; a row per variant."""
    base, variants = SCENARIOS[scenario]
    results = {}
    for label, overrides in variants.items():
        params = {"n_samples": n_samples, "seed": seed, **base, **overrides}
        params.setdefault("activations", ["tanh"])
        results[label] = {"config": params, **fit(steps, **params)}
    columns = ["model", "train loss", "test loss", "test accuracy", "roughness", "weight norm"]
    rows = [
        [
            label,
            r["train_loss"],
            r["test_loss"],
            r.get("test_accuracy"),
            r["roughness"],
            r["weight_norm"],
        ]
        for label, r in results.items()
    ]
    return {
        "scenario": scenario,
        "steps": steps,
        "variants": results,
        "table": fr.table(columns, rows, title=f"{scenario}: {steps} steps each"),
        "extent": list(EXTENT),
    }
