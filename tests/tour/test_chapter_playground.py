"""The playground chapter: its claims at tiny sizes, its trainer, data, CSV reader and limits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from chapter_checks import assert_claims_hold

from neuronlab.models.features import point_features
from neuronlab.tour.chapters.playground import CHAPTER
from neuronlab.tour.chapters.playground.config import build_config
from neuronlab.tour.chapters.playground.data import CSVError, grid_points, parse_csv
from neuronlab.tour.chapters.playground.network import Playground, linear_layers
from neuronlab.tour.frames import decode_grid
from neuronlab.tour.runner import run_experiment, run_headless
from neuronlab.tour.schema import ParamError


def test_every_claim_holds_at_tiny_size():
    assert_claims_hold(CHAPTER)


def test_claim_texts_are_in_the_prose():
    text = " ".join(CHAPTER.text().replace("*", "").split())
    for claim in CHAPTER.claims:
        assert " ".join(claim.text.split()) in text, claim.id


def test_features_are_the_playground_seven():
    X = np.array([[1.0, 2.0]], dtype=np.float32)
    names = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]
    got = point_features(X, names)[0]
    want = [1, 2, 1, 4, 2, math.sin(1), math.sin(2)]
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_grid_rows_start_at_the_top():
    g = grid_points(4)
    assert g[0, 1] > 0 and g[-1, 1] < 0  # first row at large x2
    assert g[0, 0] < g[3, 0]  # left to right


def test_same_seed_same_run_different_seed_different_run():
    def final(seed):
        pg = Playground(build_config(seed=seed, dataset="xor", layers=[4], dropout=0.2))
        pg.train_steps(50)
        return pg.measure()["train_loss"]

    assert final(3) == final(3)
    assert final(3) != final(4)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("reg", ["none", "l1", "l2"])
def test_every_optimizer_and_regularizer_trains(optimizer, reg):
    cfg = build_config(
        dataset="gaussian",
        layers=[3],
        optimizer=optimizer,
        regularization=reg,
        reg_rate=0.001,
        learning_rate=0.03,
        seed=0,
    )
    pg = Playground(cfg)
    before = pg.measure()["train_loss"]
    pg.train_steps(200)
    assert pg.measure()["train_loss"] < before


def test_l1_pushes_weights_to_zero_more_than_l2():
    def small_weights(reg):
        pg = Playground(
            build_config(
                dataset="circle",
                layers=[8],
                regularization=reg,
                reg_rate=0.01,
                optimizer="sgd",
                seed=2,
            )
        )
        pg.train_steps(1500)
        w = np.concatenate([m.weight.data.ravel() for m in linear_layers(pg.model)])
        return float((np.abs(w) < 0.02).mean())

    assert small_weights("l1") > small_weights("l2")


def test_per_layer_activations_and_multiclass_outputs():
    cfg = build_config(dataset="spiral", classes=4, layers=[5, 3], activations=["relu", "sigmoid"])
    pg = Playground(cfg)
    maps = pg.neuron_maps(8)
    assert [m.shape for m in maps] == [(5, 64), (3, 64)]
    assert maps[0].min() >= 0  # relu
    assert maps[1].min() >= 0 and maps[1].max() <= 1  # sigmoid
    probs = pg.predict(pg.data["X_test"])
    assert probs.shape[1] == 4
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
    assert np.array(pg.measure()["confusion"]).shape == (4, 4)


def test_clicked_points_join_the_training_set():
    base = Playground(build_config(dataset="circle", n_samples=100)).data
    more = Playground(
        build_config(dataset="circle", n_samples=100, points=[[1.0, 1.0, 1.0], [-2.0, 3.0, 0.0]])
    ).data
    assert len(more["X_train"]) == len(base["X_train"]) + 2
    assert len(more["X_val"]) == len(base["X_val"]) and len(more["X_test"]) == len(base["X_test"])


def test_custom_data_set_of_only_your_points():
    pts = [[x, y, float(x > 0)] for x in (-3.0, -1.0, 1.0, 3.0) for y in (-2.0, 2.0)]
    d = Playground(build_config(dataset="custom", points=pts, train_ratio=50)).data
    assert len(d["X_train"]) + len(d["X_val"]) + len(d["X_test"]) == 8


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"problem": "regression", "dataset": "xor"}, "classification data set"),
        ({"dataset": "circle", "points": [[0.0, 0.0, 3.0]]}, "item 0 has label 3"),
        ({"dataset": "custom", "points": [[0.0, 0.0, 1.0]]}, "at least 4 points"),
        ({"problem": "regression", "dataset": "plane", "points": [[0.0, 0.0, 2.0]]}, "target 2"),
    ],
)
def test_cross_parameter_errors_name_the_parameter(params, match):
    with pytest.raises(ParamError, match=match):
        build_config(**params)


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"layers": [4] * 9}, "layers"),
        ({"layers": [11]}, "layers"),
        ({"learning_rate": 100}, "learning_rate"),
        ({"features": []}, "features"),
        ({"features": ["x3"]}, "features"),
        ({"activations": ["swish"]}, "activations"),
        ({"points": [[7.0, 0.0, 1.0]]}, "points"),
        ({"batch_size": 0}, "batch_size"),
        ({"bogus": 1}, "bogus"),
    ],
)
def test_schema_refuses_bad_parameters(params, param):
    with pytest.raises(ParamError) as info:
        CHAPTER.experiment("train").validate(params)
    assert info.value.param == param


def test_dataset_experiment_gives_points_and_feature_maps():
    out = run_experiment(
        "playground", "dataset", {"dataset": "xor", "n_samples": 60, "features": ["x1", "x1x2"]}
    )
    assert len(out["points"]["x"]) == 60 and sum(out["points"]["test"]) == out["n_test"]
    assert len(out["feature_maps"]) == 2


def test_live_run_frames_carry_everything_the_page_draws():
    frames = run_headless(
        "playground",
        "train",
        {"dataset": "gaussian", "classes": 3, "layers": [4, 3], "stop_after": 60},
        every=20,
    )
    first, last = frames[0], frames[-1]
    assert "data" in first and "data" not in last
    assert len(first["neurons"]) == 3  # the inputs, then two hidden layers
    assert [len(layer) for layer in first["neurons"]] == [2, 4, 3]
    assert len(last["probs"]) == 3 and decode_grid(last["boundary"]).shape == (50, 50)
    assert last["step"] == 60 and len(last["history"]["x"]) == last["epoch"] + 1
    assert [np.array(w).shape for w in last["weights"]] == [(4, 2), (3, 4), (3, 3)]
    assert set(last["history"]["ys"]) == {"train", "val", "test", "train_accuracy",
                                          "val_accuracy", "test_accuracy"}  # fmt: skip
    data = first["data"]
    n = data["n_train"] + data["n_val"] + data["n_test"]
    assert n == 400 and data["n_val"] == 40  # 20% of the 200 training points
    assert len(data["val"]) == n and sum(data["val"]) == data["n_val"]
    assert sum(data["points"]["test"]) == data["n_test"]
    assert not any(v and t for v, t in zip(data["val"], data["points"]["test"]))
    assert 0 <= last["val_accuracy"] <= 1 and math.isfinite(last["val_loss"])


def test_live_updates_change_the_running_net():
    pg = Playground(build_config(learning_rate=0.03))
    pg.apply_updates({"learning_rate": 0.5, "regularization": "l2", "reg_rate": 0.1})
    assert [g["lr"] for g in pg.optimizer.param_groups] == [0.5, 0.5]
    assert [g["weight_decay"] for g in pg.optimizer.param_groups] == [0.1, 0.0]  # weights only
    pg.apply_updates({"regularization": "l1", "reg_rate": 0.2, "batch_size": 7})
    assert pg.l1.rate == 0.2 and pg.optimizer.param_groups[0]["weight_decay"] == 0.0
    assert pg.trainer.train_data.batch_size == 7
    pg.apply_updates({"early_stop": True, "patience": 3})
    assert pg.early_stopping is not None and pg.early_stopping.patience == 3
    pg.apply_updates({"early_stop": False})
    assert pg.early_stopping is None


def test_csv_reader_scales_and_labels():
    out = parse_csv(b"x1,x2,label\n0,0,cat\n10,0,dog\n10,10,cat\n0,10,dog\n")
    assert out["classes"] == 2 and out["class_names"] == ["cat", "dog"]
    xy = np.array(out["points"])[:, :2]
    assert np.abs(xy).max() == pytest.approx(5.5)
    reg = parse_csv("0,0,5\n1,0,-10\n0,1,2\n1,1,0", problem="regression")
    assert max(abs(p[2]) for p in reg["points"]) == 1


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("0,0,1\n1,2\n", "line 2: expected 3 comma-separated values"),
        ("x1,x2,y\n0,0,1\n1,nan,0\n", "line 3: 'nan' is not a finite number"),
        ("0,0,1\n1,1,\n", "line 2: the label is empty"),
        ("0,0,1\n1,1,1\n2,2,1\n3,3,1\n", "same label"),
        ("0,0,1\n1,1,0\n", "at least 4"),
        ("".join(f"{i},0,{i}\n" for i in range(8)), "line 7: label '6' is class 7"),
        ("0,0,a\n1,1,b\n2,2,a\n3,3,zz\n", None),
    ],
)
def test_csv_errors_name_the_line_and_the_reason(text, match):
    if match is None:
        assert parse_csv(text)["classes"] == 3
        return
    with pytest.raises(CSVError, match=match):
        parse_csv(text)


def test_csv_size_and_encoding_limits():
    with pytest.raises(CSVError, match="the limit is"):
        parse_csv(b"0,0,1\n" * 50_000)
    with pytest.raises(CSVError, match="more than 2000 rows"):
        parse_csv("".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(2100)))
    with pytest.raises(CSVError, match="line 2: the file is not UTF-8"):
        parse_csv(b"0,0,1\n\xff\xfe,1,0\n")


def test_check_csv_experiment_reports_a_param_error():
    with pytest.raises(ParamError, match="line 2") as info:
        run_experiment("playground", "check_csv", {"csv": "0,0,1\nx,1,0\n"})
    assert info.value.param == "csv"


def test_validate_returns_the_normalized_configuration():
    exp = CHAPTER.experiment("train")
    got = exp.validate({"regularization": "none", "reg_rate": 0.5, "layers": [3, 3, 3],
                        "activations": ["relu"], "features": ["x2", "x1"]})  # fmt: skip
    assert got["reg_rate"] == 0.0 and got["activations"] == ["relu"] * 3
    assert got["features"] == ["x1", "x2"] and got["classes"] == 2
    assert exp.validate(got) == got  # what the page sends back runs unchanged
    with pytest.raises(ParamError, match="at least 4 points") as info:
        exp.validate({"dataset": "custom"})
    assert info.value.param == "points"


def test_every_preset_is_a_complete_configuration_that_trains_as_named():
    exp = CHAPTER.experiment("train")
    groups = exp.to_json()["extra"]["presets"]
    widgets = {g["widget"] for g in groups}
    assert widgets == {"try-xor", "try-spiral", "try-l2", "try-learning-rate", "try-optimizers",
                       "try-multiclass", "try-regression"}  # fmt: skip
    assert all(len(g["presets"]) >= 1 for g in groups)
    for group in groups:
        for preset in group["presets"]:
            params = preset["params"]
            assert set(params) == {p.name for p in exp.params}  # complete: replaces every setting
            assert exp.validate(params) == params  # already normalized
    spiral = next(g for g in groups if g["scenario"] == "spiral")["presets"][-1]["params"]
    frames = run_headless("playground", "train", {**spiral, "stop_after": 2}, every=1)
    assert frames[0]["data"]["layers"] == [8, 8, 8]
    assert frames[0]["data"]["features"] == ["x1", "x2", "sinx1", "sinx2"]
    assert [np.array(w).shape[0] for w in frames[-1]["weights"]] == [8, 8, 8, 1]


def test_choices_list_every_data_set_once():
    choices = CHAPTER.experiment("train").to_json()["extra"]["choices"]
    names = [d for rows in choices["datasets"].values() for d, _ in rows]
    schema = next(p for p in CHAPTER.experiment("train").params if p.name == "dataset")
    assert set(names) == set(schema.choices) and names.count("custom") == 2
    assert [f for f, _ in choices["features"]] == ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1",
                                                   "sinx2"]  # fmt: skip


def _stopped(cfg_changes, flip_test_labels=False):
    pg = Playground(build_config(**{**OVERFIT_SMALL, **cfg_changes}))
    if flip_test_labels:  # the test points must not change any decision
        pg.data["y_test"] = 1 - pg.data["y_test"]
        pg.sets["test"] = (pg.sets["test"][0], 1 - pg.sets["test"][1])
        pg.all_targets = np.concatenate([y for _, y in pg.sets.values()])
    while not pg.stopped_early and pg.steps < 20_000:
        pg.train_steps(1)
    pg.finish()
    return pg


OVERFIT_SMALL = {"dataset": "xor", "noise": 35, "n_samples": 200, "train_ratio": 30,
                 "layers": [8, 8], "optimizer": "adam", "early_stop": True,
                 "patience": 10}  # fmt: skip


def test_early_stopping_watches_validation_never_test():
    plain, flipped = _stopped({}), _stopped({}, flip_test_labels=True)
    es = plain.early_stopping
    assert es.stopped_epoch is not None and plain.epoch - (es.best_epoch + 1) == 10
    assert flipped.early_stopping.best_epoch == es.best_epoch  # test labels changed nothing
    assert flipped.epoch == plain.epoch
    val = plain.history.history["val_loss"]
    assert es.best == min(val) == val[es.best_epoch]
    assert plain.measure()["val_loss"] == pytest.approx(es.best, rel=1e-6)  # best weights back


def _edit_run(paused: bool):
    from neuronlab.tour.live import LiveRun

    exp = CHAPTER.experiment("train")
    return LiveRun(exp, exp.validate({"layers": [3], "stop_after": 0}), paused=paused,
                   max_seconds=60)  # fmt: skip


def _next_frame(run, after: int):
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        frame = run.take_frame(force=True)
        if frame is not None and frame[0] > after:
            return frame
        time.sleep(0.01)
    raise AssertionError("no new frame")


def test_edit_sets_a_weight_and_a_bias_and_sends_a_fresh_frame():
    run = _edit_run(paused=True)
    try:
        seq, _, first = _next_frame(run, 0)
        run.edit({"layer": 0, "to": 2, "from": 1, "value": 1.5})
        seq, _, frame = _next_frame(run, seq)
        assert frame["weights"][0][2][1] == 1.5 and frame["step"] == first["step"]
        run.edit({"layer": 1, "to": 0, "from": None, "value": -0.25})
        seq, _, frame = _next_frame(run, seq)
        assert frame["biases"][1][0] == -0.25 and frame["weights"][0][2][1] == 1.5
        assert run.state == "paused"  # an edit does not train
    finally:
        run.stop()
        run.join(10)


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        ({"layer": 2, "to": 0, "from": 0, "value": 1.0}, "'layer' must be a layer of links from 0"),
        ({"layer": 0, "to": 3, "from": 0, "value": 1.0}, "'to' must be a neuron of layer 1 from"),
        ({"layer": 0, "to": 0, "from": 2, "value": 1.0}, "'from' must be a neuron from 0 to 1"),
        ({"layer": 0, "to": 0, "from": 0, "value": float("nan")}, "'value' must be a finite"),
        ({"layer": True, "to": 0, "value": 1.0}, "'layer' must be"),
        ([1, 2], "expected an object"),
    ],
)  # fmt: skip
def test_bad_edits_are_refused_with_the_reason(edit, match):
    run = _edit_run(paused=True)
    try:
        with pytest.raises(ParamError, match=match):
            run.edit(edit)
    finally:
        run.stop()
        run.join(10)


def test_other_experiments_refuse_edits():
    from neuronlab.tour import get_chapter
    from neuronlab.tour.live import LiveRun

    exp = get_chapter("neuron").experiment("train_neuron")
    run = LiveRun(exp, exp.validate({"steps": 5}), paused=True)
    try:
        with pytest.raises(ParamError, match="no weights to edit"):
            run.edit({"layer": 0, "to": 0, "from": 0, "value": 1.0})
    finally:
        run.stop()
        run.join(10)
