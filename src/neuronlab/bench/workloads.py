"""The workloads of ``neuronlab bench`` and their targets (neuronlab relative to PyTorch).

The MLP epoch is timed on 120 steps of batch 128 and scaled to 60,000 images.

| name        | what one run is                                   | target  | bar     |
|-------------|---------------------------------------------------|---------|---------|
| cnn         | one training step of the small CNN, batch 128     | <= 1.0x | <= 1.5x |
| mlp         | an epoch of 60,000 images, MLP 784-256-128-10, Adam | <= 0.6x | <= 0.8x |
| playground  | steps per second of the 2-8-8-1 net, batch 10, SGD | >= 5x  | >= 3x   |
| resnet      | one ResNet-20 training step on 3x32x32, batch 64  | <= 1.3x | <= 2.0x |
| lstm        | one step of a 2-layer LSTM (64 -> 128), batch 64 x 50 | <= 0.9x | <= 1.2x |
| transformer | one step of a 4-layer Transformer encoder, batch 32 x 64 | <= 0.9x | <= 1.2x |
| cnn-memory  | peak memory of CNN training (own process each)    | <= 0.7x | <= 1.0x |
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import memory, models
from .isolated import measure as isolated_measure
from .timing import Result, alternate, summarize

__all__ = ["WORKLOADS", "Workload", "run_workloads"]


@dataclass(frozen=True)
class Workload:
    name: str
    title: str
    pair: Callable[[Any], tuple[Callable, Callable | None]] | None  # None: measured otherwise
    target: float
    bar: float
    unit: str = "s"
    better: str = "lower"
    scale: float = 1.0  # seconds per run -> the reported unit (e.g. an epoch from 120 steps)
    rate: float | None = None  # report rate / seconds (steps per second) instead of time
    repeats: int = 5


WORKLOADS: dict[str, Workload] = {
    w.name: w
    for w in (
        Workload("cnn", "small CNN training step (batch 128)", models.cnn_pair, 1.0, 1.5),
        Workload(
            "mlp",
            "MLP 784-256-128-10 epoch (Adam, batch 128)",
            models.mlp_pair,
            0.6,
            0.8,
            scale=models.MLP_EPOCH / (120 * 128),
            repeats=3,
        ),  # fmt: skip
        Workload(
            "playground",
            "playground 2-8-8-1 (batch 10, SGD)",
            models.playground_pair,
            5.0,
            3.0,
            unit="steps/s",
            better="higher",
            rate=2000,
            repeats=5,
        ),  # fmt: skip
        Workload(
            "resnet",
            "ResNet-20 training step (3x32x32, batch 64)",
            models.resnet_pair,
            1.3,
            2.0,
            repeats=3,
        ),  # fmt: skip
        Workload(
            "lstm", "LSTM training step (2 layers, batch 64 x 50)", models.lstm_pair, 0.9, 1.2
        ),  # fmt: skip
        Workload(
            "transformer",
            "Transformer encoder step (4 layers, batch 32 x 64)",
            models.transformer_pair,
            0.9,
            1.2,
        ),  # fmt: skip
        Workload(
            "cnn-memory", "CNN training peak memory", None, 0.7, 1.0, unit="bytes", repeats=1
        ),  # fmt: skip
    )
}


def _torch():
    """PyTorch, with as many threads as BLAS and subnormal floats flushed to zero on this
    thread: the workloads train the same model for thousands of steps, and without the flush
    PyTorch's optimizer state sank into subnormals (its MLP epoch drifted from 0.71 to 1.44 s).
    neuronlab's optimizers flush their own state (``optim.optimizer.flush_tiny``); the setting
    is the thread's, so NumPy's work on this thread is flushed too."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_flush_denormal(True)
    _match_blas_threads(torch)
    return torch


def _match_blas_threads(torch) -> None:
    """PyTorch gets as many threads as NumPy's BLAS has, so the comparison is fair (without
    threadpoolctl to ask, PyTorch keeps its default)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return
    threads = [p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"]
    torch.set_num_threads(max(threads or [os.cpu_count() or 1]))


def _measure(w: Workload, torch, tick, repeats: int | None, isolated: bool = False) -> Result:
    repeats = repeats or w.repeats
    if w.name == "cnn-memory":
        frameworks = ["neuronlab"] + (["pytorch"] if torch is not None else [])
        values = {}
        for name in frameworks:
            values[name] = summarize([float(memory.measure(name))])
            tick()
        return Result(w.name, w.title, w.unit, values, w.target, w.bar, w.better)
    if isolated:  # each framework in processes of its own (bench/isolated.py)
        frameworks = ["neuronlab"] + (["pytorch"] if torch is not None else [])
        raw = isolated_measure(w.name, frameworks, repeats, tick)
    else:
        nl_run, t_run = w.pair(torch)
        runs = {"neuronlab": nl_run} | ({"pytorch": t_run} if t_run is not None else {})
        raw = alternate(runs, repeats=repeats, tick=tick)
    values = {}
    for name, s in raw.items():
        if w.rate is not None:  # steps per second: the fastest run is the max rate
            values[name] = {
                "median": w.rate / s["median"],
                "min": w.rate / s["max"],
                "max": w.rate / s["min"],
                "runs": [w.rate / t for t in s["runs"]],
            }
        else:
            values[name] = {k: (v * w.scale if k != "runs" else [t * w.scale for t in v])
                            for k, v in s.items()}  # fmt: skip
    return Result(w.name, w.title, w.unit, values, w.target, w.bar, w.better)


def run_workloads(
    names: list[str] | None = None,
    *,
    repeats: int | None = None,
    with_torch: bool = True,
    on_tick: Callable[[str], None] | None = None,
    isolated: bool = False,
) -> list[Result]:
    """Run the named workloads (all by default), neuronlab and PyTorch alternating -- in this
    process, or with ``isolated`` each in fresh processes of its own (``bench.isolated``).

    ``on_tick(name)`` is called after every timed run (progress). Without PyTorch (or with
    ``with_torch=False``) only neuronlab is timed and there are no ratios.
    """
    names = list(names or WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        raise ValueError(
            f"bench · expected workload names · got {', '.join(map(repr, unknown))} · "
            f"choose from {', '.join(WORKLOADS)}"
        )
    torch = _torch() if with_torch else None
    results = []
    for name in names:
        w = WORKLOADS[name]
        if name == "cnn-memory" and not memory.supported():
            continue
        results.append(_measure(w, torch, lambda n=name: on_tick and on_tick(n), repeats, isolated))
    return results


def planned_runs(names: list[str], repeats: int | None, with_torch: bool) -> int:
    """How many timed runs ``run_workloads`` will make (for a progress bar)."""
    per = 2 if with_torch and _torch() is not None else 1
    return sum(per * (1 if n == "cnn-memory" else (repeats or WORKLOADS[n].repeats))
               for n in names)  # fmt: skip
