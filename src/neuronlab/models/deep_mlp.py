"""``DeepMLP``: a tall, narrow MLP for the depth chapter -- the network where gradients vanish.

Twenty layers of sigmoid or tanh units at PyTorch's default initialization: the gradient that
reaches the first layer is many orders of magnitude smaller than the one at the last layer, so
the early layers barely learn. ``residual=True`` builds the same layers with skip connections,
and the gradient reaches every layer at about the same size.
``examples/depth_vanishing_gradients.py`` and ``docs/math/vanishing-gradients.md`` measure both.
"""

from __future__ import annotations

from .mlp import MLP


class DeepMLP(MLP):
    """An MLP of ``depth`` Linear layers, all hidden ones ``width`` wide.

    The same stack as ``MLP(in_features, [width] * (depth - 1), out_features, activation,
    norm=norm, residual=residual)``: an input layer (in_features -> width), depth - 2 hidden
    layers (width -> width, each wrapped in a skip connection when ``residual``) and the output
    layer (width -> out_features). ``depth`` counts the weight layers, as ResNet-20 counts its 20.

    Shape: (N, in_features) -> (N, out_features).

    Args:
        depth: number of Linear layers, at least 2 (default 20).
        width: units in every hidden layer (default 32).
        activation: 'sigmoid' (default), 'tanh' or any name ``MLP`` accepts.
        residual: add skip connections around the width -> width layers.
        norm: None, 'batch' or 'layer' after each hidden Linear.
        in_features: inputs per example (default 2, the toy 2-D data sets).
        out_features: outputs per example (default 2 classes).

    >>> import neuronlab as nl
    >>> from neuronlab.models import DeepMLP
    >>> model = DeepMLP(depth=5, width=4, activation="tanh", residual=True)
    >>> len(list(model.parameters())) // 2, model(nl.zeros(3, 2)).shape
    (5, (3, 2))
    >>> type(model[2]).__name__
    'Residual'
    """

    def __init__(
        self,
        depth: int = 20,
        width: int = 32,
        activation: str = "sigmoid",
        residual: bool = False,
        norm: str | None = None,
        in_features: int = 2,
        out_features: int = 2,
    ):
        if isinstance(depth, bool) or not isinstance(depth, int) or depth < 2:
            raise ValueError(
                f"DeepMLP: depth counts the Linear layers and must be an integer >= 2, got "
                f"{depth!r}"
            )
        if isinstance(width, bool) or not isinstance(width, int) or width < 1:
            raise ValueError(f"DeepMLP: width must be a positive integer, got {width!r}")
        super().__init__(
            in_features,
            [width] * (depth - 1),
            out_features,
            activation=activation,
            norm=norm,
            residual=residual,
        )
        self.depth, self.width = depth, width

    def extra_repr(self) -> str:
        return (
            f"depth={self.depth}, width={self.width}, activation={self.activation!r}, "
            f"residual={self.residual}, norm={self.norm!r}, in_features={self.in_features}, "
            f"out_features={self.out_features}"
        )
