"""The safetensors file format, through the ``safetensors`` package (its NumPy API).

The layout (github.com/huggingface/safetensors, "Format"), all little-endian:

* 8 bytes: ``N``, an unsigned 64-bit integer, the size of the header;
* ``N`` bytes: the header, UTF-8 JSON ``{name: {"dtype": "F32", "shape": [2, 3],
  "data_offsets": [begin, end]}, ...}``, with an optional ``"__metadata__": {str: str}``;
* the rest: every tensor's raw bytes (C order), back to back, in ``data_offsets`` order.

The package's reader is the reference implementation (written in Rust, fuzzed): it checks every
length, offset, dtype and shape against the file before anything is used. This module adds what
neuronlab needs around it: our arrays and Tensors in, fresh writable NumPy arrays out (BF16
widened exactly to float32), atomic writes, and one error type, :class:`CorruptFileError`, that
names the file and what is wrong with it. Pickle-free: loading a file can never run code.

>>> import numpy as np
>>> blob = serialize({"w": np.array([1.0, 2.0], dtype=np.float32)}, metadata={"note": "hi"})
>>> int.from_bytes(blob[:8], "little"), blob[8:].split(b"  ")[0].decode()
(88, '{"__metadata__":{"note":"hi"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}')
>>> deserialize(blob)
{'w': array([1., 2.], dtype=float32)}
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping

import numpy as np

from ..engine import Tensor
from ._files import atomic_write, input_path, output_path

# The dtypes NumPy holds natively, both ways. BF16 is also read (widened exactly to float32).
# fmt: off
NUMPY_DTYPES = {
    "BOOL": np.dtype(np.bool_), "U8": np.dtype(np.uint8), "I8": np.dtype(np.int8),
    "I16": np.dtype(np.int16), "U16": np.dtype(np.uint16), "F16": np.dtype(np.float16),
    "I32": np.dtype(np.int32), "U32": np.dtype(np.uint32), "F32": np.dtype(np.float32),
    "C64": np.dtype(np.complex64), "F64": np.dtype(np.float64), "I64": np.dtype(np.int64),
    "U64": np.dtype(np.uint64),
}
# fmt: on
_CODES = {dtype: code for code, dtype in NUMPY_DTYPES.items()}

MAX_HEADER_BYTES = 100_000_000  # the reference's limit: a bigger header is not a real file


class CorruptFileError(ValueError):
    """A file is not valid safetensors, or not a valid neuronlab file (truncated, damaged,
    crafted, or some other format).

    ``path`` is the file and ``problem`` what is wrong with it.
    """

    def __init__(self, path, problem: str, what: str = "safetensors file"):
        self.path, self.problem = str(path), problem
        super().__init__(
            f"{self.path!r} is not a valid {what}: {problem}. The file is damaged or "
            "incomplete (an interrupted save, copy or download?); save it again, or download it "
            "again"
        )


def _package():
    """The ``safetensors`` package, imported on first use (``import neuronlab`` needs NumPy
    only)."""
    try:
        import safetensors
        import safetensors.numpy
    except ImportError:  # pragma: no cover - a dependency of the package
        raise ImportError(
            "neuronlab.io needs the safetensors package to read and write model files; "
            "install it with: pip install 'safetensors>=0.4'"
        ) from None
    return safetensors


# ----- writing ---------------------------------------------------------------------------------
def serialize(tensors: Mapping, metadata: Mapping[str, str] | None = None) -> bytes:
    """The bytes of a safetensors file holding ``tensors`` (name -> array or Tensor).

    >>> import numpy as np
    >>> blob = serialize({"attn.0": np.arange(6, dtype=np.float32).reshape(1, 2, 3)})
    >>> len(blob), blob[:8]
    (96, b'@\\x00\\x00\\x00\\x00\\x00\\x00\\x00')
    """
    arrays, meta = _prepare(tensors, metadata, "serialize")
    return _package().numpy.save(arrays, meta)


def save_file(tensors: Mapping, path, metadata: Mapping[str, str] | None = None) -> None:
    """Write ``tensors`` (name -> array or Tensor) to ``path`` as safetensors, atomically.

    ``metadata`` is stored in the header's ``__metadata__``; the format allows only string
    values (encode anything else as JSON). The file is written to a temporary file first and
    renamed over ``path`` only when complete, so a failure leaves any old file untouched.
    """
    path = output_path(path, "save_file")
    arrays, meta = _prepare(tensors, metadata, "save_file")
    blob = _package().numpy.save(arrays, meta)
    with atomic_write(path) as f:
        for chunk in _chunks(blob):
            f.write(chunk)


def _chunks(blob: bytes, size: int = 1 << 20):
    """``blob`` in slices of ``size`` bytes, without copying."""
    view = memoryview(blob)
    for start in range(0, len(view), size):
        yield view[start : start + size]


def _prepare(tensors: Mapping, metadata, who: str) -> tuple[dict, dict[str, str] | None]:
    """The arrays (C-contiguous, little-endian) and the checked metadata."""
    if not isinstance(tensors, Mapping):
        raise TypeError(
            f"{who}: tensors must be a dict name -> array, got {type(tensors).__name__}"
        )
    arrays = {}
    for name, value in tensors.items():
        if not isinstance(name, str) or name == "__metadata__":
            raise ValueError(
                f"{who}: tensor names must be strings other than '__metadata__', got {name!r}"
            )
        arrays[name] = _as_array(value, name, who)
    return arrays, None if metadata is None else _checked_metadata(metadata, who)


def _as_array(value, name: str, who: str) -> np.ndarray:
    """``value`` as a C-contiguous little-endian array of a dtype the format has."""
    array = np.asarray(value.data if isinstance(value, Tensor) else value)
    if array.dtype.newbyteorder("=") not in _CODES:
        raise TypeError(
            f"{who}: tensor {name!r} has dtype {array.dtype}, which safetensors cannot store; "
            f"supported: {', '.join(str(d) for d in _CODES)}. Convert it first, e.g. "
            "array.astype(np.float32)"
        )
    return np.asarray(array, dtype=array.dtype.newbyteorder("<"), order="C")


def _checked_metadata(metadata, who: str) -> dict[str, str]:
    if not isinstance(metadata, Mapping):
        raise TypeError(
            f"{who}: metadata must be a dict of str -> str, got {type(metadata).__name__}"
        )
    for key, value in metadata.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(
                f"{who}: safetensors metadata maps strings to strings, got {key!r}: "
                f"{type(value).__name__}; encode other values first, e.g. json.dumps(value)"
            )
    return dict(metadata)


# ----- reading ---------------------------------------------------------------------------------
def load_file(path) -> dict[str, np.ndarray]:
    """Read every tensor of the safetensors file at ``path``: name -> array (a fresh copy).

    Raises ``FileNotFoundError`` for a missing file and :class:`CorruptFileError` for one that
    is not valid safetensors.
    """
    return read(path, "load_file")[0]


def load_metadata(path) -> dict[str, str]:
    """The ``__metadata__`` of the safetensors file at ``path`` ({} if it has none).

    Reads and checks the header only, not the tensor data.
    """
    return read(path, "load_metadata", tensors=False)[1]


def deserialize(data: bytes, source: str = "<bytes>") -> dict[str, np.ndarray]:
    """The tensors held in ``data``, the bytes of a safetensors file (see :func:`serialize`)."""
    data = bytes(data)
    return _arrays(_in_file_order(_parse(data, source), _header(data, source)), source)


def read(path, who: str = "read", tensors: bool = True) -> tuple[dict, dict[str, str]]:
    """``(tensors, metadata)`` of the file at ``path``; ``tensors=False`` reads the header only
    (still checked against the file's length)."""
    path = input_path(path, who)
    st = _package()
    if not tensors:
        try:
            with st.safe_open(str(path), framework="numpy") as f:
                metadata = dict(f.metadata() or {})
        except st.SafetensorError as error:
            raise CorruptFileError(path, _problem(error, b"")) from None
        return {}, metadata
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        data = f.read()
    if len(data) != size:
        raise CorruptFileError(path, "the file changed length while it was being read")
    entries, header = _parse(data, path), _header(data, path)
    return _arrays(_in_file_order(entries, header), path), dict(header.get("__metadata__") or {})


def _parse(data: bytes, source) -> list[tuple[str, dict]]:
    """The package's checked ``[(name, {"dtype", "shape", "data"})]`` of a whole file."""
    st = _package()
    if len(data) < 8:
        raise CorruptFileError(
            source,
            f"it is {len(data)} bytes long, too short for the 8-byte header length that starts "
            "every safetensors file",
        )
    try:
        return st.deserialize(data)
    except st.SafetensorError as error:
        raise CorruptFileError(source, _problem(error, data)) from None


def _header(data: bytes, source) -> dict:
    """The header of a file the package has already checked, refusing a name listed twice
    (the package keeps the last one silently)."""

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        twice = sorted({key for key in keys if keys.count(key) > 1})
        if twice:
            raise CorruptFileError(source, f"the header lists {twice[0]!r} twice")
        return dict(pairs)

    n = int.from_bytes(data[:8], "little")
    return json.loads(data[8 : 8 + n].decode("utf-8"), object_pairs_hook=no_duplicates)


def _in_file_order(entries: list, header: dict) -> list:
    return sorted(entries, key=lambda entry: header[entry[0]]["data_offsets"][0])


def _problem(error: Exception, data: bytes) -> str:
    """The package's message, without its generic prefix, with detail where it is terse."""
    text = str(error)
    for prefix in ("Error while deserializing header: ", "Error while deserializing: "):
        text = text.removeprefix(prefix)
    if text == "incomplete metadata, file not fully covered":
        return _coverage(data) or (
            "the header does not describe the file's bytes exactly (truncated, or extra "
            "bytes after the data?)"
        )
    hints = {
        "header too small": "it is too short to hold a safetensors header (truncated?)",
        "invalid header length": "its first 8 bytes give a header length longer than the "
        "file (truncated?)",
        "header too large": f"its header length is more than the {MAX_HEADER_BYTES:,} bytes "
        "allowed",
    }
    return hints.get(text, text)


def _coverage(data: bytes) -> str | None:
    """How the data after the header differs from what the header describes, if it says."""
    n = int.from_bytes(data[:8], "little")
    try:
        header = json.loads(data[8 : 8 + n].decode("utf-8"))
        end = max(
            (e["data_offsets"][1] for k, e in header.items() if k != "__metadata__"), default=0
        )
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None
    available = len(data) - 8 - n
    if not isinstance(end, int) or end == available:
        return None
    if end > available:
        return (
            f"the header describes {end:,} bytes of tensor data but only {available:,} bytes "
            "follow it (truncated?)"
        )
    return f"{available - end:,} unexpected bytes follow the last tensor's data"


def _arrays(entries: list, source) -> dict[str, np.ndarray]:
    out = {}
    for name, info in entries:
        code, shape, raw = info["dtype"], tuple(info["shape"]), info["data"]
        if code == "BF16":  # the top half of a float32: widening is exact
            bits = np.frombuffer(raw, "<u2", math.prod(shape)).astype(np.uint32)
            out[name] = (bits << 16).view(np.float32).reshape(shape)
            continue
        if code not in NUMPY_DTYPES:
            raise ValueError(
                f"{str(source)!r}: tensor {name!r} is stored as {code}, which NumPy cannot hold; "
                "convert the file to F16, F32 or F64 with the tool that wrote it"
            )
        dtype = NUMPY_DTYPES[code]
        array = np.frombuffer(raw, dtype.newbyteorder("<"), math.prod(shape))
        out[name] = array.astype(dtype).reshape(shape)  # astype copies: writable, owns its memory
    return out
