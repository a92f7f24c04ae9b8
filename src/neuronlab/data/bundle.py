""":class:`DatasetBundle`: a loaded data set's arrays plus everything needed to cite and use it."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["DatasetBundle"]

Frame = dict[str, np.ndarray]


@dataclass
class DatasetBundle:
    """The arrays of one data set and its description.

    Sets with an official split fill ``X_train, y_train, X_test, y_test``; sets without one fill
    ``X, y`` (split them with :func:`~neuronlab.data.train_test_split`). Tabular sets also carry
    the raw columns as *frames* (dicts of column name → array) in ``frame`` or
    ``frame_train``/``frame_test``, with the column kinds in ``categorical_features`` and
    ``numeric_features``, and the columns a fairness analysis needs in ``protected_attributes``.

    >>> b = DatasetBundle(name="demo", title="Demo", task="classification",
    ...                   X=np.zeros((3, 2), np.float32), y=np.array([0, 1, 1]),
    ...                   classes=("no", "yes"), feature_names=("a", "b"))
    >>> b.has_split, b.n_features
    (False, 2)
    """

    name: str
    title: str
    task: str  # "classification" or "regression"
    X_train: np.ndarray | None = None
    y_train: np.ndarray | None = None
    X_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    X: np.ndarray | None = None
    y: np.ndarray | None = None
    classes: tuple[str, ...] | None = None
    feature_names: tuple[str, ...] = ()
    source: str = ""
    licence: str = ""
    citation: str = ""
    description: str = ""
    location: str | None = None
    frame: Frame | None = None
    frame_train: Frame | None = None
    frame_test: Frame | None = None
    categorical_features: tuple[str, ...] = ()
    numeric_features: tuple[str, ...] = ()
    protected_attributes: tuple[str, ...] = ()
    target_meaning: str = ""
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def has_split(self) -> bool:
        """True when the data set comes with an official train/test split."""
        return self.X_train is not None

    @property
    def n_features(self) -> int:
        """Number of columns of the feature matrix (product of the sample shape for images)."""
        X = self.X_train if self.has_split else self.X
        return 0 if X is None else int(np.prod(X.shape[1:]))

    def arrays(self) -> tuple[np.ndarray, ...]:
        """``(X_train, y_train, X_test, y_test)`` or ``(X, y)``."""
        if self.has_split:
            return (self.X_train, self.y_train, self.X_test, self.y_test)
        return (self.X, self.y)

    def describe(self) -> str:
        """A human-readable summary: shapes, classes, features, source, licence, citation."""
        lines = [f"{self.title} ({self.name}) · {self.task}"]
        if self.description:
            lines += textwrap.wrap(self.description, 96)
        names = ("X_train", "y_train", "X_test", "y_test") if self.has_split else ("X", "y")
        for n in names:
            a = getattr(self, n)
            if a is not None:
                lines.append(f"  {n:<8} {a.dtype}{list(a.shape)}")
        if self.classes is not None:
            y = self.y_train if self.has_split else self.y
            counts = ""
            if y is not None and y.dtype.kind in "iu" and len(y):
                bc = np.bincount(y, minlength=len(self.classes))
                counts = " · counts " + ", ".join(str(int(c)) for c in bc)
            lines.append(f"  classes  {len(self.classes)}: {', '.join(self.classes)}{counts}")
        if self.target_meaning:
            lines.append(f"  target   {self.target_meaning}")
        if self.feature_names:
            shown = ", ".join(self.feature_names[:12])
            more = f", … (+{len(self.feature_names) - 12})" if len(self.feature_names) > 12 else ""
            lines.append(f"  features {len(self.feature_names)}: {shown}{more}")
        if self.categorical_features:
            lines.append(f"  categorical columns: {', '.join(self.categorical_features)}")
        if self.numeric_features:
            lines.append(f"  numeric columns: {', '.join(self.numeric_features)}")
        if self.protected_attributes:
            lines.append(f"  protected attributes: {', '.join(self.protected_attributes)}")
        if self.source:
            lines.append(f"  source   {self.source}")
        if self.licence:
            lines.append(f"  licence  {self.licence}")
        if self.citation:
            lines.append("  cite     " + "\n           ".join(textwrap.wrap(self.citation, 86)))
        if self.location:
            lines.append(f"  loaded from {self.location}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        shapes = ", ".join(
            f"{n}={getattr(self, n).shape}"
            for n in ("X_train", "y_train", "X_test", "y_test", "X", "y")
            if getattr(self, n) is not None
        )
        return f"DatasetBundle({self.name!r}, {self.task}, {shapes})"
