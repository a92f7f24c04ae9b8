"""Plots of a training run as PNG files: learning curves, confusion matrix, predicted vs true.

matplotlib is imported inside the functions, never at import time, and only its Agg canvas is
used (figures are built with ``matplotlib.figure.Figure``, not ``pyplot``), so making plots never
opens a window, needs no display and leaves the global backend alone. Each ``*_figure`` function
returns the ``Figure`` (to inspect or show), each ``plot_*`` function writes it as a PNG,
atomically (see :mod:`._atomic`), and returns the path.
"""

from __future__ import annotations

import io
import math
import os
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._atomic import write_bytes

__all__ = [
    "confusion_matrix_figure",
    "curves_figure",
    "plot_confusion_matrix",
    "plot_curves",
    "plot_predicted_vs_true",
    "predicted_vs_true_figure",
    "save_figure",
]

TRAIN_COLOR, VAL_COLOR = "#0072B2", "#D55E00"  # Okabe-Ito blue and vermillion: colour-blind safe
DPI = 110


def _figure(width: float, height: float) -> Any:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(
            "neuronlab.report · expected matplotlib to draw plots · it is not installed · "
            "run `pip install matplotlib` (or `pip install neuronlab[lab]`)"
        ) from exc
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _title(fig: Any, ax: Any, text: str) -> None:
    """Set ``text`` as the title, each line wrapped to the figure's width."""
    width = max(20, int(fig.get_figwidth() * 11))
    lines = [w for line in text.splitlines() for w in (textwrap.wrap(line, width) or [""])]
    ax.set_title("\n".join(lines), fontsize=11)


def save_figure(fig: Any, path: str | os.PathLike) -> Path:
    """Render ``fig`` as a PNG and write it to ``path`` atomically; returns the path."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return write_bytes(path, buffer.getvalue())


# ----- learning curves ---------------------------------------------------------------------------
def curves_figure(
    history: Mapping[str, Sequence[float]],
    key: str,
    *,
    ylabel: str | None = None,
    title: str | None = None,
    best_epoch: int | None = None,
) -> Any:
    """``history[key]`` (train) and ``history['val_' + key]`` (validation) against the epoch.

    Args:
        history: ``{log key: one value per epoch}``, e.g. ``History.history``.
        key: ``'loss'``, ``'accuracy'``, ``'mae'``...
        ylabel, title: axis label and title (default: the key).
        best_epoch: epoch (from 0) to mark, e.g. the one early stopping restored.
    """
    fig = _figure(6.4, 4.2)
    ax = fig.add_subplot()
    drawn = False
    for name, label, color in (
        (key, "train", TRAIN_COLOR),
        (f"val_{key}", "validation", VAL_COLOR),
    ):
        values = [float(v) for v in history.get(name, [])]
        if values:
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, marker="o", markersize=3.5, color=color, label=label)
            drawn = True
    if best_epoch is not None and drawn:
        ax.axvline(
            best_epoch + 1,
            color="0.45",
            linestyle="--",
            linewidth=1,
            label=f"best epoch ({best_epoch + 1})",
        )
    if not drawn:
        ax.text(0.5, 0.5, "no finished epochs", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel or key)
    _title(fig, ax, title or key)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(True, alpha=0.3)
    if drawn:
        ax.legend()
    return fig


def plot_curves(
    history: Mapping[str, Sequence[float]], key: str, path: str | os.PathLike, **kwargs: Any
) -> Path:
    """Write :func:`curves_figure` to ``path`` (PNG)."""
    return save_figure(curves_figure(history, key, **kwargs), path)


# ----- confusion matrix --------------------------------------------------------------------------
def confusion_matrix_figure(
    matrix: Sequence[Sequence[int]], classes: Sequence[str], *, title: str | None = None
) -> Any:
    """Counts in every cell, coloured by the share of the true class (the row): the diagonal is
    each class's recall. Rows: true class; columns: predicted class."""
    cm = np.asarray(matrix, dtype=np.int64)
    k = cm.shape[0]
    if cm.shape != (k, k) or len(classes) != k:
        raise ValueError(
            f"confusion_matrix_figure · expected a square matrix with one class name per row · "
            f"got shape {cm.shape} and {len(classes)} names · pass scores['confusion_matrix'] "
            "and scores['classes']"
        )
    share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    size = min(max(4.8, 0.62 * k + 2.6), 14.0)
    fig = _figure(size + 1.0, size)
    ax = fig.add_subplot()
    image = ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="share of the true class")
    font = 11 if k <= 5 else 9 if k <= 10 else max(5, 9 - (k - 10) // 3)
    for i in range(k):
        for j in range(k):
            color = "white" if share[i, j] > 0.5 else "black"
            ax.text(j, i, str(cm[i, j]), ha="center", va="center", color=color, fontsize=font)
    ax.set_xticks(
        range(k), labels=[str(c) for c in classes], rotation=45, ha="right", rotation_mode="anchor"
    )
    ax.set_yticks(range(k), labels=[str(c) for c in classes])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    total = int(cm.sum())
    accuracy = float(np.trace(cm)) / total if total else math.nan
    _title(fig, ax, title or f"Confusion matrix · {total:,} samples · accuracy {accuracy:.4f}")
    return fig


def plot_confusion_matrix(
    matrix: Sequence[Sequence[int]],
    classes: Sequence[str],
    path: str | os.PathLike,
    **kwargs: Any,
) -> Path:
    """Write :func:`confusion_matrix_figure` to ``path`` (PNG)."""
    return save_figure(confusion_matrix_figure(matrix, classes, **kwargs), path)


# ----- regression ------------------------------------------------------------------------------
def predicted_vs_true_figure(
    y_true: Any, y_pred: Any, *, title: str | None = None, target: str = "target"
) -> Any:
    """A scatter of predictions against true values, with the line ``predicted = true``."""
    t = np.asarray(y_true, dtype=np.float64).reshape(-1)
    p = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    if t.shape != p.shape:
        raise ValueError(
            f"predicted_vs_true_figure · expected one prediction per target · got {p.shape[0]} "
            f"predictions for {t.shape[0]} targets · predict on the same samples"
        )
    fig = _figure(5.6, 5.2)
    ax = fig.add_subplot()
    ax.scatter(t, p, s=14, alpha=0.65, color=TRAIN_COLOR, edgecolors="none", label="test samples")
    if t.size:
        lo, hi = float(min(t.min(), p.min())), float(max(t.max(), p.max()))
        pad = 0.03 * (hi - lo or 1.0)
        ax.plot(
            [lo - pad, hi + pad],
            [lo - pad, hi + pad],
            color=VAL_COLOR,
            linestyle="--",
            linewidth=1.2,
            label="predicted = true",
        )
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(lo - pad, hi + pad)
    ax.set_aspect("equal")
    ax.set_xlabel(f"true {target}")
    ax.set_ylabel(f"predicted {target}")
    _title(fig, ax, title or f"Predicted vs true · {t.size:,} samples")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left")
    return fig


def plot_predicted_vs_true(
    y_true: Any, y_pred: Any, path: str | os.PathLike, **kwargs: Any
) -> Path:
    """Write :func:`predicted_vs_true_figure` to ``path`` (PNG)."""
    return save_figure(predicted_vs_true_figure(y_true, y_pred, **kwargs), path)
