"""Vanishing gradients, measured: a 20-layer plain network against the same network with skip
connections.

For sigmoid and tanh, this builds ``DeepMLP(depth=20)`` twice from the same seed -- plain, and
with a skip connection around every hidden layer -- and for each one:

1. measures the gradient norm of every layer for one batch at PyTorch's default initialization
   (``neuronlab.interpret.gradient_flow_report``), printed as a bar chart, input layer first;
2. trains it for the same number of steps with the same optimizer and the same seed, and
   reports the test accuracy (chance is 50%: the data set has two balanced classes).

Run from the repository root::

    python examples/depth_vanishing_gradients.py            # full size, about 10 s
    python examples/depth_vanishing_gradients.py --epochs 5  # quicker

The numbers are the point: in the plain sigmoid network the first layer's gradient is about
1e-17 of the last layer's, and the network stays at chance; with skip connections the hidden
layers' gradients are within a factor of ten of each other and the network learns the circle.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

import neuronlab as nl
from neuronlab.data import StandardScaler, circle, train_test_split
from neuronlab.interpret import format_gradient_flow, gradient_flow_report
from neuronlab.interpret.gradient_flow import default_axis
from neuronlab.models import DeepMLP
from neuronlab.train import evaluate, fit


def make_data(n_samples: int = 600, seed: int = 0):
    """The circle toy set (a disc inside a ring), standardized, split 75/25."""
    X, y = circle(n_samples, noise=0.05, seed=seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, seed=seed)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), y_train, scaler.transform(X_test), y_test


def experiment(activation, residual, data, *, depth=20, width=32, epochs=40, lr=0.05, seed=0):
    """Gradient norms at initialization, then accuracy after training; returns plain data."""
    X_train, y_train, X_test, y_test = data
    nl.manual_seed(seed)
    model = DeepMLP(depth=depth, width=width, activation=activation, residual=residual)
    loss_fn = nl.nn.CrossEntropyLoss()
    report = gradient_flow_report(model, loss_fn, X_train, y_train)
    hidden = [norm for _, norm in report.norms[1:-1]]  # the width x width layers
    optimizer = nl.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    history = fit(
        model,
        loss_fn,
        optimizer,
        (X_train, y_train),
        epochs=epochs,
        batch_size=64,
        seed=seed,
        verbose=False,
    )
    test = evaluate(model, loss_fn, (X_test, y_test), metrics=["accuracy"])
    return {
        "activation": activation,
        "residual": residual,
        "report": report,
        "first_last_ratio": report.first_last_ratio,
        "spread": report.spread,
        "hidden_spread": max(hidden) / min(hidden) if hidden else math.nan,
        "steps": epochs * math.ceil(len(X_train) / 64),
        "train_loss": history.history["loss"][-1],
        "test_accuracy": test["accuracy"],
    }


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--depth", type=int, default=20, help="Linear layers (default 20)")
    parser.add_argument("--width", type=int, default=32, help="units per hidden layer")
    parser.add_argument("--epochs", type=int, default=40, help="training epochs (8 steps each)")
    parser.add_argument("--samples", type=int, default=600, help="size of the data set")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    data = make_data(args.samples, args.seed)
    results = []
    for activation in ("sigmoid", "tanh"):
        pair = [
            experiment(
                activation,
                residual,
                data,
                depth=args.depth,
                width=args.width,
                epochs=args.epochs,
                seed=args.seed,
            )
            for residual in (False, True)
        ]
        norms = [n for r in pair for _, n in r["report"].norms]
        axis = default_axis(norms)  # one axis for both charts, so the bars compare
        for r in pair:
            kind = "with skip connections" if r["residual"] else "plain"
            print(
                f"\n{args.depth}-layer {activation} network, {kind}: gradient norm per layer "
                "(input layer first)"
            )
            print(format_gradient_flow(r["report"].norms, r["report"].kinds, axis=axis))
        results.extend(pair)
    print(
        f"\n{'network':<24}{'first/last':>12}{'max/min':>11}{'hidden max/min':>16}"
        f"{'test accuracy':>15}   (after {results[0]['steps']} SGD steps)"
    )
    for r in results:
        name = f"{r['activation']} {'residual' if r['residual'] else 'plain'}"
        print(
            f"{name:<24}{r['first_last_ratio']:>12.1e}{r['spread']:>11.1e}"
            f"{r['hidden_spread']:>16.1e}{r['test_accuracy']:>15.1%}"
        )
    print(
        "\nfirst/last: gradient norm of the input layer / the output layer. hidden max/min: "
        "spread over the\nwidth x width layers, the ones whose number grows with depth. "
        "Chance accuracy is 50%."
    )
    depth_sweep(data[0], data[1], width=args.width, seed=args.seed)
    return results


def depth_sweep(X, y, depths=(5, 10, 20, 30), width=32, seed=0) -> dict:
    """First/last gradient ratio at initialization against depth: exponential without skips."""
    print(f"\nfirst/last layer gradient ratio against depth (width {width}, at initialization)")
    print(f"{'network':<20}" + "".join(f"{f'depth {d}':>12}" for d in depths))
    table = {}
    for activation in ("sigmoid", "tanh"):
        for residual in (False, True):
            ratios = []
            for depth in depths:
                nl.manual_seed(seed)
                model = DeepMLP(depth, width, activation, residual=residual)
                report = gradient_flow_report(model, nl.nn.CrossEntropyLoss(), X, y)
                ratios.append(report.first_last_ratio)
            name = f"{activation} {'residual' if residual else 'plain'}"
            table[name] = ratios
            print(f"{name:<20}" + "".join(f"{r:>12.1e}" for r in ratios))
    return table


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
