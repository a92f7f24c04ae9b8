"""Arguments and mistakes: --help everywhere, and every bad input is one line on stderr with
exit status 2, never a traceback."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from neuronlab.cli import build_parser
from neuronlab.cli._common import CLIError, resolve_dataset
from neuronlab.cli.models import build_model, parse_model_spec
from neuronlab.cli.train import _choose_dataset
from neuronlab.data.formats import write_idx


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


# ----- help and parsing --------------------------------------------------------------------------
@pytest.mark.parametrize("command", [[], ["datasets"], ["train"], ["evaluate"], ["demo"]])
def test_help_everywhere_has_examples(cli, command):
    status, out, _ = cli(*command, "--help")
    assert status == 0
    assert "examples:" in out or "example:" in out
    assert "usage: neuronlab" in out


def test_no_command_prints_help(cli):
    status, out, _ = cli()
    assert status == 0 and "COMMAND" in out and "train" in out


def test_train_defaults():
    args = build_parser().parse_args(["train"])
    assert (args.data, str(args.model), args.epochs, args.optimizer, args.lr) == (
        None, "mlp:256,128", 10, "adam", None)  # fmt: skip
    assert (args.batch_size, args.val, args.early_stopping, args.seed) == (128, 0.1, None, 0)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["train", "--lr", "-1"], "argument --lr: expected a number > 0, got -1"),
        (["train", "--lr", "0"], "argument --lr: expected a number > 0, got 0"),
        (["train", "--lr", "fast"], "argument --lr: expected a number, got 'fast'"),
        (["train", "--model", "mlp:abc"], "bad model spec 'mlp:abc'"),
        (["train", "--model", "mlp:256,0"], "bad model spec 'mlp:256,0'"),
        (["train", "--model", "cnn:3"], "bad model spec 'cnn:3'"),
        (["train", "--model", "linear:4"], "bad model spec 'linear:4'"),
        (["train", "--dropout", "1.5"], "argument --dropout: expected a fraction in [0, 1)"),
        (["train", "--val", "1"], "argument --val: expected a fraction in [0, 1)"),
        (["train", "--test-size", "-0.2"], "argument --test-size: expected a fraction"),
        (["train", "--epochs", "0"], "argument --epochs: expected an integer >= 1, got 0"),
        (["train", "--batch-size", "2.5"], "argument --batch-size: expected an integer"),
        (["train", "--weight-decay=-1e-4"], "argument --weight-decay: expected a number >= 0"),
        (["train", "--optimizer", "lbfgs"], "argument --optimizer: invalid choice: 'lbfgs'"),
        (["train", "--schedule", "step"], "argument --schedule: invalid choice: 'step'"),
        (["evaluate"], "the following arguments are required: RUN"),
        (["fly"], "argument COMMAND: invalid choice: 'fly'"),
    ],
)
def test_bad_arguments_are_one_line_and_status_2(cli, argv, expected):
    status, out, err = cli(*argv)
    assert status == 2
    line = _one_line(err)
    assert expected in line
    assert line.startswith("neuronlab")
    assert line.endswith("--help)")


# ----- model specs -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind", "hidden"),
    [("mlp:256,128", "mlp", (256, 128)), ("MLP:8", "mlp", (8,)), ("mlp", "mlp", (256, 128)),
     ("linear", "linear", ()), (" mlp:3,4,5 ", "mlp", (3, 4, 5))],
)  # fmt: skip
def test_model_specs_parse(text, kind, hidden):
    spec = parse_model_spec(text)
    assert (spec.kind, spec.hidden) == (kind, hidden)
    assert parse_model_spec(str(spec)) == spec


@pytest.mark.parametrize("text", ["", "mlp:", "mlp:,", "mlp:1.5", "mlp:-3", "linear:2", "rnn"])
def test_bad_model_specs_raise(text):
    with pytest.raises(argparse.ArgumentTypeError, match="bad model spec"):
        parse_model_spec(text)


def test_build_model_layers_and_shapes():
    import neuronlab as nl

    model = build_model(parse_model_spec("mlp:16,8"), 5, 3, activation="gelu", dropout=0.25)
    kinds = [type(m).__name__ for m in model]
    assert kinds == ["Linear", "GELU", "Dropout", "Linear", "GELU", "Dropout", "Linear"]
    assert model(nl.Tensor(np.zeros((4, 5), np.float32))).shape == (4, 3)
    linear = build_model(parse_model_spec("linear"), 5, 1)
    assert [type(m).__name__ for m in linear] == ["Linear"]


# ----- data set names ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [("fashion-mnist", "fashion_mnist"), ("Fashion_MNIST", "fashion_mnist"),
     ("breast-cancer", "breast_cancer"), ("diabetes", "diabetes")],
)  # fmt: skip
def test_dataset_aliases(name, expected):
    assert resolve_dataset(name) == expected


def test_unknown_dataset_suggests_the_closest(cli):
    status, _, err = cli("train", "--data", "fashon-mnist")
    assert status == 2
    line = _one_line(err)
    assert "unknown data set 'fashon-mnist'; did you mean fashion_mnist?" in line
    assert "neuronlab datasets" in line
    with pytest.raises(CLIError, match="did you mean breast_cancer"):
        resolve_dataset("breast-cancr")


def test_unknown_dataset_without_close_match():
    with pytest.raises(CLIError) as info:
        resolve_dataset("zzzz")
    assert "did you mean" not in info.value.message


def test_missing_dataset_offline_lists_paths_and_never_downloads(cli, tmp_path, monkeypatch):
    empty = tmp_path / "empty-data"
    empty.mkdir()
    monkeypatch.setenv("NEURONLAB_DATA", str(empty))
    status, out, err = cli("train", "--data", "mnist", "--offline", "--out", tmp_path / "r")
    assert status == 2
    assert "Traceback" not in err
    first, *detail = err.strip().splitlines()
    assert first == "neuronlab train: error: data set 'mnist' is not available offline (--offline)"
    text = "\n".join(detail)
    assert str(empty / "mnist") in text  # where it looked
    assert "curl" in text and "train-images-idx3-ubyte.gz" in text  # how to get it
    assert "without --offline" in text
    assert not (tmp_path / "r").exists()
    assert not any(empty.iterdir())  # nothing was downloaded


def test_evaluate_offline_missing_dataset(cli, tmp_path, monkeypatch):
    """A run whose data set has gone: evaluate explains, offline, with status 2."""
    status, _, _ = cli("train", "--data", "iris", "--epochs", "1", "--no-progress",
                       "--out", tmp_path / "iris")  # fmt: skip
    assert status == 0
    run_json = tmp_path / "iris" / "run.json"
    run_json.write_text(run_json.read_text().replace('"name": "iris"', '"name": "mnist"'))
    monkeypatch.setenv("NEURONLAB_DATA", str(tmp_path / "nothing-here"))
    status, _, err = cli("evaluate", tmp_path / "iris", "--offline")
    assert status == 2
    assert err.startswith("neuronlab evaluate: error: data set 'mnist' is not available offline")


def test_early_stopping_needs_validation(cli):
    status, _, err = cli("train", "--data", "iris", "--val", "0", "--early-stopping", "3")
    assert status == 2
    assert "--early-stopping watches the validation loss" in _one_line(err)


# ----- default data set --------------------------------------------------------------------------
class _Lines:
    def __init__(self):
        self.lines = []

    def line(self, text="", style=None):
        self.lines.append(text)


def test_default_dataset_is_fashion_mnist_when_found(monkeypatch):
    monkeypatch.setattr("neuronlab.cli.train.locate", lambda name: "/somewhere/fashion-mnist")
    out = _Lines()
    assert _choose_dataset(None, out) == "fashion_mnist"
    assert out.lines == ["No --data given: using Fashion-MNIST, found in /somewhere/fashion-mnist."]


def test_default_dataset_falls_back_to_digits(cli, monkeypatch, tmp_path):
    monkeypatch.setattr("neuronlab.cli.train.locate", lambda name: None)
    status, out, _ = cli("train", "--epochs", "1", "--no-progress", "--out", tmp_path / "d")
    assert status == 0
    first = out.splitlines()[0]
    assert first.startswith("No --data given: Fashion-MNIST is not on this machine")
    assert "digits" in first
    assert (tmp_path / "d" / "run.json").is_file()


# ----- neuronlab datasets ------------------------------------------------------------------------
def _fake_mnist(root):
    folder = root / "mnist"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for split, n in (("train", 20), ("t10k", 10)):
        write_idx(folder / f"{split}-images-idx3-ubyte.gz",
                  rng.integers(0, 256, (n, 28, 28), dtype=np.uint8))  # fmt: skip
        write_idx(folder / f"{split}-labels-idx1-ubyte.gz", np.arange(n, dtype=np.uint8) % 10)
    return folder


def test_datasets_plain_text(cli, tmp_path, monkeypatch):
    folder = _fake_mnist(tmp_path / "data")
    monkeypatch.setenv("NEURONLAB_DATA", str(tmp_path / "data"))
    status, out, err = cli("datasets")
    assert status == 0 and err == ""
    assert "┏" not in out and "\x1b[" not in out  # plain text: not a terminal
    rows = {line.split()[0]: line for line in out.splitlines()[3:] if line.strip()}
    assert rows["mnist"].split()[2:4] == ["yes", "$NEURONLAB_DATA"]
    assert str(folder) in rows["mnist"]
    assert rows["cifar10"].split()[2] == "no" and "get it:" in rows["cifar10"]
    assert rows["breast_cancer"].split()[2:4] == ["yes", "scikit-learn"]
    assert rows["spiral"].split()[2:4] == ["yes", "generated"]
    assert "fashion_mnist" in rows


def test_datasets_rich_table_on_a_terminal(cli, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    status, out, _ = cli("datasets")
    assert status == 0
    assert "┏" in out and "breast_cancer" in out


def test_network_is_blocked_in_these_tests():
    import urllib.request

    with pytest.raises(AssertionError, match="network connection"):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)


def test_demo_still_runs(cli):
    status, out, _ = cli("demo", "--epochs", "2")
    assert status == 0 and "spirals" in out
