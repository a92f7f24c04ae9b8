"""Recurrent layers over whole sequences: ``RNN``, ``LSTM`` and ``GRU``, with PyTorch's API.

A recurrent layer reads a sequence one step at a time and carries a hidden state h from step to
step, so the output at step t can depend on everything before it. Each layer of the stack does,
for each direction:

    xg = x @ W_ih^T + b_ih              one matmul for all L steps (the ``linear`` op)
    h_t = cell(xg_t, h_{t-1}, W_hh)     a loop over time (the fused ``*_recurrence`` ops)

The parameters have PyTorch's names, shapes, gate order (LSTM: i, f, g, o; GRU: r, z, n) and
initialization, so weights copy across in both directions. The single-step cells (``RNNCell``,
``LSTMCell``, ``GRUCell``) are in ``recurrent_cells``; the naive references, composed from
primitives, in ``recurrent_functional``; the math in ``docs/math/lstm.md``.

Shapes (L steps, N batch, D = 2 if bidirectional else 1):
    input (L, N, input_size), or (N, L, input_size) with batch_first=True, or unbatched (L, ...)
    output (L, N, D * hidden_size) (batch_first: (N, L, ...)); h_n, c_n (D * num_layers, N, H)
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.backend import DEFAULT_FLOAT, as_dtype
from ..engine.functions import concatenate, stack
from ..engine.ops.matrix import Linear as LinearOp
from ..engine.ops.recurrent import GRURecurrence, LSTMRecurrence, RNNRecurrence
from ..engine.tensor import Tensor
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def check_size(who: str, label: str, n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
        raise ValueError(f"{who}: {label} must be a positive integer, got {n!r}")
    return int(n)


def reset_uniform(module: Module, hidden_size: int) -> None:
    """PyTorch's recurrent initialization: every parameter from U(-k, k), k = 1/sqrt(H)."""
    k = 1 / math.sqrt(hidden_size)
    for p in module.parameters():
        init.uniform_(p, -k, k)


class RNNBase(Module):
    """The shared machinery of ``RNN``, ``LSTM`` and ``GRU``: parameters, checks, the layer loop."""

    mode = "RNN_TANH"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        dtype=None,
    ):
        super().__init__()
        who = type(self).__name__
        self.input_size = check_size(who, "input_size", input_size)
        self.hidden_size = check_size(who, "hidden_size", hidden_size)
        self.num_layers = check_size(who, "num_layers", num_layers)
        self.bias, self.batch_first = bool(bias), bool(batch_first)
        self.dropout = F.check_dropout_p(who, dropout)
        self.bidirectional = bool(bidirectional)
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        G, H, D = GATES[self.mode] * hidden_size, hidden_size, self.num_directions
        for layer in range(num_layers):
            in_size = input_size if layer == 0 else D * H
            for suffix in self._suffixes(layer):
                setattr(self, f"weight_ih{suffix}", Parameter(np.empty((G, in_size), dtype)))
                setattr(self, f"weight_hh{suffix}", Parameter(np.empty((G, H), dtype)))
                if bias:
                    setattr(self, f"bias_ih{suffix}", Parameter(np.empty(G, dtype)))
                    setattr(self, f"bias_hh{suffix}", Parameter(np.empty(G, dtype)))
        self.reset_parameters()

    num_directions = property(lambda self: 2 if self.bidirectional else 1)

    def _suffixes(self, layer: int):
        return [f"_l{layer}", f"_l{layer}_reverse"][: self.num_directions]

    def reset_parameters(self) -> None:
        """Draw fresh values from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        reset_uniform(self, self.hidden_size)

    def _weights(self, suffix: str):
        get = lambda name: getattr(self, name + suffix, None)  # noqa: E731
        return get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh")

    # ----- checks ----------------------------------------------------------------------------
    def _who(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"

    def _check_input(self, input) -> bool:
        """Validate the input; return whether it is batched."""
        who = self._who()
        if not isinstance(input, Tensor):
            raise TypeError(
                f"{who} expected a Tensor, got {type(input).__name__}; wrap arrays "
                "with nl.tensor(x)"
            )
        shape, layout = input.shape, "(N, L, H_in)" if self.batch_first else "(L, N, H_in)"
        if input.ndim not in (2, 3) or shape[-1] != self.input_size:
            raise ValueError(
                f"{who} expected a sequence of shape {layout} or unbatched (L, H_in) with "
                f"H_in = input_size = {self.input_size}, got shape {shape}. Check the feature "
                "axis comes last (e.g. x.unsqueeze(-1) for one feature per step) and that "
                "batch_first matches your layout."
            )
        if input.dtype != self.weight_ih_l0.dtype:
            raise TypeError(
                f"{who} has {self.weight_ih_l0.dtype} parameters but got a "
                f"{input.dtype} input; convert with x.float() / x.double() or "
                "model.float() / model.double()"
            )
        return input.ndim == 3

    def _check_state(self, name: str, state, batch: int, batched: bool) -> Tensor:
        who = self._who()
        k = self.num_layers * self.num_directions
        expected = (k, batch, self.hidden_size) if batched else (k, self.hidden_size)
        if not isinstance(state, Tensor):
            raise TypeError(
                f"{who}: {name} must be a Tensor of shape {expected}, got {type(state).__name__}"
            )
        if state.shape != expected:
            raise ValueError(
                f"{who} expected {name} of shape (num_layers * num_directions, N, hidden_size)"
                f" = {expected}{'' if batched else ' for an unbatched input'}, got "
                f"{state.shape}. For one layer and one direction add the leading axis with "
                f"{name}.unsqueeze(0)."
            )
        return state if batched else state.unsqueeze(1)

    def _initial_states(self, hx, batch: int, batched: bool, dtype) -> list:
        """The initial states as a list of (num_layers * D, N, H) tensors (zeros if None)."""
        n_states = 2 if self.mode == "LSTM" else 1
        if hx is None:
            zeros = np.zeros(
                (self.num_layers * self.num_directions, batch, self.hidden_size), dtype
            )
            return [Tensor(zeros, dtype=dtype)] * n_states
        names = ["h0", "c0"][:n_states]
        if self.mode == "LSTM":
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise TypeError(
                    f"{self._who()}: hx must be a tuple (h0, c0) of two tensors, "
                    f"got {type(hx).__name__}"
                )
            states = list(hx)
        else:
            states = [hx]
        return [self._check_state(n, s, batch, batched) for n, s in zip(names, states)]

    # ----- forward ---------------------------------------------------------------------------
    def _run_direction(self, x, states, index, suffix, reverse):
        """One direction of one layer: (output (L, N, H), final states)."""
        W_ih, W_hh, b_ih, b_hh = self._weights(suffix)
        xg = LinearOp.apply(x, W_ih, b_ih) if b_ih is not None else LinearOp.apply(x, W_ih)
        s0 = [s[index] for s in states]
        tail = (W_hh,) if b_hh is None else (W_hh, b_hh)
        L = x.shape[0]
        if self.mode == "LSTM":
            y = LSTMRecurrence.apply(xg, *s0, *tail, reverse=reverse)
            return y[:L], [y[0 if reverse else L - 1], y[L]]
        if self.mode == "GRU":
            y = GRURecurrence.apply(xg, *s0, *tail, reverse=reverse)
        else:
            act = "tanh" if self.mode == "RNN_TANH" else "relu"
            y = RNNRecurrence.apply(xg, *s0, *tail, nonlinearity=act, reverse=reverse)
        return y, [y[0 if reverse else L - 1]]

    def forward(self, input: Tensor, hx=None):
        batched = self._check_input(input)
        x = input if batched else input.unsqueeze(1)
        if batched and self.batch_first:
            x = x.transpose(0, 1)  # (N, L, H_in) -> (L, N, H_in)
        states = self._initial_states(hx, x.shape[1], batched, x.dtype)
        finals = [[] for _ in states]
        for layer in range(self.num_layers):
            outs = []
            for d, suffix in enumerate(self._suffixes(layer)):
                index = layer * self.num_directions + d
                out, last = self._run_direction(x, states, index, suffix, reverse=d == 1)
                outs.append(out)
                for kept, s in zip(finals, last):
                    kept.append(s)
            x = outs[0] if len(outs) == 1 else concatenate(outs, axis=-1)  # (L, N, D * H)
            if self.training and self.dropout and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        output = x
        if not batched:
            output = output.squeeze(1)
        elif self.batch_first:
            output = output.transpose(0, 1)
        result = [stack(kept, axis=0) for kept in finals]  # (num_layers * D, N, H) each
        if not batched:
            result = [s.squeeze(1) for s in result]
        return output, (tuple(result) if self.mode == "LSTM" else result[0])

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.mode == "RNN_RELU":
            text += ", nonlinearity='relu'"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        for name, default in (
            ("bias", True),
            ("batch_first", False),
            ("dropout", 0.0),
            ("bidirectional", False),
        ):
            if getattr(self, name) != default:
                text += f", {name}={getattr(self, name)}"
        return text


class RNN(RNNBase):
    """h_t = tanh(x_t @ W_ih^T + b_ih + h_{t-1} @ W_hh^T + b_hh)   (or relu), for t = 1..L

    Shape: input (L, N, input_size) (batch_first: (N, L, input_size); unbatched: (L,
    input_size)), h0 (num_layers * D, N, hidden_size) -> output (L, N, D * hidden_size), h_n
    (num_layers * D, N, hidden_size); D = 2 if bidirectional else 1.

    Args:
        input_size, hidden_size: features per step in, and in the hidden state.
        num_layers: stacked layers, each reading the previous one's output (default 1).
        nonlinearity: 'tanh' (default) or 'relu'.
        bias: learn b_ih and b_hh (default True).
        batch_first: inputs and outputs are (N, L, features) (default False).
        dropout: dropout on each layer's output except the last, in training (default 0).
        bidirectional: also run the sequence backwards and concatenate both outputs.

    Parameters (k = layer, suffix _reverse for the backward direction): weight_ih_lk (H,
    input_size or D * H), weight_hh_lk (H, H), bias_ih_lk (H,), bias_hh_lk (H,), all from
    U(-1/sqrt(H), 1/sqrt(H)).

    >>> import neuronlab as nl
    >>> rnn = RNN(3, 5, num_layers=2)
    >>> output, h_n = rnn(nl.randn(7, 4, 3))
    >>> output.shape, h_n.shape
    ((7, 4, 5), (2, 4, 5))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        dtype=None,
    ):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        self.mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(
            input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dtype
        )

    nonlinearity = property(lambda self: "tanh" if self.mode == "RNN_TANH" else "relu")


class LSTM(RNNBase):
    """i, f, g, o = sigmoid, sigmoid, tanh, sigmoid(x_t @ W_ih^T + b_ih + h_{t-1} @ W_hh^T + b_hh);
    c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)

    The cell state c is a running sum that the forget gate f scales and the input gate i adds
    to, so gradients can flow back over many steps without vanishing (docs/math/lstm.md).

    Shape: input as for ``RNN``; hx = (h0, c0), each (num_layers * D, N, hidden_size), optional
    -> output (L, N, D * hidden_size), (h_n, c_n).

    Args: as for ``RNN`` (without nonlinearity).

    Parameters: weight_ih_lk (4H, in), weight_hh_lk (4H, H), bias_ih_lk (4H,), bias_hh_lk
    (4H,), gates stacked in the order i, f, g, o; all from U(-1/sqrt(H), 1/sqrt(H)).

    >>> import neuronlab as nl
    >>> lstm = LSTM(3, 5, batch_first=True, bidirectional=True)
    >>> output, (h_n, c_n) = lstm(nl.randn(4, 7, 3))
    >>> output.shape, h_n.shape, c_n.shape
    ((4, 7, 10), (2, 4, 5), (2, 4, 5))
    """

    mode = "LSTM"


class GRU(RNNBase):
    """r, z = sigmoid(x_t @ W_ir,iz^T + b_ir,iz + h_{t-1} @ W_hr,hz^T + b_hr,hz);
    n = tanh(x_t @ W_in^T + b_in + r * (h_{t-1} @ W_hn^T + b_hn));  h_t = (1 - z) * n + z * h_{t-1}

    Shape: as for ``RNN``.

    Args: as for ``RNN`` (without nonlinearity).

    Parameters: weight_ih_lk (3H, in), weight_hh_lk (3H, H), bias_ih_lk (3H,), bias_hh_lk
    (3H,), gates stacked in the order r, z, n; all from U(-1/sqrt(H), 1/sqrt(H)).

    >>> import neuronlab as nl
    >>> output, h_n = GRU(3, 5)(nl.randn(7, 3))  # unbatched
    >>> output.shape, h_n.shape
    ((7, 5), (1, 5))
    """

    mode = "GRU"
