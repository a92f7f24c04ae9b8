"""Every Python code block in the README and in docs/ runs, so the documentation cannot rot.

Blocks fenced as ```python run; blocks fenced as ```py are fragments that illustrate an API
(they name things defined elsewhere) and are not run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _blocks():
    for path in DOCS:
        blocks = BLOCK.findall(path.read_text())
        if blocks:
            # Blocks of one page run in order in one namespace, as a reader would run them.
            yield pytest.param(path, blocks, id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize(("path", "blocks"), list(_blocks()))
def test_code_blocks_run(path, blocks, capsys):
    namespace: dict = {"__name__": "__docs__"}
    for i, code in enumerate(blocks):
        try:
            exec(compile(code, f"{path.name}[block {i}]", "exec"), namespace)  # noqa: S102
        except Exception as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{path.name}, code block {i} failed: {type(exc).__name__}: {exc}")


def test_docs_have_checks():
    """Each derivation in docs/math ends in a runnable check."""
    for path in (ROOT / "docs" / "math").glob("*.md"):
        assert BLOCK.search(path.read_text()), f"{path.name} has no runnable Python block"
