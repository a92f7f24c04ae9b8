"""``Flatten``: merge axes into one, e.g. images (N, C, H, W) into rows (N, C * H * W) for a
``Linear`` layer; ``Unflatten``: split one axis into several, the way back."""

from __future__ import annotations

from ..engine.tensor import Tensor
from .module import Module


class Flatten(Module):
    """y = x reshaped so that axes start_dim..end_dim become one (a view: values unchanged).

    Shape: (N, *dims) -> (N, prod(dims)) with the defaults; in general the axes from start_dim to
    end_dim (inclusive, negative counts from the end) are merged.

    Args:
        start_dim: first axis to merge (default 1: keep the batch axis).
        end_dim: last axis to merge (default -1: the last one).

    >>> import neuronlab as nl
    >>> nl.nn.Flatten()(nl.zeros(2, 3, 4, 5)).shape
    (2, 60)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:
        ndim = input.data.ndim
        if not (-ndim <= self.start_dim < ndim and -ndim <= self.end_dim < ndim) or (
            self.start_dim % ndim > self.end_dim % ndim
        ):
            raise ValueError(
                f"{self!r} cannot flatten an input of shape {input.data.shape}: start_dim and "
                f"end_dim must be axes of the input ({-ndim} to {ndim - 1}) with start_dim first; "
                "did the input lose its batch axis? (x.unsqueeze(0) adds one)"
            )
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """y = x with axis ``dim`` split into ``unflattened_size`` (a view: values unchanged).

    Shape: (*, prod(unflattened_size), *) -> (*, *unflattened_size, *); one size may be -1.

    >>> import neuronlab as nl
    >>> nl.nn.Unflatten(1, (3, 4))(nl.zeros(2, 12)).shape
    (2, 3, 4)
    """

    def __init__(self, dim: int, unflattened_size):
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, input: Tensor) -> Tensor:
        ndim = input.ndim
        if not -ndim <= self.dim < ndim:
            raise ValueError(f"{self!r}: dim {self.dim} is not an axis of an input of shape "
                             f"{input.shape}")
        axis = self.dim % ndim
        shape = input.shape[:axis] + self.unflattened_size + input.shape[axis + 1 :]
        return input.reshape(shape)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
