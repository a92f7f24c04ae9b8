"""Chapter 4, training in practice: side-by-side live runs of the habits that make training work.

Normalized vs raw inputs, learning-rate schedules, overfitting against dropout and L2, and early
stopping with the best weights restored. ``race`` holds one lane of a race (a ``models.MLP`` and
its ``train.Trainer``, advanced an epoch at a time); each
race in ``live`` runs two or three of them in lockstep. Layout: ``params.py``, ``experiments.py``,
``live.py``, ``race.py``, ``claims.py``, ``text.md``.
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, TourStep
from .claims import CLAIMS
from .experiments import EXPERIMENTS

CHAPTER = Chapter(
    id="practice",
    title="Training in practice",
    summary="Normalize the inputs, schedule the learning rate, fight overfitting with dropout "
    "and L2, and stop early: each shown by runs racing side by side.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep(
            "normalization",
            {"speed": 0},
            widget="normalization",
            caption="SGD at lr 0.05 on the breast cancer set",
            every=10,
        ),  # fmt: skip
        TourStep("schedules", {"speed": 0}, widget="schedules", every=10),
        TourStep(
            "overfitting",
            {"speed": 0},
            widget="overfitting",
            caption="Two hidden layers of 128 on 40 examples",
            every=20,
        ),  # fmt: skip
        TourStep("early_stopping", {"speed": 0}, widget="early-stopping", every=20),
    ],
    folder=Path(__file__).parent,
)
