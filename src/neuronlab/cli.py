"""The ``neuronlab`` command."""

from __future__ import annotations

import argparse
import sys


def _demo(args) -> int:
    from . import demo

    demo.run(epochs=args.epochs, seed=args.seed)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neuronlab", description="Learn how neural networks work, hands on."
    )
    parser.add_argument("--version", action="version", version=f"neuronlab {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", help="train a small network on two spirals, in the terminal")
    demo.add_argument("--epochs", type=int, default=300, help="passes over the data (300)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (0)")
    demo.set_defaults(func=_demo)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("\nstopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
