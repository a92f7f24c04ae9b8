"""Chapter 3, how a network learns: losses, gradient descent, backpropagation step by step.

Experiments: loss curves against the prediction (``losses``), SGD / momentum / Adam racing on a
two-parameter loss surface (``descent``), the engine's scalar graph of a 2-2-1 network walked
node by node and a numeric gradient check (``backprop``), and the node used twice that shows why
backward goes in reverse topological order (``topo``).
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, TourStep
from .claims import CLAIMS
from .experiments import EXPERIMENTS

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
