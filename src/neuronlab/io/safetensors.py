"""The safetensors file format, written and read with NumPy alone.

The layout (github.com/huggingface/safetensors, "Format"), all little-endian:

* 8 bytes: ``N``, an unsigned 64-bit integer, the size of the header;
* ``N`` bytes: the header, UTF-8 JSON ``{name: {"dtype": "F32", "shape": [2, 3],
  "data_offsets": [begin, end]}, ...}``, with an optional ``"__metadata__": {str: str}``;
  the writer pads it with spaces so that the data starts at a multiple of 8;
* the rest: every tensor's raw bytes (C order), back to back, in ``data_offsets`` order, with
  ``data_offsets`` counted from the first byte after the header.

The writer follows the reference implementation byte for byte: compact JSON, ``__metadata__``
first, tensors sorted by dtype alignment (largest first) and then by name. The reader trusts
nothing: every length and offset is checked against the file before it is used, and any
violation is a :class:`CorruptFileError` saying what is wrong. Pickle-free: loading a file can
never run code.

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
import struct
from collections.abc import Mapping

import numpy as np

from ..engine import Tensor
from ._files import atomic_write, input_path, output_path

# Every dtype of the format, in the reference's order (increasing alignment), with its size in
# bits. The writer sorts tensors by this order, largest first, as the reference does.
# fmt: off
DTYPE_BITS = {
    "BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "U8": 8, "I8": 8, "F8_E5M2": 8,
    "F8_E4M3": 8, "F8_E8M0": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8, "I16": 16, "U16": 16,
    "F16": 16, "BF16": 16, "I32": 32, "U32": 32, "F32": 32, "C64": 64, "F64": 64, "I64": 64,
    "U64": 64,
}
# fmt: on
_ALIGNMENT = {code: rank for rank, code in enumerate(DTYPE_BITS)}

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
_ENTRY_KEYS = ("dtype", "shape", "data_offsets")


class CorruptFileError(ValueError):
    """A file is not valid safetensors (truncated, damaged, or some other format).

    ``path`` is the file and ``problem`` what is wrong with it.
    """

    def __init__(self, path, problem: str):
        self.path, self.problem = str(path), problem
        super().__init__(
            f"{self.path!r} is not a valid safetensors file: {problem}. The file is damaged or "
            "incomplete (an interrupted save, copy or download?); save it again, or download it "
            "again"
        )


# ----- writing ---------------------------------------------------------------------------------
def serialize(tensors: Mapping, metadata: Mapping[str, str] | None = None) -> bytes:
    """The bytes of a safetensors file holding ``tensors`` (name -> array or Tensor).

    >>> import numpy as np
    >>> blob = serialize({"attn.0": np.arange(6, dtype=np.float32).reshape(1, 2, 3)})
    >>> len(blob), blob[:8]
    (96, b'@\\x00\\x00\\x00\\x00\\x00\\x00\\x00')
    """
    header, arrays = _prepare(tensors, metadata, "serialize")
    return b"".join([struct.pack("<Q", len(header)), header, *(_raw(a) for a in arrays)])


def save_file(tensors: Mapping, path, metadata: Mapping[str, str] | None = None) -> None:
    """Write ``tensors`` (name -> array or Tensor) to ``path`` as safetensors, atomically.

    ``metadata`` is stored in the header's ``__metadata__``; the format allows only string
    values (encode anything else as JSON). The file is written to a temporary file first and
    renamed over ``path`` only when complete, so a failure leaves any old file untouched.
    """
    path = output_path(path, "save_file")
    header, arrays = _prepare(tensors, metadata, "save_file")
    with atomic_write(path) as f:
        f.write(struct.pack("<Q", len(header)))
        f.write(header)
        for array in arrays:
            f.write(_raw(array))


def _prepare(tensors: Mapping, metadata, who: str) -> tuple[bytes, list[np.ndarray]]:
    """The padded header and the arrays in file order."""
    if not isinstance(tensors, Mapping):
        raise TypeError(
            f"{who}: tensors must be a dict name -> array, got {type(tensors).__name__}"
        )
    items = []
    for name, value in tensors.items():
        if not isinstance(name, str) or name == "__metadata__":
            raise ValueError(
                f"{who}: tensor names must be strings other than '__metadata__', got {name!r}"
            )
        array = _as_array(value, name, who)
        items.append((name, array, _CODES[array.dtype.newbyteorder("=")]))
    items.sort(key=lambda item: (-_ALIGNMENT[item[2]], item[0]))
    header: dict = {}
    if metadata is not None:
        header["__metadata__"] = _checked_metadata(metadata, who)
    offset = 0
    for name, array, code in items:
        header[name] = {
            "dtype": code,
            "shape": list(array.shape),
            "data_offsets": [offset, offset + array.nbytes],
        }
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return text + b" " * (-len(text) % 8), [array for _, array, _ in items]


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


def _raw(array: np.ndarray) -> memoryview:
    """The array's bytes, without copying."""
    return memoryview(array.reshape(-1).view(np.uint8))


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
    entries, _, start = _parse(data[:8], data[8:], len(data), source)
    return _arrays(entries, data[start:], source)


def read(path, who: str = "read", tensors: bool = True) -> tuple[dict, dict[str, str]]:
    """``(tensors, metadata)`` of the file at ``path``; ``tensors=False`` reads the header only."""
    path = input_path(path, who)
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        first = f.read(8)
        n = struct.unpack("<Q", first)[0] if len(first) == 8 else 0
        entries, metadata, start = _parse(first, f.read(min(n, MAX_HEADER_BYTES)), size, path)
        if not tensors:
            return {}, metadata
        data = f.read(size - start)
    if len(data) != size - start:
        raise CorruptFileError(path, "the file got shorter while it was being read")
    return _arrays(entries, data, path), metadata


def _parse(first: bytes, rest: bytes, size: int, source) -> tuple[list, dict[str, str], int]:
    """Check the header: ``(entries sorted by offset, metadata, where the data starts)``.

    ``first`` is the file's first 8 bytes, ``rest`` (at least) the header after them and
    ``size`` the file's length.
    """

    def corrupt(problem: str):
        return CorruptFileError(source, problem)

    if len(first) < 8:
        raise corrupt(
            f"it is {size} bytes long, too short for the 8-byte header length that "
            "starts every safetensors file"
        )
    n = struct.unpack("<Q", first)[0]
    if n > MAX_HEADER_BYTES:
        raise corrupt(
            f"its first 8 bytes give a header length of {n:,} bytes, more than the "
            f"{MAX_HEADER_BYTES:,} allowed"
        )
    if 8 + n > size:
        raise corrupt(
            f"its first 8 bytes give a header length of {n:,} bytes, but only "
            f"{size - 8:,} bytes follow them (truncated?)"
        )
    header = _json_header(rest[:n], corrupt)
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise corrupt(f"__metadata__ must map strings to strings, got {metadata!r:.200}")
    entries = sorted(
        (_entry(name, info, corrupt) for name, info in header.items()), key=lambda e: (e[3], e[4])
    )
    end = 0
    for name, code, shape, begin, stop in entries:
        if begin != end:
            where = "overlaps the tensor before it" if begin < end else "leaves a gap before it"
            raise corrupt(
                f"tensor {name!r} has data_offsets [{begin}, {stop}], which {where} "
                f"(the previous tensor ends at {end}); offsets must be contiguous"
            )
        bits = math.prod(shape) * DTYPE_BITS[code]
        if bits % 8 or stop - begin != bits // 8:
            needs = f"{bits // 8} bytes" if bits % 8 == 0 else f"{bits} bits (not whole bytes)"
            raise corrupt(
                f"tensor {name!r} ({code}, shape {list(shape)}) needs {needs} but its "
                f"data_offsets [{begin}, {stop}] span {stop - begin} bytes"
            )
        end = stop
    available = size - 8 - n
    if end > available:
        raise corrupt(
            f"the header describes {end:,} bytes of tensor data but only "
            f"{available:,} bytes follow it (truncated?)"
        )
    if end < available:
        raise corrupt(f"{available - end:,} unexpected bytes follow the last tensor's data")
    return entries, metadata, 8 + n


def _json_header(raw: bytes, corrupt) -> dict:
    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise corrupt(f"the header lists {duplicates[0]!r} twice")
        return dict(pairs)

    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates)
    except UnicodeDecodeError:
        raise corrupt("the header is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise corrupt(f"the header is not valid JSON ({error})") from None
    if not isinstance(header, dict):
        raise corrupt(
            f"the header is a JSON {type(header).__name__}, expected an object "
            "{name: {dtype, shape, data_offsets}}"
        )
    return header


def _entry(name: str, info, corrupt) -> tuple:
    """``(name, dtype, shape, begin, end)`` of one header entry, each field checked."""
    if not isinstance(info, dict) or not all(key in info for key in _ENTRY_KEYS):
        raise corrupt(
            f"the entry for tensor {name!r} is {info!r:.200}, expected an object with "
            "dtype, shape and data_offsets"
        )
    code, shape, offsets = (info[key] for key in _ENTRY_KEYS)
    if code not in DTYPE_BITS:
        raise corrupt(
            f"tensor {name!r} has dtype {code!r}, which is not a safetensors dtype "
            f"(known: {', '.join(DTYPE_BITS)})"
        )
    if not _ints(shape):
        raise corrupt(f"tensor {name!r} has shape {shape!r}, expected a list of integers >= 0")
    if not _ints(offsets) or len(offsets) != 2 or offsets[1] < offsets[0]:
        raise corrupt(
            f"tensor {name!r} has data_offsets {offsets!r}, expected [begin, end] "
            "with 0 <= begin <= end"
        )
    return name, code, tuple(shape), offsets[0], offsets[1]


def _ints(values) -> bool:
    return isinstance(values, list) and all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values
    )


def _arrays(entries: list, data: bytes, source) -> dict[str, np.ndarray]:
    out = {}
    for name, code, shape, begin, _ in entries:
        if code == "BF16":  # the top half of a float32: widening is exact
            bits = np.frombuffer(data, "<u2", math.prod(shape), begin).astype(np.uint32)
            out[name] = (bits << 16).view(np.float32).reshape(shape)
            continue
        if code not in NUMPY_DTYPES:
            raise ValueError(
                f"{str(source)!r}: tensor {name!r} is stored as {code}, which NumPy cannot hold; "
                "convert the file to F16, F32 or F64 with the tool that wrote it"
            )
        dtype = NUMPY_DTYPES[code]
        raw = np.frombuffer(data, dtype.newbyteorder("<"), math.prod(shape), begin)
        out[name] = raw.astype(dtype).reshape(shape)  # astype copies: writable, owns its memory
    return out
