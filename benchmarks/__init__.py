"""Speed benchmarks: each workload runs in neuronlab and PyTorch (CPU) in one process, alternating.

Run them all with ``make bench`` (or ``python -m benchmarks.run_all``); each writes a JSON file to
``benchmarks/results/`` and ``benchmarks/report.py`` turns those into ``docs/benchmarks.md``.
"""
