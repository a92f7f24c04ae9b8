"""A race: several training runs advanced one epoch at a time, side by side.

Each lane is a ``models.MLP`` trained by the library's ``train.Trainer`` (its one loop, its
schedulers and its ``EarlyStopping``); ``Lane.epoch()`` is ``trainer.run_epoch()``. After every
epoch the training loss is measured again in evaluation mode (``train.evaluate``, dropout off),
so training and validation losses are measured alike; the Trainer measures the validation set
itself (``val_loss``, ``val_accuracy``).
"""

from __future__ import annotations

import math

from neuronlab import nn
from neuronlab.engine import manual_seed
from neuronlab.models import MLP
from neuronlab.train import EarlyStopping, History, LambdaCallback, Trainer, evaluate

__all__ = ["Lane", "mlp", "n_params"]


def mlp(n_in: int, hidden: list[int], n_out: int, *, seed: int, dropout: float = 0.0) -> MLP:
    """``models.MLP`` with ReLU (and Dropout(p) after each hidden layer when p > 0), its first
    weights drawn after ``manual_seed(seed)``, so every lane of a race starts alike."""
    manual_seed(seed)
    return MLP(n_in, hidden, n_out, activation="relu", dropout=dropout)


def n_params(model: nn.Module) -> int:
    return int(sum(p.data.size for p in model.parameters()))


class Lane:
    """One run of a race: a model, its optimizer, its data, its Trainer and its history."""

    def __init__(self, name, label, model, optimizer, train, val, *, epochs, batch_size=32,
                 seed=0, scheduler=None, early_stopping: EarlyStopping | None = None):  # fmt: skip
        self.name, self.label = name, label
        self.model, self.optimizer, self.train, self.val = model, optimizer, train, val
        self.loss_fn = nn.CrossEntropyLoss()
        self.early_stopping = early_stopping
        self.history = History()
        measure = LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(
            train_loss=evaluate(model, self.loss_fn, train)["loss"]))  # fmt: skip
        callbacks = [measure, *([early_stopping] if early_stopping else []), self.history]
        self.initial = self._measure()  # epoch 0: the untrained model
        self.trainer = Trainer(model, self.loss_fn, optimizer, train, val, epochs=epochs,
                               batch_size=batch_size, metrics=["accuracy"], callbacks=callbacks,
                               scheduler=scheduler, seed=seed)  # fmt: skip
        self.stopped = False
        self.diverged = False

    def _measure(self) -> dict[str, float]:
        val = evaluate(self.model, self.loss_fn, self.val, metrics=["accuracy"])
        return {"train_loss": evaluate(self.model, self.loss_fn, self.train)["loss"],
                "val_loss": val["loss"], "val_accuracy": val["accuracy"],
                "lr": float(self.optimizer.param_groups[0]["lr"])}  # fmt: skip

    @property
    def epochs_done(self) -> int:
        return len(self.history.epoch)

    def column(self, key: str) -> list[float]:
        """One value per epoch, epoch 0 (untrained) first; the lr column is the lr each epoch
        trained with."""
        values = self.history.history.get(key, [])
        if key == "lr" and not values:  # no scheduler: the lr never changed
            values = [self.initial["lr"]] * self.epochs_done
        return [self.initial[key], *values]

    def epoch(self) -> None:
        """One more epoch of the Trainer (nothing once the lane has stopped or diverged)."""
        if self.stopped or self.diverged:
            return
        logs = self.trainer.run_epoch()
        if logs is None or self.trainer.context.stop_training:
            self.finish()  # early stopping (or the last epoch) ended training
        elif not (math.isfinite(logs["train_loss"]) and logs["train_loss"] < 1e6):
            self.diverged = True
            self.trainer.stop()

    def finish(self) -> None:
        """End training now: ``on_train_end`` lets early stopping put back the best weights."""
        if not self.stopped:
            self.stopped = True
            self.trainer.stop()

    def val_loss_now(self) -> float:
        return evaluate(self.model, self.loss_fn, self.val)["loss"]

    def gap(self) -> float:
        """Final validation loss minus final training loss (both in evaluation mode)."""
        return self.column("val_loss")[-1] - self.column("train_loss")[-1]

    def summary(self, digits: int = 5) -> dict:
        out = {
            "label": self.label,
            "train": [_round(v, digits) for v in self.column("train_loss")],
            "val": [_round(v, digits) for v in self.column("val_loss")],
            "val_acc": [_round(v, 4) for v in self.column("val_accuracy")],
            "lr": [_round(v, 6) for v in self.column("lr")],
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
