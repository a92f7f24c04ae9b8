"""Lengths and angles of vectors (re-exported by ``neuronlab.nn.functional``): ``normalize``,
``cosine_similarity``, ``pairwise_distance``. Composed from the engine's ``norm``, so the kink of
the length at the zero vector gets PyTorch's gradient (0), not nan.
"""

from __future__ import annotations

import numpy as np

from ..engine.tensor import Tensor


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    """y = x / max(||x||_p, eps) along ``dim``: vectors scaled to length 1 (zero vectors stay 0).

    >>> import neuronlab as nl
    >>> normalize(nl.tensor([[3.0, 4.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929]]
    """
    return input / input.norm(p, dim, keepdim=True).clip(min=eps)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """cos(angle) = sum(x1 * x2) / (max(||x1||, eps) * max(||x2||, eps)) along ``dim``, after
    broadcasting x1 and x2 against each other (PyTorch divides each vector by its clamped length
    first, as here).

    >>> import neuronlab as nl
    >>> cosine_similarity(nl.tensor([[1.0, 0.0]]), nl.tensor([[1.0, 1.0]])).tolist()
    [0.7071067690849304]
    """
    shape = tuple(int(n) for n in np.broadcast_shapes(x1.shape, x2.shape))
    x1, x2 = x1.expand(*shape), x2.expand(*shape)  # lengths are taken after broadcasting
    n1 = x1.norm(2, dim, keepdim=True).clip(min=eps)
    n2 = x2.norm(2, dim, keepdim=True).clip(min=eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(
    x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """||x1 - x2 + eps||_p along the last axis (eps keeps the gradient finite when x1 = x2).

    Shape: (N, D) and (N, D) -> (N,); either may be (D,) and broadcast.

    >>> import neuronlab as nl
    >>> [round(v, 4) for v in pairwise_distance(nl.tensor([[0.0, 0.0]]),
    ...                                         nl.tensor([[3.0, 4.0]])).tolist()]
    [5.0]
    """
    diff = x1 - x2 + eps
    if diff.ndim == 0:
        return diff.abs()
    return diff.norm(p, -1, keepdim=keepdim)


__all__ = ["cosine_similarity", "normalize", "pairwise_distance"]
