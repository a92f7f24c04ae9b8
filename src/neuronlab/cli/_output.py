"""Where the commands write: rich on a terminal, plain text everywhere else.

On a terminal, tables are drawn by ``rich``; in a pipe, a log file, CI or a test they are
aligned plain text (:func:`neuronlab.report.format_table`), so output stays easy to read and to
grep. Without ``rich`` installed everything is plain text.
"""

from __future__ import annotations

import sys
from typing import IO, Any

from ..report import Table, format_table

__all__ = ["Output", "has_rich"]


def has_rich() -> bool:
    """Whether ``rich`` can be imported."""
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


class Output:
    """Lines and tables on ``file`` (default: stdout at the time of the call)."""

    def __init__(self, file: IO[str] | None = None) -> None:
        self.file = file if file is not None else sys.stdout
        self.console: Any = None
        if has_rich():
            from rich.console import Console

            console = Console(file=self.file, highlight=False)
            if console.is_terminal:
                self.console = console

    @property
    def is_terminal(self) -> bool:
        """True when output goes to a terminal (and rich draws it)."""
        return self.console is not None

    def line(self, text: str = "", style: str | None = None) -> None:
        """One line of text (``style`` is a rich style, used on a terminal only)."""
        if self.console is not None:
            self.console.print(text, style=style, markup=False, soft_wrap=True)
        else:
            print(text, file=self.file, flush=True)

    def table(self, table: Table) -> None:
        """Draw ``table``: a rich table on a terminal, aligned plain text elsewhere."""
        if self.console is None:
            print(format_table(table), file=self.file, flush=True)
            return
        from rich.table import Table as RichTable

        rich_table = RichTable(
            title=table.title,
            title_justify="left",
            caption=table.note or None,
            caption_justify="left",
        )
        numeric = table.numeric or (False,) * len(table.headers)
        for header, num in zip(table.headers, numeric):
            rich_table.add_column(header, justify="right" if num else "left")
        for row in table.rows:
            rich_table.add_row(*row)
        self.console.print(rich_table)
