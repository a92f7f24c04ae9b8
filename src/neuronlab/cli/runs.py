"""The run folder: what ``train`` writes and ``evaluate`` reads, and the one scoring function
both use.

A run folder holds (every file written atomically, so none is ever half-written):

======================  ====================================================================
``model.safetensors``   the trained network (``neuronlab.io.save``: weights + architecture)
``run.json``            how to rebuild the test set and what produced the run: data set,
                        model spec, split and seed, preprocessing fitted on the training split,
                        classes, task, training settings, command line, versions, date
``metrics.json``        the test-set scores of the network (and of the baseline), training
                        summary (epochs run, best epoch, early stop, Ctrl-C)
``history.csv``         one row per finished epoch (``epoch`` counts from 0): loss, metric,
                        ``val_`` columns, ``lr`` with a schedule
``loss.png``            training and validation loss per epoch
``accuracy.png``        training and validation accuracy (classification) — ``mae.png`` for
                        regression (in standardized units)
``confusion_matrix.png`` classification: counts, coloured by share of the true class
``predicted_vs_true.png`` regression: predictions against true values, original units
======================  ====================================================================
"""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from .. import io, nn, report
from ..train import predict
from ._common import CLIError
from .prepare import from_target

__all__ = [
    "ALL_FILES",
    "EVAL_BATCH_SIZE",
    "FORMAT",
    "MODEL_FILE",
    "read_run",
    "score",
    "versions",
    "write_plots",
]

FORMAT = "neuronlab.run/1"
MODEL_FILE, RUN_FILE, METRICS_FILE, HISTORY_FILE = (
    "model.safetensors",
    "run.json",
    "metrics.json",
    "history.csv",
)
PLOTS = ("loss.png", "accuracy.png", "mae.png", "confusion_matrix.png", "predicted_vs_true.png")
ALL_FILES = (MODEL_FILE, RUN_FILE, METRICS_FILE, HISTORY_FILE, *PLOTS)
EVAL_BATCH_SIZE = 256
DATA_KEYS = (
    "name",
    "title",
    "task",
    "classes",
    "load_kwargs",
    "split",
    "preprocessing",
)  # the same batches in train and evaluate: the same floating-point sums


def score(model: nn.Module, X: np.ndarray, y: np.ndarray, recipe: dict[str, Any]):
    """``(scores, predictions)`` of ``model`` on ``(X, y)``: class probabilities or predictions
    in the target's units. ``train`` and ``evaluate`` both score through here."""
    outputs = predict(model, X, batch_size=EVAL_BATCH_SIZE)
    if recipe["task"] == "classification":
        proba = report.softmax(outputs)
        return report.classification_scores(y, proba, classes=recipe["classes"]), proba
    predictions = from_target(outputs, recipe)
    return report.regression_scores(y, predictions), predictions


def versions() -> dict[str, str]:
    """Versions of Python and of the packages that shape the numbers."""
    out = {"python": platform.python_version()}
    for package in ("neuronlab", "numpy", "scikit-learn", "matplotlib"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "not installed"
    return out


def write_plots(
    folder: Path,
    history: dict[str, list[float]],
    scores: dict[str, Any],
    predictions: np.ndarray,
    y_test: np.ndarray,
    *,
    title: str,
    best_epoch: int | None,
) -> list[Path]:
    """The PNGs of a run (see the module docstring); returns their paths."""
    n = scores["n_samples"]
    if scores["task"] == "regression":
        std = "(standardized target)"
        summary = f"MAE {scores['mae']:.4g} · RMSE {scores['rmse']:.4g} · R² {scores['r2']:.3f}"
        return [
            report.plot_curves(history, "loss", folder / "loss.png", best_epoch=best_epoch,
                               ylabel=f"MSE loss {std}", title=f"Loss · {title}"),
            report.plot_curves(history, "mae", folder / "mae.png", best_epoch=best_epoch,
                               ylabel=f"MAE {std}", title=f"Mean absolute error · {title}"),
            report.plot_predicted_vs_true(
                y_test, predictions, folder / "predicted_vs_true.png",
                title=f"Predicted vs true on the test set\n{title}\n{n:,} samples · {summary}"),
        ]  # fmt: skip
    return [
        report.plot_curves(history, "loss", folder / "loss.png", best_epoch=best_epoch,
                           ylabel="cross-entropy loss", title=f"Loss · {title}"),
        report.plot_curves(history, "accuracy", folder / "accuracy.png", best_epoch=best_epoch,
                           ylabel="accuracy", title=f"Accuracy · {title}"),
        report.plot_confusion_matrix(
            scores["confusion_matrix"], scores["classes"], folder / "confusion_matrix.png",
            title=f"Confusion matrix on the test set\n{title}\n{n:,} samples · accuracy "
            f"{scores['accuracy']:.4f}"),
    ]  # fmt: skip


def read_run(folder: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """``(run.json, metrics.json or None)`` of ``folder``, checked; problems are CLIErrors."""
    if not folder.exists():
        raise CLIError(
            f"no run folder at {str(folder)!r}; train one with `neuronlab train --out {folder}`"
        )
    if not folder.is_dir():
        raise CLIError(f"{str(folder)!r} is a file, not a run folder")
    run = _read_json(folder / RUN_FILE, required=True)
    path = str(folder / RUN_FILE)
    if not isinstance(run, dict) or run.get("format") != FORMAT:
        raise CLIError(
            f"{path!r} is not a run description written by `neuronlab train` "
            f"(expected format {FORMAT!r})"
        )
    data, model = run.get("data"), run.get("model")
    missing = [f"data.{k}" for k in DATA_KEYS if not isinstance(data, dict) or k not in data]
    missing += ["model.spec"] if not isinstance(model, dict) or "spec" not in model else []
    if missing:
        raise CLIError(f"{path!r} is incomplete: it lacks {', '.join(missing)}")
    return run, _read_json(folder / METRICS_FILE, required=False)


def _read_json(path: Path, *, required: bool) -> Any:
    if not path.is_file():
        if not required:
            return None
        raise CLIError(
            f"{str(path.parent)!r} has no {path.name}: it is not a run folder "
            "written by `neuronlab train`"
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CLIError(f"{str(path)!r} is damaged (not valid JSON: {exc})") from None


def load_model(folder: Path) -> nn.Module:
    """The run's network; a missing or damaged file is a CLIError."""
    path = folder / MODEL_FILE
    if not path.is_file():
        raise CLIError(f"{str(folder)!r} has no {MODEL_FILE} (the trained network)")
    try:
        return io.load(path)
    except io.CorruptFileError as exc:
        raise CLIError(f"the model file is damaged: {exc}") from None
    except (ValueError, TypeError, nn.StateDictError) as exc:
        raise CLIError(f"cannot rebuild the network from {str(path)!r}: {exc}") from None
