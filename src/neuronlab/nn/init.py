"""Weight initialization, with PyTorch's names and formulas.

Why it matters: if each layer multiplies the spread of its input by more than 1, activations (and
gradients) explode with depth; by less than 1, they vanish. The schemes below pick the spread of
the initial weights so that it stays about 1:

    xavier (Glorot):  std = gain * sqrt(2 / (fan_in + fan_out))      for tanh / sigmoid / linear
    kaiming (He):     std = gain / sqrt(fan)                         for ReLU and its relatives

where fan_in is the number of inputs of one output unit (in_features for a Linear layer; times
the kernel size for a convolution) and fan_out the number of outputs each input feeds. A uniform
distribution on [-bound, bound] has std = bound / sqrt(3), hence the sqrt(3) in the uniform forms.

Every function changes ``tensor.data`` in place (under no graph), returns the tensor, and draws
from ``neuronlab.engine.random.default_generator()`` unless a ``generator`` is given, so
``neuronlab.manual_seed(0)`` makes initialization reproducible. Values are drawn in float64 and
then rounded to the tensor's dtype, so a float32 and a float64 model seeded alike match.
"""

from __future__ import annotations

import math
import warnings

from ..engine.random import default_generator
from ..engine.tensor import Tensor

_GAINS = {
    "linear": 1.0,
    "identity": 1.0,
    "sigmoid": 1.0,
    "conv1d": 1.0,
    "conv2d": 1.0,
    "conv3d": 1.0,
    "conv_transpose1d": 1.0,
    "conv_transpose2d": 1.0,
    "conv_transpose3d": 1.0,
    "tanh": 5.0 / 3,
    "relu": math.sqrt(2.0),
    "selu": 3.0 / 4,
}


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor by which ``nonlinearity`` is assumed to shrink the spread of its input, inverted.

    linear, sigmoid, conv: 1;  tanh: 5/3;  relu: sqrt(2);  leaky_relu: sqrt(2 / (1 + slope^2))
    (slope = ``param``, default 0.01);  selu: 3/4.

    >>> round(calculate_gain("relu"), 4)
    1.4142
    """
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = float(param)
        else:
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity not in _GAINS:
        raise ValueError(
            f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; use one of "
            f"{sorted([*_GAINS, 'leaky_relu'])}"
        )
    return _GAINS[nonlinearity]


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel): (in * k, out * k), where k is
    the product of the kernel sizes (1 for a Linear weight)."""
    shape = _check_tensor("_calculate_fan_in_and_fan_out", tensor).shape
    if len(shape) < 2:
        raise ValueError(
            f"fan in and fan out need a weight with at least 2 dimensions (out, in, ...), got "
            f"shape {shape}; biases and other 1-D tensors have no fan (use uniform_ or zeros_)"
        )
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def _check_tensor(who: str, tensor) -> Tensor:
    if not isinstance(tensor, Tensor):
        raise TypeError(
            f"{who}: expected a Tensor (e.g. layer.weight), got {type(tensor).__name__}"
        )
    if tensor.data.dtype.kind != "f":
        raise TypeError(f"{who}: expected a floating point tensor, got dtype {tensor.data.dtype}")
    return tensor


def _fill(tensor: Tensor, values) -> Tensor:
    tensor.data[...] = values  # in place: the array (and anything holding it) stays the same
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator=None) -> Tensor:
    """Fill with samples from the uniform distribution on [a, b).

    >>> import neuronlab as nl
    >>> t = uniform_(nl.zeros(1000), -2.0, 2.0)
    >>> bool(t.data.min() >= -2 and t.data.max() < 2)
    True
    """
    _check_tensor("uniform_", tensor)
    rng = generator or default_generator()
    return _fill(tensor, rng.uniform(a, b, size=tensor.shape))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Fill with samples from the normal distribution N(mean, std^2)."""
    _check_tensor("normal_", tensor)
    rng = generator or default_generator()
    return _fill(tensor, rng.normal(mean, std, size=tensor.shape))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``."""
    return _fill(_check_tensor("constant_", tensor), val)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0."""
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1."""
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot uniform: U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out)).

    >>> import neuronlab as nl
    >>> w = xavier_uniform_(nl.zeros(300, 200))
    >>> bool(abs(w.data.std() - (2 / 500) ** 0.5) < 0.002)
    True
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot normal: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _kaiming_std(who, tensor, a, mode, nonlinearity) -> float | None:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{who}: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    _check_tensor(who, tensor)
    if tensor.data.size == 0:
        warnings.warn(f"{who}: initializing a zero-element tensor is a no-op", stacklevel=3)
        return None
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator=None,
) -> Tensor:
    """He uniform: U(-bound, bound), bound = gain * sqrt(3 / fan), gain from
    ``calculate_gain(nonlinearity, a)``; ``a`` is the negative slope of a leaky ReLU.

    ``Linear`` uses a = sqrt(5), which gives bound = 1 / sqrt(fan_in) (PyTorch's default).

    >>> import neuronlab as nl
    >>> w = kaiming_uniform_(nl.zeros(400, 100), nonlinearity="relu")
    >>> bool(abs(w.data.std() - (2 / 100) ** 0.5) < 0.003)
    True
    """
    std = _kaiming_std("kaiming_uniform_", tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator=None,
) -> Tensor:
    """He normal: N(0, std^2), std = gain / sqrt(fan), gain = calculate_gain(nonlinearity, a)."""
    std = _kaiming_std("kaiming_normal_", tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    return normal_(tensor, 0.0, std, generator)


__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]
