"""Shipped weights: every card's numbers hold for the weights beside it."""

import shutil

import numpy as np
import pytest

import neuronlab.models.pretrained as pretrained
from neuronlab.data import load_fashion_mnist_subset
from neuronlab.models import list_pretrained, load_pretrained, pretrained_card
from neuronlab.train import evaluate


def test_every_shipped_model_has_a_complete_card():
    assert list_pretrained(), "no shipped models found"
    for name in list_pretrained():
        card = pretrained_card(name)
        for key in ("data", "seed", "epochs", "sha256", "command", "parameters"):
            assert key in card, f"{name}: card has no {key!r}"
        model = load_pretrained(name)
        assert not model.training
        assert card["parameters"] == sum(p.data.size for p in model.parameters())


def test_fashion_cnn_scores_what_its_card_says_on_the_shipped_test_set():
    card = pretrained_card("fashion-cnn")
    data = load_fashion_mnist_subset(layout="nchw")
    model = load_pretrained("fashion-cnn")
    result = evaluate(model, None, (data.X_test, data.y_test), metrics=["accuracy"])
    assert result["accuracy"] == pytest.approx(card["test_accuracy"], abs=1e-4)
    assert result["accuracy"] >= 0.85


def test_each_load_is_a_fresh_copy():
    a, b = load_pretrained("fashion-cnn"), load_pretrained("fashion-cnn")
    first = next(iter(a.parameters()))
    first.data[...] = 0
    assert not np.all(next(iter(b.parameters())).data == 0)


def test_unknown_names_and_damaged_files_are_refused(tmp_path, monkeypatch):
    with pytest.raises(KeyError, match="fashion-cnn"):
        load_pretrained("imagenet")
    copy = tmp_path / "weights"
    shutil.copytree(pretrained.WEIGHTS, copy)
    path = copy / "fashion-cnn.safetensors"
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    monkeypatch.setattr(pretrained, "WEIGHTS", copy)
    with pytest.raises(ValueError, match="SHA-256"):
        load_pretrained("fashion-cnn")
