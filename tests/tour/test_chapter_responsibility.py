"""The responsibility stop: its claims, the text, and its audit numbers against Fairlearn."""

from __future__ import annotations

import warnings

import fairlearn.metrics as flm
import numpy as np
import pytest
from chapter_checks import assert_claims_in_prose

from neuronlab.tour.chapters.responsibility import CHAPTER
from neuronlab.tour.chapters.responsibility.models import adult, audited
from neuronlab.tour.runner import check_claims, run_experiment, run_headless
from neuronlab.tour.schema import ParamError


@pytest.fixture(autouse=True)
def _quiet_and_one_blas_thread(one_blas_thread):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.mark.slow
def test_every_claim_holds():
    results = check_claims("responsibility", tiny=True)
    assert {r.id for r in results} == {c.id for c in CHAPTER.claims}
    failed = [f"{r.id}: {r.detail}" for r in results if not r.passed]
    assert not failed, failed


def test_claim_texts_are_in_the_prose_and_the_math_renders():
    assert_claims_in_prose(
        CHAPTER, widgets=("data-audit", "bias-audit", "mitigation", "privacy"), math_at_least=6
    )


@pytest.mark.slow
def test_bias_audit_equals_fairlearn_on_the_same_predictions():
    result = run_experiment("responsibility", "bias_audit", {})
    d = adult()
    pred = (audited(3, 0)["p_test"] >= 0.5).astype(int)
    for col in ("sex", "race"):
        s = d[f"{col}_test"]
        assert result[col]["dp_difference"] == pytest.approx(
            flm.demographic_parity_difference(d["y_test"], pred, sensitive_features=s), abs=1e-12
        )
        assert result[col]["eo_difference"] == pytest.approx(
            flm.equalized_odds_difference(d["y_test"], pred, sensitive_features=s), abs=1e-12
        )
        frame = flm.MetricFrame(
            metrics=flm.true_positive_rate, y_true=d["y_test"], y_pred=pred, sensitive_features=s
        )
        for row in result[col]["rows"]:
            assert row["tpr"] == pytest.approx(frame.by_group[row["group"]], abs=1e-12)


@pytest.mark.slow
def test_mitigation_reports_the_trade_off_and_refuses_bad_input():
    result = run_experiment("responsibility", "mitigation", {"tolerance": 1.0})
    assert [c["tolerance"] for c in result["curve"]][-1] == 1.0
    strict, loose = result["curve"][0], result["curve"][-1]
    assert strict["dp_difference"] < loose["dp_difference"]
    with pytest.raises(ParamError, match="constraint"):
        run_experiment("responsibility", "mitigation", {"constraint": "equalized_odds"})
    with pytest.raises(ParamError, match="tolerance"):
        run_experiment("responsibility", "mitigation", {"tolerance": 2})


@pytest.mark.slow
def test_privacy_streams_every_model_with_its_epsilon():
    frames = run_headless("responsibility", "privacy", {"n_members": 150, "epochs": 1}, every=1)
    last = frames[-1]
    assert [r["target_epsilon"] for r in last["runs"]] == [None, 0.5, 1.0, 3.0, 8.0]
    for r in last["runs"][1:]:
        assert r["epsilon"] <= r["target_epsilon"] and r["epsilon"] > 0.9 * r["target_epsilon"]
    assert "accuracy_curve" in last and last["norms"]["clip"] == 1.0
    assert np.isclose(sum(last["norms"]["before"]), sum(last["norms"]["after"]))
