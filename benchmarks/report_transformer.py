"""Renders the Transformer benchmark (``bench_transformer``) for ``docs/benchmarks.md``; the lead
merges :data:`RENDERERS` into ``report.py``."""

from __future__ import annotations

from .report import _machine, _stats, _verdict


def render_transformer(r: dict) -> str:
    rows = "\n".join(f"| {k} | {_stats(v, 1e3, 'ms')} |" for k, v in r["times_s"].items())
    ok = r["ratio_vs_pytorch"] <= r["target_ratio"]
    a = r["attention"]
    att = "\n".join(f"| {k} | {_stats(v, 1e3, 'ms')} |" for k, v in a["times_s"].items())
    return (
        f"## Transformer encoder training step\n\n{r['workload']}.\n\n| framework | step time |\n"
        f"|---|---|\n{rows}\n\nneuronlab / PyTorch: **{r['ratio_vs_pytorch']:.2f}** (target <= "
        f"{r['target_ratio']}: {_verdict(ok)}). Both start from the same weights; first losses: "
        f"neuronlab {r['first_loss']['neuronlab']:.6f}, PyTorch {r['first_loss']['pytorch']:.6f}."
        f"\n\nThe fused attention op against its composed reference ({a['workload']}):\n\n"
        f"| attention | time |\n|---|---|\n{att}\n\nFused speed-up: **{a['speedup']:.1f}x** (and "
        "one graph node holding only the probabilities, instead of five holding the scores "
        f"too).\n\nMachine: {_machine(r['machine'])}\n"
    )


RENDERERS = {"transformer_step": render_transformer}
