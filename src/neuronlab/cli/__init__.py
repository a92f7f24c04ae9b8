"""The ``neuronlab`` command: ``lab``, ``tour``, ``datasets``, ``train``, ``evaluate`` and ``demo``.

Each command lives in its own module (``lab``, ``tour``, ``datasets``, ``train``,
``evaluate``) with an ``add_parser(subparsers)`` function and a ``run(args)`` function that
returns the exit status.
Shared pieces: ``_common`` (errors, argument checks), ``_output`` (rich or plain text),
``models`` (``--model`` specs), ``prepare`` (data, splits, preprocessing), ``baseline`` (the
scikit-learn baseline), ``runs`` (the run folder, and the scoring both commands share).
``docs/cli.md`` is the user's guide.

Exit status: 0 success; 2 a usage error (bad argument, unknown data set, data not available,
missing or damaged run folder), printed as one line on stderr; 130 stopped by Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys

from ._common import EXIT_INTERRUPTED, EXIT_USAGE, ArgumentParser, CLIError, print_error

__all__ = ["build_parser", "main"]

EPILOG = """\
examples:
  neuronlab lab                            the tour in your browser (http://127.0.0.1:8765)
  neuronlab tour neuron                    the same chapter in the terminal
  neuronlab datasets                       what is available here, and where
  neuronlab train                          Fashion-MNIST if found, else scikit-learn's digits
  neuronlab train --data fashion-mnist --model mlp:256,128 --epochs 10 --val 0.1 \\
      --early-stopping 3 --out runs/fmnist
  neuronlab evaluate runs/fmnist           the full metric report on the test set
  neuronlab export runs/fmnist --to torch  the network as PyTorch code (or --to onnx)
  neuronlab demo                           a tiny network learns two spirals

`neuronlab COMMAND --help` shows each command's options. Guide: docs/cli.md
"""


def _demo(args: argparse.Namespace) -> int:
    from .. import demo

    demo.run(epochs=args.epochs, seed=args.seed)
    return 0


def _add_demo(sub) -> None:
    demo = sub.add_parser(
        "demo",
        help="train a small network on two spirals, in the terminal",
        description="Train a 2-16-16-1 network on two spirals and draw its decision boundary.",
        epilog="example:\n  neuronlab demo --epochs 100",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument("--epochs", type=int, default=300, help="passes over the data (300)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (0)")
    demo.set_defaults(func=_demo)


def build_parser() -> ArgumentParser:
    """The argument parser of ``neuronlab`` and all its subcommands."""
    from . import datasets, evaluate, export, lab, tour, train

    parser = ArgumentParser(
        prog="neuronlab",
        description="Learn how neural networks work, hands on.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"neuronlab {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    lab.add_parser(sub)
    tour.add_parser(sub)
    datasets.add_parser(sub)
    train.add_parser(sub)
    evaluate.add_parser(sub)
    export.add_parser(sub)
    _add_demo(sub)
    return parser


def _version() -> str:
    from .. import __version__

    return __version__


def main(argv=None) -> int:
    """Run ``neuronlab`` with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    args.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return args.func(args)
    except CLIError as error:
        print_error(f"neuronlab {args.command}", error)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nstopped (Ctrl-C)", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
