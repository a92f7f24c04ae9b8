"""Stop 6, depth: why deep plain networks stop learning, and what skip connections and
normalization change.

A deep plain ``DeepMLP`` and the same network with skip connections train side by side with their
per-layer gradient norms drawn live; a depth slider and toggles for the activation,
normalization and skip connections show the gradients at initialization; the same task at
depths 2 to 16 with a fixed budget of steps shows what depth costs.
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, Experiment, TourStep
from . import experiments as ex
from . import params as p
from .claims import CLAIMS
from .live import race

EXPERIMENTS = [
    Experiment(
        "race",
        "Plain vs skip connections, trained side by side",
        p.RACE_PARAMS,
        stream=race,
        max_steps=500_000,
        max_seconds=600,
    ),
    Experiment(
        "gradients", "Gradient norms per layer at the start", p.GRADIENT_PARAMS, run=ex.gradients
    ),
    Experiment("budget", "Depth at a fixed budget of steps", p.BUDGET_PARAMS, run=ex.budget),
]

CHAPTER = Chapter(
    id="depth",
    title="Depth",
    summary="More layers can model more complex functions, but a deep plain network barely "
    "learns: its gradients vanish. Watch them vanish, then watch skip connections and "
    "normalization bring them back.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep(
            "gradients", {"residual": False}, widget="gradients", caption="20 sigmoid layers, plain"
        ),
        TourStep(
            "gradients",
            {"residual": True},
            widget="gradients",
            caption="The same 20 layers with skip connections",
        ),
        TourStep("race", {"speed": 0}, widget="race", every=40),
        TourStep(
            "race",
            {"speed": 0, "norm": "batch"},
            widget="normalization",
            every=40,
            caption="The plain net again, with BatchNorm",
        ),
        TourStep("budget", {}, widget="budget"),
    ],
    folder=Path(__file__).parent,
)
