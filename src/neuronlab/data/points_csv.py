"""2-D points from CSV text (``x1,x2,label`` rows), as people upload them, fitted to a plane.

What arrives is whatever a spreadsheet, a script or a hand wrote: a byte-order mark, a header
row, quoted cells (``"1.5","2",a``), comments, numbers of any size. The reader accepts all of
those, and refuses everything else with the line and the reason (at most five lines at a time):
a cell that is not a finite number, a missing label, too many rows or classes, bytes that are
not UTF-8. Coordinates of any finite size are scaled to the plane without overflow.

>>> out = read_points_csv('x1,x2,label\\n0,0,a\\n"4","0",b\\n4,4,a\\n0,4,b\\n')
>>> out["classes"], out["class_names"], out["points"][1]
(2, ['a', 'b'], [5.5, -5.5, 1.0])
>>> read_points_csv("0,0,1\\n1,oops,0")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
neuronlab.data.points_csv.CSVError: line 2: 'oops' is not a finite number
"""

from __future__ import annotations

import csv
import math

import numpy as np

__all__ = ["MAX_CSV_BYTES", "MAX_CSV_ERRORS", "CSVError", "read_points_csv"]

MAX_CSV_BYTES = 256 * 1024
MAX_CSV_ERRORS = 5


class CSVError(ValueError):
    """A CSV upload that cannot be used; ``errors`` lists ``(line, reason)`` pairs (line 0: the
    whole file)."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("; ".join(f"line {n}: {why}" if n else why for n, why in errors))


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _text(data: str | bytes, max_points: int) -> str:
    """``data`` as text: UTF-8 bytes decoded, a byte-order mark dropped, the size checked."""
    if isinstance(data, bytes):
        if len(data) > MAX_CSV_BYTES:
            raise CSVError(
                [
                    (
                        0,
                        f"the file has {len(data):,} bytes; the limit is {MAX_CSV_BYTES:,} "
                        f"({max_points} rows)",
                    )
                ]  # fmt: skip
            )
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise CSVError([(line, "the file is not UTF-8 text")]) from None
    if len(data) > MAX_CSV_BYTES:
        raise CSVError([(0, f"the text is longer than {MAX_CSV_BYTES:,} characters")])
    return data.removeprefix("\ufeff")


def _row(cells: list[str], line: int, first: bool, rows: list, errors: list) -> None:
    """Add one record to ``rows`` (or its problem to ``errors``); ``first``: it may be a
    header."""
    cells = [c.strip() for c in cells]
    if len(cells) != 3:
        shown = ",".join(cells)[:40]
        errors.append(
            (
                line,
                f"expected 3 comma-separated values (x1,x2,label), got {len(cells)}: {shown!r}",
            )  # fmt: skip
        )
        return
    x1, x2 = _number(cells[0]), _number(cells[1])
    if x1 is None and x2 is None and first:
        return  # a header such as "x1,x2,label"
    if x1 is None or x2 is None:
        bad = cells[0] if x1 is None else cells[1]
        errors.append((line, f"{bad[:20]!r} is not a finite number"))
    elif not cells[2]:
        errors.append((line, "the label is empty"))
    else:
        rows.append((line, x1, x2, cells[2]))


def _rows(text: str) -> tuple[list[tuple[int, float, float, str]], list[tuple[int, str]]]:
    """The data rows ``(line, x1, x2, label)`` and the problems, line by line (comments and
    blank lines skipped; only the first record may be a header)."""
    rows: list = []
    errors: list = []
    reader = csv.reader(text.splitlines(), skipinitialspace=True)
    first = True
    while len(errors) < MAX_CSV_ERRORS:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append((reader.line_num, f"the line cannot be read as CSV ({exc})"))
            continue
        if not cells or not "".join(cells).strip() or cells[0].lstrip().startswith("#"):
            continue
        _row(cells, reader.line_num, first, rows, errors)
        first = False
    return rows, errors


def _labels(rows, problem: str, max_classes: int):
    """``(numeric labels, class names, errors)``: class ids for classification (sorted by
    number when every name is one), targets for regression."""
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
            if len(names) > max_classes:
                why = f"label {label[:20]!r} is class {len(names)}; the playground takes at most"
                return [], [], [(n, f"{why} {max_classes} classes")]
    numeric = all(_number(s) is not None for s in names)
    names.sort(key=(lambda s: float(s)) if numeric else None)
    ids = {name: i for i, name in enumerate(names)}
    return [float(ids[label]) for *_, label in rows], names, []


def fit_to_plane(xy: np.ndarray, half_width: float) -> tuple[np.ndarray, np.ndarray, float]:
    """``(scaled, centre, factor)``: points centred on their bounding box and scaled so the
    farthest lies ``half_width`` from the centre; ``scaled = (xy - centre) * factor``.

    Computed on ``xy / max|xy|`` first, so coordinates near the float limit (1e308) cannot
    overflow.
    """
    top = float(np.abs(xy).max()) or 1.0
    unit = xy / top
    centre = unit.max(axis=0) / 2 + unit.min(axis=0) / 2
    half = float(np.abs(unit - centre).max()) or 1.0
    return (unit - centre) / half * half_width, centre * top, half_width / half / top


def read_points_csv(
    data: str | bytes,
    problem: str = "classification",
    *,
    domain: float = 6.0,
    max_points: int = 2000,
    max_classes: int = 6,
) -> dict:
    """Read ``x1,x2,label`` rows into points scaled to the ``±domain`` plane (0.5 inside it).

    Returns ``{"points", "classes", "class_names", "rows", "note"}``; raises :class:`CSVError`
    naming each bad line (up to five) and why.
    """
    rows, errors = _rows(_text(data, max_points))
    if len(rows) > max_points:
        errors.append(
            (rows[max_points][0], f"more than {max_points} rows; keep at most {max_points}")
        )
    if errors:
        raise CSVError(errors[:MAX_CSV_ERRORS])
    labels, names, errors = _labels(rows, problem, max_classes)
    if errors:
        raise CSVError(errors)
    if len(rows) < 4:
        raise CSVError([(0, f"found {len(rows)} data rows; the playground needs at least 4")])
    if problem == "classification" and len(names) < 2:
        raise CSVError([(0, "every row has the same label; a classifier needs 2 or more")])
    xy = np.array([[r[1], r[2]] for r in rows], dtype=np.float64)
    scaled, centre, factor = fit_to_plane(xy, domain - 0.5)
    y = np.array(labels, dtype=np.float64)
    note = (
        f"{len(rows)} rows; coordinates centred on ({centre[0]:.3g}, {centre[1]:.3g}) and "
        f"scaled by {factor:.3g} to fit the plane"
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
