"""``neuronlab bench``: the workloads build the same model in both frameworks, the CLI prints the
table and writes JSON. (Speed itself is measured by the benchmarks, never asserted here.)"""

import dataclasses
import functools
import json

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.bench import WORKLOADS, format_table, models, run_workloads
from neuronlab.bench.timing import Result
from neuronlab.cli import main


@pytest.mark.parametrize("pair", [models.cnn_pair, models.resnet_pair, models.lstm_pair,
                                  models.transformer_pair])  # fmt: skip
def test_each_pair_starts_both_frameworks_from_the_same_weights(pair, monkeypatch):
    seen = {}
    real = models._copy_weights

    def spy(source, target):
        real(source, target)
        seen["ours"], seen["theirs"] = source, target

    monkeypatch.setattr(models, "_copy_weights", spy)
    pair(torch)
    ours, theirs = seen["ours"], seen["theirs"]
    ours_state = ours.state_dict()
    for name, value in theirs.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), ours_state[name].data, err_msg=name)


def test_the_cnn_pair_computes_the_same_outputs():
    nl_step, t_step = models.cnn_pair(torch, batch=4)
    assert callable(nl_step) and callable(t_step)
    nl.manual_seed(0)
    ours = nl.models.SmallCNN()
    x = np.random.default_rng(1).random((2, 1, 28, 28), dtype=np.float32)
    ours.eval()
    assert ours(nl.Tensor(x)).shape == (2, 10)


@pytest.fixture
def short_playground(monkeypatch):
    """The playground workload at 50 steps a run instead of 2,000 (the figures are not read)."""
    short = dataclasses.replace(
        WORKLOADS["playground"], rate=50, pair=functools.partial(models.playground_pair, steps=50)
    )
    monkeypatch.setitem(WORKLOADS, "playground", short)


def test_a_run_alternates_and_reports_ratios(short_playground):
    results = run_workloads(["playground"], repeats=1)
    (r,) = results
    assert set(r.values) == {"neuronlab", "pytorch"} and r.unit == "steps/s"
    assert r.ratio == pytest.approx(r.values["neuronlab"]["median"] / r.values["pytorch"]["median"])
    assert r.verdict() in ("target met", "bar met", "bar missed")
    table = format_table(results)
    assert "playground 2-8-8-1" in table and ">= 5x" in table


def test_verdicts_follow_the_direction_of_better():
    def result(better, ours, theirs):
        values = {"neuronlab": {"median": ours}, "pytorch": {"median": theirs}}
        return Result("x", "x", "s", values, target=1.0, bar=1.5, better=better)

    assert result("lower", 0.9, 1.0).verdict() == "target met"
    assert result("lower", 1.4, 1.0).verdict() == "bar met"
    assert result("lower", 2.0, 1.0).verdict() == "bar missed"
    assert result("higher", 2.0, 1.0).verdict() == "target met"


def test_unknown_workloads_are_refused_with_the_list():
    with pytest.raises(ValueError, match="choose from cnn"):
        run_workloads(["gpu"])
    assert sorted(WORKLOADS) == ["cnn", "cnn-memory", "lstm", "mlp", "playground", "resnet",
                                 "transformer"]  # fmt: skip


def test_the_cli_prints_the_table_and_writes_json(tmp_path, capsys, short_playground):
    out = tmp_path / "bench.json"
    assert main(["bench", "playground", "--repeats", "1", "--no-torch", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "playground 2-8-8-1" in text and "BLAS" in text and "PyTorch" in text
    data = json.loads(out.read_text())
    assert data["results"][0]["name"] == "playground"
    assert data["results"][0]["ratio_vs_pytorch"] is None
    assert main(["bench", "warp-drive"]) == 2


def test_every_timed_run_follows_untimed_running(monkeypatch):
    """Idle BLAS / OpenMP threads of one framework spin after its run and would slow the other's
    next run: ``alternate`` runs each callable untimed for SETTLE seconds before timing it."""
    from neuronlab.bench import timing

    clock = [0.0]
    events = []

    def call(name):
        def fn():
            clock[0] += 0.1  # each call takes a tenth of a second on this clock
            events.append(name)

        return fn

    monkeypatch.setattr(timing.time, "perf_counter", lambda: clock[0])
    result = timing.alternate({"a": call("a"), "b": call("b")}, repeats=2, warmup=1, settle=0.25)
    # warm-up a, b; then per timed call: untimed calls until 0.25 s have passed (3), then one timed
    assert events == ["a", "b"] + (["a"] * 4 + ["b"] * 4) * 2
    assert result["a"]["runs"] == pytest.approx([0.1, 0.1])
    assert timing.SETTLE >= 0.1  # OpenBLAS spins for about a tenth of a second


def test_isolated_runs_alternate_fresh_processes(monkeypatch):
    from neuronlab.bench import isolated

    calls = []
    monkeypatch.setattr(isolated, "_child", lambda name, fw, n: calls.append((fw, n)) or [0.5] * n)
    ticks = []
    values = isolated.measure("cnn", ["neuronlab", "pytorch"], 3, lambda: ticks.append(1))
    per = -(-3 // isolated.ROUNDS)
    assert calls == [("neuronlab", per), ("pytorch", per)] * isolated.ROUNDS
    assert values["pytorch"]["median"] == 0.5 and len(values["neuronlab"]["runs"]) == 4
    assert len(ticks) == 2 * isolated.ROUNDS * per


def test_the_isolated_child_times_one_framework_in_its_own_process():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "neuronlab.bench.isolated", "playground", "neuronlab", "2"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    times = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(times) == 2 and all(t > 0 for t in times)


def test_a_failing_child_is_reported_with_its_error(monkeypatch):
    from neuronlab.bench import isolated

    with pytest.raises(RuntimeError, match="the neuronlab process for 'nonsense' failed"):
        isolated._child("nonsense", "neuronlab", 1)
