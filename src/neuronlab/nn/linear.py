"""``Linear``, the fully connected (dense) layer, and ``Identity``, the layer that does nothing."""

from __future__ import annotations

import math

import numpy as np

from ..engine.backend import DEFAULT_FLOAT, as_dtype
from ..engine.ops.matrix import Linear as LinearOp
from ..engine.tensor import Tensor
from . import init
from .module import Module
from .parameter import Parameter


class Identity(Module):
    """y = x   (a placeholder, e.g. to switch a layer off without rewriting the model)

    Shape: any -> the same. Any constructor arguments are accepted and ignored.

    >>> import neuronlab as nl
    >>> nl.nn.Identity()(nl.ones(2)).tolist()
    [1.0, 1.0]
    """

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Linear(Module):
    """y = x @ W.T + b: every output is a weighted sum of all inputs, plus a bias.

    Shape: input (*, in_features) -> output (*, out_features); * is any number of leading axes
    (usually just the batch).

    Args:
        in_features: size of each input (its last dimension).
        out_features: size of each output.
        bias: learn an additive bias b (default True).
        dtype: of the parameters, float32 unless 'float64' is asked for.

    Parameters:
        weight: (out_features, in_features), initialized from U(-1/sqrt(in_features),
            1/sqrt(in_features)) (PyTorch's default: kaiming_uniform_ with a = sqrt(5)).
        bias: (out_features,), from the same distribution.

    >>> import neuronlab as nl
    >>> layer = nl.nn.Linear(3, 2)
    >>> layer.weight.shape, layer.bias.shape
    ((2, 3), (2,))
    >>> layer(nl.zeros(5, 3)).shape
    (5, 2)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, dtype=None):
        super().__init__()
        for label, n in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
                raise ValueError(f"Linear: {label} must be a non-negative integer, got {n!r}")
        self.in_features, self.out_features = int(in_features), int(out_features)
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        self.weight = Parameter(np.empty((out_features, in_features), dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh initial values (from ``neuronlab.engine.random.default_generator()``)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.in_features
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        try:  # the cheap check: last dimension and dtype
            data = input.data
            fits = data.shape[-1] == self.in_features and data.dtype == self.weight.data.dtype
        except (AttributeError, IndexError):
            fits = False
        if not fits:
            self._explain_bad_input(input)
        if self.bias is None:
            return LinearOp.apply(input, self.weight)
        return LinearOp.apply(input, self.weight, self.bias)

    def _explain_bad_input(self, input) -> None:
        who = f"Linear(in_features={self.in_features}, out_features={self.out_features})"
        if not isinstance(input, Tensor):
            raise TypeError(
                f"{who} expected a Tensor, got {type(input).__name__}; wrap arrays "
                "with nl.tensor(x)"
            )
        shape = input.data.shape
        if not shape or shape[-1] != self.in_features:
            raise ValueError(
                f"{who} expected inputs whose last dimension is {self.in_features}, got shape "
                f"{shape}; check the previous layer's out_features."
            )
        raise TypeError(
            f"{who} has {self.weight.dtype} parameters but got a {input.data.dtype} input; convert "
            f"the input (x.float() or x.double()) or the model (model.float() or model.double())"
        )

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )
