"""Stop 8, transfer learning: a shipped CNN pretrained on five Fashion-MNIST classes, re-used
for the other five with only a few labels.

``task`` builds the target task and the three contenders (scratch, linear probe, fine-tuning)
from the library (``Module.freeze``, a replaced head, Adam with two parameter groups, the
``Trainer``); ``live`` races them and draws the learning curve, ``experiments`` lists both
runs, ``claims`` checks the text's sentences.
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, TourStep
from .claims import CLAIMS
from .experiments import EXPERIMENTS

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
