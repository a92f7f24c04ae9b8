"""Render the ``neuronlab bench`` table (``bench_suite.py``) for ``docs/benchmarks.md``."""

from __future__ import annotations

from neuronlab.bench.report import format_value

from .report import _machine


def _rows(results):
    rows = []
    for w in results:
        torch = w["values"].get("pytorch")
        ratio = "-" if w["ratio_vs_pytorch"] is None else f"{w['ratio_vs_pytorch']:.2f}x"
        sign = "<=" if w["better"] == "lower" else ">="
        rows.append(
            f"| {w['title']} | {format_value(w['values']['neuronlab'], w['unit'])} | "
            f"{'-' if torch is None else format_value(torch, w['unit'])} | {ratio} | "
            f"{sign} {w['target']:g}x | {sign} {w['bar']:g}x | {w['verdict']} |"
        )
    return (
        "| workload | neuronlab | PyTorch | ratio | target | bar | verdict |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(rows)
    )


def render_suite(r):
    isolated = ""
    if r.get("isolated"):
        isolated = (
            "\n\nThe same workloads with each framework in fresh processes of its own, the "
            "processes alternating (`neuronlab bench --isolated`): no framework's idle threads "
            "are left spinning on the other's cores.\n\n" + _rows(r["isolated"])
        )
    return (
        "## The `neuronlab bench` table\n\nEvery workload of `neuronlab bench` (the same code: "
        "`neuronlab.bench`), neuronlab and PyTorch alternating in one process, each run after "
        "a quarter of a second of untimed running; medians with (min-max). Reproduce with "
        "`neuronlab bench` or `python -m benchmarks.bench_suite`.\n\n" + _rows(r["results"])
        + isolated
        + (f"\n\n{r['note']}" if r.get("note") else "")
        + f"\n\nMachine: {_machine(r['machine'])}\n"
    )  # fmt: skip


RENDERERS = {"bench_suite": render_suite}
