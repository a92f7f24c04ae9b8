"""The small data sets that ship inside scikit-learn: digits, iris, wine, breast cancer, diabetes.

scikit-learn is imported only when one of these loaders runs. ``X`` is ``float32``; ``y`` is
``int64`` class ids (``float32`` for the diabetes regression target).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from . import catalog
from .bundle import DatasetBundle

__all__ = [
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_wine",
    "sklearn_data_file",
]

_FILES = {
    "digits": "digits.csv.gz",
    "iris": "iris.csv",
    "wine": "wine_data.csv",
    "breast_cancer": "breast_cancer.csv",
    "diabetes": "diabetes_data_raw.csv.gz",
}


def sklearn_data_file(name: str) -> Path | None:
    """Path of the CSV scikit-learn bundles for ``name``, found without importing sklearn."""
    try:
        spec = importlib.util.find_spec("sklearn")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        path = Path(root) / "datasets" / "data" / _FILES[name]
        if path.exists():
            return path
    return None


def _sklearn_datasets(who: str) -> Any:
    try:
        import sklearn.datasets as skd
    except ImportError as exc:
        raise ImportError(
            f"{who} · expected scikit-learn, which ships this data set · it is not installed · "
            "run `pip install scikit-learn` (or `pip install neuronlab[lab]`)"
        ) from exc
    return skd


def _bundle(name: str, who: str) -> DatasetBundle:
    info = catalog.DATASETS[name]
    skd = _sklearn_datasets(who)
    raw = getattr(skd, f"load_{name}")()
    regression = info.task == "regression"
    y = raw.target.astype(np.float32 if regression else np.int64)
    classes = None if regression else tuple(str(c) for c in raw.target_names)
    path = sklearn_data_file(name)
    return DatasetBundle(
        name=info.name,
        title=info.title,
        task=info.task,
        X=np.ascontiguousarray(raw.data, dtype=np.float32),
        y=y,
        classes=classes,
        feature_names=tuple(str(f) for f in raw.feature_names),
        source=info.source,
        licence=info.licence,
        citation=info.citation,
        description=info.description,
        location=str(path) if path else "scikit-learn",
        extras={"DESCR": raw.DESCR} if getattr(raw, "DESCR", None) else {},
    )


def load_digits() -> DatasetBundle:
    """scikit-learn's 8x8 digits: 1,797 samples, 64 pixel features (0..16), 10 classes.

    >>> b = load_digits()
    >>> b.X.shape, b.y.dtype.name
    ((1797, 64), 'int64')
    """
    return _bundle("digits", "load_digits")


def load_iris() -> DatasetBundle:
    """Fisher's iris: 150 samples, 4 features, 3 classes."""
    return _bundle("iris", "load_iris")


def load_wine() -> DatasetBundle:
    """Wine recognition: 178 samples, 13 features, 3 classes."""
    return _bundle("wine", "load_wine")


def load_breast_cancer() -> DatasetBundle:
    """Breast Cancer Wisconsin (Diagnostic): 569 samples, 30 features, 2 classes."""
    return _bundle("breast_cancer", "load_breast_cancer")


def load_diabetes() -> DatasetBundle:
    """Diabetes regression: 442 samples, 10 features (centred and scaled), float32 target."""
    return _bundle("diabetes", "load_diabetes")
