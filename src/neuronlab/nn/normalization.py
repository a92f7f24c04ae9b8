"""Normalization layers: ``LayerNorm`` (each example on its own) and ``BatchNorm1d`` /
``BatchNorm2d`` (each channel over the batch).

Both rescale activations to zero mean and unit variance and then let the network learn the scale
(``weight``) and shift (``bias``) it wants, which keeps the inputs of every layer in a range where
training is fast. They differ in what they average over: layer norm over the features of one
example, batch norm over all examples (and positions) of one channel -- which is why batch norm
behaves differently in training (batch statistics, running averages updated) and evaluation
(the running averages), and why it mixes examples (see ``per_example``).
"""

from __future__ import annotations

import numpy as np

from ..engine.backend import DEFAULT_FLOAT, as_dtype
from ..engine.tensor import Tensor
from . import init
from . import norm_functional as NF
from .module import Module
from .parameter import Parameter


class LayerNorm(Module):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, mean and var over the last
    len(normalized_shape) axes of each example (biased variance).

    Shape: input (*, *normalized_shape) -> output the same shape.

    Args:
        normalized_shape: the trailing shape to normalize over (an int for the last axis).
        eps: added to the variance so that a constant input does not divide by zero.
        elementwise_affine: learn ``weight`` (and ``bias``) of shape normalized_shape.
        bias: learn the shift ``bias`` too (only with elementwise_affine).
        dtype: of the parameters, float32 unless 'float64' is asked for.

    Parameters:
        weight: normalized_shape, initialized to 1.   bias: normalized_shape, initialized to 0.

    >>> import neuronlab as nl
    >>> ln = LayerNorm(3)
    >>> y = ln(nl.tensor([[1.0, 2.0, 3.0], [10.0, 10.0, 40.0]]))
    >>> [round(v, 3) for v in y.mean(axis=1).tolist()]
    [0.0, 0.0]
    """

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True,
                 bias: bool = True, dtype=None):
        super().__init__()
        self.normalized_shape = NF.as_normalized_shape(normalized_shape)
        if any(n <= 0 for n in self.normalized_shape):
            raise ValueError(f"LayerNorm: normalized_shape must hold positive sizes, got "
                             f"{normalized_shape!r}")
        self.eps, self.elementwise_affine = eps, elementwise_affine
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        if elementwise_affine:
            self.weight = Parameter(np.empty(self.normalized_shape, dtype=dtype))
            if bias:
                self.bias = Parameter(np.empty(self.normalized_shape, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """weight = 1, bias = 0: the layer starts as a plain normalization."""
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        k = len(self.normalized_shape)
        shape = getattr(getattr(input, "data", None), "shape", None)
        if shape is None or len(shape) < k or shape[len(shape) - k:] != self.normalized_shape:
            got = shape if shape is not None else type(input).__name__
            raise ValueError(
                f"LayerNorm({self.extra_repr()}) expected inputs whose last {k} dimension(s) are "
                f"{self.normalized_shape}, got {got}; check the previous layer's output size, or "
                "move the feature axis last (e.g. x.permute(0, 2, 1))"
            )
        _check_dtype(self, input)
        return NF.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


def _check_dtype(layer: Module, input: Tensor) -> None:
    state = [t for t in (*layer._parameters.values(), *layer._buffers.values())
             if t is not None and t.data.dtype.kind == "f"]
    if state and state[0].data.dtype != input.data.dtype:
        raise TypeError(
            f"{type(layer).__name__}({layer.extra_repr()}) has {state[0].data.dtype} parameters "
            f"but got a {input.data.dtype} input; convert the input (x.float() or x.double()) or "
            "the model (model.float() or model.double())"
        )


class _BatchNorm(Module):
    """The state and forward shared by BatchNorm1d and BatchNorm2d (they differ in the shapes
    they accept)."""

    _ndims: tuple[int, ...] = ()
    _layout = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, dtype=None):
        super().__init__()
        if isinstance(num_features, bool) or not isinstance(num_features, (int, np.integer)) \
                or num_features <= 0:
            raise ValueError(f"{type(self).__name__}: num_features must be a positive integer "
                             f"(the number of channels), got {num_features!r}")
        self.num_features, self.eps, self.momentum = int(num_features), eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        C = self.num_features
        if affine:
            self.weight = Parameter(np.ones(C, dtype=dtype))
            self.bias = Parameter(np.zeros(C, dtype=dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(C, dtype=dtype), dtype=dtype))
            self.register_buffer("running_var", Tensor(np.ones(C, dtype=dtype), dtype=dtype))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)

    def reset_running_stats(self) -> None:
        """Forget the running statistics: mean 0, variance 1, no batches seen."""
        if self.track_running_stats:
            self.running_mean.data[...] = 0
            self.running_var.data[...] = 1
            self.num_batches_tracked.data[...] = 0

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        self._check_input(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.data += 1
            if self.momentum is None:  # a cumulative average over all batches seen
                factor = 1.0 / float(self.num_batches_tracked.data)
        # batch statistics in training, and in evaluation when no running ones are kept
        use_batch = self.training or self.running_mean is None
        update = not self.training or self.track_running_stats
        return NF.batch_norm(
            input,
            self.running_mean if update else None,
            self.running_var if update else None,
            self.weight, self.bias, use_batch, factor, self.eps,
        )

    def _check_input(self, input) -> None:
        who = f"{type(self).__name__}({self.num_features})"
        if not isinstance(input, Tensor):
            raise TypeError(f"{who} expected a Tensor, got {type(input).__name__}; wrap arrays "
                            "with nl.tensor(x)")
        shape = input.data.shape
        if input.ndim not in self._ndims:
            raise ValueError(f"{who} expected a {' or '.join(f'{n}-D' for n in self._ndims)} "
                             f"input {self._layout}, got shape {shape}")
        if shape[1] != self.num_features:
            hint = "check the previous layer's number of output channels"
            if shape[-1] == self.num_features and input.ndim > 2:
                hint = (f"the channels look last: move them to axis 1 with "
                        f"{'x.permute(0, 3, 1, 2)' if input.ndim == 4 else 'x.transpose(1, 2)'}")
            raise ValueError(f"{who} expected {self.num_features} channels on axis 1 "
                             f"{self._layout}, got shape {shape}; {hint}")
        _check_dtype(self, input)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """y = (x - mean) / sqrt(var + eps) * weight + bias per feature, with the mean and (biased)
    variance of the batch in training and the running estimates in evaluation.

    In training, running_mean and running_var move towards each batch's statistics:
    r = (1 - momentum) * r + momentum * batch_stat, with the unbiased variance (momentum=None:
    a plain average over all batches seen). ``num_batches_tracked`` counts the batches.

    Shape: input (N, C) or (N, C, L) -> the same; statistics over N (and L) per channel C.

    Args:
        num_features: C, the number of features or channels.
        eps: added to the variance before the square root.
        momentum: the weight of each new batch in the running statistics (or None).
        affine: learn ``weight`` (init 1) and ``bias`` (init 0), each of shape (C,).
        track_running_stats: keep running_mean / running_var for evaluation; without them the
            batch statistics are used in evaluation too.

    >>> import neuronlab as nl
    >>> bn = BatchNorm1d(2)
    >>> y = bn(nl.tensor([[1.0, 10.0], [3.0, 30.0]]))
    >>> [round(v, 3) for v in y.tolist()[0]], bn.running_mean.tolist()
    ([-1.0, -1.0], [0.20000000298023224, 2.0])
    """

    _ndims = (2, 3)
    _layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """y = (x - mean) / sqrt(var + eps) * weight + bias per channel, statistics over the batch
    and every pixel (N, H, W) of that channel; see ``BatchNorm1d`` for the running statistics.

    Shape: input (N, C, H, W) -> the same.

    Args: as ``BatchNorm1d``.

    >>> import neuronlab as nl
    >>> bn = BatchNorm2d(3)
    >>> bn(nl.randn(4, 3, 5, 5)).shape
    (4, 3, 5, 5)
    >>> sorted(bn.state_dict())
    ['bias', 'num_batches_tracked', 'running_mean', 'running_var', 'weight']
    """

    _ndims = (4,)
    _layout = "(N, C, H, W)"
