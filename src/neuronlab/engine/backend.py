"""The one place the engine reaches its array module, and its dtype rules.

Every op gets NumPy through ``xp`` from here, so a GPU array module with the same API (CuPy)
could be swapped in without touching op code.
"""

from __future__ import annotations

import numpy

xp = numpy
ndarray = numpy.ndarray

#: Floating point tensors are float32 unless float64 is asked for explicitly.
DEFAULT_FLOAT = numpy.dtype(numpy.float32)
FLOAT_DTYPES = (numpy.dtype(numpy.float32), numpy.dtype(numpy.float64))

_DTYPE_NAMES = {
    "float32": numpy.float32,
    "float": numpy.float32,
    "float64": numpy.float64,
    "double": numpy.float64,
    "float16": numpy.float16,
    "half": numpy.float16,
    "int64": numpy.int64,
    "long": numpy.int64,
    "int32": numpy.int32,
    "int": numpy.int32,
    "int16": numpy.int16,
    "int8": numpy.int8,
    "uint8": numpy.uint8,
    "bool": numpy.bool_,
}


def as_dtype(dtype) -> numpy.dtype:
    """Turn ``dtype`` (a NumPy dtype, a type such as ``np.float64`` or a name such as ``"float64"``)
    into a NumPy dtype, with a clear error for anything else."""
    if isinstance(dtype, str):
        dtype = dtype.removeprefix("torch.")
        if dtype == "bfloat16":
            raise TypeError(
                "bfloat16 is not available: NumPy, which holds the engine's data, has no "
                "bfloat16 type; use 'float16' for half-size storage or 'float32'"
            )
        if dtype not in _DTYPE_NAMES:
            raise TypeError(
                f"unknown dtype {dtype!r}; use one of {sorted(_DTYPE_NAMES)} or a NumPy dtype"
            )
        dtype = _DTYPE_NAMES[dtype]
    try:
        return numpy.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"expected a dtype such as 'float32' or np.float64, got {dtype!r}") from exc


def is_floating(dtype) -> bool:
    if isinstance(dtype, numpy.dtype):  # the common case, without issubdtype's cost
        return dtype.kind == "f"
    return numpy.issubdtype(dtype, numpy.floating)


def check_device(device) -> None:
    """Accept PyTorch's ``device='cpu'`` (the engine computes with NumPy on the CPU); refuse any
    other device with a message."""
    if device is None:
        return
    name = str(getattr(device, "type", device))
    if name.split(":")[0] != "cpu":
        raise ValueError(
            f"device {device!r} is not available: neuronlab computes with NumPy on the CPU; "
            "use device='cpu' (or leave it out)"
        )
