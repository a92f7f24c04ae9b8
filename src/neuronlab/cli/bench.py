"""``neuronlab bench``: how fast the engine is on this machine, against PyTorch when installed.

    neuronlab bench                       every workload (a few minutes)
    neuronlab bench cnn mlp --repeats 3   some of them
    neuronlab bench --json results.json   also write the figures as JSON
    neuronlab bench --isolated            each framework in processes of its own

Workloads, targets and method: ``neuronlab.bench`` (neuronlab and PyTorch alternate in one
process; medians with min and max; ratios of medians). A progress bar with the time left runs
on standard error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from ._common import CLIError, positive_int

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    from ..bench import WORKLOADS

    parser = sub.add_parser(
        "bench",
        help="measure the engine's speed here, against PyTorch when it is installed",
        description=__doc__.split("\n\n")[0],
        epilog="workloads: " + ", ".join(WORKLOADS) + "\nexample:\n  neuronlab bench cnn "
        "playground --repeats 3",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("workloads", nargs="*", metavar="WORKLOAD",
                        help="which workloads to run (default: all)")  # fmt: skip
    parser.add_argument(
        "--repeats",
        type=positive_int,
        default=None,
        help="timed runs per framework (default: per workload, 3-5)",
    )
    parser.add_argument(
        "--no-torch",
        action="store_true",
        help="time neuronlab alone, even when PyTorch is installed",
    )
    parser.add_argument(
        "--isolated",
        action="store_true",
        help="time each framework in fresh processes of its own (no threads of the other "
        "left spinning), still alternating",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.set_defaults(func=run)


class _Progress:
    """One line on standard error: done/total, the workload, the time left (from the mean)."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.start = total, 0, time.monotonic()
        self.tty = sys.stderr.isatty()

    def tick(self, name: str) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.start
        left = elapsed / self.done * (self.total - self.done)
        width = 24
        filled = round(width * self.done / self.total)
        line = (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {name:<12} "
                f"elapsed {elapsed:4.0f} s, about {left:4.0f} s left")  # fmt: skip
        if self.tty:
            print("\r" + line, end="", file=sys.stderr, flush=True)
        elif self.done == self.total or self.done % 5 == 0:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.tty:
            print(file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from ..bench import WORKLOADS, format_table, machine, run_workloads
    from ..bench.workloads import planned_runs

    names = args.workloads or list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        raise CLIError(f"unknown workload {', '.join(unknown)}; choose from "
                       f"{', '.join(WORKLOADS)}")  # fmt: skip
    progress = _Progress(planned_runs(names, args.repeats, not args.no_torch))
    try:
        results = run_workloads(names, repeats=args.repeats, with_torch=not args.no_torch,
                                on_tick=progress.tick, isolated=args.isolated)  # fmt: skip
    finally:
        progress.close()
    facts = machine()
    print(f"{facts['date']} · {facts['cpu']} · {facts['cores']} cores · Python "
          f"{facts['python']} · NumPy {facts['numpy']} · BLAS: {facts['blas']} · PyTorch: "
          f"{facts['torch']}")  # fmt: skip
    print(format_table(results))
    if all(r.ratio is None for r in results):
        print("(PyTorch is not installed: no ratios. `pip install torch` to compare.)")
    if args.json:
        payload = {"machine": facts, "results": [r.to_json() for r in results]}
        tmp = f"{args.json}.tmp"
        with open(tmp, "w") as f:
            json.dump(payload, f, indent=2)
        os.replace(tmp, args.json)
    return 0
