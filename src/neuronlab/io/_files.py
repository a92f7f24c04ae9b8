"""Paths in and out, and atomic writes: a file at ``path`` is either the old one or the new one.

The new bytes go to a temporary file in the same directory (so that the final rename never
crosses file systems), which is flushed and ``fsync``-ed and then moved over ``path`` with
``os.replace`` -- an atomic rename on POSIX and Windows. If anything fails before that, the
temporary file is removed and ``path`` is left as it was. A crash can at worst leave a hidden
``.<name>.<random>.tmp`` file next to the target, never a half-written model.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def input_path(path, who: str) -> Path:
    """``path`` as a ``Path``, checked to be an existing file (else a clear error naming it)."""
    path = _as_path(path, who)
    if path.is_dir():
        raise IsADirectoryError(f"{who}: {str(path)!r} is a directory, not a saved model file")
    if not path.exists():
        where = "" if path.is_absolute() else f" (the working directory is {os.getcwd()!r})"
        raise FileNotFoundError(errno.ENOENT, f"{who}: no such file{where}", str(path))
    return path


def output_path(path, who: str) -> Path:
    """``path`` as a ``Path``, checked to be a writable file name in an existing directory."""
    path = _as_path(path, who)
    if path.is_dir():
        raise IsADirectoryError(
            f"{who}: {str(path)!r} is a directory; give a file name inside it, such as "
            f"{str(path / 'model.safetensors')!r}"
        )
    parent = path.parent
    if not parent.is_dir():
        raise FileNotFoundError(
            f"{who}: the directory {str(parent)!r} does not exist; create it first "
            f"(Path({str(parent)!r}).mkdir(parents=True)) or save somewhere else"
        )
    return path


def _as_path(path, who: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{who}: path must be a str or a pathlib.Path, got {type(path).__name__}")
    return Path(path)


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Open a temporary file for binary writing; on success it replaces ``path`` atomically.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "hello.bin"
    >>> with atomic_write(target) as f:
    ...     _ = f.write(b"hello")
    >>> target.read_bytes()
    b'hello'
    >>> try:
    ...     with atomic_write(target) as f:
    ...         _ = f.write(b"half a new fi")
    ...         raise OSError("disk full")
    ... except OSError:
    ...     pass
    >>> target.read_bytes(), sorted(p.name for p in target.parent.iterdir())
    (b'hello', ['hello.bin'])
    """
    path = Path(path)
    tmp, fd = _create_temp(path)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_directory(path.parent)


def _create_temp(path: Path) -> tuple[Path, int]:
    """A new, empty temporary file next to ``path``, created with the usual permissions
    (0o666 minus the umask, like ``open(path, 'wb')``), unlike ``tempfile.mkstemp``'s 0o600."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
