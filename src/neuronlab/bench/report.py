"""The benchmark table, as plain text: one row per workload."""

from __future__ import annotations

from .timing import Result

__all__ = ["format_table", "format_value"]


def format_value(summary: dict, unit: str) -> str:
    """'12.3 ms (11.9-14.0)': the median with min-max, in a readable unit."""
    median, lo, hi = summary["median"], summary["min"], summary["max"]
    if unit == "s":
        scale, unit = (1e3, "ms") if median < 1 else (1.0, "s")
    elif unit == "bytes":
        scale, unit = 1 / 2**20, "MiB"
    else:
        scale = 1.0
    return f"{median * scale:,.3g} {unit} ({lo * scale:,.3g}-{hi * scale:,.3g})"


def format_table(results: list[Result]) -> str:
    """The results as an aligned text table with ratios and verdicts."""
    header = ["workload", "neuronlab", "PyTorch", "ratio", "target", "bar", "verdict"]
    rows = [header]
    for r in results:
        torch = r.values.get("pytorch")
        ratio = "-" if r.ratio is None else f"{r.ratio:.2f}x"
        sign = "<=" if r.better == "lower" else ">="
        rows.append([r.title, format_value(r.values["neuronlab"], r.unit),
                     "-" if torch is None else format_value(torch, r.unit), ratio,
                     f"{sign} {r.target:g}x", f"{sign} {r.bar:g}x", r.verdict()])  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
