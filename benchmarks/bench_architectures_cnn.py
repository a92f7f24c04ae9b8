"""The architectures stop's CNN: training steps per second in the lab and in PyTorch.

Model SmallCNN(channels=(8, 16), hidden=64) (52,138 weights), batch 64 of 28x28 Fashion-MNIST
images from the shipped subset, cross-entropy, Adam(lr=0.003): the lab's default live run.

* ``neuronlab Trainer``: ``Trainer.step()``, the loop the lab drives (forward, loss, backward,
  Adam), nothing else.
* ``PyTorch``: the same model, weights copied, the same batches, the same optimizer.
* ``lab live run``: the whole default live run of the stop (``train_cnn``, from random weights
  until 85% test accuracy), test evaluation every 25 steps and frames included, driven headless:
  its steps divided by its wall time.

The first two alternate in one process (rounds of ``--steps`` steps); medians with min and max.
``python -m benchmarks.bench_architectures_cnn`` prints a markdown section.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from . import common  # sets the BLAS thread count before NumPy loads


def _data(batch: int, steps: int):
    from neuronlab.data import load_fashion_mnist_subset

    d = load_fashion_mnist_subset(layout="nchw")
    n = batch * steps
    return d.X_train[:n], d.y_train[:n]


def _torch_copy(model, torch):
    nn = torch.nn
    ref = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 49, 64), nn.ReLU(), nn.Linear(64, 10),
    )  # fmt: skip
    ours = [m for m in (*model.features, *model.classifier) if hasattr(m, "weight")]
    theirs = [m for m in ref if hasattr(m, "weight")]
    with torch.no_grad():
        for a, b in zip(ours, theirs):
            b.weight.copy_(torch.tensor(a.weight.data))
            b.bias.copy_(torch.tensor(a.bias.data))
    return ref


def lab_vs_torch(batch: int, steps: int, rounds: int) -> dict:
    """Steps per second of the Trainer and of PyTorch, alternating rounds of ``steps`` steps."""
    import neuronlab as nl
    from neuronlab.models import SmallCNN
    from neuronlab.train import Trainer

    torch = common.torch_module()
    X, y = _data(batch, steps)
    nl.manual_seed(0)
    model = SmallCNN(channels=(8, 16), hidden=64)
    ref = _torch_copy(model, torch)
    trainer = Trainer(model, nl.nn.CrossEntropyLoss(), nl.optim.Adam(model.parameters(), lr=0.003),
                      (X, y), epochs=None, batch_size=batch, shuffle=False, seed=0)  # fmt: skip
    opt = torch.optim.Adam(ref.parameters(), lr=0.003)
    Xt, yt = torch.tensor(X), torch.tensor(y)

    def ours():
        for _ in range(steps):
            trainer.step()

    def theirs():
        for i in range(steps):
            xb, yb = Xt[i * batch : (i + 1) * batch], yt[i * batch : (i + 1) * batch]
            loss = torch.nn.functional.cross_entropy(ref(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()

    times = common.alternate({"neuronlab": ours, "pytorch": theirs}, repeats=rounds)
    trainer.stop()
    return {name: _per_second(t, steps) for name, t in times.items()}


def _per_second(t: dict, steps: int) -> dict:
    """Seconds per round -> steps per second (min and max swap places)."""
    return {"median": steps / t["median"], "min": steps / t["max"], "max": steps / t["min"]}


def lab_live_run(repeats: int) -> dict:
    """The stop's default live run, headless: steps per wall-clock second, and its end."""
    from neuronlab.tour import run_headless

    rates, ends = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        frames = run_headless("architectures", "train_cnn", {}, every=25)
        seconds = time.perf_counter() - start
        rates.append(frames[-1]["step"] / seconds)
        ends.append((frames[-1]["step"], frames[-1]["test_accuracy"], seconds))
    return {**common.summarize(rates), "ends": ends}


def report(result: dict) -> str:
    m = result["machine"]
    fmt = lambda s: f"{s['median']:.1f} ({s['min']:.1f}, {s['max']:.1f})"  # noqa: E731
    live = result["live"]
    ends = "; ".join(f"{n} steps, {acc:.1%}, {s:.1f} s" for n, acc, s in live["ends"])
    ratio = result["pytorch"]["median"] / result["neuronlab"]["median"]
    return "\n".join(
        [
            "## Architectures stop: the CNN's training steps per second",
            "",
            "SmallCNN(channels=(8, 16), hidden=64), 52,138 weights, batch "
            f"{result['batch']} of 28x28 images, cross-entropy, Adam(lr=0.003): the model and "
            f"batch of the stop's live run. {result['rounds']} alternating rounds of "
            f"{result['steps']} steps each in one process; median steps/s (min, max).",
            "",
            "| where | steps/s |",
            "|---|---|",
            f"| neuronlab, `Trainer.step()` (the lab's loop) | {fmt(result['neuronlab'])} |",
            f"| PyTorch, same model, weights and batches | {fmt(result['pytorch'])} |",
            f"| the lab's default live run, evaluation and frames included | {fmt(live)} |",
            "",
            f"PyTorch / neuronlab: **{ratio:.2f}**. Live runs (steps, test accuracy at the end, "
            f"seconds): {ends}.",
            "",
            f"Machine: {m['date']} · {m['cpu']} · {m['cores']} cores · {m['threads']} BLAS / torch "
            f"threads · Python {m['python']} · NumPy {m['numpy']} · PyTorch {m['torch']} · BLAS: "
            f"{m['blas']}. Timings here vary by about 20% from run to run; the ratio of the "
            "alternating runs is the meaningful number.",
        ]
    )


def main(argv=()) -> dict:
    """Run it; ``argv`` holds the options (none when run_all calls it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=40, help="steps per timed round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--live", type=int, default=3, help="live runs to time")
    args = parser.parse_args(list(argv))
    result = {"batch": args.batch, "steps": args.steps, "rounds": args.rounds}
    result |= lab_vs_torch(args.batch, args.steps, args.rounds)
    result["live"] = lab_live_run(args.live)
    path = common.save("architectures_cnn", result)
    result["machine"] = common.machine()
    print(report(result))
    print(f"\n(saved {path})")
    np.asarray(0)  # NumPy stays imported after the BLAS settings, as in the other benchmarks
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
