"""Score dicts (from :mod:`.scores`) as tables: plain text here, rich tables in the CLI.

A :class:`Table` is just a title, column headers and rows of strings, so the same content can be
printed as aligned text (:func:`format_table`, for pipes, logs and tests) or drawn by ``rich`` on
a terminal.

>>> t = Table("Scores", ("metric", "value"), [("accuracy", "0.9500")])
>>> print(format_table(t))
Scores
metric    value
--------  ------
accuracy  0.9500
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Table",
    "confusion_table",
    "format_number",
    "format_report",
    "format_table",
    "per_class_table",
    "report_tables",
    "summary_table",
]

# (key in the score dict, label) for the headline rows of each task
CLASSIFICATION_ROWS = (
    ("accuracy", "accuracy"),
    ("precision_macro", "precision (macro)"),
    ("recall_macro", "recall (macro)"),
    ("f1_macro", "F1 (macro)"),
    ("precision_weighted", "precision (weighted)"),
    ("recall_weighted", "recall (weighted)"),
    ("f1_weighted", "F1 (weighted)"),
    ("roc_auc", "ROC AUC"),
    ("log_loss", "log-loss"),
)
REGRESSION_ROWS = (("mae", "MAE"), ("rmse", "RMSE"), ("r2", "R²"))


@dataclass
class Table:
    """A titled table of strings; ``numeric`` marks the columns to right-align."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    numeric: tuple[bool, ...] = field(default=())
    note: str = ""


def format_number(value: Any) -> str:
    """Scores with 4 decimals, large errors with fewer, counts as integers, ``None`` as '—'.

    >>> format_number(0.123456), format_number(12345.678), format_number(None), format_number(7)
    ('0.1235', '12345.7', '—', '7')
    """
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    value = float(value)
    return f"{value:.1f}" if abs(value) >= 1000 else f"{value:.4f}"


def _rows_for(task: str) -> tuple[tuple[str, str], ...]:
    return CLASSIFICATION_ROWS if task == "classification" else REGRESSION_ROWS


def summary_table(
    scores: Mapping[str, Any],
    *,
    baseline: Mapping[str, Any] | None = None,
    title: str = "Test set",
    network_label: str = "network",
    baseline_label: str = "baseline",
) -> Table:
    """The headline metrics, one row each, with a baseline column when given."""
    headers = ("metric", network_label) + ((baseline_label,) if baseline else ())
    rows = []
    for key, label in _rows_for(scores["task"]):
        row = (label, format_number(scores.get(key)))
        if baseline:
            row += (format_number(baseline.get(key)),)
        rows.append(row)
    note = ""
    if scores["task"] == "classification" and scores.get("roc_auc_kind"):
        note = f"ROC AUC: {scores['roc_auc_kind']}"
    title = f"{title} · {scores['n_samples']:,} samples"
    return Table(title, headers, rows, (False,) + (True,) * (len(headers) - 1), note)


def per_class_table(scores: Mapping[str, Any], *, title: str = "Per class") -> Table:
    """Precision, recall, F1 and support of every class."""
    rows = [
        (name, *(format_number(v[k]) for k in ("precision", "recall", "f1")), str(v["support"]))
        for name, v in scores["per_class"].items()
    ]
    headers = ("class", "precision", "recall", "F1", "support")
    return Table(title, headers, rows, (False, True, True, True, True))


def confusion_table(scores: Mapping[str, Any], *, title: str = "Confusion matrix") -> Table:
    """Rows are the true classes, columns the predicted ones, cells counts."""
    names = scores["classes"]
    rows = [
        (name, *(str(c) for c in counts)) for name, counts in zip(names, scores["confusion_matrix"])
    ]
    headers = ("true \\ predicted", *names)
    return Table(title, headers, rows, (False,) + (True,) * len(names))


def report_tables(
    scores: Mapping[str, Any],
    *,
    baseline: Mapping[str, Any] | None = None,
    title: str = "Test set",
    network_label: str = "network",
    baseline_label: str = "baseline",
) -> list[Table]:
    """Every table of a full report: summary, then per class and confusion matrix."""
    summary = summary_table(scores, baseline=baseline, title=title, network_label=network_label,
                            baseline_label=baseline_label)  # fmt: skip
    tables = [summary]
    if scores["task"] == "classification":
        tables += [per_class_table(scores), confusion_table(scores)]
    return tables


def format_table(table: Table) -> str:
    """``table`` as aligned plain text: title, header, a rule, the rows, the note."""
    columns = list(zip(table.headers, *table.rows))
    widths = [max(len(str(cell)) for cell in col) for col in columns]
    numeric = table.numeric or (False,) * len(widths)

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)]
        return "  ".join(parts).rstrip()

    out = [table.title, line(table.headers), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in table.rows]
    if table.note:
        out.append(table.note)
    return "\n".join(out)


def format_report(scores: Mapping[str, Any], **kwargs: Any) -> str:
    """The full report as plain text: the tables of :func:`report_tables` (which takes the same
    keyword arguments), separated by blank lines.

    >>> from neuronlab.report import regression_scores
    >>> print(format_report(regression_scores([1.0, 2.0], [1.5, 2.0])))
    Test set · 2 samples
    metric  network
    ------  -------
    MAE      0.2500
    RMSE     0.3536
    R²       0.5000
    """
    return "\n\n".join(format_table(t) for t in report_tables(scores, **kwargs))
