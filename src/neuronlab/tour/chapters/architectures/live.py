"""The architectures stop's live runs: the CNN on Fashion-MNIST, and a character model on words.

Both build a model from ``neuronlab.models`` and drive one ``neuronlab.train.Trainer`` a step per
``yield``. The curves are kept here, one point per evaluation, and sent whole in every frame, so
a dropped frame loses nothing; a frame is built only when ``ctx.frame_wanted`` (or at the end).
"""

from __future__ import annotations

import math
import time

import numpy as np

import neuronlab as nl

from .... import models
from ....models import sequence_cross_entropy
from ....train import Trainer
from ... import frames as fr
from . import images, words


class Curves:
    """Named lists of numbers that grow together, one point per evaluation."""

    def __init__(self, *names: str):
        self.values: dict[str, list[float]] = {name: [] for name in names}

    def add(self, **point: float) -> None:
        for name, value in point.items():
            self.values[name].append(float(value))

    def series(self, x: str, ylabel: str, *names: str) -> dict:
        return fr.series(self.values[x], xlabel=x, ylabel=ylabel,
                         **{n: self.values[n] for n in names})  # fmt: skip


def _cnn_data(train_size: int, test_size: int):
    X, y = images.train_images()
    Xt, yt = images.test_images()
    return (X[:train_size], y[:train_size]), (Xt[:test_size], yt[:test_size])


def train_cnn(ctx, *, start, epochs, learning_rate, batch_size, goal, train_size, test_size,
              eval_every, seed):  # fmt: skip
    """Train SmallCNN(8, 16 channels, 64 hidden) with Adam; evaluate every ``eval_every`` steps.

    Ends after ``epochs`` epochs, or as soon as the test accuracy reaches ``goal`` (0: never).
    """
    nl.manual_seed(seed)
    model = images.shipped("cnn") if start == "shipped" else models.SmallCNN(channels=(8, 16),
                                                                             hidden=64)  # fmt: skip
    ctx.check_model_size(images.n_params(model))
    (X, y), (Xt, yt) = _cnn_data(train_size, test_size)
    optimizer = nl.optim.Adam(model.parameters(), lr=learning_rate)
    trainer = Trainer(model, nl.nn.CrossEntropyLoss(), optimizer, (X, y), epochs=epochs,
                      batch_size=batch_size, metrics=["accuracy"], seed=seed)  # fmt: skip
    total = epochs * len(trainer.train_data)
    curves = Curves("step", "seconds", "loss", "accuracy", "test_accuracy")
    recent: list[float] = []
    elapsed, last_test = 0.0, images.accuracy(model, Xt, yt)
    start_loss, start_accuracy = _measure(model, X[:500], y[:500])  # where training starts
    curves.add(step=0, seconds=0, loss=start_loss, accuracy=start_accuracy, test_accuracy=last_test)
    yield _cnn_frame(model, curves, 0, total, last_test, goal, done=False)
    while True:
        if "learning_rate" in (updates := ctx.updates()):
            optimizer.param_groups[0]["lr"] = updates["learning_rate"]
        started = time.perf_counter()
        step = trainer.step()
        elapsed += time.perf_counter() - started
        if step is None:
            break
        finite = math.isfinite(step.loss)
        recent.append(step.loss)
        reached = False
        if step.global_step % eval_every == 0 or step.global_step == total or not finite:
            last_test = images.accuracy(model, Xt, yt)
            accuracy = trainer.tracker.result().get("accuracy", np.nan)  # this epoch so far
            curves.add(step=step.global_step, seconds=elapsed, loss=np.mean(recent),
                       accuracy=accuracy, test_accuracy=last_test)  # fmt: skip
            recent.clear()
            reached = goal > 0 and last_test >= goal
        end = reached or step.global_step == total or not finite
        if ctx.frame_wanted or end:
            yield _cnn_frame(model, curves, step.global_step, total, last_test, goal, done=end,
                             steps_per_second=step.global_step / max(elapsed, 1e-9))  # fmt: skip
        else:
            yield None
        if end:
            break
    trainer.stop()


def _measure(model, X, y) -> tuple[float, float]:
    """Mean cross-entropy and accuracy of ``model`` on (X, y)."""
    probs = images.predict_probs(model, X)
    loss = -np.log(np.maximum(probs[np.arange(len(y)), y], 1e-12)).mean()
    return float(loss), float((probs.argmax(axis=1) == y).mean())


def _cnn_frame(model, curves, step, total, test_accuracy, goal, *, done, steps_per_second=0.0):
    last = {k: (v[-1] if v else None) for k, v in curves.values.items()}
    return {
        "step": step,
        "total_steps": total,
        "progress": step / max(total, 1),
        "loss": last["loss"],
        "accuracy": last["accuracy"],
        "test_accuracy": test_accuracy,
        "goal": goal,
        "steps_per_second": steps_per_second,
        "done": done,
        "curves": curves.series("step", "loss / accuracy", "loss", "accuracy", "test_accuracy"),
        "filters": images.filters(model),
    }


def train_words(ctx, *, kind, epochs, learning_rate, n_words, eval_every, speed, seed):
    """Train a character model on the shipped words; samples and nats per character as it goes
    (in the lab at most ``speed`` steps a second; headless runs are not paced)."""
    nl.manual_seed(seed)
    d = words.word_data(limit=n_words, seed=seed)
    model = words.build_model(kind)
    ctx.check_model_size(sum(p.data.size for p in model.parameters()))
    optimizer = nl.optim.Adam(model.parameters(), lr=learning_rate)
    trainer = Trainer(model, sequence_cross_entropy, optimizer, (d["X"], d["Y"]), epochs=epochs,
                      batch_size=32, seed=seed)  # fmt: skip
    total = epochs * len(trainer.train_data)
    base = {
        "unigram": words.unigram_nats(d["Y"], d["Y_val"]),
        "bigram": words.bigram_nats(d["X"], d["Y"], d["X_val"], d["Y_val"]),
    }
    curves = Curves("step", "train", "validation", "unigram", "bigram")
    history: list[dict] = []
    recent: list[float] = []

    def evaluate(step: int) -> None:
        model.eval()
        val = words.model_nats(model, d["X_val"], d["Y_val"])
        history.append({"step": step, "words": words.samples(model, 8, seed=step)})
        model.train()
        train = float(np.mean(recent)) if recent else np.nan
        recent.clear()
        curves.add(step=step, train=train, validation=val, **base)

    evaluate(0)
    yield _words_frame(kind, model, curves, history, 0, total, base, done=False)
    while True:
        ctx.pace(speed)
        step = trainer.step()
        if step is None:
            break
        recent.append(step.loss)
        end = step.global_step == total
        if step.global_step % eval_every == 0 or end:
            evaluate(step.global_step)
        if ctx.frame_wanted or end:
            yield _words_frame(kind, model, curves, history, step.global_step, total, base,
                               done=end)  # fmt: skip
        else:
            yield None
        if end:
            break
    trainer.stop()


def _words_frame(kind, model, curves, history, step, total, base, *, done):
    val = curves.values["validation"][-1]
    return {
        "kind": kind,
        "model": words.KINDS[kind],
        "parameters": int(sum(p.data.size for p in model.parameters())),
        "step": step,
        "total_steps": total,
        "progress": step / max(total, 1),
        "loss": val,
        "nats": val,
        "perplexity": words.perplexity(val),
        "unigram": base["unigram"],
        "bigram": base["bigram"],
        "done": done,
        "curves": curves.series(
            "step", "nats per character", "train", "validation", "unigram", "bigram"
        ),  # fmt: skip
        "samples": history[-6:],
    }
