"""Loss functions against the prediction: squared error and cross-entropy for one target.

Both are computed by the library's own losses (``nn.MSELoss`` and ``nn.BCELoss`` with
``reduction="none"``), and their slopes by ``backward()``, so the curves are the engine's.
"""

from __future__ import annotations

import numpy as np

import neuronlab as nl
from neuronlab import nn

from ...frames import series


def _loss_and_slope(loss_fn, p: np.ndarray, target: float) -> tuple[np.ndarray, np.ndarray]:
    pred = nl.Tensor(p, dtype="float64", requires_grad=True)
    y = nl.Tensor(np.full_like(p, target), dtype="float64")
    values = loss_fn(pred, y)
    values.sum().backward()  # each element depends on its own p only: the slope at each p
    return values.data.copy(), pred.grad.copy()


def loss_curves(target: float, prediction: float, n_points: int) -> dict:
    """Squared error (p - y)^2 and cross-entropy -[y log p + (1 - y) log(1 - p)] for p in
    (0, 1), their slopes, and both at the chosen prediction."""
    p = np.linspace(0.01, 0.99, n_points)
    mse, d_mse = _loss_and_slope(nn.MSELoss(reduction="none"), p, target)
    ce, d_ce = _loss_and_slope(nn.BCELoss(reduction="none"), p, target)
    (at_mse,), (slope_mse,) = _loss_and_slope(nn.MSELoss(reduction="none"),
                                              np.array([prediction]), target)  # fmt: skip
    (at_ce,), (slope_ce,) = _loss_and_slope(nn.BCELoss(reduction="none"),
                                            np.array([prediction]), target)  # fmt: skip
    return {
        "target": target,
        "prediction": prediction,
        "loss": series(
            p, xlabel="prediction p", ylabel="loss", squared_error=mse, cross_entropy=ce
        ),  # fmt: skip
        "slope": series(
            p,
            xlabel="prediction p",
            ylabel="slope d loss / d p",
            squared_error=d_mse,
            cross_entropy=d_ce,
        ),  # fmt: skip
        "at": {
            "squared_error": float(at_mse),
            "cross_entropy": float(at_ce),
            "slope_squared_error": float(slope_mse),
            "slope_cross_entropy": float(slope_ce),
        },
    }
