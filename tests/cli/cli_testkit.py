"""Helpers shared by the CLI tests: run ``neuronlab`` in-process, read PNG headers."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from neuronlab.cli import main

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_cli(*argv: str) -> int:
    """``neuronlab argv`` in this process; argparse's exits become their status."""
    try:
        return main([str(a) for a in argv])
    except SystemExit as exc:
        return int(exc.code or 0)


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG file, read from its IHDR chunk; checks the signature."""
    data = Path(path).read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG file"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def read_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))
