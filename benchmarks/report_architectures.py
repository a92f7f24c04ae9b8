"""Render the architectures stop's CNN benchmark (``bench_architectures_cnn.py``) for
``docs/benchmarks.md``."""

from __future__ import annotations

from .report import _machine


def _rate(s) -> str:
    return f"{s['median']:.1f} ({s['min']:.1f}, {s['max']:.1f})"


def render_architectures(r):
    live = r["live"]
    ends = "; ".join(f"{steps} steps, {acc:.1%}, {seconds:.1f} s" for steps, acc, seconds in
                     live["ends"])  # fmt: skip
    ratio = r["pytorch"]["median"] / r["neuronlab"]["median"]
    return (
        "## Architectures stop: the CNN's training steps per second\n\n"
        "SmallCNN(channels=(8, 16), hidden=64), 52,138 weights, batch "
        f"{r['batch']} of 28x28 images, cross-entropy, Adam: the model and batch of the stop's "
        f"live run. {r['rounds']} alternating rounds of {r['steps']} steps each in one process; "
        "median steps/s (min, max).\n\n| where | steps/s |\n|---|---|\n"
        f"| neuronlab, `Trainer.step()` (the lab's loop) | {_rate(r['neuronlab'])} |\n"
        f"| PyTorch, same model, weights and batches | {_rate(r['pytorch'])} |\n"
        f"| the lab's default live run, evaluation and frames included | {_rate(live)} |\n\n"
        f"PyTorch / neuronlab: **{ratio:.2f}**. Live runs (steps, test accuracy at the end, "
        f"seconds): {ends}.\n\nMachine: {_machine(r['machine'])}. Reproduce with "
        "`NEURONLAB_BENCH_THREADS=1 python -m benchmarks.bench_architectures_cnn`.\n"
    )


RENDERERS = {"architectures_cnn": render_architectures}
