"""The transfer task and its three contenders, built from the library.

The shipped ``fashion-cnn-source`` learned five Fashion-MNIST classes (its card names them);
the *target* task is the other five, with only ``k`` labelled images per class. Three runs
learn it, each a ``neuronlab.train.Trainer``:

* ``scratch``   a fresh SmallCNN of the same shape, every weight learned from the k labels;
* ``probe``     the pretrained convolutions frozen (``freeze()``), their 784 features computed
                once per image, and only a new linear head learned on them (a linear probe);
* ``finetune``  the pretrained body and a new head, all learned, the body at a lower learning
                rate than the head (two parameter groups of one Adam).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

import neuronlab as nl
from neuronlab import models, nn, optim
from neuronlab.data import load_fashion_mnist_subset
from neuronlab.train import Trainer, predict

PRETRAINED = "fashion-cnn-source"
KINDS = ("scratch", "probe", "finetune")
LABELS = {"scratch": "from scratch", "probe": "linear probe (frozen convolutions)",
          "finetune": "fine-tune all (lower lr for the body)"}  # fmt: skip


@dataclass(frozen=True)
class TargetTask:
    classes: list[str]  # names of the target classes, in label order 0..4
    X_train: np.ndarray  # (N, 1, 28, 28) every target image of the training subset
    y_train: np.ndarray
    X_test: np.ndarray  # (500, 1, 28, 28)
    y_test: np.ndarray


@lru_cache(maxsize=1)
def target_task() -> TargetTask:
    """The shipped subset restricted to the classes the pretrained model never learned."""
    card = models.pretrained_card(PRETRAINED)
    data = load_fashion_mnist_subset(layout="nchw")
    wanted = card["target_classes"]

    def only(X, y):
        keep = np.isin(y, wanted)
        return X[keep], np.searchsorted(wanted, y[keep]).astype(np.int64)

    X_train, y_train = only(data.X_train, data.y_train)
    X_test, y_test = only(data.X_test, data.y_test)
    names = [data.classes[c] for c in wanted]
    return TargetTask(names, X_train, y_train, X_test, y_test)


def few_labels(task: TargetTask, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``k`` training images of each target class, drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    picks = [rng.choice(np.flatnonzero(task.y_train == c), size=k, replace=False)
             for c in range(len(task.classes))]  # fmt: skip
    idx = rng.permutation(np.concatenate(picks))
    return task.X_train[idx], task.y_train[idx]


def pretrained_with_new_head(seed: int) -> nn.Module:
    """The source model with its last layer replaced by a fresh 5-way head."""
    model = models.load_pretrained(PRETRAINED)
    nl.manual_seed(seed)
    model.classifier[3] = nn.Linear(model.hidden, 5)
    return model


def body_of(model: nn.Module) -> nn.Sequential:
    """Everything but the last layer: image -> 64 features."""
    return nn.Sequential(model.features, *list(model.classifier)[:3])


@dataclass
class Contender:
    """One run of the race: its trainer, its test accuracy over steps, the time it used."""

    kind: str
    trainer: Trainer
    evaluate_on: np.ndarray  # the test inputs this run's model takes (images or features)
    y_test: np.ndarray
    seconds: float = 0.0
    steps: list[int] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)

    def advance(self, n: int) -> None:
        start = time.perf_counter()
        for _ in range(n):
            self.trainer.step()
        self.seconds += time.perf_counter() - start

    def close(self) -> None:
        """End the trainer's loop here, in the thread that ran it (not later, at garbage
        collection, possibly in another thread)."""
        self.trainer.stop()

    def measure(self) -> float:
        start = time.perf_counter()
        scores = predict(self.trainer.model, self.evaluate_on, batch_size=500)
        acc = float((scores.argmax(axis=1) == self.y_test).mean())
        self.seconds += time.perf_counter() - start
        self.steps.append(self.trainer.global_step)
        self.accuracy.append(acc)
        return acc


def contender(kind: str, task: TargetTask, X: np.ndarray, y: np.ndarray, *, lr: float,
              body_lr_factor: float, seed: int, batch_size: int = 32) -> Contender:  # fmt: skip
    """A ready-to-step run of ``kind`` on the labelled images ``(X, y)``."""
    start = time.perf_counter()
    loss_fn = nn.CrossEntropyLoss()
    batch = min(batch_size, len(X))
    test = task.X_test
    if kind == "scratch":
        nl.manual_seed(seed)
        model = models.SmallCNN(channels=(8, 16), hidden=64, num_classes=5)
        opt = optim.Adam(model.parameters(), lr=lr)
        train = (X, y)
    elif kind == "probe":
        convs = nn.Sequential(models.load_pretrained(PRETRAINED).features, nn.Flatten()).freeze()
        train = (predict(convs, X, batch_size=500), y)  # the frozen features, computed once
        test = predict(convs, task.X_test, batch_size=500)
        nl.manual_seed(seed)
        model = nn.Linear(train[0].shape[1], 5)  # (N, 784) -> (N, 5)
        opt = optim.Adam(model.parameters(), lr=lr)
    elif kind == "finetune":
        model = pretrained_with_new_head(seed)
        head = list(model.classifier[3].parameters())
        body = list(body_of(model).parameters())
        opt = optim.Adam([{"params": body, "lr": lr * body_lr_factor}, {"params": head}], lr=lr)
        train = (X, y)
    else:
        raise ValueError(f"transfer: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    trainer = Trainer(model, loss_fn, opt, train, epochs=None, batch_size=batch, seed=seed)
    run = Contender(kind, trainer, test, task.y_test)
    run.seconds = time.perf_counter() - start
    return run
