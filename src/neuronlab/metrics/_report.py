"""A text (or dict) report of precision, recall, F1 and support for every class."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._prf import _prf
from ._validation import check_labels_param, check_targets

__all__ = ["classification_report"]

HEADERS = ("precision", "recall", "f1-score", "support")


def classification_report(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    target_names: list[str] | None = None,
    sample_weight: ArrayLike | None = None,
    digits: int = 2,
    output_dict: bool = False,
    zero_division: Any = "warn",
) -> str | dict[str, Any]:
    """Per-class precision, recall, F1 and support, followed by their averages.

    One row per label (formulas in :func:`precision_recall_fscore_support`), then:

    * ``accuracy`` (= micro-averaged F1) when every label of the data is reported,
      otherwise a ``micro avg`` row;
    * ``macro avg`` = unweighted mean over the rows;
    * ``weighted avg`` = mean over the rows weighted by their support.

    ``target_names`` gives display names for ``labels`` (same length). With
    ``output_dict=True`` a dict ``{row name: {"precision": .., "recall": ..,
    "f1-score": .., "support": ..}}`` is returned, where ``"accuracy"`` maps to a float.

    >>> print(classification_report([0, 1, 2, 2, 2], [0, 0, 2, 2, 1],
    ...                             target_names=["class 0", "class 1", "class 2"]))
                  precision    recall  f1-score   support
    <BLANKLINE>
         class 0       0.50      1.00      0.67         1
         class 1       0.00      0.00      0.00         1
         class 2       1.00      0.67      0.80         3
    <BLANKLINE>
        accuracy                           0.60         5
       macro avg       0.50      0.56      0.49         5
    weighted avg       0.70      0.60      0.61         5
    <BLANKLINE>
    >>> classification_report(["a", "b"], ["a", "b"], output_dict=True)["accuracy"]
    1.0
    """
    who = "classification_report"
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) or digits < 0:
        raise ValueError(f"{who}: digits must be an integer >= 0, got {digits!r}; e.g. digits=2.")
    tg = check_targets(who, y_true, y_pred, sample_weight)
    if labels is None:
        lab = tg.classes
        micro_is_accuracy = True
    else:
        lab = check_labels_param(who, labels, tg.label_kind)
        micro_is_accuracy = bool(np.isin(tg.classes, lab).all())
    if target_names is None:
        names = [str(x) for x in lab.tolist()]
    else:
        names = [str(x) for x in target_names]
        if len(names) != lab.shape[0]:
            raise ValueError(
                f"{who}: target_names must name each of the {lab.shape[0]} labels "
                f"{lab.tolist()!r}, got {len(names)} names; pass labels=[...] to choose "
                "which labels are reported, in the order of target_names."
            )

    common = dict(labels=lab, sample_weight=sample_weight, zero_division=zero_division)
    p, r, f, s = _prf(who, y_true, y_pred, average=None, **common)
    rows: list[tuple[str, float, float, float, Any]] = [
        (name, float(p[i]), float(r[i]), float(f[i]), s[i].item()) for i, name in enumerate(names)
    ]
    total_support = np.sum(s).item()
    averages = []
    for average in ("micro", "macro", "weighted"):
        ap, ar, af, _ = _prf(who, y_true, y_pred, average=average, **common)
        heading = "accuracy" if average == "micro" and micro_is_accuracy else f"{average} avg"
        averages.append((heading, float(ap), float(ar), float(af), total_support))

    if output_dict:
        report: dict[str, Any] = {}
        for name, *values in rows + averages:
            report[name] = dict(zip(HEADERS, (float(v) for v in values)))
        if "accuracy" in report:
            report["accuracy"] = report["accuracy"]["precision"]
        return report

    width = max([len(n) for n in names] + [len("weighted avg"), digits])
    lines = [f"{'':>{width}} " + "".join(f" {h:>9}" for h in HEADERS), ""]
    for name, pv, rv, fv, sv in rows:
        lines.append(_row(name, pv, rv, fv, sv, width, digits))
    lines.append("")
    for name, pv, rv, fv, sv in averages:
        if name == "accuracy":
            lines.append(f"{name:>{width}} " + " " * 20 + f" {fv:>9.{digits}f} {sv:>9}")
        else:
            lines.append(_row(name, pv, rv, fv, sv, width, digits))
    return "\n".join(lines) + "\n"


def _row(name: str, p: float, r: float, f: float, s: Any, width: int, digits: int) -> str:
    scores = "".join(f" {v:>9.{digits}f}" for v in (p, r, f))
    return f"{name:>{width}} {scores} {s:>9}"
