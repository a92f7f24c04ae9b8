"""The data-set registry: list, locate and load any data set by name.

``neuronlab datasets`` (the CLI) shows :func:`dataset_status` for every name in
:func:`list_datasets`. Nothing here downloads unless :func:`load` is asked to.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import catalog, toy
from .bundle import DatasetBundle
from .bundled import sklearn_data_file
from .catalog import DatasetInfo
from .packaged import PACKAGED_DIR, PACKAGED_SETS
from .paths import download_dir, find_dataset_dir, search_dirs

__all__ = ["DatasetStatus", "dataset_status", "list_datasets", "load", "locate"]


def _info(name: str, who: str) -> DatasetInfo:
    key = name.strip().lower().replace("-", "_")
    if key not in catalog.DATASETS:
        known = ", ".join(sorted(catalog.DATASETS))
        raise ValueError(
            f"{who} · expected a known data set name · got {name!r} · choose one of: {known}"
        )
    return catalog.DATASETS[key]


def list_datasets(kind: str | None = None) -> list[str]:
    """Names of all registered data sets (optionally only one ``kind``: ``"files"``,
    ``"bundled"`` or ``"generated"``), in registry order.

    >>> "fashion_mnist" in list_datasets() and "spiral" in list_datasets("generated")
    True
    """
    return [n for n, info in catalog.DATASETS.items() if kind is None or info.kind == kind]


def locate(name: str) -> Path | None:
    """Where ``name`` is available on this machine, without downloading anything.

    For downloaded sets: the first folder (in lookup order) holding all files; for the sets
    that also ship inside the package (Adult, German credit), the packaged copies when no folder
    has the official files. For scikit-learn's bundled sets: the CSV inside the installed
    scikit-learn. Generated toy sets have no files: ``None``. ``None`` also means "not here".
    """
    info = _info(name, "locate")
    if info.kind == "files":
        found = find_dataset_dir(info)
        if found is None and info.name in PACKAGED_SETS:
            return PACKAGED_DIR
        return found
    if info.kind == "bundled":
        return sklearn_data_file(info.name)
    return None


@dataclass(frozen=True)
class DatasetStatus:
    """Availability of one data set on this machine (what ``neuronlab datasets`` prints)."""

    name: str
    title: str
    kind: str
    task: str
    available: bool
    location: str | None
    searched: tuple[str, ...]
    how_to_get: str
    licence: str

    def summary(self) -> str:
        """One line: name, availability and where."""
        where = self.location or ("generated on the fly" if self.kind == "generated" else "")
        state = "available" if self.available else "not here"
        return f"{self.name:<15} {state:<10} {where or self.how_to_get}"


def dataset_status(name: str) -> DatasetStatus:
    """Whether ``name`` can be loaded without a download, where it is, and how to get it.

    >>> s = dataset_status("circle")
    >>> s.available, s.kind
    (True, 'generated')
    """
    info = _info(name, "dataset_status")
    searched: tuple[str, ...] = ()
    if info.kind == "generated":
        return DatasetStatus(
            info.name, info.title, info.kind, info.task, True, None, (), "", info.licence
        )
    path = locate(info.name)
    if info.kind == "bundled":
        how = "pip install scikit-learn (or pip install neuronlab[lab])"
    else:
        searched = tuple(str(d) for d, _ in search_dirs(info))
        options = [*info.install_hints, f"neuronlab downloads it into {download_dir(info)}"]
        how = " · or ".join(options)
    return DatasetStatus(
        name=info.name,
        title=info.title,
        kind=info.kind,
        task=info.task,
        available=path is not None,
        location=None if path is None else str(path),
        searched=searched,
        how_to_get=how,
        licence=info.licence,
    )


def load(name: str, **kwargs: Any) -> DatasetBundle:
    """Load any registered data set by name; ``kwargs`` go to its loader.

    >>> b = load("spiral", n_samples=90, n_classes=3, seed=0)
    >>> b.X.shape, b.classes
    ((90, 2), ('0', '1', '2'))
    """
    info = _info(name, "load")
    module_name, _, func_name = info.loader.partition(":")
    loader = getattr(importlib.import_module(module_name), func_name)
    if info.kind == "generated":
        return loader(info, **kwargs)
    return loader(**kwargs)


def _load_toy(info: DatasetInfo, **kwargs: Any) -> DatasetBundle:
    """Run a toy generator and wrap its output in a :class:`DatasetBundle`."""
    X, y = getattr(toy, info.name)(**kwargs)
    classes = None
    if info.task == "classification":
        classes = tuple(str(c) for c in range(int(y.max()) + 1 if len(y) else 0))
    return DatasetBundle(
        name=info.name,
        title=info.title,
        task=info.task,
        X=X,
        y=y,
        classes=classes,
        feature_names=("x1", "x2"),
        source=info.source,
        licence=info.licence,
        description=info.description,
        extras={"params": dict(kwargs)},
    )
