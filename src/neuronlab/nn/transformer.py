"""The Transformer encoder: self-attention and a small MLP, each wrapped in a residual connection
and a layer norm, stacked; and the positional encodings that tell it where each token is.

Attention by itself ignores order (permute the inputs and the outputs permute the same way), so
a position signal is added to the token vectors first: a fixed pattern of sines and cosines
(``SinusoidalPositionalEncoding``, "Attention Is All You Need") or a learned vector per position
(``LearnedPositionalEncoding``, GPT's choice).

``TransformerEncoderLayer`` and ``TransformerEncoder`` take PyTorch's arguments and lay out their
parameters as PyTorch does, so ``state_dict``s copy across and the outputs agree.
"""

from __future__ import annotations

import copy
import math

import numpy as np

from ..engine.backend import DEFAULT_FLOAT, as_dtype
from ..engine.creation import from_numpy
from ..engine.tensor import Tensor
from . import init
from .activation import GELU, ReLU
from .attention import MultiheadAttention
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm
from .parameter import Parameter
from .per_example import register_per_example_rule

ACTIVATIONS = {"relu": ReLU, "gelu": GELU}


class TransformerEncoderLayer(Module):
    """Post-norm (default):  x = norm1(x + SA(x)),  x = norm2(x + FF(x))
    Pre-norm (norm_first):   x = x + SA(norm1(x)),  x = x + FF(norm2(x))
    with SA(x) = dropout1(self_attn(x, x, x)),
    FF(x) = dropout2(linear2(dropout(act(linear1(x))))).

    Shape: src (L, N, d_model), or (N, L, d_model) with ``batch_first=True``, or unbatched
    (L, d_model) -> the same shape.

    Args:
        d_model: the size of each token vector.
        nhead: attention heads (must divide d_model).
        dim_feedforward: hidden size of the feed-forward block (default 2048).
        dropout: after attention, inside and after the feed-forward block (default 0.1).
        activation: 'relu' (default), 'gelu', or a Module.
        layer_norm_eps: eps of both layer norms (default 1e-5).
        batch_first: inputs are (N, L, E) (default False, as in PyTorch).
        norm_first: normalize before each block instead of after (pre-norm, as GPT-2; trains
            deep stacks more easily).
        bias: biases in the linear layers and layer norms (default True).

    Parameters: self_attn (MultiheadAttention), linear1 (d_model -> dim_feedforward), linear2,
    norm1 and norm2 (LayerNorm), named as in PyTorch.

    forward(src, src_mask=None, src_key_padding_mask=None, is_causal=False): masks as in
    ``MultiheadAttention`` (boolean True = may not attend, or float added to the scores).

    >>> import neuronlab as nl
    >>> layer = TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, batch_first=True)
    >>> layer(nl.randn(3, 5, 8)).shape
    (3, 5, 8)
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation="relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
    ):
        super().__init__()
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias)
        self.norm_first = bool(norm_first)
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.activation = _activation(activation)
        self.d_model, self.nhead, self.dim_feedforward = d_model, nhead, dim_feedforward
        self.batch_first, self.layer_norm_eps = bool(batch_first), layer_norm_eps

    def forward(
        self, src: Tensor, src_mask=None, src_key_padding_mask=None, is_causal: bool = False
    ) -> Tensor:
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._ff_block(self.norm2(x))
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._ff_block(x))

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal):
        out, _ = self.self_attn(
            x,
            x,
            x,
            key_padding_mask=key_padding_mask,
            need_weights=False,
            attn_mask=attn_mask,
            is_causal=is_causal,
        )
        return self.dropout1(out)

    def _ff_block(self, x):
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def extra_repr(self) -> str:
        return (
            f"d_model={self.d_model}, nhead={self.nhead}, dim_feedforward="
            f"{self.dim_feedforward}, norm_first={self.norm_first}"
        )


def _activation(activation) -> Module:
    if isinstance(activation, Module):
        return activation
    if activation in ACTIVATIONS:
        return ACTIVATIONS[activation]()
    raise ValueError(
        f"TransformerEncoderLayer: activation must be one of {sorted(ACTIVATIONS)} or a Module "
        f"such as nl.nn.GELU(approximate='tanh'), got {activation!r}"
    )


class TransformerEncoder(Module):
    """x = layer_n(... layer_1(src) ...), then ``norm`` (if given).

    Shape: like its layers: (L, N, E), or (N, L, E) when they are ``batch_first``.

    Args:
        encoder_layer: a ``TransformerEncoderLayer``; ``num_layers`` deep copies of it are
            stacked (so they start with equal weights, as in PyTorch).
        num_layers: how many.
        norm: an optional final layer norm (pre-norm stacks need one).

    forward(src, mask=None, src_key_padding_mask=None, is_causal=False): the masks go to every
    layer.

    >>> import neuronlab as nl
    >>> layer = TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0)
    >>> encoder = TransformerEncoder(layer, num_layers=3)
    >>> encoder(nl.randn(5, 2, 8)).shape
    (5, 2, 8)
    >>> len(encoder.layers)
    3
    """

    def __init__(self, encoder_layer: Module, num_layers: int, norm: Module | None = None):
        super().__init__()
        if isinstance(num_layers, bool) or not isinstance(num_layers, int) or num_layers < 1:
            raise ValueError(
                f"TransformerEncoder: num_layers must be a positive integer, got {num_layers!r}"
            )
        self.layers = ModuleList([copy.deepcopy(encoder_layer) for _ in range(num_layers)])
        self.num_layers = num_layers
        self.norm = norm

    def forward(
        self, src: Tensor, mask=None, src_key_padding_mask=None, is_causal: bool = False
    ) -> Tensor:
        x = src
        for layer in self.layers:
            x = layer(
                x, src_mask=mask, src_key_padding_mask=src_key_padding_mask, is_causal=is_causal
            )
        return x if self.norm is None else self.norm(x)

    def extra_repr(self) -> str:
        return f"num_layers={self.num_layers}"


# ----- positional encodings --------------------------------------------------------------------


def sinusoidal_table(max_len: int, d_model: int, dtype=DEFAULT_FLOAT) -> np.ndarray:
    """PE[pos, 2i] = sin(pos / 10000^(2i / d_model)), PE[pos, 2i + 1] = cos(same), (max_len, d).

    Each pair of columns is a clock at its own speed, from one turn per 2 pi positions down to
    one per 10000 * 2 pi, so every position gets a distinct pattern and a fixed offset is the
    same rotation everywhere.

    >>> sinusoidal_table(2, 4, dtype="float64").round(4).tolist()
    [[0.0, 1.0, 0.0, 1.0], [0.8415, 0.5403, 0.01, 1.0]]
    """
    pos = np.arange(max_len, dtype=np.float64)[:, None]  # (max_len, 1)
    rates = np.exp(np.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))  # (ceil(d/2),)
    table = np.zeros((max_len, d_model))
    table[:, 0::2] = np.sin(pos * rates)
    table[:, 1::2] = np.cos(pos * rates[: d_model // 2])
    return table.astype(dtype)


class _PositionalEncoding(Module):
    """Shared by both encodings: where the length axis is, and the length check."""

    def _length(self, x: Tensor) -> int:
        who = f"{type(self).__name__}(d_model={self.d_model}, max_len={self.max_len})"
        if not isinstance(x, Tensor) or x.ndim not in (2, 3) or x.shape[-1] != self.d_model:
            layout = "(N, L, d_model)" if self.batch_first else "(L, N, d_model)"
            raise ValueError(
                f"{who} expected {layout} or (L, d_model) with d_model="
                f"{self.d_model}, got {getattr(x, 'shape', type(x).__name__)}"
            )
        L = x.shape[1] if (self.batch_first and x.ndim == 3) else x.shape[0]
        if self.max_len < L:
            raise ValueError(
                f"{who} got a sequence of length {L} (shape {x.shape}), longer than "
                f"max_len={self.max_len}; build it with a larger max_len or crop the "
                "input"
            )
        return L

    def _add(self, x: Tensor, table: Tensor) -> Tensor:
        """x + table, with table (L, d) placed along x's length axis."""
        if x.ndim == 3 and not self.batch_first:
            table = table.unsqueeze(1)  # (L, 1, d) against (L, N, d)
        return self.drop(x + table)

    def extra_repr(self) -> str:
        return f"d_model={self.d_model}, max_len={self.max_len}, batch_first={self.batch_first}"


class SinusoidalPositionalEncoding(_PositionalEncoding):
    """y = dropout(x + PE[:L]),  PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(...)

    Shape: (L, N, d_model), or (N, L, d_model) with ``batch_first=True``, or (L, d_model) -> the
    same. Nothing is learned; the table is a non-persistent buffer ``pe`` (max_len, d_model).

    Args:
        d_model: the size of each token vector.
        max_len: the longest sequence it accepts (default 5000).
        dropout: applied to the sum while training (default 0).
        batch_first: inputs are (N, L, d_model).

    >>> import neuronlab as nl
    >>> pe = SinusoidalPositionalEncoding(4, max_len=10, batch_first=True, dtype="float64")
    >>> pe(nl.zeros(1, 2, 4, dtype="float64")).numpy().round(4).tolist()  # positions 0 and 1
    [[[0.0, 1.0, 0.0, 1.0], [0.8415, 0.5403, 0.01, 1.0]]]
    """

    def __init__(
        self,
        d_model: int,
        max_len: int = 5000,
        dropout: float = 0.0,
        batch_first: bool = False,
        dtype=None,
    ):
        super().__init__()
        self.d_model, self.max_len, self.batch_first = d_model, max_len, bool(batch_first)
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        self.register_buffer(
            "pe", from_numpy(sinusoidal_table(max_len, d_model, dtype)), persistent=False
        )
        self.drop = Dropout(dropout)

    def forward(self, x: Tensor) -> Tensor:
        L = self._length(x)
        return self._add(x, from_numpy(self.pe.data[:L].astype(x.data.dtype, copy=False)))


class LearnedPositionalEncoding(_PositionalEncoding):
    """y = dropout(x + W[:L]),  W a learned vector per position (GPT's position embedding)

    Shape: (L, N, d_model), or (N, L, d_model) with ``batch_first=True``, or (L, d_model) -> the
    same.

    Args:
        d_model: the size of each token vector.
        max_len: the longest sequence it accepts (the number of rows of W).
        dropout: applied to the sum while training (default 0).
        batch_first: inputs are (N, L, d_model).

    Parameters:
        weight: (max_len, d_model), from N(0, 0.02^2) as in GPT-2. The same as an ``Embedding``
            looked up at positions 0..L-1; a slice is cheaper than a lookup.

    >>> import neuronlab as nl
    >>> pos = LearnedPositionalEncoding(4, max_len=16, batch_first=True)
    >>> pos(nl.zeros(2, 3, 4)).shape, pos.weight.shape
    ((2, 3, 4), (16, 4))
    """

    def __init__(
        self,
        d_model: int,
        max_len: int = 512,
        dropout: float = 0.0,
        batch_first: bool = False,
        dtype=None,
    ):
        super().__init__()
        self.d_model, self.max_len, self.batch_first = d_model, max_len, bool(batch_first)
        dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
        self.weight = Parameter(np.empty((max_len, d_model), dtype=dtype))
        self.drop = Dropout(dropout)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.normal_(self.weight, 0.0, 0.02)

    def forward(self, x: Tensor) -> Tensor:
        return self._add(x, self.weight[: self._length(x)])


@register_per_example_rule(LearnedPositionalEncoding)
def _learned_positions_rule(module, x, dout):
    """y_n = x_n + W[:L], so example n's gradient is dout_n in the first L rows of W."""
    d = dout if (module.batch_first or dout.ndim == 2) else np.swapaxes(dout, 0, 1)  # (N, L, d)
    if d.ndim == 2:
        d = d[None]
    grad = np.zeros((d.shape[0],) + module.weight.shape, dtype=d.dtype)  # (N, max_len, d)
    grad[:, : d.shape[1]] = d
    return {"weight": grad}
