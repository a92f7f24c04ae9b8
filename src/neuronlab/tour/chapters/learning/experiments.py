"""The learning chapter's experiments: loss curves, a loss surface, the optimizer race (live,
``live.py``), the gradient's scale, backpropagation node by node, the gradient check and the
order of the backward walk. Topic modules: ``losses``, ``descent``, ``backprop``, ``topo``."""

from __future__ import annotations

from ...chapter import Experiment
from ...schema import FloatParam
from .backprop import backprop_graph, gradient_check
from .descent import gradient_scale, loss_surface
from .live import optimizer_race
from .losses import loss_curves
from .params import (
    LOSS_PARAMS,
    NET_PARAMS,
    RACE_PARAMS,
    SCALE_PARAMS,
    SURFACE_PARAMS,
    TOPO_PARAMS,
)
from .topo import topo_order

EXPERIMENTS = [
    Experiment(
        "loss_curves",
        "Squared error and cross-entropy against the prediction",
        params=LOSS_PARAMS,
        run=loss_curves,
    ),  # fmt: skip
    Experiment(
        "loss_surface", "A loss surface of two parameters", params=SURFACE_PARAMS, run=loss_surface
    ),  # fmt: skip
    Experiment(
        "optimizer_race",
        "SGD, momentum and Adam race downhill",
        params=RACE_PARAMS,
        stream=optimizer_race,
        max_steps=3001,
        max_seconds=120,
    ),
    Experiment(
        "gradient_scale",
        "Multiply the loss by 1000: who notices?",
        params=SCALE_PARAMS,
        run=gradient_scale,
    ),  # fmt: skip
    Experiment(
        "backprop_graph",
        "Backpropagation on a 2-2-1 network, node by node",
        params=NET_PARAMS,
        run=backprop_graph,
    ),  # fmt: skip
    Experiment(
        "gradient_check",
        "Check backprop against central differences",
        params=[
            FloatParam("eps", 1e-6, min=1e-12, max=0.5, label="step eps", log=True),
            *NET_PARAMS,
        ],  # fmt: skip
        run=gradient_check,
    ),
    Experiment(
        "topo_order",
        "A node used twice: the right and the wrong order",
        params=TOPO_PARAMS,
        run=topo_order,
    ),  # fmt: skip
]
