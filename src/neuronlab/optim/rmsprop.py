"""RMSprop: divide each gradient element by a running root-mean-square of its recent values."""

from __future__ import annotations

from ..engine.backend import xp
from .optimizer import Optimizer, effective_grad, flush_tiny, scratch


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e), as PyTorch's ``torch.optim.RMSprop``.

    For each parameter ``p`` with gradient ``grad``, at every step::

        g = -grad if maximize else grad
        g = g + weight_decay * p                      (if weight_decay != 0)
        v = alpha * v + (1 - alpha) * g * g           (running average of the squared gradient)
        if centered:
            a = alpha * a + (1 - alpha) * g           (running average of the gradient)
            d = sqrt(v - a * a) + eps                 (a running standard deviation)
        else:
            d = sqrt(v) + eps
        if momentum > 0:
            b = momentum * b + g / d
            p = p - lr * b
        else:
            p = p - lr * g / d

    State: ``step``, ``square_avg`` (v), ``momentum_buffer`` (b, if momentum > 0) and
    ``grad_avg`` (a, if centered), all starting at zero.

    >>> import neuronlab as nl
    >>> from neuronlab.optim import RMSprop
    >>> w = nl.tensor([1.0], requires_grad=True)
    >>> opt = RMSprop([w], lr=0.01, alpha=0.99)
    >>> (w * 3.0).sum().backward()
    >>> opt.step()                 # 1 - 0.01 * 3 / sqrt(0.01 * 9) = 1 - 0.1
    >>> round(w.item(), 4)
    0.9
    """

    def __init__(
        self,
        params,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "alpha": alpha,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum": momentum,
            "centered": centered,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def validate(self, group: dict) -> None:
        for name in ("lr", "alpha", "eps", "weight_decay", "momentum"):
            self.check(group, name)

    def update(self, p, grad, state, group) -> None:
        x = p.data
        if not state.get("step"):
            state["step"] = 0
            state["square_avg"] = xp.zeros_like(x)
        momentum, centered = float(group["momentum"]), group["centered"]
        if momentum > 0 and "momentum_buffer" not in state:
            state["momentum_buffer"] = xp.zeros_like(x)
        if centered and "grad_avg" not in state:
            state["grad_avg"] = xp.zeros_like(x)
        lr, alpha, eps = float(group["lr"]), float(group["alpha"]), float(group["eps"])
        state["step"] += 1
        g = effective_grad(p, grad, state, float(group["weight_decay"]), group["maximize"])
        work = scratch(state, "_work", x)

        v = state["square_avg"]  # v = alpha * v + (1 - alpha) * g * g
        xp.multiply(v, alpha, out=v)
        xp.add(v, xp.multiply(xp.square(g, out=work), 1.0 - alpha, out=work), out=v)
        if centered:
            a = state["grad_avg"]  # a = alpha * a + (1 - alpha) * g
            xp.multiply(a, alpha, out=a)
            xp.add(a, xp.multiply(g, 1.0 - alpha, out=work), out=a)
            xp.subtract(v, xp.square(a, out=work), out=work)  # d = sqrt(v - a * a) + eps
            xp.sqrt(work, out=work)
        else:
            xp.sqrt(v, out=work)  # d = sqrt(v) + eps
        xp.add(work, eps, out=work)
        xp.divide(g, work, out=work)  # g / d
        if momentum > 0:
            b = state["momentum_buffer"]  # b = momentum * b + g / d
            xp.multiply(b, momentum, out=b)
            xp.add(b, work, out=b)
            xp.multiply(b, -lr, out=work)
        else:
            xp.multiply(work, -lr, out=work)
        xp.add(x, work, out=x)
        flush_tiny(state, "square_avg", "grad_avg", "momentum_buffer")  # see flush_tiny
