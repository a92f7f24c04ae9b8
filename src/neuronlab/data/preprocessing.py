"""Feature preprocessing with scikit-learn's conventions.

``fit`` learns from the training set only; learned attributes end in ``_``; ``transform`` applies
them; ``fit_transform`` does both; ``inverse_transform`` undoes ``transform``. Using a transformer
before ``fit`` raises :class:`RuntimeError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .dataset import to_numpy

__all__ = ["MinMaxScaler", "OneHotEncoder", "StandardScaler"]


class _Transformer:
    """Shared plumbing: fitted-state checks and 2-D input validation."""

    _fitted_attr = ""

    def _check_fitted(self, method: str) -> None:
        if getattr(self, self._fitted_attr, None) is None:
            name = type(self).__name__
            raise RuntimeError(
                f"{name}.{method} · expected a fitted {name} · it has not been fitted yet · "
                f"call {name}.fit(X_train) (or fit_transform) first"
            )

    def _check_2d(self, X: Any, method: str, *, numeric: bool) -> np.ndarray:
        name = type(self).__name__
        a = to_numpy(X, who=f"{name}.{method}")
        if a.ndim != 2:
            raise ValueError(
                f"{name}.{method} · expected a 2-D array (n_samples, n_features) · "
                f"got shape {a.shape} · reshape a single feature with X.reshape(-1, 1)"
            )
        if numeric and a.dtype.kind not in "biuf":
            raise TypeError(
                f"{name}.{method} · expected numeric data · got dtype {a.dtype} · "
                "encode categorical columns with OneHotEncoder first"
            )
        n_in = getattr(self, "n_features_in_", None)
        if n_in is not None and method != "fit" and a.shape[1] != n_in:
            raise ValueError(
                f"{name}.{method} · expected {n_in} features (as in fit) · got {a.shape[1]} "
                f"(shape {a.shape}) · pass the same columns that were used in fit"
            )
        return a

    def fit(self, X: Any, y: Any = None) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def transform(self, X: Any) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit to ``X``, then transform ``X``."""
        return self.fit(X, y).transform(X)


def _float(a: np.ndarray) -> np.ndarray:
    """Keep float32/float64 as they are; promote everything else to float64."""
    return a if a.dtype.kind == "f" else a.astype(np.float64)


def _positions(col: np.ndarray, cats: np.ndarray) -> np.ndarray:
    """Index of each value of ``col`` in ``cats`` (-1 where absent), by exact equality."""
    lookup = {v: i for i, v in enumerate(cats.tolist())}
    try:
        uniq, inverse = np.unique(col, return_inverse=True)
    except TypeError:  # unorderable mix of types: map value by value
        return np.array([lookup.get(v, -1) for v in col.tolist()], dtype=np.int64)
    mapped = np.array([lookup.get(v, -1) for v in uniq.tolist()], dtype=np.int64)
    return mapped[inverse.reshape(-1)]


class StandardScaler(_Transformer):
    """Standardise features: ``(X - mean_) / scale_``.

    Fitted attributes: ``mean_``, ``var_``, ``scale_`` (standard deviation; 1 for constant
    columns so they map to 0 instead of dividing by zero), ``n_features_in_``,
    ``n_samples_seen_``.

    >>> s = StandardScaler().fit(np.array([[0.0, 5.0], [2.0, 5.0]]))
    >>> s.mean_.tolist(), s.scale_.tolist()
    ([1.0, 5.0], [1.0, 1.0])
    >>> s.transform(np.array([[2.0, 5.0]])).tolist()
    [[1.0, 0.0]]
    """

    _fitted_attr = "mean_"

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std
        self.mean_: np.ndarray | None = None
        self.var_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None
        self.n_features_in_: int | None = None
        self.n_samples_seen_: int | None = None

    def fit(self, X: Any, y: Any = None) -> StandardScaler:
        """Learn per-column mean and standard deviation from ``X`` (training data only)."""
        self.n_features_in_ = None
        a = _float(self._check_2d(X, "fit", numeric=True))
        if a.shape[0] == 0:
            raise ValueError(
                "StandardScaler.fit · expected at least one sample · got shape "
                f"{a.shape} · pass the training matrix"
            )
        a64 = a.astype(np.float64)
        mean = a64.mean(axis=0)
        var = a64.var(axis=0)
        scale = np.sqrt(var)
        scale[scale < 10 * np.finfo(np.float64).eps * np.maximum(np.abs(mean), 1.0)] = 1.0
        self.mean_ = mean if self.with_mean else np.zeros_like(mean)
        self.var_ = var
        self.scale_ = scale if self.with_std else np.ones_like(scale)
        self.n_features_in_ = a.shape[1]
        self.n_samples_seen_ = a.shape[0]
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Standardise ``X`` with the statistics learned in :meth:`fit`."""
        self._check_fitted("transform")
        a = _float(self._check_2d(X, "transform", numeric=True))
        return ((a - self.mean_) / self.scale_).astype(a.dtype, copy=False)

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Map standardised values back to the original units."""
        self._check_fitted("inverse_transform")
        a = _float(self._check_2d(X, "inverse_transform", numeric=True))
        return (a * self.scale_ + self.mean_).astype(a.dtype, copy=False)


class MinMaxScaler(_Transformer):
    """Rescale each feature linearly to ``feature_range`` (default ``(0, 1)``).

    Fitted attributes: ``data_min_``, ``data_max_``, ``data_range_``, ``scale_``, ``min_``
    (``X_scaled = X * scale_ + min_``), ``n_features_in_``. Constant columns map to ``lo``.

    >>> MinMaxScaler().fit_transform(np.array([[1.0], [3.0], [2.0]])).ravel().tolist()
    [0.0, 1.0, 0.5]
    """

    _fitted_attr = "scale_"

    def __init__(self, feature_range: tuple[float, float] = (0, 1), clip: bool = False) -> None:
        lo, hi = feature_range
        if not lo < hi:
            raise ValueError(
                f"MinMaxScaler(feature_range) · expected (low, high) with low < high · "
                f"got {feature_range!r} · pass e.g. feature_range=(-1, 1)"
            )
        self.feature_range = (float(lo), float(hi))
        self.clip = clip
        self.data_min_: np.ndarray | None = None
        self.data_max_: np.ndarray | None = None
        self.data_range_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None
        self.min_: np.ndarray | None = None
        self.n_features_in_: int | None = None

    def fit(self, X: Any, y: Any = None) -> MinMaxScaler:
        """Learn per-column minimum and maximum from ``X`` (training data only)."""
        self.n_features_in_ = None
        a = _float(self._check_2d(X, "fit", numeric=True)).astype(np.float64)
        if a.shape[0] == 0:
            raise ValueError(
                f"MinMaxScaler.fit · expected at least one sample · got shape {a.shape} · "
                "pass the training matrix"
            )
        lo, hi = self.feature_range
        self.data_min_ = a.min(axis=0)
        self.data_max_ = a.max(axis=0)
        self.data_range_ = self.data_max_ - self.data_min_
        # A range under 10 machine epsilons counts as constant (as in scikit-learn): dividing by
        # a subnormal range overflows to inf and turns every value into nan.
        tiny = self.data_range_ < 10 * np.finfo(np.float64).eps
        safe_range = np.where(tiny, 1.0, self.data_range_)
        self.scale_ = (hi - lo) / safe_range
        self.min_ = lo - self.data_min_ * self.scale_
        self.n_features_in_ = a.shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Rescale ``X`` with the range learned in :meth:`fit`."""
        self._check_fitted("transform")
        a = _float(self._check_2d(X, "transform", numeric=True))
        out = a * self.scale_ + self.min_
        if self.clip:
            out = np.clip(out, *self.feature_range)
        return out.astype(a.dtype, copy=False)

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Map rescaled values back to the original units."""
        self._check_fitted("inverse_transform")
        a = _float(self._check_2d(X, "inverse_transform", numeric=True))
        return ((a - self.min_) / self.scale_).astype(a.dtype, copy=False)


class OneHotEncoder(_Transformer):
    """One-hot encode categorical columns (strings, objects or integers).

    Args:
        categories: ``"auto"`` (learn the sorted unique values of each column) or a list with
            one sequence of allowed values per column.
        handle_unknown: ``"error"`` (unknown value at transform time raises ``ValueError``) or
            ``"ignore"`` (its block of columns is all zeros).
        dtype: dtype of the encoded matrix.

    Fitted attributes: ``categories_`` (one array per input column), ``n_features_in_``.

    >>> enc = OneHotEncoder().fit(np.array([["red"], ["blue"], ["red"]], dtype=object))
    >>> enc.categories_[0].tolist(), enc.transform(np.array([["red"]], dtype=object)).tolist()
    (['blue', 'red'], [[0.0, 1.0]])
    >>> enc.get_feature_names_out(["colour"]).tolist()
    ['colour_blue', 'colour_red']
    """

    _fitted_attr = "categories_"

    def __init__(
        self,
        handle_unknown: str = "error",
        categories: str | Sequence[Sequence[Any]] = "auto",
        dtype: Any = np.float32,
    ) -> None:
        if handle_unknown not in ("error", "ignore"):
            raise ValueError(
                "OneHotEncoder(handle_unknown) · expected 'error' or 'ignore' · "
                f"got {handle_unknown!r} · pick one of the two"
            )
        if isinstance(categories, str) and categories != "auto":
            raise ValueError(
                f"OneHotEncoder(categories) · expected 'auto' or a list of value lists · "
                f"got {categories!r} · pass categories='auto'"
            )
        self.handle_unknown = handle_unknown
        self.categories = categories
        self.dtype = dtype
        self.categories_: list[np.ndarray] | None = None
        self.n_features_in_: int | None = None

    def fit(self, X: Any, y: Any = None) -> OneHotEncoder:
        """Learn the categories of every column of ``X`` (training data only)."""
        self.n_features_in_ = None
        a = self._check_2d(X, "fit", numeric=False)
        if isinstance(self.categories, str):
            cats = [np.unique(a[:, j]) for j in range(a.shape[1])]
        else:
            if len(self.categories) != a.shape[1]:
                raise ValueError(
                    f"OneHotEncoder.fit · expected one category list per column "
                    f"({a.shape[1]} columns) · got {len(self.categories)} lists · "
                    "pass categories=[values_col0, values_col1, ...]"
                )
            cats = [np.asarray(list(c), dtype=object) for c in self.categories]
            for j, c in enumerate(cats):
                col = a[:, j]
                unknown = col[_positions(col, c) < 0]
                if unknown.size and self.handle_unknown == "error":
                    bad = list(dict.fromkeys(unknown.tolist()))[:5]
                    raise ValueError(
                        f"OneHotEncoder.fit · expected column {j} values in the given "
                        f"categories {c.tolist()!r:.80} · found {bad!r} · "
                        "add them to categories or use handle_unknown='ignore'"
                    )
        self.categories_ = cats
        self.n_features_in_ = a.shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Encode ``X`` into a dense 0/1 matrix with one block of columns per input column."""
        self._check_fitted("transform")
        a = self._check_2d(X, "transform", numeric=False)
        widths = [len(c) for c in self.categories_]
        out = np.zeros((a.shape[0], sum(widths)), dtype=self.dtype)
        offset = 0
        rows = np.arange(a.shape[0])
        for j, cats in enumerate(self.categories_):
            col = a[:, j]
            pos = _positions(col, cats)
            known = pos >= 0
            if not known.all() and self.handle_unknown == "error":
                bad = list(dict.fromkeys(col[~known].tolist()))[:5]
                raise ValueError(
                    f"OneHotEncoder.transform · expected column {j} values seen in fit "
                    f"({cats.tolist()!r:.80}) · got unknown {bad!r} · "
                    "refit on data that contains them or use handle_unknown='ignore'"
                )
            out[rows[known], offset + pos[known]] = 1
            offset += widths[j]
        return out

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Decode a one-hot matrix; an all-zero block (unknown value) decodes to ``None``."""
        self._check_fitted("inverse_transform")
        a = to_numpy(X, who="OneHotEncoder.inverse_transform")
        widths = [len(c) for c in self.categories_]
        if a.ndim != 2 or a.shape[1] != sum(widths):
            raise ValueError(
                f"OneHotEncoder.inverse_transform · expected shape (n, {sum(widths)}) · "
                f"got {a.shape} · pass the output of transform"
            )
        out = np.empty((a.shape[0], len(widths)), dtype=object)
        offset = 0
        for j, cats in enumerate(self.categories_):
            block = a[:, offset : offset + widths[j]]
            idx = block.argmax(axis=1)
            values = cats[idx].astype(object)
            values[block.max(axis=1) <= 0] = None
            out[:, j] = values
            offset += widths[j]
        return out

    def get_feature_names_out(self, input_features: Sequence[str] | None = None) -> np.ndarray:
        """Names of the output columns: ``f"{input_feature}_{category}"``.

        ``input_features`` defaults to ``x0, x1, ...``.
        """
        self._check_fitted("get_feature_names_out")
        if input_features is None:
            input_features = [f"x{j}" for j in range(len(self.categories_))]
        if len(input_features) != len(self.categories_):
            raise ValueError(
                f"OneHotEncoder.get_feature_names_out · expected {len(self.categories_)} "
                f"input feature names · got {len(input_features)} · pass one name per column"
            )
        names = [f"{f}_{c}" for f, cats in zip(input_features, self.categories_) for c in cats]
        return np.asarray(names, dtype=object)
