"""``Dropout``: during training, zero a random fraction of the units so that no unit can rely on
another being there; a cheap way to fight overfitting."""

from __future__ import annotations

from ..engine.tensor import Tensor
from . import functional as F
from .module import Module


class Dropout(Module):
    """y = x * m / (1 - p) in training, m_i ~ Bernoulli(1 - p); y = x in evaluation.

    Inverted dropout: dividing the kept units by 1 - p keeps each unit's expected value, so the
    layer does nothing at evaluation time. The mask is drawn from
    ``neuronlab.engine.random.default_generator()``, so ``nl.manual_seed`` makes it reproducible.

    Shape: any -> the same.

    Args:
        p: the probability that a unit is zeroed (default 0.5).

    >>> import neuronlab as nl
    >>> drop = nl.nn.Dropout(p=0.5)
    >>> sorted(set(drop(nl.ones(1000)).tolist()))
    [0.0, 2.0]
    >>> drop.eval()(nl.ones(3)).tolist()
    [1.0, 1.0, 1.0]
    """

    def __init__(self, p: float = 0.5):
        super().__init__()
        self.p = F.check_dropout_p("Dropout", p)

    def forward(self, input: Tensor) -> Tensor:
        if not self.training or self.p == 0:
            return input
        return F.dropout(input, self.p, True)

    def extra_repr(self) -> str:
        return f"p={self.p}"
