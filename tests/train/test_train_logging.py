"""TerminateOnNaN's message, CSVLogger and History.to_csv files, ProgressBar output."""

from __future__ import annotations

import csv
import io
import math
import re

import pytest
from rich.console import Console
from train_testkit import PoisonAt, RaiseAt, train

from neuronlab.train import (
    CSVLogger,
    History,
    LambdaCallback,
    ProgressBar,
    TerminateOnNaN,
    TrainingContext,
)


# ----- TerminateOnNaN ----------------------------------------------------------------------------
def test_terminate_on_nan_stops_at_the_step_and_explains():
    cb = TerminateOnNaN()
    with pytest.warns(RuntimeWarning) as record:
        history, _ = train(callbacks=[PoisonAt(1, 3), cb], epochs=5)
    message = str(record[0].message)
    assert message.startswith(
        "TerminateOnNaN · the training loss became nan at epoch 2, step 4 of 6 · training stopped."
    )
    for advice in ("learning rate is too high", "log of zero", "clip_grad_norm_", "np.isnan(X)"):
        assert advice in message
    assert len(record) == 1  # fit's own end-of-epoch warning is not repeated
    assert (cb.stopped_epoch, cb.stopped_step) == (1, 3) and cb.message == message
    assert history.epoch == [0, 1] and math.isnan(history.history["loss"][1])


def test_terminate_on_nan_also_catches_inf():
    cb = TerminateOnNaN()
    cb.set_context(TrainingContext(model=None, optimizer=None, params={"steps": 4}, epoch=0))
    cb.on_train_batch_end(0, {"loss": 1e30})
    assert not cb.context.stop_training
    with pytest.warns(RuntimeWarning, match="loss became inf at epoch 1, step 3 of 4"):
        cb.on_train_batch_end(2, {"loss": math.inf})
    assert cb.context.stop_training


# ----- CSVLogger and History.to_csv ---------------------------------------------------------
def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_csv_logger_writes_every_epoch(tmp_path):
    path = tmp_path / "log.csv"
    rows_seen = []
    peek = LambdaCallback(on_epoch_end=lambda epoch, logs: rows_seen.append(len(read_csv(path))))
    history, _ = train(callbacks=[CSVLogger(path), peek], epochs=3, metrics=["accuracy"])
    rows = read_csv(path)
    assert rows[0] == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]
    assert [r[0] for r in rows[1:]] == ["0", "1", "2"]
    for key in ("loss", "val_accuracy"):
        column = rows[0].index(key)
        assert [float(r[column]) for r in rows[1:]] == history.history[key]
    assert rows_seen == [2, 3, 4]  # each row is on disk when its epoch ends


def test_csv_logger_append_and_interrupt(tmp_path):
    path = tmp_path / "log.csv"
    train(callbacks=[CSVLogger(path)], epochs=2)

    def stop():
        raise KeyboardInterrupt

    train(callbacks=[CSVLogger(path, append=True), RaiseAt(1, 2, stop)], epochs=3)
    rows = read_csv(path)
    assert rows[0] == ["epoch", "loss", "val_loss"] and len(rows) == 1 + 2 + 1
    train(callbacks=[CSVLogger(path, separator=";")], epochs=1)
    assert path.read_text().splitlines()[0] == "epoch;loss;val_loss"
    with pytest.raises(FileNotFoundError, match="create it first"):
        train(callbacks=[CSVLogger(tmp_path / "missing" / "log.csv")], epochs=1)


def test_history_to_csv(tmp_path):
    h = History()
    h.on_train_begin()
    h.on_epoch_end(0, {"loss": 0.5})
    h.on_epoch_end(1, {"loss": 0.25, "lr": 0.01})  # a key that appears late
    assert h.history == {"loss": [0.5, 0.25], "lr": [pytest.approx(math.nan, nan_ok=True), 0.01]}
    rows = read_csv(h.to_csv(tmp_path / "h.csv"))
    assert rows == [["epoch", "loss", "lr"], ["0", "0.5", "nan"], ["1", "0.25", "0.01"]]
    assert repr(h) == "History(2 epochs: loss, lr)"


# ----- ProgressBar -------------------------------------------------------------------------------
def test_progress_off_a_terminal_is_one_line_per_epoch(capsys):
    train(epochs=3, verbose=True, metrics=["accuracy"])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 3 and err == ""
    pattern = (r"Epoch 2/3 - \d+\.\ds - loss: \d\.\d{4} - accuracy: \d\.\d{4} - "
               r"val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}")  # fmt: skip
    assert re.fullmatch(pattern, lines[1])


def test_verbose_false_prints_nothing(capsys):
    train(epochs=2, verbose=False)
    assert capsys.readouterr() == ("", "")


def test_progress_bars_on_a_terminal_show_eta_and_loss():
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=150, color_system=None)
    train(epochs=2, callbacks=[ProgressBar(console)], metrics=["accuracy"])
    text = stream.getvalue()
    assert "ETA" in text and "loss: " in text and "accuracy: " in text
    assert "Epoch 2/2" in text and "6/6" in text  # the step bar, complete
    assert re.search(r"Epoch 1/2 - \d+\.\ds - loss: ", text)  # the epoch summary line
    assert "\x1b[?25l" in text and text.rstrip().endswith("\x1b[?25h")  # live display, closed


def test_progress_bar_is_closed_when_fit_fails():
    bar = ProgressBar(Console(file=io.StringIO(), force_terminal=True))

    def fail():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        train(epochs=2, callbacks=[RaiseAt(0, 1, fail), bar])
    assert bar._progress is None
    with pytest.raises(ValueError, match="'auto', 'bar' or 'lines'"):
        ProgressBar(mode="fancy")
