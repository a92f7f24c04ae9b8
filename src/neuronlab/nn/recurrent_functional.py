"""The naive references of the recurrent layers: each cell composed from primitives, one Python
step at a time.

These are the textbook equations, written as plainly as possible (``@``, ``+``, ``*``,
``sigmoid``, ``tanh``, slicing), so autograd derives every gradient by itself. The layers in
``recurrent.py`` use the fused ``*_recurrence`` ops of ``neuronlab.engine.ops.recurrent``
instead; tests hold both equal in float64, and ``benchmarks/bench_lstm.py`` shows why the fused
path exists.

>>> import neuronlab as nl
>>> from neuronlab.nn.recurrent import LSTM
>>> lstm = LSTM(3, 4).double()
>>> x = nl.randn(5, 2, 3, dtype="float64")
>>> fused, (h_n, c_n) = lstm(x)
>>> naive, (h_ref, c_ref) = recurrent_reference(lstm, x)
>>> bool(abs(fused.data - naive.data).max() < 1e-12)
True
"""

from __future__ import annotations

import numpy as np

from ..engine.functions import concatenate, stack
from ..engine.tensor import Tensor


def _affine(x: Tensor, W: Tensor, b: Tensor | None) -> Tensor:
    y = x @ W.T
    return y if b is None else y + b


def rnn_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None, nonlinearity="tanh"):
    """h' = tanh(x @ W_ih^T + b_ih + h @ W_hh^T + b_hh)   (or relu); x (N, in), h (N, H)."""
    a = _affine(x, W_ih, b_ih) + _affine(h, W_hh, b_hh)
    return a.tanh() if nonlinearity == "tanh" else a.relu()


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    """One LSTM step: (h', c') from x (N, in), h (N, H), c (N, H); gates in the order i, f, g, o."""
    H = h.shape[-1]
    z = _affine(x, W_ih, b_ih) + _affine(h, W_hh, b_hh)  # (N, 4H)
    i = z[:, :H].sigmoid()  # input gate: how much of the candidate to write
    f = z[:, H : 2 * H].sigmoid()  # forget gate: how much of the old cell to keep
    g = z[:, 2 * H : 3 * H].tanh()  # the candidate values
    o = z[:, 3 * H :].sigmoid()  # output gate: how much of the cell to show
    c = f * c + i * g
    return o * c.tanh(), c


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    """One GRU step: h' from x (N, in), h (N, H); gates in the order r, z, n."""
    H = h.shape[-1]
    a = _affine(x, W_ih, b_ih)  # (N, 3H)
    b = _affine(h, W_hh, b_hh)  # (N, 3H)
    r = (a[:, :H] + b[:, :H]).sigmoid()  # reset gate: how much of h enters the candidate
    z = (a[:, H : 2 * H] + b[:, H : 2 * H]).sigmoid()  # update gate: how much of h to keep
    n = (a[:, 2 * H :] + r * b[:, 2 * H :]).tanh()  # the candidate
    return (1 - z) * n + z * h


def _run(mode, xs, state, weights, reverse):
    """One direction of one layer over the list of steps ``xs``: (outputs, final state)."""
    outs = []
    for x in reversed(xs) if reverse else xs:
        if mode == "LSTM":
            state = lstm_cell(x, *state, *weights)
            outs.append(state[0])
        elif mode == "GRU":
            state = (gru_cell(x, state[0], *weights),)
            outs.append(state[0])
        else:
            act = "tanh" if mode == "RNN_TANH" else "relu"
            state = (rnn_cell(x, state[0], *weights, nonlinearity=act),)
            outs.append(state[0])
    return (outs[::-1] if reverse else outs), state


def recurrent_reference(module, input: Tensor, hx=None):
    """What ``module(input, hx)`` computes (an ``RNN``, ``LSTM`` or ``GRU`` in evaluation mode:
    no dropout), with the composed cells above, looping over layers, directions and steps."""
    batched = input.ndim == 3
    x = input if batched else input.unsqueeze(1)
    if batched and module.batch_first:
        x = x.transpose(0, 1)
    L, N, H = x.shape[0], x.shape[1], module.hidden_size
    k = module.num_layers * module.num_directions
    if hx is None:
        zeros = Tensor(np.zeros((k, N, H)), dtype=x.dtype)
        states = [zeros, zeros] if module.mode == "LSTM" else [zeros]
    else:
        states = list(hx) if module.mode == "LSTM" else [hx]
        states = states if batched else [s.unsqueeze(1) for s in states]
    xs = [x[t] for t in range(L)]
    finals = [[] for _ in states]
    for layer in range(module.num_layers):
        outs = []
        for d, suffix in enumerate(module._suffixes(layer)):
            index = layer * module.num_directions + d
            weights = module._weights(suffix)
            ys, last = _run(module.mode, xs, [s[index] for s in states], weights, d == 1)
            outs.append(ys)
            for kept, s in zip(finals, last):
                kept.append(s)
        xs = outs[0] if len(outs) == 1 else [concatenate(p, axis=-1) for p in zip(*outs)]
    output = stack(xs, axis=0)  # (L, N, D * H)
    if not batched:
        output = output.squeeze(1)
    elif module.batch_first:
        output = output.transpose(0, 1)
    result = [stack(kept, axis=0) for kept in finals]
    if not batched:
        result = [s.squeeze(1) for s in result]
    return output, (tuple(result) if module.mode == "LSTM" else result[0])
