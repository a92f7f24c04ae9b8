"""Weight penalties added to a loss: L1 (``l1_penalty``, ``L1Penalty``) and the loss that carries
one (``PenalizedLoss``).

L2 needs no term of its own: an optimizer's ``weight_decay`` adds ``rate * w`` to each gradient,
which is the gradient of ``rate / 2 * sum(w²)``. L1 pushes every weight toward zero by the same
amount whatever its size, so small weights reach exactly zero and stay there: a sparse network.

>>> import neuronlab as nl
>>> layer = nl.nn.Linear(3, 2)
>>> weights = [layer.weight]                        # penalize weights, not biases
>>> loss_fn = PenalizedLoss(nl.nn.MSELoss(), L1Penalty(weights, rate=0.01))
>>> loss = loss_fn(layer(nl.ones(4, 3)), nl.zeros(4, 2))
>>> loss.backward()
>>> layer.weight.grad.shape
(2, 3)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..engine.tensor import Tensor
from .module import Module

__all__ = ["L1Penalty", "PenalizedLoss", "l1_penalty"]


def _check_rate(who: str, rate: Any) -> float:
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not rate >= 0:
        raise ValueError(
            f"{who} · expected a rate >= 0 · got {rate!r} · pass e.g. rate=0.001 (0 turns the "
            "penalty off)"
        )
    return float(rate)


def l1_penalty(parameters: Iterable[Tensor], rate: float) -> Tensor:
    """penalty = rate * sum over every parameter p of sum_i |p_i|

    Shape: any parameters -> () (one number).

    Backward: d penalty / d p_i = rate * sign(p_i) (0 at p_i = 0, as PyTorch's ``abs``).

    >>> import neuronlab as nl
    >>> w = nl.tensor([[1.0, -2.0], [0.0, 3.0]], requires_grad=True)
    >>> p = l1_penalty([w], rate=0.5)
    >>> p.item()
    3.0
    >>> p.backward(); w.grad.tolist()
    [[0.5, -0.5], [0.0, 0.5]]
    """
    rate = _check_rate("l1_penalty(rate)", rate)
    terms = [p.abs().sum() for p in parameters]
    if not terms:
        raise ValueError(
            "l1_penalty(parameters) · expected at least one parameter · got none · pass e.g. "
            "[layer.weight for layer in model.modules() if isinstance(layer, nn.Linear)]"
        )
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total * rate


class L1Penalty:
    """rate * sum |w| over a fixed list of parameters; call it to get the term (a Tensor).

    ``rate`` may change between steps (the playground's slider does); at 0 the term is skipped.

    Args:
        parameters: the tensors to penalize, usually the weights of the Linear layers only.
        rate: the penalty's strength lambda (>= 0).
    """

    def __init__(self, parameters: Iterable[Tensor], rate: float):
        self.parameters = list(parameters)
        self.rate = _check_rate("L1Penalty(rate)", rate)

    def __call__(self) -> Tensor:
        return l1_penalty(self.parameters, self.rate)

    def __repr__(self) -> str:
        return f"L1Penalty({len(self.parameters)} tensors, rate={self.rate})"


class PenalizedLoss(Module):
    """loss = loss_fn(output, target) + penalty()

    The data loss plus a weight penalty, so a training loop (``train.Trainer``) minimizes both
    without knowing about regularization. ``penalty`` is any callable returning a scalar Tensor
    (an :class:`L1Penalty`); a penalty whose ``rate`` is 0 is not computed.

    Shape: as ``loss_fn``. Backward: the sum of both terms' gradients.

    >>> import neuronlab as nl
    >>> w = nl.nn.Parameter(nl.tensor([[1.0, -3.0]]).data)
    >>> loss_fn = PenalizedLoss(nl.nn.MSELoss(), L1Penalty([w], rate=0.1))
    >>> round(loss_fn(nl.tensor([[2.0]]), nl.tensor([[0.0]])).item(), 4)  # 4 + 0.1 * (1 + 3)
    4.4
    """

    def __init__(self, loss_fn: Callable[[Tensor, Any], Tensor], penalty: Callable[[], Tensor]):
        super().__init__()
        self.loss_fn, self.penalty = loss_fn, penalty

    def forward(self, output: Tensor, target: Any) -> Tensor:
        loss = self.loss_fn(output, target)
        if getattr(self.penalty, "rate", None) == 0:
            return loss
        return loss + self.penalty()

    def extra_repr(self) -> str:
        return f"penalty={self.penalty!r}"
