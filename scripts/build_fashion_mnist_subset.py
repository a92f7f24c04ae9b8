"""Rebuild the Fashion-MNIST subset that ships inside the package.

The lab's image stops must work offline everywhere, so a stratified subset of the official
Fashion-MNIST files ships as ``src/neuronlab/data/package/fashion_mnist_subset.npz``: 800 training
and 100 test images per class, drawn without replacement with NumPy's ``default_rng(SEED)`` from
the official train and test splits (their indices are stored too). Run from the repository root
with the full set available (Debian's ``dataset-fashion-mnist`` or the neuronlab cache)::

    python scripts/build_fashion_mnist_subset.py

It rewrites the ``.npz`` and the checksum in ``fashion_mnist_subset.json``.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np

from neuronlab.data import load_fashion_mnist

SEED = 0
PER_CLASS = {"train": 800, "test": 100}
OUT = Path(__file__).resolve().parents[1] / "src" / "neuronlab" / "data" / "package"


def pick(labels: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    chosen = [rng.choice(np.flatnonzero(labels == c), per_class, replace=False) for c in range(10)]
    return np.sort(np.concatenate(chosen))


def main() -> None:
    full = load_fashion_mnist(normalize=False, download=True)
    rng = np.random.default_rng(SEED)
    train, test = (
        pick(full.y_train, PER_CLASS["train"], rng),
        pick(full.y_test, PER_CLASS["test"], rng),
    )
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        X_train=full.X_train[train], y_train=full.y_train[train].astype(np.uint8),
        X_test=full.X_test[test], y_test=full.y_test[test].astype(np.uint8),
        train_index=train.astype(np.int32), test_index=test.astype(np.int32),
    )  # fmt: skip
    data = buffer.getvalue()
    (OUT / "fashion_mnist_subset.npz").write_bytes(data)
    meta = json.loads((OUT / "fashion_mnist_subset.json").read_text())
    meta.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), seed=SEED,
                per_class=PER_CLASS, n_train=int(train.size), n_test=int(test.size))  # fmt: skip
    (OUT / "fashion_mnist_subset.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {len(data):,} bytes: {train.size} train and {test.size} test images")


if __name__ == "__main__":
    main()
