"""The plot functions write valid, readable PNG files: titled axes, legends, class names."""

from __future__ import annotations

import os
import struct
import subprocess
import sys

import numpy as np
import pytest

from neuronlab import report
from neuronlab.report import _atomic

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HISTORY = {"loss": [1.0, 0.6, 0.4, 0.35], "val_loss": [1.1, 0.7, 0.5, 0.55],
           "accuracy": [0.5, 0.7, 0.8, 0.85], "val_accuracy": [0.45, 0.65, 0.75, 0.74]}  # fmt: skip
CLASSES = ["T-shirt/top", "Trouser", "Pullover"]
MATRIX = [[50, 3, 7], [1, 58, 1], [9, 0, 51]]


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _texts(fig):
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_importing_report_does_not_import_matplotlib():
    code = "import sys, neuronlab.report; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ----- learning curves ---------------------------------------------------------------------------
def test_plot_curves_writes_a_png(tmp_path):
    path = report.plot_curves(HISTORY, "loss", tmp_path / "loss.png", ylabel="cross-entropy loss",
                              title="Loss · demo", best_epoch=2)  # fmt: skip
    assert path == tmp_path / "loss.png"
    width, height = png_size(path)
    assert (width, height) == (704, 462)  # 6.4 x 4.2 inches at 110 dpi
    assert os.path.getsize(path) > 10_000
    assert [p.name for p in tmp_path.iterdir()] == ["loss.png"]  # no temporary file left


def test_curves_figure_has_titled_axes_and_a_legend():
    fig = report.curves_figure(HISTORY, "accuracy", ylabel="accuracy", title="Accuracy · demo",
                               best_epoch=2)  # fmt: skip
    (ax,) = fig.axes
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "accuracy"
    assert ax.get_title() == "Accuracy · demo"
    assert _legend(ax) == ["train", "validation", "best epoch (3)"]
    train, val = ax.get_lines()[:2]
    assert list(train.get_xdata()) == [1, 2, 3, 4]  # epochs count from 1 on the plot
    assert list(val.get_ydata()) == HISTORY["val_accuracy"]


def test_curves_without_validation_or_epochs():
    ax = report.curves_figure({"loss": [0.5, 0.4]}, "loss").axes[0]
    assert _legend(ax) == ["train"] and ax.get_ylabel() == "loss"
    empty = report.curves_figure({}, "loss")
    assert "no finished epochs" in _texts(empty)
    assert empty.axes[0].get_legend() is None


def test_long_titles_are_wrapped():
    fig = report.curves_figure(HISTORY, "loss", title="word " * 40)
    assert fig.axes[0].get_title().count("\n") >= 1


# ----- confusion matrix --------------------------------------------------------------------------
def test_plot_confusion_matrix_writes_a_png(tmp_path):
    path = report.plot_confusion_matrix(MATRIX, CLASSES, tmp_path / "cm.png")
    width, height = png_size(path)
    assert width > height >= 400


def test_confusion_matrix_shows_class_names_and_counts():
    fig = report.confusion_matrix_figure(MATRIX, CLASSES)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == CLASSES
    assert [t.get_text() for t in ax.get_yticklabels()] == CLASSES
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    cells = [t.get_text() for t in ax.texts]
    assert cells == [str(c) for row in MATRIX for c in row]
    assert ax.get_title() == "Confusion matrix · 180 samples · accuracy 0.8833"
    assert fig.axes[1].get_ylabel() == "share of the true class"  # the colour bar


def test_confusion_matrix_grows_with_the_classes(tmp_path):
    k = 10
    matrix = np.eye(k, dtype=int) * 90 + 1
    small = png_size(report.plot_confusion_matrix(MATRIX, CLASSES, tmp_path / "3.png"))
    large = png_size(report.plot_confusion_matrix(matrix, [f"class {i}" for i in range(k)],
                                                  tmp_path / "10.png"))  # fmt: skip
    assert large[0] > small[0] and large[1] > small[1]


def test_confusion_matrix_checks_its_input():
    with pytest.raises(ValueError, match="square matrix with one class name per row"):
        report.confusion_matrix_figure([[1, 2], [3, 4]], ["a", "b", "c"])
    with pytest.raises(ValueError, match="square matrix"):
        report.confusion_matrix_figure([[1, 2, 3], [4, 5, 6]], ["a", "b"])


# ----- regression --------------------------------------------------------------------------------
def test_plot_predicted_vs_true(tmp_path):
    rng = np.random.default_rng(0)
    y = rng.normal(150, 70, 80)
    path = report.plot_predicted_vs_true(y, y + rng.normal(0, 30, 80), tmp_path / "pvt.png",
                                         target="disease progression")  # fmt: skip
    png_size(path)
    fig = report.predicted_vs_true_figure(y, y, target="disease progression")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "true disease progression"
    assert ax.get_ylabel() == "predicted disease progression"
    assert _legend(ax) == ["test samples", "predicted = true"]
    assert ax.get_title() == "Predicted vs true · 80 samples"
    with pytest.raises(ValueError, match="one prediction per target"):
        report.predicted_vs_true_figure([1.0, 2.0], [1.0])


# ----- atomic writes -----------------------------------------------------------------------------
def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "plot.png"
    path.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(_atomic.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        report.plot_curves(HISTORY, "loss", path)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["plot.png"]
