"""Loaders for the image data sets: MNIST, Fashion-MNIST and CIFAR-10.

Each returns a :class:`DatasetBundle` with the official train/test split. Files are found or
downloaded as described in :mod:`neuronlab.data.download`.
"""

from __future__ import annotations

import numpy as np

from . import catalog
from .bundle import DatasetBundle
from .download import check_integrity, ensure_dataset
from .errors import CorruptDatasetError
from .formats import read_cifar10, read_idx
from .paths import resolve_file

__all__ = ["load_cifar10", "load_fashion_mnist", "load_mnist"]

_LAYOUTS_GRAY = ("nhw", "nchw", "flat")
_LAYOUTS_RGB = ("nchw", "nhwc", "flat")


def _check_layout(who: str, layout: str, allowed: tuple[str, ...]) -> None:
    if layout not in allowed:
        raise ValueError(
            f"{who}(layout) · expected one of {', '.join(map(repr, allowed))} · got {layout!r} · "
            "use 'flat' for dense networks and 'nchw' for convolutions"
        )


def _pixels(images: np.ndarray, normalize: bool) -> np.ndarray:
    if not normalize:
        return images
    out = images.astype(np.float32)
    out *= np.float32(1.0 / 255.0)
    return out


def _load_idx_set(
    name: str,
    *,
    layout: str,
    normalize: bool,
    download: bool,
    verify: bool,
    progress: bool | None,
    who: str,
) -> DatasetBundle:
    _check_layout(who, layout, _LAYOUTS_GRAY)
    info = catalog.DATASETS[name]
    directory = ensure_dataset(info, download=download, progress=progress, who=who)
    paths = {}
    for spec in info.files:
        path = resolve_file(directory, spec)
        assert path is not None
        if verify:
            check_integrity(path, spec)
        paths[spec.name.split("-idx")[0]] = path  # train-images, train-labels, t10k-...
    arrays = {}
    for split in ("train", "t10k"):
        images = read_idx(paths[f"{split}-images"], expected_ndim=3)
        labels = read_idx(paths[f"{split}-labels"], expected_ndim=1)
        if images.dtype != np.uint8 or labels.dtype != np.uint8:
            raise CorruptDatasetError(
                f"{who} · expected uint8 IDX files · got images {images.dtype}, labels "
                f"{labels.dtype} in {directory} · delete those files so they are downloaded again",
                path=str(paths[f"{split}-images"]),
            )
        if images.shape[0] != labels.shape[0] or images.shape[1:] != (28, 28):
            raise CorruptDatasetError(
                f"{who} · expected n 28x28 images and n labels · got images {images.shape} and "
                f"labels {labels.shape} in {directory} · delete those files so they are "
                "downloaded again",
                path=str(paths[f"{split}-images"]),
            )
        if labels.size and labels.max() >= len(info.classes or ()):
            raise CorruptDatasetError(
                f"{who} · expected labels 0..9 · got a maximum of {labels.max()} in "
                f"{paths[f'{split}-labels']} · delete it so it is downloaded again",
                path=str(paths[f"{split}-labels"]),
            )
        X = _pixels(images, normalize)
        if layout == "nchw":
            X = X[:, None, :, :]
        elif layout == "flat":
            X = X.reshape(len(X), -1)
        arrays[split] = (np.ascontiguousarray(X), labels.astype(np.int64))
    return DatasetBundle(
        name=info.name,
        title=info.title,
        task=info.task,
        X_train=arrays["train"][0],
        y_train=arrays["train"][1],
        X_test=arrays["t10k"][0],
        y_test=arrays["t10k"][1],
        classes=info.classes,
        feature_names=tuple(f"pixel_{r}_{c}" for r in range(28) for c in range(28)),
        source=info.source,
        licence=info.licence,
        citation=info.citation,
        description=info.description,
        location=str(directory),
        extras={"layout": layout, "normalized": normalize},
    )


def load_fashion_mnist(
    *,
    layout: str = "nhw",
    normalize: bool = True,
    download: bool = True,
    verify: bool = False,
    progress: bool | None = None,
) -> DatasetBundle:
    """Load Fashion-MNIST: 60,000 train and 10,000 test 28x28 grayscale images, 10 classes.

    Args:
        layout: ``"nhw"`` (n, 28, 28), ``"nchw"`` (n, 1, 28, 28) or ``"flat"`` (n, 784).
        normalize: ``float32`` pixels in [0, 1]; ``False`` keeps the raw ``uint8`` values.
        download: fetch the files when they are not found locally.
        verify: check local files against the published checksums before reading them.
        progress: show a download progress bar (``None``: only on a terminal).

    Looks in ``$NEURONLAB_DATA/fashion-mnist``, ``~/.cache/neuronlab/fashion-mnist`` and
    ``/usr/share/datasets/fashion-mnist`` (Debian: ``apt-get install dataset-fashion-mnist``).
    """
    return _load_idx_set(
        "fashion_mnist",
        layout=layout,
        normalize=normalize,
        download=download,
        verify=verify,
        progress=progress,
        who="load_fashion_mnist",
    )


def load_mnist(
    *,
    layout: str = "nhw",
    normalize: bool = True,
    download: bool = True,
    verify: bool = False,
    progress: bool | None = None,
) -> DatasetBundle:
    """Load MNIST: 60,000 train and 10,000 test 28x28 handwritten digits.

    Same arguments as :func:`load_fashion_mnist`; files live in ``<root>/mnist/``.
    """
    return _load_idx_set(
        "mnist",
        layout=layout,
        normalize=normalize,
        download=download,
        verify=verify,
        progress=progress,
        who="load_mnist",
    )


def load_cifar10(
    *,
    layout: str = "nchw",
    normalize: bool = True,
    download: bool = True,
    verify: bool = False,
    progress: bool | None = None,
) -> DatasetBundle:
    """Load CIFAR-10: 50,000 train and 10,000 test 32x32 colour images, 10 classes.

    Args:
        layout: ``"nchw"`` (n, 3, 32, 32), ``"nhwc"`` (n, 32, 32, 3) or ``"flat"`` (n, 3072).
        normalize: ``float32`` pixels in [0, 1]; ``False`` keeps the raw ``uint8`` values.
        download: fetch ``cifar-10-python.tar.gz`` (163 MiB) when it is not found locally.
        verify: check a local archive against the published checksum before reading it.
        progress: show a download progress bar (``None``: only on a terminal).

    Reads ``<root>/cifar-10/cifar-10-python.tar.gz`` directly (no extraction), or an extracted
    ``<root>/cifar-10/cifar-10-batches-py/`` folder.
    """
    who = "load_cifar10"
    _check_layout(who, layout, _LAYOUTS_RGB)
    info = catalog.DATASETS["cifar10"]
    directory = ensure_dataset(info, download=download, progress=progress, who=who)
    spec = info.files[0]
    path = resolve_file(directory, spec)
    assert path is not None
    if verify:
        check_integrity(path, spec)
    X_train, y_train, X_test, y_test, names = read_cifar10(path)
    out = []
    for X in (X_train, X_test):
        X = _pixels(X, normalize)
        if layout == "nhwc":
            X = X.transpose(0, 2, 3, 1)
        elif layout == "flat":
            X = X.reshape(len(X), -1)
        out.append(np.ascontiguousarray(X))
    return DatasetBundle(
        name=info.name,
        title=info.title,
        task=info.task,
        X_train=out[0],
        y_train=y_train,
        X_test=out[1],
        y_test=y_test,
        classes=names,
        feature_names=tuple(
            f"{ch}_{r}_{c}" for ch in ("r", "g", "b") for r in range(32) for c in range(32)
        ),
        source=info.source,
        licence=info.licence,
        citation=info.citation,
        description=info.description,
        location=str(path),
        extras={"layout": layout, "normalized": normalize},
    )
