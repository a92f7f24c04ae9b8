"""Score dicts equal scikit-learn's numbers; the text report says what it should."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sklearn.metrics as sk

from neuronlab import report
from neuronlab.report import (
    Table,
    classification_scores,
    format_number,
    format_report,
    format_table,
    regression_scores,
    softmax,
)


def _case(n, k, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    y[:k] = np.arange(k)  # every class present
    logits = rng.normal(size=(n, k)) + 2.0 * np.eye(k)[y] * rng.random((n, 1))
    return y, softmax(logits)


@pytest.mark.parametrize(("k", "seed"), [(2, 0), (2, 1), (3, 2), (10, 3)])
def test_classification_scores_match_scikit_learn(k, seed):
    y, p = _case(300, k, seed)
    pred = p.argmax(axis=1)
    s = classification_scores(y, p)
    assert s["accuracy"] == pytest.approx(sk.accuracy_score(y, pred), abs=1e-12)
    for avg in ("macro", "weighted"):
        prec, rec, f1, _ = sk.precision_recall_fscore_support(y, pred, average=avg,
                                                              zero_division=0)  # fmt: skip
        assert s[f"precision_{avg}"] == pytest.approx(prec, abs=1e-12)
        assert s[f"recall_{avg}"] == pytest.approx(rec, abs=1e-12)
        assert s[f"f1_{avg}"] == pytest.approx(f1, abs=1e-12)
    if k == 2:
        assert s["roc_auc"] == pytest.approx(sk.roc_auc_score(y, p[:, 1]), abs=1e-12)
        assert s["roc_auc_kind"] == "binary"
    else:
        expected = sk.roc_auc_score(y, p, multi_class="ovr")
        assert s["roc_auc"] == pytest.approx(expected, abs=1e-12)
        assert s["roc_auc_kind"] == "one-vs-rest macro"
    assert s["log_loss"] == pytest.approx(sk.log_loss(y, p), abs=1e-10)
    assert s["confusion_matrix"] == sk.confusion_matrix(y, pred).tolist()
    per_class = sk.classification_report(y, pred, output_dict=True, zero_division=0)
    for i, name in enumerate(s["classes"]):
        assert s["per_class"][name]["f1"] == pytest.approx(per_class[str(i)]["f1-score"])
        assert s["per_class"][name]["support"] == per_class[str(i)]["support"]


def test_scores_are_plain_json():
    y, p = _case(50, 3, 0)
    s = classification_scores(y, p, classes=["a", "b", "c"])
    assert json.loads(json.dumps(s)) == s  # plain Python types only
    assert list(s["per_class"]) == ["a", "b", "c"]


def test_auc_is_none_when_a_class_is_missing():
    p = softmax(np.zeros((4, 3)))
    s = classification_scores([0, 1, 1, 0], p)
    assert s["roc_auc"] is None and s["roc_auc_kind"].startswith("undefined")
    s2 = classification_scores([1, 1, 1], softmax(np.zeros((3, 2))))
    assert s2["roc_auc"] is None


def test_classification_scores_check_shapes():
    with pytest.raises(ValueError, match=r"expected proba of shape \(3, n_classes\)"):
        classification_scores([0, 1, 1], np.ones((2, 2)) / 2)
    with pytest.raises(ValueError, match="expected 2 class names"):
        classification_scores([0, 1], np.ones((2, 2)) / 2, classes=["a"])


def test_regression_scores_match_scikit_learn():
    rng = np.random.default_rng(0)
    y = rng.normal(150, 70, 200)
    pred = y + rng.normal(0, 40, 200)
    s = regression_scores(y, pred)
    assert s["mae"] == pytest.approx(sk.mean_absolute_error(y, pred), rel=1e-12)
    assert s["rmse"] == pytest.approx(math.sqrt(sk.mean_squared_error(y, pred)), rel=1e-12)
    assert s["r2"] == pytest.approx(sk.r2_score(y, pred), rel=1e-12)
    with pytest.raises(ValueError, match="one prediction per target"):
        regression_scores([1.0, 2.0], [1.0])


def test_softmax_is_stable_and_normalized():
    p = softmax(np.array([[1000.0, 1000.0, -1000.0], [0.0, 1.0, 2.0]], dtype=np.float32))
    assert p.dtype == np.float64
    assert np.allclose(p.sum(axis=1), 1.0) and np.all(np.isfinite(p))
    assert p[0, 0] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="shape \\(n_samples, n_classes\\)"):
        softmax(np.zeros(3))


# ----- text ----------------------------------------------------------------------------------
def test_classification_text_report():
    y = np.array([0, 0, 1, 1, 2, 2])
    p = softmax(np.eye(3)[[0, 0, 1, 2, 2, 2]] * 5)
    base = classification_scores(y, softmax(np.eye(3)[[0, 1, 1, 1, 2, 2]] * 5),
                                 classes=["cat", "dog", "bird"])  # fmt: skip
    text = format_report(classification_scores(y, p, classes=["cat", "dog", "bird"]),
                         baseline=base)  # fmt: skip
    lines = text.splitlines()
    assert lines[0] == "Test set · 6 samples"
    assert lines[1].split() == ["metric", "network", "baseline"]
    assert lines[3].split() == ["accuracy", "0.8333", "0.8333"]
    for label in ("precision (macro)", "recall (weighted)", "F1 (macro)", "ROC AUC", "log-loss",
                  "ROC AUC: one-vs-rest macro", "Per class", "Confusion matrix"):  # fmt: skip
        assert label in text, label
    assert "dog" in text and "bird" in text
    assert "true \\ predicted  cat  dog  bird" in text
    assert any(line.split() == ["dog", "0", "1", "1"] for line in lines)  # a confusion row
    assert any(line.split() == ["dog", "1.0000", "0.5000", "0.6667", "2"] for line in lines)


def test_regression_text_report_has_no_class_tables():
    text = format_report(regression_scores([1.0, 2.0, 3.0], [1.0, 2.5, 3.5]), title="Diabetes")
    assert text.splitlines()[0] == "Diabetes · 3 samples"
    assert "MAE" in text and "RMSE" in text and "R²" in text
    assert "Per class" not in text and "Confusion" not in text


def test_format_table_aligns_columns():
    t = Table("T", ("name", "value"), [("a", "1.5"), ("long name", "10.25")], (False, True),
              note="a note")  # fmt: skip
    assert format_table(t).splitlines() == [
        "T", "name       value", "---------  -----", "a            1.5", "long name  10.25",
        "a note"]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.5, "0.5000"), (45.30571, "45.3057"), (12345.67, "12345.7"), (None, "—"), (3, "3")],
)
def test_format_number(value, text):
    assert format_number(value) == text


def test_write_json_is_strict_and_atomic(tmp_path):
    path = report.write_json(tmp_path / "m.json", {"auc": float("nan"), "n": np.int64(3),
                                                   "a": np.arange(2), "inf": np.inf})  # fmt: skip
    assert json.loads(path.read_text()) == {"auc": None, "n": 3, "a": [0, 1], "inf": None}
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]
