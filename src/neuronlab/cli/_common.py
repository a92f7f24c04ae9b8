"""Shared pieces of the commands: the one-line errors, argument checks, data-set names.

A mistake the user can fix (a bad argument, an unknown data set, a missing run folder) is a
:class:`CLIError`; ``main`` prints it as ``neuronlab <command>: error: <message>`` on stderr and
exits with status 2, like argparse does for its own errors. Bugs still raise with a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import textwrap
from typing import NoReturn

from ..data import list_datasets

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "ArgumentParser",
    "CLIError",
    "fraction",
    "non_negative_float",
    "positive_float",
    "positive_int",
    "resolve_dataset",
    "wrap",
]

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CLIError(Exception):
    """A problem the user can fix: ``message`` is one line; ``detail`` (optional) follows it,
    e.g. the data library's list of folders searched and commands that get the data."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr (and exit status 2), not the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _number(text: str, kind: type) -> float | int:
    try:
        return kind(text)
    except ValueError:
        what = "an integer" if kind is int else "a number"
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def positive_float(text: str) -> float:
    """argparse type: a number > 0 (learning rates)."""
    value = _number(text, float)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text}")
    return value


def non_negative_float(text: str) -> float:
    """argparse type: a number >= 0 (weight decay)."""
    value = _number(text, float)
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text}")
    return value


def fraction(text: str) -> float:
    """argparse type: a fraction in [0, 1) (0 turns the thing off)."""
    value = _number(text, float)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"expected a fraction in [0, 1), e.g. 0.1, got {text}")
    return value


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    value = _number(text, int)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text}")
    return value


def resolve_dataset(name: str) -> str:
    """The registry name for ``name`` (``fashion-mnist`` and ``Fashion_MNIST`` both work), or a
    :class:`CLIError` that suggests the closest names.

    >>> resolve_dataset("Fashion-MNIST")
    'fashion_mnist'
    """
    names = list_datasets()
    key = name.strip().lower().replace("-", "_")
    if key in names:
        return key
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    raise CLIError(
        f"unknown data set {name!r}; {hint}`neuronlab datasets` lists all {len(names)} "
        f"({', '.join(names)})"
    )


def print_error(prog: str, error: CLIError) -> None:
    """``prog: error: message`` on stderr, then the detail lines indented."""
    print(f"{prog}: error: {error.message}", file=sys.stderr)
    for line in error.detail.splitlines():
        print(f"  {line}", file=sys.stderr)


def wrap(text: str) -> str:
    """A help description wrapped to 79 columns (the parsers keep their epilogs as written)."""
    return textwrap.fill(" ".join(text.split()), 79)
