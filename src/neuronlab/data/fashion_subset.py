"""The Fashion-MNIST subset that ships inside the package, so the image stops work offline.

``package/fashion_mnist_subset.npz`` holds 800 training and 100 test images per class (8,000 and
1,000), a stratified draw from the official splits made by ``scripts/build_fashion_mnist_subset.py``
(seed, counts and the SHA-256 checksum in ``package/fashion_mnist_subset.json``; MIT licence in
``package/FASHION-MNIST-LICENSE.txt``). The checksum is verified on every load.

>>> small = load_fashion_mnist_subset(layout="nchw")
>>> small.X_train.shape, small.X_test.shape, small.X_train.dtype, small.classes[0]
((8000, 1, 28, 28), (1000, 1, 28, 28), dtype('float32'), 'T-shirt/top')
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np

from . import catalog
from .bundle import DatasetBundle
from .errors import CorruptDatasetError
from .images import _LAYOUTS_GRAY, _check_layout, _pixels, load_fashion_mnist

__all__ = ["load_fashion_mnist_or_subset", "load_fashion_mnist_subset"]

PACKAGE = Path(__file__).parent / "package"
_FILE = PACKAGE / "fashion_mnist_subset.npz"


def _read_verified(who: str) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays of the shipped file, after checking its SHA-256, and the file's card."""
    meta = json.loads((PACKAGE / "fashion_mnist_subset.json").read_text())
    data = _FILE.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta["sha256"]:
        raise CorruptDatasetError(
            f"{who} · expected the shipped subset with SHA-256 {meta['sha256'][:16]}… · got "
            f"{digest[:16]}… in {_FILE} · reinstall neuronlab (or rebuild the file with "
            "scripts/build_fashion_mnist_subset.py)",
            path=str(_FILE),
        )
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        return {key: arrays[key] for key in arrays.files}, meta


def _arrange(images: np.ndarray, layout: str, normalize: bool) -> np.ndarray:
    X = _pixels(images, normalize)
    if layout == "nchw":
        X = X[:, None, :, :]
    elif layout == "flat":
        X = X.reshape(len(X), -1)
    return np.ascontiguousarray(X)


def load_fashion_mnist_subset(*, layout: str = "nhw", normalize: bool = True) -> DatasetBundle:
    """The shipped Fashion-MNIST subset: 8,000 train and 1,000 test 28x28 images, 10 classes.

    ``layout`` and ``normalize`` as in :func:`~neuronlab.data.load_fashion_mnist`; the images are
    the official ones (``extras["train_index"]``/``["test_index"]`` give their positions in the
    official files). Needs no network and no other package.
    """
    who = "load_fashion_mnist_subset"
    _check_layout(who, layout, _LAYOUTS_GRAY)
    arrays, meta = _read_verified(who)
    info = catalog.DATASETS["fashion_mnist"]
    return DatasetBundle(
        name="fashion_mnist_subset",
        title=meta["title"],
        task="classification",
        X_train=_arrange(arrays["X_train"], layout, normalize),
        y_train=arrays["y_train"].astype(np.int64),
        X_test=_arrange(arrays["X_test"], layout, normalize),
        y_test=arrays["y_test"].astype(np.int64),
        classes=info.classes,
        feature_names=tuple(f"pixel_{r}_{c}" for r in range(28) for c in range(28)),
        source=meta["source"],
        licence=meta["licence"],
        citation=meta["citation"],
        description=f"{meta['n_train']:,} training and {meta['n_test']:,} test images, a "
        f"stratified subset (seed {meta['seed']}) of {info.title} that ships with neuronlab",
        location=str(_FILE),
        extras={"layout": layout, "normalized": normalize, "subset": True,
                "train_index": arrays["train_index"], "test_index": arrays["test_index"]},
    )  # fmt: skip


def load_fashion_mnist_or_subset(*, layout: str = "nhw", normalize: bool = True) -> DatasetBundle:
    """The full Fashion-MNIST when it is already on this machine (Debian's package or the
    cache; nothing is downloaded), else the shipped subset. ``extras["subset"]`` says which."""
    try:
        full = load_fashion_mnist(layout=layout, normalize=normalize, download=False)
    except (FileNotFoundError, OSError, CorruptDatasetError):
        return load_fashion_mnist_subset(layout=layout, normalize=normalize)
    full.extras["subset"] = False
    return full
