"""Evaluation metrics in pure NumPy, with scikit-learn's names and semantics.

Conventions (as in scikit-learn): every function takes ``(y_true, y_pred, *, ...)``;
``*_score`` is better when higher, ``*_loss`` / ``*_error`` is better when lower.

* classification: :func:`accuracy_score`, :func:`precision_score`,
  :func:`recall_score`, :func:`f1_score`, :func:`fbeta_score`,
  :func:`precision_recall_fscore_support`, :func:`confusion_matrix`,
  :func:`classification_report`, :func:`log_loss`;
* ranking: :func:`roc_curve`, :func:`auc`, :func:`roc_auc_score`,
  :func:`precision_recall_curve`, :func:`average_precision_score`;
* regression: :func:`mean_absolute_error`, :func:`mean_squared_error`,
  :func:`root_mean_squared_error`, :func:`r2_score`,
  :func:`mean_absolute_percentage_error`;
* streaming wrappers for training loops: :class:`Mean`, :class:`Accuracy`,
  :class:`Streaming`.

Ill-defined results (e.g. precision with no predicted samples) emit
:class:`UndefinedMetricWarning`.
"""

from ._classification import accuracy_score, confusion_matrix, log_loss
from ._curves import auc, precision_recall_curve, roc_curve
from ._prf import (
    f1_score,
    fbeta_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from ._ranking import average_precision_score, roc_auc_score
from ._regression import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from ._report import classification_report
from ._streaming import Accuracy, Mean, Streaming
from ._validation import UndefinedMetricWarning

__all__ = [
    "Accuracy",
    "Mean",
    "Streaming",
    "UndefinedMetricWarning",
    "accuracy_score",
    "auc",
    "average_precision_score",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "fbeta_score",
    "log_loss",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "r2_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
    "root_mean_squared_error",
]
