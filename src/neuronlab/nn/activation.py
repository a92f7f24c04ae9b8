"""Activation layers: the non-linearities between linear layers.

Without them a stack of linear layers is still one linear map. Each layer here is a thin object
around a function of ``neuronlab.nn.functional``; they hold no parameters, and the element-wise ones
keep the shape of their input.
"""

from __future__ import annotations

from ..engine.ops import fused
from ..engine.tensor import Tensor
from . import functional as F
from .module import Module


class ReLU(Module):
    """y = max(x, 0)

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> nl.nn.ReLU()(nl.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return input.relu()


class LeakyReLU(Module):
    """y = x if x > 0 else negative_slope * x   (negative inputs keep a small slope)

    Shape: any -> the same.

    Args:
        negative_slope: the slope for x < 0 (default 0.01).

    >>> import neuronlab as nl
    >>> nl.nn.LeakyReLU(0.5)(nl.tensor([-2.0, 2.0])).tolist()
    [-1.0, 2.0]
    """

    def __init__(self, negative_slope: float = 0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """y = 1 / (1 + exp(-x))   (squashes to (0, 1))

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> nl.nn.Sigmoid()(nl.tensor([0.0])).tolist()
    [0.5]
    """

    def forward(self, input: Tensor) -> Tensor:
        return input.sigmoid()


class Tanh(Module):
    """y = tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))   (squashes to (-1, 1))

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> nl.nn.Tanh()(nl.tensor([0.0])).tolist()
    [0.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return input.tanh()


class GELU(Module):
    """y = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2)))   (Phi: the standard normal CDF)

    With approximate='tanh': y = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
    Shape: any -> the same.

    Args:
        approximate: 'none' (exact, the default) or 'tanh'.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.GELU()(nl.tensor([-1.0, 1.0])).tolist()]
    [-0.1587, 0.8413]
    """

    def __init__(self, approximate: str = "none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softmax(Module):
    """y_i = exp(x_i) / sum_j exp(x_j) along ``dim``: scores -> probabilities that sum to 1.

    Shape: any -> the same. For training a classifier use ``CrossEntropyLoss`` on the raw
    scores instead: it includes the softmax, and is faster and more stable.

    Args:
        dim: the axis to normalize over (1 for (batch, classes) scores).

    >>> import neuronlab as nl
    >>> nl.nn.Softmax(dim=1)(nl.tensor([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return fused.Softmax.apply(input, axis=self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """y_i = x_i - log(sum_j exp(x_j)) along ``dim``: log-probabilities, stable for large x.

    Shape: any -> the same. Pair it with ``NLLLoss`` (together: ``CrossEntropyLoss``).

    Args:
        dim: the axis to normalize over (1 for (batch, classes) scores).

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.LogSoftmax(dim=0)(nl.tensor([0.0, 0.0])).tolist()]
    [-0.6931, -0.6931]
    """

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return fused.LogSoftmax.apply(input, axis=self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
