"""Parsers for the on-disk formats of the image data sets.

* IDX (MNIST, Fashion-MNIST): a big-endian header ``0x00 0x00 <dtype> <ndim>``, then ``ndim``
  32-bit sizes, then the values. Files may be gzip-compressed (detected from their first bytes).
* CIFAR-10 "python version": a tar.gz holding pickled dicts ``data_batch_1..5``, ``test_batch``
  and ``batches.meta``, or the extracted ``cifar-10-batches-py/`` folder. Pickles are read with a
  restricted unpickler that only rebuilds NumPy arrays and builtins, never arbitrary objects.

Every parser error is a :class:`CorruptDatasetError` naming the file and suggesting deleting it
so it is downloaded again.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import math
import os
import pickle
import struct
import tarfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from .errors import CorruptDatasetError

__all__ = ["read_cifar10", "read_idx", "write_idx"]

_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def _corrupt(
    path: Path | str, what: str, expected: str, member: str | None = None
) -> CorruptDatasetError:
    where = f"{path} (member {member})" if member else f"{path}"
    return CorruptDatasetError(
        f"read · expected {expected} · {where} {what} · the file is corrupt or truncated: "
        f"delete {path} so that it is downloaded again",
        path=str(path),
    )


MAX_IDX_BYTES = 8 << 30  # no IDX data set comes near 8 GiB of values
MAX_GZIP_RATIO = 1100  # deflate cannot expand more than ~1032:1; more is a decompression bomb


@contextlib.contextmanager
def _open_idx(path: Path) -> Iterator[tuple[BinaryIO, int]]:
    """The file's (decompressed) stream and the most bytes it can honestly hold."""
    size = path.stat().st_size
    with open(path, "rb") as raw:
        if raw.read(2) != b"\x1f\x8b":
            raw.seek(0)
            yield raw, size
            return
        raw.seek(0)
        with gzip.GzipFile(fileobj=raw) as stream:
            yield stream, size * MAX_GZIP_RATIO


def _read(stream: BinaryIO, n: int, path: Path) -> bytes:
    """At most ``n`` bytes (fewer at the end of the file)."""
    try:
        return stream.read(n)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise _corrupt(path, f"cannot be decompressed ({exc})", "a valid gzip file") from exc


def read_idx(path: str | os.PathLike[str], *, expected_ndim: int | None = None) -> np.ndarray:
    """Read an IDX file (optionally gzip-compressed) into a NumPy array in native byte order.

    The header's sizes are checked (in Python integers, which cannot overflow) against what
    the file can hold before the values are read, and a compressed file is decompressed no
    further than the header's size.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "demo-idx1-ubyte")
    >>> write_idx(p, np.array([3, 1, 4], dtype=np.uint8))
    >>> read_idx(p).tolist()
    [3, 1, 4]
    """
    path = Path(path)
    with _open_idx(path) as (stream, most):
        head = _read(stream, 4, path)
        if len(head) < 4:
            raise _corrupt(path, f"has only {len(head)} bytes", "an IDX header (at least 4 bytes)")
        zero, code, ndim = struct.unpack(">HBB", head)
        if zero != 0 or code not in _IDX_DTYPES:
            raise _corrupt(
                path,
                f"starts with magic 0x{head.hex()}",
                "an IDX magic number 0x0000TTNN (TT a known type code, NN dimensions)",
            )
        if expected_ndim is not None and ndim != expected_ndim:
            raise _corrupt(path, f"has {ndim} dimensions", f"an IDX file with {expected_ndim}")
        sizes = _read(stream, 4 * ndim, path)
        if ndim == 0 or len(sizes) < 4 * ndim:
            raise _corrupt(
                path, f"has a header of {4 + len(sizes)} bytes for {ndim} dims", "a full header"
            )
        shape = struct.unpack(f">{ndim}I", sizes)
        dtype = _IDX_DTYPES[code]
        expected = math.prod(shape) * dtype.itemsize  # a Python int: no overflow
        if expected > min(most, MAX_IDX_BYTES):
            raise _corrupt(
                path,
                f"declares shape {tuple(shape)} of {dtype}, {expected:,} bytes of values",
                f"no more than the file can hold ({min(most, MAX_IDX_BYTES):,} bytes)",
            )
        data = _read(stream, expected, path)
        more = _read(stream, 1, path)  # one byte past the values: there must be none
    if len(data) != expected or more:
        held = f"over {expected:,}" if more else f"{len(data):,}"
        raise _corrupt(
            path,
            f"holds {held} bytes of values",
            f"{expected:,} bytes for shape {tuple(shape)} of {dtype}",
        )
    array = np.frombuffer(data, dtype=dtype).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=True)


def write_idx(path: str | os.PathLike[str], array: np.ndarray, *, compress: bool = False) -> None:
    """Write ``array`` as an IDX file (gzip-compressed when ``compress``)."""
    a = np.asarray(array)
    codes = {np.dtype(v).newbyteorder("="): k for k, v in _IDX_DTYPES.items()}
    code = codes.get(a.dtype.newbyteorder("="))
    if code is None or a.ndim == 0:
        raise TypeError(
            f"write_idx · expected an array of uint8/int8/int16/int32/float32/float64 with ndim "
            f">= 1 · got {a.dtype}{list(a.shape)} · convert it with astype first"
        )
    payload = struct.pack(">HBB", 0, code, a.ndim) + struct.pack(f">{a.ndim}I", *a.shape)
    payload += a.astype(_IDX_DTYPES[code], copy=False).tobytes()
    if compress:
        payload = gzip.compress(payload, mtime=0)
    Path(path).write_bytes(payload)


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickler that can only rebuild NumPy arrays (and plain builtins)."""

    def find_class(self, module: str, name: str) -> Any:
        import codecs

        reconstruct = np.ndarray.__reduce__(np.zeros(1))[0]
        allowed: dict[tuple[str, str], Any] = {
            ("_codecs", "encode"): codecs.encode,  # bytes pickled by Python 3 at protocol 2
            ("numpy", "ndarray"): np.ndarray,
            ("numpy", "dtype"): np.dtype,
            ("numpy.core.multiarray", "_reconstruct"): reconstruct,
            ("numpy._core.multiarray", "_reconstruct"): reconstruct,
        }
        if (module, name) in allowed:
            return allowed[(module, name)]
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a data file")


def _unpickle(raw: bytes, path: Path, member: str) -> dict[str, Any]:
    try:
        obj = _ArrayUnpickler(io.BytesIO(raw), encoding="bytes").load()
    except Exception as exc:  # any unpickling failure means a broken file
        raise _corrupt(
            path, f"cannot be unpickled ({exc})", "a CIFAR-10 python batch", member
        ) from exc
    if not isinstance(obj, dict):
        raise _corrupt(path, f"holds a {type(obj).__name__}", "a pickled dict", member)
    return {k.decode() if isinstance(k, bytes) else k: v for k, v in obj.items()}


_CIFAR_MEMBERS = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch", "batches.meta"]


def _cifar_members(path: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    if path.is_dir():
        for name in _CIFAR_MEMBERS:
            member = path / name
            if member.is_file():
                found[name] = member.read_bytes()
        return found
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                base = member.name.rsplit("/", 1)[-1]
                if base in _CIFAR_MEMBERS and member.isfile():
                    f = tar.extractfile(member)
                    if f is not None:
                        found[base] = f.read()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise _corrupt(path, f"cannot be read as tar.gz ({exc})", "a tar.gz archive") from exc
    return found


def _cifar_batch(
    raw: bytes, path: Path, member: str, n_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    batch = _unpickle(raw, path, member)
    data, labels = batch.get("data"), batch.get("labels")
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2:
        got = type(data).__name__ if not isinstance(data, np.ndarray) else f"{data.dtype}"
        raise _corrupt(path, f"has data {got}", "'data' as a uint8 array (n, 3072)", member)
    if data.shape[1] != 3 * 32 * 32:
        raise _corrupt(path, f"has data of shape {data.shape}", "data of shape (n, 3072)", member)
    y = np.asarray(labels, dtype=np.int64) if labels is not None else np.empty(0, np.int64)
    if y.shape != (data.shape[0],) or (y.size and (y.min() < 0 or y.max() >= n_classes)):
        raise _corrupt(
            path,
            f"has labels of shape {y.shape} in {y.min()}..{y.max()}",
            f"{data.shape[0]} labels in 0..{n_classes - 1}",
            member,
        )
    return data.reshape(-1, 3, 32, 32), y


def read_cifar10(
    path: str | os.PathLike[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """Read CIFAR-10 (python version) from the tar.gz or the extracted folder.

    Returns ``(X_train, y_train, X_test, y_test, label_names)`` with images as ``uint8`` arrays
    of shape ``(n, 3, 32, 32)`` (NCHW) and labels as ``int64``.
    """
    path = Path(path)
    members = _cifar_members(path)
    missing = [m for m in _CIFAR_MEMBERS if m not in members]
    if missing:
        raise _corrupt(path, f"lacks {', '.join(missing)}", "all CIFAR-10 python batches")
    meta = _unpickle(members["batches.meta"], path, "batches.meta")
    names = meta.get("label_names")
    if not isinstance(names, list) or not names:
        raise _corrupt(path, "has no label_names", "a list of class names", "batches.meta")
    label_names = tuple(n.decode() if isinstance(n, bytes) else str(n) for n in names)
    k = len(label_names)
    parts = [
        _cifar_batch(members[f"data_batch_{i}"], path, f"data_batch_{i}", k) for i in range(1, 6)
    ]
    X_test, y_test = _cifar_batch(members["test_batch"], path, "test_batch", k)
    X_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts])
    return X_train, y_train, X_test, y_test, label_names
