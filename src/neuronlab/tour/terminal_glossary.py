"""``neuronlab tour glossary [WORD]``: the glossary in the terminal, all of it or the terms that
mention a word, each with its definition and the stop that shows it live."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .glossary import search
from .registry import ORDER


def show_glossary(console: Console, query: str | None = None) -> int:
    """Print the matching terms as a table; 1 (and a hint) when nothing matches."""
    terms = search(query or "")
    if not terms:
        console.print(f"No glossary term mentions {query!r}; `neuronlab tour glossary` lists all.")
        return 1
    title = f"Glossary: {len(terms)} terms" + (f" mentioning {query!r}" if query else "")
    table = Table(title=title, show_lines=False, expand=True)
    table.add_column("term", style="bold", no_wrap=True)
    table.add_column("definition", ratio=1)
    table.add_column("shown in", no_wrap=True)
    for t in terms:
        table.add_row(t.term, t.definition, f"{ORDER.index(t.chapter) + 1}. {t.chapter}")
    console.print(table)
    console.print("Every chapter links its first use of these terms (neuronlab lab).")
    return 0
