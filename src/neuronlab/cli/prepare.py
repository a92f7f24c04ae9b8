"""Data for ``train`` and ``evaluate``: load a set, split it, preprocess it, and write down how.

``prepare_training_data`` loads a data set, makes the splits and fits the preprocessing on the
training split only; its ``recipe`` (stored in ``run.json`` under ``"data"``) holds everything
needed to rebuild the same test set without the training code: the loader's arguments, the
split (official, or ``test_size`` + ``seed`` + stratification), the scaler's ``mean``/``scale``
and, for regression, the target's. ``rebuild_test_data`` does exactly that for ``evaluate``.
Both paths go through the same functions (:func:`apply_inputs`, :func:`split_test`), so the
test inputs come out bit for bit the same; ``test_sha256`` checks it.

What is done to each kind of data set:

* images (Fashion-MNIST, MNIST, CIFAR-10): flattened, pixels scaled to [0, 1]; the official
  test split;
* everything else (tabular and toy 2-D sets): every feature standardized with the mean and
  standard deviation of the training split; the official test split where there is one (Adult),
  else ``test_size`` of the rows, stratified by class for classification;
* regression targets: standardized with the training split's mean and standard deviation for
  training; predictions are mapped back to the original units before scoring.

The validation set (``val``) is a further fraction of the training split, stratified too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import data
from ..data import CorruptDatasetError, DatasetNotFoundError, StandardScaler, train_test_split
from ._common import CLIError

__all__ = [
    "IMAGE_SETS",
    "PreparedData",
    "apply_inputs",
    "fingerprint",
    "from_target",
    "load_bundle",
    "prepare_training_data",
    "rebuild_test_data",
]

IMAGE_SETS = ("fashion_mnist", "mnist", "cifar10")
TOY_SIZE = {"n_samples": 600, "noise": 0.1}  # the toy generators' settings used by the CLI


@dataclass
class PreparedData:
    """Preprocessed arrays of one run and the recipe that rebuilds its test set.

    ``X_*`` are ``float32`` inputs after preprocessing; ``y_*`` are class ids (``int64``) or
    regression targets in their original units (``float32``). ``X_val``/``y_val`` are ``None``
    without a validation set.
    """

    recipe: dict[str, Any]
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray | None
    y_val: np.ndarray | None
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def task(self) -> str:
        return self.recipe["task"]

    @property
    def classes(self) -> list[str] | None:
        return self.recipe["classes"]

    def training_targets(self, y: np.ndarray) -> np.ndarray:
        """Targets as the loss wants them: class ids, or standardized ``(n, 1)`` floats."""
        return to_target(y, self.recipe)


# ----- loading -----------------------------------------------------------------------------------
def load_kwargs_for(name: str, seed: int) -> dict[str, Any]:
    """The loader arguments the CLI uses for ``name`` (stored in the recipe)."""
    info = data.DATASETS[name]
    if name in IMAGE_SETS:
        return {"layout": "flat", "normalize": True}
    if info.kind == "generated":
        return {**TOY_SIZE, "seed": seed}
    if info.kind == "files":  # Adult, German credit: we standardize ourselves, on train only
        return {"encode": True, "scale_numeric": False}
    return {}


def load_bundle(name: str, load_kwargs: dict[str, Any], *, offline: bool) -> data.DatasetBundle:
    """``data.load(name, **load_kwargs)``, never downloading when ``offline``; the data
    library's errors become :class:`CLIError` (one line, then its details)."""
    kwargs = dict(load_kwargs)
    if data.DATASETS[name].kind == "files":
        kwargs["download"] = not offline
    try:
        return data.load(name, **kwargs)
    except DatasetNotFoundError as exc:
        where = " offline (--offline)" if offline else ""
        detail = str(exc)
        if offline:
            detail += "\n    or run the command without --offline to download it"
        raise CLIError(f"data set {name!r} is not available{where}", detail) from None
    except CorruptDatasetError as exc:
        raise CLIError(f"data set {name!r} is damaged: {exc}") from None
    except ImportError as exc:  # scikit-learn's bundled sets without scikit-learn
        raise CLIError(f"data set {name!r} cannot be loaded: {exc}") from None


# ----- the shared steps --------------------------------------------------------------------------
def _flat(X: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(X.reshape(len(X), -1))


def apply_inputs(X: np.ndarray, preprocessing: dict[str, Any]) -> np.ndarray:
    """Flatten ``X`` and apply the stored standardization (if any); ``float32`` out."""
    X = _flat(X)
    standardize = preprocessing.get("standardize")
    if standardize is None:
        return np.ascontiguousarray(X, dtype=np.float32)
    mean = np.asarray(standardize["mean"], dtype=np.float64)
    scale = np.asarray(standardize["scale"], dtype=np.float64)
    return np.ascontiguousarray((X.astype(np.float64) - mean) / scale, dtype=np.float32)


def to_target(y: np.ndarray, recipe: dict[str, Any]) -> np.ndarray:
    """Class ids as they are; regression targets standardized, shape ``(n, 1)``."""
    if recipe["task"] == "classification":
        return y.astype(np.int64)
    t = recipe["preprocessing"]["target"]
    z = (y.astype(np.float64) - t["mean"]) / t["scale"]
    return z.astype(np.float32).reshape(-1, 1)


def from_target(outputs: np.ndarray, recipe: dict[str, Any]) -> np.ndarray:
    """The network's standardized regression outputs back in the target's units (float64)."""
    t = recipe["preprocessing"]["target"]
    return np.asarray(outputs, dtype=np.float64).reshape(-1) * t["scale"] + t["mean"]


def split_test(bundle: data.DatasetBundle, split: dict[str, Any]):
    """``(X_rest, X_test, y_rest, y_test)``: the official split, or the stored random one."""
    if split["official_test_split"]:
        return bundle.X_train, bundle.X_test, bundle.y_train, bundle.y_test
    stratify = bundle.y if split["stratified"] else None
    try:
        return train_test_split(
            bundle.X, bundle.y, test_size=split["test_size"], stratify=stratify, seed=split["seed"]
        )
    except ValueError as exc:
        raise CLIError(f"cannot split {bundle.name!r} into train and test sets: {exc}") from None


def fingerprint(X: np.ndarray, y: np.ndarray) -> str:
    """SHA-256 of the preprocessed test inputs and labels: the same test set, bit for bit."""
    h = hashlib.sha256()
    for a in (X, y):
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


# ----- train: fit the preprocessing --------------------------------------------------------------
def prepare_training_data(
    name: str, *, test_size: float, val: float, seed: int, offline: bool
) -> PreparedData:
    """Load ``name``, split it, fit the preprocessing on the training split; see the module
    docstring for what happens to each kind of data set."""
    info = data.DATASETS[name]
    load_kwargs = load_kwargs_for(name, seed)
    bundle = load_bundle(name, load_kwargs, offline=offline)
    classification = bundle.task == "classification"
    split = {
        "official_test_split": bundle.has_split,
        "test_size": None if bundle.has_split else test_size,
        "stratified": classification and not bundle.has_split,
        "seed": seed,
        "val_size": val,
    }
    X_rest, X_test, y_rest, y_test = split_test(bundle, split)
    X_rest = _flat(X_rest)
    X_val = y_val = None
    if val > 0:
        try:
            X_rest, X_val, y_rest, y_val = train_test_split(
                X_rest,
                y_rest,
                test_size=val,
                stratify=y_rest if classification else None,
                seed=seed,
            )
        except ValueError as exc:
            raise CLIError(
                f"cannot take a validation set of {val:g} from {name!r}: {exc}"
            ) from None
    preprocessing = _fit_preprocessing(name, X_rest, y_rest, bundle.task)
    recipe = {
        "name": name,
        "title": bundle.title,
        "task": bundle.task,
        "kind": info.kind,
        "classes": list(bundle.classes) if bundle.classes is not None else None,
        "n_features": int(X_rest.shape[1]),
        "load_kwargs": load_kwargs,
        "split": split,
        "preprocessing": preprocessing,
        "location": bundle.location,
    }
    prepared = PreparedData(
        recipe=recipe,
        X_train=apply_inputs(X_rest, preprocessing),
        y_train=y_rest,
        X_val=None if X_val is None else apply_inputs(X_val, preprocessing),
        y_val=y_val,
        X_test=apply_inputs(X_test, preprocessing),
        y_test=y_test,
    )
    split.update(
        n_train=len(prepared.y_train), n_val=0 if y_val is None else len(y_val), n_test=len(y_test)
    )
    recipe["test_sha256"] = fingerprint(prepared.X_test, prepared.y_test)
    return prepared


def _fit_preprocessing(name: str, X: np.ndarray, y: np.ndarray, task: str) -> dict[str, Any]:
    if name in IMAGE_SETS:
        pre: dict[str, Any] = {
            "inputs": "images flattened, pixels scaled to [0, 1]",
            "standardize": None,
        }
    else:
        scaler = StandardScaler().fit(X)
        pre = {
            "inputs": "features standardized with the training split's mean and std",
            "standardize": {"mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist()},
        }
    pre["target"] = None
    if task == "regression":
        y64 = y.astype(np.float64)
        scale = float(y64.std())
        pre["target"] = {"mean": float(y64.mean()), "scale": scale if scale > 0 else 1.0}
    return pre


# ----- evaluate: rebuild the test set ------------------------------------------------------------
def rebuild_test_data(recipe: dict[str, Any], *, offline: bool) -> tuple[np.ndarray, np.ndarray]:
    """The preprocessed test inputs and the test labels/targets of a run, from its recipe."""
    bundle = load_bundle(recipe["name"], recipe["load_kwargs"], offline=offline)
    _, X_test, _, y_test = split_test(bundle, recipe["split"])
    return apply_inputs(X_test, recipe["preprocessing"]), y_test


def describe_data(prepared: PreparedData) -> str:
    """One line: sizes of the splits, features, classes or target."""
    r, s = prepared.recipe, prepared.recipe["split"]
    sizes = f"{s['n_train']:,} train / {s['n_val']:,} validation / {s['n_test']:,} test"
    test = (
        "official test split"
        if s["official_test_split"]
        else (f"test {s['test_size']:g} of the rows{', stratified' if s['stratified'] else ''}")
    )
    what = f"{len(r['classes'])} classes" if r["classes"] else "regression target"
    return f"{r['title']} · {sizes} ({test}) · {r['n_features']} features · {what}"
