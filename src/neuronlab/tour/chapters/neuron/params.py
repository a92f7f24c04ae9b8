"""The neuron chapter's parameters: one schema per experiment, each default declared once."""

from __future__ import annotations

from ... import BoolParam, ChoiceParam, FloatParam, IntParam

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "gelu"]
DATASETS = ["and", "or", "xor", "gaussian", "circle"]

NEURON_PARAMS = [
    FloatParam("x1", 1.0, -3.0, 3.0, label="input x₁"),
    FloatParam("x2", 0.5, -3.0, 3.0, label="input x₂"),
    FloatParam("w1", 0.8, -3.0, 3.0, label="weight w₁"),
    FloatParam("w2", -0.6, -3.0, 3.0, label="weight w₂"),
    FloatParam("b", 0.1, -3.0, 3.0, label="bias b"),
    ChoiceParam("activation", "sigmoid", ACTIVATIONS, label="activation"),
]

CURVE_PARAMS = [
    ChoiceParam("activation", "sigmoid", ACTIVATIONS, label="activation"),
    FloatParam("z_min", -6.0, -20.0, 0.0, label="smallest z"),
    FloatParam("z_max", 6.0, 0.0, 20.0, label="largest z"),
    IntParam("n_points", 241, 11, 2001, label="points"),
]

TRAIN_PARAMS = [
    ChoiceParam("dataset", "and", DATASETS, label="data"),
    IntParam("n_points", 120, 8, 1000, label="points"),
    FloatParam("noise", 0.1, 0.0, 0.5, label="noise"),
    FloatParam("lr", 0.5, 0.001, 5.0, label="learning rate", live=True, log=True),
    IntParam("steps", 3000, 1, 100_000, label="steps"),
    FloatParam("speed", 300.0, 1.0, 100_000.0, label="steps per second", live=True, log=True),
    IntParam("seed", 0, 0, 1_000_000, label="seed"),
    BoolParam("show_points", True, label="send the points"),
]
