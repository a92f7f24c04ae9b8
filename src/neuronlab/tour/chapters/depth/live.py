"""The depth stop's live run: a plain deep network and the same network with skip connections,
trained side by side, one ``Trainer`` each, one optimizer step of both per ``yield``.

Every frame carries both nets' curves (one point per epoch), their per-layer gradient norms now,
and how far each first layer has moved from where it started.
"""

from __future__ import annotations

import math

import neuronlab as nl

from ....train import Trainer, evaluate
from ... import frames as fr
from . import nets

LABELS = {"plain": "plain", "residual": "with skip connections"}


class Runner:
    """One of the two nets: its model, its trainer, its curves."""

    def __init__(self, residual: bool, d: dict, params: dict):
        self.model = nets.build(
            depth=params["depth"],
            activation=params["activation"],
            residual=residual,
            norm=params["norm"],
            seed=params["seed"],
        )
        self.start = nets.first_weights(self.model)
        optimizer = nl.optim.SGD(self.model.parameters(), lr=params["learning_rate"], momentum=0.9)
        self.trainer = Trainer(
            self.model,
            nl.nn.CrossEntropyLoss(),
            optimizer,
            (d["X"], d["y"]),
            epochs=params["epochs"],
            batch_size=64,
            seed=params["seed"],
        )
        self.curves = {"epoch": [], "loss": [], "test_accuracy": []}
        self.d = d
        self.test_accuracy = self.measure(0, math.nan)

    def measure(self, epoch: int, loss: float) -> float:
        test = evaluate(
            self.model,
            nl.nn.CrossEntropyLoss(),
            (self.d["X_test"], self.d["y_test"]),
            metrics=["accuracy"],
        )
        self.curves["epoch"].append(epoch)
        self.curves["loss"].append(test["loss"] if math.isnan(loss) else loss)
        self.curves["test_accuracy"].append(test["accuracy"])
        self.test_accuracy = test["accuracy"]
        return test["accuracy"]

    def step(self):
        step = self.trainer.step()
        if step is not None and step.epoch_ended:
            self.measure(step.epoch + 1, step.epoch_logs["loss"])
        return step

    def frame(self) -> dict:
        norms = [n for _, n in nets.layer_norms(self.model, self.d)]
        return {
            "norms": norms,
            "hidden_ratio": nets.hidden_ratio(norms),
            "moved": nets.moved(self.model, self.start),
            "test_accuracy": self.test_accuracy,
            "loss": self.curves["loss"][-1],
            "curves": dict(self.curves),
        }


def race(ctx, *, depth, activation, norm, epochs, learning_rate, dataset, n_samples, speed, seed):
    """Train the plain and the residual net in lockstep until ``epochs`` epochs are done
    (in the lab at most ``speed`` steps per second, so that people can watch; 0: no limit)."""
    d = nets.toy_data(dataset, n_samples, seed)
    params = {
        "depth": depth,
        "activation": activation,
        "norm": norm,
        "epochs": epochs,
        "learning_rate": learning_rate,
        "seed": seed,
    }
    runs = {name: Runner(name == "residual", d, params) for name in LABELS}
    ctx.check_model_size(nets.n_params(runs["residual"].model))
    total = epochs * len(runs["plain"].trainer.train_data)
    step_no = 0
    yield _frame(runs, 0, total, depth, activation, norm)
    while step_no < total:
        ctx.pace(speed)
        steps = [run.step() for run in runs.values()]
        if any(s is None for s in steps):
            break
        step_no = steps[0].global_step
        if ctx.frame_wanted or step_no == total:
            yield _frame(runs, step_no, total, depth, activation, norm)
        else:
            yield None
    for run in runs.values():
        run.trainer.stop()


def _frame(runs, step, total, depth, activation, norm) -> dict:
    nets_now = {name: {"label": LABELS[name], **run.frame()} for name, run in runs.items()}
    plain, res = nets_now["plain"], nets_now["residual"]
    return {
        "step": step,
        "total_steps": total,
        "progress": step / max(total, 1),
        "epoch": len(runs["plain"].curves["epoch"]) - 1,
        "depth": depth,
        "activation": activation,
        "norm": norm,
        "loss": plain["loss"],
        "accuracy": plain["test_accuracy"],
        "residual_accuracy": res["test_accuracy"],
        "nets": nets_now,
        "gradients": fr.bars(
            range(1, len(plain["norms"]) + 1),
            log=True,
            title="Gradient norm per layer (input side first)",
            **{net["label"]: net["norms"] for net in nets_now.values()},
        ),
        "done": step == total,
    }
