"""``neuronlab bench``: the engine's speed on this machine, against PyTorch when it is installed.

Each workload (``workloads``) builds the same model in neuronlab and in PyTorch and hands back
one callable per framework that does one unit of work (a training step, an epoch, a few thousand
steps). ``timing`` runs them alternately in one process -- neuronlab, PyTorch, neuronlab, ... --
so a busy machine slows both alike, and reports medians with min and max; ratios are ratios of
medians. ``report`` prints the table. ``benchmarks/`` (the repository's benchmark suite) and
``docs/benchmarks.md`` use the same code.

>>> from neuronlab.bench import WORKLOADS
>>> sorted(WORKLOADS)
['cnn', 'cnn-memory', 'lstm', 'mlp', 'playground', 'resnet', 'transformer']
"""

from .report import format_table
from .timing import Result, alternate, machine
from .workloads import WORKLOADS, Workload, run_workloads

__all__ = ["WORKLOADS", "Result", "Workload", "alternate", "format_table", "machine",
           "run_workloads"]  # fmt: skip
