"""Train the models that ship in ``src/neuronlab/models/weights/`` and write their cards.

    python scripts/train_shipped_models.py fashion-cnn      # one model
    python scripts/train_shipped_models.py --all            # every model

Recipes live in ``scripts/recipes/<stop>.py`` (a ``RECIPES`` dict of name -> function). Each
recipe fixes its data, seed, epochs and optimizer, trains with ``neuronlab.train.fit`` and
returns the model and its recipe; this script writes ``<name>.safetensors`` (``neuronlab.save``)
and ``<name>.json`` (the card: recipe, test result, SHA-256, the command). Anyone can re-run it
and compare the card's numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import neuronlab as nl

OUT = Path(__file__).resolve().parents[1] / "src" / "neuronlab" / "models" / "weights"


def _recipes() -> dict[str, Callable[[], tuple[nl.nn.Module, dict]]]:
    """Every ``RECIPES`` dict of ``scripts/recipes/*.py`` (one file per lab stop)."""
    recipes = {}
    for path in sorted((Path(__file__).parent / "recipes").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"recipes.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        recipes |= getattr(module, "RECIPES", {})
    return recipes


RECIPES = _recipes()


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
