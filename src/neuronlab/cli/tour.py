"""``neuronlab tour [CHAPTER]``: the tour in the terminal, the same chapters as the lab."""

from __future__ import annotations

import argparse
import sys

from ._common import CLIError, wrap

NAME = "tour"

EPILOG = """\
examples:
  neuronlab tour --list              the chapters
  neuronlab tour neuron              chapter 1: text, experiments, figures, checked claims
  neuronlab tour neuron --figures /tmp/figs --no-claims
  neuronlab tour learning --no-pause > learning.txt
  neuronlab tour glossary            every term the tour uses, with its definition
  neuronlab tour glossary gradient   the terms that mention a word

On a terminal the tour waits for Enter between sections; --no-pause (or output that is not a
terminal) reads straight through.

Figures are saved as PNG files (their paths are printed); `neuronlab lab` shows the same
chapters in the browser, with live controls.
"""


def add_parser(sub) -> None:
    p = sub.add_parser(
        "tour",
        help="the tour in the terminal: text, experiments, figures",
        description=wrap(
            "Read a chapter of the tour in the terminal: its text, its experiments run with "
            "progress bars, results as tables and text charts, figures saved as PNG files, and "
            "every claim the chapter makes checked."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("chapter", nargs="?", default=None, help="chapter id (default: the first)")
    p.add_argument("query", nargs="?", default=None, help=argparse.SUPPRESS)
    p.add_argument("--list", action="store_true", help="list the chapters and exit")
    p.add_argument(
        "--figures", default="neuronlab-tour", help="folder for PNG figures (./neuronlab-tour)"
    )
    p.add_argument("--no-claims", action="store_true", help="skip checking the claims")
    p.add_argument("--no-pause", action="store_true", help="do not wait for Enter between sections")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from ..tour import list_chapters
    from ..tour.terminal import TerminalTour

    if args.chapter == "glossary":
        from ..tour.terminal_glossary import show_glossary

        return show_glossary(Console(highlight=False), args.query)
    if args.query is not None:
        raise CLIError(f"unexpected argument {args.query!r} after the chapter id")
    chapters = list_chapters()
    if args.list:
        for i, c in enumerate(chapters, 1):
            print(f"{i:>2}. {c.id:<12} {c.title} - {c.summary}")
        return 0
    ids = [c.id for c in chapters]
    chapter_id = args.chapter or (ids[0] if ids else None)
    if chapter_id not in ids:
        raise CLIError(
            f"no chapter {args.chapter!r}; chapters: {', '.join(ids)} "
            "(`neuronlab tour --list` shows them)"
        )
    pause = not args.no_pause and sys.stdin.isatty() and sys.stdout.isatty()
    tour = TerminalTour(Console(highlight=False), out_dir=args.figures, pause=pause)
    ok = tour.run(chapter_id, claims=not args.no_claims)
    if tour.figures:
        print(f"\n{len(tour.figures)} figures saved under {tour.out_dir / chapter_id}")
    return 0 if ok else 1
