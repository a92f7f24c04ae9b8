"""Saving and loading recurrent layers and character models: how ``describe``/``build`` write
down and rebuild ``RNN``, ``LSTM``, ``GRU``, the three cells, ``CharRNN`` and ``CharLSTM``.

>>> from neuronlab.nn.recurrent import LSTM
>>> from neuronlab.io.architecture import build, describe
>>> register()
>>> node = describe(LSTM(3, 4, num_layers=2))["module"]
>>> node["type"], node["config"]["num_layers"]
('LSTM', 2)
>>> build(describe(LSTM(3, 4, batch_first=True)))
LSTM(3, 4, batch_first=True)  # 144 params
"""

from __future__ import annotations

from ..models.char_rnn import CharLSTM, CharRNN
from ..nn.recurrent import GRU, LSTM, RNN
from ..nn.recurrent_cells import GRUCell, LSTMCell, RNNCell
from .architecture import register_layer

_SEQUENCE = (
    "input_size",
    "hidden_size",
    "num_layers",
    "bias",
    "batch_first",
    "dropout",
    "bidirectional",
)
_CELL = ("input_size", "hidden_size", "bias")
_CHAR = ("vocab_size", "embedding_dim", "hidden_size", "num_layers", "dropout")


def _fields(cls, names, extra=()):
    def extract(module):
        return {name: getattr(module, name) for name in (*names, *extra)}

    def build(config):
        return cls(**config)

    return extract, build


def register() -> None:
    """Add the recurrent layers and character models to the architecture table."""
    register_layer(RNN, *_fields(RNN, _SEQUENCE, ("nonlinearity",)))
    register_layer(LSTM, *_fields(LSTM, _SEQUENCE))
    register_layer(GRU, *_fields(GRU, _SEQUENCE))
    register_layer(RNNCell, *_fields(RNNCell, _CELL, ("nonlinearity",)))
    register_layer(LSTMCell, *_fields(LSTMCell, _CELL))
    register_layer(GRUCell, *_fields(GRUCell, _CELL))
    register_layer(CharRNN, *_fields(CharRNN, _CHAR))
    register_layer(CharLSTM, *_fields(CharLSTM, _CHAR))
