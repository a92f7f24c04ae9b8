"""Shipped models of the architectures stop (see ``scripts/train_shipped_models.py``).

* ``fashion-cnn``: the stop's CNN, SmallCNN(8, 16 channels, 64 hidden), on the shipped
  Fashion-MNIST subset (the interpretability stop builds on it too).
* ``fashion-mlp``: an MLP with about as many weights (784 -> 64 -> 10), same data and budget,
  for the "MLP vs CNN" and the shift experiments.
* ``words-rnn``, ``words-lstm``, ``words-gpt``: character models of the shipped word list.
"""

from __future__ import annotations

import neuronlab as nl
from neuronlab import models
from neuronlab.data import load_fashion_mnist_subset
from neuronlab.models import sequence_cross_entropy
from neuronlab.tour.chapters.architectures import words
from neuronlab.train import evaluate, fit


def _fashion(model, layout: str, recipe: dict) -> tuple[nl.nn.Module, dict]:
    data = load_fashion_mnist_subset(layout=layout)
    optimizer = nl.optim.Adam(model.parameters(), lr=0.002)
    loss_fn = nl.nn.CrossEntropyLoss()
    fit(model, loss_fn, optimizer, (data.X_train, data.y_train), epochs=recipe["epochs"],
        batch_size=recipe["batch_size"], seed=recipe["seed"], verbose=True)  # fmt: skip
    result = evaluate(model, loss_fn, (data.X_test, data.y_test), metrics=["accuracy"])
    recipe |= {"test_accuracy": round(result["accuracy"], 4), "test_loss": round(result["loss"], 4)}
    return model, recipe


def fashion_cnn() -> tuple[nl.nn.Module, dict]:
    """The architectures stop's CNN: SmallCNN(8, 16 channels, 64 hidden) on the shipped subset."""
    recipe = {"data": "fashion_mnist_subset", "model": "SmallCNN(channels=(8, 16), hidden=64)",
              "optimizer": "Adam(lr=0.002)", "epochs": 12, "batch_size": 64, "seed": 0}  # fmt: skip
    nl.manual_seed(recipe["seed"])
    return _fashion(models.SmallCNN(channels=(8, 16), hidden=64), "nchw", recipe)


def fashion_mlp() -> tuple[nl.nn.Module, dict]:
    """An MLP with about the CNN's number of weights (50,890 against 52,138), same budget."""
    recipe = {"data": "fashion_mnist_subset", "model": "MLP(784, [64], 10)",
              "optimizer": "Adam(lr=0.002)", "epochs": 12, "batch_size": 64, "seed": 0}  # fmt: skip
    nl.manual_seed(recipe["seed"])
    return _fashion(models.MLP(784, [64], 10), "flat", recipe)


def _words(kind: str, epochs: int) -> tuple[nl.nn.Module, dict]:
    recipe = {"data": "neuronlab/data/package/words.txt (4,000 words, 90/10 split, seed 0)",
              "model": kind, "optimizer": "Adam(lr=0.005)", "epochs": epochs,
              "batch_size": 32, "seed": 0}  # fmt: skip
    nl.manual_seed(recipe["seed"])
    d = words.word_data()
    model = words.build_model(kind)
    optimizer = nl.optim.Adam(model.parameters(), lr=0.005)
    fit(model, sequence_cross_entropy, optimizer, (d["X"], d["Y"]), epochs=epochs,
        batch_size=recipe["batch_size"], seed=recipe["seed"], verbose=True)  # fmt: skip
    model.eval()
    recipe |= {
        "val_nats_per_char": round(words.model_nats(model, d["X_val"], d["Y_val"]), 4),
        "unigram_nats_per_char": round(words.unigram_nats(d["Y"], d["Y_val"]), 4),
        "bigram_nats_per_char": round(words.bigram_nats(d["X"], d["Y"], d["X_val"], d["Y_val"]), 4),
    }
    return model, recipe


RECIPES = {
    "fashion-cnn": fashion_cnn,
    "fashion-mlp": fashion_mlp,
    "words-rnn": lambda: _words("rnn", 20),
    "words-lstm": lambda: _words("lstm", 20),
    "words-gpt": lambda: _words("transformer", 20),
}
