"""Atomic writes: a failed save leaves the previous file byte for byte, and no temporary files."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest

import neuronlab as nl
from neuronlab.io import _files, safetensors


@pytest.fixture
def saved(tmp_path):
    """A directory holding one good model file; returns (path, its bytes)."""
    path = tmp_path / "model.safetensors"
    nl.io.save(nl.nn.Sequential(nl.nn.Linear(3, 4), nl.nn.ReLU()), path)
    return path, path.read_bytes()


def big_model():
    return nl.nn.Sequential(nl.nn.Linear(50, 60), nl.nn.Tanh(), nl.nn.Linear(60, 5))


def assert_untouched(path, before):
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp files left
    nl.io.load(path)  # still a loadable model


def test_failure_in_the_middle_of_the_data(saved, monkeypatch):
    path, before = saved
    calls = []

    def chunks_then_fail(blob):
        for start in range(0, len(blob), 1000):
            calls.append(start)
            if len(calls) == 2:  # the first 1000 bytes are already written
                raise OSError(errno.ENOSPC, "No space left on device")
            yield blob[start : start + 1000]

    monkeypatch.setattr(safetensors, "_chunks", chunks_then_fail)
    with pytest.raises(OSError, match="No space left"):
        nl.io.save(big_model(), path)
    assert len(calls) == 2
    assert_untouched(path, before)


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_failure_when_flushing_or_renaming(saved, monkeypatch, step):
    path, before = saved

    def fail(*args):
        raise OSError(errno.EIO, f"{step} failed")

    monkeypatch.setattr(_files.os, step, fail)
    with pytest.raises(OSError, match=f"{step} failed"):
        nl.io.save_weights(big_model(), path)
    monkeypatch.undo()
    assert_untouched(path, before)


def test_interrupt_while_writing(saved, monkeypatch):
    path, before = saved

    def interrupt(blob):
        yield blob[:100]
        raise KeyboardInterrupt

    monkeypatch.setattr(safetensors, "_chunks", interrupt)
    with pytest.raises(KeyboardInterrupt):
        nl.io.save_checkpoint(path, big_model(), epoch=1)
    assert_untouched(path, before)


def test_refused_value_writes_nothing(saved):
    path, before = saved
    with pytest.raises(TypeError, match="strings to strings"):
        nl.io.save(big_model(), path, metadata={"accuracy": 0.9})
    assert_untouched(path, before)


def test_success_replaces_the_file_and_leaves_only_it(saved):
    path, before = saved
    model = big_model()
    nl.io.save(model, path)
    assert path.read_bytes() != before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    np.testing.assert_array_equal(nl.io.load(path)[2].weight.data, model[2].weight.data)


def test_new_files_get_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        nl.io.save_file({"a": np.ones(1)}, tmp_path / "a.safetensors")
        with open(tmp_path / "b", "wb"):
            pass
    finally:
        os.umask(umask)
    mode = (tmp_path / "a.safetensors").stat().st_mode & 0o777
    assert mode == (tmp_path / "b").stat().st_mode & 0o777 == 0o644


def test_bad_destinations_are_clear_errors(tmp_path):
    model = nl.nn.Linear(2, 2)
    with pytest.raises(FileNotFoundError, match=r"directory .*missing' does not exist.*mkdir"):
        nl.io.save(model, tmp_path / "missing" / "m.safetensors")
    with pytest.raises(IsADirectoryError, match=r"is a directory; give a file name inside it"):
        nl.io.save(model, tmp_path)
    with pytest.raises(TypeError, match="path must be a str or a pathlib.Path, got int"):
        nl.io.save(model, 3)
    assert list(tmp_path.iterdir()) == []


# ----- leftovers of interrupted saves ------------------------------------------------------------
def test_stale_temporaries_are_removed_on_the_next_save_with_a_warning(saved):
    path, _ = saved
    stale = path.with_name(f".{path.name}.0123abcd.tmp")
    stale.write_bytes(b"half a model")
    other = path.with_name(".other.safetensors.0123abcd.tmp")  # another target's: not ours
    other.write_bytes(b"x")
    with pytest.warns(RuntimeWarning, match=r"removed 1 temporary file\(s\) \(12 bytes\)"):
        nl.io.save(big_model(), path)
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, other.name])


def test_a_save_in_progress_is_never_taken_for_a_leftover(saved):
    path, _ = saved
    with _files.atomic_write(path) as f:  # a save that has not finished
        f.write(b"...")
        (temp,) = [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
        assert _files.remove_stale_temporaries(path) == []
        assert temp.exists()


KILLER = """
import sys, neuronlab as nl
model = nl.nn.Sequential(nl.nn.Linear(300, 300), nl.nn.Linear(300, 300))
print("ready", flush=True)
while True:
    nl.io.save(model, sys.argv[1])
"""


@pytest.mark.slow
def test_kill_9_during_saves_never_loses_the_file_and_leaves_no_temporaries(tmp_path):
    import random
    import signal
    import subprocess
    import sys
    import time
    import warnings

    path = tmp_path / "model.safetensors"
    nl.io.save(big_model(), path)
    rng, kills, leftovers = random.Random(7), 0, 0
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", KILLER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.05))  # a random moment during the saves
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
        nl.io.load(path)  # the file is always a whole model, old or new
        leftovers += sum(p.name.endswith(".tmp") for p in tmp_path.iterdir())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            nl.io.save(big_model(), path)  # the next save cleans up
        assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    assert kills == 6
