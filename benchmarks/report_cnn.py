"""The ``docs/benchmarks.md`` section for ``benchmarks/results/cnn_epoch.json`` (written by
``bench_cnn.py``); ``report.py`` merges :data:`RENDERERS` into its own table."""

from __future__ import annotations


def render_cnn(r: dict) -> str:
    from .report import _machine, _stats, _verdict  # here: report.py imports this module

    t = r["times_s"]
    rows = "\n".join(f"| {name} | {_stats(s)} |" for name, s in t.items())
    ratio = r["ratio_vs_pytorch"]
    m = r["memory"]
    mib = {name: b / 2**20 for name, b in m["training_bytes"].items()}
    text = (
        f"## CNN epoch\n\n{r['workload']}.\n\n| framework | epoch time |\n|---|---|\n{rows}\n\n"
        f"neuronlab / PyTorch: **{ratio:.2f}** (target <= {r['target_ratio']}: "
        f"{_verdict(ratio <= r['target_ratio'])}).\n\n"
        f"Peak memory of training ({m['batches']} batches, each framework in its own process: "
        f"the rise of the peak RSS over the RSS after imports and data loading): neuronlab "
        f"{mib['neuronlab']:.0f} MiB, PyTorch {mib['pytorch']:.0f} MiB, ratio "
        f"**{m['ratio_vs_pytorch']:.2f}** (target <= {r['target_memory_ratio']}: "
        f"{_verdict(m['ratio_vs_pytorch'] <= r['target_memory_ratio'])}).\n"
    )
    if "test_accuracy" in r:
        acc = r["test_accuracy"]
        text += (f"\nTest accuracy after {r['accuracy_after_epochs']} epochs: neuronlab "
                 f"{acc['neuronlab']:.2%}, PyTorch {acc['pytorch']:.2%} (target >= "
                 f"{r['target_accuracy']:.0%}: "
                 f"{_verdict(acc['neuronlab'] >= r['target_accuracy'])}).\n")
    for case, times in r.get("kernels", {}).items():
        cells = ", ".join(f"{name} {s['median'] * 1e3:.2f} ms" for name, s in times.items())
        text += f"\nKernel, {case}: {cells}.\n"
    return text + f"\nMachine: {_machine(r['machine'])}\n"


RENDERERS = {"cnn_epoch": render_cnn}
