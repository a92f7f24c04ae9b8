"""Each framework timed in a Python process of its own: ``neuronlab bench --isolated``.

Alternating in one process (``timing.alternate``) keeps a changing machine from favouring either
side, but the two frameworks then share more than the machine: after its run, each one's idle
threads keep spinning for a while (OpenBLAS's after a multithreaded product, PyTorch's OpenMP
team after a parallel region), and a spinning thread holds one of the cores the other needs.
Here every block of runs starts a fresh process that runs one framework only, and the processes
still alternate (neuronlab, PyTorch, neuronlab, PyTorch): nobody else's threads are left over.

The child process is ``python -m neuronlab.bench.isolated WORKLOAD FRAMEWORK REPEATS``; it prints
its run times (seconds) as JSON on the last line of its output.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Callable

from .timing import SETTLE, _settle, summarize

__all__ = ["measure"]

#: Blocks per framework: the processes alternate this many times.
ROUNDS = 2


def measure(
    name: str, frameworks: list[str], repeats: int, tick: Callable[[], None] | None = None
) -> dict[str, dict]:
    """``{framework: summary}`` of ``repeats`` timed runs each, in ROUNDS alternating blocks of
    fresh processes."""
    per_block = math.ceil(repeats / ROUNDS)
    runs: dict[str, list[float]] = {f: [] for f in frameworks}
    for _ in range(ROUNDS):
        for framework in frameworks:
            runs[framework] += _child(name, framework, per_block)
            if tick is not None:
                for _ in range(per_block):
                    tick()
    return {f: summarize(ts) for f, ts in runs.items()}


def _child(name: str, framework: str, repeats: int) -> list[float]:
    command = [sys.executable, "-m", "neuronlab.bench.isolated", name, framework, str(repeats)]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    if done.returncode != 0:
        raise RuntimeError(
            f"bench --isolated · the {framework} process for {name!r} failed "
            f"(exit {done.returncode}) · {done.stderr.strip()[-500:]}"
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _run_here(name: str, framework: str, repeats: int) -> list[float]:
    """In the child: build the workload, warm up, and time ``repeats`` runs of one framework."""
    import time

    from .workloads import WORKLOADS, _torch

    torch = _torch() if framework == "pytorch" else None  # with as many threads as BLAS
    ours, theirs = WORKLOADS[name].pair(torch)
    fn = theirs if framework == "pytorch" else ours
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        _settle(fn, SETTLE)
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


if __name__ == "__main__":
    workload, which, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print(json.dumps(_run_here(workload, which, count)))
