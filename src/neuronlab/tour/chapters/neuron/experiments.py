"""The neuron chapter's experiments: one neuron's output, an activation and its slope (quick),
and one neuron trained live (``live.py``).

Values and slopes come from the engine: the activation is applied to a tensor and the slope is
its gradient after ``backward()``, the same code path every network in the library uses. That
``backward()`` teaches what a derivative is; it trains nothing.
"""

from __future__ import annotations

import numpy as np

import neuronlab as nl
from neuronlab.nn import functional as F

from ... import Experiment, series, table
from .live import train_neuron
from .params import CURVE_PARAMS, NEURON_PARAMS, TRAIN_PARAMS

LABELS = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "gelu": "GELU",
}


def activate(name: str, z: nl.Tensor) -> nl.Tensor:
    """Apply activation ``name`` (one of ``ACTIVATIONS``) with the library's functions."""
    return {
        "sigmoid": F.sigmoid,
        "tanh": F.tanh,
        "relu": F.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, 0.01),
        "gelu": F.gelu,
    }[name](z)


def value_and_slope(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``f(z)`` and ``f'(z)`` for each element, the slope from the engine's backward pass."""
    t = nl.tensor(np.asarray(z, dtype=np.float64), requires_grad=True, dtype="float64")
    y = activate(name, t)
    y.sum().backward()  # d(sum f(z_i))/dz_i = f'(z_i): every slope at once (teaching)
    return np.asarray(y.data, dtype=np.float64), np.asarray(t.grad, dtype=np.float64)


def neuron_output(x1, x2, w1, w2, b, activation):
    """z = w1 * x1 + w2 * x2 + b, then y = f(z) and the slope f'(z)."""
    z = w1 * x1 + w2 * x2 + b
    y, slope = value_and_slope(activation, np.array([z]))
    return {
        "z": round(z, 10),
        "y": float(y[0]),
        "slope": float(slope[0]),
        "activation": activation,
        "terms": table(
            ["term", "value"],
            [["w1 · x1", w1 * x1], ["w2 · x2", w2 * x2], ["b", b], ["z", z], ["f(z)", y[0]]],
            title="The weighted sum, term by term",
        ),
    }


def activation_curves(activation, z_min, z_max, n_points):
    """The activation and its derivative on a grid of z, with where the slope is largest."""
    if not z_max > z_min:
        from ... import ParamError

        raise ParamError(f"z_max ({z_max}) must be larger than z_min ({z_min})", "z_max")
    z = np.linspace(z_min, z_max, n_points)
    y, slope = value_and_slope(activation, z)
    i = int(np.argmax(slope))
    return {
        "activation": activation,
        "label": LABELS[activation],
        "curves": series(z, xlabel="z", ylabel="", value=y, derivative=slope),
        "max_slope": float(slope[i]),
        "max_slope_at": float(z[i]),
        "min_value": float(y.min()),
        "slope_at_negative": float(slope[z < 0].max()) if (z < 0).any() else None,
    }


EXPERIMENTS = [
    Experiment(
        "neuron_output",
        "One neuron: weighted sum, bias, activation",
        params=NEURON_PARAMS,
        run=neuron_output,
    ),
    Experiment(
        "activation_curves",
        "An activation function and its derivative",
        params=CURVE_PARAMS,
        run=activation_curves,
    ),
    Experiment(
        "train_neuron",
        "One neuron learns a straight boundary",
        params=TRAIN_PARAMS,
        stream=train_neuron,
        max_steps=100_001,
        max_seconds=300,
    ),
]
