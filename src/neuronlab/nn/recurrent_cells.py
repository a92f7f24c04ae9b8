"""Single-step recurrent cells: ``RNNCell``, ``LSTMCell`` and ``GRUCell``, with PyTorch's API.

A cell computes one step, h_t from x_t and h_{t-1}; the loop over time is yours (useful for
generation, where step t's input is step t-1's sampled output). The sequence layers in
``recurrent.py`` run the same math over whole sequences faster. A cell is the sequence op with
L = 1: its input projection and its step are the same ``linear`` and ``*_recurrence`` ops.

Shapes: input (N, input_size) or unbatched (input_size,); states (N, hidden_size) or
(hidden_size,).
"""

from __future__ import annotations

import numpy as np

from ..engine.backend import DEFAULT_FLOAT, as_dtype
from ..engine.ops.matrix import Linear as LinearOp
from ..engine.ops.recurrent import GRURecurrence, LSTMRecurrence, RNNRecurrence
from ..engine.tensor import Tensor
from .module import Module
from .parameter import Parameter
from .recurrent import GATES, check_size, reset_uniform


class RNNCellBase(Module):
    """Parameters weight_ih (G, input_size), weight_hh (G, H), bias_ih (G,), bias_hh (G,)."""

    mode = "RNN_TANH"

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, dtype=None):
        super().__init__()
        who = type(self).__name__
        self.input_size = check_size(who, "input_size", input_size)
        self.hidden_size = check_size(who, "hidden_size", hidden_size)
        self.bias = bool(bias)
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        G = GATES[self.mode] * hidden_size
        self.weight_ih = Parameter(np.empty((G, input_size), dtype))
        self.weight_hh = Parameter(np.empty((G, hidden_size), dtype))
        if bias:
            self.bias_ih = Parameter(np.empty(G, dtype))
            self.bias_hh = Parameter(np.empty(G, dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh values from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        reset_uniform(self, self.hidden_size)

    def _who(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"

    def _check_input(self, input) -> bool:
        who = self._who()
        if not isinstance(input, Tensor):
            raise TypeError(f"{who} expected a Tensor, got {type(input).__name__}")
        if input.ndim not in (1, 2) or input.shape[-1] != self.input_size:
            raise ValueError(
                f"{who} expected one step of shape (N, {self.input_size}) or unbatched "
                f"({self.input_size},), got shape {input.shape}. A cell takes one step; for a "
                "whole (L, N, features) sequence use the layer (LSTM, GRU, RNN) or loop over "
                "x[t]."
            )
        if input.dtype != self.weight_ih.dtype:
            raise TypeError(
                f"{who} has {self.weight_ih.dtype} parameters but got a "
                f"{input.dtype} input; convert with x.float() / x.double()"
            )
        return input.ndim == 2

    def _state(self, name, state, batch: int, batched: bool, dtype) -> Tensor:
        expected = (batch, self.hidden_size) if batched else (self.hidden_size,)
        if state is None:
            return Tensor(np.zeros((batch, self.hidden_size), dtype), dtype=dtype)
        if not isinstance(state, Tensor) or state.shape != expected:
            got = state.shape if isinstance(state, Tensor) else type(state).__name__
            raise ValueError(
                f"{self._who()} expected {name} of shape {expected} (N, hidden_size), got {got}"
            )
        return state if batched else state.unsqueeze(0)

    def _step(self, input, states):
        """(batched flag, the op's output (L', N, H) for one step)."""
        batched = self._check_input(input)
        x = input if batched else input.unsqueeze(0)
        N = x.shape[0]
        names = ("h", "c") if self.mode == "LSTM" else ("h",)
        s0 = [self._state(n, s, N, batched, x.dtype) for n, s in zip(names, states)]
        xg = (
            LinearOp.apply(x, self.weight_ih, self.bias_ih)
            if self.bias
            else LinearOp.apply(x, self.weight_ih)
        )
        xg = xg.unsqueeze(0)  # (1, N, G): a sequence of one step
        tail = (self.weight_hh, self.bias_hh) if self.bias else (self.weight_hh,)
        if self.mode == "LSTM":
            return batched, LSTMRecurrence.apply(xg, *s0, *tail)
        if self.mode == "GRU":
            return batched, GRURecurrence.apply(xg, *s0, *tail)
        act = "tanh" if self.mode == "RNN_TANH" else "relu"
        return batched, RNNRecurrence.apply(xg, *s0, *tail, nonlinearity=act)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        batched, y = self._step(input, (hx,))
        return y[0] if batched else y[0, 0]

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.mode == "RNN_RELU":
            text += ", nonlinearity='relu'"
        return text if self.bias else text + ", bias=False"


class RNNCell(RNNCellBase):
    """h' = tanh(x @ W_ih^T + b_ih + h @ W_hh^T + b_hh)   (or relu)

    Shape: input (N, input_size), hx (N, hidden_size) (zeros if None) -> h' (N, hidden_size);
    or unbatched (input_size,), (hidden_size,) -> (hidden_size,).

    Args: input_size, hidden_size, bias (default True), nonlinearity 'tanh' (default) or 'relu'.

    Parameters: weight_ih (H, input_size), weight_hh (H, H), bias_ih (H,), bias_hh (H,), from
    U(-1/sqrt(H), 1/sqrt(H)).

    >>> import neuronlab as nl
    >>> RNNCell(3, 5)(nl.randn(4, 3)).shape
    (4, 5)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        dtype=None,
    ):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"RNNCell: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}"
            )
        self.mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(input_size, hidden_size, bias, dtype)

    nonlinearity = property(lambda self: "tanh" if self.mode == "RNN_TANH" else "relu")


class LSTMCell(RNNCellBase):
    """i, f, g, o = sigmoid, sigmoid, tanh, sigmoid(x @ W_ih^T + b_ih + h @ W_hh^T + b_hh);
    c' = f * c + i * g;  h' = o * tanh(c')

    Shape: input (N, input_size), hx = (h, c) each (N, hidden_size) (zeros if None) ->
    (h', c'), each (N, hidden_size); unbatched inputs drop the N axis.

    Args: input_size, hidden_size, bias (default True).

    Parameters: weight_ih (4H, input_size), weight_hh (4H, H), bias_ih (4H,), bias_hh (4H,),
    gates in the order i, f, g, o, from U(-1/sqrt(H), 1/sqrt(H)).

    >>> import neuronlab as nl
    >>> h, c = LSTMCell(3, 5)(nl.randn(4, 3))
    >>> h.shape, c.shape
    ((4, 5), (4, 5))
    """

    mode = "LSTM"

    def forward(self, input: Tensor, hx=None):
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise TypeError(
                f"{self._who()}: hx must be a tuple (h, c) of two tensors, got {type(hx).__name__}"
            )
        batched, y = self._step(input, hx if hx is not None else (None, None))
        return (y[0], y[1]) if batched else (y[0, 0], y[1, 0])


class GRUCell(RNNCellBase):
    """r, z = sigmoid(x @ W_ir,iz^T + b_ir,iz + h @ W_hr,hz^T + b_hr,hz);
    n = tanh(x @ W_in^T + b_in + r * (h @ W_hn^T + b_hn));  h' = (1 - z) * n + z * h

    Shape: as for ``RNNCell``.

    Args: input_size, hidden_size, bias (default True).

    Parameters: weight_ih (3H, input_size), weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,),
    gates in the order r, z, n, from U(-1/sqrt(H), 1/sqrt(H)).

    >>> import neuronlab as nl
    >>> GRUCell(3, 5)(nl.randn(3)).shape
    (5,)
    """

    mode = "GRU"
