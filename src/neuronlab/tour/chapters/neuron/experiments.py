"""The neuron chapter's quick experiments: one neuron's output, an activation and its slope.

Values and slopes come from the engine: the activation is applied to a tensor and the slope is
its gradient after ``backward()``, the same code path every network in the library uses.
"""

from __future__ import annotations

import numpy as np

import neuronlab as nl
from neuronlab.nn import functional as F

from ... import ChoiceParam, Experiment, FloatParam, IntParam, series, table

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "gelu"]
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
    y.sum().backward()  # d(sum f(z_i))/dz_i = f'(z_i): one backward gives every slope
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


NEURON_OUTPUT = Experiment(
    name="neuron_output",
    title="One neuron: weighted sum, bias, activation",
    params=[
        FloatParam("x1", 1.0, -3.0, 3.0, label="input x₁"),
        FloatParam("x2", 0.5, -3.0, 3.0, label="input x₂"),
        FloatParam("w1", 0.8, -3.0, 3.0, label="weight w₁"),
        FloatParam("w2", -0.6, -3.0, 3.0, label="weight w₂"),
        FloatParam("b", 0.1, -3.0, 3.0, label="bias b"),
        ChoiceParam("activation", "sigmoid", ACTIVATIONS, label="activation"),
    ],
    run=neuron_output,
)

ACTIVATION_CURVES = Experiment(
    name="activation_curves",
    title="An activation function and its derivative",
    params=[
        ChoiceParam("activation", "sigmoid", ACTIVATIONS, label="activation"),
        FloatParam("z_min", -6.0, -20.0, 0.0, label="smallest z"),
        FloatParam("z_max", 6.0, 0.0, 20.0, label="largest z"),
        IntParam("n_points", 241, 11, 2001, label="points"),
    ],
    run=activation_curves,
)
