"""Render the LSTM training-step benchmark (``bench_lstm.py``) for ``docs/benchmarks.md``."""

from __future__ import annotations

from .report import _machine, _stats, _verdict


def render_lstm(r):
    rows = "\n".join(f"| {k} | {_stats(v, 1e3, 'ms')} |" for k, v in r["times_s"].items())
    ok = r["ratio_vs_pytorch"] <= r["target_ratio"]
    first = r["first_loss"]
    return (
        f"## LSTM training step\n\n{r['workload']}.\n\n| framework | step time |\n|---|---|\n"
        f"{rows}\n\nneuronlab / PyTorch: **{r['ratio_vs_pytorch']:.2f}** (target <= "
        f"{r['target_ratio']}: {_verdict(ok)}). The fused `lstm_recurrence` op is "
        f"{r['fused_speedup']:.1f}x faster than the composed reference (`neuronlab naive`). "
        f"First loss with the same weights: neuronlab {first['neuronlab']:.6f}, PyTorch "
        f"{first['pytorch']:.6f}.\n\nMachine: {_machine(r['machine'])}\n"
    )


RENDERERS = {"lstm_step": render_lstm}
