"""DP-SGD (Abadi et al. 2016), as Opacus does it, on any ``neuronlab.optim`` optimizer.

An ordinary step averages the batch's gradients, so one unusual example can move the weights a
lot, and the weights then remember it. DP-SGD bounds and hides each example's influence::

    batch      B ~ Poisson sample: each example joins with probability q (independently)
    g_n        = gradient of example n's own loss                       (per-example gradients)
    ĝ_n        = g_n * min(1, C / (||g_n|| + 1e-6))                      (clip to norm C)
    g          = (Σ_n ĝ_n + N(0, (σ C)² I)) / (q · N_data)               (noise, then average)
    w         <- optimizer step with g

``||g_n||`` is the norm over all the parameters together; ``C`` is ``max_grad_norm``, ``σ`` the
``noise_multiplier``, ``q · N_data`` the expected batch size. The per-example gradients come
from the layers' own rules (:mod:`neuronlab.nn.per_example`) in one vectorised pass: forward
hooks keep each layer's input, ``retain_grad`` keeps the gradient at its output, and the rule
turns the pair into ``N`` gradients. The privacy spent is counted by an
:class:`~neuronlab.responsible.RDPAccountant` at every step.

The training loop does not change: :func:`make_private` returns the model (with its hooks), a
:class:`DPOptimizer` wrapping yours and a Poisson-sampling loader, to hand to the
:class:`~neuronlab.train.Trainer` as usual::

    model, optimizer, loader = make_private(model, optimizer, (X, y), batch_size=64,
                                            noise_multiplier=1.0, max_grad_norm=1.0, seed=0)
    Trainer(model, nn.CrossEntropyLoss(), optimizer, loader, epochs=3).run()
    optimizer.accountant.get_epsilon(delta=1e-5)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..data import DataLoader
from ..engine import Tensor
from ..nn import Module
from ..nn.per_example import PER_EXAMPLE_CHECKS, PER_EXAMPLE_RULES, find_rule
from .accountant import RDPAccountant, _check_step, get_noise_multiplier

__all__ = ["DPOptimizer", "PoissonLoader", "PerExampleGrads", "make_private"]


class PoissonLoader(DataLoader):
    """Batches drawn by Poisson sampling: each example joins each batch with probability
    ``sample_rate``, so batch sizes vary (the privacy analysis assumes exactly this). An epoch
    is ``round(1 / sample_rate)`` batches, as in Opacus; a batch may rarely be empty."""

    def __init__(self, arrays: Any, sample_rate: float, seed: int | None = None) -> None:
        super().__init__(arrays, batch_size=1, shuffle=False, seed=seed)
        if self._arrays is None:
            raise TypeError(
                "PoissonLoader: expected arrays such as (X, y) or a TensorDataset, got "
                f"{type(self.dataset).__name__}"
            )
        _check_step("PoissonLoader", 1.0, sample_rate)
        self.sample_rate = float(sample_rate)

    def __len__(self) -> int:
        return max(1, round(1 / self.sample_rate))

    def __iter__(self):
        n = len(self.dataset)
        for _ in range(len(self)):
            idx = np.flatnonzero(self._rng.random(n) < self.sample_rate)
            yield tuple(a[idx] for a in self._arrays)


class PerExampleGrads:
    """Forward hooks that keep what each layer's per-example rule needs, for the last batch.

    ``compute(scale)`` returns ``{id(param): (N, *param.shape)}`` after ``backward()``; ``scale``
    undoes the loss's mean (the batch size for reduction='mean')."""

    def __init__(self, model: Module) -> None:
        for _, module in model.named_modules():
            check = find_rule(module, PER_EXAMPLE_CHECKS)
            if check is not None:
                check(module)
        self.owners = [m for _, m in model.named_modules() if _trainable(m)]
        missing = [
            f"{name or '<model>'} ({type(m).__name__})"
            for name, m in model.named_modules()
            if _trainable(m) and find_rule(m) is None
        ]
        if missing:
            raise NotImplementedError(
                f"DP-SGD: no per-example gradient rule for {', '.join(missing)}, so its "
                "examples' gradients cannot be clipped one by one. Freeze that layer "
                "(layer.requires_grad_(False)), replace it by a layer with a rule ("
                + ", ".join(sorted(c.__name__ for c in PER_EXAMPLE_RULES))
                + "), or write one with nn.register_per_example_rule"
            )
        self.calls: list[tuple[Module, Any, Any]] = []
        self.handles = [m.register_forward_hook(self._record) for m in self.owners]

    def _record(self, module, inputs, out) -> None:
        if isinstance(out, Tensor) and out.requires_grad:  # training, not evaluation
            first = inputs[0] if inputs else None
            out.retain_grad()
            self.calls.append((module, first.data if isinstance(first, Tensor) else first, out))

    def compute(self, scale_by_batch: bool) -> tuple[int, dict[int, np.ndarray]]:
        """``(N, {id(param): per-example gradients})`` for the calls that were backpropagated."""
        calls = [(m, x, out) for m, x, out in self.calls if out.grad is not None]
        self.calls = []
        if not calls:
            return 0, {}
        n = len(calls[0][1])
        grads: dict[int, np.ndarray] = {}
        for module, x, out in calls:
            if len(x) != n:
                raise RuntimeError(
                    "DP-SGD: the layers saw batches of different sizes since the last step "
                    f"({n} and {len(x)}); call optimizer.step() after every backward()"
                )
            found = find_rule(module)(module, x, out.grad * (n if scale_by_batch else 1))
            for name, p in _trainable(module).items():
                grads[id(p)] = grads.get(id(p), 0) + found[name]
        return n, grads

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()
        self.handles, self.calls = [], []


def _trainable(module: Module) -> dict:
    return {n: p for n, p in module._parameters.items() if p is not None and p.requires_grad}


class DPOptimizer:
    """Wraps an optimizer: ``step()`` replaces the averaged gradient by DP-SGD's (see the
    module docstring), then lets the wrapped optimizer update the weights, and counts the step.

    After each step: ``norms_before`` (each example's gradient norm), ``norms_after`` (after
    clipping), ``noise_std`` (σ C), ``batch_size``.
    """

    def __init__(
        self,
        optimizer: Any,
        grads: PerExampleGrads,
        *,
        noise_multiplier: float,
        max_grad_norm: float,
        expected_batch_size: float,
        sample_rate: float,
        loss_reduction: str = "mean",
        seed: int | None = None,
    ) -> None:
        if noise_multiplier < 0:
            raise ValueError(f"DPOptimizer: noise_multiplier must be >= 0, got {noise_multiplier}")
        if not max_grad_norm > 0:
            raise ValueError(
                f"DPOptimizer: max_grad_norm must be positive (the clipping norm C), got "
                f"{max_grad_norm!r}"
            )
        if loss_reduction not in ("mean", "sum"):
            raise ValueError(
                f"DPOptimizer: loss_reduction must be 'mean' or 'sum', got {loss_reduction!r}"
            )
        self.optimizer, self.grads = optimizer, grads
        self.noise_multiplier, self.max_grad_norm = float(noise_multiplier), float(max_grad_norm)
        self.expected_batch_size, self.sample_rate = float(expected_batch_size), sample_rate
        self.loss_reduction = loss_reduction
        self.accountant = RDPAccountant()
        self.rng = np.random.default_rng(seed)
        self.norms_before = self.norms_after = np.zeros(0)
        self.noise_std, self.batch_size = self.noise_multiplier * self.max_grad_norm, 0

    @property
    def param_groups(self):
        return self.optimizer.param_groups

    @property
    def state(self):
        return self.optimizer.state

    def zero_grad(self) -> None:
        self.optimizer.zero_grad()

    def _params(self) -> list:
        return [
            p for group in self.optimizer.param_groups for p in group["params"] if p.requires_grad
        ]

    def private_gradients(self) -> None:
        """Clip the per-example gradients, sum, add noise, average: into each ``p.grad``."""
        n, per_example = self.grads.compute(self.loss_reduction == "mean")
        params = [p for p in self._params() if id(p) in per_example or n == 0]
        flat = [per_example[id(p)].reshape(n, -1) for p in params] if n else []
        norms = (
            np.sqrt(sum((g.astype(np.float64) ** 2).sum(axis=1) for g in flat))
            if n
            else (np.zeros(0))
        )
        factor = np.minimum(1.0, self.max_grad_norm / (norms + 1e-6))  # (N,)
        for p in params:
            summed = (
                np.tensordot(factor, per_example[id(p)], axes=(0, 0)) if n else np.zeros(p.shape)
            )
            noise = self.rng.normal(0.0, self.noise_std, size=p.shape) if self.noise_std else 0.0
            grad = (summed + noise) / (
                self.expected_batch_size if self.loss_reduction == "mean" else 1.0
            )
            p.grad = np.asarray(grad, dtype=p.dtype)
        self.norms_before, self.norms_after = norms, norms * factor
        self.batch_size = n

    def step(self) -> None:
        """One DP-SGD step: private gradients, the wrapped optimizer's update, the accounting."""
        self.private_gradients()
        self.optimizer.step()
        if self.noise_multiplier > 0:
            self.accountant.step(
                noise_multiplier=self.noise_multiplier, sample_rate=self.sample_rate
            )

    def epsilon(self, delta: float) -> float:
        """The ε spent so far (``inf`` when the noise is off)."""
        if self.noise_multiplier == 0:
            return math.inf
        return self.accountant.get_epsilon(delta)

    def detach(self) -> None:
        """Remove the hooks from the model (the model trains normally again)."""
        self.grads.remove()


def make_private(
    model: Module,
    optimizer: Any,
    train: Any,
    *,
    batch_size: int,
    max_grad_norm: float,
    noise_multiplier: float | None = None,
    target_epsilon: float | None = None,
    target_delta: float | None = None,
    epochs: int | None = None,
    loss_reduction: str = "mean",
    seed: int | None = None,
) -> tuple[Module, DPOptimizer, PoissonLoader]:
    """``(model, dp_optimizer, loader)`` for DP-SGD training with the ordinary ``Trainer``.

    ``train`` is ``(X, y)``; ``batch_size`` the expected batch size (sample rate
    ``q = 1 / ceil(N / batch_size)``, as Opacus). Give ``noise_multiplier``, or
    ``target_epsilon``, ``target_delta`` and ``epochs`` to have it chosen
    (:func:`~neuronlab.responsible.get_noise_multiplier`).
    """
    X, y = train
    n = len(X)
    sample_rate = 1.0 / math.ceil(n / int(batch_size))
    if noise_multiplier is None:
        if target_epsilon is None or target_delta is None or epochs is None:
            raise ValueError(
                "make_private: give noise_multiplier=, or target_epsilon=, target_delta= and "
                "epochs= so that the noise can be chosen for that budget"
            )
        noise_multiplier = get_noise_multiplier(
            target_epsilon=target_epsilon,
            target_delta=target_delta,
            sample_rate=sample_rate,
            epochs=epochs,
        )
    _check_step("make_private", noise_multiplier, sample_rate)
    loader = PoissonLoader((X, y), sample_rate, seed=seed)
    dp = DPOptimizer(
        optimizer,
        PerExampleGrads(model),
        noise_multiplier=noise_multiplier,
        max_grad_norm=max_grad_norm,
        expected_batch_size=int(n * sample_rate),
        sample_rate=sample_rate,
        loss_reduction=loss_reduction,
        seed=seed,
    )
    return model, dp, loader
