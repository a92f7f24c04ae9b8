"""Speed benchmarks: each workload runs in neuronlab and PyTorch (CPU) in one process, alternating.

Run them all with ``make bench`` (or ``python -m benchmarks.run_all``); each writes a JSON file to
``benchmarks/results/`` and ``benchmarks/report.py`` turns those into ``docs/benchmarks.md``.
"""

import os

# BLAS reads its thread count when NumPy is first imported, so it is set here, before any
# benchmark module (or NumPy) loads: NEURONLAB_BENCH_THREADS, default 2.
THREADS = int(os.environ.get("NEURONLAB_BENCH_THREADS", "2"))
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, str(THREADS))
