"""Loaders for the UCI tabular sets: Adult (census income) and German credit.

By default both read the copies that ship inside the package (``source="package"``: offline,
verified against the official checksums on every load, see :mod:`neuronlab.data.packaged`);
``source="official"`` reads the official files from the data folders instead, downloading them
(checksummed) when they are not there.

Both return the raw columns as *frames* (dict of column name → NumPy array; categorical columns
are ``object`` arrays of ``str``, numeric ones ``int64``) and, by default, a ready numeric
matrix: numeric columns (standardised with training statistics) followed by one-hot encoded
categorical columns, as ``float32``. Protected attributes (sex, race, age, ...) stay available in
the frames for fairness analyses even when ``drop_protected=True`` removes them from ``X``.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import IO

import numpy as np

from . import catalog
from .bundle import DatasetBundle, Frame
from .download import check_integrity, ensure_dataset
from .errors import CorruptDatasetError
from .packaged import PACKAGED_DIR, packaged_files
from .paths import resolve_file
from .preprocessing import OneHotEncoder, StandardScaler
from .uci_schemas import (
    ADULT_COLUMNS,
    ADULT_NUMERIC,
    GERMAN_CODES,
    GERMAN_COLUMNS,
    GERMAN_NUMERIC,
)

__all__ = ["encode_frames", "load_adult", "load_german_credit", "read_adult", "read_german"]

ADULT_PROTECTED = ("sex", "race", "age")
GERMAN_PROTECTED = ("personal_status_sex", "age", "foreign_worker")
SOURCES = ("package", "official")


def _open_text(path: Path) -> IO[str]:
    """A text handle on ``path``; ``.gz`` files (the packaged copies) are decompressed."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def _parse_rows(
    path: Path, rows: list[list[str]], line_numbers: list[int], columns: tuple[str, ...],
    numeric: tuple[str, ...],
) -> Frame:  # fmt: skip
    frame: Frame = {}
    for j, name in enumerate(columns):
        values = [r[j] for r in rows]
        if name in numeric:
            try:
                frame[name] = np.array([int(v) for v in values], dtype=np.int64)
            except ValueError:
                bad = next(k for k, v in enumerate(values) if not v.lstrip("-").isdigit())
                raise CorruptDatasetError(
                    f"read · expected an integer in column {name!r} · {path} line "
                    f"{line_numbers[bad]} has {values[bad]!r} · the file is corrupt: delete "
                    f"{path} so that it is downloaded again",
                    path=str(path),
                ) from None
        else:
            frame[name] = np.array(values, dtype=object)
    return frame


def read_adult(path: str | Path) -> tuple[Frame, np.ndarray]:
    """Parse ``adult.data`` or ``adult.test`` into a frame and the income labels (0/1).

    Skips blank lines and ``|`` comment lines (the test file's first line), strips spaces, and
    removes the trailing ``.`` of the test file's labels. Missing values stay as ``"?"``.
    A ``.gz`` path is read through gzip.
    """
    path = Path(path)
    rows, numbers, labels = [], [], []
    with _open_text(path) as f:
        for lineno, line in enumerate(f, start=1):
            line = line.strip()
            if not line or line.startswith("|"):
                continue
            fields = [v.strip() for v in line.split(",")]
            if len(fields) != len(ADULT_COLUMNS) + 1:
                raise CorruptDatasetError(
                    f"read_adult · expected {len(ADULT_COLUMNS) + 1} comma-separated fields · "
                    f"{path} line {lineno} has {len(fields)} · the file is corrupt or "
                    f"truncated: delete {path} so that it is downloaded again",
                    path=str(path),
                )
            label = fields[-1].rstrip(".")
            if label not in (">50K", "<=50K"):
                raise CorruptDatasetError(
                    f"read_adult · expected the label '<=50K' or '>50K' · {path} line {lineno} "
                    f"has {fields[-1]!r} · delete {path} so that it is downloaded again",
                    path=str(path),
                )
            rows.append(fields[:-1])
            numbers.append(lineno)
            labels.append(label == ">50K")
    frame = _parse_rows(path, rows, numbers, ADULT_COLUMNS, ADULT_NUMERIC)
    y = np.array(labels, dtype=np.int64)
    frame["income"] = np.where(y == 1, ">50K", "<=50K").astype(object)
    return frame, y


def read_german(path: str | Path) -> tuple[Frame, np.ndarray]:
    """Parse ``german.data`` (or its ``.gz``) into a frame of raw codes and labels (0 = good,
    1 = bad)."""
    path = Path(path)
    rows, numbers, labels = [], [], []
    with _open_text(path) as f:
        for lineno, line in enumerate(f, start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != len(GERMAN_COLUMNS) + 1 or fields[-1] not in ("1", "2"):
                raise CorruptDatasetError(
                    f"read_german · expected {len(GERMAN_COLUMNS)} attributes and a class 1 or 2 "
                    f"· {path} line {lineno} has {len(fields)} fields ending in "
                    f"{fields[-1]!r} · delete {path} so that it is downloaded again",
                    path=str(path),
                )
            rows.append(fields[:-1])
            numbers.append(lineno)
            labels.append(int(fields[-1]) - 1)
    frame = _parse_rows(path, rows, numbers, GERMAN_COLUMNS, GERMAN_NUMERIC)
    y = np.array(labels, dtype=np.int64)
    frame["credit_risk"] = np.where(y == 1, "bad", "good").astype(object)
    return frame, y


def encode_frames(
    train: Frame,
    others: list[Frame],
    *,
    numeric: tuple[str, ...],
    categorical: tuple[str, ...],
    scale_numeric: bool = True,
) -> tuple[np.ndarray, list[np.ndarray], tuple[str, ...], dict[str, object]]:
    """Numeric columns (optionally standardised) then one-hot categoricals, all ``float32``.

    Transformers are fitted on ``train`` only and applied to every frame in ``others``; unseen
    categories encode as all zeros. Returns ``(X_train, [X_other, ...], feature_names, fitted)``.
    """
    scaler = StandardScaler() if scale_numeric and numeric else None
    encoder = OneHotEncoder(handle_unknown="ignore") if categorical else None

    def numeric_block(frame: Frame, fit: bool) -> np.ndarray:
        block = np.stack([frame[c].astype(np.float64) for c in numeric], axis=1)
        if scaler is not None:
            block = scaler.fit_transform(block) if fit else scaler.transform(block)
        return block.astype(np.float32)

    def categorical_block(frame: Frame, fit: bool) -> np.ndarray:
        block = np.stack([frame[c] for c in categorical], axis=1)
        return encoder.fit_transform(block) if fit else encoder.transform(block)

    def encode(frame: Frame, fit: bool) -> np.ndarray:
        n = len(next(iter(frame.values())))
        parts = [np.empty((n, 0), np.float32)]
        if numeric:
            parts.append(numeric_block(frame, fit))
        if categorical:
            parts.append(categorical_block(frame, fit))
        return np.ascontiguousarray(np.concatenate(parts, axis=1), dtype=np.float32)

    X_train = encode(train, True)
    X_others = [encode(f, False) for f in others]
    names = list(numeric)
    if encoder is not None:
        names += [str(n) for n in encoder.get_feature_names_out(list(categorical))]
    return X_train, X_others, tuple(names), {"scaler": scaler, "encoder": encoder}


def _raw_matrix(frame: Frame, columns: tuple[str, ...]) -> np.ndarray:
    return np.stack([frame[c].astype(object) for c in columns], axis=1)


def _check_choice(who: str, name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(
            f"{who}({name}) · expected one of {', '.join(map(repr, allowed))} · got {value!r} · "
            f"pick one of them"
        )


def _files(
    name: str, who: str, source: str, download: bool, verify: bool, progress: bool | None
):  # fmt: skip
    """``(info, folder, paths)`` of data set ``name``: the packaged copies or the official files."""
    _check_choice(who, "source", source, SOURCES)
    info = catalog.DATASETS[name]
    if source == "package":
        return info, PACKAGED_DIR, packaged_files(name)
    directory = ensure_dataset(info, download=download, progress=progress, who=who)
    paths = []
    for spec in info.files:
        path = resolve_file(directory, spec)
        assert path is not None
        if verify:
            check_integrity(path, spec)
        paths.append(path)
    return info, directory, paths


def load_adult(
    *,
    encode: bool = True,
    missing: str = "drop",
    scale_numeric: bool = True,
    drop_protected: bool = False,
    source: str = "package",
    download: bool = True,
    verify: bool = False,
    progress: bool | None = None,
) -> DatasetBundle:
    """Load UCI Adult with its official split (32,561 train / 16,281 test rows before cleaning).

    Args:
        encode: ``X_*`` as a ready ``float32`` matrix (numeric + one-hot); ``False`` gives the
            raw 14 columns as an ``object`` matrix.
        missing: ``"drop"`` removes rows with a ``?`` (30,162 / 15,060 rows remain);
            ``"category"`` keeps them, with ``"missing"`` as a category of its own.
        scale_numeric: standardise numeric columns with training-set statistics.
        drop_protected: leave sex, race and age out of ``X`` (they stay in the frames).
        source: ``"package"`` reads the copy shipped with neuronlab (offline, always verified);
            ``"official"`` reads the official files from the data folders or downloads them.
        download, verify, progress: with ``source="official"``, see
            :func:`~neuronlab.data.load_fashion_mnist`.

    ``y`` is 1 for income above $50K. ``frame_train`` / ``frame_test`` hold the raw columns.
    """
    who = "load_adult"
    _check_choice(who, "missing", missing, ("drop", "category"))
    info, directory, (train_path, test_path) = _files(
        "adult", who, source, download, verify, progress
    )
    frames, labels = [], []
    categorical = tuple(c for c in ADULT_COLUMNS if c not in ADULT_NUMERIC)
    for path in (train_path, test_path):
        frame, y = read_adult(path)
        unknown = np.zeros(len(y), dtype=bool)
        for c in categorical:
            unknown |= frame[c] == "?"
        if missing == "drop":
            frame = {k: v[~unknown] for k, v in frame.items()}
            y = y[~unknown]
        else:
            for c in categorical:
                frame[c] = np.where(frame[c] == "?", "missing", frame[c]).astype(object)
        frames.append(frame)
        labels.append(y)
    used = tuple(c for c in ADULT_COLUMNS if not (drop_protected and c in ADULT_PROTECTED))
    extras: dict[str, object] = {"missing": missing}
    if encode:
        X_train, (X_test,), names, fitted = encode_frames(
            frames[0],
            [frames[1]],
            numeric=tuple(c for c in ADULT_NUMERIC if c in used),
            categorical=tuple(c for c in categorical if c in used),
            scale_numeric=scale_numeric,
        )
        extras.update(fitted)
    else:
        X_train, X_test, names = _raw_matrix(frames[0], used), _raw_matrix(frames[1], used), used
    return DatasetBundle(
        name=info.name,
        title=info.title,
        task=info.task,
        X_train=X_train,
        y_train=labels[0],
        X_test=X_test,
        y_test=labels[1],
        classes=info.classes,
        feature_names=tuple(names),
        source=info.source,
        licence=info.licence,
        citation=info.citation,
        description=info.description,
        location=str(directory),
        frame_train=frames[0],
        frame_test=frames[1],
        categorical_features=categorical,
        numeric_features=ADULT_NUMERIC,
        protected_attributes=ADULT_PROTECTED,
        target_meaning="y = 1: income > $50K a year; y = 0: income <= $50K",
        extras=extras,
    )


def load_german_credit(
    *,
    encode: bool = True,
    decode: bool = True,
    scale_numeric: bool = True,
    drop_protected: bool = False,
    source: str = "package",
    download: bool = True,
    verify: bool = False,
    progress: bool | None = None,
) -> DatasetBundle:
    """Load UCI Statlog German credit: 1,000 applicants, 700 good and 300 bad risks.

    There is no official split: ``X, y`` hold all rows (use
    :func:`~neuronlab.data.train_test_split` with ``stratify=y``).

    Args:
        encode: ``X`` as a ready ``float32`` matrix (numeric + one-hot); ``False`` gives the raw
            20 columns as an ``object`` matrix.
        decode: replace the codes (``A11`` ...) by their documented meanings in the frame.
        scale_numeric: standardise numeric columns.
        drop_protected: leave personal status/sex, age and foreign-worker status out of ``X``.
        source: ``"package"`` reads the copy shipped with neuronlab (offline, always verified);
            ``"official"`` reads the official files from the data folders or downloads them.
        download, verify, progress: with ``source="official"``, see
            :func:`~neuronlab.data.load_fashion_mnist`.

    ``y`` is 1 for a *bad* credit risk (UCI class 2) and 0 for a good one (class 1). The UCI
    documentation's cost matrix (``extras["cost_matrix"][actual][predicted]``) rates calling a
    bad customer good 5 times worse than the reverse. With ``encode=True`` the scaler and encoder
    are fitted on all 1,000 rows; for a leak-free evaluation use ``encode=False`` and fit the
    transformers on your own training split.
    """
    who = "load_german_credit"
    info, directory, (path,) = _files("german_credit", who, source, download, verify, progress)
    frame, y = read_german(path)
    categorical = tuple(c for c in GERMAN_COLUMNS if c not in GERMAN_NUMERIC)
    if decode:
        for c in categorical:
            frame[c] = np.array([GERMAN_CODES.get(v, v) for v in frame[c]], dtype=object)
    used = tuple(c for c in GERMAN_COLUMNS if not (drop_protected and c in GERMAN_PROTECTED))
    extras: dict[str, object] = {"codes": dict(GERMAN_CODES), "cost_matrix": [[0, 1], [5, 0]]}
    if encode:
        X, _, names, fitted = encode_frames(
            frame,
            [],
            numeric=tuple(c for c in GERMAN_NUMERIC if c in used),
            categorical=tuple(c for c in categorical if c in used),
            scale_numeric=scale_numeric,
        )
        extras.update(fitted)
    else:
        X, names = _raw_matrix(frame, used), used
    return DatasetBundle(
        name=info.name,
        title=info.title,
        task=info.task,
        X=X,
        y=y,
        classes=info.classes,
        feature_names=tuple(names),
        source=info.source,
        licence=info.licence,
        citation=info.citation,
        description=info.description,
        location=str(directory),
        frame=frame,
        categorical_features=categorical,
        numeric_features=GERMAN_NUMERIC,
        protected_attributes=GERMAN_PROTECTED,
        target_meaning="y = 1: bad credit risk (UCI class 2); y = 0: good (class 1)",
        extras=extras,
    )
