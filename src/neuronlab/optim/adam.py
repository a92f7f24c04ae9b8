"""Adam and AdamW: per-element step sizes from running averages of the gradient and its square.

Adam sits on the hot path of training, so its update is written with NumPy's ``out=`` arguments:
every line below rewrites an existing array in place, and the two bias corrections are folded into
two scalars, so one step is a dozen passes over memory and allocates nothing.
"""

from __future__ import annotations

import numbers

from ..engine.backend import xp
from .optimizer import Optimizer, effective_grad, flush_tiny, scratch


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), as PyTorch's ``torch.optim.Adam``.

    For each parameter ``p`` with gradient ``grad``, at step ``t = 1, 2, ...``::

        g = -grad if maximize else grad
        p = p * (1 - lr * weight_decay)           (decoupled_weight_decay, i.e. AdamW)
        g = g + weight_decay * p                  (otherwise: an L2 penalty in the gradient)
        m = beta1 * m + (1 - beta1) * g           (running average of the gradient)
        v = beta2 * v + (1 - beta2) * g * g       (running average of its square)
        v_max = max(v_max, v), then v = v_max     (if amsgrad)
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    ``m`` and ``v`` start at zero; the divisions by ``1 - beta**t`` undo that start's pull
    toward zero. State: ``step`` (t), ``exp_avg`` (m), ``exp_avg_sq`` (v) and, with amsgrad,
    ``max_exp_avg_sq``; all arrays have the parameter's dtype.

    >>> import neuronlab as nl
    >>> from neuronlab.optim import Adam
    >>> w = nl.tensor([1.0, -1.0], requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()                  # the first step moves each element by about lr
    >>> [round(v, 4) for v in w.tolist()]
    [0.9, -0.9]
    """

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def validate(self, group: dict) -> None:
        for name in ("lr", "eps", "weight_decay"):
            self.check(group, name)
        betas = group["betas"]
        if not (
            isinstance(betas, (tuple, list))
            and len(betas) == 2
            and all(isinstance(b, numbers.Real) and not isinstance(b, bool) for b in betas)
        ):
            raise TypeError(f"{self._name}: betas must be a pair of numbers, got {betas!r}")
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{self._name}: betas[{i}] must be in [0, 1), got {beta!r}")

    def update(self, p, grad, state, group) -> None:
        x = p.data
        if not state.get("step"):
            state["step"] = 0
            state["exp_avg"] = xp.zeros_like(x)
            state["exp_avg_sq"] = xp.zeros_like(x)
        if group["amsgrad"] and "max_exp_avg_sq" not in state:
            state["max_exp_avg_sq"] = xp.zeros_like(x)
        lr, eps = float(group["lr"]), float(group["eps"])
        weight_decay = float(group["weight_decay"])
        beta1, beta2 = (float(b) for b in group["betas"])
        state["step"] += 1
        t = state["step"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        work = scratch(state, "_work", x)

        if group["decoupled_weight_decay"]:
            if weight_decay != 0:
                x *= 1.0 - lr * weight_decay
            g = effective_grad(p, grad, state, 0.0, group["maximize"])
        else:
            g = effective_grad(p, grad, state, weight_decay, group["maximize"])

        xp.multiply(m, beta1, out=m)  # m = beta1 * m + (1 - beta1) * g
        xp.add(m, xp.multiply(g, 1.0 - beta1, out=work), out=m)
        xp.multiply(v, beta2, out=v)  # v = beta2 * v + (1 - beta2) * g * g
        xp.square(g, out=work)
        xp.add(v, xp.multiply(work, 1.0 - beta2, out=work), out=v)
        if group["amsgrad"]:
            v = xp.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])

        # lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps) = lr*sqrt(bc2)/bc1 * m / (sqrt(v) + eps*sqrt(bc2))
        bias_correction1 = 1.0 - beta1**t
        sqrt_bias_correction2 = (1.0 - beta2**t) ** 0.5
        xp.sqrt(v, out=work)
        xp.add(work, eps * sqrt_bias_correction2, out=work)
        xp.divide(m, work, out=work)
        xp.multiply(work, -lr * sqrt_bias_correction2 / bias_correction1, out=work)
        xp.add(x, work, out=x)
        flush_tiny(state, "exp_avg", "exp_avg_sq", "max_exp_avg_sq")  # no subnormal slowdown


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as ``torch.optim.AdamW``.

    The same update as :class:`Adam`, except that weight decay shrinks the parameter directly,
    ``p = p * (1 - lr * weight_decay)``, instead of being added to the gradient (where Adam's
    per-element scaling would weaken it for parameters with large gradients).

    >>> import neuronlab as nl
    >>> from neuronlab.optim import AdamW
    >>> w = nl.tensor([1.0], requires_grad=True)
    >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> (w * 0.0).sum().backward()  # a zero gradient: only the decay acts
    >>> opt.step()
    >>> round(w.item(), 4)          # 1 * (1 - 0.1 * 0.5)
    0.95
    """

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )
