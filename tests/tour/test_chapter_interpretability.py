"""The interpretability stop: each experiment's data, the live sanity check, errors, and every
claim at a small size."""

from __future__ import annotations

import numpy as np
import pytest
from chapter_checks import assert_claims_in_prose

from neuronlab import interpret
from neuronlab.tour.chapters.interpretability import CHAPTER
from neuronlab.tour.chapters.interpretability.shared import (
    METHODS,
    image_frame,
    map_frame,
    value_range,
)
from neuronlab.tour.frames import decode_grid
from neuronlab.tour.runner import check_claims, run_experiment, run_headless
from neuronlab.tour.schema import ParamError

pytestmark = pytest.mark.usefixtures("one_blas_thread")


def run(name, **params):
    return run_experiment("interpretability", name, params)


def test_explain_returns_five_maps_and_the_prediction():
    out = run("explain", index=3, samples=4, steps=8)
    assert {f"map_{name}" for name in METHODS} <= set(out) and len(out["classes"]) == 10
    assert out["explained"] == out["predicted"] == int(np.argmax(out["probabilities"]))
    assert sum(out["probabilities"]) == pytest.approx(1.0)
    assert set(out["ranges"]) == set(METHODS)
    for frame in (out[f"map_{name}"] for name in METHODS):
        cells = decode_grid(frame)
        assert cells.shape == (28, 28) and np.abs(cells).max() == pytest.approx(1.0, abs=0.01)
    other = run("explain", index=3, target=6, samples=4, steps=8)
    assert other["explained"] == 6


def test_a_drawing_is_explained_and_a_bad_one_refused():
    pad = np.zeros((28, 28))
    pad[6:22, 10:18] = 1.0  # a tall bar: trouser-like
    out = run("explain", pixels=pad.ravel().tolist(), samples=2, steps=4)
    assert out["label"] is None and np.allclose(decode_grid(out["image"]), pad, atol=0.01)
    with pytest.raises(ParamError, match="784 values"):
        run("explain", pixels=[0.5] * 10)
    with pytest.raises(ParamError, match="target"):
        run("explain", target=10)


def test_map_frames_scale_to_their_largest_value_and_keep_the_range():
    values = np.array([[-2.0, 1.0], [0.0, 0.5]])
    frame = map_frame(values)
    assert value_range(values) == [-2.0, 1.0]
    np.testing.assert_allclose(decode_grid(frame), [[-1, 0.5], [0, 0.25]], atol=0.01)
    assert decode_grid(image_frame(np.full(784, 0.5))).shape == (28, 28)


def test_features_show_a_picture_and_the_top_images_per_unit():
    out = run("features", layer="features.0", steps=5, top=3)
    assert len(out["units"]) == 8
    unit = out["units"][2]
    assert unit["name"] == "filter 2" and len(unit["top"]) == 3 and len(unit["top_labels"]) == 3
    classes = run("features", layer="classifier.3", steps=0, top=1)["units"]
    assert [u["name"] for u in classes][:2] == ["T-shirt/top", "Trouser"]


def test_sanity_check_randomizes_one_layer_per_frame():
    frames = run_headless("interpretability", "sanity", {"images": 2})
    assert len(frames) == 5
    assert frames[-1]["stages"] == ["trained", "classifier.3", "classifier.1", "features.3",
                                    "features.0"]  # fmt: skip
    for values in frames[-1]["correlation"].values():
        assert len(values) == 5 and values[0] == 1.0
    assert set(frames[0]["maps"]) == set(METHODS)


def test_the_live_check_agrees_with_the_library_for_saliency():
    frames = run_headless("interpretability", "sanity", {"images": 3, "seed": 4})
    from neuronlab.data import load_fashion_mnist_subset
    from neuronlab.models import load_pretrained

    data = load_fashion_mnist_subset(layout="nchw")
    check = interpret.randomization_check(interpret.saliency, load_pretrained("fashion-cnn"),
                                          data.X_test[:3], data.y_test[:3], seed=4)  # fmt: skip
    np.testing.assert_allclose(frames[-1]["correlation"]["saliency"], check.mean(), atol=1e-9)


def test_baselines_mistakes_focus_and_completeness():
    base = run("baselines", index=1, steps=8)
    assert [b["baseline"] for b in base["baselines"]] == ["black", "white", "mean image",
                                                         "blurred", "uniform noise"]  # fmt: skip
    assert base["baselines"][0]["rank_correlation"] == pytest.approx(1.0)
    wrong = run("mistakes", count=3)
    confidences = [item["confidence"] for item in wrong["items"]]
    assert confidences == sorted(confidences, reverse=True) and len(confidences) == 3
    assert all(item["label"] != item["predicted"] for item in wrong["items"])
    focus = run("focus", images=4)
    assert set(focus["shares"]) == set(METHODS) and 0 < focus["area"] < 1
    gaps = run("completeness", images=2, steps=8)
    assert set(gaps["methods"]) == set(interpret.METHODS)


def test_claim_texts_are_in_the_prose_and_widgets_render():
    assert_claims_in_prose(
        CHAPTER,
        widgets=("explain", "features", "sanity", "baselines", "mistakes", "focus", "completeness"),
        math_at_least=5,
    )


@pytest.mark.slow
def test_every_claim_holds_at_small_size():
    results = check_claims("interpretability", tiny=True)
    assert {r.id for r in results} == {c.id for c in CHAPTER.claims}
    failed = [f"{r.id}: {r.detail}" for r in results if not r.passed]
    assert not failed, failed


def test_experiments_in_parallel_threads_do_not_share_a_model():
    """Regression: the lab runs quick experiments in threads; with one shared model, the
    forward hooks of activation maximization caught another thread's batch and failed."""
    from concurrent.futures import ThreadPoolExecutor

    from neuronlab.tour.chapters.interpretability.shared import model

    assert model() is not model()
    jobs = [("features", {"layer": "features.0", "steps": 15, "top": 1})] + [
        ("explain", {"index": i, "samples": 2, "steps": 4}) for i in range(4)
    ]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda job: run(job[0], **job[1]), jobs))
    assert len(results[0]["units"]) == 8 and all("map_occlusion" in r for r in results[1:])


def test_tabular_attributions_group_columns_and_add_up():
    out = run("tabular", dataset="breast_cancer", rows=20, steps=20)
    names = [f["feature"] for f in out["features"]]
    assert len(names) == 30 and len(set(names)) == 30
    magnitudes = [f["mean_abs"] for f in out["features"]]
    assert magnitudes == sorted(magnitudes, reverse=True) and magnitudes[0] > 0
    assert out["test_accuracy"] > 0.9 and out["max_gap"] < 0.05


def test_one_hot_columns_are_added_into_their_feature():
    from types import SimpleNamespace

    from neuronlab.tour.chapters.interpretability.tabular import _groups

    bundle = SimpleNamespace(
        categorical_features=("education", "sex"),
        numeric_features=("age", "education_num"),
        feature_names=("age", "education_num", "education=Bachelors", "education_HS-grad",
                       "sex_Female"),
    )  # fmt: skip
    assert _groups(bundle) == ["age", "education_num", "education", "education", "sex"]


@pytest.mark.slow
def test_adult_attributions_are_per_census_answer():
    from neuronlab.data import load_adult

    bundle = load_adult()
    out = run("tabular", dataset="adult", rows=20, steps=8)
    names = {f["feature"] for f in out["features"]}
    assert names == set(bundle.categorical_features) | set(bundle.numeric_features)
    assert out["test_accuracy"] > 0.8
