"""The model-randomization sanity check (Adebayo et al., 2018, "Sanity Checks for Saliency Maps").

If an explanation shows what a model *learned*, destroying what it learned must change the
explanation. Starting from the output layer, re-draw the weights of one more layer at each
stage (cascading randomization) and compare the method's map on the randomized model with the
map on the trained one by the Spearman rank correlation:

    rho = Pearson correlation of rank(a) and rank(b)        (ties get their mean rank)

A method whose maps stay highly correlated while the layers are scrambled (rho near 1) is
describing the input (its edges) more than the model. The paper compares absolute maps; so do
we by default (``absolute=True``).

Each randomized layer's weights are drawn from a normal distribution with the same mean and
standard deviation as the trained ones (biases the same way), so the scale of the activations,
and therefore of the maps, stays comparable. The model passed in is never changed: the stages
run on copies.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..nn import Module
from ._model import check_model, find_layer


def rank(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of a flat array, ties sharing their mean rank (SciPy's ``rankdata``)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    order = np.argsort(v, kind="mergesort")
    sorted_v = v[order]
    starts = np.r_[True, sorted_v[1:] != sorted_v[:-1]]
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    last = np.r_[first[1:], len(v)] - 1
    mean_rank = (first + last) / 2 + 1
    out = np.empty(len(v))
    out[order] = mean_rank[group]
    return out


def spearman(a, b) -> float:
    """The Spearman rank correlation of two arrays of the same size (nan if one is constant).

    >>> spearman([1, 2, 3, 4], [10, 20, 30, 40]), spearman([1, 2, 3], [3, 2, 1])
    (1.0, -1.0)
    """
    ra, rb = rank(a), rank(b)
    if ra.size != rb.size:
        raise ValueError(f"spearman: the arrays differ in size ({ra.size} and {rb.size})")
    ra, rb = ra - ra.mean(), rb - rb.mean()
    denom = np.sqrt((ra * ra).sum() * (rb * rb).sum())
    return float((ra * rb).sum() / denom) if denom > 0 else float("nan")


@dataclass
class RandomizationCheck:
    """The result: one stage per randomized layer (cumulative, output side first)."""

    method: str
    layers: list[str]  # "" first (the trained model), then each layer as it is randomized
    correlations: np.ndarray  # (stages, N): Spearman rho of each example's map vs trained
    maps: list[np.ndarray] = field(default_factory=list)  # (N, ...) per stage

    def mean(self) -> list[float]:
        """The correlation averaged over the examples at each stage."""
        return [float(v) for v in np.nanmean(self.correlations, axis=1)]


def weight_layers(model: Module) -> list[str]:
    """Names of the layers that own parameters, input side first (registration order)."""
    return [
        name
        for name, m in model.named_modules()
        if name and any(True for _ in m.parameters(recurse=False))
    ]


def randomize_layer(module: Module, rng: np.random.Generator) -> None:
    """Re-draw every parameter of ``module`` from N(its mean, its std), in place."""
    for p in module.parameters(recurse=False):
        data = p.data
        p.data[...] = rng.normal(data.mean(), data.std() + 1e-8, size=data.shape)


def randomization_check(
    method: Callable,
    model: Module,
    x,
    target,
    *,
    layers=None,
    seed: int = 0,
    absolute: bool = True,
    keep_maps: bool = False,
    **kwargs,
) -> RandomizationCheck:
    """Cascading randomization: ``method``'s maps on the trained model and on copies with the
    top 1, 2, ... layers re-drawn, compared by Spearman rank correlation.

    Args:
        method: an attribution function called as ``method(model, x, target, **kwargs)``
            (``saliency``, ``integrated_gradients``, ``grad_cam`` with ``layer=...``...).
        model, x, target: as for the method; the model is not changed.
        layers: the layers to randomize, in the order given (default: every layer with
            parameters, output side first).
        seed: for the random weights. absolute: compare ``|map|`` (the paper's choice).
        keep_maps: keep each stage's maps in the result.

    >>> import neuronlab as nl
    >>> from neuronlab.interpret import saliency
    >>> model = nl.nn.Sequential(nl.nn.Linear(3, 4), nl.nn.Tanh(), nl.nn.Linear(4, 2))
    >>> check = randomization_check(saliency, model, nl.randn(5, 3), 1)
    >>> check.layers, check.correlations.shape, check.mean()[0]
    (['', '2', '0'], (3, 5), 1.0)
    """
    check_model("randomization_check", model)
    if not callable(method):
        raise TypeError(f"randomization_check: method must be a function, got {method!r}")
    names = list(reversed(weight_layers(model))) if layers is None else [
        find_layer("randomization_check", model, layer)[0] for layer in layers
    ]  # fmt: skip
    rng = np.random.default_rng(seed)

    def explain(m):
        out = np.asarray(method(m, x, target, **kwargs), dtype=np.float64)
        return np.abs(out) if absolute else out

    reference = explain(model)
    scrambled = copy.deepcopy(model)
    maps, rows = [reference], [[spearman(r, r) for r in reference]]
    for name in names:
        randomize_layer(find_layer("randomization_check", scrambled, name)[1], rng)
        current = explain(scrambled)
        maps.append(current)
        rows.append([spearman(a, b) for a, b in zip(reference, current)])
    return RandomizationCheck(
        method=getattr(method, "__name__", type(method).__name__),
        layers=["", *names],
        correlations=np.array(rows),
        maps=maps if keep_maps else [],
    )
