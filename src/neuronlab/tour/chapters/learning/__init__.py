"""Chapter 3, how a network learns: losses, gradient descent, backpropagation step by step.

Experiments: loss curves against the prediction (``losses``), SGD / momentum / Adam racing on a
two-parameter loss surface (``descent``), the engine's scalar graph of a 2-2-1 network walked
node by node and a numeric gradient check (``backprop``), and the node used twice that shows why
backward goes in reverse topological order (``topo``).
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, Experiment, TourStep
from ...schema import FloatParam
from .backprop import NET_PARAMS, backprop_graph, gradient_check
from .claims import CLAIMS
from .descent import (
    RACE_PARAMS,
    SCALE_PARAMS,
    SURFACE_PARAMS,
    gradient_scale,
    loss_surface,
    optimizer_race,
)
from .losses import LOSS_PARAMS, loss_curves
from .topo import TOPO_PARAMS, topo_order

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

CHAPTER = Chapter(
    id="learning",
    title="How a network learns",
    summary="A loss says how wrong the network is, gradient descent walks downhill, and "
    "backpropagation finds the slope for every weight in one backward sweep.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep(
            "loss_curves",
            {"target": 1.0, "n_points": 41},
            widget="losses",
            caption="Loss against the prediction p for the target y = 1",
        ),  # fmt: skip
        TourStep(
            "optimizer_race",
            {"speed": 0, "steps": 400},
            widget="race",
            caption="SGD, momentum and Adam from (-3.5, 2) on the elongated bowl",
            every=100,
        ),  # fmt: skip
        TourStep("gradient_scale", {}, widget="adam-scale"),
        TourStep(
            "backprop_graph",
            {},
            widget="backprop",
            caption="Every scalar node of the 2-2-1 network",
        ),  # fmt: skip
        TourStep("gradient_check", {}, widget="gradcheck"),
        TourStep("topo_order", {"order": "topological"}, widget="topo"),
        TourStep("topo_order", {"order": "eager"}, widget="topo"),
    ],
    folder=Path(__file__).parent,
)
