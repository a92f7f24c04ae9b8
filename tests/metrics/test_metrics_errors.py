"""Error messages: WHO failed, what was expected, what arrived, how to fix."""

from __future__ import annotations

import re

import numpy as np
import pytest

import neuronlab.metrics as nlm


def test_length_mismatch_names_function_counts_and_fix():
    with pytest.raises(ValueError) as info:
        nlm.f1_score(np.zeros(100, int), np.zeros(98, int))
    assert str(info.value) == (
        "f1_score: y_true and y_pred must have the same number of samples, got 100 and 98; "
        "pass one entry for every sample in both."
    )


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        # lengths, emptiness, shapes
        (lambda: nlm.accuracy_score([], []), ValueError, r"accuracy_score: at least one sample"),
        (
            lambda: nlm.roc_curve([0, 1, 1], [0.1, 0.2]),
            ValueError,
            r"roc_curve: y_true and y_score must have the same number of samples, got 3 and 2",
        ),
        (
            lambda: nlm.precision_score(np.eye(3), np.eye(3)),
            ValueError,
            r"precision_score: y_true must be a 1-D array of class labels, got shape \(3, 3\);"
            r".*argmax\(axis=1\)",
        ),
        (
            lambda: nlm.accuracy_score(3, 3),
            TypeError,
            r"accuracy_score: y_true must be an array-like .* got the scalar int 3; wrap it",
        ),
        (lambda: nlm.recall_score(None, [1]), TypeError, r"recall_score: y_true must be .*None"),
        # values
        (
            lambda: nlm.f1_score([0, 1, 1], [0.2, 0.7, 0.9]),
            ValueError,
            r"f1_score: y_pred must hold class labels, got continuous values .*float64.*"
            r"\(y_score >= 0.5\)",
        ),
        (
            lambda: nlm.accuracy_score([0, 1], [0.0, np.nan]),
            ValueError,
            r"accuracy_score: y_pred must not contain NaN or inf, got nan at flat index 1",
        ),
        (
            lambda: nlm.roc_auc_score([0, 1], [0.5, np.inf]),
            ValueError,
            r"roc_auc_score: y_score must not contain NaN or inf, got inf at flat index 1",
        ),
        (
            lambda: nlm.mean_squared_error([1.0, 2.0], [np.nan, 1.0]),
            ValueError,
            r"mean_squared_error: y_pred must not contain NaN",
        ),
        # types
        (
            lambda: nlm.f1_score(["a", "b"], [0, 1]),
            TypeError,
            r"f1_score: all labels must be of one type .* y_true has strings, y_pred has numbers",
        ),
        (
            lambda: nlm.accuracy_score(["a", 1], ["a", 1]),
            TypeError,
            r"accuracy_score: y_true mixes string and number labels",
        ),
        (
            lambda: nlm.mean_absolute_error(["1.0"], ["2.0"]),
            TypeError,
            r"mean_absolute_error: y_true must be numeric, got shape \(1,\), dtype <U3",
        ),
        # sample_weight
        (
            lambda: nlm.accuracy_score([0, 1], [0, 1], sample_weight=[1.0]),
            ValueError,
            r"accuracy_score: sample_weight must have one weight per sample \(2\), got 1",
        ),
        (
            lambda: nlm.accuracy_score([0, 1], [0, 1], sample_weight=[[1.0, 1.0]]),
            ValueError,
            r"sample_weight must be 1-D .* got shape \(1, 2\)",
        ),
        (
            lambda: nlm.accuracy_score([0, 1], [0, 1], sample_weight=[1.0, -1.0]),
            ValueError,
            r"sample_weight must be non-negative, got -1.0 at flat index 1",
        ),
        (
            lambda: nlm.accuracy_score([0, 1], [0, 1], sample_weight=[0, 0]),
            ValueError,
            r"accuracy_score: sample_weight sums to zero",
        ),
        # options
        (
            lambda: nlm.f1_score([0, 1, 2], [0, 1, 2]),
            ValueError,
            r"f1_score: target is multiclass \(3 classes: \[0, 1, 2\]\) but average='binary'; "
            r"choose another average setting, one of \[None, 'micro', 'macro', 'weighted'\]",
        ),
        (
            lambda: nlm.f1_score([0, 1], [0, 1], average="samples"),
            ValueError,
            r"f1_score: average must be one of \[None, 'binary', 'micro', 'macro', 'weighted'\], "
            r"got 'samples'",
        ),
        (
            lambda: nlm.precision_score(["a", "b"], ["a", "b"]),
            ValueError,
            r"precision_score: pos_label=1 is not a valid label, the labels are \['a', 'b'\]",
        ),
        (
            lambda: nlm.f1_score([0, 1], [0, 1], zero_division="nan"),
            ValueError,
            r"zero_division must be 'warn', 0, 1 or np.nan, got 'nan'",
        ),
        (
            lambda: nlm.fbeta_score([0, 1], [0, 1], beta=-1),
            ValueError,
            r"fbeta_score: beta must be a number >= 0, got -1",
        ),
        (
            lambda: nlm.confusion_matrix([0, 1], [0, 1], labels=[5, 6]),
            ValueError,
            r"confusion_matrix: at least one of the labels must occur in y_true",
        ),
        (
            lambda: nlm.confusion_matrix([0, 1], [0, 1], labels=[0, 0, 1]),
            ValueError,
            r"labels must be unique, got \[0, 0, 1\] where \[0\] repeat",
        ),
        (
            lambda: nlm.confusion_matrix([0, 1], [0, 1], labels=["0", "1"]),
            TypeError,
            r"labels must be of the same type as y \(numbers\)",
        ),
        (
            lambda: nlm.confusion_matrix([0, 1], [0, 1], normalize="rows"),
            ValueError,
            r"normalize must be one of \[None, 'true', 'pred', 'all'\], got 'rows'",
        ),
        (
            lambda: nlm.classification_report([0, 1], [0, 1], target_names=["a"]),
            ValueError,
            r"classification_report: target_names must name each of the 2 labels",
        ),
        # probabilities and scores
        (
            lambda: nlm.log_loss([0, 1], [[0.2, 0.9], [1.5, -0.5]]),
            ValueError,
            r"log_loss: y_proba must hold probabilities in \[0, 1\], got 1.5; apply softmax",
        ),
        (
            lambda: nlm.log_loss([0, 0], [0.1, 0.2]),
            ValueError,
            r"log_loss: y_true contains only one label \(0\).*pass labels=",
        ),
        (
            lambda: nlm.log_loss([0, 1, 2], [[0.5, 0.5]] * 3),
            ValueError,
            r"log_loss: y_proba must have one column per class, got 2 columns but 3 classes",
        ),
        (
            lambda: nlm.roc_curve(["a", "b"], [0.1, 0.9]),
            ValueError,
            r"roc_curve: y_true takes values \['a', 'b'\] and pos_label is not given",
        ),
        (
            lambda: nlm.roc_auc_score([0, 1, 2], [[0.2, 0.3, 0.5]] * 3),
            ValueError,
            r"roc_auc_score: y_true is multiclass .* pass multi_class='ovr'",
        ),
        (
            lambda: nlm.roc_auc_score([0, 1, 2], [[0.2, 0.3, 0.6]] * 3, multi_class="ovr"),
            ValueError,
            r"roc_auc_score: multiclass y_score must hold probabilities whose rows sum to 1",
        ),
        (
            lambda: nlm.roc_auc_score([0, 1], [[0.2, 0.8], [0.6, 0.4]]),
            ValueError,
            r"roc_auc_score: binary y_true needs a 1-D y_score .* pass y_score\[:, 1\]",
        ),
        (
            lambda: nlm.average_precision_score([0, 1, 2], [[0.5, 0.5]] * 3),
            ValueError,
            r"average_precision_score: y_score must have shape \(n_samples, n_classes\) = "
            r"\(3, 3\)",
        ),
        (
            lambda: nlm.auc([0.0, 1.0, 0.5], [1.0, 1.0, 1.0]),
            ValueError,
            r"auc: x must be increasing or decreasing",
        ),
        (lambda: nlm.auc([0.0], [1.0]), ValueError, r"auc: at least 2 points are needed"),
        # regression shapes and options
        (
            lambda: nlm.r2_score(np.zeros((3, 2)), np.zeros((3, 3))),
            ValueError,
            r"r2_score: y_true and y_pred must have the same number of outputs, got 2 and 3",
        ),
        (
            lambda: nlm.mean_absolute_error([1.0, 2.0], [1.0, 2.0], multioutput="variance"),
            ValueError,
            r"multioutput must be one of \['raw_values', 'uniform_average'\]",
        ),
        (
            lambda: nlm.mean_absolute_error([1.0, 2.0], [1.0, 2.0], multioutput=[0.5, 0.5]),
            ValueError,
            r"custom multioutput weights need several outputs",
        ),
    ],
)
def test_error_messages(call, error, pattern):
    with pytest.raises(error, match=pattern) as info:
        call()
    # every message ends with advice after a semicolon
    assert re.search(r"; .+", str(info.value)), str(info.value)


def test_errors_are_raised_before_any_computation_on_bad_weights():
    with pytest.raises(ValueError, match=r"sample_weight must be finite, got nan"):
        nlm.roc_curve([0, 1], [0.1, 0.9], sample_weight=[1.0, np.nan])
    with pytest.raises(TypeError, match=r"sample_weight must be numeric"):
        nlm.r2_score([1.0, 2.0], [1.0, 2.0], sample_weight=["a", "b"])
