"""Occlusion (Zeiler and Fergus, 2014): hide a patch, see how much the score drops.

Slide a window over the input with a stride; at each position replace the window's values with
the baseline and run the model. Every element covered by the window is charged the drop of the
target's score, ``f_c(x) - f_c(x with the patch hidden)``; an element covered by several windows
gets the mean of their drops (Captum's ``Occlusion``). Elements that no window reaches (when the
stride does not fit the size) get 0.

The window and stride are given per example axis, e.g. ``(1, 5, 5)`` for a ``(N, 1, 28, 28)``
batch, as in Captum; for images, ``window=5`` or ``(5, 5)`` means a 5x5 patch through all
channels.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..nn import Module
from ._model import as_input, as_targets, check_model, forward, inspecting, target_scores

CHUNK = 256  # occluded copies run through the model at once


def _sizes(who: str, value, shape: tuple[int, ...], full_channels: bool) -> tuple[int, ...]:
    """A window or stride for the example shape ``shape`` (channels first for images)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = (int(value),) * (len(shape) - 1 if full_channels else len(shape))
    value = tuple(int(v) for v in value)
    if full_channels and len(value) == len(shape) - 1:
        value = (shape[0], *value) if who == "window" else (1, *value)
    if len(value) != len(shape) or any(v < 1 for v in value):
        raise ValueError(
            f"occlusion: {who} must give a positive size for each of the {len(shape)} axes of "
            f"an example of shape {shape} (or, for images, one per spatial axis), got {value}"
        )
    if who == "window" and any(w > s for w, s in zip(value, shape)):
        raise ValueError(f"occlusion: window {value} is larger than an example of shape {shape}")
    return value


def occlusion(model: Module, x, target, *, window, stride, baseline: float = 0.0) -> np.ndarray:
    """The mean drop of the target score when a sliding window of ``x`` is set to ``baseline``.

    Shape: ``x`` (N, ...) -> (N, ...).

    Args:
        model: a classifier returning raw scores ``(N, classes)`` (eval mode, left unchanged).
        x: inputs; target: an int or ``(N,)`` ints.
        window, stride: the patch and its step along each example axis (see the module notes).
        baseline: the value that replaces a hidden patch (a number, or an array broadcastable
            to one example).

    >>> import neuronlab as nl
    >>> model = nl.nn.Linear(4, 1)
    >>> with nl.no_grad():
    ...     model.weight.data[...] = [[1.0, 2.0, 3.0, 4.0]]
    >>> occlusion(model, [[1.0, 1.0, 1.0, 1.0]], 0, window=2, stride=2).tolist()
    [[3.0, 3.0, 7.0, 7.0]]
    """
    check_model("occlusion", model)
    x = as_input("occlusion", model, x)
    shape = x.shape[1:]
    images = x.ndim >= 4
    win = _sizes("window", window, shape, images)
    step = _sizes("stride", stride, shape, images)
    base = np.broadcast_to(np.asarray(baseline, dtype=x.dtype), shape)
    counts = [1 + (s - w) // t for s, w, t in zip(shape, win, step)]
    corners = list(itertools.product(*[range(0, c * t, t) for c, t in zip(counts, step)]))
    with inspecting(model):
        _, out = forward("occlusion", model, x)
        targets = as_targets("occlusion", target, len(x), out.shape[1])
        score = target_scores(out, targets)  # (N,)
        total = np.zeros(x.shape, dtype=np.float64)
        covered = np.zeros(shape, dtype=np.float64)
        per_chunk = max(1, CHUNK // max(1, len(x)))
        for i in range(0, len(corners), per_chunk):
            group = corners[i : i + per_chunk]
            batch = np.repeat(x[None], len(group), axis=0)  # (G, N, ...)
            for g, corner in enumerate(group):
                patch = tuple(slice(c, c + w) for c, w in zip(corner, win))
                batch[(g, slice(None), *patch)] = base[patch]
            _, hidden = forward("occlusion", model, batch.reshape(-1, *shape))
            drops = score[None] - target_scores(hidden, np.tile(targets, len(group))).reshape(
                len(group), len(x)
            )
            for g, corner in enumerate(group):
                patch = tuple(slice(c, c + w) for c, w in zip(corner, win))
                total[(slice(None), *patch)] += drops[g].reshape(-1, *[1] * len(shape))
                covered[patch] += 1
    attr = np.divide(total, covered, out=np.zeros_like(total), where=covered > 0)
    return attr.astype(x.dtype)
