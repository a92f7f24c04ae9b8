"""Shipped models of the architectures stop (see ``scripts/train_shipped_models.py``)."""

from __future__ import annotations

import neuronlab as nl
from neuronlab import models
from neuronlab.data import load_fashion_mnist_subset
from neuronlab.train import evaluate, fit


def fashion_cnn() -> tuple[nl.nn.Module, dict]:
    """The architectures stop's CNN: SmallCNN(8, 16 channels, 64 hidden) on the shipped subset."""
    data = load_fashion_mnist_subset(layout="nchw")
    recipe = {"data": "fashion_mnist_subset", "model": "SmallCNN(channels=(8, 16), hidden=64)",
              "optimizer": "Adam(lr=0.002)", "epochs": 12, "batch_size": 64, "seed": 0}  # fmt: skip
    nl.manual_seed(recipe["seed"])
    model = models.SmallCNN(channels=(8, 16), hidden=64)
    optimizer = nl.optim.Adam(model.parameters(), lr=0.002)
    loss_fn = nl.nn.CrossEntropyLoss()
    fit(model, loss_fn, optimizer, (data.X_train, data.y_train), epochs=recipe["epochs"],
        batch_size=recipe["batch_size"], seed=recipe["seed"], verbose=True)  # fmt: skip
    result = evaluate(model, loss_fn, (data.X_test, data.y_test), metrics=["accuracy"])
    recipe |= {"test_accuracy": round(result["accuracy"], 4), "test_loss": round(result["loss"], 4)}
    return model, recipe


RECIPES = {"fashion-cnn": fashion_cnn}
