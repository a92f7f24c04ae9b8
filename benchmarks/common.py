"""Shared benchmark plumbing: thread settings, alternating timed runs, machine facts, results.

Timings on a shared 2-core machine are noisy, so every workload alternates neuronlab and PyTorch
runs in one process and reports the median with min and max; ratios are ratios of medians.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import statistics
from pathlib import Path

import numpy as np

from . import THREADS  # set before NumPy loaded, in benchmarks/__init__.py

RESULTS = Path(__file__).parent / "results"


def torch_module():
    """PyTorch with the same thread count as BLAS."""
    import torch

    torch.set_num_threads(THREADS)
    torch.set_flush_denormal(True)  # as neuronlab.bench does (see its _torch)
    return torch


def alternate(runs: dict, repeats: int = 5, warmup: int = 1, settle: float | None = None) -> dict:
    """Time each callable in ``runs`` ``repeats`` times, interleaved (a, b, a, b, ...)
    (``neuronlab.bench.timing.alternate``, the same code as ``neuronlab bench``). When PyTorch is
    one of the runs, each timed run follows ``settle`` seconds of untimed running (default
    ``timing.SETTLE``: the other framework's idle threads quiet down); neuronlab against itself
    (fused against composed ops) needs none.

    Returns ``{name: {"median": s, "min": s, "max": s, "runs": [...]}}`` in seconds.
    """
    from neuronlab.bench.timing import SETTLE
    from neuronlab.bench.timing import alternate as timed

    if settle is None:
        settle = SETTLE if any("torch" in name for name in runs) else 0.0
    return timed(runs, repeats=repeats, warmup=warmup, settle=settle)


def summarize(ts) -> dict:
    return {"median": statistics.median(ts), "min": min(ts), "max": max(ts), "runs": list(ts)}


def blas_info() -> str:
    try:
        from threadpoolctl import threadpool_info

        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        return "; ".join(
            f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} threads, "
            f"{p.get('architecture')})" for p in pools
        ) or "unknown"
    except ImportError:
        return "unknown (threadpoolctl missing)"


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {
        "date": _dt.date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "threads": THREADS,
        "blas": blas_info(),
    }
    try:
        import torch

        info["torch"] = torch.__version__
    except ImportError:
        info["torch"] = "not installed"
    try:
        import sklearn

        info["sklearn"] = sklearn.__version__
    except ImportError:
        info["sklearn"] = "not installed"
    return info


def save(name: str, payload: dict) -> Path:
    """Write ``benchmarks/results/<name>.json`` atomically, with the machine facts added."""
    RESULTS.mkdir(exist_ok=True)
    payload = {"name": name, "machine": machine(), **payload}
    path = RESULTS / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n")
    os.replace(tmp, path)
    return path


def fmt_stats(s: dict, unit: str = "s", scale: float = 1.0) -> str:
    return (f"{s['median'] * scale:.3g} {unit} (min {s['min'] * scale:.3g}, "
            f"max {s['max'] * scale:.3g})")
