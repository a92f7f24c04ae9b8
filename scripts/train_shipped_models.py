"""Train the models that ship in ``src/neuronlab/models/weights/`` and write their cards.

    python scripts/train_shipped_models.py fashion-cnn      # one model
    python scripts/train_shipped_models.py --all            # every model

Each recipe fixes its data, seed, epochs and optimizer, trains with ``neuronlab.train.fit`` and
writes ``<name>.safetensors`` (``neuronlab.save``) and ``<name>.json`` (the card: recipe, test
result, SHA-256, the command). Anyone can re-run it and compare the card's numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import neuronlab as nl
from neuronlab import models
from neuronlab.data import load_fashion_mnist_subset
from neuronlab.train import evaluate, fit

OUT = Path(__file__).resolve().parents[1] / "src" / "neuronlab" / "models" / "weights"


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


RECIPES: dict[str, Callable[[], tuple[nl.nn.Module, dict]]] = {"fashion-cnn": fashion_cnn}


def build(name: str) -> None:
    start = time.perf_counter()
    model, card = RECIPES[name]()
    model.eval()
    path = OUT / f"{name}.safetensors"
    nl.save(model, path)
    card |= {
        "name": name,
        "parameters": int(sum(p.data.size for p in model.parameters())),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "command": f"python scripts/train_shipped_models.py {name}",
        "trained_on": f"{platform.machine()}, NumPy {np.__version__}, "
        f"{time.perf_counter() - start:.0f} s",
    }
    (OUT / f"{name}.json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"{name}: {card}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"models to train: {', '.join(RECIPES)}")
    parser.add_argument("--all", action="store_true", help="train every model")
    args = parser.parse_args()
    unknown = sorted(set(args.names) - set(RECIPES))
    if unknown or not (args.names or args.all):
        parser.error(
            f"name one or more of {', '.join(RECIPES)} (or --all); got {unknown or 'none'}"
        )
    for name in RECIPES if args.all else args.names:
        build(name)


if __name__ == "__main__":
    main()
