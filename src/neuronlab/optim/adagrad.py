"""Adagrad: each element's step shrinks with the sum of all its squared gradients so far."""

from __future__ import annotations

from ..engine.backend import xp
from .optimizer import Optimizer, effective_grad, scratch


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011), as PyTorch's ``torch.optim.Adagrad``.

    For each parameter ``p`` with gradient ``grad``, at step ``t = 1, 2, ...``::

        g = -grad if maximize else grad
        g = g + weight_decay * p                      (if weight_decay != 0)
        lr_t = lr / (1 + (t - 1) * lr_decay)
        s = s + g * g                                 (s starts at initial_accumulator_value)
        p = p - lr_t * g / (sqrt(s) + eps)

    Elements with large past gradients take small steps, rarely-updated ones keep large steps.
    State, created when a parameter is added (as PyTorch does): ``step`` (t) and ``sum`` (s).

    >>> import neuronlab as nl
    >>> from neuronlab.optim import Adagrad
    >>> w = nl.tensor([1.0], requires_grad=True)
    >>> opt = Adagrad([w], lr=0.1)
    >>> (w * 4.0).sum().backward()
    >>> opt.step()                 # 1 - 0.1 * 4 / sqrt(16)
    >>> round(w.item(), 4)
    0.9
    """

    def __init__(
        self,
        params,
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "eps": eps,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def validate(self, group: dict) -> None:
        for name in ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"):
            self.check(group, name)

    def add_param_group(self, param_group: dict) -> None:
        super().add_param_group(param_group)
        group = self.param_groups[-1]
        for p in group["params"]:
            self._init_state(p, self.state[p], group)

    @staticmethod
    def _init_state(p, state: dict, group: dict) -> None:
        state["step"] = 0
        state["sum"] = xp.full_like(p.data, float(group["initial_accumulator_value"]))

    def update(self, p, grad, state, group) -> None:
        if "sum" not in state:
            self._init_state(p, state, group)
        x, s = p.data, state["sum"]
        state["step"] += 1
        lr_t = float(group["lr"]) / (1.0 + (state["step"] - 1) * float(group["lr_decay"]))
        g = effective_grad(p, grad, state, float(group["weight_decay"]), group["maximize"])
        work = scratch(state, "_work", x)

        xp.add(s, xp.square(g, out=work), out=s)  # s = s + g * g
        xp.sqrt(s, out=work)  # p = p - lr_t * g / (sqrt(s) + eps)
        xp.add(work, float(group["eps"]), out=work)
        xp.divide(g, work, out=work)
        xp.multiply(work, -lr_t, out=work)
        xp.add(x, work, out=x)
