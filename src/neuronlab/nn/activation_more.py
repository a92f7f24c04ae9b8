"""More activation layers, each a thin object around a function of
``neuronlab.nn.activation_functional`` (``PReLU`` alone holds a parameter: its slopes).

Shape: any -> the same, for all of them (``Softmin`` along ``dim``).
"""

from __future__ import annotations

from ..engine.tensor import Tensor
from . import activation_functional as A
from . import init as nn_init
from .module import Module
from .parameter import Parameter


class SiLU(Module):
    """y = x * sigmoid(x)   (swish)

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.SiLU()(nl.tensor([-1.0, 2.0])).tolist()]
    [-0.2689, 1.7616]
    """

    def forward(self, input: Tensor) -> Tensor:
        return A.silu(input)


class Mish(Module):
    """y = x * tanh(softplus(x))

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.Mish()(nl.tensor([-1.0, 1.0])).tolist()]
    [-0.3034, 0.8651]
    """

    def forward(self, input: Tensor) -> Tensor:
        return A.mish(input)


class LogSigmoid(Module):
    """y = log(sigmoid(x)), computed as -softplus(-x)

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.LogSigmoid()(nl.tensor([-1.0, 1.0])).tolist()]
    [-1.3133, -0.3133]
    """

    def forward(self, input: Tensor) -> Tensor:
        return A.logsigmoid(input)


class Hardsigmoid(Module):
    """y = min(max(x / 6 + 1 / 2, 0), 1)

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.Hardsigmoid()(nl.tensor([-4.0, 0.0, 1.5])).tolist()]
    [0.0, 0.5, 0.75]
    """

    def forward(self, input: Tensor) -> Tensor:
        return A.hardsigmoid(input)


class Hardswish(Module):
    """y = x * hardsigmoid(x)

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.Hardswish()(nl.tensor([-4.0, 1.5])).tolist()]
    [-0.0, 1.125]
    """

    def forward(self, input: Tensor) -> Tensor:
        return A.hardswish(input)


class ReLU6(Module):
    """y = min(max(x, 0), 6)

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.ReLU6()(nl.tensor([-1.0, 3.0, 8.0])).tolist()]
    [0.0, 3.0, 6.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return A.relu6(input)


class SELU(Module):
    """y = scale * elu(x, alpha) with alpha = 1.6733 and scale = 1.0507 (self-normalizing)

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.SELU()(nl.tensor([-1.0, 1.0])).tolist()]
    [-1.1113, 1.0507]
    """

    def forward(self, input: Tensor) -> Tensor:
        return A.selu(input)


class Tanhshrink(Module):
    """y = x - tanh(x)

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.Tanhshrink()(nl.tensor([-1.0, 1.0])).tolist()]
    [-0.2384, 0.2384]
    """

    def forward(self, input: Tensor) -> Tensor:
        return A.tanhshrink(input)


class Softsign(Module):
    """y = x / (1 + |x|)

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.Softsign()(nl.tensor([-3.0, 1.0])).tolist()]
    [-0.75, 0.5]
    """

    def forward(self, input: Tensor) -> Tensor:
        return A.softsign(input)


class Softplus(Module):
    """y = log(1 + exp(beta * x)) / beta, linear where beta * x > threshold

    Shape: any -> the same.

    Args:
        beta: the sharpness (default 1).
        threshold: above beta * x = threshold the output is x (default 20).

    >>> import neuronlab as nl
    >>> round(nl.nn.Softplus()(nl.tensor([0.0])).item(), 4)
    0.6931
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        return A.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class ELU(Module):
    """y = x if x > 0 else alpha * (exp(x) - 1)

    Shape: any -> the same.

    Args:
        alpha: the value approached for x -> -inf is -alpha (default 1).

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.ELU()(nl.tensor([-1.0, 2.0])).tolist()]
    [-0.6321, 2.0]
    """

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self.alpha = alpha

    def forward(self, input: Tensor) -> Tensor:
        return A.elu(input, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class CELU(ELU):
    """y = max(0, x) + min(0, alpha * (exp(x / alpha) - 1))   (continuously differentiable)

    Shape: any -> the same.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.CELU(2.0)(nl.tensor([-1.0, 2.0])).tolist()]
    [-0.7869, 2.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return A.celu(input, self.alpha)


class Hardtanh(Module):
    """y = min(max(x, min_val), max_val)

    Shape: any -> the same.

    Args:
        min_val, max_val: the bounds (default -1 and 1).

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.Hardtanh()(nl.tensor([-3.0, 0.5, 3.0])).tolist()]
    [-1.0, 0.5, 1.0]
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0):
        super().__init__()
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val {min_val} must not exceed max_val {max_val}")
        self.min_val, self.max_val = min_val, max_val

    def forward(self, input: Tensor) -> Tensor:
        return A.hardtanh(input, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}"


class Softmin(Module):
    """y = softmax(-x) along ``dim``

    Shape: any -> the same (along ``dim`` for the whole axis).

    Args:
        dim: the axis to normalize over.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in nl.nn.Softmin(dim=0)(nl.tensor([0.0, 1.0])).tolist()]
    [0.7311, 0.2689]
    """

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return A.softmin(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class PReLU(Module):
    """y = x if x > 0 else a * x, with learned slopes a: one shared, or one per channel (axis 1)

    Shape: any -> the same; with num_parameters > 1, (N, num_parameters, *).

    Args:
        num_parameters: 1 (one slope) or the number of channels.
        init: the first value of the slopes (default 0.25, PyTorch's).

    >>> import neuronlab as nl
    >>> nl.nn.PReLU()(nl.tensor([-2.0, 2.0])).tolist()
    [-0.5, 2.0]
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype=None):
        super().__init__()
        if not isinstance(num_parameters, int) or num_parameters < 1:
            raise ValueError(
                f"PReLU: num_parameters must be a positive integer, got {num_parameters!r}"
            )
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter([init] * num_parameters, dtype=dtype)

    def reset_parameters(self) -> None:
        nn_init.constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        return A.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


__all__ = [
    "CELU",
    "ELU",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "LogSigmoid",
    "Mish",
    "PReLU",
    "ReLU6",
    "SELU",
    "SiLU",
    "Softmin",
    "Softplus",
    "Softsign",
    "Tanhshrink",
]
