"""Train/test (and train/validation/test) splits, optionally stratified.

Outputs follow scikit-learn's order: ``a_train, a_test, b_train, b_test, ...``. Inputs may be
NumPy arrays, anything array-like, or a *frame* (a dict of column name → array): a frame is split
row-wise and comes back as two dicts.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .dataset import to_numpy

__all__ = ["train_test_split", "train_val_test_split"]


def _n_samples(arrays: tuple[Any, ...], who: str) -> tuple[list[Any], int]:
    if not arrays:
        raise TypeError(f"{who} · expected at least one array · got none · call {who}(X, y)")
    converted: list[Any] = []
    lengths: list[int] = []
    for a in arrays:
        if isinstance(a, dict):
            cols = {k: to_numpy(v, who=who) for k, v in a.items()}
            sizes = {len(v) for v in cols.values()}
            if len(sizes) > 1:
                raise ValueError(
                    f"{who} · expected every column of a frame to have the same length · "
                    f"got lengths {sorted(sizes)} · fix the frame's columns"
                )
            converted.append(cols)
            lengths.append(sizes.pop() if sizes else 0)
        else:
            arr = to_numpy(a, who=who)
            if arr.ndim == 0:
                raise ValueError(
                    f"{who} · expected arrays with a sample dimension · got a scalar {arr!r} · "
                    "pass arrays of shape (n, ...)"
                )
            converted.append(arr)
            lengths.append(arr.shape[0])
    if len(set(lengths)) > 1:
        raise ValueError(
            f"{who} · expected all inputs to have the same number of samples · "
            f"got {lengths} · check that features and labels match"
        )
    return converted, lengths[0]


def _count(size: Any, n: int, name: str, who: str, *, round_up: bool) -> int:
    """Turn a float fraction or an int count into a number of samples."""
    if isinstance(size, bool) or not isinstance(size, numbers.Real):
        raise TypeError(
            f"{who}({name}) · expected a float in (0, 1) or an int count · got {size!r} "
            f"({type(size).__name__}) · pass e.g. {name}=0.2"
        )
    if isinstance(size, numbers.Integral):
        if not 0 <= size <= n:
            raise ValueError(
                f"{who}({name}) · expected an int count in [0, {n}] · got {size} · "
                f"pass a count no larger than the number of samples ({n})"
            )
        return int(size)
    if not 0.0 < size < 1.0:
        raise ValueError(
            f"{who}({name}) · expected a fraction strictly between 0 and 1 · got {size} · "
            f"pass e.g. {name}=0.2"
        )
    return math.ceil(size * n) if round_up else math.floor(size * n)


def _allocate(total: int, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split ``total`` over classes in proportion to ``counts`` (largest remainder)."""
    exact = total * counts / counts.sum()
    alloc = np.floor(exact).astype(np.int64)
    remainder = exact - alloc
    left = total - int(alloc.sum())
    if left > 0:
        # random tie-break among equal remainders, larger remainders first
        order = np.lexsort((rng.random(len(counts)), -remainder))
        for k in order:
            if left == 0:
                break
            if alloc[k] < counts[k]:
                alloc[k] += 1
                left -= 1
    return alloc


def _take(a: Any, idx: np.ndarray) -> Any:
    if isinstance(a, dict):
        return {k: v[idx] for k, v in a.items()}
    return a[idx]


def train_test_split(
    *arrays: Any,
    test_size: float | int | None = 0.25,
    train_size: float | int | None = None,
    shuffle: bool = True,
    stratify: Any = None,
    seed: int | None = None,
) -> list[Any]:
    """Split arrays into random train and test subsets (scikit-learn's output order).

    Args:
        *arrays: arrays (or frames: dicts of columns) with the same number of samples.
        test_size: fraction of samples (float in (0, 1), rounded up) or a count (int).
        train_size: fraction (rounded down) or count; default: everything not in the test set.
        shuffle: shuffle before splitting (required for ``stratify``).
        stratify: class labels; each class keeps (as nearly as possible) its proportion in
            both subsets.
        seed: random seed for reproducible splits.

    Returns:
        ``[a_train, a_test, b_train, b_test, ...]``.

    >>> X = np.arange(20).reshape(10, 2); y = np.array([0] * 5 + [1] * 5)
    >>> X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.4, stratify=y, seed=0)
    >>> X_tr.shape, X_te.shape, int(y_te.sum())
    ((6, 2), (4, 2), 2)
    """
    who = "train_test_split"
    converted, n = _n_samples(arrays, who)
    if test_size is None and train_size is None:
        test_size = 0.25
    n_test = (
        _count(test_size, n, "test_size", who, round_up=True) if test_size is not None else None
    )
    n_train = (
        _count(train_size, n, "train_size", who, round_up=False) if train_size is not None else None
    )
    if n_test is None:
        n_test = n - n_train
    if n_train is None:
        n_train = n - n_test
    if n_train + n_test > n:
        raise ValueError(
            f"{who} · expected train_size + test_size <= {n} samples · got {n_train} + "
            f"{n_test} · lower one of them"
        )
    if n_train == 0 or n_test == 0:
        raise ValueError(
            f"{who} · expected non-empty train and test sets · got {n_train} train and "
            f"{n_test} test samples out of {n} · adjust test_size/train_size"
        )
    rng = np.random.default_rng(seed)
    if stratify is None:
        order = rng.permutation(n) if shuffle else np.arange(n)
        train_idx, test_idx = order[:n_train], order[n_train : n_train + n_test]
    else:
        if not shuffle:
            raise ValueError(
                f"{who} · expected shuffle=True with stratify · got shuffle=False · "
                "a stratified split must shuffle; drop stratify or set shuffle=True"
            )
        train_idx, test_idx = _stratified(to_numpy(stratify, who=who), n, n_train, n_test, rng)
    out: list[Any] = []
    for a in converted:
        out.extend([_take(a, train_idx), _take(a, test_idx)])
    return out


def _stratified(
    labels: np.ndarray, n: int, n_train: int, n_test: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    who = "train_test_split(stratify)"
    if labels.shape[:1] != (n,):
        raise ValueError(
            f"{who} · expected {n} labels, one per sample · got shape {labels.shape} · "
            "pass the label array, e.g. stratify=y"
        )
    axis = 0 if labels.ndim > 1 else None  # one-hot / multi-column labels: unique rows
    classes, y_idx, counts = np.unique(labels, return_inverse=True, return_counts=True, axis=axis)
    y_idx = y_idx.reshape(-1)
    if counts.min() < 2:
        rare = classes[counts.argmin()]
        raise ValueError(
            f"{who} · expected at least 2 samples of every class · class {rare!r} has "
            f"{counts.min()} · merge rare classes or split without stratify"
        )
    if n_test < len(classes) or n_train < len(classes):
        raise ValueError(
            f"{who} · expected train and test sets at least as large as the number of classes "
            f"({len(classes)}) · got {n_train} train and {n_test} test · enlarge the smaller set"
        )
    test_per_class = _allocate(n_test, counts, rng)
    train_per_class = _allocate(n_train, counts - test_per_class, rng)
    train_parts, test_parts = [], []
    for k in range(len(classes)):
        members = rng.permutation(np.flatnonzero(y_idx == k))
        t = test_per_class[k]
        test_parts.append(members[:t])
        train_parts.append(members[t : t + train_per_class[k]])
    train_idx = rng.permutation(np.concatenate(train_parts))
    test_idx = rng.permutation(np.concatenate(test_parts))
    return train_idx, test_idx


def train_val_test_split(
    *arrays: Any,
    val_size: float | int = 0.15,
    test_size: float | int = 0.15,
    stratify: Any = None,
    shuffle: bool = True,
    seed: int | None = None,
) -> list[Any]:
    """Split arrays three ways: ``[a_train, a_val, a_test, b_train, b_val, b_test, ...]``.

    ``val_size`` and ``test_size`` are fractions of the *whole* data set (or counts).

    >>> X = np.arange(100); y = np.arange(100) % 2
    >>> parts = train_val_test_split(X, y, val_size=0.2, test_size=0.1, stratify=y, seed=1)
    >>> [len(p) for p in parts[:3]]
    [70, 20, 10]
    """
    who = "train_val_test_split"
    converted, n = _n_samples(arrays, who)
    n_test = _count(test_size, n, "test_size", who, round_up=True)
    n_val = _count(val_size, n, "val_size", who, round_up=True)
    if n_val + n_test >= n:
        raise ValueError(
            f"{who} · expected val + test smaller than the {n} samples · got {n_val} + "
            f"{n_test} · lower val_size or test_size"
        )
    strat = None if stratify is None else to_numpy(stratify, who=who)
    index = np.arange(n)
    rest, test_idx = train_test_split(
        index, test_size=n_test, shuffle=shuffle, stratify=strat, seed=seed
    )
    sub_seed = None if seed is None else int(np.random.default_rng(seed).integers(2**31))
    train_idx, val_idx = train_test_split(
        rest,
        test_size=n_val,
        shuffle=shuffle,
        stratify=None if strat is None else strat[rest],
        seed=sub_seed,
    )
    out: list[Any] = []
    for a in converted:
        out.extend([_take(a, train_idx), _take(a, val_idx), _take(a, test_idx)])
    return out
