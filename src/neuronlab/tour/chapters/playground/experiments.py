"""The playground's experiments: the live ``train`` run (``live.py``), and the quick ones: the data
set alone, a CSV check, and side-by-side comparisons that back the chapter's claims (each
trains a few small networks headless)."""

from __future__ import annotations

import numpy as np

from ... import frames as fr
from ...chapter import Experiment
from ...schema import ParamError
from .config import build_config, normalize
from .data import CSVError, parse_csv
from .live import BOUNDARY_SIZE, EXTENT, boundary_grids, data_frame, neuron_grids, train
from .network import Playground, check_edit
from .params import COMPARE_PARAMS, CSV_PARAMS, DATA_PARAMS, TRAIN_PARAMS
from .presets import SCENARIOS, choices, presets, scenario_params


def dataset(**params) -> dict:
    """The points of a data set (training, validation, test) and its input features over the
    plane."""
    pg = Playground(build_config(**params))
    return {**data_frame(pg), "feature_maps": neuron_grids(pg)[0]}


def check_csv(csv: str, problem: str) -> dict:
    """Validate an uploaded CSV; its points, scaled to the plane, or a message per bad line."""
    try:
        return parse_csv(csv, problem)
    except CSVError as error:
        raise ParamError(f"the CSV cannot be used: {error}", "csv") from None


def fit(steps: int, **params) -> dict:
    """Train one configured network for ``steps`` mini-batches; its final numbers and pictures."""
    pg = Playground(build_config(**params))
    pg.train_steps(steps)
    out = pg.measure()
    grid = pg.boundary(BOUNDARY_SIZE).reshape(BOUNDARY_SIZE, BOUNDARY_SIZE, -1)[:, :, 0]
    finite = bool(np.isfinite(grid).all()) and bool(np.isfinite(out["train_loss"]))
    # roughness: the mean change of the output between neighbouring cells of the plane
    rough = float(np.abs(np.diff(grid, axis=0)).mean() + np.abs(np.diff(grid, axis=1)).mean())
    return {
        **out,
        "initial_train_loss": pg.initial["train_loss"],
        "steps": pg.steps,
        "epochs": pg.epoch,
        "finite": finite,
        "roughness": rough if finite else None,
        "weight_norm": pg.weight_norm() if finite else None,
        **(boundary_grids(pg) if finite else {}),
    }


def compare(scenario: str, steps: int, n_samples: int, seed: int) -> dict:
    """Train each variant of a scenario with one seed and one budget; a row per variant."""
    results = {}
    for label in SCENARIOS[scenario][1]:
        params = {"n_samples": n_samples, "seed": seed, **scenario_params(scenario, label)}
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


EXPERIMENTS = [
    Experiment(
        "train",
        "Train a network on 2-D points, live",
        params=TRAIN_PARAMS,
        stream=train,
        max_steps=1_000_000,
        max_seconds=600,
        normalize=normalize,
        check_edit=check_edit,
        extra={"presets": presets(), "choices": choices()},
    ),
    Experiment("dataset", "The data set and the input features", params=DATA_PARAMS, run=dataset),
    Experiment("check_csv", "Read your own points from a CSV", params=CSV_PARAMS, run=check_csv),
    Experiment(
        "compare", "Side by side: what a setting changes", params=COMPARE_PARAMS, run=compare
    ),
]
