"""Stop 8, transfer learning: a shipped CNN pretrained on five Fashion-MNIST classes, re-used
for the other five with only a few labels.

``task`` builds the target task and the three contenders (scratch, linear probe, fine-tuning)
from the library (``Module.freeze``, a replaced head, Adam with two parameter groups, the
``Trainer``); ``experiments`` races them and draws the learning curve; ``claims`` checks the
text's sentences.
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, Experiment, TourStep
from .claims import CLAIMS
from .experiments import curve, race
from .params import CURVE_PARAMS, RACE_PARAMS

EXPERIMENTS = [
    Experiment(
        "race",
        "Scratch vs linear probe vs fine-tuning on a few labels",
        params=RACE_PARAMS,
        stream=race,
        max_steps=2100,
        max_seconds=300,
    ),  # fmt: skip
    Experiment(
        "curve",
        "Accuracy against labels per class, and the time each run took",
        params=CURVE_PARAMS,
        stream=curve,
        max_steps=500,
        max_seconds=600,
    ),  # fmt: skip
]

CHAPTER = Chapter(
    id="transfer",
    title="Transfer learning",
    summary="A network pretrained on other classes, re-used with a few labels: a frozen body "
    "with a new head, or everything fine-tuned, raced against training from scratch.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep(
            "race",
            {"speed": 0},
            widget="race",
            caption="10 labels per class, 150 steps each",
            every=30,
        ),  # fmt: skip
        TourStep("curve", {}, widget="curve", caption="3 seeds per point, 100 steps per run"),
    ],
    folder=Path(__file__).parent,
)
