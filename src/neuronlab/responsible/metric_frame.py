"""``MetricFrame``: any metric, computed over the whole data set and for each group on its own.

A fairness audit asks one question of many metrics: does the model treat the groups defined by a
sensitive feature (sex, race...) alike? ``MetricFrame`` splits the samples by group, calls each
metric on each group's rows, and compares the results::

    by_group[g]        = metric(y_true[A == g], y_pred[A == g])
    difference()       = max_g by_group[g] - min_g by_group[g]          (method='between_groups')
                       = max_g |by_group[g] - overall|                  (method='to_overall')
    ratio()            = min_g by_group[g] / max_g by_group[g]          (method='between_groups')
                       = min_g min(r_g, 1 / r_g), r_g = by_group[g] / overall   ('to_overall')

Names, arguments and numbers follow Fairlearn's ``MetricFrame``; results are plain Python
(a number per group in a dict, groups in sorted order) instead of pandas objects. With several
metrics (a dict), ``overall``, ``difference()`` ... are dicts by metric name and ``by_group`` is
``{metric_name: {group: value}}``, which reads like the pandas frame's ``by_group[name][group]``.
Several sensitive features (a dict of columns or a 2-D array) make tuple-valued groups.

>>> from neuronlab.responsible import selection_rate
>>> mf = MetricFrame(metrics=selection_rate, y_true=[0, 1, 1, 0], y_pred=[1, 1, 0, 0],
...                  sensitive_features=["a", "a", "b", "b"])
>>> mf.overall, mf.by_group, mf.difference(), mf.ratio()
(0.5, {'a': 1.0, 'b': 0.0}, 1.0, 0.0)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..metrics import UndefinedMetricWarning

__all__ = ["MetricFrame", "group_masks"]

_METHODS = ("between_groups", "to_overall")


def _columns(sensitive_features: Any, n: int) -> list[np.ndarray]:
    """The sensitive features as a list of 1-D columns of length ``n``."""
    if sensitive_features is None:
        raise ValueError(
            "MetricFrame: sensitive_features is required (one group label per sample), got None"
        )
    if isinstance(sensitive_features, dict):
        columns = [np.asarray(c, dtype=object) for c in sensitive_features.values()]
    else:
        array = np.asarray(sensitive_features, dtype=object)
        if array.ndim == 1:
            columns = [array]
        elif array.ndim == 2:
            columns = [array[:, j] for j in range(array.shape[1])]
        else:
            raise ValueError(
                "MetricFrame: sensitive_features must be 1-D (one feature) or 2-D (one column "
                f"per feature), got shape {array.shape}"
            )
    for column in columns:
        if column.ndim != 1 or len(column) != n:
            raise ValueError(
                f"MetricFrame: sensitive_features must have one entry per sample ({n}, as "
                f"y_true), got {len(column) if column.ndim == 1 else column.shape}; pass the "
                "group of every sample, in the same order as y_true"
            )
    return columns


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def group_masks(sensitive_features: Any, n: int) -> dict[Any, np.ndarray]:
    """``{group: boolean mask}`` for every group present, groups sorted (tuples for several
    features)."""
    columns = _columns(sensitive_features, n)
    keys = list(zip(*[[_plain(v) for v in c] for c in columns]))
    groups = sorted(set(keys), key=lambda k: tuple((str(type(v)), v) for v in k))
    index = {g: i for i, g in enumerate(groups)}
    codes = np.fromiter((index[k] for k in keys), dtype=np.int64, count=n)
    single = len(columns) == 1
    return {(g[0] if single else g): codes == i for i, g in enumerate(groups)}


def _scalar(value: Any) -> float | None:
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    if np.isscalar(value) and isinstance(value, (int, float, np.number)):
        return float(value)
    return None


class MetricFrame:
    """Metrics overall and per group; see the module docstring for the formulas."""

    def __init__(
        self,
        *,
        metrics: Callable | dict[str, Callable],
        y_true,
        y_pred,
        sensitive_features,
        sample_params: dict | None = None,
    ) -> None:
        self._single = callable(metrics)
        if not self._single and not (isinstance(metrics, dict) and metrics):
            raise TypeError(
                "MetricFrame: metrics must be a function metric(y_true, y_pred) or a non-empty "
                f"dict of them by name, got {type(metrics).__name__}"
            )
        self._metrics = {"metric": metrics} if self._single else dict(metrics)
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        if len(y_true) != len(y_pred):
            raise ValueError(
                f"MetricFrame: y_true and y_pred must have the same number of samples, got "
                f"{len(y_true)} and {len(y_pred)}"
            )
        n = len(y_true)
        masks = group_masks(sensitive_features, n)
        params = self._params(sample_params or {}, n)
        self._overall, self._by_group = {}, {}
        for name, fn in self._metrics.items():
            self._overall[name] = _plain(fn(y_true, y_pred, **params[name]))
            self._by_group[name] = {
                g: _plain(fn(y_true[m], y_pred[m], **{k: v[m] for k, v in params[name].items()}))
                for g, m in masks.items()
            }

    def _params(self, sample_params: dict, n: int) -> dict[str, dict[str, np.ndarray]]:
        per_metric = {"metric": sample_params} if self._single else sample_params
        unknown = set(per_metric) - set(self._metrics)
        if unknown:
            raise ValueError(
                f"MetricFrame: sample_params names metrics {sorted(unknown)} that are not in "
                f"metrics {sorted(self._metrics)}"
            )
        out = {}
        for name in self._metrics:
            arrays = {}
            for key, value in (per_metric.get(name) or {}).items():
                if value is None:
                    continue
                array = np.asarray(value)
                if len(array) != n:
                    raise ValueError(
                        f"MetricFrame: sample parameter {key!r} must have one entry per sample "
                        f"({n}), got {len(array)}"
                    )
                arrays[key] = array
            out[name] = arrays
        return out

    # -- results ------------------------------------------------------------------------------
    def _out(self, values: dict[str, Any]) -> Any:
        return values["metric"] if self._single else values

    @property
    def overall(self) -> Any:
        """The metric on all samples (a dict by metric name for several metrics)."""
        return self._out(self._overall)

    @property
    def by_group(self) -> dict:
        """``{group: value}`` (``{metric_name: {group: value}}`` for several metrics)."""
        return self._out({k: dict(v) for k, v in self._by_group.items()})

    def _values(self, name: str, errors: str) -> np.ndarray:
        if errors not in ("raise", "coerce"):
            raise ValueError(f"MetricFrame: errors must be 'raise' or 'coerce', got {errors!r}")
        values = []
        for g, v in self._by_group[name].items():
            s = _scalar(v)
            if s is None and errors == "raise":
                raise ValueError(
                    f"MetricFrame: metric {name!r} gave a non-scalar value for group {g!r}, so "
                    "it has no minimum or maximum; pass errors='coerce' to treat it as NaN"
                )
            values.append(math.nan if s is None else s)
        return np.asarray(values, dtype=float)

    def group_min(self, errors: str = "raise") -> Any:
        """The smallest group value (NaN groups skipped)."""
        return self._out(
            {n: _nan_reduce(np.nanmin, self._values(n, errors)) for n in self._metrics}
        )

    def group_max(self, errors: str = "raise") -> Any:
        """The largest group value (NaN groups skipped)."""
        return self._out(
            {n: _nan_reduce(np.nanmax, self._values(n, errors)) for n in self._metrics}
        )

    def difference(self, method: str = "between_groups", errors: str = "coerce") -> Any:
        """The largest gap between two groups, or between a group and the overall value."""
        _check_method(method, "difference")
        out = {}
        for name in self._metrics:
            values = self._values(name, errors)
            base = (
                _nan_reduce(np.nanmin, values)
                if method == "between_groups"
                else (_scalar(self._overall[name]))
            )
            base = math.nan if base is None else base
            out[name] = _nan_reduce(np.nanmax, np.abs(values - base))
        return self._out(out)

    def ratio(self, method: str = "between_groups", errors: str = "coerce") -> Any:
        """The smallest ratio (at most 1) between two groups, or a group and the overall value;
        NaN, with an ``UndefinedMetricWarning``, when it divides zero by zero."""
        _check_method(method, "ratio")
        out = {}
        for name in self._metrics:
            values = self._values(name, errors)
            with np.errstate(divide="ignore", invalid="ignore"):
                if method == "between_groups":
                    r = float(
                        np.float64(_nan_reduce(np.nanmin, values)) / _nan_reduce(np.nanmax, values)
                    )
                else:
                    overall = _scalar(self._overall[name])
                    ratios = values / np.float64(math.nan if overall is None else overall)
                    ratios = np.where(ratios > 1, 1 / ratios, ratios)
                    r = _nan_reduce(np.nanmin, ratios)
            if math.isnan(r):
                warnings.warn(
                    f"MetricFrame.ratio: the ratio of {name!r} is undefined (0 / 0: the groups' "
                    f"values are {self._by_group[name]}); it is NaN, as in Fairlearn. Compare "
                    "with difference() instead, or check that every group has the examples the "
                    "metric needs (positives for a true positive rate)",
                    UndefinedMetricWarning,
                    stacklevel=2,
                )
            out[name] = float(r)
        return self._out(out)


def _nan_reduce(fn, values: np.ndarray) -> float:
    if values.size == 0 or np.all(np.isnan(values)):
        return math.nan
    return float(fn(values))


def _check_method(method: str, who: str) -> None:
    if method not in _METHODS:
        raise ValueError(
            f"MetricFrame.{who}: method must be one of {list(_METHODS)}, got {method!r}"
        )
