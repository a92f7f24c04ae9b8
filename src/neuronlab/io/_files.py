"""Paths in and out, and atomic writes: a file at ``path`` is either the old one or the new one.

The new bytes go to a temporary file in the same directory (so that the final rename never
crosses file systems), which is flushed and ``fsync``-ed and then moved over ``path`` with
``os.replace`` -- an atomic rename on POSIX and Windows. If anything fails before that, the
temporary file is removed and ``path`` is left as it was. A crash (or ``kill -9``) can at worst
leave a hidden ``.<name>.<random>.tmp`` file next to the target, never a half-written model; the
next save to the same target removes such leftovers, with a warning that says so. A save in
progress holds a lock on its temporary file (POSIX ``flock``), so it is never taken for a
leftover; where there are no such locks, only temporaries over an hour old are removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import time
import warnings
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
    remove_stale_temporaries(path)
    tmp, fd = _create_temp(path)
    lock = _hold_lock(tmp)  # held until the rename: the file is never taken for a leftover
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
    finally:
        if lock is not None:
            os.close(lock)
    _fsync_directory(path.parent)


STALE_SECONDS = 3600.0  # where locks are not available: a temporary this old is a leftover


def _temp_pattern(path: Path) -> re.Pattern:
    return re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{8}}\.tmp")


def _hold_lock(tmp: Path) -> int | None:
    """An exclusive ``flock`` on ``tmp`` through a descriptor of its own (``None`` where
    ``fcntl`` does not exist)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    fd = os.open(tmp, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _is_abandoned(candidate: Path) -> bool:
    """True when no save holds ``candidate`` (its writer died), so it may be removed."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return time.time() - candidate.stat().st_mtime > STALE_SECONDS
    fd = os.open(candidate, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # also releases the lock we may have taken
    return True


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporaries that interrupted saves to ``path`` left behind; warn if any.

    Only files named like this module's temporaries for this very target are considered, and
    only those no running save holds. Returns the files removed.
    """
    pattern, removed, freed = _temp_pattern(path), [], 0
    try:
        candidates = [p for p in path.parent.iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return []
    for candidate in candidates:
        try:
            if candidate.is_file() and _is_abandoned(candidate):
                size = candidate.stat().st_size
                candidate.unlink()
                removed.append(candidate)
                freed += size
        except OSError:  # gone already, or not ours to remove: leave it
            continue
    if removed:
        warnings.warn(
            f"saving {str(path)!r}: removed {len(removed)} temporary file(s) ({freed:,} bytes) "
            f"that interrupted saves had left next to it: {', '.join(p.name for p in removed)}",
            RuntimeWarning,
            stacklevel=4,
        )
    return removed


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
