"""Shipped model of the transfer stop (see ``scripts/train_shipped_models.py``).

``fashion-cnn-source``: the architectures stop's SmallCNN shape, trained only on the five
*source* classes of the shipped Fashion-MNIST subset (T-shirt/top, trouser, pullover, dress,
coat). The transfer stop re-uses its body for the five *target* classes (sandal, shirt,
sneaker, bag, ankle boot), images it has never seen labelled, and races it against a network
trained from scratch on a few labels.
"""

from __future__ import annotations

import numpy as np

import neuronlab as nl
from neuronlab import models
from neuronlab.data import load_fashion_mnist_subset
from neuronlab.train import evaluate, fit

SOURCE_CLASSES = [0, 1, 5, 8, 9]
TARGET_CLASSES = [2, 3, 4, 6, 7]


def _only(X, y, classes):
    keep = np.isin(y, classes)
    relabel = {c: i for i, c in enumerate(classes)}
    return X[keep], np.array([relabel[int(v)] for v in y[keep]], dtype=np.int64)


def fashion_cnn_source() -> tuple[nl.nn.Module, dict]:
    """SmallCNN(8, 16 channels, 64 hidden, 5 outputs) on the source classes of the subset."""
    data = load_fashion_mnist_subset(layout="nchw")
    X_train, y_train = _only(data.X_train, data.y_train, SOURCE_CLASSES)
    X_test, y_test = _only(data.X_test, data.y_test, SOURCE_CLASSES)
    recipe = {"data": "fashion_mnist_subset", "source_classes": SOURCE_CLASSES,
              "target_classes": TARGET_CLASSES, "train_images": int(len(X_train)),
              "model": "SmallCNN(channels=(8, 16), hidden=64, num_classes=5)",
              "optimizer": "Adam(lr=0.002)", "epochs": 10, "batch_size": 64, "seed": 0}  # fmt: skip
    nl.manual_seed(recipe["seed"])
    model = models.SmallCNN(channels=(8, 16), hidden=64, num_classes=5)
    optimizer = nl.optim.Adam(model.parameters(), lr=0.002)
    loss_fn = nl.nn.CrossEntropyLoss()
    fit(model, loss_fn, optimizer, (X_train, y_train), epochs=recipe["epochs"],
        batch_size=recipe["batch_size"], seed=recipe["seed"], verbose=True)  # fmt: skip
    result = evaluate(model, loss_fn, (X_test, y_test), metrics=["accuracy"])
    recipe |= {"test_accuracy": round(result["accuracy"], 4), "test_loss": round(result["loss"], 4),
               "test_images": int(len(X_test))}  # fmt: skip
    return model, recipe


RECIPES = {"fashion-cnn-source": fashion_cnn_source}
