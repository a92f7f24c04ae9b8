"""The playground's data: generated toy sets, the user's own points, the train/validation/test
split, the plane's grid, and the CSV reader with messages that name the line and the reason.

The input features themselves are a layer of the network (``models.PointFeatures``).
"""

from __future__ import annotations

import math

import numpy as np

from ....data import toy
from .config import PlaygroundConfig
from .params import DOMAIN, MAX_CLASSES, MAX_CSV_BYTES, MAX_POINTS

MAX_CSV_ERRORS = 5


def grid_points(size: int) -> np.ndarray:
    """Cell centres of a ``size`` x ``size`` grid over the plane, row 0 at the top (x2 = +6).

    Row-major, so ``values.reshape(size, size)`` is an image the page draws as it comes.
    """
    step = 2 * DOMAIN / size
    centres = -DOMAIN + step * (np.arange(size) + 0.5)
    x1, x2 = np.meshgrid(centres, centres[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1).astype(np.float32)


def generate(cfg: PlaygroundConfig) -> tuple[np.ndarray, np.ndarray]:
    """All points of the configured data set (generated, or the user's), before the split."""
    if cfg.dataset == "custom":
        pts = np.asarray(cfg.points, dtype=np.float64).reshape(-1, 3)
        X, y = pts[:, :2], pts[:, 2]
    else:
        make = getattr(toy, cfg.dataset)
        kwargs = {"n_classes": cfg.classes} if cfg.dataset in ("gaussian", "spiral") else {}
        X, y = make(cfg.n_samples, noise=cfg.noise / 100, seed=cfg.seed, **kwargs)
    y_dtype = np.float32 if cfg.problem == "regression" else np.int64
    return X.astype(np.float32), y.astype(y_dtype)


def split(cfg: PlaygroundConfig) -> dict[str, np.ndarray]:
    """``X_train, y_train, X_val, y_val, X_test, y_test``: float32 points, labels as the loss
    wants them (int64 classes, float32 targets).

    ``train_ratio`` percent of the points form the training share, of which ``val_fraction``
    percent (at least one point when it is above 0) are held out for validation; the rest are
    test points, only looked at. Clicked points on a generated set join the training points.
    """
    X, y = generate(cfg)
    rng = np.random.default_rng(cfg.seed + 1)
    order = rng.permutation(len(X))
    least = 2 if cfg.val_fraction else 1  # a validation point needs a training point beside it
    n_share = max(least, min(len(X) - 1, round(len(X) * cfg.train_ratio / 100)))
    n_val = max(1, round(n_share * cfg.val_fraction / 100)) if cfg.val_fraction else 0
    train, val, test = order[n_val:n_share], order[:n_val], order[n_share:]
    X_train, y_train = X[train], y[train]
    if cfg.dataset != "custom" and cfg.points:
        extra = np.asarray(cfg.points, dtype=np.float32)
        X_train = np.concatenate([X_train, extra[:, :2]])
        y_train = np.concatenate([y_train, extra[:, 2].astype(y.dtype)])
    return {"X_train": X_train, "y_train": y_train, "X_val": X[val], "y_val": y[val],
            "X_test": X[test], "y_test": y[test]}  # fmt: skip


class CSVError(ValueError):
    """A CSV upload that cannot be used; ``errors`` lists ``(line, reason)`` pairs."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("; ".join(f"line {n}: {why}" if n else why for n, why in errors))


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _rows(text: str) -> tuple[list[tuple[int, float, float, str]], list[tuple[int, str]]]:
    rows, errors = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != 3:
            errors.append(
                (
                    n,
                    f"expected 3 comma-separated values (x1,x2,label), got "
                    f"{len(cells)}: {line[:40]!r}",
                )
            )
        else:
            x1, x2 = _number(cells[0]), _number(cells[1])
            if x1 is None or x2 is None:
                if not rows and not errors and (x1 is None and x2 is None):
                    continue  # a header such as "x1,x2,label"
                bad = cells[0] if x1 is None else cells[1]
                errors.append((n, f"{bad[:20]!r} is not a finite number"))
            elif not cells[2]:
                errors.append((n, "the label is empty"))
            else:
                rows.append((n, x1, x2, cells[2]))
        if len(errors) >= MAX_CSV_ERRORS:
            break
    return rows, errors


def _labels(rows, problem: str) -> tuple[list[float], list[str], list[tuple[int, str]]]:
    if problem == "regression":
        values, errors = [], []
        for n, _, _, label in rows:
            v = _number(label)
            if v is None:
                errors.append((n, f"the target {label[:20]!r} is not a finite number"))
            values.append(v or 0.0)
        return values, [], errors[:MAX_CSV_ERRORS]
    names: list[str] = []
    for n, _, _, label in rows:
        if label not in names:
            names.append(label)
            if len(names) > MAX_CLASSES:
                return (
                    [],
                    [],
                    [
                        (
                            n,
                            f"label {label[:20]!r} is class {len(names)}; the playground "
                            f"takes at most {MAX_CLASSES} classes",
                        )
                    ],
                )
    numeric = all(_number(s) is not None for s in names)
    names.sort(key=(lambda s: float(s)) if numeric else None)
    ids = {name: i for i, name in enumerate(names)}
    return [float(ids[label]) for *_, label in rows], names, []


def parse_csv(text: str | bytes, problem: str = "classification") -> dict:
    """Read ``x1,x2,label`` rows into playground points scaled to the ±6 plane.

    Returns ``{"points", "classes", "class_names", "rows", "note"}``; raises ``CSVError`` naming
    each bad line (up to five) and why.

    >>> parse_csv("x1,x2,label\\n0,0,a\\n1,1,b\\n2,0,a\\n0,2,b")["classes"]
    2
    >>> parse_csv("0,0,1\\n1,oops,0")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neuronlab...CSVError: line 2: 'oops' is not a finite number
    """
    if isinstance(text, bytes):
        if len(text) > MAX_CSV_BYTES:
            raise CSVError(
                [
                    (
                        0,
                        f"the file has {len(text):,} bytes; the limit is "
                        f"{MAX_CSV_BYTES:,} ({MAX_POINTS} rows)",
                    )
                ]
            )
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = text[: exc.start].count(b"\n") + 1
            raise CSVError([(line, "the file is not UTF-8 text")]) from None
    if len(text) > MAX_CSV_BYTES:
        raise CSVError([(0, f"the text is longer than {MAX_CSV_BYTES:,} characters")])
    rows, errors = _rows(text)
    if len(rows) > MAX_POINTS:
        errors.append(
            (rows[MAX_POINTS][0], f"more than {MAX_POINTS} rows; keep at most {MAX_POINTS}")
        )
    if errors:
        raise CSVError(errors[:MAX_CSV_ERRORS])
    labels, names, errors = _labels(rows, problem)
    if errors:
        raise CSVError(errors)
    if len(rows) < 4:
        raise CSVError([(0, f"found {len(rows)} data rows; the playground needs at least 4")])
    if problem == "classification" and len(names) < 2:
        raise CSVError([(0, "every row has the same label; a classifier needs 2 or more")])
    xy = np.array([[r[1], r[2]] for r in rows], dtype=np.float64)
    centre = (xy.max(axis=0) + xy.min(axis=0)) / 2
    half = float(np.abs(xy - centre).max()) or 1.0
    scaled = (xy - centre) / half * (DOMAIN - 0.5)
    y = np.array(labels, dtype=np.float64)
    note = (
        f"{len(rows)} rows; coordinates centred on ({centre[0]:.3g}, {centre[1]:.3g}) and "
        f"scaled by {(DOMAIN - 0.5) / half:.3g} to fit the plane"
    )
    if problem == "regression":
        top = float(np.abs(y).max()) or 1.0
        if top > 1:
            y = y / top
            note += f"; targets divided by {top:.3g} to lie in [-1, 1]"
    points = [
        [round(float(a), 4), round(float(b), 4), round(float(c), 4)] for (a, b), c in zip(scaled, y)
    ]
    return {
        "points": points,
        "classes": max(2, len(names)),
        "class_names": names,
        "rows": len(rows),
        "note": note,
    }
