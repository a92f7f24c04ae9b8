"""Single-threaded CPU time of the bench workloads, neuronlab and PyTorch alternating.

On a busy shared machine wall-clock times swing by several times; the CPU time of the process
(``time.process_time``) with one BLAS thread and one PyTorch thread barely depends on the other
processes. Run as ``OPENBLAS_NUM_THREADS=1 python -m benchmarks.cpu_steps cnn resnet mlp``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def cpu_alternate(runs: dict, repeats: int = 7, warmup: int = 1) -> dict:
    """CPU milliseconds of each callable, interleaved: ``{name: (median, min, max)}``."""
    for fn in runs.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, fn in runs.items():
            start = time.process_time()
            fn()
            times[name].append(1e3 * (time.process_time() - start))
    return {n: (statistics.median(t), min(t), max(t)) for n, t in times.items()}


def main(names: list[str], repeats: int = 7) -> None:
    import torch

    from neuronlab.bench import models

    torch.set_num_threads(1)
    pairs = {"cnn": models.cnn_pair, "resnet": models.resnet_pair, "mlp": models.mlp_pair}
    for name in names:
        ours, theirs = pairs[name](torch)
        res = cpu_alternate({"neuronlab": ours, "pytorch": theirs}, repeats=repeats)
        (a, a0, a1), (b, b0, b1) = res["neuronlab"], res["pytorch"]
        print(
            f"{name:8s} neuronlab {a:8.1f} ms [{a0:.1f}-{a1:.1f}]  pytorch {b:8.1f} ms "
            f"[{b0:.1f}-{b1:.1f}]  ratio {a / b:.2f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["cnn", "resnet", "mlp"])
