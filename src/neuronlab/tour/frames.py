"""Standard shapes of experiment results and frames: series, grids, points, tables.

Experiments return plain data; these helpers build the few shapes that the web views and the
terminal know how to draw. A grid travels as base64 of ``uint8`` levels (see
``docs/lab-architecture.md``, "Grids").

>>> g = grid([[1.0, -1.0], [0.0, 0.5]])
>>> g["w"], g["h"], g["data"]
(2, 2, '/wCAvw==')
>>> decode_grid(g).round(2).tolist()
[[1.0, -1.0], [0.0, 0.5]]
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["bars", "decode_grid", "grid", "images", "points", "series", "table", "to_jsonable"]


def to_jsonable(value: Any) -> Any:
    """Plain JSON data from numpy arrays/scalars, tuples and dicts; NaN/inf become ``None``."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            return to_jsonable(value.tolist())
        return value.tolist()
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    return value


def series(x: Sequence[float], *, xlabel: str = "step", ylabel: str = "", **ys) -> dict:
    """Named curves sharing one x axis: ``series(steps, train=losses, test=test_losses)``."""
    return {
        "kind": "series",
        "x": to_jsonable(np.asarray(x, dtype=float)),
        "xlabel": xlabel,
        "ylabel": ylabel,
        "ys": {name: to_jsonable(np.asarray(y, dtype=float)) for name, y in ys.items()},
    }


def grid(
    values,
    extent: Sequence[float] = (-1.0, 1.0, -1.0, 1.0),
    lo: float = -1.0,
    hi: float = 1.0,
) -> dict:
    """A ``(h, w)`` array, row 0 at the top, clipped to ``[lo, hi]`` and sent as 256 levels."""
    a = np.asarray(values, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"grid(values) expected a 2-D array, got shape {a.shape}")
    if not hi > lo:
        raise ValueError(f"grid(lo, hi) expected lo < hi, got lo={lo}, hi={hi}")
    a = np.nan_to_num(a, nan=(lo + hi) / 2, posinf=hi, neginf=lo)
    levels = np.rint((np.clip(a, lo, hi) - lo) / (hi - lo) * 255).astype(np.uint8)
    return {
        "kind": "grid",
        "w": int(a.shape[1]),
        "h": int(a.shape[0]),
        "lo": float(lo),
        "hi": float(hi),
        "extent": [float(e) for e in extent],
        "data": base64.b64encode(levels.tobytes()).decode("ascii"),
    }


def decode_grid(g: dict) -> np.ndarray:
    """The ``(h, w)`` float array of a :func:`grid` (values back in ``[lo, hi]``)."""
    levels = np.frombuffer(base64.b64decode(g["data"]), dtype=np.uint8).astype(np.float64)
    return (g["lo"] + levels / 255 * (g["hi"] - g["lo"])).reshape(g["h"], g["w"])


def points(X, y, test=None) -> dict:
    """Labelled 2-D points for a heat-map overlay (``test``: optional booleans per point)."""
    out = {
        "kind": "points",
        "x": to_jsonable(np.round(np.asarray(X, dtype=float), 4)),
        "y": to_jsonable(np.asarray(y)),
    }
    if test is not None:
        out["test"] = [bool(t) for t in test]
    return out


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "") -> dict:
    """A small table: column names and rows of plain values."""
    return {
        "kind": "table",
        "title": title,
        "columns": list(columns),
        "rows": to_jsonable([list(r) for r in rows]),
    }


def images(rows: Sequence[tuple[str, Sequence[dict]]], title: str = "") -> dict:
    """Rows of small pictures (filters, feature maps, attention maps): ``[(label, [grid, ...])]``.

    A grid with ``lo == 0`` is drawn in grey levels, one with ``lo < 0`` in the diverging map.
    """
    return {
        "kind": "images",
        "title": title,
        "rows": [{"label": label, "grids": list(grids)} for label, grids in rows],
    }


def bars(labels: Sequence[str], log: bool = False, title: str = "", **values) -> dict:
    """One bar per label for each named list of values (a log axis with ``log``)."""
    return {
        "kind": "bars",
        "title": title,
        "labels": [str(label) for label in labels],
        "values": {name: to_jsonable(np.asarray(v, dtype=float)) for name, v in values.items()},
        "log": bool(log),
    }
