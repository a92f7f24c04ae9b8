"""Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay."""

from __future__ import annotations

from ..engine.backend import xp
from .optimizer import Optimizer, effective_grad, flush_tiny, scratch


class SGD(Optimizer):
    """Stochastic gradient descent (PyTorch's ``torch.optim.SGD``).

    For each parameter ``p`` with gradient ``grad``, at every step::

        g = -grad if maximize else grad
        g = g + weight_decay * p                                   (if weight_decay != 0)
        if momentum != 0:
            b = g on the first step, else b = momentum * b + (1 - dampening) * g
            g = g + momentum * b if nesterov else b
        p = p - lr * g

    ``b`` is kept in ``state[p]['momentum_buffer']``. Nesterov momentum needs a momentum > 0 and
    no dampening.

    >>> import neuronlab as nl
    >>> from neuronlab.optim import SGD
    >>> w = nl.tensor([1.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.5, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad()
    ...     (2 * w).sum().backward()          # grad = 2 at every step
    ...     opt.step()
    >>> round(w.item(), 4)                    # 1 - 0.5 * 2 - 0.5 * (0.9 * 2 + 2)
    -1.9
    """

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def validate(self, group: dict) -> None:
        for name in ("lr", "momentum", "weight_decay"):
            self.check(group, name)
        self.check(group, "dampening", low=-float("inf"))
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                f"SGD: Nesterov momentum requires a momentum > 0 and zero dampening, got "
                f"momentum={group['momentum']!r}, dampening={group['dampening']!r}"
            )

    def update(self, p, grad, state, group) -> None:
        if not (group["momentum"] or group["weight_decay"] or group["maximize"]):
            # plain SGD: the general path below with its no-op branches skipped
            p.data -= float(group["lr"]) * grad  # in place; as fast as a kept work array here
            return
        lr, momentum = float(group["lr"]), float(group["momentum"])
        g = effective_grad(p, grad, state, float(group["weight_decay"]), group["maximize"])
        step = scratch(state, "_step", p.data)
        if momentum != 0:
            b = state.get("momentum_buffer")
            if b is None:
                b = state["momentum_buffer"] = xp.array(g, copy=True)
            else:
                b *= momentum
                dampening = float(group["dampening"])
                if dampening == 0:
                    b += g
                else:
                    b += xp.multiply(g, 1.0 - dampening, out=step)
            flush_tiny(state, "momentum_buffer")  # no subnormal slowdown (see flush_tiny)
            if group["nesterov"]:
                g = xp.add(g, xp.multiply(b, momentum, out=step), out=step)
            else:
                g = b
        xp.multiply(g, -lr, out=step)
        xp.add(p.data, step, out=p.data)  # p = p - lr * g, in place
