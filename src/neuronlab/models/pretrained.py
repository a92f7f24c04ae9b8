"""Trained weights that ship with neuronlab, so the lab's stops have a model from the first second.

Each entry is two files in ``models/weights/``: ``<name>.safetensors`` (the model, architecture
included, written by :func:`neuronlab.save`) and ``<name>.json``, its card: what it was trained on,
with which seed, for how long, the result, the SHA-256 of the weights file, and the command that
makes it again (``scripts/train_shipped_models.py <name>``).

>>> "fashion-cnn" in list_pretrained()
True
>>> model = load_pretrained("fashion-cnn")
>>> card = pretrained_card("fashion-cnn")
>>> card["data"], card["test_accuracy"] > 0.8
('fashion_mnist_subset', True)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

__all__ = ["WEIGHTS", "list_pretrained", "load_pretrained", "pretrained_card"]

WEIGHTS = Path(__file__).parent / "weights"


def list_pretrained() -> list[str]:
    """The names of the shipped models, sorted."""
    return sorted(
        p.stem for p in WEIGHTS.glob("*.json") if (WEIGHTS / f"{p.stem}.safetensors").is_file()
    )


def pretrained_card(name: str) -> dict[str, Any]:
    """The card of a shipped model: data, seed, epochs, result, checksum, the command to rebuild."""
    _check_name(name)
    return json.loads((WEIGHTS / f"{name}.json").read_text())


def load_pretrained(name: str):
    """The shipped model ``name`` as a ready ``nn.Module`` in evaluation mode (checksum verified).

    Each call returns a fresh copy, so fine-tuning it never changes the shipped weights.
    """
    from ..io import load  # io sits beside models; imported here to keep `models` light

    card = pretrained_card(name)
    path = WEIGHTS / f"{name}.safetensors"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != card["sha256"]:
        raise ValueError(
            f"load_pretrained({name!r}) · expected weights with SHA-256 {card['sha256'][:16]}… · "
            f"got {digest[:16]}… in {path} · reinstall neuronlab, or rebuild them with "
            f"`{card['command']}`"
        )
    model = load(path)
    model.eval()
    return model


def _check_name(name: str) -> None:
    names = list_pretrained()
    if name not in names:
        raise KeyError(
            f"load_pretrained · expected the name of a shipped model · got {name!r} · "
            f"choose one of: {', '.join(names) or 'none are installed'}"
        )
