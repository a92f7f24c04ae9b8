"""The depth stop's quick experiments: gradient norms at initialization for any depth and
setting, and the same task at several depths with a fixed budget of steps."""

from __future__ import annotations

import time
from functools import lru_cache

import numpy as np

import neuronlab as nl

from ....train import Trainer, evaluate
from ... import frames as fr
from . import nets


@lru_cache(maxsize=256)  # the page redraws on every slider move; each setting is computed once
def gradients(
    depth: int, activation: str, norm: str, residual: bool, dataset: str, seed: int
) -> dict:
    """||dL/dW|| of every layer at initialization (one batch), input side first."""
    d = nets.toy_data(dataset, 400, seed)
    model = nets.build(depth=depth, activation=activation, residual=residual, norm=norm, seed=seed)
    norms = [n for _, n in nets.layer_norms(model, d)]
    return {
        "depth": depth,
        "residual": residual,
        "norms": norms,
        "first": norms[0],
        "last": norms[-1],
        "hidden_ratio": nets.hidden_ratio(norms),
        "parameters": nets.n_params(model),
        "bars": fr.bars(
            range(1, len(norms) + 1),
            log=True,
            title="Gradient norm per layer (input side first)",
            **{"gradient norm": norms},
        ),
    }


def budget(depths: list[int], steps: int, long_steps: int, n_samples: int, seed: int) -> dict:
    """The spiral at each depth (ReLU, width 32, Adam): test accuracy after ``steps`` and after
    ``long_steps`` optimizer steps, and the median time per step, measured."""
    d = nets.toy_data("spiral", n_samples, seed)
    rows, short, long_, per_step = [], [], [], []
    for depth in depths:
        model = nets.build(depth=depth, activation="relu", residual=False, seed=seed)
        trainer = Trainer(
            model,
            nl.nn.CrossEntropyLoss(),
            nl.optim.Adam(model.parameters(), lr=0.01),
            (d["X"], d["y"]),
            epochs=None,
            batch_size=32,
            seed=seed,
        )
        accs, times = [], []
        for target in (steps, long_steps):
            while trainer.global_step < target:
                start = time.perf_counter()
                trainer.step()
                times.append(time.perf_counter() - start)
            accs.append(
                evaluate(
                    model,
                    nl.nn.CrossEntropyLoss(),
                    (d["X_test"], d["y_test"]),
                    metrics=["accuracy"],
                )["accuracy"]
            )
        trainer.stop()
        ms = 1000 * float(np.median(times))  # the median: robust to a busy machine
        short.append(accs[0]), long_.append(accs[1]), per_step.append(ms)
        rows.append(
            [depth, nets.n_params(model), round(accs[0], 4), round(accs[1], 4), round(ms, 2)]
        )
    return {
        "depths": depths,
        "steps": steps,
        "long_steps": long_steps,
        "short": short,
        "long": long_,
        "ms_per_step": per_step,
        "table": fr.table(
            [
                "layers",
                "parameters",
                f"accuracy, {steps} steps",
                f"accuracy, {long_steps} steps",
                "ms per step",
            ],
            rows,
            title="The spiral at several depths, fixed budgets",
        ),
        "accuracy": fr.series(
            depths,
            xlabel="layers",
            ylabel="test accuracy",
            **{f"{steps} steps": short, f"{long_steps} steps": long_},
        ),
    }
