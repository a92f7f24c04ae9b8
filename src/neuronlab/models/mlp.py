"""``MLP``: the multilayer perceptron, built from a list of hidden sizes.

Each hidden layer is ``Linear -> [norm] -> activation -> [Dropout]``; a final ``Linear`` gives
the outputs (raw scores: pair them with ``CrossEntropyLoss`` or ``MSELoss``). The model *is* a
``Sequential``, so ``model[0]`` is its first layer and its state_dict has PyTorch's names
(``'0.weight'``...): the same stack written with ``torch.nn.Sequential`` loads it unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..nn.activation import GELU, LeakyReLU, ReLU, Sigmoid, Tanh
from ..nn.container import Sequential
from ..nn.dropout import Dropout
from ..nn.linear import Identity, Linear
from ..nn.module import Module
from ..nn.normalization import BatchNorm1d, LayerNorm
from ..nn.residual import Residual

ACTIVATIONS = {
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "gelu": GELU,
    "linear": Identity,
}
NORMS = (None, "batch", "layer")


def activation_layer(who: str, name: str) -> Module:
    """A fresh activation layer from its name ('relu', 'tanh', ...)."""
    if name not in ACTIVATIONS:
        raise ValueError(
            f"{who}: unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}"
        )
    return ACTIVATIONS[name]()


def norm_layer(who: str, norm: str | None, width: int) -> list[Module]:
    """``[]`` for no normalization, else ``[BatchNorm1d(width)]`` or ``[LayerNorm(width)]``."""
    if norm not in NORMS:
        raise ValueError(f"{who}: norm must be None, 'batch' or 'layer', got {norm!r}")
    if norm is None:
        return []
    return [BatchNorm1d(width) if norm == "batch" else LayerNorm(width)]


def _activations(who: str, activation, n_hidden: int) -> list[str]:
    """One activation name per hidden layer, from one name or a list of ``n_hidden`` names."""
    if isinstance(activation, str):
        return [activation] * n_hidden
    if not isinstance(activation, Sequence) or len(activation) != n_hidden:
        raise ValueError(
            f"{who}: activation must be one name such as 'relu' or a list of one name per "
            f"hidden layer ({n_hidden}), got {activation!r}"
        )
    return list(activation)


def _check_size(who: str, name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{who}: {name} must be a positive integer, got {value!r}")
    return value


class MLP(Sequential):
    """y = Linear_out(h_k), h_i = dropout(act(norm(Linear_i(h_{i-1})))), h_0 = x.

    With ``residual=True`` every hidden layer after the first becomes h_i = h_{i-1} +
    dropout(act(norm(Linear_i(h_{i-1})))) (a :class:`~neuronlab.nn.residual.Residual` block), so
    all hidden sizes must then be equal. The first hidden layer changes the width and stays plain.

    Shape: (N, in_features) -> (N, out_features).

    Args:
        in_features: inputs per example.
        hidden_sizes: the width of each hidden layer, e.g. ``[64, 32]`` (may be empty: then the
            model is one ``Linear``, a linear or logistic regression).
        out_features: outputs per example (classes, or regression targets).
        activation: 'relu' (default), 'leaky_relu', 'sigmoid', 'tanh', 'gelu' or 'linear' (none),
            or a list with one of these names per hidden layer.
        dropout: probability of zeroing a hidden unit in training (0 = no Dropout layers).
        norm: None, 'batch' (BatchNorm1d) or 'layer' (LayerNorm), after each hidden Linear.
        residual: add skip connections around the hidden layers of equal width.

    Parameters: those of its Linear (and norm) layers, named by position as in a Sequential.

    >>> import neuronlab as nl
    >>> from neuronlab.models import MLP
    >>> model = MLP(4, [8, 8], 3, activation="tanh")
    >>> model(nl.zeros(5, 4)).shape
    (5, 3)
    >>> [type(layer).__name__ for layer in model]
    ['Linear', 'Tanh', 'Linear', 'Tanh', 'Linear']
    >>> sum(p.numel() for p in model.parameters())  # (4*8 + 8) + (8*8 + 8) + (8*3 + 3)
    139
    >>> [type(layer).__name__ for layer in MLP(2, [4, 2], 1, activation=["relu", "linear"])]
    ['Linear', 'ReLU', 'Linear', 'Identity', 'Linear']
    """

    def __init__(
        self,
        in_features: int,
        hidden_sizes: Sequence[int],
        out_features: int,
        activation: str | Sequence[str] = "relu",
        dropout: float = 0.0,
        norm: str | None = None,
        residual: bool = False,
    ):
        who = f"{type(self).__name__}(in_features={in_features!r}, hidden_sizes={hidden_sizes!r})"
        _check_size(who, "in_features", in_features)
        _check_size(who, "out_features", out_features)
        if isinstance(hidden_sizes, (int, str)) or not isinstance(hidden_sizes, Sequence):
            raise TypeError(
                f"{who}: hidden_sizes must be a list of widths such as [64, 32], got "
                f"{hidden_sizes!r}; for one hidden layer write [{hidden_sizes!r}]"
            )
        hidden_sizes = tuple(_check_size(who, "each hidden size", h) for h in hidden_sizes)
        if not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
            raise ValueError(f"{who}: dropout must be in [0, 1), got {dropout!r}")
        if residual and len(set(hidden_sizes)) > 1:
            raise ValueError(
                f"{who}: residual=True adds each hidden layer's input to its output, so the "
                f"hidden sizes must all be equal, got {list(hidden_sizes)}; use e.g. "
                f"hidden_sizes=[{hidden_sizes[0]}] * {len(hidden_sizes)}"
            )
        names = _activations(who, activation, len(hidden_sizes))
        layers, width = [], in_features
        for i, size in enumerate(hidden_sizes):
            block = [Linear(width, size), *norm_layer(who, norm, size)]
            block.append(activation_layer(who, names[i]))
            if dropout > 0:
                block.append(Dropout(dropout))
            if residual and i > 0:
                layers.append(Residual(Sequential(*block)))
            else:
                layers.extend(block)
            width = size
        layers.append(Linear(width, out_features))
        super().__init__(*layers)
        self.in_features, self.out_features = in_features, out_features
        self.hidden_sizes = hidden_sizes
        # one name, or the list of per-layer names (as given, so describe() can rebuild it)
        self.activation = activation if isinstance(activation, str) else list(names)
        self.dropout, self.norm = float(dropout), norm
        self.residual = bool(residual)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, hidden_sizes={list(self.hidden_sizes)}, "
            f"out_features={self.out_features}, activation={self.activation!r}, "
            f"dropout={self.dropout}, norm={self.norm!r}, residual={self.residual}"
        )
