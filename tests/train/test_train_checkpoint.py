"""ModelCheckpoint: which epochs are written, under which names, and that the files load."""

from __future__ import annotations

import numpy as np
import pytest
from train_testkit import RaiseAt, Snapshots, blobs, mlp, same_weights, scripted, train, weights

import neuronlab as nl
from neuronlab.train import ModelCheckpoint

VALUES = [1.0, 0.8, 0.9, 0.7, 0.75]


def _interrupt():
    raise KeyboardInterrupt


def test_best_only_writes_on_improvement_with_formatted_names(tmp_path):
    snapshots = Snapshots()
    cb = ModelCheckpoint(tmp_path / "m-{epoch:02d}-{val_loss:.3f}.safetensors",
                         save_best_only=True)  # fmt: skip
    train(callbacks=[scripted("val_loss", VALUES), cb, snapshots], epochs=5)
    names = ["m-01-1.000.safetensors", "m-02-0.800.safetensors", "m-04-0.700.safetensors"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert [p.name for p in cb.saved] == names
    assert cb.best == 0.7 and cb.best_epoch == 3 and cb.best_path.name == names[-1]
    for name, epoch in zip(names, [0, 1, 3]):
        loaded = nl.io.load(tmp_path / name)
        assert same_weights(weights(loaded), snapshots.by_epoch[epoch])
        meta = nl.io.load_metadata(tmp_path / name)
        assert meta["epoch"] == str(epoch) and float(meta["val_loss"]) == VALUES[epoch]


def test_every_epoch_and_one_fixed_name(tmp_path):
    cb = ModelCheckpoint(tmp_path / "e{epoch}.safetensors")
    train(callbacks=[cb], epochs=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"e{i}.safetensors" for i in (1, 2, 3)]
    best = ModelCheckpoint(tmp_path / "best.safetensors", monitor="val_accuracy",
                           save_best_only=True)  # fmt: skip
    snapshots = Snapshots()
    scores = [0.5, 0.9, 0.6, 0.95, 0.7]
    train(callbacks=[scripted("val_accuracy", scores), best, snapshots], epochs=5)
    assert best.mode == "max" and best.best_epoch == 3
    assert same_weights(weights(nl.io.load(tmp_path / "best.safetensors")), snapshots.by_epoch[3])
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_weights_only_and_training_checkpoints(tmp_path):
    weights_cb = ModelCheckpoint(tmp_path / "w.safetensors", save_weights_only=True)
    full_cb = ModelCheckpoint(tmp_path / "ckpt.safetensors", save_optimizer=True)
    history, model = train(callbacks=[weights_cb, full_cb], epochs=3, metrics=["accuracy"])
    fresh = mlp(seed=5)
    nl.io.load_weights(fresh, tmp_path / "w.safetensors")
    assert same_weights(weights(fresh), weights(model))
    with pytest.raises(ValueError, match="weights only"):
        nl.io.load(tmp_path / "w.safetensors")
    resumed = mlp(seed=6)
    optimizer = nl.optim.SGD(resumed.parameters(), lr=0.1)
    state = nl.io.load_checkpoint(tmp_path / "ckpt.safetensors", resumed, optimizer)
    assert state["epoch"] == 2
    assert state["history"] == history.history  # including the last epoch
    assert same_weights(weights(resumed), weights(model))
    with pytest.raises(ValueError, match="at most one of save_weights_only and save_optimizer"):
        ModelCheckpoint(tmp_path / "x", save_weights_only=True, save_optimizer=True)


def test_best_file_exists_after_ctrl_c(tmp_path):
    cb = ModelCheckpoint(tmp_path / "best.safetensors", save_best_only=True)
    snapshots = Snapshots()
    history, _ = train(callbacks=[scripted("val_loss", VALUES), cb, snapshots,
                                  RaiseAt(2, 1, _interrupt)], epochs=5)  # fmt: skip
    assert history.interrupted and history.epoch == [0, 1]
    assert same_weights(weights(nl.io.load(tmp_path / "best.safetensors")), snapshots.by_epoch[1])


def test_bad_names_and_missing_monitor(tmp_path):
    cb = ModelCheckpoint(tmp_path / "m-{val_acc:.2f}.safetensors")
    with pytest.raises(KeyError, match=r"'val_acc' is not one · available: epoch, loss, val_loss"):
        train(callbacks=[cb], epochs=1)
    cb = ModelCheckpoint(tmp_path / "m.safetensors", monitor="val_loss", save_best_only=True)
    with pytest.warns(UserWarning, match="ModelCheckpoint · monitors 'val_loss'.*'loss'"):
        train(callbacks=[cb], epochs=1, val=False)
    assert not (tmp_path / "m.safetensors").exists()


def test_custom_models_are_saved_and_load_their_weights(tmp_path):
    class Custom(nl.nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = nl.nn.Linear(4, 3)
            self.out = nl.nn.Linear(3, 2)

        def forward(self, x):
            return self.out(self.hidden(x).relu())

    nl.manual_seed(0)
    model = Custom()
    X, y = blobs()
    nl.train.fit(model, nl.nn.CrossEntropyLoss(), nl.optim.SGD(model.parameters(), lr=0.1),
                 (X, y), epochs=1, verbose=False,
                 callbacks=[ModelCheckpoint(tmp_path / "c.safetensors")])  # fmt: skip
    other = Custom()
    nl.io.load_weights(other, tmp_path / "c.safetensors")
    np.testing.assert_array_equal(other.out.weight.data, model.out.weight.data)
