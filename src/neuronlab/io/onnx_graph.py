"""A small builder for ONNX graphs, over the ``onnx`` package's helper API.

``Graph`` hands out fresh tensor names, stores weights as initializers and appends nodes; the
layer emitters of ``onnx_layers`` use nothing else. ``shapes`` holds the input shape each layer
saw when the model ran on the example input (recorded with forward hooks), for the few ops whose
attributes depend on it (adaptive pooling).
"""

from __future__ import annotations

import numpy as np


class Graph:
    """Nodes and initializers of one ONNX graph under construction."""

    def __init__(self, dtype: np.dtype, shapes: dict[int, tuple]):
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.dtype = np.dtype(dtype)  # the model's float type
        self.shapes = shapes  # id(layer) -> shape of its first input
        self.nodes: list = []
        self.initializers: list = []
        self._count: dict[str, int] = {}

    def name(self, hint: str) -> str:
        """A tensor name not used before, from ``hint`` ('fc.weight' -> 'fc.weight', then
        'fc.weight_1', ...)."""
        n = self._count.get(hint, 0)
        self._count[hint] = n + 1
        return hint if n == 0 else f"{hint}_{n}"

    def const(self, value, hint: str, dtype=None) -> str:
        """An initializer holding ``value`` (a weight, a shape, a scalar); returns its name."""
        array = np.asarray(value, dtype=dtype if dtype is not None else None)
        if dtype is None and array.dtype.kind == "f":
            array = array.astype(self.dtype)
        name = self.name(hint)
        self.initializers.append(self.numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def scalar(self, value: float, hint: str = "c") -> str:
        """A float scalar of the model's type."""
        return self.const(np.array(value, dtype=self.dtype), hint)

    def ints(self, values, hint: str = "ints") -> str:
        """A 1-D int64 constant (shapes, axes, slice bounds)."""
        return self.const(np.array(values, dtype=np.int64), hint, dtype=np.int64)

    def op(
        self, op_type: str, inputs: list[str], hint: str | None = None, outputs: int = 1, **attrs
    ):
        """Append one node; returns its output name (or the list of them when ``outputs`` > 1)."""
        base = hint or op_type.lower()
        names = [self.name(base) for _ in range(outputs)]
        node = self.helper.make_node(
            op_type, inputs, names, name=self.name(f"{base}/node"), **attrs
        )
        self.nodes.append(node)
        return names[0] if outputs == 1 else names

    def length(self, x: str, axis: int) -> str:
        """A 1-D int64 tensor [x.shape[axis]] (a dynamic size, e.g. the sequence length)."""
        shape = self.op("Shape", [x], "shape")
        return self.op("Gather", [shape, self.ints([axis], "axis")], "len", axis=0)

    def rows(self, table: str, count: str) -> str:
        """table[:count] along the first axis (``count`` a 1-D int64 tensor)."""
        return self.op(
            "Slice", [table, self.ints([0], "zero"), count, self.ints([0], "axes")], "rows"
        )
