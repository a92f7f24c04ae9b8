"""One training run that advances an epoch at a time, so that several can race side by side.

The loop is the library's five lines (forward, loss, zero_grad, backward, step) over shuffled
mini-batches; after each epoch both losses are measured in evaluation mode with
``neuronlab.train.evaluate`` (dropout off, so train and validation are measured alike), then the
learning-rate schedule and early stopping (the library's ``EarlyStopping`` callback, driven
through its hooks) have their say.
"""

from __future__ import annotations

import math

import numpy as np

import neuronlab as nl
from neuronlab import nn
from neuronlab.optim import lr_scheduler
from neuronlab.train import EarlyStopping, TrainingContext, evaluate


def mlp(n_in: int, hidden: list[int], n_out: int, dropout: float = 0.0) -> nn.Sequential:
    """in -> hidden... -> out with ReLU, and Dropout(p) after each hidden layer when p > 0."""
    layers, width = [], n_in
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        width = h
    layers.append(nn.Linear(width, n_out))
    return nn.Sequential(*layers)


def n_params(model) -> int:
    return int(sum(p.data.size for p in model.parameters()))


class Run:
    """A model, its optimizer, its data and its history, trained one epoch per ``epoch()``."""

    def __init__(self, name, label, model, optimizer, train, val, *, batch_size=32, seed=0,
                 scheduler=None, early_stopping: EarlyStopping | None = None):  # fmt: skip
        self.name, self.label = name, label
        self.model, self.optimizer, self.scheduler = model, optimizer, scheduler
        self.X, self.y = train
        self.X_val, self.y_val = val
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)
        self.loss_fn = nn.CrossEntropyLoss()
        self.history: dict[str, list] = {"train": [], "val": [], "val_acc": [], "lr": []}
        self.early_stopping = early_stopping
        self.stopped = False
        self.diverged = False
        if early_stopping is not None:
            early_stopping.set_context(TrainingContext(model=model, optimizer=optimizer))
            early_stopping.set_model(model)
            early_stopping.on_train_begin()
        self._measure()  # epoch 0: the untrained model

    @property
    def epochs_done(self) -> int:
        return len(self.history["train"]) - 1

    def lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])

    def _measure(self) -> None:
        train = evaluate(self.model, self.loss_fn, (self.X, self.y))
        val = evaluate(self.model, self.loss_fn, (self.X_val, self.y_val), metrics=["accuracy"])
        self.history["train"].append(train["loss"])
        self.history["val"].append(val["loss"])
        self.history["val_acc"].append(val["accuracy"])
        self.history["lr"].append(self.lr())
        if not (math.isfinite(train["loss"]) and train["loss"] < 1e6):
            self.diverged = True

    def epoch(self) -> None:
        """One pass over the training set in shuffled mini-batches, then measure and schedule."""
        if self.stopped or self.diverged:
            return
        self.model.train()
        order = self.rng.permutation(len(self.X))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            output = self.model(nl.Tensor(self.X[idx]))  # forward
            loss = self.loss_fn(output, self.y[idx])  # how wrong
            self.optimizer.zero_grad()
            loss.backward()  # d loss / d every weight
            self.optimizer.step()  # a step downhill
        self._measure()
        self._after_epoch()

    def _after_epoch(self) -> None:
        val_loss = self.history["val"][-1]
        if isinstance(self.scheduler, lr_scheduler.ReduceLROnPlateau):
            self.scheduler.step(val_loss)
        elif self.scheduler is not None:
            self.scheduler.step()
        es = self.early_stopping
        if es is not None:
            es.on_epoch_end(self.epochs_done - 1, {"val_loss": val_loss})
            if es.context.stop_training:
                self.finish()

    def finish(self) -> None:
        """End training now: early stopping puts back the best weights (``on_train_end``)."""
        if self.stopped:
            return
        self.stopped = True
        if self.early_stopping is not None:
            self.early_stopping.on_train_end()

    def val_loss_now(self) -> float:
        return evaluate(self.model, self.loss_fn, (self.X_val, self.y_val))["loss"]

    def gap(self) -> float:
        """Final validation loss minus final training loss (both in evaluation mode)."""
        return self.history["val"][-1] - self.history["train"][-1]

    def summary(self, digits: int = 5) -> dict:
        h = self.history
        out = {
            "label": self.label,
            "train": [_round(v, digits) for v in h["train"]],
            "val": [_round(v, digits) for v in h["val"]],
            "val_acc": [_round(v, 4) for v in h["val_acc"]],
            "lr": [_round(v, 6) for v in h["lr"]],
            "epochs": self.epochs_done,
            "gap": _round(self.gap(), digits),
            "stopped": self.stopped,
            "diverged": self.diverged,
        }
        es = self.early_stopping
        if es is not None:
            out["best_epoch"] = None if es.best_epoch is None else es.best_epoch + 1
            out["stopped_epoch"] = None if es.stopped_epoch is None else es.stopped_epoch + 1
            out["best_val"] = None if es.best is None else float(es.best)
        return out


def _round(v: float, digits: int):
    v = float(v)
    return round(v, digits) if math.isfinite(v) else None
