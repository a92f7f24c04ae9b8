"""The transfer stop: the shipped source model, the target task, the three contenders built
from the library, the race, the learning curve and every claim at a small size."""

from __future__ import annotations

import numpy as np
import pytest
from chapter_checks import assert_claims_in_prose

import neuronlab as nl
from neuronlab import models
from neuronlab.data import load_fashion_mnist_subset
from neuronlab.tour.chapters.transfer import CHAPTER
from neuronlab.tour.chapters.transfer.task import (
    contender,
    few_labels,
    pretrained_with_new_head,
    target_task,
)
from neuronlab.tour.runner import check_claims, run_headless
from neuronlab.tour.schema import ParamError

pytestmark = pytest.mark.usefixtures("one_blas_thread")


def test_the_source_model_never_saw_a_target_class():
    card = models.pretrained_card("fashion-cnn-source")
    assert sorted(card["source_classes"] + card["target_classes"]) == list(range(10))
    assert not set(card["source_classes"]) & set(card["target_classes"])
    model = models.load_pretrained("fashion-cnn-source")
    assert model.num_classes == 5 and card["seed"] == 0 and card["epochs"] == 10
    data = load_fashion_mnist_subset(layout="nchw")
    keep = np.isin(data.y_test, card["source_classes"])
    with nl.no_grad():
        pred = model(nl.tensor(data.X_test[keep])).data.argmax(axis=1)
    truth = np.searchsorted(card["source_classes"], data.y_test[keep])
    assert float((pred == truth).mean()) == pytest.approx(card["test_accuracy"], abs=1e-3)


def test_the_target_task_holds_only_the_other_classes():
    task = target_task()
    assert task.classes == ["Pullover", "Dress", "Coat", "Shirt", "Sneaker"]
    assert len(task.X_test) == 500 and np.bincount(task.y_test).tolist() == [100] * 5
    X, y = few_labels(task, 7, seed=3)
    assert X.shape == (35, 1, 28, 28) and np.bincount(y).tolist() == [7] * 5
    X2, _ = few_labels(task, 7, seed=3)
    np.testing.assert_array_equal(X, X2)


def test_contenders_freeze_and_group_what_they_should():
    task = target_task()
    X, y = few_labels(task, 5, seed=0)
    probe = contender("probe", task, X, y, lr=0.003, body_lr_factor=0.1, seed=0)
    assert probe.trainer.model.weight.shape == (5, 784)  # a head on the frozen conv features
    assert probe.evaluate_on.shape == (500, 784)
    tuned = contender("finetune", task, X, y, lr=0.003, body_lr_factor=0.1, seed=0)
    groups = tuned.trainer.optimizer.param_groups
    assert [g["lr"] for g in groups] == [pytest.approx(0.0003), 0.003]
    assert sum(p.data.size for p in groups[1]["params"]) == 64 * 5 + 5
    source = models.load_pretrained("fashion-cnn-source")
    before = np.array(tuned.trainer.model.features[0].weight.data)
    np.testing.assert_array_equal(before, source.features[0].weight.data)
    tuned.advance(3)
    assert not np.allclose(tuned.trainer.model.features[0].weight.data, before)
    for run in (probe, tuned):
        run.close()
    with pytest.raises(ValueError, match="kind must be one of scratch, probe, finetune"):
        contender("distill", task, X, y, lr=0.003, body_lr_factor=0.1, seed=0)


def test_the_new_head_is_fresh_and_the_body_is_pretrained():
    model = pretrained_with_new_head(seed=0)
    source = models.load_pretrained("fashion-cnn-source")
    np.testing.assert_array_equal(model.classifier[1].weight.data, source.classifier[1].weight.data)
    assert not np.allclose(model.classifier[3].weight.data, source.classifier[3].weight.data)


def test_the_race_steps_three_runs_in_lockstep():
    frames = run_headless("transfer", "race", {"labels": 5, "steps": 20, "speed": 0}, every=10)
    last = frames[-1]
    assert last["step"] == 20 and set(last["runs"]) == {"scratch", "probe", "finetune"}
    for run in last["runs"].values():
        assert run["steps"] == [0, 10, 20] and len(run["accuracy"]) == 3
        assert all(0 <= a <= 1 for a in run["accuracy"]) and run["seconds"] > 0
    assert last["result"]["kind"] == "table" and last["test_accuracy"]["kind"] == "series"


def test_the_curve_reports_each_label_count():
    frames = run_headless("transfer", "curve", {"label_counts": [5, 10], "seeds": 1, "steps": 10})
    last = frames[-1]
    assert last["done"] == last["total"] == 2 and last["label_counts"] == [5, 10]
    for run in last["runs"].values():
        assert len(run["accuracy"]) == 2 and all(s > 0 for s in run["seconds"])
    assert last["learning_curve"]["x"] == [5.0, 10.0]


def test_bad_parameters_are_refused():
    with pytest.raises(ParamError, match="labels"):
        CHAPTER.experiment("race").validate({"labels": 2})
    with pytest.raises(ParamError, match="label_counts"):
        CHAPTER.experiment("curve").validate({"label_counts": [5, 1000]})


def test_claim_texts_are_in_the_prose_and_widgets_render():
    assert_claims_in_prose(CHAPTER, widgets=("race", "curve"), math_at_least=2)


@pytest.mark.slow
def test_every_claim_holds_at_small_size():
    results = check_claims("transfer", tiny=True)
    assert {r.id for r in results} == {c.id for c in CHAPTER.claims}
    failed = [f"{r.id}: {r.detail}" for r in results if not r.passed]
    assert not failed, failed


def test_runs_end_their_trainers_in_the_thread_that_ran_them():
    """Regression: trainers left unfinished were closed by the garbage collector, in whatever
    thread it ran, and the Ctrl-C guard entered in the main thread then failed to restore its
    handler there ('signal only works in main thread')."""
    import gc
    import sys
    import threading

    gc.collect()  # what other tests left behind is finalized here, in the main thread
    seen, previous = [], sys.unraisablehook
    sys.unraisablehook = seen.append
    try:
        frames = run_headless("transfer", "race", {"labels": 5, "steps": 10, "speed": 0})
        run_headless("transfer", "curve", {"label_counts": [5], "seeds": 1, "steps": 10})
        collector = threading.Thread(target=gc.collect)  # any thread may run the collector
        collector.start()
        collector.join()
    finally:
        sys.unraisablehook = previous
    assert frames[-1]["step"] == 10
    assert not seen, [str(s.exc_value) for s in seen]
