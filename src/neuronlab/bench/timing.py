"""Alternating timed runs, their summary, and the facts of the machine they ran on."""

from __future__ import annotations

import datetime as _dt
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Result", "alternate", "blas_info", "machine", "summarize"]


def summarize(times: list[float]) -> dict[str, Any]:
    """``{"median", "min", "max", "runs"}`` of a list of seconds."""
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "runs": list(times)}  # fmt: skip


#: Seconds of untimed running before every timed run. After a multithreaded product, OpenBLAS's
#: threads (NumPy) and OpenMP's (PyTorch) keep spinning for a while, waiting for more work, and a
#: spinning thread holds a core: timed right after the other framework, PyTorch's LSTM step read
#: 117 ms, against 35 ms in a process of its own. A pause would let those threads go quiet, but
#: it also lets the framework's own threads fall asleep, and waking them costs (neuronlab's CNN
#: step: 47 ms back to back, 76 ms after a quarter-second pause). So each framework first runs
#: untimed for this long -- the other's threads quiet down meanwhile, its own are awake -- and
#: then the timed run follows, as in a training loop. OpenBLAS's spin lasts about 2^28 cycles,
#: a tenth of a second.
SETTLE = 0.25


def _settle(fn: Callable[[], object], seconds: float) -> None:
    """Call ``fn`` untimed until ``seconds`` have passed (at least once)."""
    end = time.perf_counter() + seconds
    fn()
    while time.perf_counter() < end:
        fn()


def alternate(
    runs: dict[str, Callable[[], object]],
    repeats: int = 5,
    warmup: int = 1,
    tick: Callable[[], None] | None = None,
    settle: float = SETTLE,
) -> dict[str, dict[str, Any]]:
    """Time each callable ``repeats`` times, interleaved (a, b, a, b, ...), after ``warmup``
    untimed calls each; before every timed call the callable also runs untimed for ``settle``
    seconds (see SETTLE); ``tick()`` after every timed call (a progress bar). Seconds."""
    for fn in runs.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, fn in runs.items():
            if settle > 0:
                _settle(fn, settle)
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
            if tick is not None:
                tick()
    return {name: summarize(ts) for name, ts in times.items()}


@dataclass
class Result:
    """One workload's figures: ``values[framework]`` summaries in ``unit``, and the ratio of
    neuronlab's median to PyTorch's (``None`` without PyTorch); ``better`` says which way is good
    ("lower" for times and memory, "higher" for rates)."""

    name: str
    title: str
    unit: str
    values: dict[str, dict[str, Any]]
    target: float
    bar: float
    better: str = "lower"
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if "pytorch" not in self.values or "neuronlab" not in self.values:
            return None
        return self.values["neuronlab"]["median"] / self.values["pytorch"]["median"]

    def verdict(self) -> str:
        """'target met', 'bar met' (target missed), 'bar missed', or '-' without a ratio."""
        ratio = self.ratio
        if ratio is None:
            return "-"
        ok = (lambda limit: ratio <= limit) if self.better == "lower" else (lambda l: ratio >= l)
        return "target met" if ok(self.target) else "bar met" if ok(self.bar) else "bar missed"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "unit": self.unit, "values": self.values,
                "ratio_vs_pytorch": self.ratio, "target": self.target, "bar": self.bar,
                "better": self.better, "verdict": self.verdict(), "notes": self.notes}  # fmt: skip


def blas_info() -> str:
    """The BLAS library and its thread count (via threadpoolctl when installed)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")
        return f"unknown library ({threads or 'default'} threads; install threadpoolctl to see)"
    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    return "; ".join(f"{p.get('internal_api')} {p.get('version')}, {p.get('num_threads')} "
                     f"threads" for p in pools) or "unknown"  # fmt: skip


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(torch_threads: int | None = None) -> dict[str, Any]:
    """Date, CPU, cores, versions, BLAS and thread counts: what a benchmark figure depends on."""
    info = {"date": _dt.date.today().isoformat(), "cpu": _cpu(), "cores": os.cpu_count(),
            "python": platform.python_version(), "numpy": np.__version__,
            "blas": blas_info()}  # fmt: skip
    try:
        import torch

        info["torch"] = f"{torch.__version__} ({torch.get_num_threads()} threads)"
    except ImportError:
        info["torch"] = "not installed"
    return info
