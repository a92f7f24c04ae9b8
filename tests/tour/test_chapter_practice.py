"""The practice chapter: its claims at tiny sizes, and the lockstep runs behind each widget."""

from __future__ import annotations

import re

import numpy as np
import pytest

from neuronlab.tour.chapters.practice import CHAPTER
from neuronlab.tour.markdown import to_html
from neuronlab.tour.runner import check_claims, run_headless
from neuronlab.tour.schema import ParamError


@pytest.fixture(autouse=True)
def _one_blas_thread():
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # tiny matrices: threads only fight over the shared cores
        yield


def test_every_claim_holds_at_tiny_size():
    results = check_claims("practice", tiny=True)
    assert {r.id for r in results} == {c.id for c in CHAPTER.claims}
    failed = [f"{r.id}: {r.detail}" for r in results if not r.passed]
    assert not failed, failed


def test_claim_texts_are_in_the_prose_and_the_math_renders():
    text = " ".join(re.sub(r"[*_`]", "", CHAPTER.text()).split())
    for claim in CHAPTER.claims:
        assert " ".join(claim.text.split()) in text, claim.id
    html = to_html(CHAPTER.text())
    assert "math-error" not in html and html.count("<math") >= 5
    for widget in ("normalization", "schedules", "overfitting", "early-stopping"):
        assert f'data-widget="{widget}"' in html


def test_runs_advance_in_lockstep_with_full_histories():
    frames = run_headless("practice", "schedules", {"epochs": 6, "speed": 0}, every=2)
    assert [f["epoch"] for f in frames] == [0, 2, 4, 6]
    last = frames[-1]["runs"]
    assert set(last) == {"constant", "plateau", "cosine"}
    assert all(len(r["train"]) == 7 and len(r["lr"]) == 7 for r in last.values())
    assert last["constant"]["lr"] == [0.5] * 7
    assert last["cosine"]["lr"][-1] < last["cosine"]["lr"][2] < last["cosine"]["lr"][1] == 0.5
    # the same seed gives the same initial weights, so epoch 0 agrees across runs
    assert len({r["train"][0] for r in last.values()}) == 1


def test_early_stopping_marks_and_restores():
    frames = run_headless("practice", "early_stopping", {"epochs": 30, "patience": 3, "speed": 0})
    last = frames[-1]
    early, full = last["runs"]["early"], last["runs"]["full"]
    assert early["stopped"] and early["stopped_epoch"] == len(early["val"]) - 1
    assert early["stopped_epoch"] - early["best_epoch"] == 3
    assert last["restored_val"] == pytest.approx(early["val"][early["best_epoch"]], rel=1e-4)
    assert len(full["val"]) == 31  # the other run trains on to the end


def test_normalization_reports_feature_ranges():
    frames = run_headless("practice", "normalization", {"epochs": 3, "speed": 0, "dataset": "wine"})
    fr = frames[-1]["feature_range"]
    assert fr["raw"][1] > 100 and abs(fr["normalized"][0]) < 10


def test_overfitting_checks_params_and_model_size():
    with pytest.raises(ParamError, match="width"):
        run_headless("practice", "overfitting", {"width": 10_000})
    frames = run_headless("practice", "overfitting", {"epochs": 2, "width": 16, "speed": 0})
    gaps = {k: r["gap"] for k, r in frames[-1]["runs"].items()}
    assert set(gaps) == {"none", "dropout", "dropout_l2"} and all(np.isfinite(list(gaps.values())))
