"""Op-table records for the fused recurrences (``neuronlab.engine.ops.recurrent``): each is
checked against a NumPy loop written from the equations, against the same loop in PyTorch
(forward and every input gradient), by float64 central differences, and for float32.

Input order: xg (L, N, G), h0 (N, H), [c0 (N, H)], W_hh (G, H), [b_hh (G,)]."""

from __future__ import annotations

import numpy as np
import torch
from op_table import Err, In, OpInfo, S

from neuronlab.engine.ops.recurrent import GRURecurrence, LSTMRecurrence, RNNRecurrence


def _present(*tensors):
    return [t for t in tensors if t is not None]


# ----- neuronlab: the primitives themselves ----------------------------------------------------
def _nl_rnn(xg, h0, W, b=None, nonlinearity="tanh", reverse=False):
    return RNNRecurrence.apply(*_present(xg, h0, W, b), nonlinearity=nonlinearity, reverse=reverse)


def _nl_lstm(xg, h0, c0, W, b=None, reverse=False):
    return LSTMRecurrence.apply(*_present(xg, h0, c0, W, b), reverse=reverse)


def _nl_gru(xg, h0, W, b=None, reverse=False):
    return GRURecurrence.apply(*_present(xg, h0, W, b), reverse=reverse)


# ----- one loop, written from the equations, for NumPy and for PyTorch -------------------------
def _lib(x):
    if isinstance(x, torch.Tensor):
        return torch.sigmoid, torch.tanh, torch.relu, lambda xs: torch.stack(xs)
    return (lambda a: 1 / (1 + np.exp(-a))), np.tanh, (lambda a: np.maximum(a, 0)), np.stack


def _steps(L, reverse):
    return range(L - 1, -1, -1) if reverse else range(L)


def _rnn_loop(xg, h0, W, b=None, nonlinearity="tanh", reverse=False):
    _, tanh, relu, stack = _lib(xg)
    act = tanh if nonlinearity == "tanh" else relu
    h, ys = h0, {}
    for t in _steps(len(xg), reverse):
        h = act(xg[t] + h @ W.T + (0 if b is None else b))
        ys[t] = h
    return stack([ys[t] for t in range(len(xg))])


def _lstm_loop(xg, h0, c0, W, b=None, reverse=False):
    sigmoid, tanh, _, stack = _lib(xg)
    H = h0.shape[-1]
    h, c, ys = h0, c0, {}
    for t in _steps(len(xg), reverse):
        z = xg[t] + h @ W.T + (0 if b is None else b)
        i, f = sigmoid(z[:, :H]), sigmoid(z[:, H : 2 * H])
        g, o = tanh(z[:, 2 * H : 3 * H]), sigmoid(z[:, 3 * H :])
        c = f * c + i * g
        h = o * tanh(c)
        ys[t] = h
    return stack([ys[t] for t in range(len(xg))] + [c])


def _gru_loop(xg, h0, W, b=None, reverse=False):
    sigmoid, tanh, _, stack = _lib(xg)
    H = h0.shape[-1]
    h, ys = h0, {}
    for t in _steps(len(xg), reverse):
        q = h @ W.T + (0 if b is None else b)
        r = sigmoid(xg[t][:, :H] + q[:, :H])
        u = sigmoid(xg[t][:, H : 2 * H] + q[:, H : 2 * H])
        n = tanh(xg[t][:, 2 * H :] + r * q[:, 2 * H :])
        h = (1 - u) * n + u * h
        ys[t] = h
    return stack([ys[t] for t in range(len(xg))])


_SHAPE_ERROR = r"expected xg \(L, N, {k}\*H\).*got shapes.*\(3, 2, 8\).*\(8, 3\)"

RECORDS = [
    OpInfo(
        "rnn_recurrence",
        _nl_rnn,
        _rnn_loop,
        _rnn_loop,
        [
            S((4, 2, 3), (2, 3), (3, 3), (3,)),
            S((4, 2, 3), (2, 3), (3, 3), (3,), reverse=True),
            S((4, 2, 3), (2, 3), (3, 3), (3,), nonlinearity="relu"),
            S((3, 2, 3), In((2, 3), grad=False), (3, 3)),
            S((1, 1, 2), (1, 2), (2, 2), (2,)),
        ],
        errors=[
            Err(S((3, 2, 8), (2, 2), (8, 3)), ValueError, _SHAPE_ERROR.format(k=1)),
            Err(
                S((3, 2, 3), (2, 3), (3, 3), nonlinearity="sigmoid"),
                ValueError,
                r"rnn_recurrence: nonlinearity must be 'tanh' or 'relu'",
            ),
        ],
    ),
    OpInfo(
        "lstm_recurrence",
        _nl_lstm,
        _lstm_loop,
        _lstm_loop,
        [
            S((4, 2, 8), (2, 2), (2, 2), (8, 2), (8,)),
            S((4, 2, 8), (2, 2), (2, 2), (8, 2), (8,), reverse=True),
            S((3, 3, 12), In((3, 3), grad=False), In((3, 3), grad=False), (12, 3)),
            S((1, 2, 8), (2, 2), (2, 2), (8, 2), (8,)),
        ],
        errors=[Err(S((3, 2, 8), (2, 2), (2, 2), (8, 3)), ValueError, _SHAPE_ERROR.format(k=4))],
    ),
    OpInfo(
        "gru_recurrence",
        _nl_gru,
        _gru_loop,
        _gru_loop,
        [
            S((4, 2, 6), (2, 2), (6, 2), (6,)),
            S((4, 2, 6), (2, 2), (6, 2), (6,), reverse=True),
            S((3, 3, 9), In((3, 3), grad=False), (9, 3)),
            S((1, 2, 6), (2, 2), (6, 2), (6,)),
        ],
        errors=[Err(S((3, 2, 8), (2, 2), (8, 3)), ValueError, _SHAPE_ERROR.format(k=3))],
    ),
]
