"""``neuronlab train`` then ``neuronlab evaluate``: the run folder, the scores, the baseline,
and the damaged or mismatched folders that evaluate must refuse."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sys
from datetime import datetime

import numpy as np
import pytest
from cli_testkit import png_size, read_json, run_cli

from neuronlab.data import StandardScaler, load, train_test_split

CLASSIFICATION_PLOTS = ("loss.png", "accuracy.png", "confusion_matrix.png")
REGRESSION_PLOTS = ("loss.png", "mae.png", "predicted_vs_true.png")


def _train(folder, *argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = run_cli("train", *argv, "--out", folder, "--no-progress")
    assert status == 0, err.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module")
def cancer(tmp_path_factory):
    """A breast-cancer run: mlp:32, Adam, early stopping, with the logistic-regression baseline."""
    folder = tmp_path_factory.mktemp("runs") / "cancer"
    out = _train(folder, "--data", "breast-cancer", "--model", "mlp:32", "--epochs", "100",
                 "--batch-size", "32", "--early-stopping", "10")  # fmt: skip
    return folder, out


@pytest.fixture(scope="module")
def diabetes(tmp_path_factory):
    """A diabetes regression run, with the linear-regression baseline."""
    folder = tmp_path_factory.mktemp("runs") / "diabetes"
    out = _train(folder, "--data", "diabetes", "--model", "mlp:64", "--epochs", "200",
                 "--lr", "3e-3", "--early-stopping", "20")  # fmt: skip
    return folder, out


def _evaluate_json(cli, folder, *argv):
    status, out, err = cli("evaluate", folder, "--json", "--offline", *argv)
    assert status == 0, err
    return json.loads(out)


# ----- breast cancer: classification, tabular, baseline ------------------------------------------
def test_cancer_run_folder_has_every_file(cancer):
    folder, _ = cancer
    names = {p.name for p in folder.iterdir()}
    assert names == {"model.safetensors", "run.json", "metrics.json", "history.csv",
                     *CLASSIFICATION_PLOTS}  # fmt: skip
    for name in CLASSIFICATION_PLOTS:
        width, height = png_size(folder / name)
        assert width >= 400 and height >= 300


def test_cancer_scores_and_baseline(cancer):
    folder, out = cancer
    metrics = read_json(folder / "metrics.json")
    network, baseline = metrics["network"], metrics["baseline"]
    assert metrics["dataset"] == "breast_cancer" and metrics["task"] == "classification"
    assert network["accuracy"] >= 0.95 and network["roc_auc"] >= 0.98
    assert baseline["model"] == "LogisticRegression(max_iter=1000)"
    assert baseline["scores"]["accuracy"] >= 0.95
    assert network["n_samples"] == baseline["scores"]["n_samples"] == 114
    assert network["classes"] == ["malignant", "benign"]
    assert np.sum(network["confusion_matrix"]) == 114
    training = metrics["training"]
    assert training["epochs_run"] <= 100 and not training["interrupted"]
    # the results table shows both, side by side
    header = next(line for line in out.splitlines() if line.startswith("metric"))
    assert header.split() == ["metric", "mlp:32", "LogisticRegression"]
    accuracy_row = next(line for line in out.splitlines() if line.startswith("accuracy"))
    assert accuracy_row.split()[1:] == [f"{network['accuracy']:.4f}",
                                        f"{baseline['scores']['accuracy']:.4f}"]  # fmt: skip


def test_cancer_evaluate_scores_identically(cancer, cli):
    folder, _ = cancer
    report = _evaluate_json(cli, folder)
    metrics = read_json(folder / "metrics.json")
    assert report["network"] == metrics["network"]  # every number, bit for bit
    assert report["matches_metrics_json"] is True and report["same_test_set"] is True
    assert (report["dataset"], report["model"]) == ("breast_cancer", "mlp:32")


def test_cancer_evaluate_text_report(cancer, cli):
    folder, _ = cancer
    status, out, err = cli("evaluate", folder, "--data", "breast-cancer")
    assert status == 0 and err == ""
    for text in ("accuracy", "precision (macro)", "F1 (weighted)", "ROC AUC", "log-loss",
                 "ROC AUC: binary", "Per class", "malignant", "benign", "support",
                 "Confusion matrix", "true \\ predicted", "LogisticRegression (recorded)",
                 "These scores equal the ones `neuronlab train` recorded"):  # fmt: skip
        assert text in out, text


def test_cancer_run_json_rebuilds_the_test_set_without_training_code(cancer):
    folder, _ = cancer
    run = read_json(folder / "run.json")
    data = run["data"]
    assert (data["name"], data["task"], data["classes"]) == (
        "breast_cancer", "classification", ["malignant", "benign"])  # fmt: skip
    split = data["split"]
    assert split == {"official_test_split": False, "test_size": 0.2, "stratified": True,
                     "seed": 0, "val_size": 0.1, "n_train": 409, "n_val": 46,
                     "n_test": 114}  # fmt: skip
    # the scaler was fitted on the training rows only (not validation, not test)
    bundle = load("breast_cancer")
    X_rest, _, y_rest, _ = train_test_split(bundle.X, bundle.y, test_size=0.2, stratify=bundle.y,
                                            seed=0)  # fmt: skip
    X_train, _, _, _ = train_test_split(X_rest, y_rest, test_size=0.1, stratify=y_rest, seed=0)
    scaler = StandardScaler().fit(X_train)
    standardize = data["preprocessing"]["standardize"]
    assert standardize["mean"] == scaler.mean_.tolist()
    assert standardize["scale"] == scaler.scale_.tolist()
    assert data["preprocessing"]["target"] is None
    assert run["model"] == {"spec": "mlp:32", "activation": "relu", "dropout": 0.0,
                            "n_inputs": 30, "n_outputs": 2, "n_parameters": 1058,
                            "file": "model.safetensors"}  # fmt: skip
    assert run["training"]["optimizer"] == "adam" and run["training"]["lr"] == 1e-3
    assert run["command"].startswith("neuronlab train --data breast-cancer --model mlp:32")
    assert {"python", "neuronlab", "numpy", "scikit-learn"} <= set(run["versions"])
    assert datetime.fromisoformat(run["date"]).tzinfo is not None


def test_cancer_history_csv(cancer):
    folder, _ = cancer
    lines = (folder / "history.csv").read_text().splitlines()
    assert lines[0] == "epoch,loss,accuracy,val_loss,val_accuracy"
    assert len(lines) - 1 == read_json(folder / "metrics.json")["training"]["epochs_run"]


# ----- diabetes: regression -----------------------------------------------------------------------
def test_diabetes_regression_scores_in_original_units(diabetes):
    folder, out = diabetes
    metrics = read_json(folder / "metrics.json")
    network, baseline = metrics["network"], metrics["baseline"]
    assert set(network) >= {"mae", "rmse", "r2"}
    assert network["mae"] < 50 and network["rmse"] < 65 and network["r2"] > 0.25
    assert baseline["model"] == "LinearRegression()"
    assert baseline["scores"]["mae"] < 50
    assert "Targets are standardized for training" in out and "original units" in out
    for label in ("MAE", "RMSE", "R²"):
        assert any(line.startswith(label) for line in out.splitlines()), label
    target = read_json(folder / "run.json")["data"]["preprocessing"]["target"]
    assert 100 < target["mean"] < 200 and 50 < target["scale"] < 100
    names = {p.name for p in folder.iterdir()}
    assert set(REGRESSION_PLOTS) <= names and "confusion_matrix.png" not in names
    for name in REGRESSION_PLOTS:
        png_size(folder / name)


def test_diabetes_evaluate_scores_identically(diabetes, cli):
    folder, _ = diabetes
    report = _evaluate_json(cli, folder)
    assert report["network"] == read_json(folder / "metrics.json")["network"]
    assert report["matches_metrics_json"] is True
    status, out, _ = cli("evaluate", folder)
    assert status == 0 and "original units" in out and "RMSE" in out


# ----- other sets and options --------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["--data", "spiral", "--model", "mlp:32,32", "--activation", "tanh", "--dropout", "0.1",
         "--epochs", "30", "--lr", "1e-2", "--schedule", "cosine", "--optimizer", "adamw"],
        ["--data", "plane", "--model", "linear", "--epochs", "20", "--schedule", "plateau",
         "--optimizer", "sgd", "--weight-decay", "1e-4"],
        ["--data", "iris", "--model", "linear", "--epochs", "20", "--val", "0", "--optimizer",
         "rmsprop", "--test-size", "0.3", "--no-baseline"],
        ["--data", "wine", "--epochs", "5", "--optimizer", "adagrad", "--activation", "gelu"],
    ],
)  # fmt: skip
def test_more_sets_and_options_round_trip(argv, tmp_path, cli):
    folder = tmp_path / "run"
    _train(folder, *argv)
    report = _evaluate_json(cli, folder)
    assert report["network"] == read_json(folder / "metrics.json")["network"]
    assert report["matches_metrics_json"] is True


def test_no_baseline_and_linear_model(tmp_path):
    folder = tmp_path / "iris"
    out = _train(folder, "--data", "iris", "--model", "linear", "--epochs", "5", "--no-baseline")
    assert read_json(folder / "metrics.json")["baseline"] is None
    assert "LogisticRegression" not in out
    assert "linear · 4 → 3 · 15 parameters" in out


def test_without_scikit_learn_the_baseline_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.linear_model", None)  # import fails
    folder = tmp_path / "spiral"
    out = _train(folder, "--data", "spiral", "--epochs", "2")
    assert "scikit-learn is not installed: no baseline (pip install scikit-learn)." in out
    assert read_json(folder / "metrics.json")["baseline"] == {
        "skipped": "scikit-learn is not installed"}  # fmt: skip


def test_without_matplotlib_there_are_no_plots(tmp_path, monkeypatch):
    def no_matplotlib(*args, **kwargs):
        raise ImportError("no matplotlib")

    monkeypatch.setattr("neuronlab.cli.runs.report.plot_curves", no_matplotlib)
    folder = tmp_path / "moons"
    out = _train(folder, "--data", "moons", "--epochs", "2")
    assert "matplotlib is not installed: no plots (pip install matplotlib)." in out
    assert not list(folder.glob("*.png")) and (folder / "run.json").is_file()


def test_an_existing_run_is_not_overwritten(tmp_path, cli):
    folder = tmp_path / "run"
    _train(folder, "--data", "iris", "--epochs", "1")
    before = (folder / "metrics.json").read_bytes()
    status, _, err = cli("train", "--data", "iris", "--epochs", "2", "--out", folder)
    assert status == 2 and "already holds a run" in err and "--overwrite" in err
    assert (folder / "metrics.json").read_bytes() == before
    _train(folder, "--data", "iris", "--epochs", "2", "--overwrite")
    assert read_json(folder / "metrics.json")["training"]["epochs_run"] == 2


def test_default_run_folder_is_under_runs(cli, isolated):
    status, out, _ = cli("train", "--data", "iris", "--epochs", "1", "--no-progress")
    assert status == 0
    (folder,) = (isolated / "runs").iterdir()
    assert folder.name.startswith("iris-mlp256x128-")
    assert (folder / "run.json").is_file() and f"Run folder runs/{folder.name}" in out


def test_progress_lines_when_not_a_terminal(cli, tmp_path):
    status, out, _ = cli("train", "--data", "iris", "--epochs", "2", "--out", tmp_path / "r")
    assert status == 0
    assert "Epoch 1/2 - " in out and "Epoch 2/2 - " in out and "val_loss" in out


# ----- evaluate refuses what it cannot score -----------------------------------------------------
def _copy(folder, tmp_path, name="copy"):
    return shutil.copytree(folder, tmp_path / name)


def _error_line(cli, *argv):
    status, out, err = cli("evaluate", *argv)
    assert status == 2, out
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_missing_run_folder(cli, tmp_path):
    line = _error_line(cli, tmp_path / "nope")
    assert line.startswith("neuronlab evaluate: error: no run folder at")


def test_folder_without_run_json(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    assert "has no run.json" in _error_line(cli, tmp_path / "empty")


def test_damaged_run_json(cli, cancer, tmp_path):
    copy = _copy(cancer[0], tmp_path)
    (copy / "run.json").write_text('{"format": "neuronlab.run/1", "data": ')
    assert "is damaged (not valid JSON" in _error_line(cli, copy)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "remove"])
def test_corrupt_model_file(cli, cancer, tmp_path, damage):
    copy = _copy(cancer[0], tmp_path)
    model = copy / "model.safetensors"
    data = model.read_bytes()
    if damage == "truncate":
        model.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        model.write_bytes(b"this is not a model" * 10)
    else:
        model.unlink()
    line = _error_line(cli, copy)
    if damage == "remove":
        assert "has no model.safetensors" in line
    else:
        assert "the model file is damaged" in line and "model.safetensors" in line


def test_run_from_another_data_set_with_data(cli, cancer):
    line = _error_line(cli, cancer[0], "--data", "diabetes")
    assert "was trained on 'breast_cancer', not 'diabetes'" in line


def test_model_file_from_another_data_set(cli, cancer, diabetes, tmp_path):
    copy = _copy(cancer[0], tmp_path)
    shutil.copy(diabetes[0] / "model.safetensors", copy / "model.safetensors")
    line = _error_line(cli, copy)
    assert "takes 10 features but 'breast_cancer' has 30" in line


def test_changed_test_set_is_a_warning(cli, cancer, tmp_path):
    copy = _copy(cancer[0], tmp_path)
    run = read_json(copy / "run.json")
    run["data"]["test_sha256"] = "0" * 64
    (copy / "run.json").write_text(json.dumps(run))
    status, _, err = cli("evaluate", copy, "--json")
    assert status == 0
    assert "warning: the rebuilt test set of 'breast_cancer' differs" in err


# ----- the UCI sets, from the copies shipped inside the package ----------------------------------
@pytest.mark.parametrize(("name", "official"), [("german-credit", False), ("adult", True)])
def test_uci_sets_offline_with_baseline(name, official, tmp_path, monkeypatch, cli):
    monkeypatch.delenv("NEURONLAB_DATA", raising=False)
    folder = tmp_path / name
    _train(folder, "--data", name, "--epochs", "3", "--offline")
    metrics = read_json(folder / "metrics.json")
    assert metrics["network"]["accuracy"] > 0.7
    assert metrics["baseline"]["scores"]["accuracy"] > 0.7
    data = read_json(folder / "run.json")["data"]
    assert data["split"]["official_test_split"] is official
    assert data["load_kwargs"] == {"encode": True, "scale_numeric": False}
    report = _evaluate_json(cli, folder)
    assert report["network"] == metrics["network"]


def test_overwrite_removes_the_old_runs_files(tmp_path):
    folder = tmp_path / "run"
    _train(folder, "--data", "plane", "--epochs", "2")
    assert (folder / "predicted_vs_true.png").is_file()
    _train(folder, "--data", "circle", "--epochs", "2", "--overwrite")
    names = {p.name for p in folder.iterdir()}
    assert "predicted_vs_true.png" not in names and "mae.png" not in names
    assert "confusion_matrix.png" in names
    assert read_json(folder / "run.json")["data"]["name"] == "circle"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda run: run.pop("format"), "is not a run description written by `neuronlab train`"),
        (lambda run: run["data"].pop("split"), "is incomplete: it lacks data.split"),
        (lambda run: run.pop("model"), "is incomplete: it lacks model.spec"),
    ],
)
def test_incomplete_run_json(cli, cancer, tmp_path, change, expected):
    copy = _copy(cancer[0], tmp_path)
    run = read_json(copy / "run.json")
    change(run)
    (copy / "run.json").write_text(json.dumps(run))
    assert expected in _error_line(cli, copy)
