"""Run every benchmark (each ``benchmarks/bench_*.py``), then regenerate docs/benchmarks.md.

``python -m benchmarks.run_all`` runs them all; ``python -m benchmarks.run_all mlp cnn`` runs the
ones whose names contain those words.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from . import report

# The engine's own workloads first, then the layers, then the browser measurement.
ORDER = ["suite", "overhead", "fused", "playground", "mlp", "norm", "cnn", "lstm", "transformer"]


def benchmarks() -> list[str]:
    folder = str(Path(__file__).parent)
    names = [m.name for m in pkgutil.iter_modules([folder]) if m.name.startswith("bench_")]
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(names, key=lambda n: (rank.get(n.removeprefix("bench_"), len(ORDER)), n))


def main(words=()) -> None:
    for name in benchmarks():
        if words and not any(w in name for w in words):
            continue
        print(f"running {name} ...", flush=True)
        importlib.import_module(f"{__package__}.{name}").main()
    report.main()


if __name__ == "__main__":
    main(sys.argv[1:])
