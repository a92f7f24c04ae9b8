"""The learning chapter's parameters: one schema per experiment, each default declared once."""

from __future__ import annotations

from ...schema import ChoiceParam, FloatParam, IntParam
from .backprop import _LABELS, DEFAULTS
from .descent import SURFACES

LOSS_PARAMS = [
    FloatParam("target", 1.0, min=0.0, max=1.0, label="Target y"),
    FloatParam("prediction", 0.3, min=0.01, max=0.99, label="Prediction p"),
    IntParam("n_points", 197, min=11, max=2001, label="Points"),
]

SURFACE_PARAMS = [
    ChoiceParam("surface", "bowl", choices=SURFACES, label="Loss surface"),
    IntParam("size", 80, min=10, max=200, label="Grid size"),
]

RACE_PARAMS = [
    ChoiceParam("surface", "bowl", choices=SURFACES, label="Loss surface"),
    FloatParam("x0", -3.5, min=-4.0, max=4.0, label="start w₁"),
    FloatParam("y0", 2.0, min=-4.0, max=4.0, label="start w₂"),
    FloatParam("lr", 0.02, min=0.001, max=0.5, label="Learning rate", log=True, live=True),
    IntParam("steps", 400, min=10, max=3000, label="Steps"),
    IntParam(
        "speed",
        60,
        min=0,
        max=2000,
        label="Steps per second",
        help="0 runs as fast as possible",
        live=True,
    ),  # fmt: skip
]

SCALE_PARAMS = [
    ChoiceParam("surface", "bowl", choices=SURFACES, label="Loss surface"),
    FloatParam("scale", 1000.0, min=0.001, max=1e6, label="Loss multiplied by", log=True),
    FloatParam("lr", 0.02, min=0.001, max=0.5, label="Learning rate", log=True),
    IntParam("steps", 100, min=1, max=2000, label="Steps"),
]

NET_PARAMS = [
    FloatParam(name, DEFAULTS[name], min=-3.0, max=3.0, label=_LABELS[name]) for name in DEFAULTS
]
NET_PARAMS[2] = FloatParam("y", 1.0, min=0.0, max=1.0, label="target y")

TOPO_PARAMS = [
    FloatParam("a", 3.0, min=-5.0, max=5.0, label="a"),
    ChoiceParam("order", "topological", choices=["topological", "eager"], label="Order"),
]
