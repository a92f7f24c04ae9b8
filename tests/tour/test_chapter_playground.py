"""The playground chapter: its claims at tiny sizes, its trainer, data, CSV reader and limits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuronlab.models.features import point_features
from neuronlab.tour.chapters.playground import CHAPTER
from neuronlab.tour.chapters.playground.config import build_config
from neuronlab.tour.chapters.playground.data import CSVError, grid_points, parse_csv
from neuronlab.tour.chapters.playground.network import Playground, linear_layers
from neuronlab.tour.frames import decode_grid
from neuronlab.tour.runner import check_claims, run_experiment, run_headless
from neuronlab.tour.schema import ParamError


def test_every_claim_holds_at_tiny_size():
    results = check_claims("playground", tiny=True)
    assert {r.id for r in results} == {c.id for c in CHAPTER.claims}
    failed = [f"{r.id}: {r.detail}" for r in results if not r.passed]
    assert not failed, failed


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
