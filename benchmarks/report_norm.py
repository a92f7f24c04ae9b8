"""Renderer for ``benchmarks/results/norm_ops.json`` (``bench_norm.py``); ``report.py`` merges
``RENDERERS`` into its own table."""

from __future__ import annotations

from .report import _machine, _stats


def render_norm(r) -> str:
    rows = "\n".join(
        f"| {name} | {_stats(c['fused'], 1e3, 'ms')} | {_stats(c['composed'], 1e3, 'ms')} | "
        f"{c['speedup']:.1f}x | {_stats(c['pytorch'], 1e3, 'ms')} | {c['ratio_vs_pytorch']:.2f} |"
        for name, c in r["cases"].items()
    )
    names = list(r["scatter"][0]["times"]) if r["scatter"] else []
    scatter = "\n".join(
        f"| {row['V']} | {row['D']} | {row['M']} | "
        + " | ".join(f"{row['times'][n]['median'] * 1e3:.2f}" for n in names) + " |"
        for row in r["scatter"]
    )
    return (
        f"## Normalization and embedding: fused against composed\n\n{r['workload']}. The fused "
        "ops (`engine/ops/norm.py`, `engine/ops/embedding.py`) exist because of these figures; "
        "the composed references stay in `neuronlab.nn.norm_functional` and tests hold both "
        "equal.\n\n| op | fused | composed | speed-up | PyTorch | fused / PyTorch |\n"
        f"|---|---|---|---|---|---|\n{rows}\n\n"
        "The embedding's backward adds the gradient rows of repeated ids together. Candidates "
        "for that scatter-add, median ms (V rows of width D, M ids):\n\n"
        f"| V | D | M | {' | '.join(names)} |\n|---|---|---|{'---|' * len(names)}\n{scatter}\n\n"
        f"Machine: {_machine(r['machine'])}\n"
    )


RENDERERS = {"norm_ops": render_norm}
