"""The evaluation stop: its claims at tiny sizes, the text, and the metrics it shows against
scikit-learn (the oracle)."""

from __future__ import annotations

import numpy as np
import pytest
from chapter_checks import assert_claims_hold, assert_claims_in_prose
from sklearn import metrics as skm

from neuronlab.tour.chapters.evaluation import CHAPTER
from neuronlab.tour.chapters.evaluation.models import rare_income, scored
from neuronlab.tour.runner import run_experiment, run_headless
from neuronlab.tour.schema import ParamError

pytestmark = pytest.mark.usefixtures("one_blas_thread")


@pytest.mark.slow
def test_every_claim_holds_at_tiny_size():
    assert_claims_hold(CHAPTER)


def test_claim_texts_are_in_the_prose_and_the_math_renders():
    assert_claims_in_prose(
        CHAPTER,
        widgets=("accuracy-trap", "thresholds", "regression", "untouched-test"),
        math_at_least=8,
    )


def test_the_rare_class_is_rare_and_the_splits_do_not_overlap():
    d = rare_income()
    for part in ("train", "val", "test"):
        assert 0.02 <= d[f"y_{part}"].mean() <= 0.05, part
    train = {r.tobytes() for r in d["X_train"]}
    assert len(train) > 0.9 * len(d["X_train"])  # rows are (mostly) distinct people


def test_threshold_table_matches_scikit_learn():
    result = run_experiment("evaluation", "thresholds", {"cost_fp": 2.0, "cost_fn": 7.0})
    y, p = scored(6, 0)
    assert result["auc"] == pytest.approx(skm.roc_auc_score(y, p), abs=1e-12)
    assert result["ap"] == pytest.approx(skm.average_precision_score(y, p), abs=1e-12)
    for row in result["grid"][::7]:
        pred = (p >= row["threshold"]).astype(int)
        (tn, fp), (fn, tp) = skm.confusion_matrix(y, pred, labels=[0, 1])
        assert (row["tn"], row["fp"], row["fn"], row["tp"]) == (tn, fp, fn, tp)
        assert row["f1"] == pytest.approx(skm.f1_score(y, pred, zero_division=0.0), abs=1e-12)
        assert row["cost"] == 2.0 * fp + 7.0 * fn
    assert result["best"]["cost"] == min(r["cost"] for r in result["grid"])


def test_regression_errors_match_scikit_learn_and_reject_bad_input():
    result = run_experiment("evaluation", "regression", {"shifts": [100.0, 0.0, -50.0]})
    true, pred = np.array(result["points"]["true"]), np.array(result["points"]["pred"])
    err = result["with_outliers"]
    assert err["mae"] == pytest.approx(skm.mean_absolute_error(true, pred), rel=1e-6)
    assert err["rmse"] == pytest.approx(skm.root_mean_squared_error(true, pred), rel=1e-6)
    with pytest.raises(ParamError, match="shifts"):
        run_experiment("evaluation", "regression", {"shifts": [1e9]})
    with pytest.raises(ParamError, match="shifts"):
        run_experiment("evaluation", "regression", {"shifts": [0.0] * 6})


def test_untouched_test_streams_a_frame_per_configuration():
    frames = run_headless(
        "evaluation",
        "untouched_test",
        {"repeats": 1, "n_train": 60, "n_val": 30, "n_test": 30, "epochs": 1},
        every=1,
    )
    assert len(frames) == 16 and frames[-1]["repeat"] == 1
    last = frames[-1]
    assert len(last["rows"]) == 16 and len(last["rows"][0]) == 7  # 4 settings, 3 accuracies
    res = last["results"][0]
    assert res["test_tuned"]["reported"] == max(r[5] for r in last["rows"])
    assert res["val_tuned"]["reported"] == last["rows"][res["val_tuned"]["config"]][5]
