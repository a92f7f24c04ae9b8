"""``PointFeatures``: the input features of TensorFlow Playground, as a layer in front of a net.

A point (x1, x2) on the plane becomes the chosen columns of
``[x1, x2, x1², x2², x1·x2, sin x1, sin x2]``, so ``Sequential(PointFeatures(names), MLP(...))``
is the playground's whole network: a learner can save it, summarize it or hook it like any other.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engine.tensor import Tensor
from ..nn.module import Module

__all__ = ["FEATURES", "PointFeatures", "point_features"]

# Each feature as a function of the two coordinates a = x1, b = x2 (the page draws the same).
FEATURES = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1sq": lambda a, b: a * a,
    "x2sq": lambda a, b: b * b,
    "x1x2": lambda a, b: a * b,
    "sinx1": lambda a, b: np.sin(a),
    "sinx2": lambda a, b: np.sin(b),
}


def point_features(X: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The features ``names`` of points ``X`` (N, 2) as a float32 array (N, len(names))."""
    a, b = X[:, 0].astype(np.float32), X[:, 1].astype(np.float32)
    return np.ascontiguousarray(np.stack([FEATURES[n](a, b) for n in names], axis=1))


class PointFeatures(Module):
    """y = [f(x1, x2) for f in names]: fixed features of 2-D points, no parameters.

    The features are computed from the input's values, without a gradient back to x1 and x2
    (there is nothing to learn before this layer): attributions and input gradients of the
    network start at its output, the network's input column.

    Shape: (N, 2) -> (N, len(names)).

    Args:
        names: features from ``x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2``, in the order wanted.

    >>> import neuronlab as nl
    >>> PointFeatures(["x1", "x1x2", "x2sq"])(nl.tensor([[2.0, 3.0]])).tolist()
    [[2.0, 6.0, 9.0]]
    """

    def __init__(self, names: Sequence[str]):
        super().__init__()
        names = list(names)
        unknown = [n for n in names if n not in FEATURES]
        if not names or unknown or len(set(names)) != len(names):
            got = f"unknown {unknown}" if unknown else "none, or one twice"
            raise ValueError(
                f"PointFeatures(names={names!r}) · expected distinct names from "
                f"{', '.join(FEATURES)} · got {got} · pass e.g. ['x1', 'x2']"
            )
        self.names = names

    def forward(self, input: Tensor) -> Tensor:
        x = input.data
        if x.ndim != 2 or x.shape[1] != 2:
            raise ValueError(
                f"PointFeatures(names={self.names}) expected points of shape (N, 2), got shape "
                f"{tuple(x.shape)}; pass the x1, x2 coordinates as two columns"
            )
        if self.names == ["x1", "x2"] and x.dtype == np.float32 and not input.requires_grad:
            return input  # the points themselves: nothing to compute
        return Tensor(point_features(x, self.names))

    def extra_repr(self) -> str:
        return f"names={self.names}"
