"""The practice chapter: its claims at tiny sizes, and the lockstep runs behind each widget."""

from __future__ import annotations

import numpy as np
import pytest
from chapter_checks import assert_claims_hold, assert_claims_in_prose

from neuronlab.tour.chapters.practice import CHAPTER
from neuronlab.tour.runner import run_headless
from neuronlab.tour.schema import ParamError

pytestmark = pytest.mark.usefixtures("one_blas_thread")


def test_every_claim_holds_at_tiny_size():
    assert_claims_hold(CHAPTER)


def test_claim_texts_are_in_the_prose_and_the_math_renders():
    assert_claims_in_prose(
        CHAPTER,
        widgets=("normalization", "schedules", "overfitting", "early-stopping"),
        math_at_least=5,
    )


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
