"""Input checks shared by every metric in :mod:`neuronlab.metrics`.

Every error raised here follows one pattern, so that a learner can act on it::

    WHO failed: what was expected, got WHAT ARRIVED (shape, dtype, value); HOW TO FIX.

``ValueError`` is raised for bad values or shapes, ``TypeError`` for wrong types
(for instance strings where numbers are needed, or string labels mixed with numbers).

>>> check_same_length("f1_score", y_true=np.zeros(3), y_pred=np.zeros(2))
Traceback (most recent call last):
...
ValueError: f1_score: y_true and y_pred must have the same number of samples, got 3 and 2; \
pass one entry for every sample in both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["UndefinedMetricWarning"]


class UndefinedMetricWarning(UserWarning):
    """Warned when a metric is ill-defined for the data it was given.

    Example: precision of a class that was never predicted (TP + FP = 0). The metric
    then returns the ``zero_division`` value (0.0 for ``'warn'``) instead of failing.
    """


# ---------------------------------------------------------------------------------------
# small formatting helpers
# ---------------------------------------------------------------------------------------


def describe(a: np.ndarray) -> str:
    """Short description of an array for error messages: shape, dtype, first values."""
    head = a.ravel()[:4].tolist()
    more = ", ..." if a.size > 4 else ""
    values = ", ".join(repr(v) for v in head)
    return f"shape {a.shape}, dtype {a.dtype}, values [{values}{more}]"


def _first_bad(mask: np.ndarray, a: np.ndarray) -> str:
    index = int(np.flatnonzero(mask.ravel())[0])
    return f"{a.ravel()[index].item()!r} at flat index {index}"


def as_array(who: str, name: str, value: Any) -> np.ndarray:
    """Convert ``value`` to a NumPy array, refusing ``None``, scalars and ragged input."""
    if value is None:
        raise TypeError(
            f"{who}: {name} must be an array-like (list, tuple or NumPy array), got None; "
            f"pass the {name} values."
        )
    if isinstance(value, (str, bytes, dict, set)):
        raise TypeError(
            f"{who}: {name} must be an array-like (list, tuple or NumPy array), "
            f"got {type(value).__name__} {value!r:.60}; pass a list or an array."
        )
    try:
        arr = np.asarray(value)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(
            f"{who}: {name} must be a rectangular array, got a ragged sequence ({exc}); "
            "make every row the same length."
        ) from None
    if arr.ndim == 0:
        raise TypeError(
            f"{who}: {name} must be an array-like with one entry per sample, got the scalar "
            f"{type(value).__name__} {value!r}; wrap it in a list, e.g. [{value!r}]."
        )
    return arr


# ---------------------------------------------------------------------------------------
# lengths and weights
# ---------------------------------------------------------------------------------------


def check_same_length(who: str, **arrays: np.ndarray) -> int:
    """Check that all arrays have the same number of samples (first axis); return it.

    The message names the arrays in the order they were given.
    """
    names = list(arrays)
    lengths = [int(np.shape(a)[0]) for a in arrays.values()]
    if len(set(lengths)) > 1:
        joined = " and ".join(names) if len(names) == 2 else ", ".join(names)
        got = " and ".join(str(n) for n in lengths)
        every = "both" if len(names) == 2 else "each of them"
        raise ValueError(
            f"{who}: {joined} must have the same number of samples, got {got}; "
            f"pass one entry for every sample in {every}."
        )
    if lengths and lengths[0] == 0:
        raise ValueError(
            f"{who}: at least one sample is needed, got empty {names[0]}; "
            "compute the metric on a non-empty batch."
        )
    return lengths[0] if lengths else 0


def check_sample_weight(who: str, sample_weight: Any, n_samples: int) -> np.ndarray | None:
    """Validate ``sample_weight``: 1-D, one finite non-negative weight per sample.

    Integer and boolean weights keep an integer dtype (so that counts stay exact);
    anything else becomes float64. Returns ``None`` when no weights were given.
    """
    if sample_weight is None:
        return None
    w = as_array(who, "sample_weight", sample_weight)
    if w.dtype.kind not in "biuf":
        raise TypeError(
            f"{who}: sample_weight must be numeric, got {describe(w)}; pass one number per sample."
        )
    if w.ndim != 1:
        raise ValueError(
            f"{who}: sample_weight must be 1-D with one weight per sample ({n_samples}), "
            f"got shape {w.shape}; flatten it with np.ravel."
        )
    if w.shape[0] != n_samples:
        raise ValueError(
            f"{who}: sample_weight must have one weight per sample ({n_samples}), "
            f"got {w.shape[0]}; pass exactly one weight for every sample."
        )
    if w.dtype.kind == "b":
        w = w.astype(np.int64)
    elif w.dtype.kind == "f":
        w = w.astype(np.float64, copy=False)
        bad = ~np.isfinite(w)
        if bad.any():
            raise ValueError(
                f"{who}: sample_weight must be finite, got {_first_bad(bad, w)}; "
                "replace NaN/inf weights."
            )
    if (w < 0).any():
        raise ValueError(
            f"{who}: sample_weight must be non-negative, got {_first_bad(w < 0, w)}; "
            "use weights >= 0."
        )
    return w


# ---------------------------------------------------------------------------------------
# classification labels
# ---------------------------------------------------------------------------------------


def _label_kind(who: str, name: str, y: np.ndarray, original: Any) -> tuple[np.ndarray, str]:
    """Return ``(y, kind)`` where kind is ``'str'`` or ``'num'``; reject other types."""
    k = y.dtype.kind
    if k in "US":
        if not isinstance(original, np.ndarray):
            # NumPy silently turns ["a", 1] into ["a", "1"]: look at the original items.
            items = np.asarray(original, dtype=object).ravel()
            if not all(isinstance(v, (str, bytes)) for v in items):
                raise TypeError(
                    f"{who}: {name} mixes string and number labels "
                    f"(e.g. {items[:4].tolist()!r}); use one type for all labels."
                )
        return y, "str"
    if k == "O":
        items = y.ravel()
        is_str = [isinstance(v, (str, bytes)) for v in items]
        if all(is_str):
            return y.astype(str), "str"
        if any(is_str):
            raise TypeError(
                f"{who}: {name} mixes string and number labels (e.g. {items[:4].tolist()!r}); "
                "use one type for all labels."
            )
        try:
            y = y.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(
                f"{who}: {name} must hold int, bool or string labels, got {describe(y)}; "
                "convert the labels to one of those types."
            ) from None
        k = "f"
    if k in "biu":
        return y, "num"
    if k == "f":
        bad = ~np.isfinite(y)
        if bad.any():
            raise ValueError(
                f"{who}: {name} must not contain NaN or inf, got {_first_bad(bad, y)}; "
                "drop or fill those samples first."
            )
        frac = y != np.round(y)
        if frac.any():
            raise ValueError(
                f"{who}: {name} must hold class labels, got continuous values "
                f"({describe(y)}, e.g. {_first_bad(frac, y)}); turn scores into labels "
                "first, e.g. (y_score >= 0.5).astype(int) or y_prob.argmax(axis=1)."
            )
        return y, "num"
    raise TypeError(
        f"{who}: {name} must hold int, bool or string labels, got {describe(y)}; "
        "convert the labels to one of those types."
    )


def check_label_array(who: str, name: str, y: Any) -> tuple[np.ndarray, str]:
    """A 1-D array of class labels (an ``(n, 1)`` column is flattened) and its kind."""
    arr = as_array(who, name, y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(
            f"{who}: {name} must be a 1-D array of class labels, got shape {arr.shape}; "
            "multilabel/multioutput targets are not supported - for one-hot rows or "
            "class scores pass y.argmax(axis=1)."
        )
    return _label_kind(who, name, arr, y)


def check_same_label_kind(who: str, **kinds: str) -> None:
    """Raise ``TypeError`` when string labels meet number labels."""
    if len(set(kinds.values())) > 1:
        desc = ", ".join(
            f"{n} has {'strings' if k == 'str' else 'numbers'}" for n, k in kinds.items()
        )
        raise TypeError(
            f"{who}: all labels must be of one type (all strings or all numbers), got: "
            f"{desc}; encode them the same way."
        )


@dataclass(frozen=True)
class Targets:
    """Validated classification targets."""

    y_true: np.ndarray
    y_pred: np.ndarray
    classes: np.ndarray  # sorted union of the labels found in y_true and y_pred
    kind: str  # 'binary' (at most 2 classes) or 'multiclass'
    label_kind: str  # 'str' or 'num'
    sample_weight: np.ndarray | None


def check_targets(who: str, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Targets:
    """Validate a pair of label vectors the way every classification metric needs."""
    t, kt = check_label_array(who, "y_true", y_true)
    p, kp = check_label_array(who, "y_pred", y_pred)
    n = check_same_length(who, y_true=t, y_pred=p)
    check_same_label_kind(who, y_true=kt, y_pred=kp)
    w = check_sample_weight(who, sample_weight, n)
    classes = np.unique(np.concatenate([t, p]))
    kind = "binary" if classes.shape[0] <= 2 else "multiclass"
    return Targets(t, p, classes, kind, kt, w)


def check_labels_param(who: str, labels: Any, label_kind: str | None) -> np.ndarray:
    """Validate a user-supplied ``labels=`` list: non-empty, unique, same type as y."""
    arr, kind = check_label_array(who, "labels", labels)
    if arr.shape[0] == 0:
        raise ValueError(
            f"{who}: labels must contain at least one label, got an empty list; "
            "pass labels=None to use the labels found in the data."
        )
    uniq, counts = np.unique(arr, return_counts=True)
    if (counts > 1).any():
        raise ValueError(
            f"{who}: labels must be unique, got {arr.tolist()!r} where "
            f"{uniq[counts > 1].tolist()!r} repeat; list every label once."
        )
    if label_kind is not None and kind != label_kind:
        want = "strings" if label_kind == "str" else "numbers"
        raise TypeError(
            f"{who}: labels must be of the same type as y ({want}), got {arr.tolist()!r}; "
            "pass labels exactly as they appear in y_true/y_pred."
        )
    return arr


def encode(y: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Index of each entry of ``y`` in ``labels`` (any order); -1 where it is absent."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    pos = np.searchsorted(sorted_labels, y)
    pos = np.minimum(pos, len(labels) - 1)
    found = sorted_labels[pos] == y
    return np.where(found, order[pos], -1)


def check_zero_division(who: str, zero_division: Any) -> float:
    """Return the value used for 0/0 results: 0.0 for ``'warn'``, else 0, 1 or NaN."""
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return 0.0
    elif isinstance(zero_division, (int, float, np.integer, np.floating)):
        value = float(zero_division)
        if value in (0.0, 1.0) or math.isnan(value):
            return value
    raise ValueError(
        f"{who}: zero_division must be 'warn', 0, 1 or np.nan, got {zero_division!r}; "
        "pick one of those."
    )


def check_option(who: str, name: str, value: Any, allowed: tuple[Any, ...]) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``allowed``."""
    if not any(value is a or (isinstance(a, str) and value == a) for a in allowed):
        raise ValueError(
            f"{who}: {name} must be one of {list(allowed)!r}, got {value!r}; "
            "choose one of the listed options."
        )


# ---------------------------------------------------------------------------------------
# scores, probabilities and regression values
# ---------------------------------------------------------------------------------------


def check_float_array(who: str, name: str, value: Any, *, max_ndim: int = 1) -> np.ndarray:
    """A finite float array (``int``/``bool`` are converted; strings are refused).

    With ``max_ndim=1`` an ``(n, 1)`` column is flattened to 1-D.
    """
    arr = as_array(who, name, value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{who}: {name} must be numeric, got {describe(arr)}; "
            "pass numbers (scores, probabilities or values)."
        )
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    if max_ndim == 1 and arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim > max_ndim:
        shape_txt = "1-D" if max_ndim == 1 else f"at most {max_ndim}-D"
        raise ValueError(
            f"{who}: {name} must be {shape_txt}, got shape {arr.shape}; "
            "pass one value per sample"
            + (" (for one column of a 2-D array use y[:, j])." if max_ndim == 1 else ".")
        )
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(
            f"{who}: {name} must not contain NaN or inf, got {_first_bad(bad, arr)}; "
            "check the model output (e.g. a diverged loss) or drop those samples."
        )
    return arr


def check_regression_targets(
    who: str,
    y_true: Any,
    y_pred: Any,
    sample_weight: Any,
    multioutput: Any,
    allowed: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, Any]:
    """Validate regression targets; return 2-D ``(n, n_outputs)`` arrays.

    ``multioutput`` is either one of ``allowed`` or an array of per-output weights.
    """
    t = check_float_array(who, "y_true", y_true, max_ndim=2)
    p = check_float_array(who, "y_pred", y_pred, max_ndim=2)
    n = check_same_length(who, y_true=t, y_pred=p)
    t = t.reshape(n, -1)
    p = p.reshape(n, -1)
    if t.shape[1] != p.shape[1]:
        raise ValueError(
            f"{who}: y_true and y_pred must have the same number of outputs, got "
            f"{t.shape[1]} and {p.shape[1]} (shapes {t.shape} and {p.shape}); "
            "predict every output column."
        )
    w = check_sample_weight(who, sample_weight, n)
    if w is not None:
        w = w.astype(np.float64)
    if isinstance(multioutput, str):
        check_option(who, "multioutput", multioutput, allowed)
    else:
        m = check_float_array(who, "multioutput", multioutput)
        if t.shape[1] == 1:
            raise ValueError(
                f"{who}: custom multioutput weights need several outputs, got one output; "
                "pass multioutput='uniform_average' for single-output data."
            )
        if m.shape[0] != t.shape[1]:
            raise ValueError(
                f"{who}: multioutput must have one weight per output ({t.shape[1]}), got "
                f"{m.shape[0]}; pass exactly one weight for each column."
            )
        multioutput = m
    return t, p, w, multioutput


def weighted_mean(
    values: np.ndarray, weights: np.ndarray | None, who: str, axis: int | None = None
) -> Any:
    """``sum(w * v) / sum(w)`` (plain mean when ``weights`` is None)."""
    if weights is None:
        return np.mean(values, axis=axis)
    total = np.sum(weights, axis=None if axis is None else 0)
    if np.any(total == 0):
        raise ValueError(
            f"{who}: sample_weight sums to zero, so the weighted mean is undefined; "
            "give at least one sample a positive weight."
        )
    if axis is not None and values.ndim > 1:
        weights = weights.reshape(-1, *([1] * (values.ndim - 1)))
    return np.sum(values * weights, axis=axis) / total
