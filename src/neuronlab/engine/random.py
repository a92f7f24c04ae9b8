"""The engine's random number generator: one seedable source for ``randn``, ``rand``,
weight initialization and dropout, so ``manual_seed(0)`` makes a whole run reproducible."""

from __future__ import annotations

import numpy as np

_state = {"generator": np.random.default_rng()}


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the generator behind ``randn``, ``rand``, ``nn.init`` and dropout; returns it."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"manual_seed expects an integer seed, got {seed!r}")
    _state["generator"] = np.random.default_rng(int(seed))
    return _state["generator"]


def default_generator() -> np.random.Generator:
    """The generator currently in use (reseeded by ``manual_seed``)."""
    return _state["generator"]
