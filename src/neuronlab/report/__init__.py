"""Reports of a trained model: metric dicts, text tables and PNG plots.

Reading order: ``scores`` (the numbers, as a JSON-able dict), ``tables`` (the same as text),
``plots`` (learning curves, confusion matrix, predicted vs true; matplotlib is imported only
when a plot is drawn), ``_atomic`` (files are written whole or not at all).

>>> import numpy as np
>>> from neuronlab.report import classification_scores, format_report, softmax
>>> scores = classification_scores([0, 1, 1], softmax(np.eye(2)[[0, 1, 0]]), classes=["a", "b"])
>>> print(format_report(scores).splitlines()[0])
Test set · 3 samples
"""

from ._atomic import jsonable, write_bytes, write_json, write_text
from .plots import (
    confusion_matrix_figure,
    curves_figure,
    plot_confusion_matrix,
    plot_curves,
    plot_predicted_vs_true,
    predicted_vs_true_figure,
    save_figure,
)
from .scores import classification_scores, regression_scores, softmax
from .tables import (
    Table,
    confusion_table,
    format_number,
    format_report,
    format_table,
    per_class_table,
    report_tables,
    summary_table,
)

__all__ = [
    "Table",
    "classification_scores",
    "confusion_matrix_figure",
    "confusion_table",
    "curves_figure",
    "format_number",
    "format_report",
    "format_table",
    "jsonable",
    "per_class_table",
    "plot_confusion_matrix",
    "plot_curves",
    "plot_predicted_vs_true",
    "predicted_vs_true_figure",
    "regression_scores",
    "report_tables",
    "save_figure",
    "softmax",
    "summary_table",
    "write_bytes",
    "write_json",
    "write_text",
]
